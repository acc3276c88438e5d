import FleetRegisterPostgres
import FleetTestSupport
import Foundation
import Testing

/// The distinct values of `column` in the CSV file at `url`, read by Python's csv module.
func csvColumnValues(_ url: URL, column: String) throws -> [String] {
    try runPython(
        "import csv,sys; print('\\n'.join(sorted({r[sys.argv[2]] for r in csv.DictReader(open(sys.argv[1]))})))",
        arguments: [url.path, column]
    ).split(separator: "\n").map(String.init)
}

/// Every cell of every sheet of a workbook as openpyxl reads it (formulas as their text), one line per cell; numbers
/// to 6 decimal places, since the Shapley shares differ in their last bits from one run to the next on either backend
/// (the coalitions' costs are summed in the order their parallel solves finish).
func openpyxlCells(_ workbook: URL) throws -> String {
    let script = """
        import openpyxl, sys
        wb = openpyxl.load_workbook(sys.argv[1])
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        v = round(c.value, 6) if isinstance(c.value, float) else c.value
                        print(ws.title, c.coordinate, repr(v))
        """
    return try runPython(script, arguments: [workbook.path])
}

@Suite(
    "fleet on a shared PostgreSQL register",
    .enabled(
        if: PostgresBackend.isBuiltIn && PostgresTestServer.isConfigured,
        Comment(rawValue: PostgresTestServer.skipNote)
    )
)
struct PostgresCommandTests {
    static let demo = packageRoot.appendingPathComponent("Catalog/demo")
    static let catalog = packageRoot.appendingPathComponent("Catalog").path

    /// A register made with `fleet db init` by its owner, and `role` granted `trusts` with `fleet db grant`.
    func register(role: String, trusts: [String], in folder: URL) throws -> (owner: String, url: (String) -> String) {
        let database = try PostgresTestServer.makeDatabase(roles: [role])
        let created = try runFleet(["db", "init", "--db", database.owner], in: folder)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("row-level security"))
        for trust in trusts {
            let granted = try runFleet(["db", "grant", role, "--trust", trust, "--db", database.owner], in: folder)
            #expect(granted.status == 0, "\(granted.stderr)")
        }
        return database
    }

    /// The demo register and feed, imported into SQLite and into PostgreSQL (as the role of the network's four
    /// trusts): `fleet register`, `rank`, `age-profile`, `procure` and the workbook are the same, cell for cell.
    @Test func theSameRegisterGivesTheSameOutputOnBothBackends() throws {
        let folder = try makeTemporaryDirectory()
        let trusts = try csvColumnValues(Self.demo.appendingPathComponent("register.csv"), column: "trust")
        #expect(trusts.count == 4)
        let database = try register(role: "fleet_test_network", trusts: trusts, in: folder)
        let backends = ["fleet.sqlite", database.url("fleet_test_network")]
        for db in backends {
            for kind in ["register", "utilisation"] {
                let file = Self.demo.appendingPathComponent("\(kind).csv").path
                let run = try runFleet(["import", kind, file, "--db", db], in: folder)
                #expect(run.status == 0, "\(run.stderr)")
            }
        }
        let commands: [[String]] = [
            ["register", "--format", "csv"],
            ["register"],
            ["rank", "--as-of", "2026-11-01", "--catalog", Self.catalog],
            ["rank", "--as-of", "2026-11-01", "--catalog", Self.catalog, "--format", "json"],
            ["age-profile", "--as-of", "2026-11-01", "--by", "trust"],
            ["procure", "--as-of", "2026-11-01", "--catalog", Self.catalog, "--allocation", "proportional"],
        ]
        for command in commands {
            let runs = try backends.map { try runFleet(command + ["--db", $0], in: folder) }
            #expect(runs.map(\.status) == [0, 0], "\(command): \(runs.map(\.stderr))")
            #expect(runs[0].stdout == runs[1].stdout, "\(command.joined(separator: " ")) differs")
            #expect(!runs[0].stdout.isEmpty)
        }
        var workbooks: [String] = []
        for (index, db) in backends.enumerated() {
            let out = "case-\(index).xlsx"
            let run = try runFleet(
                ["report", "--as-of", "2026-11-01", "--catalog", Self.catalog, "--out", out, "--db", db],
                in: folder
            )
            #expect(run.status == 0, "\(run.stderr)")
            workbooks.append(try openpyxlCells(folder.appendingPathComponent(out)))
        }
        // The Register sheet's history columns say when and who: the import's time and its role (PostgreSQL) or
        // operating-system user (SQLite). Everything else is the same.
        func isHistory(_ line: Substring) -> Bool { line.hasPrefix("Register R") || line.hasPrefix("Register S") }
        let lines = workbooks.map { $0.split(separator: "\n") }
        let cells = lines.map { $0.filter { !isHistory($0) } }
        let history = lines.map { $0.filter(isHistory) }
        #expect(cells[0].count > 1_000)
        #expect(cells[0] == cells[1], "the workbooks differ")
        #expect(history[0].count == history[1].count)
        let who = history[1].filter { $0.hasPrefix("Register S") && !$0.hasPrefix("Register S4 ") }
        #expect(Set(who.map { $0.split(separator: " ", maxSplits: 2).last ?? "" }) == ["'fleet_test_network'"])
    }

    /// A trust's role importing the whole network's register is refused by the server: exit 2 naming the rows,
    /// nothing written, no history.
    @Test func importingAnotherTrustsAssetsExitsTwoNamingThemAndWritesNothing() throws {
        let folder = try makeTemporaryDirectory()
        let role = "fleet_test_kentmere"
        let database = try register(
            role: role,
            trusts: ["Kentmere Bay University Hospitals NHS Foundation Trust"],
            in: folder
        )
        let db = database.url(role)
        let file = Self.demo.appendingPathComponent("register.csv").path
        let run = try runFleet(["import", "register", file, "--db", db], in: folder)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(
            run.stderr.contains("role \(role) may not write 138 rows of trusts it was not granted"),
            "\(run.stderr)"
        )
        #expect(run.stderr.contains("RTH-CT-01 (Ribblesdale Teaching Hospitals NHS Foundation Trust)"))
        #expect(run.stderr.contains("nothing was written"))
        #expect(try runFleet(["register", "--format", "csv", "--db", db], in: folder).stdout == emptyRegisterListing)
        #expect(
            try runFleet(["history", "--format", "csv", "--db", db], in: folder).stdout.split(separator: "\n").count
                == 1
        )
        // Its own trust's rows alone go in.
        let own = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("asset_id") || $0.hasPrefix("KBU-") }.joined(separator: "\n")
        try own.write(to: folder.appendingPathComponent("kbu.csv"), atomically: true, encoding: .utf8)
        let mine = try runFleet(["import", "register", "kbu.csv", "--db", db], in: folder)
        #expect(mine.status == 0, "\(mine.stderr)")
        #expect(mine.stderr.contains("39 rows read, 39 inserted"))
    }

    /// Changes made by two roles: `fleet history` names each role, the file's SHA-256 and each field old → new.
    @Test func historyShowsEachChangeWithItsRoleFileHashAndValues() throws {
        let folder = try makeTemporaryDirectory()
        let database = try PostgresTestServer.makeDatabase(roles: ["fleet_test_ashby", "fleet_test_ashby2"])
        #expect(try runFleet(["db", "init", "--db", database.owner], in: folder).status == 0)
        for role in ["fleet_test_ashby", "fleet_test_ashby2"] {
            #expect(
                try runFleet(["db", "grant", role, "--trust", "ashby", "--db", database.owner], in: folder).status == 0
            )
        }
        let first = folder.appendingPathComponent("first.csv")
        let second = folder.appendingPathComponent("second.csv")
        try "asset_id,trust,site,modality,install_date,replacement_cost_gbp\nCT-1,Ashby,General,CT,2015-03-01,900000\n"
            .write(to: first, atomically: true, encoding: .utf8)
        try "asset_id,trust,site,modality,install_date,replacement_cost_gbp\nCT-1,Ashby,Annexe,CT,2015-03-01,950000\n"
            .write(to: second, atomically: true, encoding: .utf8)
        #expect(
            try runFleet(["import", "register", "first.csv", "--db", database.url("fleet_test_ashby")], in: folder)
                .status == 0
        )
        #expect(
            try runFleet(["import", "register", "second.csv", "--db", database.url("fleet_test_ashby2")], in: folder)
                .status == 0
        )

        let json = try runFleet(
            ["history", "CT-1", "--format", "json", "--db", database.url("fleet_test_ashby")],
            in: folder
        )
        #expect(json.status == 0, "\(json.stderr)")
        let imports = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(imports.map { $0["who"] as? String } == ["fleet_test_ashby", "fleet_test_ashby2"])
        #expect(imports.map { $0["sha256"] as? String } == [try pythonSHA256(first), try pythonSHA256(second)])
        #expect(imports.map { $0["file"] as? String } == ["first.csv", "second.csv"])
        let changes = (imports[1]["changes"] as? [[String: Any]]) ?? []
        #expect(
            changes.map { "\($0["field"] ?? "") \($0["old"] ?? "") → \($0["new"] ?? "")" } == [
                "site General → Annexe", "replacement_cost_gbp 900000 → 950000",
            ]
        )
        // The time is the server's, in UTC.
        #expect((imports[0]["at"] as? String)?.hasSuffix("Z") == true)
    }

    /// The test-only import holds once every row of 50,000 is sent, before the commit; SIGKILL there, the server
    /// rolls the transaction back: the register and its history are as they were, and take the import again.
    @Test func anImportKilledBeforeItCommitsLeavesThePostgresRegisterAsItWas() throws {
        let folder = try makeTemporaryDirectory()
        let big = try FaultCommandTests.bigRegister
        let trusts = try csvColumnValues(big, column: "trust") + ["Ashby"]
        let database = try register(role: "fleet_test_national", trusts: trusts, in: folder)
        let db = database.url("fleet_test_national")
        try FaultCommandTests.smallRegister.write(
            to: folder.appendingPathComponent("small.csv"),
            atomically: true,
            encoding: .utf8
        )
        #expect(try runFleet(["import", "register", "small.csv", "--db", db], in: folder).status == 0)
        let listing = try runFleet(["register", "--format", "csv", "--db", db], in: folder).stdout
        let history = try runFleet(["history", "--format", "json", "--db", db], in: folder).stdout

        let marker = folder.appendingPathComponent("holding")
        let process = try startHeldImport(marker: marker, database: db, register: big, in: folder, label: "held")
        let held = wait(for: process) { FileManager.default.fileExists(atPath: marker.path) }
        try #require(held, "the import ended without reaching the hook: \(standardError(of: "held", in: folder))")
        // The rows are in the server, in the open transaction.
        let open = try PostgresTestServer.psql(
            try #require(PostgresTestServer.adminURL),
            "SELECT count(*) FROM pg_stat_activity WHERE usename = 'fleet_test_national' AND state = 'idle in transaction'"
        )
        #expect(open == "1")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(try runFleet(["register", "--format", "csv", "--db", db], in: folder).stdout == listing)
        #expect(try runFleet(["history", "--format", "json", "--db", db], in: folder).stdout == history)
        let again = try runFleet(["import", "register", big.path, "--db", db], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("50,000 rows read, 50,000 inserted"))
    }

    /// Killed as soon as its transaction holds the import lock (mid-way: rows still being sent), the import leaves
    /// the register as it was, or, if it had committed, whole.
    @Test func anImportKilledWhileSendingRowsIsAllOrNothing() throws {
        let folder = try makeTemporaryDirectory()
        let big = try FaultCommandTests.bigRegister
        let database = try register(
            role: "fleet_test_national2",
            trusts: try csvColumnValues(big, column: "trust"),
            in: folder
        )
        let db = database.url("fleet_test_national2")
        let process = try startFleet(["import", "register", big.path, "--db", db], in: folder, label: "killed")
        _ = wait(for: process) {
            (try? PostgresTestServer.psql(
                database.owner,
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            )) == "1"
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let count =
            try runFleet(["register", "--format", "csv", "--db", db], in: folder).stdout
            .split(separator: "\n").count - 1
        #expect(count == 0 || count == 50_000, "a partial import is visible: \(count) rows")
        let imports =
            try runFleet(["history", "--format", "csv", "--db", db], in: folder).stdout
            .split(separator: "\n").count - 1
        #expect(imports == (count == 0 ? 0 : 1))
    }
}

/// What `fleet register --format csv` prints for an empty register.
let emptyRegisterListing =
    "asset_id,network,trust,site,modality,class,manufacturer,model,mobile,install_date,replacement_cost_gbp,"
    + "service_cost_gbp_per_year,end_of_support,criticality,status,notes\n"
