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
            abstract: "Load a register (CSV, or a sheet of an XLSX); upsert by asset_id; all or nothing.",
            discussion: """
                Required columns: asset_id, trust, site, modality, install_date. Optional: network, class, \
                manufacturer, model, mobile, replacement_cost_gbp, service_cost_gbp_per_year, end_of_support, \
                criticality, status, notes. Columns may go by the names in the catalog's column-aliases.toml \
                ("Asset No", "Date Installed", "Location"...), or by names given with --columns. Other columns \
                are kept in notes. An asset imported again replaces the stored one. Any bad value is reported \
                with its file, line, column and value, and nothing is written (exit 2).
                """
        )

        @Argument(help: "The register file, CSV or XLSX.") var file: String
        @OptionGroup var reading: ReadingOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                // The file is read and checked before the database is opened, so a bad file leaves no new database.
                let (summary, prepared) = try RegisterImport.importRegister(
                    file: URL(fileURLWithPath: file),
                    displayName: file,
                    openingStore: { try database.openStore(creatingIfMissing: true) },
                    today: RegisterImport.currentDay(),
                    options: try reading.importOptions(kind: "register")
                )
                reading.describe(prepared)
                printError(summary.description)
            }
        }
    }

    /// `fleet import utilisation FILE`.
    struct Utilisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load monthly utilisation records; upsert by (asset_id, month); all or nothing.",
            discussion: """
                Columns: asset_id, month (YYYY-MM), scans, and optional available_hours, downtime_hours, \
                breakdowns, service_cost_gbp, or the names in the catalog's column-aliases.toml, or names \
                given with --columns. Every asset must already be in the register. Any bad value is reported \
                with its file, line, column and value, and nothing is written (exit 2).
                """
        )

        @Argument(help: "The utilisation feed, CSV or XLSX.") var file: String
        @OptionGroup var reading: ReadingOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let options = try reading.importOptions(kind: "utilisation")
                let (summary, prepared) = try RegisterImport.importUtilisation(
                    file: URL(fileURLWithPath: file),
                    displayName: file,
                    openingStore: { try database.openStore() },
                    today: RegisterImport.currentDay(),
                    options: options
                )
                reading.describe(prepared)
                printError(summary.description)
            }
        }
    }
}

/// How `fleet import` reads a file: the sheet, the column names, the number convention.
struct ReadingOptions: ParsableArguments {
    @Option(name: .long, help: "The sheet of an XLSX workbook to read (default: the first with the required columns).")
    var sheet: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A TOML file naming this file's columns: [columns] asset_id = \"Asset No\".",
            valueName: "file"
        )
    )
    var columns: String?

    @Flag(name: .long, help: "Numbers in the file use a decimal comma (1.234,50), as continental Excel writes them.")
    var decimalComma = false

    @Flag(name: .long, help: "Numbers in the file use a decimal point (1,234.50).")
    var decimalPoint = false

    @Option(
        name: .long,
        help: "The folder of reference data, whose column-aliases.toml names other columns (skipped when absent)."
    )
    var catalog: String = "Catalog"

    func validate() throws {
        if decimalComma && decimalPoint {
            throw ValidationError("--decimal-comma and --decimal-point say opposite things; give one of them")
        }
    }

    /// The options for reading a `kind` of file (`register` or `utilisation`).
    /// - Throws: ``FileFailure`` or ``InvalidInput`` (exit 2) when the aliases or the columns file cannot be read.
    func importOptions(kind: String) throws -> ImportOptions {
        var options = ImportOptions(sheet: sheet)
        options.numberConvention = decimalComma ? .decimalComma : decimalPoint ? .decimalPoint : nil
        let aliasesURL = URL(fileURLWithPath: catalog, isDirectory: true).appendingPathComponent(ColumnAliases.fileName)
        // The aliases are a convenience: without a catalog folder (fleet run elsewhere), columns keep their names.
        if FileManager.default.fileExists(atPath: aliasesURL.path) {
            let name = (catalog as NSString).appendingPathComponent(ColumnAliases.fileName)
            options.aliases = try ColumnAliases.read(
                contentsOf: aliasesURL,
                displayName: name,
                columns: RegisterImport.aliasedColumns
            )
            options.aliasesFile = name
        }
        if let columns {
            options.columnChoices = try ColumnAliases.readChoices(
                contentsOf: URL(fileURLWithPath: columns),
                displayName: columns,
                columns: RegisterImport.aliasedColumns[kind] ?? []
            )
            options.columnChoicesFile = columns
        }
        return options
    }

    /// Says on stderr which sheet was read and which column fed each column, when either is not the plain case.
    func describe(_ prepared: PreparedTable) {
        if let sheet = prepared.sheetDescription { printError(sheet) }
        if prepared.isRenamed { printError(prepared.sourcesDescription) }
    }
}
