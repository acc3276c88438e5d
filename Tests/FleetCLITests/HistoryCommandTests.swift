import FleetTestSupport
import Foundation
import Testing

/// A JSON value read back with Foundation's parser.
func parseJSON(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

@Suite("fleet history")
struct HistoryCommandTests {
    static let register = """
        asset_id,trust,site,modality,install_date,replacement_cost_gbp
        CT-1,Ashby,General,CT,2015-03-01,900000
        MR-1,Ashby,General,MR,2018-01-01,
        """

    @Test func everyImportIsListedWithItsHashAndEachChangedField() throws {
        let folder = try makeTemporaryDirectory()
        let first = folder.appendingPathComponent("first.csv")
        let second = folder.appendingPathComponent("second.csv")
        try Self.register.write(to: first, atomically: true, encoding: .utf8)
        try Self.register.replacingOccurrences(of: "900000", with: "950000")
            .replacingOccurrences(of: "2018-01-01,", with: "2018-01-01,1000000")
            .write(to: second, atomically: true, encoding: .utf8)
        #expect(try runFleet(["import", "register", "first.csv"], in: folder).status == 0)
        #expect(try runFleet(["import", "register", "second.csv"], in: folder).status == 0)

        let listing = try runFleet(["history", "--format", "csv"], in: folder)
        #expect(listing.status == 0, "\(listing.stderr)")
        let rows = listing.stdout.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(
            rows.first == ["import", "at", "who", "kind", "file", "sha256", "inserted", "updated", "fields_changed"]
        )
        #expect(rows.count == 3)
        #expect(rows.dropFirst().map { String($0[4]) } == ["first.csv", "second.csv"])
        #expect(rows.dropFirst().map { String($0[5]) } == [try pythonSHA256(first), try pythonSHA256(second)])
        #expect(rows.dropFirst().map { $0[6...8].joined(separator: " ") } == ["2 0 0", "0 2 2"])
        // Who: the operating-system user for an SQLite register.
        #expect(
            rows.dropFirst().map { String($0[2]) }
                == Array(repeating: String(cString: getpwuid(geteuid()).pointee.pw_name), count: 2)
        )

        let table = try runFleet(["history"], in: folder)
        #expect(table.stdout.contains("Changed fields:"))
        #expect(table.stderr.contains("2 imports"))

        let json = try runFleet(["history", "CT-1", "--format", "json"], in: folder)
        let imports = try #require(try parseJSON(json.stdout) as? [[String: Any]])
        #expect(imports.map { $0["file"] as? String } == ["first.csv", "second.csv"])
        let changes = imports.map { ($0["changes"] as? [[String: Any]]) ?? [] }
        #expect(changes[0].map { $0["change"] as? String } == ["inserted"])
        #expect(changes[1].map { $0["field"] as? String } == ["replacement_cost_gbp"])
        #expect(changes[1].map { "\($0["old"] ?? "") → \($0["new"] ?? "")" } == ["900000 → 950000"])

        let mr = try runFleet(["history", "MR-1", "--format", "csv"], in: folder)
        #expect(
            mr.stdout.split(separator: "\n").last?.hasSuffix(",replacement_cost_gbp,,1000000") == true,
            "\(mr.stdout)"
        )

        // An id the register does not hold is not an asset no import changed: exit 1, with the id meant.
        for (id, message) in [
            ("ct-1", "'ct-1' is not an asset of the register; did you mean 'CT-1'?"),
            ("XR-7", "'XR-7' is not an asset of the register."),
        ] {
            let unknown = try runFleet(["history", id], in: folder)
            #expect(unknown.status == 1, "\(unknown.stderr)")
            #expect(unknown.stdout.isEmpty)
            #expect(unknown.stderr.contains(message), "\(unknown.stderr)")
        }
    }

    @Test func theWorkbooksRegisterSheetShowsEachUnitsLastChange() throws {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        let register = """
            asset_id,network,trust,site,modality,class,install_date,replacement_cost_gbp,criticality
            CT-1,North,Ashby,General,CT,CT-128,2008-05-01,900000,5
            CT-2,North,Ashby,General,CT,CT-128,2009-05-01,900000,4
            CT-3,North,Barrow,Central,CT,CT-128,2010-05-01,900000,4
            """
        try register.write(to: folder.appendingPathComponent("first.csv"), atomically: true, encoding: .utf8)
        try register.replacingOccurrences(of: "2009-05-01,900000,4", with: "2009-05-01,950000,3")
            .write(to: folder.appendingPathComponent("second.csv"), atomically: true, encoding: .utf8)
        #expect(try runFleet(["import", "register", "first.csv"], in: folder).status == 0)
        #expect(try runFleet(["import", "register", "second.csv"], in: folder).status == 0)
        let report = try runFleet(["report", "--as-of", "2026-11-01", "--out", "case.xlsx"], in: folder)
        #expect(report.status == 0, "\(report.stderr)")

        // The register's 17 columns (A–Q), then when, who, file and what: rows 5–7 hold CT-1, CT-2, CT-3.
        let cells = (5...7).flatMap { row in ["A", "S", "T", "U"].map { "Register!\($0)\(row)" } } + ["Register!R4"]
        let book = try describeWorkbook(at: folder.appendingPathComponent("case.xlsx").path, cells: cells)
        func text(_ cell: String) -> String? {
            if case .string(let value)? = book.cells["Register!\(cell)"]?.value { return value }
            return nil
        }
        #expect(text("R4") == "Last changed (UTC)")
        #expect((5...7).map { text("A\($0)") } == ["CT-1", "CT-2", "CT-3"])
        #expect((5...7).map { text("T\($0)") } == ["first.csv", "second.csv", "first.csv"])
        #expect((5...7).map { text("U\($0)") } == ["added", "replacement_cost_gbp, criticality", "added"])
        let user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        #expect((5...7).map { text("S\($0)") } == [user, user, user])
    }
}
