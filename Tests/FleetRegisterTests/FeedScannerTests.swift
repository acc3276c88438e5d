import FleetCore
import Foundation
import Testing

@testable import FleetRegister

/// The byte scan of a plain CSV feed against the general reader: every file reads to the same records, or is
/// refused with the same messages, and the scan takes the plain files itself.
@Suite("Utilisation feed, byte scan")
struct FeedScannerTests {
    static let header = "asset_id,month,scans,available_hours,downtime_hours,breakdowns,service_cost_gbp"
    static let known: Set<AssetID> = ["CT-1", "MR-2", "=X"]

    /// What the general reader makes of `bytes` written to a file: the records, or the error's text.
    func general(_ bytes: [UInt8], file: String = "feed.csv", known: Set<AssetID>? = known) throws -> String {
        let url = try write(bytes, file: file)
        do {
            let prepared = try RegisterImport.prepareTable(
                contentsOf: url,
                displayName: file,
                kind: "utilisation",
                options: ImportOptions()
            )
            return "\(try RegisterImport.readUtilisation(prepared.table, today: testToday, knownAssets: known))"
        } catch {
            return "\(error)"
        }
    }

    /// What ``UtilisationFeedFile`` makes of `bytes` written to a file, and whether the scan read it.
    func scanned(_ bytes: [UInt8], file: String = "feed.csv", known: Set<AssetID>? = known) throws -> (String, Bool) {
        let url = try write(bytes, file: file)
        let feed: UtilisationFeedFile
        do {
            feed = try UtilisationFeedFile.read(contentsOf: url, displayName: file, options: ImportOptions())
        } catch {
            return ("\(error)", false)
        }
        #expect(feed.source.sha256 == SHA256.hex(of: Data(bytes)))
        do {
            return ("\(try feed.records(today: testToday, knownAssets: known))", feed.isScanned)
        } catch {
            return ("\(error)", feed.isScanned)
        }
    }

    private func write(_ bytes: [UInt8], file: String) throws -> URL {
        let url = try makeTemporaryDirectory().appendingPathComponent(file)
        try Data(bytes).write(to: url)
        return url
    }

    @Test(arguments: [
        // Plain files the scan reads itself.
        ("CT-1,2025-05,1234,400,12,2,1500\nMR-2,2025-06,0,,,,\n", true),
        ("CT-1,2025-05,1234,400,12,2,1500\r\nMR-2,2025-06,0,,,,\r\n", true),
        ("CT-1,2025-05,12\nMR-2,2025-04,3,,,,,,\n\n,,,,,,\nCT-1,2025-04,0,744,744,10000,999999999999\n", true),
        ("MR-2,2025-05,1,,,,\nCT-1,2025-05,2,,,,\nMR-2,2025-04,3,,,,\nCT-1,2025-04,4,,,,", true),
        // Cells the scan hands to the column's general reader, one by one.
        ("CT-1,2025-05, 12 ,400.5,1.25,,1500.75\n'=X,2025-05,1,,,,", true),
        ("CT-1,2025-5,12,,,,\n", false),
        // Values the general reader refuses, and checks that fail: the general reader's messages.
        ("CT-1,2025-13,12,,,,", false), ("CT-1,2025-05,-1,,,,", false), ("XR-9,2025-05,1,,,,", false),
        ("CT-1,2025-07,1,,,,", false), ("CT-1,2025-06,1,721,,,", false), ("CT-1,2025-05,1,10,11,,", false),
        ("CT-1,2025-05,1,,,,\nMR-2,2025-05,1,,,,\nCT-1,2025-05,2,,,,", false), (",2025-05,1,,,,", false),
        ("CT-1,,1,,,,", false), ("CT-1,2025-05,1,,,,,7", false), ("CT-1,2025-05,10000001,,,,", false),
        // What the scan leaves to the general reader whole.
        ("\"CT-1\",2025-05,1,,,,", false), ("CT-1,2025-05,\"1,200\",,,,", false), ("CT-1\r2025-05,1,,,,", false),
        ("CT-é,2025-05,1,,,,", false),
    ])
    func readsAsTheGeneralReaderDoes(rows: String, scans: Bool) throws {
        let bytes = Array("\(Self.header)\n\(rows)".utf8)
        let (result, wasScanned) = try scanned(bytes)
        #expect(try result == general(bytes))
        if scans { #expect(wasScanned, "\(result)") }
    }

    @Test func filesTheScanDoesNotTakeReadAsTheGeneralReaderReadsThem() throws {
        let cases: [(String, [UInt8])] = [
            ("feed.csv", Array("asset_id;month;scans\nCT-1;2025-05;1\n".utf8)),
            ("feed.csv", Array("Asset ID,Month,Scans,Notes\nCT-1,2025-05,1,\"a, b\"\n".utf8)),
            ("feed.csv", Array("month,scans\n2025-05,1\n".utf8)),
            ("feed.csv", Array("\n\(Self.header)\nCT-1,2025-05,1,,,,\n".utf8)),
            ("feed.xlsx", Array("\(Self.header)\nCT-1,2025-05,1,,,,\n".utf8)),
            ("feed.csv", [0xFF, 0xFE] + Array("a\0s\0".utf8)),
            ("feed.csv", Array("\(Self.header)\nCT-1,2025-05,1,,,,\0\n".utf8)),
        ]
        for (file, bytes) in cases {
            let (result, _) = try scanned(bytes, file: file)
            #expect(try result == general(bytes, file: file), "\(file) \(bytes.prefix(40))")
        }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array("\(Self.header)\r\nCT-1,2025-05,12,,,,\r\n".utf8)
        let (result, wasScanned) = try scanned(bytes)
        #expect(wasScanned)
        #expect(try result == general(bytes))
    }

    @Test func withoutARegisterEveryAssetIsTaken() throws {
        let bytes = Array("\(Self.header)\nZZ-9,2025-05,1,,,,\n".utf8)
        let (result, wasScanned) = try scanned(bytes, known: nil)
        #expect(wasScanned)
        #expect(try result == general(bytes, known: nil))
    }

    @Test func aGeneratedFeedIsScannedToTheGeneralReadersRecords() throws {
        // Every unit's months together, as `fleet generate` and most exports write them, and as month by month.
        var lines = [Self.header]
        var rng = SplitMix64(seed: 11)
        for unit in 0..<40 {
            for month in 1...12 {
                let available = Int(rng.next() % 400)
                lines.append(
                    "U-\(unit),2024-\(month < 10 ? "0" : "")\(month),\(rng.next() % 5000),\(available),"
                        + "\(Int(rng.next() % 40) % (available + 1)),\(rng.next() % 4),\(rng.next() % 90_000)"
                )
            }
        }
        let known = Set((0..<40).map { AssetID("U-\($0)") })
        let byUnit = Array(lines.joined(separator: "\n").utf8)
        let byMonth = Array(
            ([lines[0]]
                + lines.dropFirst().sorted { ($0.split(separator: ",")[1], $0) < ($1.split(separator: ",")[1], $1) })
                .joined(separator: "\n").utf8
        )
        for bytes in [byUnit, byMonth] {
            let (result, wasScanned) = try scanned(bytes, known: known)
            #expect(wasScanned)
            #expect(try result == general(bytes, known: known))
        }
    }
}

@Suite("Insertion log")
struct InsertionLogTests {
    @Test func readsBackWhatItWrote() throws {
        let long = AssetID(String(repeating: "L", count: 300))
        let entries: [(Int, AssetID, YearMonth?)] = [
            (0, "CT-1", YearMonth(year: 2024, month: 1)), (1, "CT-1", YearMonth(year: 2024, month: 2)),
            (5, "MR-2", nil), (6, long, YearMonth(ordinal: -13)), (200, "CT-1", YearMonth(year: 9999, month: 12)),
            (201, "", nil),
        ]
        var log = InsertionLog()
        for (position, asset, month) in entries { log.append(position: position, assetID: asset, month: month) }
        #expect(log.count == entries.count)
        let read = try #require(InsertionLog.decode(log.bytes))
        #expect(read.map(\.position) == entries.map(\.0))
        #expect(read.map(\.change) == entries.map { RegisterChange(assetID: $0.1, month: $0.2) })
        let ct1 = try #require(InsertionLog.decode(log.bytes, only: "CT-1"))
        #expect(ct1.map(\.position) == [0, 1, 200])
        #expect(InsertionLog.decode(Array(log.bytes.dropLast(2))) == nil)
    }
}
