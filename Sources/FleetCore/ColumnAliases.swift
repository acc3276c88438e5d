import Foundation
import TOMLKit

/// The other names exports give the columns fleet reads, and other spellings of modality codes
/// (`Catalog/column-aliases.toml`; SPEC.md, "Reading real exports").
public struct ColumnAliases: Sendable, Hashable {
    /// For each kind of file (`register`, `utilisation`), each column's other names as written.
    public var namesByColumn: [String: [String: [String]]]
    /// Other spellings of modality codes (`Ultrasound Machine` → US), by their letters and digits in lower case.
    public var modalitySpellings: [String: Modality]

    /// Aliases with `namesByColumn` and `modalitySpellings` (keys as written; they are reduced here).
    public init(namesByColumn: [String: [String: [String]]] = [:], modalitySpellings: [String: Modality] = [:]) {
        self.namesByColumn = namesByColumn
        self.modalitySpellings = Dictionary(
            modalitySpellings.map { (Spelling.key($0.key), $0.value) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// The file's name in a catalog folder.
    public static let fileName = "column-aliases.toml"

    /// The other names of each column of a `kind` of file.
    public func names(for kind: String) -> [String: [String]] { namesByColumn[kind] ?? [:] }

    /// The modality a spelling names, by the aliases (not by the built-in spellings, which ``Modality`` knows).
    public func modality(spelled text: String) -> Modality? { modalitySpellings[Spelling.key(text)] }

    /// Reads the aliases file at `url`.
    /// - Parameter columns: for each kind of file, the columns it has; a name for another column is refused.
    /// - Throws: ``FileFailure`` (exit 2) when it cannot be read, ``InvalidInput`` naming each bad key.
    public static func read(
        contentsOf url: URL,
        displayName: String,
        columns: [String: [String]]
    ) throws
        -> ColumnAliases
    {
        try parse(toml: try readText(url, displayName: displayName), file: displayName, columns: columns)
    }

    /// Parses an aliases file: `[register]`, `[utilisation]` (each key a column, each value a list of names) and
    /// `[modality]` (each key a modality code, each value a list of spellings).
    /// - Throws: ``InvalidInput`` naming each key that is not a column or code, or a value that is not a list of
    ///   text.
    public static func parse(
        toml text: String,
        file: String,
        columns: [String: [String]]
    ) throws(InvalidInput)
        -> ColumnAliases
    {
        let document = try SettingsReader.document(text, file: file)
        var reader = SettingsReader(file: file, text: text)
        let kinds = columns.keys.sorted()
        reader.rejectUnknownKeys(in: document, at: [], known: kinds + ["modality"])
        var names: [String: [String: [String]]] = [:]
        for kind in kinds {
            guard let table = document[kind]?.table else { continue }
            let known = columns[kind] ?? []
            reader.rejectUnknownKeys(in: table, at: [kind], known: known)
            for column in known {
                guard let value = table[column] else { continue }
                guard let list = stringList(value) else {
                    reader.report([kind, column], value: SettingsReader.text(of: value), "expected a list of names")
                    continue
                }
                names[kind, default: [:]][column] = list
            }
        }
        var spellings: [String: Modality] = [:]
        if let table = document["modality"]?.table {
            let codes = Modality.allCases.map(\.rawValue)
            reader.rejectUnknownKeys(in: table, at: ["modality"], known: codes)
            for code in codes {
                guard let value = table[code], let modality = Modality(rawValue: code) else { continue }
                guard let list = stringList(value) else {
                    reader.report(
                        ["modality", code],
                        value: SettingsReader.text(of: value),
                        "expected a list of names"
                    )
                    continue
                }
                for spelling in list { spellings[spelling] = modality }
            }
        }
        try reader.issues.throwIfAny()
        return ColumnAliases(namesByColumn: names, modalitySpellings: spellings)
    }

    /// Reads a file naming one file's columns (`--columns FILE`): `[columns]`, each key a column fleet reads and
    /// its value the header of the file's column that holds it.
    /// - Throws: ``FileFailure`` (exit 2) when it cannot be read, ``InvalidInput`` naming each bad key.
    public static func readChoices(
        contentsOf url: URL,
        displayName: String,
        columns: [String]
    ) throws
        -> [String: String]
    {
        try parseChoices(toml: try readText(url, displayName: displayName), file: displayName, columns: columns)
    }

    /// Parses a file naming one file's columns (see ``readChoices(contentsOf:displayName:columns:)``).
    /// - Throws: ``InvalidInput`` naming each key that is not one of `columns`, or a value that is not text.
    public static func parseChoices(
        toml text: String,
        file: String,
        columns: [String]
    ) throws(InvalidInput)
        -> [String: String]
    {
        let document = try SettingsReader.document(text, file: file)
        var reader = SettingsReader(file: file, text: text)
        reader.rejectUnknownKeys(in: document, at: [], known: ["columns"])
        var choices: [String: String] = [:]
        if let table = reader.table(in: document, ["columns"]) {
            reader.rejectUnknownKeys(in: table, at: ["columns"], known: columns)
            for column in columns where table[column] != nil {
                if let name = reader.string(in: table, ["columns", column], expectation: "the header of a column") {
                    choices[column] = name
                }
            }
        }
        try reader.issues.throwIfAny()
        return choices
    }

    private static func stringList(_ value: any TOMLValueConvertible) -> [String]? {
        if let text = value.string { return [text] }
        guard let array = value.array else { return nil }
        var list: [String] = []
        for element in array {
            guard let text = element.string else { return nil }
            list.append(text)
        }
        return list
    }

    private static func readText(_ url: URL, displayName: String) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw FileFailure(
                path: displayName,
                reason: "cannot be read (\(CSV.reason(error)))",
                exitCode: .invalidInput
            )
        }
    }
}

/// Which column of a file feeds each column fleet reads: its own name, a name chosen for this file
/// (`--columns FILE`), or an alias (``ColumnAliases``).
public struct ColumnMapping: Sendable {
    /// The columns fleet reads from this kind of file.
    public var columns: [String]
    /// The columns every such file must have.
    public var requiredColumns: [String]
    /// Each column's other names.
    public var aliases: [String: [String]]
    /// For this file: each column's header in it, as the user named it.
    public var choices: [String: String]
    /// The file the choices came from, for messages.
    public var choicesFile: String?
    /// The file the aliases came from, for messages.
    public var aliasesFile: String?

    /// A mapping for a kind of file with `columns`.
    public init(
        columns: [String],
        requiredColumns: [String],
        aliases: [String: [String]] = [:],
        aliasesFile: String? = nil,
        choices: [String: String] = [:],
        choicesFile: String? = nil
    ) {
        self.columns = columns
        self.requiredColumns = requiredColumns
        self.aliases = aliases
        self.aliasesFile = aliasesFile
        self.choices = choices
        self.choicesFile = choicesFile
    }

    /// One column fleet reads and the header (as written) of the file's column that fed it.
    public struct Source: Sendable, Hashable, CustomStringConvertible {
        /// The column fleet reads (`install_date`).
        public var column: String
        /// The file's header for it (`Date Installed`).
        public var header: String

        /// `install_date ← 'Date Installed'`.
        public var description: String { "\(column) ← '\(header)'" }
    }

    /// The required columns that `header` lacks, after choices and aliases, in `requiredColumns` order.
    public func missingColumns(inHeader header: [String]) -> [String] {
        let resolved = resolve(header: header, file: "")
        // A column two headers match is there (which one feeds it is for ``apply(to:)`` to ask).
        return requiredColumns.filter { resolved.positions[$0] == nil && !resolved.contested.contains($0) }
    }

    /// `table` with its columns named as fleet names them, and the source of each column read.
    /// - Throws: ``InvalidInput`` at line 1 when a chosen header is not in the file, when two columns match one
    ///   column's aliases, or when a required column is missing.
    public func apply(to table: InputTable) throws(InvalidInput) -> (table: InputTable, sources: [Source]) {
        let (positions, issues, _) = resolve(header: table.headerAsWritten, file: table.file)
        var problems = issues
        let found = table.headerAsWritten.map { "'\($0)'" }.joined(separator: ", ")
        for column in requiredColumns where positions[column] == nil && problems.isEmpty {
            var problem = "required column is missing; the header has \(found)"
            if table.columns.firstIndex(of: column) == nil {
                problem += "; name the column that holds it with --columns FILE ([columns] \(column) = \"Header\")"
            }
            problems.append(InputIssue(file: table.file, line: 1, column: column, problem: problem))
        }
        guard problems.isEmpty else { throw InvalidInput(issues: problems) }
        var renames: [Int: String] = [:]
        let fed = Set(positions.values)
        for (position, name) in table.columns.enumerated() where columns.contains(name) && !fed.contains(position) {
            // A column named as fleet names one, displaced by a choice: kept as an unknown column.
            renames[position] = ""
        }
        for (column, position) in positions where table.columns[position] != column { renames[position] = column }
        let sources = columns.compactMap { column in
            positions[column].map { Source(column: column, header: table.headerAsWritten[$0].trimmingWhitespace()) }
        }
        return (renames.isEmpty ? table : table.renamingColumns(renames), sources)
    }

    /// The position feeding each column, and the problems found.
    private func resolve(
        header: [String],
        file: String
    ) -> (positions: [String: Int], issues: [InputIssue], contested: Set<String>) {
        let names = header.map(InputTable.normalisedColumnName)
        var positions: [String: Int] = [:]
        var claimed: [Int: String] = [:]
        var issues: [InputIssue] = []
        var contested: Set<String> = []
        let chosenBy = choicesFile.map { " in \($0)" } ?? ""
        for column in columns {
            guard let chosen = choices[column] else { continue }
            guard let position = names.firstIndex(of: InputTable.normalisedColumnName(chosen)) else {
                issues.append(
                    InputIssue(
                        file: file,
                        line: 1,
                        column: chosen,
                        problem: "is named for \(column)\(chosenBy) but is not in the header; the header has "
                            + header.map { "'\($0)'" }.joined(separator: ", ")
                    )
                )
                continue
            }
            if let other = claimed[position] {
                issues.append(
                    InputIssue(
                        file: file,
                        line: 1,
                        column: chosen,
                        problem: "is named for both \(other) and \(column)\(chosenBy); expected one column for each"
                    )
                )
                continue
            }
            positions[column] = position
            claimed[position] = column
        }
        for column in columns where positions[column] == nil && choices[column] == nil {
            if let position = names.firstIndex(of: column), claimed[position] == nil {
                positions[column] = position
                claimed[position] = column
            }
        }
        var aliasMatches: [Int: String] = [:]
        let from = aliasesFile.map { " (aliases in \($0))" } ?? ""
        for column in columns where positions[column] == nil && choices[column] == nil {
            let aliasNames = Set((aliases[column] ?? []).map(InputTable.normalisedColumnName))
            let candidates = names.indices.filter {
                claimed[$0] == nil && !names[$0].isEmpty && aliasNames.contains(names[$0])
            }
            guard let first = candidates.first else { continue }
            if candidates.count > 1 {
                contested.insert(column)
                let (one, other) = (header[first].trimmingWhitespace(), header[candidates[1]].trimmingWhitespace())
                issues.append(
                    InputIssue(
                        file: file,
                        line: 1,
                        problem: "columns '\(one)' and '\(other)' both match \(column)\(from); expected one; say "
                            + "which with --columns FILE ([columns] \(column) = \"\(one)\")"
                    )
                )
                continue
            }
            if let other = aliasMatches[first] {
                issues.append(
                    InputIssue(
                        file: file,
                        line: 1,
                        column: header[first].trimmingWhitespace(),
                        problem: "matches both \(other) and \(column)\(from); expected one; say which with "
                            + "--columns FILE"
                    )
                )
                positions[other] = nil
                contested.formUnion([other, column])
                continue
            }
            aliasMatches[first] = column
            positions[column] = first
        }
        return (positions, issues, contested)
    }
}
