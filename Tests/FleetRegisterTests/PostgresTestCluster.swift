import FleetRegister
import Foundation

/// The PostgreSQL server the tests use, named by `FLEET_TEST_POSTGRES_URL` (`.ci/run` starts a throw-away one).
enum PostgresTestCluster {
    /// The role the store tests write as.
    static let writerRole = "fleet_test_writer"

    /// A store on a new database, or nil when this build has no PostgreSQL backend.
    static func makeStore(writes trusts: [String]) throws -> (any RegisterStore)? {
        nil
    }
}
