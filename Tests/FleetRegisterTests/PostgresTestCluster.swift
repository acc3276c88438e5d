import FleetRegister
import FleetRegisterPostgres
import FleetTestSupport
import Foundation

/// PostgreSQL registers for the store tests, on the cluster `FLEET_TEST_POSTGRES_URL` names.
enum PostgresTestCluster {
    /// The role the store tests write as.
    static let writerRole = "fleet_test_writer"

    /// Whether the PostgreSQL tests run: the backend is built in and a cluster is given.
    static var isAvailable: Bool { PostgresBackend.isBuiltIn && PostgresTestServer.isConfigured }

    /// A new register made by its owner (`fleet db init`), on which ``writerRole`` may write `trusts`; the store
    /// connects as that role. Nil when PostgreSQL is not available here.
    static func makeStore(writes trusts: [String]) throws -> (any RegisterStore)? {
        guard isAvailable else { return nil }
        let database = try makeRegister(writers: [writerRole: trusts])
        return try PostgresBackend.openStore(database.url(writerRole))
    }

    /// A new register with each role of `writers` granted its trusts; the owner's URL and each role's.
    static func makeRegister(writers: [String: [String]]) throws -> (owner: String, url: (String) -> String) {
        let database = try PostgresTestServer.makeDatabase(roles: writers.keys.sorted())
        _ = try PostgresBackend.initialise(database.owner)
        for (role, trusts) in writers.sorted(by: { $0.key < $1.key }) {
            for trust in trusts { _ = try PostgresBackend.grant(role: role, trust: trust, at: database.owner) }
        }
        return database
    }
}
