import GRDB

/// The register's schema, as named migrations applied in order.
///
/// Append only: a migration that has shipped is never changed ("a good migration is a migration that is never
/// modified once it has shipped", GRDB's Migrations guide); a change of schema is a new migration `v2`, `v3`…
/// Table names are written out as strings, not taken from the record types, so that renaming a type can never
/// change what an old migration does.
enum RegisterMigrations {
    /// The migrator that brings any earlier register up to date.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // The hierarchy network → trust → site → asset is kept as columns of the asset, as a register file
            // states it row by row. No secondary index: a whole national register is scanned and sorted in
            // milliseconds, while an index on the names costs a fifth of an import's time. The table is keyed
            // by asset_id alone (WITHOUT ROWID), so an upsert touches one b-tree.
            try db.create(table: "asset", options: [.withoutRowID]) { t in
                t.primaryKey("asset_id", .text)
                t.column("network", .text)
                t.column("trust", .text).notNull()
                t.column("site", .text).notNull()
                t.column("modality", .text).notNull()
                t.column("class", .text)
                t.column("manufacturer", .text)
                t.column("model", .text)
                t.column("mobile", .boolean).notNull().defaults(to: false)
                t.column("install_date", .text).notNull()
                t.column("replacement_cost_gbp", .double)
                t.column("service_cost_gbp_per_year", .double)
                t.column("end_of_support", .text)
                t.column("criticality", .integer).check { $0 == nil || ($0 >= 1 && $0 <= 5) }
                t.column("status", .text).notNull().defaults(to: "in_service")
                    .check { ["in_service", "decommissioned"].contains($0) }
                t.column("notes", .text).notNull().defaults(to: "")
            }

            try db.create(table: "utilisation", options: [.withoutRowID]) { t in
                t.column("asset_id", .text).notNull().references("asset", onDelete: .cascade)
                t.column("month", .text).notNull()
                t.column("scans", .integer).notNull().check { $0 >= 0 }
                t.column("available_hours", .double)
                t.column("downtime_hours", .double)
                t.column("breakdowns", .integer)
                t.column("service_cost_gbp", .double)
                t.primaryKey(["asset_id", "month"])
            }
        }
        migrator.registerMigration("v2-history") { db in
            // Every import, whoever ran it: who, when, the file and its SHA-256, and what it changed. Written in the
            // import's own transaction, so the history holds exactly the imports that committed.
            try db.create(table: "register_import") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("who", .text).notNull()
                t.column("at", .text).notNull()
                t.column("file", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("kind", .text).notNull().check { ["register", "utilisation"].contains($0) }
                t.column("inserted", .integer).notNull()
                t.column("updated", .integer).notNull()
            }
            // One row per row inserted (field NULL) or field changed (old → new, as the register file writes them).
            try db.create(table: "register_change") { t in
                t.column("import_id", .integer).notNull().references("register_import")
                t.column("position", .integer).notNull()
                t.column("asset_id", .text).notNull()
                t.column("month", .text)
                t.column("field", .text)
                t.column("old_value", .text)
                t.column("new_value", .text)
                t.primaryKey(["import_id", "position"])
            }
            try db.create(index: "register_change_by_asset", on: "register_change", columns: ["asset_id"])
        }
        migrator.registerMigration("v3-insertion-log") { db in
            // The rows an import inserted, packed into one blob per import (InsertionLog) instead of a
            // register_change row each: a national feed's 434,000 history rows and their two indexes were two fifths
            // of its import. Changed fields stay in register_change; imports recorded before this keep their rows
            // there and read as they did.
            try db.create(table: "register_insertion") { t in
                t.primaryKey("import_id", .integer).references("register_import")
                t.column("rows", .blob).notNull()
            }
        }
        return migrator
    }
}
