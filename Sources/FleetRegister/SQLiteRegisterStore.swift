import Dispatch
import FleetCore
import Foundation
import GRDB
import GRDBSQLite

/// The register in an SQLite database file, through GRDB.
///
/// A file database is a `DatabasePool` in WAL mode: readers never block the writer, and a second import that
/// starts while one is running waits for it (up to ``busyTimeoutSeconds``) rather than failing. Every write is
/// one `IMMEDIATE` transaction, so an import is all or nothing. Every value goes in as a bound parameter.
public struct SQLiteRegisterStore: RegisterStore {
    /// How long a write waits for another process's write to finish before it gives up, in seconds.
    public static let busyTimeoutSeconds: TimeInterval = 30

    /// The database as the user named it, or `:memory:`.
    public let location: String
    private let writer: any DatabaseWriter
    private let hooks: RegisterWriteHooks
    /// The operating-system user, the "who" of this register's history.
    private let who = operatingSystemUser()

    /// Opens (creating when missing) the register database at `path` and brings its schema up to date.
    /// - Throws: ``RegisterStoreError`` naming the path and SQLite's reason when it cannot be opened: its folder
    ///   does not exist, it is not an SQLite database, it was written by a newer `fleet`, or it is locked.
    /// - Parameter hooks: test hooks (``RegisterWriteHooks``); commands pass none.
    public init(path: String, hooks: RegisterWriteHooks = .none) throws(RegisterStoreError) {
        SQLiteConfiguration.memoryStatisticsOff
        location = path
        self.hooks = hooks
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeoutSeconds)
        configuration.label = "FleetRegister"
        configuration.prepareDatabase { db in
            // A national register is tens of MB: with SQLite's default 2 MB page cache, one import transaction
            // spills and re-reads pages many times over; 64 MB keeps it in memory.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            writer = try Self.openPool(path: path, configuration: configuration)
        } catch {
            throw RegisterStoreError(
                location: path,
                failure: "cannot be opened",
                reason: Self.openingReason(error, path: path)
            )
        }
        try migrate()
    }

    /// The pool at `path`, retried while SQLite reports the database busy, for up to ``busyTimeoutSeconds``.
    ///
    /// Opening a pool switches the file to WAL mode (`PRAGMA journal_mode = WAL`), which needs an exclusive lock
    /// and fails at once with SQLITE_BUSY, without waiting on the busy timeout, while another process holds any
    /// lock on it: two imports started together on a new database failed that way in 27 of 40 release runs
    /// (FaultCommandTests.twoImportsStartedAtOnceOnANewDatabaseBothComplete).
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeoutSeconds)
        var pause = 0.005
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_BUSY {
                guard Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// A register held in memory only, empty, for tests and one-off runs; it is gone when the last copy of the
    /// store is released.
    /// - Throws: ``RegisterStoreError`` when SQLite cannot create it.
    public static func makeInMemory() throws(RegisterStoreError) -> SQLiteRegisterStore {
        SQLiteConfiguration.memoryStatisticsOff
        do {
            return try SQLiteRegisterStore(location: ":memory:", writer: DatabaseQueue())
        } catch {
            throw RegisterStoreError(location: ":memory:", failure: "cannot be created", reason: Self.reason(error))
        }
    }

    private init(location: String, writer: any DatabaseWriter) throws(RegisterStoreError) {
        self.location = location
        self.writer = writer
        hooks = .none
        try migrate()
    }

    private func migrate() throws(RegisterStoreError) {
        let migrator = RegisterMigrations.migrator
        do {
            if try writer.read({ try migrator.hasBeenSuperseded($0) }) {
                throw RegisterStoreError(
                    location: location,
                    failure: "cannot be opened",
                    reason: "it was written by a newer version of fleet; update fleet to use it"
                )
            }
            // Two commands started at once on a new database: each saw no schema, the first created it, and the
            // second's migration failed on tables that now exist (and was rolled back). Found by
            // FaultCommandTests.twoImportsStartedAtOnceOnANewDatabaseBothComplete. The second tries again until the
            // schema is complete (the first may still be running a later migration), for up to the busy timeout.
            let deadline = Date().addingTimeInterval(Self.busyTimeoutSeconds)
            var pause = 0.005
            while true {
                do {
                    try migrator.migrate(writer)
                    return
                } catch {
                    if try writer.read({ try migrator.hasCompletedMigrations($0) }) { return }
                    guard Date() < deadline else { throw error }
                    Thread.sleep(forTimeInterval: pause)
                    pause = min(pause * 2, 0.1)
                }
            }
        } catch let error as RegisterStoreError {
            throw error
        } catch {
            throw RegisterStoreError(
                location: location,
                failure: "cannot be opened",
                reason: Self.openingReason(error, path: location)
            )
        }
    }

    // MARK: Writing

    public func upsert(assets: [Asset], from source: ImportSource) throws -> UpsertSummary {
        try write { db in
            let ids = Set(assets.lazy.map(\.id.rawValue))
            var stored: [AssetID: Asset] = [:]
            for row in try AssetRow.fetchAll(db) where ids.contains(row.assetID) {
                stored[AssetID(row.assetID)] = try row.asset()
            }
            let diff = RegisterDiff.assets(assets, over: stored)
            try SQLiteBulk.write(
                assets.lazy.map(AssetRow.init),
                with: try Self.upsertStatement(
                    table: AssetRow.databaseTableName,
                    columns: AssetRow.CodingKeys.allCases.map(\.rawValue),
                    key: [AssetRow.CodingKeys.assetID.rawValue],
                    db: db
                ),
                db: db
            )
            try record(diff, of: .register, from: source, db: db)
            return diff.summary
        }
    }

    public func upsert(utilisation: [UtilisationRecord], from source: ImportSource) throws -> UpsertSummary {
        // The foreign key's check of each row's asset is replaced by `keyOrder`'s check of every asset named, in this
        // same transaction, which holds the write lock (and assets are never deleted).
        try write(checkingForeignKeys: false) { db in
            let keys = try Self.keyOrder(of: utilisation, db)
            // The stored rows, each beside the record with its key; or, keys repeated, by key.
            let storedAlongside = try Self.storedUtilisation(alongside: utilisation, keys, db)
            let stored = storedAlongside == nil ? try Self.storedUtilisation(covering: utilisation, db) : [:]
            // Nothing stored and no key twice (a first import): every record is an insertion, in file order. Their
            // log is packed on a thread of its own while this one writes the rows.
            let insertions =
                keys.unique && (storedAlongside?.allSatisfy { $0 == nil } ?? stored.isEmpty)
                ? BackgroundValue {
                    var log = InsertionLog(reservingCapacity: utilisation.count)
                    for (position, record) in utilisation.enumerated() {
                        log.append(position: position, assetID: record.assetID, month: record.month)
                    }
                    return log
                } : nil
            // In the table's key order, each row lands next to the last one in the b-tree. A row stored with the
            // same values is left as it is: a feed exported again repeats most of its rows.
            let order =
                insertions != nil
                ? nil
                : storedAlongside.map { before in
                    (keys.order ?? Array(0..<Int32(utilisation.count))).filter { position in
                        before[Int(position)].map { !$0.hasSameValues(as: utilisation[Int(position)]) } ?? true
                    }
                }
            try SQLiteBulk.write(
                utilisation,
                order: order ?? keys.order,
                rows: { rows in
                    try Self.upsertStatement(
                        table: UtilisationRow.databaseTableName,
                        columns: UtilisationRow.CodingKeys.allCases.map(\.rawValue),
                        key: [UtilisationRow.CodingKeys.assetID.rawValue, UtilisationRow.CodingKeys.month.rawValue],
                        rows: rows,
                        db: db
                    )
                },
                db: db
            )
            if let insertions {
                let log = insertions.value()
                try record(.utilisation, from: source, inserted: utilisation.count, updated: 0, log: log, db: db)
                return UpsertSummary(inserted: utilisation.count, updated: 0)
            }
            let diff =
                storedAlongside.map { RegisterDiff.utilisation(utilisation, storedAlongside: $0) }
                ?? RegisterDiff.utilisation(utilisation, over: stored)
            try record(diff, of: .utilisation, from: source, db: db)
            return diff.summary
        }
    }

    /// Inserts a feed's records while they are still being scanned, `rows` handing them over: the import that
    /// ``upsert(utilisation:from:)`` would make of them when every record is new, in one transaction, recorded in
    /// the history the same way. Nil, with nothing written, when that is not so or cannot be told without the whole
    /// file: the scan gave up; a record names an asset not in the register, breaks a check that needs no other
    /// row (``ScannedFeed/passesRowChecks(_:currentMonth:)``, months after `today`'s), is not after the one before
    /// it in the table's key order (so no key comes twice, and each row lands next to the last in the b-tree), or
    /// is already stored. The caller then reads the file's records whole and upserts them.
    /// - Throws: ``RegisterStoreError`` when the database cannot be written.
    func insertNewUtilisation(_ rows: FeedRows, today: Day) throws(RegisterStoreError) -> UpsertSummary? {
        defer { rows.abandon() }
        // As in `upsert(utilisation:from:)`, the check that every asset is known, in this transaction, stands in for
        // the foreign key's.
        return try write(
            checkingForeignKeys: false,
            committing: { $0 != nil },
            { db in try insertEveryRow(of: rows, currentMonth: today.yearMonth.ordinal, db) }
        )
    }

    /// The body of ``insertNewUtilisation(_:today:)``: nil as soon as a row is not new and good.
    private func insertEveryRow(of rows: FeedRows, currentMonth: Int, _ db: Database) throws -> UpsertSummary? {
        var ranks = try AssetRanks(db)
        let insert = { (count: Int) in
            try Self.insertStatement(
                table: UtilisationRow.databaseTableName,
                columns: UtilisationRow.CodingKeys.allCases.map(\.rawValue),
                rows: count,
                db: db
            )
        }
        var inserted = 0
        var lastKey: UInt64?
        while let chunk = rows.next() {
            for record in chunk {
                guard let rank = ranks.rank(of: record.assetID), (0..<120_000).contains(record.month.ordinal),
                    ScannedFeed.passesRowChecks(record, currentMonth: currentMonth)
                else { return nil }
                let key = AssetRanks.key(rank: rank, month: record.month)
                if let lastKey, lastKey >= key { return nil }
                lastKey = key
            }
            do {
                try SQLiteBulk.write(chunk, rows: insert, db: db)
            } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_CONSTRAINT {
                return nil
            }
            inserted += chunk.count
        }
        guard case .scanned(let source, let log) = rows.ending else { return nil }
        try record(.utilisation, from: source, inserted: inserted, updated: 0, log: log, db: db)
        return UpsertSummary(inserted: inserted, updated: 0)
    }

    /// Records placed in the utilisation table's key order (asset id, then month).
    private struct KeyOrder {
        /// The positions of the records in key order; nil when they come in it, or when a month is outside years
        /// 0–9999, whose text does not sort as its ordinal.
        var order: [Int32]?
        /// No key is repeated.
        var unique: Bool
        /// Every month is in years 0–9999, so ``keys`` sort as the table does.
        var sortable: Bool
        /// Each record's key (``AssetRanks/key(rank:month:)``).
        var keys: [UInt64]
        /// The ranks the keys were made with.
        var ranks: AssetRanks
    }

    /// Each asset's position in the asset table's key order, looked up with the last asset kept: a feed gives an
    /// asset's months together.
    private struct AssetRanks {
        private let rankOf: [AssetID: UInt64]
        private var last: (id: AssetID, rank: UInt64)?

        init(_ db: Database) throws {
            // The asset table is keyed by asset_id (WITHOUT ROWID), so this reads it in the key order, unsorted.
            let ids = try String.fetchAll(db, sql: "SELECT asset_id FROM asset ORDER BY asset_id")
            var rankOf: [AssetID: UInt64] = [:]
            rankOf.reserveCapacity(ids.count)
            for (rank, id) in ids.enumerated() { rankOf[AssetID(id)] = UInt64(rank) }
            self.rankOf = rankOf
        }

        /// The rank of `id`; nil for an asset the register does not hold.
        mutating func rank(of id: AssetID) -> UInt64? {
            if let last, last.id == id { return last.rank }
            guard let rank = rankOf[id] else { return nil }
            last = (id, rank)
            return rank
        }

        /// A utilisation row's place in the table's key order: its asset's rank, then its month (which sorts as
        /// the table does for years 0–9999).
        static func key(rank: UInt64, month: YearMonth) -> UInt64 {
            rank << 32 | UInt64(truncatingIfNeeded: month.ordinal) & 0xFFFF_FFFF
        }
    }

    /// `records` in the utilisation table's key order.
    /// - Throws: ``StoreCheckFailure`` naming up to five assets not in the register.
    private static func keyOrder(of records: [UtilisationRecord], _ db: Database) throws -> KeyOrder {
        var ranks = try AssetRanks(db)
        var keys = [UInt64](repeating: 0, count: records.count)
        var unknown: Set<AssetID> = []
        var sortable = true
        var ascending = true
        for (index, record) in records.enumerated() {
            guard let rank = ranks.rank(of: record.assetID) else {
                unknown.insert(record.assetID)
                continue
            }
            let ordinal = record.month.ordinal
            if ordinal < 0 || ordinal >= 120_000 { sortable = false }
            let key = AssetRanks.key(rank: rank, month: record.month)
            keys[index] = key
            if index > 0, keys[index - 1] >= key { ascending = false }
        }
        if !unknown.isEmpty {
            let sorted = unknown.sorted()
            let shown = sorted.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (sorted.count > 5 ? ", …" : "")
            let count = sorted.count == 1 ? "1 asset that is" : "\(sorted.count) assets that are"
            throw StoreCheckFailure(reason: "utilisation names \(count) not in the register (\(shown))")
        }
        var result = KeyOrder(order: nil, unique: true, sortable: sortable, keys: keys, ranks: ranks)
        if ascending { return result }
        guard sortable else {
            result.unique = Set(records.lazy.map(UtilisationKey.init)).count == records.count
            return result
        }
        // Stable: a key given twice is written in file order, so the later record wins as it would unsorted.
        let order = (0..<Int32(records.count)).sorted { a, b in
            let (left, right) = (keys[Int(a)], keys[Int(b)])
            return left < right || (left == right && a < b)
        }
        for position in order.indices.dropFirst() where keys[Int(order[position - 1])] == keys[Int(order[position])] {
            result.unique = false
            break
        }
        result.order = order
        return result
    }

    /// The stored record with each record's key, by the record's position (nil where none), found by walking the
    /// stored months the records span and the records both in key order: no key is hashed. Nil when that walk
    /// cannot be made (a key repeated, a month outside years 0–9999, stored rows not in key order); the caller
    /// then looks the stored rows up by key.
    private static func storedUtilisation(
        alongside records: [UtilisationRecord],
        _ keys: KeyOrder,
        _ db: Database
    ) throws -> [UtilisationRecord?]? {
        guard keys.unique, keys.sortable, let first = records.lazy.map(\.month).min(),
            let last = records.lazy.map(\.month).max(),
            let inRange = try SQLiteBulk.utilisation(from: first, through: last, db: db)
        else { return nil }
        var stored = [UtilisationRecord?](repeating: nil, count: records.count)
        guard !inRange.isEmpty else { return stored }
        var ranks = keys.ranks
        /// The key of a stored row; nil for an asset the register does not hold.
        func key(of row: UtilisationRecord) -> UInt64? {
            ranks.rank(of: row.assetID).map { AssetRanks.key(rank: $0, month: row.month) }
        }
        var next = 0
        var nextKey = key(of: inRange[0])
        let positions = keys.order.map { $0.map(Int.init) } ?? Array(records.indices)
        for position in positions {
            let wanted = keys.keys[position]
            // Past the stored rows before this record's key, checking they come in key order.
            while let found = nextKey, found < wanted {
                next += 1
                guard next < inRange.count else {
                    nextKey = nil
                    break
                }
                nextKey = key(of: inRange[next])
                guard let following = nextKey, following > found else { return nil }
            }
            if nextKey == wanted { stored[position] = inRange[next] }
        }
        return stored
    }

    /// The stored records with the keys of `records`, read by the months they span.
    private static func storedUtilisation(
        covering records: [UtilisationRecord],
        _ db: Database
    ) throws -> [UtilisationKey: UtilisationRecord] {
        guard let first = records.lazy.map(\.month).min(), let last = records.lazy.map(\.month).max() else {
            return [:]
        }
        let inRange =
            try SQLiteBulk.utilisation(from: first, through: last, db: db)
            ?? UtilisationRow.filter(UtilisationRow.Columns.month >= UtilisationRow.text(of: first))
            .filter(UtilisationRow.Columns.month <= UtilisationRow.text(of: last)).fetchAll(db).map { try $0.record() }
        // A first import finds nothing stored: no keys to look up.
        guard !inRange.isEmpty else { return [:] }
        let keys = Set(records.lazy.map(UtilisationKey.init))
        var stored: [UtilisationKey: UtilisationRecord] = [:]
        for record in inRange {
            let key = UtilisationKey(record)
            if keys.contains(key) { stored[key] = record }
        }
        return stored
    }

    /// Adds the import and its changes to the history, in the import's transaction: the rows inserted packed into
    /// one ``InsertionLog``, the changed fields a `register_change` row each.
    private func record(
        _ diff: RegisterDiff,
        of kind: RegisterImportRecord.Kind,
        from source: ImportSource,
        db: Database
    ) throws {
        var log = InsertionLog(reservingCapacity: diff.inserted)
        var fields: [(position: Int, change: RegisterChange)] = []
        for (position, change) in diff.changes.enumerated() {
            if change.isInsertion {
                log.append(position: position, assetID: change.assetID, month: change.month)
            } else {
                fields.append((position, change))
            }
        }
        try record(kind, from: source, inserted: diff.inserted, updated: diff.updated, log: log, fields: fields, db: db)
    }

    private func record(
        _ kind: RegisterImportRecord.Kind,
        from source: ImportSource,
        inserted: Int,
        updated: Int,
        log: InsertionLog,
        fields: [(position: Int, change: RegisterChange)] = [],
        db: Database
    ) throws {
        try db.execute(
            sql:
                "INSERT INTO register_import (who, at, file, sha256, kind, inserted, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [who, utcTimestamp(), source.file, source.sha256, kind.rawValue, inserted, updated]
        )
        let importID = db.lastInsertedRowID
        if !fields.isEmpty {
            let statement = try db.cachedStatement(
                sql: "INSERT INTO register_change (import_id, position, asset_id, month, field, old_value, new_value) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
            try SQLiteBulk.insert(fields, of: importID, with: statement, db: db)
        }
        if log.count > 0 {
            try db.execute(
                sql: "INSERT INTO register_insertion (import_id, rows) VALUES (?, ?)",
                arguments: [importID, Data(log.bytes)]
            )
        }
    }

    /// Runs `body` in one IMMEDIATE transaction (the write lock is taken at the start, so two imports queue
    /// instead of one of them failing when it upgrades a read lock), turning any failure into a
    /// ``RegisterStoreError``; nothing is written unless `body` returns, and `commits` says yes to what it returned.
    /// With `checkingForeignKeys` false, SQLite does not check the rows' foreign keys (the caller checks them
    /// itself, in the transaction).
    private func write<T>(
        checkingForeignKeys: Bool = true,
        committing commits: (T) -> Bool = { _ in true },
        _ body: (Database) throws -> T
    ) throws(RegisterStoreError) -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                // The pragma is a no-op inside a transaction, so it is set before the transaction begins.
                if !checkingForeignKeys { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                defer { if !checkingForeignKeys { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
                var result: Result<T, any Error> = .failure(StoreCheckFailure(reason: "the transaction did not run"))
                try db.inTransaction(.immediate) {
                    let value = try body(db)
                    result = .success(value)
                    guard commits(value) else { return .rollback }
                    if let beforeCommit = hooks.beforeCommit {
                        // The rows go to the write-ahead log first, so a test that kills the process in the hook
                        // finds them on disk, uncommitted: the worst moment to die.
                        _ = sqlite3_db_cacheflush(db.sqliteConnection)
                        beforeCommit()
                    }
                    return .commit
                }
                return try result.get()
            }
        } catch let failure as StoreCheckFailure {
            throw RegisterStoreError(location: location, failure: "was not changed", reason: failure.reason)
        } catch let problem as StoredValueProblem {
            throw RegisterStoreError(location: location, unreadable: problem)
        } catch {
            throw RegisterStoreError(location: location, failure: "cannot be written", reason: Self.reason(error))
        }
    }

    /// The cached statement that inserts `rows` rows of `columns` into `table`, failing on a key already stored.
    private static func insertStatement(table: String, columns: [String], rows: Int, db: Database) throws -> Statement {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let placeholders = Array(repeating: row, count: rows).joined(separator: ", ")
        return try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders)"
        )
    }

    /// The cached statement that inserts a row of `columns` into `table`, or updates the row with its `key`.
    private static func upsertStatement(
        table: String,
        columns: [String],
        key: [String],
        rows: Int = 1,
        db: Database
    ) throws
        -> Statement
    {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let placeholders = Array(repeating: row, count: rows).joined(separator: ", ")
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders) "
                + "ON CONFLICT(\(key.joined(separator: ", "))) DO UPDATE SET \(updates)"
        )
    }

    // MARK: History

    public func lastChanges() throws -> [AssetID: AssetLastChange] {
        try read { db in
            let imports = try Row.fetchAll(
                db,
                sql: "SELECT id, who, at, file FROM register_import WHERE kind = ?",
                arguments: [RegisterImportRecord.Kind.register.rawValue]
            )
            let changes = try Row.fetchAll(
                db,
                sql: "SELECT import_id, asset_id, field FROM register_change WHERE month IS NULL "
                    + "ORDER BY import_id, position"
            )
            // The assets each register import inserted, from its packed log (an import inserts or changes a unit,
            // never both, so the two lists can be read one after the other).
            var insertions: [(importID: Int, assetID: String, field: String?)] = []
            for row in try Row.fetchAll(
                db,
                sql: "SELECT i.import_id, i.rows FROM register_insertion i "
                    + "JOIN register_import r ON r.id = i.import_id WHERE r.kind = ?",
                arguments: [RegisterImportRecord.Kind.register.rawValue]
            ) {
                let (importID, entries) = try Self.insertionLog(row, only: nil)
                for entry in entries where entry.change.month == nil {
                    insertions.append((importID, entry.change.assetID.rawValue, nil))
                }
            }
            return HistoryRows.lastChanges(
                imports: imports.map { row in
                    HistoryRows.Import(
                        id: row["id"],
                        who: row["who"],
                        at: row["at"],
                        file: row["file"],
                        sha256: "",
                        kind: RegisterImportRecord.Kind.register.rawValue,
                        inserted: 0,
                        updated: 0
                    )
                },
                changes: insertions + changes.map { row in (row["import_id"], row["asset_id"], row["field"]) }
            )
        }
    }

    /// The import and the entries of a `register_insertion` row's packed log (``InsertionLog``), of `assetID` only
    /// when given.
    /// - Throws: ``StoredValueProblem`` when the bytes are not a log fleet wrote.
    private static func insertionLog(
        _ row: Row,
        only assetID: AssetID?
    ) throws(StoredValueProblem) -> (importID: Int, entries: [(position: Int, change: RegisterChange)]) {
        let importID: Int = row["import_id"]
        let bytes: Data = row["rows"]
        guard let entries = InsertionLog.decode([UInt8](bytes), only: assetID) else {
            throw StoredValueProblem(
                table: "register_insertion",
                key: String(importID),
                column: "rows",
                value: "\(bytes.count) bytes that are not an insertion log"
            )
        }
        return (importID, entries)
    }

    public func history(of assetID: AssetID?, insertions: Bool) throws -> [RegisterImportRecord] {
        try read { db in
            // The rows each import inserted, from its packed log.
            var inserted: [Int: [(position: Int, change: RegisterChange)]] = [:]
            let logs = insertions ? try Row.fetchAll(db, sql: "SELECT import_id, rows FROM register_insertion") : []
            for row in logs {
                let (importID, entries) = try Self.insertionLog(row, only: assetID)
                if !entries.isEmpty { inserted[importID] = entries }
            }
            let changes = try Row.fetchAll(
                db,
                sql: "SELECT * FROM register_change"
                    + (assetID == nil ? "" : " WHERE asset_id = ?") + " ORDER BY import_id, position",
                arguments: assetID.map { [$0.rawValue] } ?? []
            )
            var fields: [Int: [(position: Int, change: RegisterChange)]] = [:]
            for row in changes {
                let importID: Int = row["import_id"]
                fields[importID, default: []].append(
                    (
                        row["position"],
                        try HistoryRows.change(
                            assetID: row["asset_id"],
                            month: row["month"],
                            field: row["field"],
                            old: row["old_value"],
                            new: row["new_value"]
                        )
                    )
                )
            }
            let imports = try Row.fetchAll(db, sql: "SELECT * FROM register_import ORDER BY id").filter { row in
                assetID == nil || fields[row["id"]] != nil || inserted[row["id"]] != nil
            }
            // Each import's changes in the order of its file: the two lists merged by position, each import's
            // lists let go once merged, so that a feed's insertions are held at most twice at once.
            var merged: [Int: [RegisterChange]] = [:]
            for row in imports {
                let importID: Int = row["id"]
                let rows = fields.removeValue(forKey: importID) ?? []
                let insertions = inserted.removeValue(forKey: importID) ?? []
                var ordered: [RegisterChange] = []
                ordered.reserveCapacity(rows.count + insertions.count)
                var (nextRow, nextInsertion) = (0, 0)
                while nextRow < rows.count || nextInsertion < insertions.count {
                    if nextInsertion == insertions.count
                        || (nextRow < rows.count && rows[nextRow].position < insertions[nextInsertion].position)
                    {
                        ordered.append(rows[nextRow].change)
                        nextRow += 1
                    } else {
                        ordered.append(insertions[nextInsertion].change)
                        nextInsertion += 1
                    }
                }
                merged[importID] = ordered
            }
            return try HistoryRows.records(
                imports: imports.map { row in
                    HistoryRows.Import(
                        id: row["id"],
                        who: row["who"],
                        at: row["at"],
                        file: row["file"],
                        sha256: row["sha256"],
                        kind: row["kind"],
                        inserted: row["inserted"],
                        updated: row["updated"]
                    )
                },
                changes: consume merged
            )
        }
    }

    // MARK: Reading

    public func assets(matching filter: AssetFilter) throws -> [Asset] {
        let rows = try read { db in
            let request = AssetRow.all().matching(filter).orderedByHierarchy()
            return try SQLiteBulk.assetRows(request.makePreparedRequest(db, forSingleResult: false).statement, db: db)
                ?? request.fetchAll(db)
        }
        return try converting { () throws(StoredValueProblem) in
            try rows.map { row throws(StoredValueProblem) in try row.asset() }
        }
    }

    public func utilisation(from first: YearMonth, through last: YearMonth) throws -> [UtilisationRecord] {
        if let records = try read({ db in try SQLiteBulk.utilisation(from: first, through: last, db: db) }) {
            return records
        }
        let rows = try read { db in
            try UtilisationRow
                .filter(UtilisationRow.Columns.month >= UtilisationRow.text(of: first))
                .filter(UtilisationRow.Columns.month <= UtilisationRow.text(of: last))
                .order(UtilisationRow.Columns.assetID, UtilisationRow.Columns.month)
                .fetchAll(db)
        }
        return try converting { () throws(StoredValueProblem) in
            try rows.map { row throws(StoredValueProblem) in try row.record() }
        }
    }

    public func assetIDs() throws -> Set<AssetID> {
        try read { db in try Self.assetIDs(db) }
    }

    public func assetPlaces() throws -> [AssetPlace] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT asset_id, network, trust, site FROM asset").map { row in
                AssetPlace(
                    id: AssetID(row[0] as String),
                    network: (row[1] as String?).map { NetworkName($0) },
                    trust: TrustName(row[2] as String),
                    site: SiteName(row[3] as String)
                )
            }
        }
    }

    private static func assetIDs(_ db: Database) throws -> Set<AssetID> {
        let ids = try String.fetchSet(db, AssetRow.select(AssetRow.Columns.assetID))
        return Set(ids.lazy.map { AssetID($0) })
    }

    /// The whole database as text (schema, then every row of every table in a stable order), for tests that
    /// check a failed import changed nothing, and for support.
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    public func dump() throws -> String {
        final class Text: TextOutputStream {
            var value = ""
            func write(_ string: String) { value += string }
        }
        let text = Text()
        do {
            try writer.dumpContent(format: .quote(), to: text)
        } catch {
            throw RegisterStoreError(location: location, failure: "cannot be read", reason: Self.reason(error))
        }
        return text.value
    }

    private func read<T>(_ body: (Database) throws -> T) throws(RegisterStoreError) -> T {
        do {
            return try writer.read(body)
        } catch let problem as StoredValueProblem {
            throw RegisterStoreError(location: location, unreadable: problem)
        } catch {
            throw RegisterStoreError(location: location, failure: "cannot be read", reason: Self.reason(error))
        }
    }

    private func converting<T>(_ body: () throws(StoredValueProblem) -> T) throws(RegisterStoreError) -> T {
        do {
            return try body()
        } catch {
            throw RegisterStoreError(location: location, unreadable: error)
        }
    }

    // MARK: Messages

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    /// SQLite's reason, with the likely cause where SQLite's own words ("unable to open database file") do
    /// not say it.
    private static func openingReason(_ error: any Error, path: String) -> String {
        let reason = reason(error)
        guard let error = error as? DatabaseError else { return reason }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CANTOPEN:
            var isDirectory: ObjCBool = false
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return "\(reason): it is a folder, not a database file"
            }
            if !FileManager.default.fileExists(atPath: folder) {
                return "\(reason): the folder \(folder) does not exist"
            }
            return "\(reason): check that the folder is writable"
        case .SQLITE_NOTADB: return "\(reason): the file is not an SQLite register database"
        case .SQLITE_BUSY: return "\(reason): another fleet command held it for over \(Int(busyTimeoutSeconds)) s"
        default: return reason
        }
    }
}

/// A check of the store's own that failed inside a transaction (which is then rolled back).
private struct StoreCheckFailure: Error {
    var reason: String
}

extension DerivableRequest<AssetRow> {
    /// The assets that pass `filter`; names compare ignoring ASCII case.
    func matching(_ filter: AssetFilter) -> Self {
        var request = self
        if let network = filter.network {
            request = request.filter(AssetRow.Columns.network.collating(.nocase) == network.rawValue)
        }
        if let trust = filter.trust {
            request = request.filter(AssetRow.Columns.trust.collating(.nocase) == trust.rawValue)
        }
        if let site = filter.site {
            request = request.filter(AssetRow.Columns.site.collating(.nocase) == site.rawValue)
        }
        if let modality = filter.modality { request = request.filter(AssetRow.Columns.modality == modality.rawValue) }
        if !filter.includesDecommissioned {
            request = request.filter(AssetRow.Columns.status == AssetStatus.inService.rawValue)
        }
        return request
    }

    /// Ordered down the hierarchy: network, trust, site, then `asset_id`.
    func orderedByHierarchy() -> Self {
        order(AssetRow.Columns.network, AssetRow.Columns.trust, AssetRow.Columns.site, AssetRow.Columns.assetID)
    }
}
