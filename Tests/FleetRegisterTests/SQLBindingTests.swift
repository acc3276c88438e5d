import FleetCore
import FleetRegister
import Foundation
import Testing

@Suite("SQL is built from the schema's names; values are bound")
struct SQLBindingTests {
    /// Every interpolation in SQL text (`sql:` arguments) of the package's sources names schema identifiers — a
    /// table, its column list, `?` placeholders, the update list built from the columns — never a value. Values go
    /// through `StatementArguments` or GRDB's query interface, which binds them.
    @Test func sqlTextInterpolatesOnlySchemaNames() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let allowed: Set<String> = [
            "table", "columns.joined(separator: \", \")", "placeholders", "key.joined(separator: \", \")", "updates",
        ]
        let interpolation = try NSRegularExpression(pattern: #"\\\(((?:[^()]|\([^()]*\))*)\)"#)
        var statements = 0
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let lines = try String(contentsOf: file, encoding: .utf8).split(
                separator: "\n",
                omittingEmptySubsequences: false
            )
            for (index, line) in lines.enumerated() where line.contains("sql:") {
                statements += 1
                // The statement's text: this line and any `+ "..."` continuation lines.
                var text = String(line)
                var next = index + 1
                while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).hasPrefix("+ \"") {
                    text += lines[next]
                    next += 1
                }
                let range = NSRange(text.startIndex..., in: text)
                for match in interpolation.matches(in: text, range: range) {
                    let expression = String(text[Range(match.range(at: 1), in: text)!])
                    if !allowed.contains(expression) {
                        Issue.record("\(file.lastPathComponent):\(index + 1): SQL interpolates '\(expression)'")
                    }
                }
            }
        }
        #expect(statements >= 3, "the scan found the store's statements")
    }

    /// An asset id written as an injection is an asset id.
    @Test func injectionLikeIdentifiersAreStoredVerbatim() throws {
        let store = try SQLiteRegisterStore.makeInMemory()
        let ids = ["x'); DROP TABLE asset;--", "' OR '1'='1", "Robert\"); DELETE FROM utilisation; --", "a;b", "\\"]
        _ = try store.upsert(assets: ids.map { makeAsset($0, trust: "' OR 1=1 --") })
        #expect(try store.assets(matching: .all).map(\.id.rawValue).sorted() == ids.sorted())
        #expect(try store.assets(matching: AssetFilter(trust: TrustName("' OR 1=1 --"))).count == ids.count)
        #expect(try store.assets(matching: AssetFilter(trust: TrustName("x' OR '1'='1"))).isEmpty)
        let records = ids.map {
            UtilisationRecord(assetID: AssetID($0), month: YearMonth(year: 2025, month: 1)!, scans: 1)
        }
        _ = try store.upsert(utilisation: records)
        #expect(
            try store.utilisation(from: YearMonth(year: 2025, month: 1)!, through: YearMonth(year: 2025, month: 1)!)
                .count == ids.count
        )
        #expect(try store.dump().contains("CREATE TABLE \"asset\""))
    }
}
