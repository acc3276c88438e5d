import FleetCore
import FleetRegister
import FleetRegisterPostgres
import FleetTestSupport
import Foundation
import Testing

/// CI must run the PostgreSQL tests: with `CI=true`, a build without the backend or a missing cluster fails here
/// rather than passing with the tests skipped.
@Suite("PostgreSQL tests run in CI")
struct PostgresInCITests {
    @Test func theContinuousIntegrationRunHasPostgres() throws {
        guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        #expect(PostgresBackend.isBuiltIn, "CI builds without the Postgres trait: run `swift test --traits Postgres`")
        let admin = try #require(PostgresTestServer.adminURL, "CI=true but \(PostgresTestServer.variable) is unset")
        #expect(try PostgresTestServer.psql(admin, "SELECT 1") == "1")
    }
}

@Suite(
    "PostgreSQL register: row-level security, concurrent trusts",
    .enabled(if: PostgresTestCluster.isAvailable, Comment(rawValue: PostgresTestServer.skipNote))
)
struct PostgresRegisterStoreTests {
    /// Every table of the register, read from the server's own catalogue (pg_class, pg_policy): row-level security
    /// enabled and forced, at least one policy, owned by the owner, not by the roles fleet writes as.
    @Test func everyTableWithTrustDataHasForcedRowLevelSecurityAndAPolicy() throws {
        let database = try PostgresTestCluster.makeRegister(writers: ["fleet_test_ashby": ["Ashby"]])
        let tables = try PostgresTestServer.psql(
            database.owner,
            """
            SELECT c.relname || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity || ' '
                || (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) || ' ' || pg_get_userbyid(c.relowner)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """
        ).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            tables.map { $0[0] }
                == ["asset", "fleet_schema", "register_change", "register_import", "trust_writer", "utilisation"]
        )
        for table in tables {
            #expect(table[1] == "true" && table[2] == "true", "\(table[0]): row-level security not forced")
            #expect((Int(table[3]) ?? 0) >= 1, "\(table[0]): no policy")
            #expect(table[4] == PostgresTestServer.ownerRole, "\(table[0]) owned by \(table[4])")
        }
        // The writing role owns nothing and bypasses nothing.
        let role = try PostgresTestServer.psql(
            database.owner,
            "SELECT rolsuper || ' ' || rolbypassrls FROM pg_roles WHERE rolname = 'fleet_test_ashby'"
        )
        #expect(role == "false false")
    }

    @Test func aRoleWritingAnotherTrustsAssetIsRefusedByTheServerAndNothingIsWritten() throws {
        let database = try PostgresTestCluster.makeRegister(writers: [
            "fleet_test_ashby": ["Ashby"], "fleet_test_brook": ["Brook"],
        ])
        let ashby = try PostgresBackend.openStore(database.url("fleet_test_ashby"))
        let brook = try PostgresBackend.openStore(database.url("fleet_test_brook"))
        _ = try ashby.upsert(assets: [makeAsset("A-1", trust: "Ashby")])
        _ = try brook.upsert(assets: [makeAsset("B-1", trust: "Brook")])
        let before = try ashby.assets(matching: .all)
        let history = try ashby.history(of: nil)

        // Ashby's role inserts a Brook asset, and takes over Brook's B-1, among rows of its own.
        let attempt = [
            makeAsset("A-2", trust: "Ashby"), makeAsset("B-2", trust: "Brook"), makeAsset("B-1", trust: "Ashby"),
        ]
        do {
            _ = try ashby.upsert(assets: attempt, from: ImportSource(file: "ashby.csv", sha256: ""))
            Issue.record("a write to another trust's rows went through")
        } catch let refusal as RegisterWriteRefused {
            #expect(refusal.exitCode == .invalidInput)
            #expect(refusal.who == "fleet_test_ashby")
            #expect(refusal.rows == ["B-2 (Brook)", "B-1 (Brook)"])
            #expect(refusal.description.contains("row-level security"), "\(refusal.description)")
            #expect(refusal.description.contains("nothing was written"))
        }
        #expect(try ashby.assets(matching: .all) == before)
        #expect(try ashby.history(of: nil) == history)
        // Every role reads every trust.
        #expect(try brook.assets(matching: .all).map(\.id) == ["A-1", "B-1"])

        // Utilisation of another trust's asset is refused alike.
        let month = YearMonth(year: 2025, month: 1)!
        do {
            _ = try ashby.upsert(utilisation: [
                UtilisationRecord(assetID: "A-1", month: month, scans: 3),
                UtilisationRecord(assetID: "B-1", month: month, scans: 4),
            ])
            Issue.record("utilisation of another trust's asset went through")
        } catch let refusal as RegisterWriteRefused {
            #expect(refusal.rows == ["B-1 2025-01 (Brook)"])
        }
        #expect(try ashby.utilisation(from: month, through: month).isEmpty)

        // The server refuses it whatever the client: psql as Ashby's role.
        #expect(throws: PostgresTestServer.Failure.self) {
            try PostgresTestServer.psql(
                database.url("fleet_test_ashby"),
                "INSERT INTO asset (asset_id, trust, site, modality, install_date) VALUES ('B-9', 'Brook', 'S', 'CT', '2020-01-01')"
            )
        }
        // Another trust's rows are invisible to its UPDATE and DELETE: nothing changes.
        let asAshby = database.url("fleet_test_ashby")
        #expect(
            try PostgresTestServer.psql(asAshby, "UPDATE asset SET site = 'X' WHERE asset_id = 'B-1' RETURNING 1")
                .isEmpty
        )
        #expect(throws: PostgresTestServer.Failure.self) { try PostgresTestServer.psql(asAshby, "DELETE FROM asset") }
        #expect(try brook.assets(matching: .all) == before)
    }

    /// FORCE ROW LEVEL SECURITY binds the tables' owner too: the owner, granted no trust, writes nothing.
    @Test func theOwnerWithoutAGrantWritesNothing() throws {
        let database = try PostgresTestCluster.makeRegister(writers: ["fleet_test_ashby": ["Ashby"]])
        let owner = try PostgresBackend.openStore(database.owner)
        #expect(throws: RegisterWriteRefused.self) { try owner.upsert(assets: [makeAsset("A-1", trust: "Ashby")]) }
        #expect(try owner.assets(matching: .all).isEmpty)
    }

    /// Four trusts' roles import at once, each its own 1,500 assets and a month of utilisation: every row lands, and
    /// the history names each role.
    @Test func fourTrustRolesImportingAtOnceAllLand() async throws {
        let trusts = ["Ashby", "Brook", "Carlton", "Denby"]
        let roles = trusts.map { "fleet_test_\($0.lowercased())" }
        let database = try PostgresTestCluster.makeRegister(
            writers: Dictionary(uniqueKeysWithValues: zip(roles, trusts.map { [$0] }))
        )
        let stores = try roles.map { try PostgresBackend.openStore(database.url($0)) }
        let month = YearMonth(year: 2025, month: 3)!
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                let trust = trusts[index]
                group.addTask { () async throws -> Void in
                    let assets = (1...1_500).map { makeAsset("\(trust.prefix(1))-\($0)", trust: trust) }
                    let written = try store.upsert(assets: assets)
                    let records = assets.map { UtilisationRecord(assetID: $0.id, month: month, scans: 10) }
                    let fed = try store.upsert(utilisation: records)
                    #expect([written, fed] == Array(repeating: UpsertSummary(inserted: 1_500, updated: 0), count: 2))
                }
            }
            try await group.waitForAll()
        }
        #expect(try stores[0].assetIDs().count == 6_000)
        #expect(try stores[0].utilisation(from: month, through: month).count == 6_000)
        for trust in trusts {
            #expect(try stores[0].assets(matching: AssetFilter(trust: TrustName(trust))).count == 1_500)
        }
        let history = try stores[0].history(of: nil)
        #expect(history.count == 8)
        #expect(Set(history.map(\.who)) == Set(roles))
        #expect(history.allSatisfy { $0.inserted == 1_500 && $0.updated == 0 })
    }
}
