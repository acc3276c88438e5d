import FleetCore
import Foundation
import Testing

@testable import FleetRegister

/// ``RegisterImportRecord/writeJSON(_:to:)`` writes, a piece at a time, the bytes `JSONEncoder` gives the history
/// whole (the form `fleet history --format json` has always printed).
@Suite("History as JSON, written a piece at a time")
struct HistoryJSONTests {
    /// The history as `JSONEncoder` writes it whole.
    func encodedWhole(_ records: [RegisterImportRecord]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(records)
    }

    /// The history as ``RegisterImportRecord/writeJSON(_:to:)`` writes it, and how many pieces it came in.
    func written(_ records: [RegisterImportRecord]) throws -> (text: Data, pieces: Int) {
        var text = Data()
        var pieces = 0
        try RegisterImportRecord.writeJSON(records) {
            text.append($0)
            pieces += 1
        }
        return (text, pieces)
    }

    func record(id: Int, text: String = "plain", changes: [RegisterChange]) -> RegisterImportRecord {
        RegisterImportRecord(
            id: id,
            who: "role \(text)",
            at: "2026-12-07T21:30:00Z",
            file: "exports/\(text).csv",
            sha256: String(repeating: "ab", count: 32),
            kind: id.isMultiple(of: 2) ? .utilisation : .register,
            inserted: changes.count { $0.isInsertion },
            updated: id * 7,
            changes: changes
        )
    }

    @Test("every character a cell can hold is escaped as JSONEncoder escapes it")
    func awkwardText() throws {
        // Every ASCII character (controls, quotes, backslash, slash, DEL) and some beyond, in every field of text.
        let awkward =
            String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init))) + "é€😀\u{2028}\u{FEFF}"
        let records = [
            record(
                id: 1,
                text: awkward,
                changes: [
                    RegisterChange(assetID: AssetID("CT/1 \"a\""), field: "status", old: awkward, new: ""),
                    RegisterChange(assetID: AssetID(awkward)),
                    RegisterChange(
                        assetID: AssetID("MR-1"),
                        month: YearMonth(year: 2026, month: 3),
                        field: "scans",
                        old: "12",
                        new: "\\n"
                    ),
                ]
            )
        ]
        #expect(try written(records).text == encodedWhole(records))
    }

    @Test("no imports, an import that changed nothing, and several imports read as JSONEncoder writes them")
    func shapes() throws {
        let inserted = RegisterChange(assetID: AssetID("CT-1"))
        let changed = RegisterChange(assetID: AssetID("CT-1"), field: "site", old: "A", new: "B")
        for records in [
            [],
            [record(id: 1, changes: [])],
            [
                record(id: 1, changes: [inserted]), record(id: 2, changes: []),
                record(id: 3, changes: [changed, inserted]),
            ],
        ] {
            let text = try written(records).text
            #expect(text == (try encodedWhole(records)))
            #expect(try JSONDecoder().decode([RegisterImportRecord].self, from: text) == records)
        }
    }

    @Test("a large history comes in pieces of about a megabyte, the same bytes as whole")
    func pieces() throws {
        let changes = (0..<40_000).map { number in
            number.isMultiple(of: 3)
                ? RegisterChange(assetID: AssetID("A\(number)"), field: "status", old: "in service", new: "retired")
                : RegisterChange(assetID: AssetID("A\(number)"), month: YearMonth(year: 2025, month: number % 12 + 1))
        }
        let records = [record(id: 1, changes: changes), record(id: 2, changes: changes.reversed())]
        let (text, pieces) = try written(records)
        #expect(text == (try encodedWhole(records)))
        // About 200 bytes a change: some ten megabytes, written a megabyte at a time.
        #expect(pieces >= text.count / (1 << 20))
        #expect(pieces <= text.count / (1 << 20) + 1)
    }
}
