import FleetCore
import Foundation

/// The file an import came from, as the register's history records it.
public struct ImportSource: Hashable, Sendable {
    /// The file as the user named it.
    public var file: String
    /// The SHA-256 of the file's bytes, 64 lowercase hexadecimal digits; empty when the rows came from no file.
    public var sha256: String

    /// A source named `file` with the digest `sha256`.
    public init(file: String, sha256: String) {
        self.file = file
        self.sha256 = sha256
    }

    /// The file at `url`, named `file`, with the SHA-256 of its bytes.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read.
    public init(file: String, contentsOf url: URL) throws(FileFailure) {
        self.file = file
        do {
            sha256 = try SHA256.hex(ofFileAt: url)
        } catch {
            throw FileFailure(
                path: file,
                reason: "cannot be read (\(error.localizedDescription))",
                exitCode: .invalidInput
            )
        }
    }

    /// Rows written by a program rather than imported from a file (tests, benchmarks, the demo's generator).
    public static let unnamed = ImportSource(file: "", sha256: "")
}

/// What an import changed in the register: one entry of ``RegisterStore/history(of:)``.
public struct RegisterImportRecord: Hashable, Sendable, Codable {
    /// What was imported.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A register file (the `asset` table).
        case register
        /// A utilisation feed (the `utilisation` table).
        case utilisation
    }

    /// The import's number, increasing in the order imports committed.
    public var id: Int
    /// Who imported: the PostgreSQL role, or the operating-system user for an SQLite register.
    public var who: String
    /// When the import committed, in UTC, ISO 8601 to the second (`2026-12-02T09:30:00Z`).
    public var at: String
    /// The file as the user named it.
    public var file: String
    /// The SHA-256 of the file.
    public var sha256: String
    /// What was imported.
    public var kind: Kind
    /// Rows new to the register.
    public var inserted: Int
    /// Rows that replaced stored ones (changed or not).
    public var updated: Int
    /// The rows inserted and the fields changed, in the order of the file (those of one asset when the history
    /// was asked for one).
    public var changes: [RegisterChange]

    /// A record of every field.
    public init(
        id: Int,
        who: String,
        at: String,
        file: String,
        sha256: String,
        kind: Kind,
        inserted: Int,
        updated: Int,
        changes: [RegisterChange]
    ) {
        self.id = id
        self.who = who
        self.at = at
        self.file = file
        self.sha256 = sha256
        self.kind = kind
        self.inserted = inserted
        self.updated = updated
        self.changes = changes
    }
}

/// One row inserted, or one field of a stored row changed, by an import.
public struct RegisterChange: Hashable, Sendable, Codable {
    /// The asset the row belongs to.
    public var assetID: AssetID
    /// The month of a utilisation record; nil for the asset itself.
    public var month: YearMonth?
    /// The column that changed, named as in the register file; nil when the row was inserted.
    public var field: String?
    /// The stored value before (the register file's text; empty when unknown); nil when the row was inserted.
    public var old: String?
    /// The value after; nil when the row was inserted (its values are the row's).
    public var new: String?

    /// A change of `field` of the row of `assetID` (and `month`) from `old` to `new`.
    public init(assetID: AssetID, month: YearMonth? = nil, field: String? = nil, old: String? = nil, new: String? = nil)
    {
        self.assetID = assetID
        self.month = month
        self.field = field
        self.old = old
        self.new = new
    }

    /// Whether the change is a new row rather than a changed field.
    public var isInsertion: Bool { field == nil }

    private enum CodingKeys: String, CodingKey {
        case assetID = "asset_id"
        case month, change, field, old, new
    }

    /// Reads a change as ``encode(to:)`` writes it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assetID = try container.decode(AssetID.self, forKey: .assetID)
        month = try container.decodeIfPresent(YearMonth.self, forKey: .month)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        old = try container.decodeIfPresent(String.self, forKey: .old)
        new = try container.decodeIfPresent(String.self, forKey: .new)
    }

    /// Every key, `null` where it does not apply, and `change`: `inserted` or `updated`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(assetID, forKey: .assetID)
        try container.encode(month, forKey: .month)
        try container.encode(isInsertion ? "inserted" : "updated", forKey: .change)
        try container.encode(field, forKey: .field)
        try container.encode(old, forKey: .old)
        try container.encode(new, forKey: .new)
    }
}

/// The changes an upsert makes, worked out from the rows stored before it, identically for every backend.
///
/// Values are compared as the register file writes them (``RegisterFile/fields(of:)``), so a change is one a planner
/// would see in a listing, and `old → new` reads as the file's text.
package struct RegisterDiff {
    /// Rows new to the register.
    package var inserted = 0
    /// Rows that replaced stored ones.
    package var updated = 0
    /// The insertions and changed fields, in the order of the rows.
    package var changes: [RegisterChange] = []

    /// The changes of writing `assets` over `stored` (the stored assets with those identifiers); an asset repeated
    /// in `assets` updates the one its first copy inserted.
    package static func assets(_ assets: [Asset], over stored: [AssetID: Asset]) -> RegisterDiff {
        var diff = RegisterDiff()
        var current = stored.mapValues(RegisterFile.fields(of:))
        for asset in assets {
            let fields = RegisterFile.fields(of: asset)
            diff.record(
                key: asset.id,
                month: nil,
                fields: fields,
                before: current[asset.id],
                names: RegisterFile.columns
            )
            current[asset.id] = fields
        }
        return diff
    }

    /// The changes of writing `records` over `stored` (the stored records with those keys).
    package static func utilisation(
        _ records: [UtilisationRecord],
        over stored: [UtilisationKey: UtilisationRecord]
    ) -> RegisterDiff {
        var diff = RegisterDiff()
        // Nothing stored and no key twice (a first import): every record is an insertion, and no field need be
        // written out to compare.
        if stored.isEmpty, Set(records.lazy.map(UtilisationKey.init)).count == records.count {
            diff.inserted = records.count
            diff.changes = records.map { RegisterChange(assetID: $0.assetID, month: $0.month) }
            return diff
        }
        var current = stored
        for record in records {
            diff.record(record, over: current.updateValue(record, forKey: UtilisationKey(record)))
        }
        return diff
    }

    /// The changes of writing `records`, no key twice, over `stored`: the stored record with each one's key, by
    /// position (nil where none).
    package static func utilisation(
        _ records: [UtilisationRecord],
        storedAlongside stored: [UtilisationRecord?]
    ) -> RegisterDiff {
        var diff = RegisterDiff()
        for (record, before) in zip(records, stored) { diff.record(record, over: before) }
        return diff
    }

    private mutating func record(_ record: UtilisationRecord, over before: UtilisationRecord?) {
        // Records are written out as text only when their values differ: a feed exported again (the last 24 months,
        // each month) repeats most rows unchanged.
        if let before, before.hasSameValues(as: record) {
            updated += 1
            return
        }
        self.record(
            key: record.assetID,
            month: record.month,
            fields: UtilisationFile.fields(of: record),
            before: before.map(UtilisationFile.fields(of:)),
            names: UtilisationFile.columns
        )
    }

    private mutating func record(
        key: AssetID,
        month: YearMonth?,
        fields: [String],
        before: [String]?,
        names: [String]
    ) {
        guard let before else {
            inserted += 1
            changes.append(RegisterChange(assetID: key, month: month))
            return
        }
        updated += 1
        for (index, name) in names.enumerated() where before[index] != fields[index] {
            changes.append(
                RegisterChange(assetID: key, month: month, field: name, old: before[index], new: fields[index])
            )
        }
    }

    /// What the upsert reports.
    package var summary: UpsertSummary { UpsertSummary(inserted: inserted, updated: updated) }
}

extension UtilisationRecord {
    /// True when `other` holds the same values bit for bit, so that their fields as text are the same too (unlike
    /// `==`, which takes 0 and -0 for equal, and not a NaN for itself).
    func hasSameValues(as other: UtilisationRecord) -> Bool {
        assetID == other.assetID && month == other.month && scans == other.scans
            && availableHours?.bitPattern == other.availableHours?.bitPattern
            && downtimeHours?.bitPattern == other.downtimeHours?.bitPattern && breakdowns == other.breakdowns
            && serviceCostGBP?.pounds.bitPattern == other.serviceCostGBP?.pounds.bitPattern
    }
}

/// A utilisation record's key: its asset and month.
package struct UtilisationKey: Hashable, Sendable {
    package var assetID: AssetID
    package var month: YearMonth

    package init(_ record: UtilisationRecord) {
        assetID = record.assetID
        month = record.month
    }
}

extension UtilisationFile {
    /// `record`'s values as text in ``columns`` order: the month as `YYYY-MM`, money as plain pounds, unknown values
    /// empty.
    static func fields(of record: UtilisationRecord) -> [String] {
        [
            record.assetID.rawValue, UtilisationRow.text(of: record.month), String(record.scans),
            record.availableHours.map(plain) ?? "", record.downtimeHours.map(plain) ?? "",
            record.breakdowns.map(String.init) ?? "", record.serviceCostGBP.map(RegisterFile.plainNumber) ?? "",
        ]
    }

    private static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Who runs this process, by the operating system's account name: the "who" of an SQLite register's history.
func operatingSystemUser() -> String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
}

/// Now in UTC as ISO 8601 to the second: `2026-12-02T09:30:00Z`.
func utcTimestamp(_ date: Date = Date()) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}

/// The last import that inserted or changed an asset: who, when, from which file, and which fields.
public struct AssetLastChange: Hashable, Sendable {
    /// The import's number in the history.
    public var importID: Int
    /// Who imported (database role, or operating-system user).
    public var who: String
    /// When, in UTC, ISO 8601 to the second.
    public var at: String
    /// The file as the user named it; empty when the rows came from no file.
    public var file: String
    /// The register columns that import changed, in the file's order; empty when it inserted the asset.
    public var changedFields: [String]

    /// A last change with every part given.
    public init(importID: Int, who: String, at: String, file: String, changedFields: [String]) {
        (self.importID, self.who, self.at, self.file, self.changedFields) = (importID, who, at, file, changedFields)
    }

    /// Whether that import added the asset to the register.
    public var isInsertion: Bool { changedFields.isEmpty }
}

/// The history as both backends store it: the `register_import` and `register_change` tables' rows, put together
/// into ``RegisterImportRecord``s.
package enum HistoryRows {
    /// A `register_import` row.
    package struct Import {
        var id: Int
        var who: String
        var at: String
        var file: String
        var sha256: String
        var kind: String
        var inserted: Int
        var updated: Int

        package init(
            id: Int,
            who: String,
            at: String,
            file: String,
            sha256: String,
            kind: String,
            inserted: Int,
            updated: Int
        ) {
            (self.id, self.who, self.at, self.file, self.sha256) = (id, who, at, file, sha256)
            (self.kind, self.inserted, self.updated) = (kind, inserted, updated)
        }
    }

    /// A `register_change` row as a change.
    /// - Throws: ``StoredValueProblem`` when it holds a month fleet does not write.
    package static func change(
        assetID: String,
        month: String?,
        field: String?,
        old: String?,
        new: String?
    ) throws(StoredValueProblem) -> RegisterChange {
        var parsed: YearMonth?
        if let month {
            guard let value = YearMonth.parse(month) else {
                throw StoredValueProblem(table: "register_change", key: assetID, column: "month", value: month)
            }
            parsed = value
        }
        return RegisterChange(assetID: AssetID(assetID), month: parsed, field: field, old: old, new: new)
    }

    /// The imports, in order, each with its changes from `changes` (by import, each list in the order of its file).
    /// Each list moves into its record, so the history is held once, not twice.
    /// - Throws: ``StoredValueProblem`` when a row holds a kind fleet does not write.
    package static func records(
        imports: [Import],
        changes: consuming [Int: [RegisterChange]]
    ) throws(StoredValueProblem) -> [RegisterImportRecord] {
        var records: [RegisterImportRecord] = []
        records.reserveCapacity(imports.count)
        for row in imports {
            guard let kind = RegisterImportRecord.Kind(rawValue: row.kind) else {
                throw StoredValueProblem(table: "register_import", key: String(row.id), column: "kind", value: row.kind)
            }
            records.append(
                RegisterImportRecord(
                    id: row.id,
                    who: row.who,
                    at: row.at,
                    file: row.file,
                    sha256: row.sha256,
                    kind: kind,
                    inserted: row.inserted,
                    updated: row.updated,
                    changes: changes.removeValue(forKey: row.id) ?? []
                )
            )
        }
        return records
    }

    /// The last change of each asset: of the register imports (`imports`, any order), the latest that has a
    /// change of the asset in `changes` (rows of the asset table's changes: no month; `field` nil for an insert).
    package static func lastChanges(
        imports: [Import],
        changes: [(importID: Int, assetID: String, field: String?)]
    ) -> [AssetID: AssetLastChange] {
        let byID = Dictionary(imports.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var latest: [String: (importID: Int, fields: [String])] = [:]
        for change in changes {
            guard byID[change.importID] != nil else { continue }
            if let current = latest[change.assetID], current.importID > change.importID { continue }
            var entry = latest[change.assetID]
            if entry?.importID != change.importID { entry = (change.importID, []) }
            if let field = change.field { entry?.fields.append(field) }
            latest[change.assetID] = entry
        }
        var result: [AssetID: AssetLastChange] = [:]
        result.reserveCapacity(latest.count)
        for (assetID, entry) in latest {
            guard let row = byID[entry.importID] else { continue }
            result[AssetID(assetID)] = AssetLastChange(
                importID: row.id,
                who: row.who,
                at: row.at,
                file: row.file,
                changedFields: entry.fields
            )
        }
        return result
    }
}
