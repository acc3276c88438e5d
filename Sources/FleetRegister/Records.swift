import FleetCore
import GRDB

// One plain record struct per table, as GRDB's RecordRecommendedPractices advise: the columns are the register
// file's column names, dates are ISO text (`YYYY-MM-DD`, months `YYYY-MM`, which sort as dates), money is REAL
// pounds. The records convert to and from FleetCore's `Asset` and `UtilisationRecord`, which stay free of GRDB.

/// A row of the `asset` table: one installed unit.
package struct AssetRow: Codable, Hashable, Sendable {
    package static let databaseTableName = "asset"

    package var assetID: String
    package var network: String?
    package var trust: String
    package var site: String
    package var modality: String
    package var equipmentClass: String?
    package var manufacturer: String?
    package var model: String?
    package var isMobile: Bool
    package var installDate: String
    package var replacementCostGBP: Double?
    package var serviceCostGBPPerYear: Double?
    package var endOfSupport: String?
    package var criticality: Int?
    package var status: String
    package var notes: String

    package enum CodingKeys: String, CodingKey, CaseIterable {
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

    package enum Columns {
        static let assetID = Column(CodingKeys.assetID)
        static let network = Column(CodingKeys.network)
        static let trust = Column(CodingKeys.trust)
        static let site = Column(CodingKeys.site)
        static let modality = Column(CodingKeys.modality)
        static let status = Column(CodingKeys.status)
    }

    /// A row of the given column values, as another backend reads them.
    package init(
        assetID: String,
        network: String?,
        trust: String,
        site: String,
        modality: String,
        equipmentClass: String?,
        manufacturer: String?,
        model: String?,
        isMobile: Bool,
        installDate: String,
        replacementCostGBP: Double?,
        serviceCostGBPPerYear: Double?,
        endOfSupport: String?,
        criticality: Int?,
        status: String,
        notes: String
    ) {
        self.assetID = assetID
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

    /// The row that stores `asset`.
    package init(_ asset: Asset) {
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

    /// The asset this row stores.
    /// - Throws: ``StoredValueProblem`` when a value is not one the importers write (a database edited by hand).
    package func asset() throws(StoredValueProblem) -> Asset {
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
    package init(row: Row) throws {
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
package struct UtilisationRow: Codable, Hashable, Sendable {
    package static let databaseTableName = "utilisation"

    package var assetID: String
    package var month: String
    package var scans: Int
    package var availableHours: Double?
    package var downtimeHours: Double?
    package var breakdowns: Int?
    package var serviceCostGBP: Double?

    package enum CodingKeys: String, CodingKey, CaseIterable {
        case assetID = "asset_id"
        case month
        case scans
        case availableHours = "available_hours"
        case downtimeHours = "downtime_hours"
        case breakdowns
        case serviceCostGBP = "service_cost_gbp"
    }

    package enum Columns {
        static let assetID = Column(CodingKeys.assetID)
        static let month = Column(CodingKeys.month)
    }

    /// A row of the given column values, as another backend reads them.
    package init(
        assetID: String,
        month: String,
        scans: Int,
        availableHours: Double?,
        downtimeHours: Double?,
        breakdowns: Int?,
        serviceCostGBP: Double?
    ) {
        self.assetID = assetID
        self.month = month
        self.scans = scans
        self.availableHours = availableHours
        self.downtimeHours = downtimeHours
        self.breakdowns = breakdowns
        self.serviceCostGBP = serviceCostGBP
    }

    /// The row that stores `record`.
    package init(_ record: UtilisationRecord) {
        assetID = record.assetID.rawValue
        month = Self.text(of: record.month)
        scans = record.scans
        availableHours = record.availableHours
        downtimeHours = record.downtimeHours
        breakdowns = record.breakdowns
        serviceCostGBP = record.serviceCostGBP?.pounds
    }

    /// `2024-03`, zero-padded so that months sort as text.
    package static func text(of month: YearMonth) -> String {
        let year = String(month.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + (month.month < 10 ? "-0" : "-")
            + String(month.month)
    }

    /// The record this row stores.
    /// - Throws: ``StoredValueProblem`` when the month is not `YYYY-MM`.
    package func record() throws(StoredValueProblem) -> UtilisationRecord {
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
    package init(row: Row) throws {
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
package struct StoredValueProblem: Error, Sendable, CustomStringConvertible {
    package init(table: String, key: String, column: String, value: String) {
        self.table = table
        self.key = key
        self.column = column
        self.value = value
    }

    package var table: String
    package var key: String
    package var column: String
    package var value: String

    package var description: String {
        "table \(table), row \(key): column \(column) holds '\(value)', which fleet does not write"
    }
}
