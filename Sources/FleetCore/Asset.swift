/// Whether a unit is in use.
public enum AssetStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// Installed and scanning patients.
    case inService = "in_service"
    /// Removed from use; kept in the register for history, left out of rankings and plans.
    case decommissioned
}

/// One installed imaging unit in the register.
public struct Asset: Hashable, Sendable, Codable, Identifiable {
    /// The register's unique identifier.
    public var id: AssetID
    /// The imaging network the trust belongs to; nil when the register names none.
    public var network: NetworkName?
    /// The trust that owns the unit.
    public var trust: TrustName
    /// The hospital or community diagnostic centre where it stands (for a mobile unit, its base).
    public var site: SiteName
    /// The modality.
    public var modality: Modality
    /// The equipment class, for example `CT-128`; nil when the register names none (the catalog's default
    /// class for the modality is used).
    public var equipmentClass: EquipmentClassName?
    /// The manufacturer, as written.
    public var manufacturer: String?
    /// The model, as written.
    public var model: String?
    /// True for a unit on a trailer or vehicle.
    public var isMobile: Bool
    /// The day the unit was installed (or first used).
    public var installDate: Day
    /// What replacing it would cost, in pounds; nil when unknown (the catalog's figure is used).
    public var replacementCostGBP: GBP?
    /// Its annual service contract, in pounds a year; nil when unknown.
    public var serviceCostGBPPerYear: GBP?
    /// The day the manufacturer stops supporting it; nil when unknown.
    public var endOfSupport: Day?
    /// Clinical criticality, 1 (low) to 5 (sole unit for a critical pathway); nil when unknown.
    public var criticality: Int?
    /// Whether it is in service.
    public var status: AssetStatus
    /// Free text, including unknown columns of the imported file as `column: value` lines.
    public var notes: String

    /// A unit with every field given.
    public init(
        id: AssetID,
        network: NetworkName? = nil,
        trust: TrustName,
        site: SiteName,
        modality: Modality,
        equipmentClass: EquipmentClassName? = nil,
        manufacturer: String? = nil,
        model: String? = nil,
        isMobile: Bool = false,
        installDate: Day,
        replacementCostGBP: GBP? = nil,
        serviceCostGBPPerYear: GBP? = nil,
        endOfSupport: Day? = nil,
        criticality: Int? = nil,
        status: AssetStatus = .inService,
        notes: String = ""
    ) {
        self.id = id
        self.network = network
        self.trust = trust
        self.site = site
        self.modality = modality
        self.equipmentClass = equipmentClass
        self.manufacturer = manufacturer
        self.model = model
        self.isMobile = isMobile
        self.installDate = installDate
        self.replacementCostGBP = replacementCostGBP
        self.serviceCostGBPPerYear = serviceCostGBPPerYear
        self.endOfSupport = endOfSupport
        self.criticality = criticality
        self.status = status
        self.notes = notes
    }
}

/// One month of use of one unit, from a utilisation feed.
public struct UtilisationRecord: Hashable, Sendable, Codable {
    /// The unit.
    public var assetID: AssetID
    /// The month the figures cover.
    public var month: YearMonth
    /// Examinations performed in the month.
    public var scans: Int
    /// Hours the unit was scheduled to be available in the month; nil when the feed does not say.
    public var availableHours: Double?
    /// Hours of unplanned downtime within the available hours; nil when the feed does not say.
    public var downtimeHours: Double?
    /// Breakdowns (unplanned stops) in the month; nil when the feed does not say.
    public var breakdowns: Int?
    /// Service and repair cost in the month, in pounds; nil when the feed does not say.
    public var serviceCostGBP: GBP?

    /// A record with every field given.
    public init(
        assetID: AssetID,
        month: YearMonth,
        scans: Int,
        availableHours: Double? = nil,
        downtimeHours: Double? = nil,
        breakdowns: Int? = nil,
        serviceCostGBP: GBP? = nil
    ) {
        self.assetID = assetID
        self.month = month
        self.scans = scans
        self.availableHours = availableHours
        self.downtimeHours = downtimeHours
        self.breakdowns = breakdowns
        self.serviceCostGBP = serviceCostGBP
    }
}
