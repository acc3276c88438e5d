import FleetCore

/// A unit added to cover a shortfall: a fixed unit at a trust, or a mobile unit a trust owns and the coalition
/// shares.
public struct Addition: Hashable, Sendable, Codable {
    /// The plan's name for it (also its assignment's asset id), for example `ADD-CT-128-2027-1`.
    public var id: AssetID
    /// The trust that buys and owns it.
    public var trust: TrustName
    /// Where it stands: the trust's name for a fixed unit (the scenario names no site for an addition), or
    /// "shared mobile".
    public var site: String
    /// Its class.
    public var equipmentClass: EquipmentClassName
    /// Its modality.
    public var modality: Modality
    /// Whether it is a mobile unit shared between the coalition's trusts.
    public var isMobile: Bool
    /// The year it is bought and enters service.
    public var year: Int
    /// The supplier.
    public var supplier: SupplierName
    /// Scans a year it gives (after the relocation loss for a mobile unit).
    public var capacityScansPerYear: Double
    /// Its price paid, in pounds.
    public var unitPricePaidGBP: GBP
    /// What it would cost at list price under its route, discounted: for a purchase D(y) × list price + discounted
    /// service after warranty (the savings split values capacity without tier discounts).
    public var discountedCostAtListGBP: GBP
    /// How it is paid for.
    public var route: FundingRoute = .purchase
}

/// Scans one trust buys from an outsourcing provider in one year.
public struct OutsourcedScans: Hashable, Sendable, Codable {
    /// The trust.
    public var trust: TrustName
    /// The modality.
    public var modality: Modality
    /// The year.
    public var year: Int
    /// Scans bought.
    public var scans: Double
    /// Their cost, undiscounted, in pounds.
    public var costGBP: GBP
}

/// Scans one trust takes from the coalition's mobile units in one year.
public struct MobileShare: Hashable, Sendable, Codable {
    /// The trust.
    public var trust: TrustName
    /// The modality.
    public var modality: Modality
    /// The year.
    public var year: Int
    /// Scans taken.
    public var scans: Double
}
