import FleetCore
import FleetRegister
import Foundation
import Testing

/// What every register backend must do alike; each test runs against SQLite and, where a test cluster is given
/// (`FLEET_TEST_POSTGRES_URL`), PostgreSQL.
@Suite("Register store, every backend")
struct RegisterStoreContractTests {
    @Test(arguments: StoreBackend.available) func upsertUpdatesRatherThanDuplicates(backend: StoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let first = try store.upsert(assets: [makeAsset("CT-1"), makeAsset("CT-2")])
        #expect(first == UpsertSummary(inserted: 2, updated: 0))
        let second = try store.upsert(assets: [makeAsset("CT-2", site: "Annexe"), makeAsset("CT-3")])
        #expect(second == UpsertSummary(inserted: 1, updated: 1))
        let assets = try store.assets(matching: .all)
        #expect(assets.map(\.id) == ["CT-2", "CT-1", "CT-3"])  // the Annexe sorts before General
        #expect(assets.first?.site == "Annexe")
    }

    @Test(arguments: StoreBackend.available) func aReimportedAssetReplacesTheStoredOneWhole(
        backend: StoreBackend
    ) throws {
        guard let store = try backend.makeStore() else { return }
        var full = makeAsset("CT-1", notes: "old")
        full.manufacturer = "Siemens"
        full.criticality = 4
        full.endOfSupport = day(2030, 1, 1)
        _ = try store.upsert(assets: [full])
        let bare = makeAsset("CT-1", replacementCost: nil)
        _ = try store.upsert(assets: [bare])
        #expect(try store.assets(matching: .all) == [bare])
    }

    @Test(arguments: StoreBackend.available) func everyFieldRoundTrips(backend: StoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let asset = Asset(
            id: "MR-7",
            network: "North",
            trust: "Ashby",
            site: "CDC",
            modality: .mr,
            equipmentClass: "MR-3T",
            manufacturer: "GE",
            model: "Signa",
            isMobile: true,
            installDate: day(2012, 2, 29),
            replacementCostGBP: GBP(1_000_000.25),
            serviceCostGBPPerYear: GBP(100_000),
            endOfSupport: day(2024, 2, 29),
            criticality: 5,
            status: .decommissioned,
            notes: "a\nb: c"
        )
        _ = try store.upsert(assets: [asset])
        #expect(try store.assets(matching: .all) == [asset])
        #expect(try store.assetIDs() == ["MR-7"])
    }

    @Test(arguments: StoreBackend.available) func listingIsOrderedDownTheHierarchyAndFiltered(
        backend: StoreBackend
    ) throws {
        guard let store = try backend.makeStore() else { return }
        _ = try store.upsert(assets: [
            makeAsset("Z-1", network: "South", trust: "Barrow", site: "A"),
            makeAsset("B-2", network: "North", trust: "Carlton", site: "A", modality: .mr),
            makeAsset("A-3", network: "North", trust: "Ashby", site: "B", status: .decommissioned),
            makeAsset("A-1", network: "North", trust: "Ashby", site: "B"),
            makeAsset("N-1", network: nil, trust: "Denby", site: "A"),
        ])
        #expect(try store.assets(matching: .all).map(\.id) == ["N-1", "A-1", "A-3", "B-2", "Z-1"])
        #expect(try store.assets(matching: .inService).map(\.id) == ["N-1", "A-1", "B-2", "Z-1"])
        #expect(try store.assets(matching: AssetFilter(network: "north")).map(\.id) == ["A-1", "A-3", "B-2"])
        #expect(try store.assets(matching: AssetFilter(trust: "ASHBY")).map(\.id) == ["A-1", "A-3"])
        #expect(try store.assets(matching: AssetFilter(site: "a", modality: .ct)).map(\.id) == ["N-1", "Z-1"])
        #expect(try store.assets(matching: AssetFilter(trust: "Nowhere")).isEmpty)
    }

    @Test(arguments: StoreBackend.available) func utilisationIsUpsertedAndReadByMonthRange(backend: StoreBackend) throws
    {
        guard let store = try backend.makeStore() else { return }
        _ = try store.upsert(assets: [makeAsset("CT-1"), makeAsset("CT-2")])
        func record(_ id: AssetID, _ month: Int, scans: Int) -> UtilisationRecord {
            UtilisationRecord(
                assetID: id,
                month: YearMonth(year: 2024, month: month)!,
                scans: scans,
                availableHours: 300
            )
        }
        let first = try store.upsert(utilisation: [
            record("CT-2", 1, scans: 5), record("CT-1", 2, scans: 7), record("CT-1", 1, scans: 6),
        ])
        #expect(first == UpsertSummary(inserted: 3, updated: 0))
        let second = try store.upsert(utilisation: [record("CT-1", 1, scans: 60), record("CT-1", 3, scans: 8)])
        #expect(second == UpsertSummary(inserted: 1, updated: 1))
        let read = try store.utilisation(
            from: YearMonth(year: 2024, month: 1)!,
            through: YearMonth(year: 2024, month: 2)!
        )
        #expect(read == [record("CT-1", 1, scans: 60), record("CT-1", 2, scans: 7), record("CT-2", 1, scans: 5)])
    }

    @Test(arguments: StoreBackend.available)
    func utilisationForAnUnknownAssetIsRefusedAndNothingIsWritten(backend: StoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        _ = try store.upsert(assets: [makeAsset("CT-1")])
        let before = try snapshot(store)
        let records = [
            UtilisationRecord(assetID: "CT-1", month: YearMonth(year: 2024, month: 1)!, scans: 5),
            UtilisationRecord(assetID: "XR-404", month: YearMonth(year: 2024, month: 1)!, scans: 5),
        ]
        #expect(throws: RegisterStoreError.self) { try store.upsert(utilisation: records) }
        #expect(try snapshot(store) == before)
    }

    @Test(arguments: StoreBackend.available)
    func everyImportIsInTheHistoryWithItsFileAndEachChangedField(backend: StoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let first = ImportSource(file: "first.csv", sha256: String(repeating: "a", count: 64))
        let second = ImportSource(file: "second.csv", sha256: String(repeating: "b", count: 64))
        _ = try store.upsert(assets: [makeAsset("CT-1"), makeAsset("CT-2")], from: first)
        var moved = makeAsset("CT-2", site: "Annexe", replacementCost: 950_000.5)
        moved.criticality = 3
        let summary = try store.upsert(assets: [makeAsset("CT-1"), moved, makeAsset("CT-3")], from: second)
        #expect(summary == UpsertSummary(inserted: 1, updated: 2))
        let feed = ImportSource(file: "feed.csv", sha256: String(repeating: "c", count: 64))
        let january = YearMonth(year: 2024, month: 1)!
        _ = try store.upsert(utilisation: [UtilisationRecord(assetID: "CT-2", month: january, scans: 5)], from: feed)
        _ = try store.upsert(
            utilisation: [UtilisationRecord(assetID: "CT-2", month: january, scans: 7, breakdowns: 1)],
            from: feed
        )

        let history = try store.history(of: nil)
        #expect(history.map(\.id) == history.map(\.id).sorted())
        #expect(history.map(\.file) == ["first.csv", "second.csv", "feed.csv", "feed.csv"])
        #expect(history.map(\.kind) == [.register, .register, .utilisation, .utilisation])
        #expect(history.map(\.inserted) == [2, 1, 1, 0])
        #expect(history.map(\.updated) == [0, 2, 0, 1])
        #expect(history.map(\.sha256) == [first.sha256, second.sha256, feed.sha256, feed.sha256])
        #expect(Set(history.map(\.who)) == [backend.writer])
        #expect(history.allSatisfy { $0.at.count == 20 && $0.at.hasSuffix("Z") }, "\(history.map(\.at))")
        #expect(
            history[1].changes == [
                RegisterChange(assetID: "CT-2", field: "site", old: "General", new: "Annexe"),
                RegisterChange(assetID: "CT-2", field: "replacement_cost_gbp", old: "900000", new: "950000.5"),
                RegisterChange(assetID: "CT-2", field: "criticality", old: "", new: "3"),
                RegisterChange(assetID: "CT-3"),
            ]
        )
        #expect(
            history[3].changes == [
                RegisterChange(assetID: "CT-2", month: january, field: "scans", old: "5", new: "7"),
                RegisterChange(assetID: "CT-2", month: january, field: "breakdowns", old: "", new: "1"),
            ]
        )
        // Without insertions: the same imports and counts, and only the fields changed.
        let fields = try store.history(of: nil, insertions: false)
        #expect(fields.map(\.id) == history.map(\.id))
        #expect(fields.map(\.inserted) == [2, 1, 1, 0])
        #expect(fields.map(\.changes) == history.map { $0.changes.filter { !$0.isInsertion } })
        #expect(fields[1].changes.count == 3)
        // One asset's history: the imports that touched it, with its changes alone.
        let ct2 = try store.history(of: "CT-2")
        #expect(ct2.map(\.file) == ["first.csv", "second.csv", "feed.csv", "feed.csv"])
        #expect(ct2[0].changes == [RegisterChange(assetID: "CT-2")])
        #expect(ct2[2].changes == [RegisterChange(assetID: "CT-2", month: january)])
        #expect(try store.history(of: "CT-3").map(\.file) == ["second.csv"])
        #expect(try store.history(of: "XR-404").isEmpty)
    }

    @Test(arguments: StoreBackend.available)
    func eachAssetsLastChangeIsTheLatestRegisterImportThatChangedIt(backend: StoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        let first = ImportSource(file: "first.csv", sha256: String(repeating: "a", count: 64))
        let second = ImportSource(file: "second.csv", sha256: String(repeating: "b", count: 64))
        let third = ImportSource(file: "third.csv", sha256: String(repeating: "d", count: 64))
        _ = try store.upsert(assets: [makeAsset("CT-1"), makeAsset("CT-2")], from: first)
        var moved = makeAsset("CT-2", site: "Annexe")
        moved.criticality = 3
        _ = try store.upsert(assets: [makeAsset("CT-1"), moved], from: second)
        // CT-1 is imported again unchanged, and a feed touches CT-2: neither counts as a change of the unit.
        _ = try store.upsert(assets: [makeAsset("CT-1"), makeAsset("CT-3")], from: third)
        let feed = ImportSource(file: "feed.csv", sha256: String(repeating: "c", count: 64))
        _ = try store.upsert(
            utilisation: [UtilisationRecord(assetID: "CT-2", month: YearMonth(year: 2024, month: 1)!, scans: 5)],
            from: feed
        )

        let history = try store.history(of: nil)
        let last = try store.lastChanges()
        #expect(Set(last.keys) == ["CT-1", "CT-2", "CT-3"])
        #expect(last["CT-1"]?.file == "first.csv")
        #expect(last["CT-1"]?.isInsertion == true)
        #expect(last["CT-1"]?.importID == history[0].id)
        #expect(last["CT-2"]?.file == "second.csv")
        #expect(last["CT-2"]?.changedFields == ["site", "criticality"])
        #expect(last["CT-2"]?.at == history[1].at)
        #expect(last["CT-2"]?.who == backend.writer)
        #expect(last["CT-3"]?.file == "third.csv")
        #expect(last["CT-3"]?.isInsertion == true)
    }

    @Test(arguments: StoreBackend.available)
    func aRefusedImportLeavesNoHistory(backend: StoreBackend) throws {
        guard let store = try backend.makeStore() else { return }
        _ = try store.upsert(assets: [makeAsset("CT-1")])
        var bad = makeAsset("CT-2")
        bad.criticality = 9
        #expect(throws: (any Error).self) { try store.upsert(assets: [makeAsset("CT-1", site: "Moved"), bad]) }
        #expect(try store.history(of: nil).count == 1)
        #expect(try store.assets(matching: .all) == [makeAsset("CT-1")])
    }

    /// Everything a store shows: assets, utilisation and history.
    private func snapshot(_ store: any RegisterStore) throws -> String {
        let feed = try store.utilisation(from: YearMonth(ordinal: 0), through: YearMonth(year: 9999, month: 12)!)
        return "\(try store.assets(matching: .all))\n\(feed)\n\(try store.history(of: nil))"
    }
}
