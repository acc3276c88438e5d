#if Postgres
import FleetCore
import FleetRegister
import Foundation
import Logging
import PostgresNIO

/// The shared register in a PostgreSQL database, through PostgresNIO, under the row-level security that
/// `fleet db init` sets up (``PostgresSchema``).
///
/// PostgresNIO is asynchronous (SwiftNIO event loops); ``RegisterStore`` is synchronous, so each call here waits for
/// its query's future on the calling thread, which is never an event-loop thread, and never holds a Swift concurrency
/// thread waiting on another task. One connection per store, used by one call at a time.
///
/// An import is one transaction, as on SQLite: an advisory lock queues two imports (so the history's old values are
/// exact), the rows are sent in multi-row statements of bound values, the history rows follow, and the commit comes
/// last; a refusal by the server's policies rolls everything back and names the rows.
public final class PostgresRegisterStore: RegisterStore, @unchecked Sendable {
    /// The database, for messages (never with the password).
    public let location: String
    private let connection: PostgresConnection
    private let logger = Logger(label: "FleetRegisterPostgres")
    private let hooks: RegisterWriteHooks
    private let lock = NSLock()

    /// Rows per INSERT statement: 16 columns × 2,000 rows stays under PostgreSQL's 65,535 parameters.
    private static let rowsPerStatement = 2_000
    /// The advisory lock every import of the register takes for its transaction.
    private static let importLock = 7_201_617

    /// Connects to the register that `url` names and checks that `fleet db init` has made it.
    /// - Throws: ``RegisterStoreError`` naming the database and the server's reason.
    public init(url: String, hooks: RegisterWriteHooks = .none) throws {
        let target = try PostgresLocation(url)
        location = target.description
        self.hooks = hooks
        connection = try Self.connect(target)
        do {
            let version = try connection.query("SELECT version FROM fleet_schema", logger: logger).wait().rows.first
            guard let version, try version.decode(Int.self) <= PostgresSchema.version else {
                throw PostgresFailure(reason: "it was written by a newer version of fleet; update fleet to use it")
            }
        } catch {
            try? connection.close().wait()
            let reason =
                Self.sqlState(error) == "42P01"
                ? "it has no register yet; its owner runs `fleet db init --db \(location)` first"
                : Self.reason(error)
            throw RegisterStoreError(location: location, failure: "cannot be opened", reason: reason)
        }
    }

    deinit {
        try? connection.close().wait()
    }

    /// A connection to `target`.
    static func connect(_ target: PostgresLocation) throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let folder = target.socketFolder {
            configuration = .init(
                unixSocketPath: "\(folder)/.s.PGSQL.\(target.port)",
                username: target.user,
                password: target.password,
                database: target.database
            )
        } else {
            configuration = .init(
                host: target.host ?? "localhost",
                port: target.port,
                username: target.user,
                password: target.password,
                database: target.database,
                tls: .disable
            )
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            return try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(),
                configuration: configuration,
                id: 1,
                logger: Logger(label: "FleetRegisterPostgres")
            ).wait()
        } catch {
            throw RegisterStoreError(location: target.description, failure: "cannot be opened", reason: reason(error))
        }
    }

    // MARK: Writing

    public func upsert(assets: [Asset], from source: ImportSource) throws -> UpsertSummary {
        try write { () throws -> UpsertSummary in
            let ids = Array(Set(assets.lazy.map(\.id.rawValue)))
            let stored = try rows("SELECT * FROM asset WHERE asset_id = ANY(\(ids))").map(Self.asset)
            let diff = RegisterDiff.assets(assets, over: Dictionary(stored.map { ($0.id, $0) }) { first, _ in first })
            do {
                try insert(
                    table: "asset",
                    columns: RegisterFile.columns,
                    key: ["asset_id"],
                    rows: assets,
                    keyOf: { AnyHashable($0.id) },
                    bind: Self.bind(_:into:)
                )
            } catch let error where Self.sqlState(error) == "42501" {
                throw try refusal(of: assets, stored: stored, reason: Self.reason(error))
            }
            try record(diff, of: .register, from: source)
            return diff.summary
        }
    }

    public func upsert(utilisation: [UtilisationRecord], from source: ImportSource) throws -> UpsertSummary {
        try write { () throws -> UpsertSummary in
            let ids = Array(Set(utilisation.lazy.map(\.assetID.rawValue)))
            let known = Set(
                try rows("SELECT asset_id FROM asset WHERE asset_id = ANY(\(ids))").map { try $0.decode(String.self) }
            )
            let unknown = ids.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty {
                let shown =
                    unknown.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (unknown.count > 5 ? ", …" : "")
                let count = unknown.count == 1 ? "1 asset that is" : "\(unknown.count) assets that are"
                throw RegisterStoreError(
                    location: location,
                    failure: "was not changed",
                    reason: "utilisation names \(count) not in the register (\(shown))"
                )
            }
            let diff = RegisterDiff.utilisation(
                utilisation,
                over: try storedUtilisation(covering: utilisation, ids: ids)
            )
            do {
                try insert(
                    table: "utilisation",
                    columns: UtilisationFile.columns,
                    key: ["asset_id", "month"],
                    rows: utilisation,
                    keyOf: { AnyHashable(UtilisationKey($0)) },
                    bind: Self.bind(_:into:)
                )
            } catch let error where Self.sqlState(error) == "42501" {
                throw try refusal(of: utilisation, reason: Self.reason(error))
            }
            try record(diff, of: .utilisation, from: source)
            return diff.summary
        }
    }

    private func storedUtilisation(
        covering records: [UtilisationRecord],
        ids: [String]
    ) throws -> [UtilisationKey: UtilisationRecord] {
        let keys = Set(records.lazy.map(UtilisationKey.init))
        var stored: [UtilisationKey: UtilisationRecord] = [:]
        for row in try rows("SELECT * FROM utilisation WHERE asset_id = ANY(\(ids))") {
            let record = try Self.record(row)
            let key = UtilisationKey(record)
            if keys.contains(key) { stored[key] = record }
        }
        return stored
    }

    /// Inserts or updates `rows` in statements of up to ``rowsPerStatement`` rows each, in order.
    ///
    /// A key repeated within one statement would fail ("ON CONFLICT DO UPDATE command cannot affect row a second
    /// time"), so a statement ends before a key it already holds: the later copy goes in the next one and wins, as on
    /// SQLite.
    private func insert<Row>(
        table: String,
        columns: [String],
        key: [String],
        rows: [Row],
        keyOf: (Row) -> AnyHashable,
        bind: (Row, inout PostgresBindings) -> Void
    ) throws {
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        var start = 0
        while start < rows.count {
            var bindings = PostgresBindings(capacity: min(rows.count - start, Self.rowsPerStatement) * columns.count)
            var values: [String] = []
            var keys: Set<AnyHashable> = []
            var end = start
            while end < rows.count, values.count < Self.rowsPerStatement, keys.insert(keyOf(rows[end])).inserted {
                bind(rows[end], &bindings)
                let first = values.count * columns.count
                values.append("(" + (1...columns.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
                end += 1
            }
            // With no key (the history, which is only ever added to), a plain INSERT: the roles may not UPDATE it.
            let sql =
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values.joined(separator: ", "))"
                + (key.isEmpty ? "" : " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(updates)")
            try execute(PostgresQuery(unsafeSQL: sql, binds: bindings))
            start = end
        }
    }

    /// Adds the import and its changes to the history, in the import's transaction.
    private func record(_ diff: RegisterDiff, of kind: RegisterImportRecord.Kind, from source: ImportSource) throws {
        let importRow = try rows(
            """
            INSERT INTO register_import (file, sha256, kind, inserted, updated)
            VALUES (\(source.file), \(source.sha256), \(kind.rawValue), \(diff.inserted), \(diff.updated))
            RETURNING id
            """
        )
        guard let importID = try importRow.first?.decode(Int.self) else {
            throw PostgresFailure(reason: "the server returned no import number")
        }
        let changes = Array(diff.changes.enumerated())
        try insert(
            table: "register_change",
            columns: ["import_id", "position", "asset_id", "month", "field", "old_value", "new_value"],
            key: [],
            rows: changes,
            keyOf: { AnyHashable($0.offset) },
            bind: { item, bindings in
                let (position, change) = item
                bindings.append(importID)
                bindings.append(position)
                bindings.append(change.assetID.rawValue)
                bindings.append(change.month.map(UtilisationRow.text(of:)))
                bindings.append(change.field)
                bindings.append(change.old)
                bindings.append(change.new)
            }
        )
    }

    /// Runs `body` in one transaction that holds the import lock; nothing is written unless `body` returns.
    private func write<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            try execute("BEGIN")
            do {
                try execute("SELECT pg_advisory_xact_lock(\(Self.importLock))")
                let result = try body()
                hooks.beforeCommit?()
                try execute("COMMIT")
                return result
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        } catch let error as RegisterWriteRefused {
            throw error
        } catch let error as RegisterStoreError {
            throw error
        } catch {
            throw RegisterStoreError(location: location, failure: "cannot be written", reason: Self.reason(error))
        }
    }

    // MARK: Refusals

    /// The trusts this role may write, lowercased.
    private func writableTrusts() throws -> Set<String> {
        Set(
            try rows("SELECT lower(trust) FROM trust_writer WHERE role = current_user").map {
                try $0.decode(String.self)
            }
        )
    }

    private func role() throws -> String {
        try rows("SELECT current_user::text").first?.decode(String.self) ?? ""
    }

    /// The refusal of an asset import: every asset whose new or stored trust this role may not write.
    private func refusal(of assets: [Asset], stored: [Asset], reason: String) throws -> RegisterWriteRefused {
        try execute("ROLLBACK")
        try execute("BEGIN")
        let writable = try writableTrusts()
        let storedTrust = Dictionary(stored.map { ($0.id, $0.trust.rawValue) }) { first, _ in first }
        var refused: [String] = []
        for asset in assets {
            for trust in [asset.trust.rawValue, storedTrust[asset.id]].compactMap(\.self)
            where !writable.contains(trust.lowercased()) {
                refused.append("\(asset.id.rawValue) (\(trust))")
                break
            }
        }
        return RegisterWriteRefused(location: location, who: try role(), rows: refused, reason: reason)
    }

    /// The refusal of a utilisation import: every record of an asset whose trust this role may not write.
    private func refusal(of records: [UtilisationRecord], reason: String) throws -> RegisterWriteRefused {
        try execute("ROLLBACK")
        try execute("BEGIN")
        let writable = try writableTrusts()
        let ids = Array(Set(records.lazy.map(\.assetID.rawValue)))
        var trusts: [String: String] = [:]
        for row in try rows("SELECT asset_id, trust FROM asset WHERE asset_id = ANY(\(ids))") {
            let (id, trust) = try row.decode((String, String).self)
            trusts[id] = trust
        }
        let refused = records.compactMap { record -> String? in
            guard let trust = trusts[record.assetID.rawValue], !writable.contains(trust.lowercased()) else {
                return nil
            }
            return "\(record.assetID.rawValue) \(record.month) (\(trust))"
        }
        return RegisterWriteRefused(location: location, who: try role(), rows: refused, reason: reason)
    }

    // MARK: Reading

    public func assets(matching filter: AssetFilter) throws -> [Asset] {
        var query = PostgresQuery(unsafeSQL: "")
        var conditions: [String] = []
        var bindings = PostgresBindings()
        // ASCII case only, as SQLite's NOCASE compares.
        func caseless(_ column: String, _ value: String) {
            bindings.append(value)
            conditions.append("\(Self.asciiLower(column)) = \(Self.asciiLower("$\(bindings.count)"))")
        }
        if let network = filter.network { caseless("network", network.rawValue) }
        if let trust = filter.trust { caseless("trust", trust.rawValue) }
        if let site = filter.site { caseless("site", site.rawValue) }
        if let modality = filter.modality {
            bindings.append(modality.rawValue)
            conditions.append("modality = $\(bindings.count)")
        }
        if !filter.includesDecommissioned { conditions.append("status = 'in_service'") }
        // SQLite's order: NULL networks first, then text by byte (the C collation), whatever the server's locale.
        query.sql =
            "SELECT * FROM asset" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY network COLLATE \"C\" NULLS FIRST, trust COLLATE \"C\", site COLLATE \"C\", asset_id COLLATE \"C\""
        query.binds = bindings
        return try reading { try rows(query).map(Self.asset) }
    }

    public func utilisation(from first: YearMonth, through last: YearMonth) throws -> [UtilisationRecord] {
        try reading {
            try rows(
                """
                SELECT * FROM utilisation WHERE month >= \(UtilisationRow.text(of: first))
                AND month <= \(UtilisationRow.text(of: last)) ORDER BY asset_id COLLATE "C", month COLLATE "C"
                """
            ).map(Self.record)
        }
    }

    public func assetIDs() throws -> Set<AssetID> {
        try reading { Set(try rows("SELECT asset_id FROM asset").map { AssetID(try $0.decode(String.self)) }) }
    }

    public func lastChanges() throws -> [AssetID: AssetLastChange] {
        try reading {
            let at = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            let register = RegisterImportRecord.Kind.register.rawValue
            let imports = try rows(
                PostgresQuery(
                    unsafeSQL: "SELECT id, who, \(at), file FROM register_import WHERE kind = $1",
                    binds: Self.bindings(register)
                )
            ).map { row in
                let (id, who, at, file) = try row.decode((Int, String, String, String).self)
                return HistoryRows.Import(
                    id: id,
                    who: who,
                    at: at,
                    file: file,
                    sha256: "",
                    kind: register,
                    inserted: 0,
                    updated: 0
                )
            }
            let changes = try rows(
                "SELECT import_id, asset_id, field FROM register_change WHERE month IS NULL ORDER BY import_id, position"
            ).map { row in
                let (importID, assetID, field) = try row.decode((Int, String, String?).self)
                return (importID: importID, assetID: assetID, field: field)
            }
            return HistoryRows.lastChanges(imports: imports, changes: changes)
        }
    }

    public func history(of assetID: AssetID?, insertions: Bool) throws -> [RegisterImportRecord] {
        try reading {
            let id = assetID?.rawValue
            let at = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            let imports = try rows(
                PostgresQuery(
                    unsafeSQL: "SELECT id, who, \(at), file, sha256, kind, inserted, updated FROM register_import"
                        + (id == nil ? "" : " WHERE id IN (SELECT import_id FROM register_change WHERE asset_id = $1)")
                        + " ORDER BY id",
                    binds: Self.bindings(id)
                )
            ).map { row in
                let (id, who, at, file, sha256, kind, inserted, updated) = try row.decode(
                    (Int, String, String, String, String, String, Int, Int).self
                )
                return HistoryRows.Import(
                    id: id,
                    who: who,
                    at: at,
                    file: file,
                    sha256: sha256,
                    kind: kind,
                    inserted: inserted,
                    updated: updated
                )
            }
            // Each import's changes, in the order of its file.
            var changes: [Int: [RegisterChange]] = [:]
            for row in try rows(
                PostgresQuery(
                    unsafeSQL: "SELECT import_id, asset_id, month, field, old_value, new_value FROM register_change"
                        + (id == nil ? " WHERE true" : " WHERE asset_id = $1")
                        + (insertions ? "" : " AND field IS NOT NULL") + " ORDER BY import_id, position",
                    binds: Self.bindings(id)
                )
            ) {
                let (importID, assetID, month, field, old, new) = try row.decode(
                    (Int, String, String?, String?, String?, String?).self
                )
                changes[importID, default: []].append(
                    try HistoryRows.change(assetID: assetID, month: month, field: field, old: old, new: new)
                )
            }
            return try HistoryRows.records(imports: imports, changes: consume changes)
        }
    }

    // MARK: Queries

    private func reading<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body()
        } catch let problem as StoredValueProblem {
            throw RegisterStoreError(location: location, unreadable: problem)
        } catch {
            throw RegisterStoreError(location: location, failure: "cannot be read", reason: Self.reason(error))
        }
    }

    private func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try connection.query(query, logger: logger).wait().rows
    }

    private func execute(_ query: PostgresQuery) throws {
        _ = try connection.query(query, logger: logger).wait()
    }

    private static func bindings(_ value: String?) -> PostgresBindings {
        var bindings = PostgresBindings()
        if let value { bindings.append(value) }
        return bindings
    }

    /// `expression` lowercased in ASCII only (`A`–`Z`), as SQLite's NOCASE collation folds.
    private static func asciiLower(_ expression: String) -> String {
        "translate(\(expression), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    // MARK: Rows

    private static func bind(_ asset: Asset, into bindings: inout PostgresBindings) {
        let row = AssetRow(asset)
        bindings.append(row.assetID)
        bindings.append(row.network)
        bindings.append(row.trust)
        bindings.append(row.site)
        bindings.append(row.modality)
        bindings.append(row.equipmentClass)
        bindings.append(row.manufacturer)
        bindings.append(row.model)
        bindings.append(row.isMobile)
        bindings.append(row.installDate)
        bindings.append(row.replacementCostGBP)
        bindings.append(row.serviceCostGBPPerYear)
        bindings.append(row.endOfSupport)
        bindings.append(row.criticality)
        bindings.append(row.status)
        bindings.append(row.notes)
    }

    private static func bind(_ record: UtilisationRecord, into bindings: inout PostgresBindings) {
        let row = UtilisationRow(record)
        bindings.append(row.assetID)
        bindings.append(row.month)
        bindings.append(row.scans)
        bindings.append(row.availableHours)
        bindings.append(row.downtimeHours)
        bindings.append(row.breakdowns)
        bindings.append(row.serviceCostGBP)
    }

    private static func asset(_ row: PostgresRow) throws -> Asset {
        let cells = row.makeRandomAccess()
        let stored = AssetRow(
            assetID: try cells["asset_id"].decode(String.self),
            network: try cells["network"].decode(String?.self),
            trust: try cells["trust"].decode(String.self),
            site: try cells["site"].decode(String.self),
            modality: try cells["modality"].decode(String.self),
            equipmentClass: try cells["class"].decode(String?.self),
            manufacturer: try cells["manufacturer"].decode(String?.self),
            model: try cells["model"].decode(String?.self),
            isMobile: try cells["mobile"].decode(Bool.self),
            installDate: try cells["install_date"].decode(String.self),
            replacementCostGBP: try cells["replacement_cost_gbp"].decode(Double?.self),
            serviceCostGBPPerYear: try cells["service_cost_gbp_per_year"].decode(Double?.self),
            endOfSupport: try cells["end_of_support"].decode(String?.self),
            criticality: try cells["criticality"].decode(Int?.self),
            status: try cells["status"].decode(String.self),
            notes: try cells["notes"].decode(String.self)
        )
        return try stored.asset()
    }

    private static func record(_ row: PostgresRow) throws -> UtilisationRecord {
        let cells = row.makeRandomAccess()
        let stored = UtilisationRow(
            assetID: try cells["asset_id"].decode(String.self),
            month: try cells["month"].decode(String.self),
            scans: try cells["scans"].decode(Int.self),
            availableHours: try cells["available_hours"].decode(Double?.self),
            downtimeHours: try cells["downtime_hours"].decode(Double?.self),
            breakdowns: try cells["breakdowns"].decode(Int?.self),
            serviceCostGBP: try cells["service_cost_gbp"].decode(Double?.self)
        )
        return try stored.record()
    }

    // MARK: Messages

    /// The server's SQLSTATE, when the error came from the server.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The server's message (with its detail), or the client's reason.
    static func reason(_ error: any Error) -> String {
        if let failure = error as? PostgresFailure { return failure.reason }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            return message + (info[.detail].map { ": \($0)" } ?? "")
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

/// A check of the store's own that failed.
struct PostgresFailure: Error {
    var reason: String
}
#endif
