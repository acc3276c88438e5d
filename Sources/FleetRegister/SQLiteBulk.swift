import FleetCore
import GRDB
import GRDBSQLite

/// The register's bulk paths (a national feed is hundreds of thousands of rows) through SQLite's C interface on
/// GRDB's prepared statements: values are bound and read in place, with no argument arrays or row objects per
/// row. Each runs inside the caller's transaction, so the all-or-nothing guarantees are the store's own.
enum SQLiteBulk {
    /// SQLite copies a bound text before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Inserts or replaces every record with `statement` (the store's upsert of the utilisation columns in
    /// ``UtilisationRow/CodingKeys`` order).
    static func upsert(_ records: [UtilisationRecord], with statement: Statement, db: Database) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for record in records {
            sqlite3_reset(handle)
            bind(record.assetID.rawValue, at: 1, handle)
            bind(record.month, at: 2, handle)
            sqlite3_bind_int64(handle, 3, Int64(record.scans))
            bind(record.availableHours, at: 4, handle)
            bind(record.downtimeHours, at: 5, handle)
            if let breakdowns = record.breakdowns {
                sqlite3_bind_int64(handle, 6, Int64(breakdowns))
            } else {
                sqlite3_bind_null(handle, 6)
            }
            bind(record.serviceCostGBP?.pounds, at: 7, handle)
            try step(handle, db)
        }
    }

    /// Adds `changes` to the history of import `importID` with `statement` (an insert of `import_id`,
    /// `position`, `asset_id`, `month`, `field`, `old_value`, `new_value`).
    static func insert(
        _ changes: [RegisterChange],
        of importID: Int64,
        with statement: Statement,
        db: Database
    )
        throws
    {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for (position, change) in changes.enumerated() {
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, importID)
            sqlite3_bind_int64(handle, 2, Int64(position))
            bind(change.assetID.rawValue, at: 3, handle)
            if let month = change.month { bind(month, at: 4, handle) } else { sqlite3_bind_null(handle, 4) }
            bind(change.field, at: 5, handle)
            bind(change.old, at: 6, handle)
            bind(change.new, at: 7, handle)
            try step(handle, db)
        }
    }

    /// The utilisation records of the months `first` through `last`, ordered by asset and month; nil when a stored
    /// value is not of the type `fleet` writes (the caller's GRDB path then names it).
    static func utilisation(
        from first: YearMonth,
        through last: YearMonth,
        db: Database
    ) throws
        -> [UtilisationRecord]?
    {
        let statement = try db.makeStatement(
            sql: "SELECT asset_id, month, scans, available_hours, downtime_hours, breakdowns, service_cost_gbp "
                + "FROM utilisation WHERE month >= ? AND month <= ? ORDER BY asset_id, month"
        )
        try statement.setArguments([UtilisationRow.text(of: first), UtilisationRow.text(of: last)])
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var records: [UtilisationRecord] = []
        var lastMonth: (text: String, month: YearMonth)?
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw failure(code, db) }
            guard sqlite3_column_type(handle, 0) == SQLITE_TEXT, sqlite3_column_type(handle, 1) == SQLITE_TEXT,
                sqlite3_column_type(handle, 2) == SQLITE_INTEGER, let id = sqlite3_column_text(handle, 0),
                let monthText = sqlite3_column_text(handle, 1)
            else { return nil }
            let text = String(cString: monthText)
            let month: YearMonth
            if let lastMonth, lastMonth.text == text {
                month = lastMonth.month
            } else {
                guard let parsed = FastPath.yearMonth(text) else { return nil }
                month = parsed
                lastMonth = (text, parsed)
            }
            guard let availableHours = double(handle, 3), let downtimeHours = double(handle, 4),
                let breakdowns = integer(handle, 5), let serviceCost = double(handle, 6)
            else { return nil }
            records.append(
                UtilisationRecord(
                    assetID: AssetID(String(cString: id)),
                    month: month,
                    scans: Int(sqlite3_column_int64(handle, 2)),
                    availableHours: availableHours,
                    downtimeHours: downtimeHours,
                    breakdowns: breakdowns,
                    serviceCostGBP: serviceCost.map { GBP($0) }
                )
            )
        }
        return records
    }

    /// A nullable real column: `.some(nil)` for NULL, nil for a value of another type.
    private static func double(_ handle: OpaquePointer, _ column: Int32) -> Double?? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .some(nil)
        case SQLITE_FLOAT, SQLITE_INTEGER: .some(sqlite3_column_double(handle, column))
        default: nil
        }
    }

    /// A nullable integer column: `.some(nil)` for NULL, nil for a value of another type.
    private static func integer(_ handle: OpaquePointer, _ column: Int32) -> Int?? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .some(nil)
        case SQLITE_INTEGER: .some(Int(sqlite3_column_int64(handle, column)))
        default: nil
        }
    }

    private static func bind(_ text: String?, at index: Int32, _ handle: OpaquePointer) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { characters in
                sqlite3_bind_text(handle, index, characters.baseAddress, Int32(characters.count), transient)
            }
        }
    }

    /// Binds `month` as `UtilisationRow.text(of:)` writes it, built on the stack.
    private static func bind(_ month: YearMonth, at index: Int32, _ handle: OpaquePointer) {
        guard (0...9999).contains(month.year) else {
            bind(UtilisationRow.text(of: month), at: index, handle)
            return
        }
        var bytes: (CChar, CChar, CChar, CChar, CChar, CChar, CChar) = (0, 0, 0, 0, 45, 0, 0)
        let zero = CChar(48)
        bytes.0 = zero + CChar(month.year / 1000)
        bytes.1 = zero + CChar(month.year / 100 % 10)
        bytes.2 = zero + CChar(month.year / 10 % 10)
        bytes.3 = zero + CChar(month.year % 10)
        bytes.5 = zero + CChar(month.month / 10)
        bytes.6 = zero + CChar(month.month % 10)
        withUnsafeBytes(of: &bytes) { raw in
            _ = sqlite3_bind_text(handle, index, raw.baseAddress?.assumingMemoryBound(to: CChar.self), 7, transient)
        }
    }

    private static func bind(_ value: Double?, at index: Int32, _ handle: OpaquePointer) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    private static func step(_ handle: OpaquePointer, _ db: Database) throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code, db) }
    }

    private static func failure(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection))
        )
    }
}
