import FleetCore
import Foundation
import GRDB
import GRDBSQLite

/// The register's bulk paths (a national feed is hundreds of thousands of rows) through SQLite's C interface on
/// GRDB's prepared statements: values are bound and read in place, with no argument arrays or row objects per
/// row. Each runs inside the caller's transaction, so the all-or-nothing guarantees are the store's own.
enum SQLiteBulk {
    /// SQLite copies a bound text before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Rows a statement of ``write(_:order:rows:db:)`` writes at once.
    static let rowsPerStatement = 64

    /// Writes every record, or those at `order` (positions in `records`) in that order, with the statements `rows(n)` gives:
    /// the store's insert or upsert of `n` rows of the utilisation columns in ``UtilisationRow/CodingKeys`` order.
    /// ``rowsPerStatement`` rows a statement, the rest one by one. Texts are bound in place (SQLite's static
    /// binding) from a scratch buffer that lives until the statement has run.
    static func write(
        _ records: [UtilisationRecord],
        order: [Int32]? = nil,
        rows statement: (Int) throws -> Statement,
        db: Database
    ) throws {
        let batch = try statement(rowsPerStatement).sqliteStatement
        let single = try statement(1).sqliteStatement
        defer {
            for handle in [batch, single] {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
        }
        var scratch: [UInt8] = []
        let count = order?.count ?? records.count
        var position = 0
        while position < count {
            let rows = count - position >= rowsPerStatement ? rowsPerStatement : 1
            let handle = rows == 1 ? single : batch
            var needed = 0
            for row in position..<position + rows {
                needed += records[order.map { Int($0[row]) } ?? row].assetID.rawValue.utf8.count + 16
            }
            if scratch.count < needed { scratch = [UInt8](repeating: 0, count: needed * 2) }
            try scratch.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                sqlite3_reset(handle)
                var offset = 0
                for row in 0..<rows {
                    let record = records[order.map { Int($0[position + row]) } ?? position + row]
                    let first = Int32(row * 7)
                    var id = record.assetID.rawValue
                    let idCount = id.withUTF8 { utf8 in
                        if let source = utf8.baseAddress { (base + offset).initialize(from: source, count: utf8.count) }
                        return utf8.count
                    }
                    bindStatic(base + offset, count: idCount, at: first + 1, handle)
                    offset += idCount
                    let monthCount = write(record.month, to: base + offset)
                    bindStatic(base + offset, count: monthCount, at: first + 2, handle)
                    offset += monthCount
                    sqlite3_bind_int64(handle, first + 3, Int64(record.scans))
                    bind(record.availableHours, at: first + 4, handle)
                    bind(record.downtimeHours, at: first + 5, handle)
                    if let breakdowns = record.breakdowns {
                        sqlite3_bind_int64(handle, first + 6, Int64(breakdowns))
                    } else {
                        sqlite3_bind_null(handle, first + 6)
                    }
                    bind(record.serviceCostGBP?.pounds, at: first + 7, handle)
                }
                try step(handle, db)
            }
            position += rows
        }
    }

    /// Writes `month` as `UtilisationRow.text(of:)` writes it at `output` (which has room for 16 bytes), returning
    /// its length.
    private static func write(_ month: YearMonth, to output: UnsafeMutablePointer<UInt8>) -> Int {
        guard (0...9999).contains(month.year) else {
            let text = Array(UtilisationRow.text(of: month).utf8.prefix(16))
            output.initialize(from: text, count: text.count)
            return text.count
        }
        let zero = UInt8(ascii: "0")
        output[0] = zero + UInt8(month.year / 1000)
        output[1] = zero + UInt8(month.year / 100 % 10)
        output[2] = zero + UInt8(month.year / 10 % 10)
        output[3] = zero + UInt8(month.year % 10)
        output[4] = UInt8(ascii: "-")
        output[5] = zero + UInt8(month.month / 10)
        output[6] = zero + UInt8(month.month % 10)
        return 7
    }

    private static func bindStatic(
        _ bytes: UnsafeMutablePointer<UInt8>,
        count: Int,
        at index: Int32,
        _ handle: OpaquePointer
    ) {
        bytes.withMemoryRebound(to: CChar.self, capacity: count) { characters in
            _ = sqlite3_bind_text(handle, index, characters, Int32(count), nil)
        }
    }

    /// Writes each of `rows` with `statement`: the store's upsert of one row of the asset columns, in
    /// ``AssetRow/CodingKeys`` order. Values are bound as GRDB would store them (a flag as 0 or 1), with no argument
    /// array per row.
    static func write(_ rows: some Sequence<AssetRow>, with statement: Statement, db: Database) throws {
        assert(AssetRow.CodingKeys.allCases.count == 16, "bind every column of AssetRow.CodingKeys, in order")
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for row in rows {
            sqlite3_reset(handle)
            bind(row.assetID, at: 1, handle)
            bind(row.network, at: 2, handle)
            bind(row.trust, at: 3, handle)
            bind(row.site, at: 4, handle)
            bind(row.modality, at: 5, handle)
            bind(row.equipmentClass, at: 6, handle)
            bind(row.manufacturer, at: 7, handle)
            bind(row.model, at: 8, handle)
            sqlite3_bind_int64(handle, 9, row.isMobile ? 1 : 0)
            bind(row.installDate, at: 10, handle)
            bind(row.replacementCostGBP, at: 11, handle)
            bind(row.serviceCostGBPPerYear, at: 12, handle)
            bind(row.endOfSupport, at: 13, handle)
            if let criticality = row.criticality {
                sqlite3_bind_int64(handle, 14, Int64(criticality))
            } else {
                sqlite3_bind_null(handle, 14)
            }
            bind(row.status, at: 15, handle)
            bind(row.notes, at: 16, handle)
            try step(handle, db)
        }
    }

    /// Adds `changes` at their positions to the history of import `importID` with `statement` (an insert of
    /// `import_id`, `position`, `asset_id`, `month`, `field`, `old_value`, `new_value`).
    static func insert(
        _ changes: [(position: Int, change: RegisterChange)],
        of importID: Int64,
        with statement: Statement,
        db: Database
    )
        throws
    {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for (position, change) in changes {
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
        // Room for every stored record (the count walks the b-tree's pages without reading a row): the array is
        // not copied as it grows.
        var records: [UtilisationRecord] = []
        records.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM utilisation") ?? 0)
        // The previous row's asset, as bytes and as a value: a unit's months come together, so most rows make no
        // string at all. Each column is read through its value, one call into SQLite's API rather than two (its
        // type, then its content): a national feed is 434,000 rows of 7 columns.
        var lastID = LastText<AssetID>()
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw failure(code, db) }
            guard let idValue = sqlite3_column_value(handle, 0), sqlite3_value_type(idValue) == SQLITE_TEXT,
                let monthValue = sqlite3_column_value(handle, 1), sqlite3_value_type(monthValue) == SQLITE_TEXT,
                let scansValue = sqlite3_column_value(handle, 2), sqlite3_value_type(scansValue) == SQLITE_INTEGER,
                let id = lastID.value(idValue, { AssetID($0) }),
                let month = yearMonth(monthValue)
            else { return nil }
            guard let availableHours = double(handle, 3), let downtimeHours = double(handle, 4),
                let breakdowns = integer(handle, 5), let serviceCost = double(handle, 6)
            else { return nil }
            records.append(
                UtilisationRecord(
                    assetID: id,
                    month: month,
                    scans: Int(sqlite3_value_int64(scansValue)),
                    availableHours: availableHours,
                    downtimeHours: downtimeHours,
                    breakdowns: breakdowns,
                    serviceCostGBP: serviceCost.map { GBP($0) }
                )
            )
        }
        return records
    }

    /// The rows of the asset table that `statement` (a query of every column, its arguments bound) selects, in
    /// its order, read through SQLite's C interface; a text equal to the previous row's (a network, trust or site)
    /// is not made again. Nil when a stored value is not of the type `fleet` writes (the caller's GRDB path then
    /// names it).
    static func assetRows(_ statement: Statement, db: Database) throws -> [AssetRow]? {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var position: [AssetRow.CodingKeys: Int32] = [:]
        for column in 0..<sqlite3_column_count(handle) {
            if let name = sqlite3_column_name(handle, column),
                let key = AssetRow.CodingKeys(rawValue: String(cString: name))
            {
                position[key] = column
            }
        }
        guard position.count == AssetRow.CodingKeys.allCases.count else { return nil }
        var texts = [LastText<String>](repeating: LastText(), count: Int(sqlite3_column_count(handle)))
        func text(_ key: AssetRow.CodingKeys) -> String?? {
            let column = position[key]!
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: return .some(nil)
            case SQLITE_TEXT: return texts[Int(column)].value(handle, column, { $0 }).map { .some($0) }
            default: return nil
            }
        }
        var rows: [AssetRow] = []
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw failure(code, db) }
            let mobile = position[.isMobile]!
            guard let assetID = text(.assetID), let assetID, let network = text(.network), let trust = text(.trust),
                let trust, let site = text(.site), let site, let modality = text(.modality), let modality,
                let equipmentClass = text(.equipmentClass), let manufacturer = text(.manufacturer),
                let model = text(.model), sqlite3_column_type(handle, mobile) == SQLITE_INTEGER,
                let installDate = text(.installDate), let installDate,
                let replacementCost = double(handle, position[.replacementCostGBP]!),
                let serviceCost = double(handle, position[.serviceCostGBPPerYear]!),
                let endOfSupport = text(.endOfSupport), let criticality = integer(handle, position[.criticality]!),
                let status = text(.status), let status, let notes = text(.notes), let notes
            else { return nil }
            rows.append(
                AssetRow(
                    assetID: assetID,
                    network: network,
                    trust: trust,
                    site: site,
                    modality: modality,
                    equipmentClass: equipmentClass,
                    manufacturer: manufacturer,
                    model: model,
                    isMobile: sqlite3_column_int64(handle, mobile) != 0,
                    installDate: installDate,
                    replacementCostGBP: replacementCost,
                    serviceCostGBPPerYear: serviceCost,
                    endOfSupport: endOfSupport,
                    criticality: criticality,
                    status: status,
                    notes: notes
                )
            )
        }
        return rows
    }

    /// A month stored as `fleet` writes it (`YYYY-MM`), read as ``FastPath/yearMonth(_:)`` reads its text, from the
    /// bytes: no string per row. Nil for anything else, as there.
    private static func yearMonth(_ value: OpaquePointer) -> YearMonth? {
        guard sqlite3_value_bytes(value) == 7, let text = sqlite3_value_text(value) else { return nil }
        var year = 0
        var month = 0
        for offset in 0..<7 {
            let byte = text[offset]
            if offset == 4 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            if offset < 4 { year = year * 10 + Int(digit) } else { month = month * 10 + Int(digit) }
        }
        return YearMonth(year: year, month: month)
    }

    /// The value of a text column of the previous row, kept with its bytes, so that a row with the same text makes
    /// no new string.
    private struct LastText<Value> {
        private var bytes: [UInt8] = []
        private var last: Value?

        /// The value of column `column`'s text (made by `make` when it differs from the previous row's); nil when
        /// `make` refuses it.
        mutating func value(_ handle: OpaquePointer, _ column: Int32, _ make: (String) -> Value?) -> Value? {
            guard let value = sqlite3_column_value(handle, column) else { return nil }
            return self.value(value, make)
        }

        /// The value of the text `value` (made by `make` when it differs from the previous row's); nil when `make`
        /// refuses it.
        mutating func value(_ value: OpaquePointer, _ make: (String) -> Value?) -> Value? {
            let count = Int(sqlite3_value_bytes(value))
            guard let text = sqlite3_value_text(value) else { return nil }
            if let last, count == bytes.count,
                count == 0 || bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, text, count) == 0 })
            {
                return last
            }
            let buffer = UnsafeBufferPointer(start: text, count: count)
            guard let value = make(String(decoding: buffer, as: UTF8.self)) else { return nil }
            bytes = Array(buffer)
            last = value
            return value
        }
    }

    /// A nullable real column: `.some(nil)` for NULL, nil for a value of another type.
    private static func double(_ handle: OpaquePointer, _ column: Int32) -> Double?? {
        guard let value = sqlite3_column_value(handle, column) else { return nil }
        switch sqlite3_value_type(value) {
        case SQLITE_NULL: return .some(nil)
        case SQLITE_FLOAT, SQLITE_INTEGER: return .some(sqlite3_value_double(value))
        default: return nil
        }
    }

    /// A nullable integer column: `.some(nil)` for NULL, nil for a value of another type.
    private static func integer(_ handle: OpaquePointer, _ column: Int32) -> Int?? {
        guard let value = sqlite3_column_value(handle, column) else { return nil }
        switch sqlite3_value_type(value) {
        case SQLITE_NULL: return .some(nil)
        case SQLITE_INTEGER: return .some(Int(sqlite3_value_int64(value)))
        default: return nil
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
