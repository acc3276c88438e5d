import FleetCore
import Foundation

/// How `fleet capacity` groups its rows.
public enum CapacityGrouping: String, CaseIterable, Sendable, Codable {
    /// One row per trust, modality and year (the spec's rows, and what the optimiser covers).
    case trust
    /// One row per site, modality and year (a mobile unit counts at its base site).
    case site
    /// One row per network, modality and year; its shortfall is the sum of its trusts' (a fixed unit at one
    /// trust does not serve another's patients).
    case network
}

/// Demand against capacity for one group (trust, site or network), modality and year.
public struct CapacityRow: Hashable, Sendable, Codable {
    /// The network; nil for a register that names none.
    public var network: NetworkName?
    /// The trust; nil in a network row.
    public var trust: TrustName?
    /// The site; set in site rows only.
    public var site: SiteName?
    /// The modality.
    public var modality: Modality
    /// The decision year.
    public var year: Int
    /// Scans demanded in the year; nil when a unit of the group has no feed in the 12 months (never taken as 0).
    public var demandScans: Double?
    /// Scans a year the group's units in service give at the target utilisation.
    public var capacityScans: Double
    /// max(0, demand − capacity) (in a network row, the sum of its trusts'); nil when demand is unknown.
    public var shortfallScans: Double?
    /// ⌈shortfall ÷ one fixed addition unit's capacity⌉ (in a network row, the sum of its trusts'); nil when
    /// demand is unknown.
    public var unitsShort: Int?
    /// The units of the group whose feed has no month in the 12 months before as-of.
    public var missingFeed: [AssetID]

    /// Demand ÷ capacity; nil when either is unknown or capacity is 0.
    public var utilisation: Double? {
        guard let demandScans, capacityScans > 0 else { return nil }
        return demandScans / capacityScans
    }
}

/// The capacity analysis of a register (spec: "Capacity and additional units"), with the units whose feed is
/// missing or incomplete named.
public struct CapacityAnalysis: Sendable {
    /// The rows, by group, modality and year.
    public var rows: [CapacityRow]
    /// The first year, as-of's year: demand(base) is the last 12 months' scans.
    public var baseYear: Int
    /// The 12 months read, first and last.
    public var window: ClosedRange<YearMonth>
    /// Units in service with no feed month in the window: their group's demand is unknown.
    public var missingFeed: [AssetID]
    /// Units in service with some months of the window missing, and how many months they have: their scans are
    /// taken at their run rate, scans × 12 ÷ months.
    public var annualised: [(AssetID, Int)]
}

/// Demand and capacity by trust (or site, or network), modality and year — pure, no I/O.
///
/// demand(y) = scans in the 12 months before as-of by all the group's units of the modality (whatever their
/// status now) × (1 + g)^(y − base); a unit in service with only some months of the window is taken at its run
/// rate (scans × 12 ÷ months), one with none makes the group's demand unknown and is named. Capacity = Σ over
/// the group's units in service of class scans an hour × planned hours × target utilisation (a mobile unit
/// counts for the trust, and site, that runs it). shortfall = max(0, demand − capacity); units short =
/// ⌈shortfall ÷ the capacity of one unit of the modality's fixed addition class⌉.
public enum CapacityPlanning {
    /// The analysis of `assets` and their `utilisation` at `asOf` for `years`, grouped `by`.
    public static func analyse(
        assets: [Asset],
        utilisation: [UtilisationRecord],
        asOf: Day,
        years: ClosedRange<Int>,
        settings: CapacitySettings,
        equipment: EquipmentCatalog,
        by grouping: CapacityGrouping = .trust
    ) -> CapacityAnalysis {
        let last = asOf.yearMonth.adding(months: -1)
        let first = last.adding(months: -11)
        var scans: [AssetID: Int] = [:]
        var months: [AssetID: Set<Int>] = [:]
        for record in utilisation where record.month >= first && record.month <= last {
            scans[record.assetID, default: 0] += record.scans
            months[record.assetID, default: []].insert(record.month.ordinal)
        }
        struct Key: Hashable {
            var network: NetworkName?
            var trust: TrustName
            var site: SiteName?
            var modality: Modality
        }
        struct Totals {
            var demand = 0.0
            var capacity = 0.0
            var missing: [AssetID] = []
        }
        var totals: [Key: Totals] = [:]
        var order: [Key] = []
        var missingFeed: [AssetID] = []
        var annualised: [(AssetID, Int)] = []
        for asset in assets {
            guard settings.modalities[asset.modality] != nil else { continue }
            let key = Key(
                network: asset.network,
                trust: asset.trust,
                site: grouping == .site ? asset.site : nil,
                modality: asset.modality
            )
            if totals[key] == nil {
                totals[key] = Totals()
                order.append(key)
            }
            let count = months[asset.id]?.count ?? 0
            let assetScans = Double(scans[asset.id] ?? 0)
            if asset.status == .inService {
                if let equipmentClass = equipment.equipmentClass(for: asset),
                    let capacity = settings.capacityPerUnit(
                        scansPerHour: equipmentClass.scansPerHour,
                        modality: asset.modality
                    )
                {
                    totals[key]!.capacity += capacity
                }
                if count == 0 {
                    // A unit installed after the window's last month has no demand of its own yet.
                    if asset.installDate.yearMonth <= last {
                        totals[key]!.missing.append(asset.id)
                        missingFeed.append(asset.id)
                    }
                } else if count < 12 {
                    totals[key]!.demand += assetScans * 12 / Double(count)
                    annualised.append((asset.id, count))
                } else {
                    totals[key]!.demand += assetScans
                }
            } else {
                totals[key]!.demand += assetScans
            }
        }
        order.sort {
            ($0.trust, $0.site?.rawValue ?? "", $0.modality) < ($1.trust, $1.site?.rawValue ?? "", $1.modality)
        }
        var rows: [CapacityRow] = []
        for key in order {
            let group = totals[key]!
            let planned = settings.modalities[key.modality]!
            let unit = addedUnitCapacity(key.modality, settings: settings, equipment: equipment)
            for year in years {
                let demand =
                    group.missing.isEmpty
                    ? group.demand * pow(1 + planned.growth, Double(year - years.lowerBound)) : nil
                let shortfall = demand.map { max(0, $0 - group.capacity) }
                rows.append(
                    CapacityRow(
                        network: key.network,
                        trust: key.trust,
                        site: key.site,
                        modality: key.modality,
                        year: year,
                        demandScans: demand,
                        capacityScans: group.capacity,
                        shortfallScans: shortfall,
                        unitsShort: shortfall.map { unitsShort($0, unitCapacity: unit) },
                        missingFeed: group.missing
                    )
                )
            }
        }
        if grouping == .network { rows = networkRows(rows) }
        return CapacityAnalysis(
            rows: rows,
            baseYear: years.lowerBound,
            window: first...last,
            missingFeed: missingFeed,
            annualised: annualised
        )
    }

    /// The capacity a year of one unit of the modality's fixed addition class; nil when the class is unknown.
    public static func addedUnitCapacity(
        _ modality: Modality,
        settings: CapacitySettings,
        equipment: EquipmentCatalog,
        mobile: Bool = false
    ) -> Double? {
        guard let planned = settings.modalities[modality],
            let added = equipment.equipmentClass(named: mobile ? planned.mobileClass : planned.fixedClass)
        else { return nil }
        return settings.capacityPerUnit(scansPerHour: added.scansPerHour, modality: modality)
    }

    /// ⌈shortfall ÷ unit capacity⌉, 0 without a shortfall (a shortfall below a thousandth of a scan is none).
    public static func unitsShort(_ shortfall: Double, unitCapacity: Double?) -> Int {
        guard shortfall > 1e-3, let unitCapacity, unitCapacity > 0 else { return 0 }
        return Int((shortfall / unitCapacity - 1e-9).rounded(.up))
    }

    /// Trust rows summed to their network: demand and capacity summed, shortfall and units short the sums of the
    /// trusts'.
    private static func networkRows(_ rows: [CapacityRow]) -> [CapacityRow] {
        struct Key: Hashable {
            var network: NetworkName?
            var modality: Modality
            var year: Int
        }
        var byKey: [Key: CapacityRow] = [:]
        var order: [Key] = []
        for row in rows {
            let key = Key(network: row.network, modality: row.modality, year: row.year)
            guard var sum = byKey[key] else {
                var copy = row
                copy.trust = nil
                byKey[key] = copy
                order.append(key)
                continue
            }
            sum.capacityScans += row.capacityScans
            sum.demandScans = sum.demandScans.flatMap { total in row.demandScans.map { total + $0 } }
            sum.shortfallScans = sum.shortfallScans.flatMap { total in row.shortfallScans.map { total + $0 } }
            sum.unitsShort = sum.unitsShort.flatMap { total in row.unitsShort.map { total + $0 } }
            sum.missingFeed += row.missingFeed
            byKey[key] = sum
        }
        return order.map { byKey[$0]! }
    }
}
