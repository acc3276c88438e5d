import Foundation

// The PostgreSQL server of the shared-register tests: `FLEET_TEST_POSTGRES_URL` names a superuser of a throw-away
// cluster (`.ci/run` starts one with scripts/postgres-test-cluster). Each test gets a database of its own, created
// and set up through psql, PostgreSQL's own client, and fleet then connects as the roles that `fleet db grant` made
// writers: never as a superuser, whom row-level security does not bind.

/// The test cluster, when one is given.
public enum PostgresTestServer {
    /// The environment variable naming the cluster's superuser URL.
    public static let variable = "FLEET_TEST_POSTGRES_URL"

    /// The superuser URL, or nil when the tests run without PostgreSQL.
    public static var adminURL: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the PostgreSQL tests run here.
    public static var isConfigured: Bool { adminURL != nil }

    /// Why they are skipped.
    public static let skipNote = "PostgreSQL tests skipped: FLEET_TEST_POSTGRES_URL is not set (.ci/run sets it)"

    /// The role that owns each test database (`fleet db init` runs as it) and the trust roles' prefix.
    public static let ownerRole = "fleet_test_owner"

    /// A failure of psql.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `sql` through psql at `url` (stopping at the first error) and returns what it printed, unaligned, without
    /// headers.
    /// - Throws: ``Failure`` with psql's message when a statement fails.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var printed = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { printed = out.fileHandleForReading.readDataToEndOfFile() }
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "psql: " + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `url` with its user (and password) and database replaced.
    public static func url(_ url: String, user: String, database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.user = user
        components.password = nil
        components.path = "/" + database
        return components.string ?? url
    }

    /// A new, empty database owned by ``ownerRole``, with the roles `writers` (created when missing, no superuser,
    /// no RLS bypass); returns the owner's URL and a function giving each role's URL.
    /// - Throws: ``Failure`` when the cluster refuses.
    public static func makeDatabase(roles writers: [String]) throws -> (owner: String, url: (String) -> String) {
        guard let admin = adminURL else { throw Failure(description: skipNote) }
        let name = "fleet_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let roles = [ownerRole] + writers
        // Roles are the cluster's, shared by every test database: created once, each test racing others.
        for role in roles {
            try psql(
                admin,
                """
                DO $$ BEGIN CREATE ROLE \(role) LOGIN NOSUPERUSER NOBYPASSRLS;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
                """
            )
        }
        try psql(admin, "CREATE DATABASE \(name) OWNER \(ownerRole)")
        return (url(admin, user: ownerRole, database: name), { role in url(admin, user: role, database: name) })
    }
}
