import FleetCore
import FleetPriority
import FleetRegister

/// The part of the register one run of the pipeline reads: the units in scope and their utilisation before
/// as-of (the priority model reads the last 12 months for its criteria and all earlier months for the
/// operating-cost fit of the economic life).
public struct RegisterSnapshot: Sendable {
    /// The units in scope, in the store's order (network, trust, site, asset id).
    public var assets: [Asset]
    /// The decommissioned units in scope, read only when asked (capacity planning: the scans they made in the
    /// last 12 months are demand the units in service now carry); ranked by nothing.
    public var decommissioned: [Asset] = []
    /// The utilisation records of `assets` and `decommissioned` before as-of's month, by asset and month.
    public var utilisation: [UtilisationRecord]
    /// The day the ranking and ages are taken at.
    public var asOf: Day

    /// A snapshot of given values (tests, benchmarks, generated registers).
    public init(assets: [Asset], utilisation: [UtilisationRecord], asOf: Day) {
        self.assets = assets
        self.utilisation = utilisation
        self.asOf = asOf
    }

    /// Reads the units that `filter` selects and their utilisation before as-of's month from `store`; with
    /// `readingDecommissioned`, also the decommissioned units the filter would select with them, apart, in
    /// ``decommissioned``.
    /// - Throws: the store's error (exit 4) when the database cannot be read.
    public static func load(
        from store: any RegisterStore,
        filter: AssetFilter,
        asOf: Day,
        readingDecommissioned: Bool = false
    ) throws -> RegisterSnapshot {
        var assets: [Asset]
        var decommissioned: [Asset] = []
        if readingDecommissioned, !filter.includesDecommissioned {
            var everyUnit = filter
            everyUnit.includesDecommissioned = true
            assets = try store.assets(matching: everyUnit)
            decommissioned = assets.filter { $0.status != .inService }
            assets.removeAll { $0.status != .inService }
        } else {
            assets = try store.assets(matching: filter)
        }
        let inScope = Set(assets.map(\.id)).union(decommissioned.map(\.id))
        let first = YearMonth(year: 1, month: 1)!
        let last = asOf.yearMonth.adding(months: -1)
        var records = last < first ? [] : try store.utilisation(from: first, through: last)
        // In place, and one look-up per unit: the store gives each unit's records together.
        var lastID: AssetID?
        var lastInScope = false
        records.removeAll { record in
            if record.assetID != lastID {
                lastID = record.assetID
                lastInScope = inScope.contains(record.assetID)
            }
            return !lastInScope
        }
        var snapshot = RegisterSnapshot(assets: assets, utilisation: records, asOf: asOf)
        snapshot.decommissioned = decommissioned
        return snapshot
    }

    /// The networks of the units in scope, in order; units without a network count as one unnamed network.
    public var networks: [NetworkName?] {
        var seen: Set<NetworkName?> = []
        return assets.compactMap { seen.insert($0.network).inserted ? .some($0.network) : nil }
    }
}
