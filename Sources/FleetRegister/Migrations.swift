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
        return migrator
    }
}
