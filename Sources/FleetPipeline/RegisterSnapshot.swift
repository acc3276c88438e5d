import FleetCore
import FleetPriority
import FleetRegister

/// The part of the register one run of the pipeline reads: the units in scope and their utilisation before
/// as-of (the priority model reads the last 12 months for its criteria and all earlier months for the
/// operating-cost fit of the economic life).
public struct RegisterSnapshot: Sendable {
    /// The units in scope, in the store's order (network, trust, site, asset id).
    public var assets: [Asset]
    /// Their utilisation records before as-of's month, by asset and month.
    public var utilisation: [UtilisationRecord]
    /// The day the ranking and ages are taken at.
    public var asOf: Day

    /// A snapshot of given values (tests, benchmarks, generated registers).
    public init(assets: [Asset], utilisation: [UtilisationRecord], asOf: Day) {
        self.assets = assets
        self.utilisation = utilisation
        self.asOf = asOf
    }

    /// Reads the units that `filter` selects and their utilisation before as-of's month from `store`.
    /// - Throws: the store's error (exit 4) when the database cannot be read.
    public static func load(from store: any RegisterStore, filter: AssetFilter, asOf: Day) throws -> RegisterSnapshot {
        let assets = try store.assets(matching: filter)
        let inScope = Set(assets.map(\.id))
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
        return RegisterSnapshot(assets: assets, utilisation: records, asOf: asOf)
    }

    /// The networks of the units in scope, in order; units without a network count as one unnamed network.
    public var networks: [NetworkName?] {
        var seen: Set<NetworkName?> = []
        return assets.compactMap { seen.insert($0.network).inserted ? .some($0.network) : nil }
    }
}
