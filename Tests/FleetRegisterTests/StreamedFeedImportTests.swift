import FleetCore
import Foundation
import Testing

@testable import FleetRegister

/// A feed's rows written while the file is still being scanned (``SQLiteRegisterStore/insertNewUtilisation(_:today:)``):
/// the register it leaves is the one the whole-file upsert leaves, and whenever it cannot tell that every row is new
/// and good, it writes nothing and the upsert takes the file.
@Suite("Utilisation feed, rows written while scanned")
struct StreamedFeedImportTests {
    static let assets = (1...400).map { String(format: "A%03d", $0) }

    /// A store holding ``assets``.
    func makeStore() throws -> SQLiteRegisterStore {
        let store = try SQLiteRegisterStore.makeInMemory()
        _ = try store.upsert(assets: Self.assets.map { makeAsset($0) })
        return store
    }

    /// One record per asset and month, asset by asset (the table's key order), or month by month.
    func records(months: [YearMonth], monthByMonth: Bool = false) -> [UtilisationRecord] {
        let assets = Self.assets.indices
        let pairs =
            monthByMonth
            ? months.flatMap { month in assets.map { ($0, month) } }
            : assets.flatMap { asset in months.map { (asset, $0) } }
        return pairs.map { asset, month in
            // Values vary with the asset and month, whatever the order.
            let index = asset * 31 + month.ordinal
            return UtilisationRecord(
                assetID: AssetID(Self.assets[asset]),
                month: month,
                scans: index % 997,
                availableHours: index % 3 == 0 ? nil : 300.5,
                downtimeHours: index % 3 == 0 ? nil : Double(index % 40),
                breakdowns: index % 5 == 0 ? nil : index % 4,
                serviceCostGBP: index % 2 == 0 ? nil : GBP(Double(index % 1000) + 0.25)
            )
        }
    }

    func csv(_ records: [UtilisationRecord]) -> String {
        var text = "asset_id,month,scans,available_hours,downtime_hours,breakdowns,service_cost_gbp\n"
        func cell(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        for record in records {
            text += "\(record.assetID),\(UtilisationRow.text(of: record.month)),\(record.scans),"
            text += "\(cell(record.availableHours)),\(cell(record.downtimeHours)),"
            text += "\(record.breakdowns.map(String.init) ?? ""),\(cell(record.serviceCostGBP?.pounds))\n"
        }
        return text
    }

    /// The database as text, with the import times (which differ between two stores) masked.
    func dump(_ store: SQLiteRegisterStore) throws -> String {
        try store.dump().replacing(#/'\d{4}-\d\d-\d\dT[0-9:.]+Z'/#, with: "'AT'")
    }

    static let months = (1...24).map { YearMonth(year: 2023 + ($0 - 1) / 12, month: ($0 - 1) % 12 + 1)! }

    @Test func aFirstImportLeavesTheRegisterTheWholeFileUpsertLeaves() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feed = records(months: Self.months)
        #expect(feed.count > FeedRows.chunkSize)
        let url = folder.appendingPathComponent("feed.csv")
        try csv(feed).write(to: url, atomically: true, encoding: .utf8)

        let streamed = try makeStore()
        let summary = try RegisterImport.importUtilisation(
            file: url,
            displayName: "feed.csv",
            into: streamed,
            today: testToday
        )
        #expect(summary.description == "feed.csv: 9,600 rows read, 9,600 inserted, 0 updated")
        let whole = try makeStore()
        _ = try whole.upsert(utilisation: feed, from: ImportSource(file: "feed.csv", contentsOf: url))
        #expect(try dump(streamed) == dump(whole))
        #expect(try streamed.utilisation(from: Self.months[0], through: Self.months[23]) == feed)
    }

    /// Hands `records` over as a scan would, in chunks, and ends the hand-over (`scanned` false: the scan gave up).
    func hand(_ records: [UtilisationRecord], scanned: Bool = true) -> FeedRows {
        let rows = FeedRows()
        var start = 0
        while start < records.count {
            let end = min(start + FeedRows.chunkSize, records.count)
            rows.hand(Array(records[start..<end]))
            start = end
        }
        rows.finish(scanned: scanned ? ImportSource(file: "feed.csv", sha256: "") : nil)
        return rows
    }

    @Test func rowsAllNewAreInsertedAndRecordedAsOneImport() throws {
        let store = try makeStore()
        let first = records(months: Array(Self.months.prefix(12)))
        #expect(
            try store.insertNewUtilisation(hand(first), today: testToday) == UpsertSummary(inserted: 4800, updated: 0)
        )
        // The next months' rows are new too, beside the stored ones.
        let next = records(months: Array(Self.months.dropFirst(12)))
        #expect(
            try store.insertNewUtilisation(hand(next), today: testToday) == UpsertSummary(inserted: 4800, updated: 0)
        )
        let history = try store.history(of: nil)
        #expect(history.map(\.inserted) == [400, 4800, 4800])
        #expect(history.last?.changes.count == 4800)
    }

    enum Refusal: String, CaseIterable {
        case stored, outOfOrder, repeated, unknownAsset, futureMonth, downtimeOverHours, hoursOverTheMonth
        case scanGaveUp
    }

    @Test(arguments: Refusal.allCases)
    func rowsNotAllNewAndGoodWriteNothing(_ refusal: Refusal) throws {
        let store = try makeStore()
        _ = try store.upsert(utilisation: records(months: [Self.months[0]]))
        let before = try store.dump()
        var feed = records(months: Array(Self.months.dropFirst()))
        let last = feed.count - 1
        switch refusal {
        case .stored: feed[last].month = Self.months[0]
        case .outOfOrder: feed.swapAt(100, 101)
        case .repeated: feed[last] = feed[last - 1]
        case .unknownAsset: feed[last].assetID = "Z999"
        case .futureMonth: feed[last].month = YearMonth(year: 2025, month: 7)!
        case .downtimeOverHours: (feed[last].availableHours, feed[last].downtimeHours) = (10, 11)
        case .hoursOverTheMonth: feed[last].availableHours = 745
        case .scanGaveUp: break
        }
        if refusal == .stored { feed.sort { ($0.assetID, $0.month.ordinal) < ($1.assetID, $1.month.ordinal) } }
        let rows = hand(feed, scanned: refusal != .scanGaveUp)
        #expect(try store.insertNewUtilisation(rows, today: testToday) == nil)
        #expect(try store.dump() == before)
    }

    @Test func aFeedAlreadyStoredOrOutOfOrderIsUpsertedWhole() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try makeStore()
        let url = folder.appendingPathComponent("feed.csv")
        // Month by month: not the table's key order.
        try csv(records(months: Self.months, monthByMonth: true)).write(to: url, atomically: true, encoding: .utf8)
        let first = try RegisterImport.importUtilisation(
            file: url,
            displayName: "feed.csv",
            into: store,
            today: testToday
        )
        #expect(first.description == "feed.csv: 9,600 rows read, 9,600 inserted, 0 updated")
        var changed = records(months: Self.months)
        changed[5].scans += 1
        try csv(changed).write(to: url, atomically: true, encoding: .utf8)
        let again = try RegisterImport.importUtilisation(
            file: url,
            displayName: "feed.csv",
            into: store,
            today: testToday
        )
        #expect(again.description == "feed.csv: 9,600 rows read, 0 inserted, 9,600 updated")
        #expect(try store.utilisation(from: Self.months[0], through: Self.months[23]) == changed)
        #expect(try store.history(of: nil).last?.changes.map(\.field) == ["scans"])
    }

    @Test func aFileThatCannotBeReadIsNamedBeforeAStoreThatCannotBeOpened() throws {
        struct Unopenable: Error {}
        #expect(throws: FileFailure.self) {
            try RegisterImport.importUtilisation(
                file: URL(fileURLWithPath: "/nonexistent/feed.csv"),
                displayName: "feed.csv",
                openingStore: { throw Unopenable() },
                today: testToday
            )
        }
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("feed.csv")
        try csv(records(months: [Self.months[0]])).write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: Unopenable.self) {
            try RegisterImport.importUtilisation(
                file: url,
                displayName: "feed.csv",
                openingStore: { throw Unopenable() },
                today: testToday
            )
        }
    }
}

/// The upsert of records over stored ones, which walks both in key order instead of looking each key up, against
/// the plain reading of the contract: every record replaces the stored one with its key, and the history names each
/// insertion and each field whose text changed, in the order of the records.
@Suite("Utilisation upsert over stored rows")
struct UtilisationUpsertTests {
    @Test(arguments: 1...12)
    func matchesTheContractWhateverTheOrderAndOverlap(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let assets = (1...30).map { AssetID(String(format: "U%02d", $0)) }
        let months = (1...12).map { YearMonth(year: 2024, month: $0)! }
        func values(_ asset: AssetID, _ month: YearMonth) -> UtilisationRecord {
            let hours = random.next() % 3 == 0 ? nil : Double(random.next() % 500) / 2
            return UtilisationRecord(
                assetID: asset,
                month: month,
                scans: Int(random.next() % 4),
                availableHours: hours,
                downtimeHours: hours.map { _ in Double(random.next() % 3) },
                breakdowns: random.next() % 2 == 0 ? nil : Int(random.next() % 2),
                serviceCostGBP: random.next() % 2 == 0 ? nil : GBP(Double(random.next() % 3))
            )
        }
        let store = try SQLiteRegisterStore.makeInMemory()
        _ = try store.upsert(assets: assets.map { makeAsset($0.rawValue) })
        var table: [UtilisationKey: UtilisationRecord] = [:]
        let stored = assets.flatMap { asset in months.map { (asset, $0) } }.filter { _ in random.next() % 2 == 0 }
            .map { values($0.0, $0.1) }
        _ = try store.upsert(utilisation: stored)
        for record in stored { table[UtilisationKey(record)] = record }

        // Some keys stored, some new; values the same as stored (small ranges) or not; in key order or shuffled.
        var records = assets.flatMap { asset in months.map { (asset, $0) } }.filter { _ in random.next() % 3 != 0 }
            .map { values($0.0, $0.1) }
        if seed % 2 == 0 { records.shuffle(using: &random) }
        var expected = RegisterDiff()
        for record in records {
            let key = UtilisationKey(record)
            if let before = table[key] {
                expected.updated += 1
                let (old, new) = (UtilisationFile.fields(of: before), UtilisationFile.fields(of: record))
                for (index, name) in UtilisationFile.columns.enumerated() where old[index] != new[index] {
                    expected.changes.append(
                        RegisterChange(
                            assetID: record.assetID,
                            month: record.month,
                            field: name,
                            old: old[index],
                            new: new[index]
                        )
                    )
                }
            } else {
                expected.inserted += 1
                expected.changes.append(RegisterChange(assetID: record.assetID, month: record.month))
            }
            table[key] = record
        }
        let summary = try store.upsert(utilisation: records)
        #expect(summary == expected.summary)
        #expect(try store.history(of: nil).last?.changes == expected.changes)
        let all = try store.utilisation(from: months[0], through: months[11])
        #expect(all == table.values.sorted { ($0.assetID, $0.month.ordinal) < ($1.assetID, $1.month.ordinal) })
    }

    @Test func recordsAreTheSameOnlyWhenEveryValueIsBitForBit() {
        let record = UtilisationRecord(
            assetID: "A",
            month: YearMonth(year: 2024, month: 1)!,
            scans: 1,
            availableHours: 0,
            downtimeHours: 0,
            breakdowns: 0,
            serviceCostGBP: GBP(0)
        )
        #expect(record.hasSameValues(as: record))
        var changes: [(inout UtilisationRecord) -> Void] = [
            { $0.assetID = "B" }, { $0.month = YearMonth(year: 2024, month: 2)! }, { $0.scans = 2 },
            { $0.availableHours = nil }, { $0.downtimeHours = 1 }, { $0.breakdowns = nil },
            { $0.serviceCostGBP = nil },
        ]
        // Equal as numbers, written alike, and still not the same bits.
        changes.append { $0.availableHours = -0.0 }
        for change in changes {
            var other = record
            change(&other)
            #expect(!record.hasSameValues(as: other))
        }
    }
}
