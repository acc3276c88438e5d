/// The shared register's schema on PostgreSQL, with its row-level security, as `fleet db init` creates it.
///
/// The tables have the SQLite register's columns and text forms (ISO dates, `YYYY-MM` months, REAL pounds), so that
/// both backends read back the same values. Every table is under `FORCE ROW LEVEL SECURITY`, so that even its owner
/// writes only through the policies: every role reads every row; a role writes the assets, and the utilisation of the
/// assets, of the trusts `trust_writer` grants it; the history takes only rows that name the role writing them.
/// The server enforces this, not fleet: a write past it fails in the server, whatever client sends it.
enum PostgresSchema {
    /// The schema version this fleet writes; `fleet_schema` holds the database's.
    static let version = 1

    /// Every table that holds trust data or decides who writes it; each has forced row-level security.
    static let tables = ["asset", "utilisation", "register_import", "register_change", "trust_writer", "fleet_schema"]

    /// The statements of `fleet db init`, run in one transaction by the database owner.
    static let creation: [String] =
        [
            """
            CREATE TABLE asset (
                asset_id text PRIMARY KEY,
                network text,
                trust text NOT NULL,
                site text NOT NULL,
                modality text NOT NULL,
                class text,
                manufacturer text,
                model text,
                mobile boolean NOT NULL DEFAULT false,
                install_date text NOT NULL,
                replacement_cost_gbp double precision,
                service_cost_gbp_per_year double precision,
                end_of_support text,
                criticality integer CHECK (criticality IS NULL OR criticality BETWEEN 1 AND 5),
                status text NOT NULL DEFAULT 'in_service' CHECK (status IN ('in_service', 'decommissioned')),
                notes text NOT NULL DEFAULT ''
            )
            """,
            """
            CREATE TABLE utilisation (
                asset_id text NOT NULL REFERENCES asset ON DELETE CASCADE,
                month text NOT NULL,
                scans integer NOT NULL CHECK (scans >= 0),
                available_hours double precision,
                downtime_hours double precision,
                breakdowns integer,
                service_cost_gbp double precision,
                PRIMARY KEY (asset_id, month)
            )
            """,
            """
            CREATE TABLE register_import (
                id bigserial PRIMARY KEY,
                who text NOT NULL DEFAULT current_user,
                at timestamptz NOT NULL DEFAULT now(),
                file text NOT NULL,
                sha256 text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('register', 'utilisation')),
                inserted integer NOT NULL,
                updated integer NOT NULL
            )
            """,
            """
            CREATE TABLE register_change (
                import_id bigint NOT NULL REFERENCES register_import,
                position integer NOT NULL,
                asset_id text NOT NULL,
                month text,
                field text,
                old_value text,
                new_value text,
                PRIMARY KEY (import_id, position)
            )
            """,
            "CREATE INDEX register_change_by_asset ON register_change (asset_id)",
            "CREATE TABLE trust_writer (role name NOT NULL, trust text NOT NULL, PRIMARY KEY (role, trust))",
            "CREATE TABLE fleet_schema (version integer NOT NULL)",
            "INSERT INTO fleet_schema VALUES (\(version))",
            // Whether the role running the statement may write `trust` (names compare ignoring case, as listings do).
            """
            CREATE FUNCTION fleet_may_write(trust text) RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT EXISTS (SELECT 1 FROM trust_writer w WHERE w.role = current_user AND lower(w.trust) = lower($1))
            $$
            """,
            """
            CREATE FUNCTION fleet_may_write_asset(id text) RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT EXISTS (SELECT 1 FROM asset a WHERE a.asset_id = $1 AND fleet_may_write(a.trust))
            $$
            """,
            "CREATE POLICY asset_read ON asset FOR SELECT USING (true)",
            "CREATE POLICY asset_insert ON asset FOR INSERT WITH CHECK (fleet_may_write(trust))",
            "CREATE POLICY asset_update ON asset FOR UPDATE USING (fleet_may_write(trust)) WITH CHECK (fleet_may_write(trust))",
            "CREATE POLICY utilisation_read ON utilisation FOR SELECT USING (true)",
            """
            CREATE POLICY utilisation_insert ON utilisation FOR INSERT WITH CHECK (fleet_may_write_asset(asset_id))
            """,
            """
            CREATE POLICY utilisation_update ON utilisation FOR UPDATE
                USING (fleet_may_write_asset(asset_id)) WITH CHECK (fleet_may_write_asset(asset_id))
            """,
            "CREATE POLICY register_import_read ON register_import FOR SELECT USING (true)",
            "CREATE POLICY register_import_insert ON register_import FOR INSERT WITH CHECK (who = current_user)",
            "CREATE POLICY register_change_read ON register_change FOR SELECT USING (true)",
            """
            CREATE POLICY register_change_insert ON register_change FOR INSERT WITH CHECK (
                EXISTS (SELECT 1 FROM register_import i WHERE i.id = import_id AND i.who = current_user))
            """,
            "CREATE POLICY trust_writer_read ON trust_writer FOR SELECT USING (true)",
            "CREATE POLICY trust_writer_owner ON trust_writer FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true)",
            "CREATE POLICY fleet_schema_read ON fleet_schema FOR SELECT USING (true)",
            "CREATE POLICY fleet_schema_owner ON fleet_schema FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true)",
        ]
        + tables.flatMap { table in
            [
                "ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY", "ALTER TABLE \(table) FORCE ROW LEVEL SECURITY",
                "REVOKE ALL ON \(table) FROM PUBLIC",
            ]
        }

    /// The statements of `fleet db grant ROLE --trust NAME` for the quoted role name `role`; the trust goes in as a
    /// bound parameter of the last one.
    static func grant(to role: String) -> [String] {
        [
            "GRANT USAGE ON SCHEMA public TO \(role)",
            "GRANT SELECT, INSERT, UPDATE ON asset, utilisation TO \(role)",
            "GRANT SELECT, INSERT ON register_import, register_change TO \(role)",
            "GRANT USAGE ON SEQUENCE register_import_id_seq TO \(role)",
            "GRANT SELECT ON trust_writer, fleet_schema TO \(role)",
        ]
    }

    /// `name` as a quoted SQL identifier: `"a""b"` for `a"b`.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
