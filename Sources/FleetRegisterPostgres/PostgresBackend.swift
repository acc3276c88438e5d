import FleetCore
import FleetRegister

#if Postgres
import Logging
import PostgresNIO
#endif

/// The PostgreSQL backend as the command line uses it: open a register, create one (`fleet db init`), grant a role a
/// trust (`fleet db grant`). Built only with the package's `Postgres` trait; without it each call says so.
public enum PostgresBackend {
    /// Whether this build has the PostgreSQL backend.
    #if Postgres
    public static let isBuiltIn = true
    #else
    public static let isBuiltIn = false
    #endif

    /// The register at `url`.
    /// - Throws: ``RegisterStoreError`` (exit 4) when it cannot be reached or has no register;
    ///   ``PostgresUnavailable`` without the trait; ``InvalidInput`` (exit 2) for a URL fleet cannot read.
    public static func openStore(_ url: String, hooks: RegisterWriteHooks = .none) throws -> any RegisterStore {
        #if Postgres
        return try PostgresRegisterStore(url: url, hooks: hooks)
        #else
        throw PostgresUnavailable()
        #endif
    }

    /// Creates the register's tables, functions and row-level security policies at `url`, in one transaction, as the
    /// role the URL names, which becomes their owner; a database that has them already is left as it is.
    /// - Returns: what was done, as a sentence.
    /// - Throws: ``RegisterStoreError`` naming the server's reason; nothing is then created.
    public static func initialise(_ url: String) throws -> String {
        #if Postgres
        let target = try PostgresLocation(url)
        return try administering(target) { run in
            if try run("SELECT to_regclass('fleet_schema') IS NOT NULL", PostgresBindings()).first?.decode(Bool.self)
                == true
            {
                return "\(target.description): the register exists already; nothing was changed"
            }
            for statement in PostgresSchema.creation { _ = try run(statement, PostgresBindings()) }
            return "\(target.description): register created, owned by \(target.user), with row-level security on "
                + PostgresSchema.tables.joined(separator: ", ")
        }
        #else
        throw PostgresUnavailable()
        #endif
    }

    /// Lets `role` write the assets (and their utilisation) of `trust`; every role granted a trust reads the whole
    /// register. Run as the owner.
    /// - Returns: what was done, as a sentence.
    /// - Throws: ``InvalidInput`` (exit 2) when the role does not exist; ``RegisterStoreError`` otherwise.
    public static func grant(role: String, trust: String, at url: String) throws -> String {
        #if Postgres
        let target = try PostgresLocation(url)
        return try administering(target) { run in
            var exists = PostgresBindings()
            exists.append(role)
            guard try !run("SELECT 1 FROM pg_roles WHERE rolname = $1", exists).isEmpty else {
                throw InvalidInput(
                    InputIssue(
                        file: target.description,
                        line: nil,
                        problem: "has no role '\(role)'; create it first (CREATE ROLE \(role) LOGIN) and grant it again"
                    )
                )
            }
            for statement in PostgresSchema.grant(to: PostgresSchema.quoted(role)) {
                _ = try run(statement, PostgresBindings())
            }
            var row = PostgresBindings()
            row.append(role)
            row.append(trust)
            _ = try run("INSERT INTO trust_writer (role, trust) VALUES ($1, $2) ON CONFLICT DO NOTHING", row)
            return "\(target.description): \(role) may now write the assets and utilisation of \(trust)"
        }
        #else
        throw PostgresUnavailable()
        #endif
    }

    #if Postgres
    /// Runs `body` in one transaction on a new connection to `target`, with a function that runs one statement.
    private static func administering<T>(
        _ target: PostgresLocation,
        _ body: ((String, PostgresBindings) throws -> [PostgresRow]) throws -> T
    ) throws -> T {
        let connection = try PostgresRegisterStore.connect(target)
        defer { try? connection.close().wait() }
        let logger = Logger(label: "FleetRegisterPostgres")
        let run = { (sql: String, binds: PostgresBindings) throws -> [PostgresRow] in
            try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().rows
        }
        do {
            _ = try run("BEGIN", PostgresBindings())
            let result = try body(run)
            _ = try run("COMMIT", PostgresBindings())
            return result
        } catch let error as InvalidInput {
            throw error
        } catch {
            throw RegisterStoreError(
                location: target.description,
                failure: "was not changed",
                reason: PostgresRegisterStore.reason(error)
            )
        }
    }
    #endif
}

/// This fleet was built without the PostgreSQL backend.
public struct PostgresUnavailable: FleetError, Sendable {
    /// A refusal.
    public init() {}

    /// Always 4: the command cannot be carried out by this build.
    public var exitCode: FleetExitCode { .failure }

    /// Says how to build the backend in.
    public var description: String {
        "this fleet was built without the PostgreSQL backend; build it with `swift build -c release --traits Postgres`"
            + " (or use an SQLite register: --db FILE)"
    }
}
