import FleetCore
import Foundation

/// How to read one file for import (SPEC.md, "Reading real exports"): which sheet of a workbook, the other names
/// its columns go by, and how it writes numbers when the user says so.
public struct ImportOptions: Sendable {
    /// The sheet to read (`--sheet NAME`); nil reads the first sheet whose header has the required columns.
    public var sheet: String?
    /// Other names of columns and modality spellings (`Catalog/column-aliases.toml`).
    public var aliases: ColumnAliases
    /// The file the aliases came from, for messages.
    public var aliasesFile: String?
    /// For this file: the header of the column that feeds each column fleet reads (`--columns FILE`).
    public var columnChoices: [String: String]
    /// The file the choices came from, for messages.
    public var columnChoicesFile: String?
    /// How the file writes numbers, when the user said (`--decimal-point`, `--decimal-comma`); nil decides it
    /// from the file.
    public var numberConvention: NumberConvention?

    /// Options; the defaults read a file as it is, with no aliases.
    public init(
        sheet: String? = nil,
        aliases: ColumnAliases = ColumnAliases(),
        aliasesFile: String? = nil,
        columnChoices: [String: String] = [:],
        columnChoicesFile: String? = nil,
        numberConvention: NumberConvention? = nil
    ) {
        self.sheet = sheet
        self.aliases = aliases
        self.aliasesFile = aliasesFile
        self.columnChoices = columnChoices
        self.columnChoicesFile = columnChoicesFile
        self.numberConvention = numberConvention
    }

    /// The column mapping for a kind of file (`register` or `utilisation`) with `columns`.
    func mapping(kind: String, columns: [String], requiredColumns: [String]) -> ColumnMapping {
        ColumnMapping(
            columns: columns,
            requiredColumns: requiredColumns,
            aliases: aliases.names(for: kind),
            aliasesFile: aliasesFile,
            choices: columnChoices,
            choicesFile: columnChoicesFile
        )
    }
}

/// A file read for import: its table with the columns named as fleet names them, and the column of the file
/// that feeds each.
public struct PreparedTable: Sendable {
    /// The table, columns renamed.
    public var table: InputTable
    /// The file's column feeding each column read, in the order fleet lists its columns.
    public var sources: [ColumnMapping.Source]
    /// For a workbook: the sheet read, the row of its header, and whether it is the first sheet.
    public var sheet: (name: String, headerRow: Int, isFirst: Bool)?

    /// `register.xlsx: read sheet 'Assets', header on row 3`, for a workbook whose register is not at the top
    /// of its first sheet; nil otherwise.
    public var sheetDescription: String? {
        guard let sheet, !sheet.isFirst || sheet.headerRow != 1 else { return nil }
        return "\(table.file): read sheet '\(sheet.name)', header on row \(sheet.headerRow)"
    }

    /// True when a column was fed by a column of another name (an alias or a choice), so the import says so.
    public var isRenamed: Bool { sources.contains { InputTable.normalisedColumnName($0.header) != $0.column } }

    /// `register.xlsx: columns read: asset_id ← 'Asset No', trust ← 'Trust', ...`.
    public var sourcesDescription: String {
        "\(table.file): columns read: " + sources.map(\.description).joined(separator: ", ")
    }
}

extension RegisterImport {
    /// The kinds of file that aliases name columns of, with the columns of each.
    public static let aliasedColumns = ["register": RegisterFile.columns, "utilisation": UtilisationFile.columns]

    /// Reads the file at `url` for import as a `kind` of file (`register` or `utilisation`): the sheet of a
    /// workbook that `options` or its header picks, the columns named by choices and aliases, and numbers in the
    /// convention the user gave.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read; ``InvalidInput`` when it is not a
    ///   readable table, no sheet has the required columns, a chosen column is not in it, or two columns match
    ///   one column's aliases.
    public static func prepareTable(
        contentsOf url: URL,
        displayName: String,
        kind: String,
        options: ImportOptions
    ) throws -> PreparedTable {
        let mapping = mapping(kind: kind, options: options)
        let (table, sheet) = try readTable(
            contentsOf: url,
            displayName: displayName,
            sheet: options.sheet,
            missingColumns: mapping.missingColumns(inHeader:)
        )
        return try prepare(table, sheet: sheet, kind: kind, options: options)
    }

    private static func mapping(kind: String, options: ImportOptions) -> ColumnMapping {
        let (columns, required) =
            kind == "utilisation"
            ? (UtilisationFile.columns, UtilisationFile.requiredColumns)
            : (RegisterFile.columns, RegisterFile.requiredColumns)
        return options.mapping(kind: kind, columns: columns, requiredColumns: required)
    }

    /// `table`, read from `sheet` of a workbook or from a CSV file, prepared for import as a `kind` of file: the
    /// columns named by choices and aliases, and numbers in the convention the user gave.
    static func prepare(
        _ table: InputTable,
        sheet: XLSXReader.Sheet?,
        kind: String,
        options: ImportOptions
    ) throws(InvalidInput) -> PreparedTable {
        let mapping = mapping(kind: kind, options: options)
        if sheet != nil, options.numberConvention == .decimalComma {
            // A workbook's numbers are typed values written plainly (123.456); read with a decimal comma, they
            // would be read as thousands.
            throw InvalidInput(
                issues: [
                    InputIssue(
                        file: table.file,
                        line: nil,
                        problem: "is a workbook, whose numbers are typed values read as they are, so --decimal-comma "
                            + "does not apply; expected it without --decimal-comma (or a CSV export with it)"
                    )
                ],
                consequence: "nothing was imported from it"
            )
        }
        return try importing { () throws(InvalidInput) in
            var (mapped, sources) = try mapping.apply(to: table)
            if let convention = options.numberConvention { mapped = mapped.readingNumbers(as: convention) }
            return PreparedTable(
                table: mapped,
                sources: sources,
                sheet: sheet.map { ($0.name, $0.headerRow, $0.isFirst) }
            )
        }
    }
}
