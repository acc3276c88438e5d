import FleetCore

/// Where the asset register and its utilisation records are kept.
///
/// The command line and the pipeline talk to the register only through this protocol, so the SQLite store
/// can be replaced (a server database, an in-memory store in tests) without touching them.
///
/// Upsert semantics: an asset that is imported again replaces the stored asset as a whole (a column left
/// empty in the new file becomes empty in the register); its utilisation records are kept. A utilisation
/// record imported again for the same asset and month replaces the stored one. Assets are never deleted:
/// a unit taken out of use is marked `decommissioned`.
public protocol RegisterStore: Sendable {
    /// Inserts or replaces assets by `asset_id`, all in one transaction (all or nothing), and records the import
    /// in the register's history: who, when, `source`, and every row inserted and field changed.
    /// - Returns: how many assets were new and how many replaced stored ones.
    /// - Throws: ``RegisterStoreError`` when the database cannot be written, ``RegisterWriteRefused`` (exit 2) when
    ///   the database does not let this user write some of the rows; nothing is then written.
    func upsert(assets: [Asset], from source: ImportSource) throws -> UpsertSummary

    /// Inserts or replaces utilisation records by (`asset_id`, `month`), all in one transaction, and records the
    /// import in the history; every asset they name must already be in the register.
    /// - Returns: how many records were new and how many replaced stored ones.
    /// - Throws: ``RegisterStoreError`` when a record names an unknown asset or the database cannot be
    ///   written, ``RegisterWriteRefused`` (exit 2) when this user may not write some of the rows; nothing is then
    ///   written.
    func upsert(utilisation: [UtilisationRecord], from source: ImportSource) throws -> UpsertSummary

    /// The assets that pass `filter`, ordered by network, trust, site and `asset_id` (assets without a
    /// network first).
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    func assets(matching filter: AssetFilter) throws -> [Asset]

    /// The utilisation records of the months `first` through `last` (both included), ordered by asset and
    /// month.
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    func utilisation(from first: YearMonth, through last: YearMonth) throws -> [UtilisationRecord]

    /// The identifiers of every asset in the register.
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    func assetIDs() throws -> Set<AssetID>

    /// Where every asset of the register sits: its network, trust and site.
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    func assetPlaces() throws -> [AssetPlace]

    /// Every import in the order they committed, each with its changes; with `assetID`, only the imports that
    /// changed that asset or its utilisation, each with those changes alone. Without `insertions`, the changes leave
    /// out the rows inserted (each import still counts them): a national feed inserts hundreds of thousands.
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    func history(of assetID: AssetID?, insertions: Bool) throws -> [RegisterImportRecord]

    /// The last import of a register file that inserted or changed each asset (utilisation imports aside), for the
    /// workbook's Register sheet; assets written before the history began have none.
    /// - Throws: ``RegisterStoreError`` when the database cannot be read.
    func lastChanges() throws -> [AssetID: AssetLastChange]
}

/// Where an asset of the register sits.
public struct AssetPlace: Hashable, Sendable {
    public var id: AssetID
    public var network: NetworkName?
    public var trust: TrustName
    public var site: SiteName

    public init(id: AssetID, network: NetworkName?, trust: TrustName, site: SiteName) {
        self.id = id
        self.network = network
        self.trust = trust
        self.site = site
    }

    /// Where `asset` sits.
    public init(_ asset: Asset) {
        self.init(id: asset.id, network: asset.network, trust: asset.trust, site: asset.site)
    }
}

extension RegisterStore {
    /// Every import with all its changes, insertions included (``history(of:insertions:)``).
    public func history(of assetID: AssetID?) throws -> [RegisterImportRecord] {
        try history(of: assetID, insertions: true)
    }

    /// The places of ``assets(matching:)`` for the whole register (a store may read them more cheaply).
    public func assetPlaces() throws -> [AssetPlace] { try assets(matching: .all).map(AssetPlace.init) }

    /// Upserts `assets` that came from no file (tests, benchmarks); the history records them with an empty name.
    public func upsert(assets: [Asset]) throws -> UpsertSummary { try upsert(assets: assets, from: .unnamed) }

    /// Upserts `utilisation` that came from no file; the history records it with an empty name.
    public func upsert(utilisation: [UtilisationRecord]) throws -> UpsertSummary {
        try upsert(utilisation: utilisation, from: .unnamed)
    }
}

/// Test hooks a store calls at fixed points of a write, so that a fault test can stop or kill the process there
/// (`fleet-fault-import`, a test-only executable). Production code passes none.
public struct RegisterWriteHooks: Sendable {
    /// Called once every row of a write is in its transaction and sent to the database (for SQLite, flushed to
    /// the write-ahead log), just before the commit.
    public var beforeCommit: (@Sendable () -> Void)?

    /// Hooks that call `beforeCommit` before each commit.
    public init(beforeCommit: (@Sendable () -> Void)? = nil) {
        self.beforeCommit = beforeCommit
    }

    /// No hooks: what every command uses.
    public static let none = RegisterWriteHooks()
}

/// The database refused a write because this user may not write some of its rows (PostgreSQL's row-level
/// security: each trust's role writes that trust's rows only). Nothing was written.
public struct RegisterWriteRefused: FleetError, Sendable {
    /// The database as the user named it.
    public var location: String
    /// Who tried to write (the database role).
    public var who: String
    /// The rows refused, as `asset_id (trust)` or `asset_id month`, in the order of the file.
    public var rows: [String]
    /// The database's own words.
    public var reason: String

    /// A refusal of `rows` for `who`.
    public init(location: String, who: String, rows: [String], reason: String) {
        self.location = location
        self.who = who
        self.rows = rows
        self.reason = reason
    }

    /// Always 2: the input asks for a write its user may not make.
    public var exitCode: FleetExitCode { .invalidInput }

    /// Names the role, up to ten rows, and that nothing was written.
    public var description: String {
        let shown = rows.prefix(10).joined(separator: ", ") + (rows.count > 10 ? ", … (\(rows.count) in all)" : "")
        let count = rows.count == 1 ? "1 row" : "\(rows.count) rows"
        return "\(location): role \(who) may not write \(count) of trusts it was not granted: \(shown) (\(reason)); "
            + "nothing was written. The database owner grants a trust with `fleet db grant \(who) --trust NAME`."
    }
}

/// Which assets a listing wants. Each criterion that is set must match; names match ignoring ASCII case.
public struct AssetFilter: Hashable, Sendable {
    /// Only assets of this network.
    public var network: NetworkName?
    /// Only assets of this trust.
    public var trust: TrustName?
    /// Only assets at this site.
    public var site: SiteName?
    /// Only assets of this modality.
    public var modality: Modality?
    /// Whether decommissioned assets are listed too.
    public var includesDecommissioned: Bool

    /// A filter with the given criteria; with no arguments it matches every asset.
    public init(
        network: NetworkName? = nil,
        trust: TrustName? = nil,
        site: SiteName? = nil,
        modality: Modality? = nil,
        includesDecommissioned: Bool = true
    ) {
        self.network = network
        self.trust = trust
        self.site = site
        self.modality = modality
        self.includesDecommissioned = includesDecommissioned
    }

    /// Every asset, decommissioned ones included.
    public static let all = AssetFilter()

    /// Every asset in service (what rankings and plans read).
    public static let inService = AssetFilter(includesDecommissioned: false)
}

/// What an upsert changed.
public struct UpsertSummary: Hashable, Sendable {
    /// Rows that were not in the register before.
    public var inserted: Int
    /// Rows that replaced a stored row with the same key.
    public var updated: Int

    /// A summary of `inserted` new and `updated` replaced rows.
    public init(inserted: Int, updated: Int) {
        self.inserted = inserted
        self.updated = updated
    }
}

/// The register database could not be opened, read or written.
public struct RegisterStoreError: FleetError, Sendable {
    /// The database as the user named it (a path, or `:memory:`).
    public var location: String
    /// What failed, as a verb phrase: `cannot be opened`, `cannot be written`.
    public var failure: String
    /// The reason, from SQLite or from the store's own checks.
    public var reason: String

    /// A failure of `location`.
    public init(location: String, failure: String, reason: String) {
        self.location = location
        self.failure = failure
        self.reason = reason
    }

    /// A read of `location` that met `problem`, a value fleet does not write (a database edited by hand); both
    /// stores report it so.
    package init(location: String, unreadable problem: StoredValueProblem) {
        self.init(location: location, failure: "holds a value fleet cannot read", reason: problem.description)
    }

    /// Always 4: an I/O or internal failure.
    public var exitCode: FleetExitCode { .failure }

    /// `fleet.sqlite: the register database cannot be opened (unable to open database file)`.
    public var description: String { "\(location): the register database \(failure) (\(reason))" }
}
