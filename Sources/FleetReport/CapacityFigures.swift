import FleetCore

/// One trust's demand against capacity for one modality and year, and how the joint plan covers the shortfall,
/// as the Capacity sheet shows it (spec: "Capacity and additional units").
public struct CapacityCoverRow: Hashable, Sendable {
    /// The trust.
    public var trust: String
    /// The modality's code (`CT`, `MR`).
    public var modality: String
    /// The decision year.
    public var year: Int
    /// Scans demanded in the year.
    public var demandScans: Double
    /// Scans a year the trust's units in service give at the target utilisation.
    public var capacityScans: Double
    /// Scans a year of the fixed units the plan adds at the trust in this year or before.
    public var addedFixedScans: Double
    /// Scans the trust takes from the coalition's shared mobile units in the year.
    public var mobileScans: Double
    /// Scans bought from outsourcing providers in the year.
    public var outsourcedScans: Double

    /// A row of given values.
    public init(
        trust: String,
        modality: String,
        year: Int,
        demandScans: Double,
        capacityScans: Double,
        addedFixedScans: Double,
        mobileScans: Double,
        outsourcedScans: Double
    ) {
        self.trust = trust
        self.modality = modality
        self.year = year
        self.demandScans = demandScans
        self.capacityScans = capacityScans
        self.addedFixedScans = addedFixedScans
        self.mobileScans = mobileScans
        self.outsourcedScans = outsourcedScans
    }

    /// max(0, demand − capacity in service).
    public var shortfallScans: Double { max(0, demandScans - capacityScans) }
    /// Demand ÷ capacity in service; nil without capacity.
    public var utilisation: Double? { capacityScans > 0 ? demandScans / capacityScans : nil }
    /// Capacity in service with the plan's cover: the four added in the sheet's order.
    public var coveredCapacityScans: Double { capacityScans + addedFixedScans + mobileScans + outsourcedScans }
    /// What the plan's cover leaves of the shortfall: max(0, shortfall − added fixed − mobile − outsourced).
    public var uncoveredScans: Double { max(0, shortfallScans - addedFixedScans - mobileScans - outsourcedScans) }
}

/// The figures of the Capacity sheet: the rows, and the network's demand and capacity by modality and year.
public struct CapacityFigures: Sendable {
    /// The rows, in the case's order.
    public var rows: [CapacityCoverRow]
    /// The network's totals (trust "All trusts"), by modality (in order of first appearance) then year.
    public var totals: [CapacityCoverRow]
    /// Σ shortfall over every row: the scans the plan had to cover.
    public var shortfallScans: Double
    /// Σ what the plan left uncovered (0 when every shortfall is covered, as the optimiser requires).
    public var uncoveredScans: Double

    init(_ rows: [CapacityCoverRow]) {
        self.rows = rows
        var order: [String] = []
        var byKey: [String: [Int: CapacityCoverRow]] = [:]
        for row in rows {
            if byKey[row.modality] == nil { order.append(row.modality) }
            var total =
                byKey[row.modality, default: [:]][row.year]
                ?? CapacityCoverRow(
                    trust: "All trusts",
                    modality: row.modality,
                    year: row.year,
                    demandScans: 0,
                    capacityScans: 0,
                    addedFixedScans: 0,
                    mobileScans: 0,
                    outsourcedScans: 0
                )
            total.demandScans += row.demandScans
            total.capacityScans += row.capacityScans
            total.addedFixedScans += row.addedFixedScans
            total.mobileScans += row.mobileScans
            total.outsourcedScans += row.outsourcedScans
            byKey[row.modality, default: [:]][row.year] = total
        }
        totals = order.flatMap { modality in byKey[modality]!.keys.sorted().map { byKey[modality]![$0]! } }
        shortfallScans = rows.reduce(0) { $0 + $1.shortfallScans }
        uncoveredScans = rows.reduce(0) { $0 + $1.uncoveredScans }
    }
}
