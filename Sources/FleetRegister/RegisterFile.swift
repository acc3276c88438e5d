import FleetCore

/// The register file's columns (SPEC.md, "Register file"), and an asset written back in them: the same names
/// serve as CSV header, JSON keys and database columns, so a listing saved as CSV imports again unchanged.
public enum RegisterFile {
    /// Columns every register file must have.
    public static let requiredColumns = ["asset_id", "trust", "site", "modality", "install_date"]

    /// Every column the register reads, in the order listings print them.
    public static let columns = [
        "asset_id", "network", "trust", "site", "modality", "class", "manufacturer", "model", "mobile", "install_date",
        "replacement_cost_gbp", "service_cost_gbp_per_year", "end_of_support", "criticality", "status", "notes",
    ]

    /// `asset`'s values as text in ``columns`` order: dates ISO, money as plain numbers of pounds, `mobile` as
    /// `true`/`false`, unknown values empty.
    public static func fields(of asset: Asset) -> [String] {
        [
            asset.id.rawValue, asset.network?.rawValue ?? "", asset.trust.rawValue, asset.site.rawValue,
            asset.modality.rawValue, asset.equipmentClass?.rawValue ?? "", asset.manufacturer ?? "", asset.model ?? "",
            asset.isMobile ? "true" : "false", asset.installDate.iso, asset.replacementCostGBP.map(plainNumber) ?? "",
            asset.serviceCostGBPPerYear.map(plainNumber) ?? "", asset.endOfSupport?.iso ?? "",
            asset.criticality.map(String.init) ?? "", asset.status.rawValue, asset.notes,
        ]
    }

    /// An amount as a plain number of pounds: `1250000`, `1250000.5`.
    static func plainNumber(_ amount: GBP) -> String {
        let pounds = amount.pounds
        if pounds == pounds.rounded(), abs(pounds) < 1e15 { return String(Int(pounds)) }
        return String(pounds)
    }

    /// One asset as JSON with the register file's column names as keys; every key is present (`null` when
    /// unknown), money is a number of pounds, dates are ISO, `mobile` is a boolean.
    public struct Entry: Encodable, Sendable {
        /// The asset written.
        public let asset: Asset

        /// The entry for `asset`.
        public init(_ asset: Asset) { self.asset = asset }

        private enum CodingKeys: String, CodingKey {
            case assetID = "asset_id"
            case network, trust, site, modality
            case equipmentClass = "class"
            case manufacturer, model
            case isMobile = "mobile"
            case installDate = "install_date"
            case replacementCostGBP = "replacement_cost_gbp"
            case serviceCostGBPPerYear = "service_cost_gbp_per_year"
            case endOfSupport = "end_of_support"
            case criticality, status, notes
        }

        /// Encodes every column, with `null` for unknown values.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(asset.id, forKey: .assetID)
            try container.encode(asset.network, forKey: .network)
            try container.encode(asset.trust, forKey: .trust)
            try container.encode(asset.site, forKey: .site)
            try container.encode(asset.modality, forKey: .modality)
            try container.encode(asset.equipmentClass, forKey: .equipmentClass)
            try container.encode(asset.manufacturer, forKey: .manufacturer)
            try container.encode(asset.model, forKey: .model)
            try container.encode(asset.isMobile, forKey: .isMobile)
            try container.encode(asset.installDate, forKey: .installDate)
            try container.encode(asset.replacementCostGBP, forKey: .replacementCostGBP)
            try container.encode(asset.serviceCostGBPPerYear, forKey: .serviceCostGBPPerYear)
            try container.encode(asset.endOfSupport, forKey: .endOfSupport)
            try container.encode(asset.criticality, forKey: .criticality)
            try container.encode(asset.status, forKey: .status)
            try container.encode(asset.notes, forKey: .notes)
        }
    }
}

/// The utilisation feed's columns (SPEC.md, "Utilisation feed").
public enum UtilisationFile {
    /// Columns every utilisation feed must have.
    public static let requiredColumns = ["asset_id", "month", "scans"]

    /// Every column the feed reads.
    public static let columns = [
        "asset_id", "month", "scans", "available_hours", "downtime_hours", "breakdowns", "service_cost_gbp",
    ]
}
