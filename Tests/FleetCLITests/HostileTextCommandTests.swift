import FleetTestSupport
import Foundation
import Testing

/// Rows of `text` as Python's csv module reads them (a reader nobody here wrote).
func pythonCSV(_ text: String) throws -> [[String]] {
    let printed = try runPython(
        "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))",
        input: text
    )
    return try JSONDecoder().decode([[String]].self, from: Data(printed.utf8))
}

/// True when a spreadsheet opening a CSV field would run it (OWASP's triggers, full-width forms, `-` unless a number).
func isLiveInASpreadsheet(_ field: String) -> Bool {
    guard let first = field.unicodeScalars.first else { return false }
    if "=+@\t\r\u{FF1D}\u{FF0B}\u{FF20}\u{FF0D}".unicodeScalars.contains(first) { return true }
    return first == "-" && Double(field) == nil
}

@Suite("Hostile text: formulas stay text, SQL stays data, paths stay inside")
struct HostileTextCommandTests {
    /// Formula-like and SQL-like text in every text column; every unit old enough to be replaced now.
    static let trusts = ["=1+2 Trust", "+Trust cmd|' /C calc'!A0", "@Trust", "-Trust", "＝Full-width Trust"]
    static let hostile = [
        "=HYPERLINK(\"http://example.com\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "＝1+1", "＋1", "＠x",
        "－1", "x'); DROP TABLE asset;--", "' OR '1'='1",
    ]
    static let register: String = {
        var lines = ["asset_id,network,trust,site,modality,class,manufacturer,model,install_date,notes"]
        for (index, trust) in trusts.enumerated() {
            for unit in 0..<2 {
                let id = unit == 0 ? hostile[(2 * index) % hostile.count] : hostile[(2 * index + 1) % hostile.count]
                lines.append(
                    CSVText.line([
                        id, "=Network", trust, "@SUM(1+1) site", "CT", "CT-128", "-2+3", "＝1+1", "2008-05-01",
                        "note\t=1 and \r=2",
                    ])
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    private func importedFolder(_ text: String = register) throws -> URL {
        let folder = try makeTemporaryDirectory()
        try text.write(to: folder.appendingPathComponent("register.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        let imported = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        return folder
    }

    private func listing(_ folder: URL) throws -> [[String: Any]] {
        let run = try runFleet(["register", "--format", "json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    }

    /// SQL in identifiers is data: it imports and lists back verbatim, the tables are still there, and a filter
    /// written like an injection matches nothing (so it is refused as naming no trust of the register).
    @Test func sqlLikeTextIsStoredAndListedVerbatim() throws {
        let folder = try importedFolder()
        let ids = Set(try listing(folder).compactMap { $0["asset_id"] as? String })
        #expect(ids.count == 10)
        #expect(
            ids.isSuperset(of: ["x'); DROP TABLE asset;--", "' OR '1'='1", "=HYPERLINK(\"http://example.com\",\"x\")"])
        )
        let filtered = try runFleet(["register", "--format", "json", "--trust", "' OR '1'='1"], in: folder)
        #expect(filtered.status == 1, "\(filtered.stderr)")
        #expect(filtered.stdout.isEmpty)
        #expect(filtered.stderr.contains("--trust '' OR '1'='1' names no trust of the register"), "\(filtered.stderr)")
        #expect(try listing(folder).count == 10)
        let byTrust = try runFleet(["register", "--format", "json", "--trust", "+Trust cmd|' /C calc'!A0"], in: folder)
        #expect(byTrust.stdout.contains("\"trust\" : \"+Trust cmd|' /C calc'!A0\""))
    }

    /// Every CSV export: no field a spreadsheet would run, and the hostile text is there (neutralised), so the
    /// check is not vacuous.
    @Test(arguments: [
        ["register", "--format", "csv"], ["rank", "--format", "csv", "--as-of", "2026-01-01"],
        ["procure", "--format", "csv", "--as-of", "2026-01-01"],
        ["age-profile", "--format", "csv", "--by", "trust", "--as-of", "2026-01-01"],
    ])
    func csvExportsNeutraliseFormulas(arguments: [String]) throws {
        let folder = try importedFolder()
        let run = try runFleet(arguments, in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try pythonCSV(run.stdout)
        #expect(rows.count > 1)
        for field in rows.joined() where isLiveInASpreadsheet(field) {
            Issue.record("\(arguments[0]): the field \(field.debugDescription) would run as a formula")
        }
        let fields = Set(rows.joined())
        #expect(
            fields.contains("'=1+2 Trust") || fields.contains { $0.hasPrefix("'=1+2 Trust") },
            "\(arguments[0]) does not show the trust '=1+2 Trust' at all"
        )
    }

    /// The register's CSV listing imports back to the same register: the `'` each neutralised value carries is
    /// taken off again (and a value that itself starts with `'` keeps it).
    @Test func aNeutralisedListingImportsBackUnchanged() throws {
        var text = Self.register
        text +=
            CSVText.line(["'quoted", "=Network", "'=already marked", "'site", "CT", "CT-128", "", "", "2010", ""])
            + "\n"
        let folder = try importedFolder(text)
        let before = try runFleet(["register", "--format", "json"], in: folder).stdout
        let csv = try runFleet(["register", "--format", "csv"], in: folder).stdout
        try csv.write(to: folder.appendingPathComponent("listing.csv"), atomically: true, encoding: .utf8)
        let fresh = folder.appendingPathComponent("fresh.sqlite").path
        let imported = try runFleet(["import", "register", "listing.csv", "--db", fresh], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try runFleet(["register", "--format", "json", "--db", fresh], in: folder).stdout == before)
        #expect(before.contains("\"asset_id\" : \"'quoted\""))
        #expect(before.contains("\"trust\" : \"=already marked\""))
    }

    /// The workbook: every cell holding imported text is a string, never a formula, in every sheet.
    @Test func theWorkbookKeepsImportedTextAsText() throws {
        let folder = try importedFolder()
        let run = try runFleet(["report", "--as-of", "2026-01-01", "--out", "case.xlsx"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let needles = Self.trusts + Self.hostile + ["@SUM(1+1) site", "note\t=1"]
        let check = try runXLSXCheck(
            ["--describe", folder.appendingPathComponent("case.xlsx").path] + needles.map { "--find=" + $0 }
        )
        #expect(check.status == 0, "\(check.stderr)")
        struct Found: Decodable {
            struct Cell: Decodable {
                var cell: String
                var type: String
            }
            var found: [String: [Cell]]
        }
        let found = try JSONDecoder().decode(Found.self, from: Data(check.stdout.utf8)).found
        for needle in needles {
            let cells = found[needle] ?? []
            #expect(!cells.isEmpty, "\(needle.debugDescription) is nowhere in the workbook")
            for cell in cells where cell.type != "string" {
                Issue.record("\(needle.debugDescription) is a \(cell.type) in \(cell.cell)")
            }
        }
    }

    /// `fleet scenario export` neutralises formula-like names in its CSV files too, and `--scenario` reads them back
    /// as the register's names.
    @Test func scenarioFilesNeutraliseAndReadBack() throws {
        let folder = try importedFolder()
        let export = try runFleet(["scenario", "export", "out", "--as-of", "2026-01-01"], in: folder)
        #expect(export.status == 0, "\(export.stderr)")
        for file in ["replacements.csv", "offers.csv", "tiers.csv"] {
            let text = try String(contentsOf: folder.appendingPathComponent("out/\(file)"), encoding: .utf8)
            for field in try pythonCSV(text).joined() where isLiveInASpreadsheet(field) {
                Issue.record("\(file): the field \(field.debugDescription) would run as a formula")
            }
        }
        let procure = try runFleet(["procure", "--scenario", "out", "--format", "json"], in: folder)
        #expect(procure.status == 0, "\(procure.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(procure.stdout.utf8)) as? [String: Any])
        let byTrust = try #require(summary["standalone_by_trust"] as? [String: Any])
        #expect(Set(byTrust.keys) == Set(Self.trusts))
    }

    /// Network names become folder names through a slug; two names with the same slug get two folders, not one
    /// scenario written over the other.
    @Test func networksWhoseNamesSlugAlikeGetTheirOwnFolders() throws {
        let text = """
            asset_id,network,trust,site,modality,class,install_date
            A-1,North East,Ashby,Ashby General,CT,CT-128,2008-01-01
            B-1,north-east,Barrow,Barrow General,CT,CT-128,2008-01-01
            C-1,../../North East,Carlton,Carlton General,CT,CT-128,2008-01-01
            """
        let folder = try importedFolder(text)
        let export = try runFleet(["scenario", "export", "out", "--as-of", "2026-01-01"], in: folder)
        #expect(export.status == 0, "\(export.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
        #expect(Set(written) == ["north-east", "north-east-2", "north-east-3"])
        var trusts: Set<String> = []
        for name in written {
            let text = try String(
                contentsOf: folder.appendingPathComponent("out/\(name)/replacements.csv"),
                encoding: .utf8
            )
            let rows = try pythonCSV(text).dropFirst()
            #expect(rows.count == 1)
            trusts.formUnion(rows.map { $0[1] })
        }
        #expect(trusts == ["Ashby", "Barrow", "Carlton"])
        // Nothing was written outside out/.
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == [
                "Catalog", "fleet.sqlite", "out", "register.csv",
            ]
        )
    }
}

/// CSV lines written here for the test's own register (quoting every field that needs it).
enum CSVText {
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}
