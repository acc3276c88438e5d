import FleetTestSupport
import Foundation
import Testing

/// Starts `fleet` with `arguments` in `directory` without waiting; its output goes to `stdout.txt` and `stderr.txt`
/// named by `label` in that folder.
func startFleet(
    _ arguments: [String],
    in directory: URL,
    label: String,
    environment: [String: String] = [:]
) throws -> Process {
    let process = fleetProcess(arguments, in: directory, environment: environment)
    let out = directory.appendingPathComponent("\(label).stdout.txt")
    let err = directory.appendingPathComponent("\(label).stderr.txt")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    return process
}

/// `fleet-fault-import`, the test-only import beside `fleet`, started on `register` into `database`: it creates
/// `marker` and waits for ever once every row is in the transaction, before the commit.
func startHeldImport(marker: URL, database: String, register: URL, in directory: URL, label: String) throws -> Process {
    let process = fleetProcess([], in: directory, environment: [:])
    process.executableURL = fleetExecutable.deletingLastPathComponent().appendingPathComponent("fleet-fault-import")
    process.arguments = [marker.path, database, "register", register.path]
    let err = directory.appendingPathComponent("\(label).stderr.txt")
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
}

/// The text a started process wrote to standard error.
func standardError(of label: String, in directory: URL) -> String {
    (try? String(contentsOf: directory.appendingPathComponent("\(label).stderr.txt"), encoding: .utf8)) ?? ""
}

/// The whole database as Python's sqlite3 module dumps it (an SQLite reader nobody here wrote), then its integrity
/// check.
func pythonDump(_ database: URL) throws -> (dump: String, integrity: String) {
    let script = """
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        print("\\n".join(c.iterdump()))
        print("integrity: " + c.execute("PRAGMA integrity_check").fetchone()[0])
        """
    let text = try runPython(script, arguments: [database.path])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let integrity = lines.last { $0.hasPrefix("integrity: ") }.map { String($0.dropFirst(11)) } ?? "no answer"
    return (lines.filter { !$0.hasPrefix("integrity: ") }.joined(separator: "\n"), integrity)
}

/// Waits (without a time limit) until `condition` holds or `process` has ended; true when the condition holds.
func wait(for process: Process, until condition: () -> Bool) -> Bool {
    while !condition() {
        if !process.isRunning { return condition() }
        usleep(10_000)
    }
    return true
}

/// The size of the file at `url`, 0 when missing.
func fileSize(_ url: URL) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
}

/// Makes `folder` read-only for this process: `chmod 555` for a user, `chattr +i` for root (whom permissions do not
/// stop). Returns the command that undoes it.
func makeReadOnly(_ folder: URL) throws -> () -> Void {
    if geteuid() != 0 {
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        return { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
    }
    let chattr = Process()
    chattr.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    chattr.arguments = ["chattr", "+i", folder.path]
    try chattr.run()
    chattr.waitUntilExit()
    return {
        let undo = Process()
        undo.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        undo.arguments = ["chattr", "-i", folder.path]
        try? undo.run()
        undo.waitUntilExit()
    }
}

@Suite("Faults: killed imports, concurrent imports, workbooks that cannot be written")
struct FaultCommandTests {
    /// Why a fixture could not be made.
    struct SetupFailure: Error, Sendable {
        var message: String
    }

    /// 50,000 units from `fleet generate` (an 8 MB register: an import of it spends seconds writing), written once.
    static let generated: Result<URL, SetupFailure> = {
        do {
            let folder = try makeTemporaryDirectory()
            let run = try runFleet(
                [
                    "generate", "--assets", "50000", "--months", "1", "--out", folder.path, "--catalog",
                    packageRoot.appendingPathComponent("Catalog").path,
                ],
                in: folder
            )
            guard run.status == 0 else { return .failure(SetupFailure(message: "fleet generate: \(run.stderr)")) }
            return .success(folder.appendingPathComponent("register.csv"))
        } catch {
            return .failure(SetupFailure(message: "\(error)"))
        }
    }()

    /// The generated register.
    static var bigRegister: URL { get throws { try generated.get() } }

    static let smallRegister = """
        asset_id,network,trust,site,modality,install_date,replacement_cost_gbp,notes
        OLD-1,North,Ashby,Ashby General,CT,2015-03-01,900000,kept as it was
        OLD-2,North,Ashby,Ashby General,MRI,2018,1000000,
        """

    /// A folder with a register database holding `smallRegister`, and its state: the listing and Python's dump.
    private func folderWithBaseline() throws -> (folder: URL, listing: String, dump: String) {
        let folder = try makeTemporaryDirectory()
        try Self.smallRegister.write(to: folder.appendingPathComponent("small.csv"), atomically: true, encoding: .utf8)
        let imported = try runFleet(["import", "register", "small.csv"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        let listing = try runFleet(["register", "--format", "csv"], in: folder).stdout
        let (dump, integrity) = try pythonDump(folder.appendingPathComponent("fleet.sqlite"))
        #expect(integrity == "ok")
        return (folder, listing, dump)
    }

    /// `fleet-fault-import` (a test-only import whose store hook holds it) waits after every row is in the
    /// transaction and flushed to the write-ahead log, before the commit; SIGKILL there leaves the register exactly as
    /// before.
    @Test func anImportKilledBeforeItCommitsChangesNothing() throws {
        let (folder, listing, dump) = try folderWithBaseline()
        let marker = folder.appendingPathComponent("holding")
        let wal = folder.appendingPathComponent("fleet.sqlite-wal")
        let walBefore = fileSize(wal)
        let process = try startHeldImport(
            marker: marker,
            database: "fleet.sqlite",
            register: try Self.bigRegister,
            in: folder,
            label: "held"
        )
        let held = wait(for: process) { FileManager.default.fileExists(atPath: marker.path) }
        try #require(held, "the import ended without reaching the hook: \(standardError(of: "held", in: folder))")
        // The uncommitted rows are on disk: the worst moment to die.
        #expect(fileSize(wal) > walBefore + 1_000_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        #expect(try runFleet(["register", "--format", "csv"], in: folder).stdout == listing)
        let after = try pythonDump(folder.appendingPathComponent("fleet.sqlite"))
        #expect(after.integrity == "ok")
        #expect(after.dump == dump)
        // And the register still takes the import.
        let again = try runFleet(["import", "register", (try Self.bigRegister).path], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("50,000 rows read, 50,000 inserted"))
    }

    /// Killed at moments nobody chose (as soon as the write-ahead log reaches a size): the register is as before or
    /// as after the whole import, never in between.
    @Test(arguments: [1, 1_000_000, 4_000_000]) func anImportKilledWhileWritingIsAllOrNothing(walBytes: Int) throws {
        let (folder, listing, dump) = try folderWithBaseline()
        // The state after the whole import, from a copy of the database.
        let copy = try makeTemporaryDirectory()
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("fleet.sqlite"),
            to: copy.appendingPathComponent("fleet.sqlite")
        )
        #expect(try runFleet(["import", "register", (try Self.bigRegister).path], in: copy).status == 0)
        let listingAfter = try runFleet(["register", "--format", "csv"], in: copy).stdout

        let wal = folder.appendingPathComponent("fleet.sqlite-wal")
        let process = try startFleet(["import", "register", (try Self.bigRegister).path], in: folder, label: "killed")
        _ = wait(for: process) { fileSize(wal) >= walBytes }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let listed = try runFleet(["register", "--format", "csv"], in: folder)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == listing || listed.stdout == listingAfter, "a partial import is visible")
        let state = try pythonDump(folder.appendingPathComponent("fleet.sqlite"))
        #expect(state.integrity == "ok")
        if listed.stdout == listing { #expect(state.dump == dump) }
    }

    /// Two imports of overlapping files started at once: both complete (the second waits for the first's
    /// transaction), and the register holds every row of both.
    @Test func twoImportsStartedAtOnceBothComplete() throws {
        let (folder, _, _) = try folderWithBaseline()
        let lines = try String(contentsOf: try Self.bigRegister, encoding: .utf8).split(separator: "\n")
        let header = lines[0]
        // Rows 1–30,000 and 20,001–50,000: 10,000 in both files.
        try ([header] + lines[1...30_000]).joined(separator: "\n")
            .write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try ([header] + lines[20_001...50_000]).joined(separator: "\n")
            .write(to: folder.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let first = try startFleet(["import", "register", "a.csv"], in: folder, label: "a")
        let second = try startFleet(["import", "register", "b.csv"], in: folder, label: "b")
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0, "\(standardError(of: "a", in: folder))")
        #expect(second.terminationStatus == 0, "\(standardError(of: "b", in: folder))")
        let listing = try runFleet(["register", "--format", "csv"], in: folder).stdout
        #expect(listing.split(separator: "\n").count == 1 + 2 + 50_000)
        let inserted = [standardError(of: "a", in: folder), standardError(of: "b", in: folder)].map { text in
            Int(
                text.split(separator: " ").drop { !$0.hasPrefix("read,") }.dropFirst().first?.replacingOccurrences(
                    of: ",",
                    with: ""
                ) ?? ""
            ) ?? -1
        }
        #expect(inserted.reduce(0, +) == 50_000, "every row inserted once: \(inserted)")
        #expect(try pythonDump(folder.appendingPathComponent("fleet.sqlite")).integrity == "ok")
    }

    /// Two imports started at once on a database that does not exist yet: both create it. Before the fix, the one
    /// that lost the race to create the schema failed with "table asset already exists" (exit 4) about one run in
    /// thirty on this machine; the assertion holds whatever the timing.
    @Test func twoImportsStartedAtOnceOnANewDatabaseBothComplete() throws {
        let folder = try makeTemporaryDirectory()
        try "asset_id,trust,site,modality,install_date\nA-1,T,S,CT,2020\n"
            .write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try "asset_id,trust,site,modality,install_date\nB-1,T,S,CT,2020\nB-2,T,S,MR,2021\n"
            .write(to: folder.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        for round in 0..<20 {
            let database = "round-\(round).sqlite"
            let first = try startFleet(
                ["import", "register", "a.csv", "--db", database],
                in: folder,
                label: "a\(round)"
            )
            let second = try startFleet(
                ["import", "register", "b.csv", "--db", database],
                in: folder,
                label: "b\(round)"
            )
            first.waitUntilExit()
            second.waitUntilExit()
            #expect(first.terminationStatus == 0, "round \(round): \(standardError(of: "a\(round)", in: folder))")
            #expect(second.terminationStatus == 0, "round \(round): \(standardError(of: "b\(round)", in: folder))")
            let listing = try runFleet(["register", "--format", "csv", "--db", database], in: folder).stdout
            #expect(listing.split(separator: "\n").count == 4, "round \(round)")
        }
    }

    /// A folder with the demo register imported and a first workbook written to `out/case.xlsx`.
    private func folderWithWorkbook() throws -> (folder: URL, workbook: URL, bytes: Data) {
        let folder = try makeTemporaryDirectory()
        let catalog = packageRoot.appendingPathComponent("Catalog")
        let imported = try runFleet(
            ["import", "register", catalog.appendingPathComponent("demo/register.csv").path],
            in: folder
        )
        #expect(imported.status == 0, "\(imported.stderr)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("out"),
            withIntermediateDirectories: true
        )
        let written = try runFleet(
            ["report", "--catalog", catalog.path, "--as-of", "2025-06-30", "--out", "out/case.xlsx"],
            in: folder
        )
        #expect(written.status == 0, "\(written.stderr)")
        let workbook = folder.appendingPathComponent("out/case.xlsx")
        return (folder, workbook, try Data(contentsOf: workbook))
    }

    private func report(to path: String, in folder: URL, through shell: String? = nil) throws -> FleetRun {
        let catalog = packageRoot.appendingPathComponent("Catalog").path
        let arguments = ["report", "--catalog", catalog, "--as-of", "2025-06-30", "--out", path]
        guard let shell else { return try runFleet(arguments, in: folder) }
        // Through /bin/sh, for a resource limit: `exec` keeps the limit and the ignored signal.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", fleetExecutable.path] + arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FLEET_DB")
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return FleetRun(status: process.terminationStatus, stdout: "", stderr: String(decoding: data, as: UTF8.self))
    }

    /// The folder's entries, hidden ones included.
    private func entries(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func aWorkbookInAReadOnlyFolderFailsAndLeavesTheEarlierOne() throws {
        let (folder, workbook, bytes) = try folderWithWorkbook()
        let out = folder.appendingPathComponent("out")
        let undo = try makeReadOnly(out)
        defer { undo() }
        try #require(
            !FileManager.default.createFile(atPath: out.appendingPathComponent("probe").path, contents: nil),
            "the folder could not be made read-only here"
        )
        let run = try report(to: "out/case.xlsx", in: folder)
        #expect(run.status == 4)
        #expect(run.stderr.contains("out/case.xlsx"))
        #expect(try Data(contentsOf: workbook) == bytes)
        #expect(entries(out) == ["case.xlsx"])
    }

    @Test func aWorkbookOnAFullDiskFailsAndLeavesTheEarlierOneAndNoTemporaryFile() throws {
        let (folder, workbook, bytes) = try folderWithWorkbook()
        // A file-size limit (RLIMIT_FSIZE) of 48 KB stands in for a full disk: above SQLite's 32 KB shared-memory
        // file, below the workbook's size. SIGXFSZ is ignored, so a write past the limit fails with EFBIG, as a
        // write to a full disk fails with ENOSPC.
        try #require(bytes.count > 48 * 1024)
        let run = try report(to: "out/case.xlsx", in: folder, through: "trap '' XFSZ; ulimit -f 96")
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stderr.contains("out/case.xlsx"))
        #expect(try Data(contentsOf: workbook) == bytes)
        #expect(entries(folder.appendingPathComponent("out")) == ["case.xlsx"])
    }

    @Test(arguments: ["afile/case.xlsx", "out", "missing/case.xlsx"])
    func aWorkbookPathThatCannotBeAFileFails(path: String) throws {
        let (folder, workbook, bytes) = try folderWithWorkbook()
        try "not a folder".write(to: folder.appendingPathComponent("afile"), atomically: true, encoding: .utf8)
        let before = entries(folder)
        let run = try report(to: path, in: folder)
        #expect(run.status == 4)
        #expect(run.stderr.contains(path))
        #expect(entries(folder) == before)
        #expect(entries(folder.appendingPathComponent("out")) == ["case.xlsx"])
        #expect(try Data(contentsOf: workbook) == bytes)
    }
}
