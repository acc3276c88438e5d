import Foundation

// Runs scripts/xlsx-check (python3 + openpyxl, and LibreOffice for recalculation) on a workbook, so tests judge
// the files with readers nobody here wrote. Other test targets can copy this file as it is.

/// The package's root folder, found from this source file's path (Tests/<Target>/XLSXCheck.swift).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// What `xlsx-check --describe` reports about a workbook.
public struct WorkbookDescription: Decodable {
    public struct Table: Decodable {
        public var sheet: String
        public var name: String
        public var ref: String
        public var columns: [String]
        public var autofilter: Bool
        public var total_row: Bool
    }

    public struct Cell: Decodable {
        /// "formula", "string", "number", "boolean", "date", "empty" or "missing sheet".
        public var type: String
        public var value: JSONValue?
        public var cached: JSONValue?
        /// The cell's number format code (`General` when none) and whether its font is bold.
        public var number_format: String?
        public var bold: Bool?
    }

    public struct Layout: Decodable {
        public var conditional_formats: Int
        public var data_validations: Int
        public var freeze_panes: String?
        public var merged: [String]
        /// How the sheet prints (absent from older xlsx-check output).
        public var print: PrintSetup?
        /// Widths set on columns, by column letters, in Excel's width unit (absent from older output).
        public var column_widths: [String: Double]?
    }

    /// A sheet's print setup as openpyxl reads it.
    public struct PrintSetup: Decodable {
        /// "landscape", "portrait", or nil for the default (portrait).
        public var orientation: String?
        /// Excel's paper code (9 is A4), nil for the default.
        public var paper_size: Int?
        /// Whether printing is scaled to fit a number of pages.
        public var fit_to_page: Bool
        /// Pages across (when fitting to pages); 0 for no limit.
        public var fit_to_width: Int
        /// Pages down (when fitting to pages); 0 for no limit.
        public var fit_to_height: Int
        /// Rows repeated at the top of every page, such as `$4:$4`.
        public var title_rows: String?
        /// The page header's left, centre and right sections joined by " | ".
        public var header: String
        /// The page footer's sections joined by " | ".
        public var footer: String
        /// The tab colour as ARGB hex, nil for none.
        public var tab_color: String?
    }

    /// A cell holding searched-for text (`--find`).
    public struct Found: Decodable {
        /// `Sheet!A1`.
        public var cell: String
        /// "string", or "formula" when the text ended up inside a formula.
        public var type: String
    }

    public var sheets: [String]
    public var layout: [String: Layout]
    public var defined_names: [String: String]
    public var tables: [Table]
    public var charts: [String: Int]
    public var cells: [String: Cell]
    /// Cells holding each `--find` text; nil without `--find`.
    public var found: [String: [Found]]?
}

/// A JSON scalar from the description.
public enum JSONValue: Decodable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

/// The outcome of one `xlsx-check` run.
public struct CheckRun {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `python3 scripts/xlsx-check arguments…` and waits for it.
public func runXLSXCheck(_ arguments: [String]) throws -> CheckRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/xlsx-check").path] + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    nonisolated(unsafe) var stderrData = Data()
    let group = DispatchGroup()
    DispatchQueue(label: "xlsx-check-stderr").async(group: group) {
        stderrData = (try? err.fileHandleForReading.readToEnd()) ?? Data()
    }
    let stdoutData = (try? out.fileHandleForReading.readToEnd()) ?? Data()
    group.wait()
    process.waitUntilExit()
    return CheckRun(
        status: process.terminationStatus,
        stdout: String(decoding: stdoutData, as: UTF8.self),
        stderr: String(decoding: stderrData, as: UTF8.self)
    )
}

/// The `--describe` summary of the workbook at `path`, with `cells` (`"Sheet!A1"`) reported and every cell
/// holding one of `texts` found.
public func describeWorkbook(
    at path: String,
    cells: [String] = [],
    finding texts: [String] = []
) throws
    -> WorkbookDescription
{
    let run = try runXLSXCheck(
        ["--describe", path] + cells.flatMap { ["--cell", $0] } + texts.flatMap { ["--find", $0] }
    )
    guard run.status == 0 else {
        throw CheckFailure(message: "xlsx-check --describe exited \(run.status): \(run.stderr)")
    }
    return try JSONDecoder().decode(WorkbookDescription.self, from: Data(run.stdout.utf8))
}

/// The result of recalculating a workbook in LibreOffice: formulas whose cached value matched and did not.
public struct Recalculation {
    public var passed: Int
    public var failed: Int
    /// One line per mismatch, then the closing count.
    public var report: String
}

/// Recalculates the workbook at `path` in LibreOffice Calc and compares every formula's cached value.
public func recalculateWorkbook(at path: String) throws -> Recalculation {
    let run = try runXLSXCheck([path])
    guard run.status == 0 || run.status == 1, let last = run.stdout.split(separator: "\n").last else {
        throw CheckFailure(message: "xlsx-check exited \(run.status): \(run.stderr)")
    }
    // "N passed, N failed"
    let numbers = last.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    guard numbers.count == 2 else { throw CheckFailure(message: "unexpected xlsx-check output: \(run.stdout)") }
    return Recalculation(passed: numbers[0], failed: numbers[1], report: run.stdout)
}

/// A checker that could not run.
public struct CheckFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// A fresh temporary folder for one test.
public func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
