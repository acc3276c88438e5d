import FleetCore

/// One trust's shortfall of one modality in one year (`capacity.csv`): scans its units cannot give, which the plan
/// covers by added fixed units, shared mobile units or outsourcing.
public struct CapacityShortfall: Hashable, Sendable, Codable {
    /// The trust.
    public var trust: TrustName
    /// The modality short.
    public var modality: Modality
    /// The decision year.
    public var year: Int
    /// Scans short in the year.
    public var shortfallScans: Double

    /// A shortfall with every field given.
    public init(trust: TrustName, modality: Modality, year: Int, shortfallScans: Double) {
        self.trust = trust
        self.modality = modality
        self.year = year
        self.shortfallScans = shortfallScans
    }
}

/// One class's modality and capacity (`classes.csv`): the classes a shortfall may be covered with, and the
/// modality of each replacement's class for site continuity.
public struct CapacityClass: Hashable, Sendable, Codable {
    /// The class.
    public var equipmentClass: EquipmentClassName
    /// Its modality.
    public var modality: Modality
    /// Scans a year one unit gives at the target utilisation (before a mobile unit's relocation loss).
    public var capacityScansPerYear: Double
    /// Whether it is a mobile unit, shared between the coalition's trusts.
    public var isMobile: Bool

    /// A class with every field given.
    public init(equipmentClass: EquipmentClassName, modality: Modality, capacityScansPerYear: Double, isMobile: Bool) {
        self.equipmentClass = equipmentClass
        self.modality = modality
        self.capacityScansPerYear = capacityScansPerYear
        self.isMobile = isMobile
    }
}

extension Scenario {
    /// The modality of each class `classes.csv` lists.
    public var modalityOfClass: [EquipmentClassName: Modality] {
        Dictionary(classes.map { ($0.equipmentClass, $0.modality) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether the scenario asks for anything beyond like-for-like replacement: shortfalls to cover or sites
    /// whose replacements must be spread over the years.
    public var hasCapacityOrContinuity: Bool {
        !capacity.isEmpty || replacements.contains { ($0.siteUnits ?? 0) >= 2 || $0.coverCostGBP > .zero }
    }
}
