import ArgumentParser
import FleetCore
import FleetRegister
import Foundation

/// `fleet import register|utilisation FILE`: loads a file into the register, all or nothing.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a register or a utilisation feed.",
        subcommands: [Register.self, Utilisation.self]
    )

    /// `fleet import register FILE`.
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a register (CSV, or the first sheet of an XLSX); upsert by asset_id; all or nothing.",
            discussion: """
                Required columns: asset_id, trust, site, modality, install_date. Optional: network, class, \
                manufacturer, model, mobile, replacement_cost_gbp, service_cost_gbp_per_year, end_of_support, \
                criticality, status, notes. Other columns are kept in notes. An asset imported again replaces \
                the stored one. Any bad value is reported with its file, line, column and value, and nothing \
                is written (exit 2).
                """
        )

        @Argument(help: "The register file, CSV or XLSX.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let url = URL(fileURLWithPath: file)
                // Read and check the file before the database is opened, so a bad file leaves no new database.
                let table = try RegisterImport.readTable(contentsOf: url, displayName: file)
                let assets = try RegisterImport.readRegister(table, today: RegisterImport.currentDay())
                let store = try database.openStore(creatingIfMissing: true)
                let changes = try store.upsert(assets: assets, from: ImportSource(file: file, contentsOf: url))
                printError(ImportSummary(file: file, rowsRead: table.rows.count, changes: changes).description)
            }
        }
    }

    /// `fleet import utilisation FILE`.
    struct Utilisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load monthly utilisation records; upsert by (asset_id, month); all or nothing.",
            discussion: """
                Columns: asset_id, month (YYYY-MM), scans, and optional available_hours, downtime_hours, \
                breakdowns, service_cost_gbp. Every asset must already be in the register. Any bad value is \
                reported with its file, line, column and value, and nothing is written (exit 2).
                """
        )

        @Argument(help: "The utilisation feed, CSV or XLSX.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let store = try database.openStore()
                let summary = try RegisterImport.importUtilisation(
                    file: URL(fileURLWithPath: file),
                    displayName: file,
                    into: store,
                    today: RegisterImport.currentDay()
                )
                printError(summary.description)
            }
        }
    }
}
