import CXlsxWriter

/// An Excel table (ListObject) over a range: a header row, filter buttons, banded styling, an optional total row.
///
/// Write the data cells with the ``Worksheet`` write methods, before or after adding the table; the table writes
/// its header row from ``columns`` and, with ``hasTotalRow``, the last row of the range. Tables are not
/// available in constant-memory mode (libxlsxwriter returns ``LibraryErrorCode/featureNotSupported``); write a
/// header row and use ``Worksheet/setAutofilter(_:)`` there instead.
///
/// ```swift
/// let table = Table(name: "Register", columns: ["Asset", "Trust", "Cost"].map { TableColumn(header: $0) })
/// try sheet.addTable(table, at: CellRange(rows: 0...assets.count, columns: 0...2))
/// ```
public struct Table: Hashable, Sendable {
    /// The table's name (letters, digits, `_`, `.`; starting with a letter or `_`; no spaces); nil for Excel's
    /// `Table1`, `Table2`….
    public var name: String?
    /// One entry per column of the range, left to right.
    public var columns: [TableColumn]
    /// The first row of the range is the header row.
    public var hasHeaderRow: Bool
    /// The header row has filter buttons.
    public var hasAutofilter: Bool
    /// Alternate rows are shaded.
    public var hasBandedRows: Bool
    /// Alternate columns are shaded.
    public var hasBandedColumns: Bool
    /// The first column is emphasised.
    public var emphasisesFirstColumn: Bool
    /// The table style.
    public var style: TableStyle
    /// The last row of the range is a total row (see ``TableColumn/total``).
    public var hasTotalRow: Bool

    /// A table with the given columns; by default with a header row, filters, banded rows and Table Style
    /// Medium 9 (Excel's default).
    public init(
        name: String? = nil,
        columns: [TableColumn],
        hasHeaderRow: Bool = true,
        hasAutofilter: Bool = true,
        hasBandedRows: Bool = true,
        hasBandedColumns: Bool = false,
        emphasisesFirstColumn: Bool = false,
        style: TableStyle = .medium(9),
        hasTotalRow: Bool = false
    ) {
        self.name = name
        self.columns = columns
        self.hasHeaderRow = hasHeaderRow
        self.hasAutofilter = hasAutofilter
        self.hasBandedRows = hasBandedRows
        self.hasBandedColumns = hasBandedColumns
        self.emphasisesFirstColumn = emphasisesFirstColumn
        self.style = style
        self.hasTotalRow = hasTotalRow
    }
}

/// One column of a ``Table``.
public struct TableColumn: Hashable, Sendable {
    /// The header text (unique within the table).
    public var header: String
    /// The format of the header cell; nil for the table style's.
    public var headerFormat: CellFormat?
    /// The format of the column's data cells, applied to cells that the table writes (the total row); data cells
    /// written with the ``Worksheet`` methods keep their own format.
    public var format: CellFormat?
    /// What the total row shows in this column; nil for nothing.
    public var total: TableTotal?

    /// A column headed `header`.
    public init(header: String, headerFormat: CellFormat? = nil, format: CellFormat? = nil, total: TableTotal? = nil) {
        self.header = header
        self.headerFormat = headerFormat
        self.format = format
        self.total = total
    }
}

/// What a table's total row shows in one column.
public enum TableTotal: Hashable, Sendable {
    /// A label such as `Total`, as text.
    case label(String)
    /// A `SUBTOTAL` over the column's visible data cells (written with a plain range such as
    /// `=SUBTOTAL(109,D2:D6)`), with the value the caller computed as its cached value.
    case function(TableTotalFunction, cachedValue: Double)
}

/// The functions a table's total row offers.
public enum TableTotalFunction: Hashable, Sendable {
    /// Sum.
    case sum
    /// Average.
    case average
    /// Count of non-empty cells.
    case count
    /// Count of numbers.
    case countNumbers
    /// Maximum.
    case max
    /// Minimum.
    case min

    var lxwValue: UInt8 {
        switch self {
        case .sum: UInt8(LXW_TABLE_FUNCTION_SUM.rawValue)
        case .average: UInt8(LXW_TABLE_FUNCTION_AVERAGE.rawValue)
        case .count: UInt8(LXW_TABLE_FUNCTION_COUNT.rawValue)
        case .countNumbers: UInt8(LXW_TABLE_FUNCTION_COUNT_NUMS.rawValue)
        case .max: UInt8(LXW_TABLE_FUNCTION_MAX.rawValue)
        case .min: UInt8(LXW_TABLE_FUNCTION_MIN.rawValue)
        }
    }
}

/// Excel's built-in table styles.
public enum TableStyle: Hashable, Sendable {
    /// No style (plain cells).
    case none
    /// Table Style Light 1–21.
    case light(Int)
    /// Table Style Medium 1–28.
    case medium(Int)
    /// Table Style Dark 1–11.
    case dark(Int)
}

extension Worksheet {
    /// Adds an Excel table over `range` (header row included; total row included when the table has one).
    /// - Throws: ``WorkbookError``: ``LibraryErrorCode/parameterValidation`` for a bad name, a header count that
    ///   does not match the range, duplicate headers or an overlap with another table.
    public func addTable(_ table: Table, at range: CellRange) throws {
        let operation = "adding table \(table.name.map { "'\($0)'" } ?? "")".trimmingSuffix()
        let (r1, c1, r2, c2) = try cells(range, operation)
        var options = lxw_table_options()
        options.name = table.name.map(workbook.retain)
        options.no_header_row = table.hasHeaderRow ? 0 : 1
        options.no_autofilter = table.hasAutofilter ? 0 : 1
        options.no_banded_rows = table.hasBandedRows ? 0 : 1
        options.banded_columns = table.hasBandedColumns ? 1 : 0
        options.first_column = table.emphasisesFirstColumn ? 1 : 0
        options.total_row = table.hasTotalRow ? 1 : 0
        switch table.style {
        case .none:
            options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue)
            options.style_type_number = 0
        case .light(let number):
            options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_LIGHT.rawValue)
            options.style_type_number = UInt8(clamping: number)
        case .medium(let number):
            options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_MEDIUM.rawValue)
            options.style_type_number = UInt8(clamping: number)
        case .dark(let number):
            options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_DARK.rawValue)
            options.style_type_number = UInt8(clamping: number)
        }
        // The column structs and the NULL-terminated pointer array live until the call returns; their strings are
        // retained by the workbook until it is freed.
        var columns = try table.columns.map { column -> lxw_table_column in
            var c = lxw_table_column()
            c.header = workbook.retain(column.header)
            c.header_format = try workbook.lxwFormat(column.headerFormat)
            c.format = try workbook.lxwFormat(column.format)
            switch column.total {
            case .label(let text): c.total_string = workbook.retain(text)
            case .function, nil:
                // Written below as an ordinary formula: libxlsxwriter's own total formula uses a structured
                // reference without the table name (`SUBTOTAL(109,[Cost])`), which LibreOffice cannot evaluate.
                break
            }
            return c
        }
        let status = columns.withUnsafeMutableBufferPointer { buffer -> lxw_error in
            var pointers: [UnsafeMutablePointer<lxw_table_column>?] =
                (0..<buffer.count).map { buffer.baseAddress! + $0 }
            pointers.append(nil)
            return pointers.withUnsafeMutableBufferPointer { list in
                options.columns = table.columns.isEmpty ? nil : list.baseAddress
                return worksheet_add_table(pointer, r1, c1, r2, c2, &options)
            }
        }
        try check(status, operation, range: range)
        guard table.hasTotalRow else { return }
        let firstDataRow = range.first.row + (table.hasHeaderRow ? 1 : 0)
        let lastDataRow = range.last.row - 1
        for (offset, column) in table.columns.enumerated() {
            guard case .function(let function, let cachedValue) = column.total else { continue }
            let columnIndex = range.first.column + offset
            let cells = CellRange(rows: firstDataRow...max(firstDataRow, lastDataRow), column: columnIndex)
            try writeFormula(
                "=SUBTOTAL(\(function.lxwValue),\(cells.a1))",
                cachedValue: cachedValue,
                row: range.last.row,
                column: columnIndex,
                format: column.format
            )
        }
    }
}

extension String {
    fileprivate func trimmingSuffix() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension Worksheet {
    /// Adds filter buttons to the header row of `range` (the first row), without making it a table; this works
    /// in constant-memory mode. A sheet has at most one autofilter.
    /// - Throws: ``WorkbookError`` when the range is out of bounds.
    public func setAutofilter(_ range: CellRange) throws {
        let (r1, c1, r2, c2) = try cells(range, "setting an autofilter")
        try check(worksheet_autofilter(pointer, r1, c1, r2, c2), "setting an autofilter", range: range)
    }
}
