import FleetCore
import Foundation

/// Imports register files and utilisation feeds into a ``RegisterStore``: read, check every value, then write
/// all rows in one transaction, or none when any value is bad.
///
/// The pure readers (``readTable(_:file:)``, ``readRegister(_:today:)``,
/// ``readUtilisation(_:today:knownAssets:)``) are public so that the demo, benchmarks and fuzz tests can
/// call them without a database.
public enum RegisterImport {
    /// Imports the register file at `file` (CSV, or a sheet of an XLSX), upserting by `asset_id`.
    /// - Parameters:
    ///   - displayName: the file as the user named it, for messages.
    ///   - today: the current day, for refusing install dates in the future.
    ///   - options: the sheet, column names and number convention (``prepareTable(contentsOf:displayName:kind:options:)``).
    /// - Returns: how many rows were read, inserted and updated.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read, ``InvalidInput`` (exit 2) naming every
    ///   bad value, with nothing written; ``RegisterStoreError`` (exit 4) when the database cannot be written.
    public static func importRegister(
        file: URL,
        displayName: String,
        into store: any RegisterStore,
        today: Day = currentDay(),
        options: ImportOptions = ImportOptions()
    ) throws -> ImportSummary {
        try importRegister(
            file: file,
            displayName: displayName,
            openingStore: { store },
            today: today,
            options: options
        )
        .summary
    }

    /// Imports the register file at `file` as ``importRegister(file:displayName:into:today:options:)`` does, opening
    /// the store with `openStore` only once the file is read and every value checked: a bad file leaves no new
    /// database behind. The names it uses are then checked against the register's (``checkNames(of:in:against:)``).
    /// - Returns: the summary, and the table as prepared (its sheet and column sources, for the command to say).
    public static func importRegister(
        file: URL,
        displayName: String,
        openingStore openStore: () throws -> any RegisterStore,
        today: Day,
        options: ImportOptions = ImportOptions()
    ) throws -> (summary: ImportSummary, prepared: PreparedTable) {
        let prepared = try prepareTable(contentsOf: file, displayName: displayName, kind: "register", options: options)
        let assets = try readRegister(prepared.table, today: today, aliases: options.aliases)
        let store = try openStore()
        try checkNames(of: assets, in: prepared.table, against: store.assetPlaces())
        let changes = try store.upsert(assets: assets, from: ImportSource(file: displayName, contentsOf: file))
        return (ImportSummary(file: displayName, rowsRead: prepared.table.rows.count, changes: changes), prepared)
    }

    /// Imports the utilisation feed at `file` (CSV, or a sheet of an XLSX), upserting by (`asset_id`,
    /// `month`); every asset it names must already be in the register.
    /// - Parameters:
    ///   - displayName: the file as the user named it, for messages.
    ///   - today: the current day; months after its month are refused.
    ///   - options: the sheet, column names and number convention.
    /// - Returns: how many rows were read, inserted and updated, and the columns that were ignored.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read, ``InvalidInput`` (exit 2) naming every
    ///   bad value, with nothing written; ``RegisterStoreError`` (exit 4) when the database cannot be used.
    public static func importUtilisation(
        file: URL,
        displayName: String,
        into store: any RegisterStore,
        today: Day,
        options: ImportOptions = ImportOptions()
    ) throws -> ImportSummary {
        try importUtilisation(
            file: file,
            displayName: displayName,
            openingStore: { store },
            today: today,
            options: options
        )
        .summary
    }

    /// Imports the utilisation feed at `file` as ``importUtilisation(file:displayName:into:today:options:)`` does,
    /// opening the store with `openStore` while the file is read: a file that cannot be read, or is not a table,
    /// is named before any failure to open the store, as when the store is opened after the file is read.
    ///
    /// An SQLite register writes a plain CSV feed's rows while the rest of the file is still being scanned, when
    /// every row is new (a first import, the next month's feed; ``SQLiteRegisterStore/insertNewUtilisation(_:today:)``);
    /// otherwise, and for any other store, the whole file is read and checked, then upserted.
    /// - Returns: the summary, and the table as prepared (its sheet and column sources, for the command to say).
    public static func importUtilisation(
        file: URL,
        displayName: String,
        openingStore openStore: () throws -> any RegisterStore,
        today: Day,
        options: ImportOptions = ImportOptions()
    ) throws -> (summary: ImportSummary, prepared: PreparedTable) {
        let rows = FeedRows()
        let reading = BackgroundValue { () -> Result<UtilisationFeedFile, any Error> in
            Result {
                try UtilisationFeedFile.read(
                    contentsOf: file,
                    displayName: displayName,
                    options: options,
                    handingTo: rows
                )
            }
        }
        let store: any RegisterStore
        var inserted: UpsertSummary?
        do {
            store = try openStore()
            if let sqlite = store as? SQLiteRegisterStore {
                inserted = try sqlite.insertNewUtilisation(rows, today: today)
            } else {
                rows.abandon()
            }
        } catch {
            rows.abandon()
            // The file's own failure first.
            _ = try reading.value().get()
            throw error
        }
        let feed = try reading.value().get()
        let changes =
            try inserted
            ?? store.upsert(
                utilisation: feed.records(today: today, knownAssets: try store.assetIDs()),
                from: feed.source
            )
        let summary = ImportSummary(
            file: displayName,
            rowsRead: feed.rowsRead,
            changes: changes,
            ignoredColumns: feed.ignoredColumns
        )
        return (summary, feed.prepared)
    }

    /// Reads the file at `url` as a table: the first sheet when it is an XLSX workbook (recognised by its ZIP
    /// signature, whatever its extension), otherwise CSV.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read; ``InvalidInput`` when it is neither a
    ///   readable workbook nor CSV text.
    public static func readTable(contentsOf url: URL, displayName: String) throws -> InputTable {
        try readTable(contentsOf: url, displayName: displayName, sheet: nil, missingColumns: nil).table
    }

    /// Reads the file at `url` as a table: for a workbook, the sheet named `sheet`, or else the first whose
    /// header (within its first 20 rows) lacks none of the columns `missingColumns` asks for (see
    /// ``XLSXReader/readSheet(contentsOf:file:named:missingColumns:)``); otherwise CSV.
    /// - Returns: the table and, for a workbook, the sheet it came from.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read; ``InvalidInput`` when it is neither a
    ///   readable workbook nor CSV text, when no sheet fits, or when `sheet` is given for a CSV file.
    public static func readTable(
        contentsOf url: URL,
        displayName: String,
        sheet: String?,
        missingColumns: (([String]) -> [String])?
    ) throws -> (table: InputTable, sheet: XLSXReader.Sheet?) {
        let data = try readData(contentsOf: url, displayName: displayName)
        // A workbook is read from its file: ZIPFoundation's file-backed archive, not a copy of the bytes.
        if XLSXReader.looksLikeXLSX(data) {
            let read = try importing { () throws(InvalidInput) in
                try XLSXReader.readSheet(
                    contentsOf: url,
                    file: displayName,
                    named: sheet,
                    missingColumns: missingColumns
                )
            }
            return (read.table, read)
        }
        let table = try readTable(data, file: displayName)
        if let sheet {
            throw InvalidInput(
                issues: [
                    InputIssue(
                        file: displayName,
                        line: nil,
                        problem: "is a CSV file, which has no sheets, so --sheet '\(sheet)' cannot be read from it; "
                            + "expected an .xlsx workbook with --sheet, or the CSV file without it"
                    )
                ],
                consequence: "nothing was imported from it"
            )
        }
        return (table, nil)
    }

    /// The bytes of the file at `url`.
    /// - Throws: ``FileFailure`` (exit 2) naming `displayName` when the file cannot be read.
    static func readData(contentsOf url: URL, displayName: String) throws(FileFailure) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw FileFailure(
                path: displayName,
                reason: "cannot be read (\(readingReason(error, url: url)))",
                exitCode: .invalidInput
            )
        }
    }

    /// Reads `data` as a table, naming it `file` in messages: an XLSX workbook's first sheet, or CSV.
    /// - Throws: ``InvalidInput`` when it is neither a readable workbook nor CSV text.
    public static func readTable(_ data: Data, file: String) throws(InvalidInput) -> InputTable {
        try importing { () throws(InvalidInput) in try parseTable(data, file: file) }
    }

    /// Runs `body`, saying in its input error that nothing was imported from the file.
    static func importing<Value>(_ body: () throws(InvalidInput) -> Value) throws(InvalidInput) -> Value {
        do {
            return try body()
        } catch {
            var failure = error
            failure.consequence = "nothing was imported from it"
            throw failure
        }
    }

    private static func parseTable(_ data: Data, file: String) throws(InvalidInput) -> InputTable {
        if XLSXReader.looksLikeXLSX(data) { return try XLSXReader.readFirstSheet(data, file: file) }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: nil,
                    problem: "is an Excel 97–2003 workbook (.xls); expected CSV or .xlsx "
                        + "(save it as .xlsx in Excel)"
                )
            )
        }
        if ["xlsx", "xlsm"].contains(URL(fileURLWithPath: file).pathExtension.lowercased()) {
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: nil,
                    problem: "is named like a workbook but is not one (it does not start with the ZIP signature); "
                        + "expected an .xlsx file saved by Excel or LibreOffice, or CSV"
                )
            )
        }
        return try CSV.parse(data, file: file)
    }

    /// Today in the local time zone, as planners date things.
    public static func currentDay(in timeZone: TimeZone = .current) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? Day(daysSinceEpoch: Int(Date().timeIntervalSince1970 / 86_400))
    }

    private static func readingReason(_ error: any Error, url: URL) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "it is a folder" }
        if !FileManager.default.isReadableFile(atPath: url.path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}

/// What one import did.
public struct ImportSummary: Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// Data rows read from the file (empty rows not counted).
    public var rowsRead: Int
    /// Rows new to the register.
    public var inserted: Int
    /// Rows that replaced stored ones.
    public var updated: Int
    /// Header names (as written) of columns that were not imported; a register keeps unknown columns in
    /// `notes`, so only a utilisation feed has any.
    public var ignoredColumns: [String]

    /// A summary of an import of `file`.
    public init(file: String, rowsRead: Int, changes: UpsertSummary, ignoredColumns: [String] = []) {
        self.file = file
        self.rowsRead = rowsRead
        inserted = changes.inserted
        updated = changes.updated
        self.ignoredColumns = ignoredColumns
    }

    /// `register.csv: 20,000 rows read, 19,990 inserted, 10 updated`, and the ignored columns if any.
    public var description: String {
        var text =
            "\(file): \(Self.count(rowsRead, "row")) read, \(groupedThousands(inserted)) inserted, "
            + "\(groupedThousands(updated)) updated"
        if !ignoredColumns.isEmpty {
            text += " (columns not imported: " + ignoredColumns.map { "'\($0)'" }.joined(separator: ", ") + ")"
        }
        return text
    }

    private static func count(_ value: Int, _ noun: String) -> String {
        "\(groupedThousands(value)) \(noun)\(value == 1 ? "" : "s")"
    }
}
