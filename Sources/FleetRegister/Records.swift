import FleetCore
import GRDB

// One plain record struct per table, as GRDB's RecordRecommendedPractices advise: the columns are the register
// file's column names, dates are ISO text (`YYYY-MM-DD`, months `YYYY-MM`, which sort as dates), money is REAL
// pounds. The records convert to and from FleetCore's `Asset` and `UtilisationRecord`, which stay free of GRDB.

/// A row of the `asset` table: one installed unit.
struct AssetRow: Codable, Hashable, Sendable {
    static let databaseTableName = "asset"

    var assetID: String
    var network: String?
    var trust: String
    var site: String
    var modality: String
    var equipmentClass: String?
    var manufacturer: String?
    var model: String?
    var isMobile: Bool
    var installDate: String
    var replacementCostGBP: Double?
    var serviceCostGBPPerYear: Double?
    var endOfSupport: String?
    var criticality: Int?
    var status: String
    var notes: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case assetID = "asset_id"
        case network
        case trust
        case site
        case modality
        case equipmentClass = "class"
        case manufacturer
        case model
        case isMobile = "mobile"
        case installDate = "install_date"
        case replacementCostGBP = "replacement_cost_gbp"
        case serviceCostGBPPerYear = "service_cost_gbp_per_year"
        case endOfSupport = "end_of_support"
        case criticality
        case status
        case notes
    }

    enum Columns {
        static let assetID = Column(CodingKeys.assetID)
        static let network = Column(CodingKeys.network)
        static let trust = Column(CodingKeys.trust)
        static let site = Column(CodingKeys.site)
        static let modality = Column(CodingKeys.modality)
        static let status = Column(CodingKeys.status)
    }

    /// The row that stores `asset`.
    init(_ asset: Asset) {
        assetID = asset.id.rawValue
        network = asset.network?.rawValue
        trust = asset.trust.rawValue
        site = asset.site.rawValue
        modality = asset.modality.rawValue
        equipmentClass = asset.equipmentClass?.rawValue
        manufacturer = asset.manufacturer
        model = asset.model
        isMobile = asset.isMobile
        installDate = asset.installDate.iso
        replacementCostGBP = asset.replacementCostGBP?.pounds
        serviceCostGBPPerYear = asset.serviceCostGBPPerYear?.pounds
        endOfSupport = asset.endOfSupport?.iso
        criticality = asset.criticality
        status = asset.status.rawValue
        notes = asset.notes
    }

    /// The values in ``CodingKeys`` order, for the store's prepared upsert statement.
    var databaseValues: [(any DatabaseValueConvertible)?] {
        [
            assetID, network, trust, site, modality, equipmentClass, manufacturer, model, isMobile, installDate,
            replacementCostGBP, serviceCostGBPPerYear, endOfSupport, criticality, status, notes,
        ]
    }

    /// The asset this row stores.
    /// - Throws: ``StoredValueProblem`` when a value is not one the importers write (a database edited by hand).
    func asset() throws(StoredValueProblem) -> Asset {
        guard let modality = Modality(rawValue: modality) else { throw problem(.modality, modality) }
        // The store writes ISO dates, which the fast path reads; Day.parse is there for a hand-edited database.
        guard let installDay = FastPath.day(installDate) ?? Day.parse(installDate) else {
            throw problem(.installDate, installDate)
        }
        guard let status = AssetStatus(rawValue: status) else { throw problem(.status, status) }
        var endOfSupportDay: Day?
        if let endOfSupport {
            guard let day = FastPath.day(endOfSupport) ?? Day.parse(endOfSupport) else {
                throw problem(.endOfSupport, endOfSupport)
            }
            endOfSupportDay = day
        }
        return Asset(
            id: AssetID(assetID),
            network: network.map { NetworkName($0) },
            trust: TrustName(trust),
            site: SiteName(site),
            modality: modality,
            equipmentClass: equipmentClass.map { EquipmentClassName($0) },
            manufacturer: manufacturer,
            model: model,
            isMobile: isMobile,
            installDate: installDay,
            replacementCostGBP: replacementCostGBP.map { GBP($0) },
            serviceCostGBPPerYear: serviceCostGBPPerYear.map { GBP($0) },
            endOfSupport: endOfSupportDay,
            criticality: criticality,
            status: status,
            notes: notes
        )
    }

    private func problem(_ column: CodingKeys, _ value: String) -> StoredValueProblem {
        StoredValueProblem(table: Self.databaseTableName, key: assetID, column: column.rawValue, value: value)
    }
}

extension AssetRow: FetchableRecord, PersistableRecord {
    /// Reads a row by column name, without going through a decoder (the register is
    /// read whole by every command, so this is on the hot path).
    init(row: Row) throws {
        assetID = try row.decode(forColumn: CodingKeys.assetID.rawValue)
        network = try row.decode(forColumn: CodingKeys.network.rawValue)
        trust = try row.decode(forColumn: CodingKeys.trust.rawValue)
        site = try row.decode(forColumn: CodingKeys.site.rawValue)
        modality = try row.decode(forColumn: CodingKeys.modality.rawValue)
        equipmentClass = try row.decode(forColumn: CodingKeys.equipmentClass.rawValue)
        manufacturer = try row.decode(forColumn: CodingKeys.manufacturer.rawValue)
        model = try row.decode(forColumn: CodingKeys.model.rawValue)
        isMobile = try row.decode(forColumn: CodingKeys.isMobile.rawValue)
        installDate = try row.decode(forColumn: CodingKeys.installDate.rawValue)
        replacementCostGBP = try row.decode(forColumn: CodingKeys.replacementCostGBP.rawValue)
        serviceCostGBPPerYear = try row.decode(forColumn: CodingKeys.serviceCostGBPPerYear.rawValue)
        endOfSupport = try row.decode(forColumn: CodingKeys.endOfSupport.rawValue)
        criticality = try row.decode(forColumn: CodingKeys.criticality.rawValue)
        status = try row.decode(forColumn: CodingKeys.status.rawValue)
        notes = try row.decode(forColumn: CodingKeys.notes.rawValue)
    }
}

/// A row of the `utilisation` table: one month of one unit.
struct UtilisationRow: Codable, Hashable, Sendable {
    static let databaseTableName = "utilisation"

    var assetID: String
    var month: String
    var scans: Int
    var availableHours: Double?
    var downtimeHours: Double?
    var breakdowns: Int?
    var serviceCostGBP: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case assetID = "asset_id"
        case month
        case scans
        case availableHours = "available_hours"
        case downtimeHours = "downtime_hours"
        case breakdowns
        case serviceCostGBP = "service_cost_gbp"
    }

    enum Columns {
        static let assetID = Column(CodingKeys.assetID)
        static let month = Column(CodingKeys.month)
    }

    /// The row that stores `record`.
    init(_ record: UtilisationRecord) {
        assetID = record.assetID.rawValue
        month = Self.text(of: record.month)
        scans = record.scans
        availableHours = record.availableHours
        downtimeHours = record.downtimeHours
        breakdowns = record.breakdowns
        serviceCostGBP = record.serviceCostGBP?.pounds
    }

    /// `2024-03`, zero-padded so that months sort as text.
    static func text(of month: YearMonth) -> String {
        let year = String(month.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + (month.month < 10 ? "-0" : "-")
            + String(month.month)
    }

    /// The values in ``CodingKeys`` order, for the store's prepared upsert statement.
    var databaseValues: [(any DatabaseValueConvertible)?] {
        [assetID, month, scans, availableHours, downtimeHours, breakdowns, serviceCostGBP]
    }

    /// The record this row stores.
    /// - Throws: ``StoredValueProblem`` when the month is not `YYYY-MM`.
    func record() throws(StoredValueProblem) -> UtilisationRecord {
        guard let yearMonth = FastPath.yearMonth(month) ?? YearMonth.parse(month) else {
            throw StoredValueProblem(
                table: Self.databaseTableName,
                key: "\(assetID) \(month)",
                column: CodingKeys.month.rawValue,
                value: month
            )
        }
        return UtilisationRecord(
            assetID: AssetID(assetID),
            month: yearMonth,
            scans: scans,
            availableHours: availableHours,
            downtimeHours: downtimeHours,
            breakdowns: breakdowns,
            serviceCostGBP: serviceCostGBP.map { GBP($0) }
        )
    }
}

extension UtilisationRow: FetchableRecord, PersistableRecord {
    /// Reads a row without going through a decoder (a national feed has millions of rows).
    init(row: Row) throws {
        assetID = try row.decode(forColumn: CodingKeys.assetID.rawValue)
        month = try row.decode(forColumn: CodingKeys.month.rawValue)
        scans = try row.decode(forColumn: CodingKeys.scans.rawValue)
        availableHours = try row.decode(forColumn: CodingKeys.availableHours.rawValue)
        downtimeHours = try row.decode(forColumn: CodingKeys.downtimeHours.rawValue)
        breakdowns = try row.decode(forColumn: CodingKeys.breakdowns.rawValue)
        serviceCostGBP = try row.decode(forColumn: CodingKeys.serviceCostGBP.rawValue)
    }
}

/// A stored value that the register cannot read back: the database was changed outside `fleet`.
struct StoredValueProblem: Error, Sendable {
    var table: String
    var key: String
    var column: String
    var value: String

    var description: String {
        "table \(table), row \(key): column \(column) holds '\(value)', which fleet does not write"
    }
}
