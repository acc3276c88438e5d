import FleetTestSupport
import Foundation
import Testing

/// The SHA-256 of the file at `url` by Python's hashlib (a hash nobody here wrote).
func pythonSHA256(_ url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", "-c", "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
        url.path,
    ]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

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
    }
}
