import FleetCore
import FleetPriority
import FleetRegister
import Foundation

/// The part of the register one run of the pipeline reads: the units in scope and their utilisation before
/// as-of (the priority model reads the last 12 months for its criteria and all earlier months for the
/// operating-cost fit of the economic life).
public struct RegisterSnapshot: Sendable {
    /// The units in scope, in the store's order (network, trust, site, asset id).
    public var assets: [Asset]
    /// The decommissioned units in scope, read only when asked (capacity planning: the scans they made in the
    /// last 12 months are demand the units in service now carry); ranked by nothing.
    public var decommissioned: [Asset] = []
    /// Every unit read, in the store's order, as the register holds them: `assets`, and the decommissioned units in
    /// scope too when they were read (``load(from:filter:asOf:readingDecommissioned:keepingEveryUnit:)``).
    public var units: [Asset]
    /// The utilisation records of `assets` and `decommissioned` before as-of's month, by asset and month.
    public var utilisation: [UtilisationRecord]
    /// The day the ranking and ages are taken at.
    public var asOf: Day

    /// A snapshot of given values (tests, benchmarks, generated registers).
    public init(assets: [Asset], utilisation: [UtilisationRecord], asOf: Day) {
        self.assets = assets
        units = assets
        self.utilisation = utilisation
        self.asOf = asOf
    }

    /// Reads the units that `filter` selects and their utilisation before as-of's month from `store`.
    /// - Parameters:
    ///   - readingDecommissioned: also the decommissioned units the filter would select with them, apart, in
    ///     ``decommissioned``, with their utilisation (capacity planning's demand).
    ///   - keepingEveryUnit: also those decommissioned units in ``units`` alone, in the store's order with the
    ///     others (a workbook's Register sheet lists every unit), without their utilisation.
    /// - Throws: the store's error (exit 4) when the database cannot be read.
    public static func load(
        from store: any RegisterStore,
        filter: AssetFilter,
        asOf: Day,
        readingDecommissioned: Bool = false,
        keepingEveryUnit: Bool = false
    ) throws -> RegisterSnapshot {
        let first = YearMonth(year: 1, month: 1)!
        let last = asOf.yearMonth.adding(months: -1)
        // The units and the utilisation are two reads of their own (as they were one after the other). On SQLite
        // they are made at once, on two of the pool's connections, so the feed's read does not wait for the units'.
        var everyUnit = filter
        if readingDecommissioned || keepingEveryUnit { everyUnit.includesDecommissioned = true }
        let reads = ConcurrentReads(
            concurrently: store is SQLiteRegisterStore,
            { try store.assets(matching: everyUnit) },
            { last < first ? [] : try store.utilisation(from: first, through: last) }
        )
        let units = try reads.first.get()
        var assets = units
        var records = try reads.second.get()
        var decommissioned: [Asset] = []
        if everyUnit.includesDecommissioned, !filter.includesDecommissioned {
            if readingDecommissioned { decommissioned = assets.filter { $0.status != .inService } }
            assets.removeAll { $0.status != .inService }
        }
        let inScope = Set(assets.map(\.id)).union(decommissioned.map(\.id))
        // One look-up per unit: the store gives each unit's records together.
        var lastID: AssetID?
        var lastInScope = false
        func isInScope(_ record: UtilisationRecord) -> Bool {
            if record.assetID != lastID {
                lastID = record.assetID
                lastInScope = inScope.contains(record.assetID)
            }
            return lastInScope
        }
        // Filtered only when some record is out of scope (a whole register's ranking keeps them all): the array
        // may still be shared with the finished read, so filtering it in place would first copy all of it.
        if !records.allSatisfy(isInScope) {
            lastID = nil
            records = records.filter(isInScope)
        }
        var snapshot = RegisterSnapshot(assets: assets, utilisation: records, asOf: asOf)
        snapshot.decommissioned = decommissioned
        snapshot.units = units
        return snapshot
    }

    /// The networks of the units in scope, in order; units without a network count as one unnamed network.
    public var networks: [NetworkName?] {
        var seen: Set<NetworkName?> = []
        return assets.compactMap { seen.insert($0.network).inserted ? .some($0.network) : nil }
    }
}

/// Two reads, each result kept (success or error); run at once (the second on a thread of its own) when
/// `concurrently`, else one after the other.
private struct ConcurrentReads<First: Sendable, Second: Sendable> {
    var first: Result<First, any Error>
    var second: Result<Second, any Error>

    init(concurrently: Bool, _ first: () throws -> First, _ second: @escaping @Sendable () throws -> Second) {
        guard concurrently else {
            self.first = Result { try first() }
            self.second = Result { try second() }
            return
        }
        let box = ResultBox<Second>()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { box.result = Result { try second() } }
        self.first = Result { try first() }
        group.wait()
        self.second = box.result ?? .failure(CancellationError())
    }
}

/// The second read's result, written by its thread before the group is left and read after the wait.
private final class ResultBox<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}
