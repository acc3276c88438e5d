import CXlsxWriter

/// One worksheet of a ``Workbook``: a handle for writing cells and setting the sheet's layout.
///
/// Rows and columns are 0-based (`row: 0, column: 0` is A1). The handle keeps its workbook alive; after
/// ``Workbook/close()`` every throwing call throws ``WorkbookError`` of kind ``WorkbookError/Kind/closed`` and the
/// non-throwing view settings (``freezePanes(row:column:)``, ``activate()``, ``hideGridlines()``…) do nothing.
///
/// Text is always written as text: ``writeText(_:row:column:format:)`` never interprets a leading `=`, `+`, `-`
/// or `@`, so a value from an imported file such as `=HYPERLINK("http://x","y")` stays inert. Only
/// ``writeFormula(_:cachedValue:row:column:format:)`` writes formulas, and it takes the value the caller computed
/// so that the workbook shows correct figures before any recalculation.
///
/// A worksheet may be written on a thread of its own while other worksheets of its workbook are written on others
/// (see ``Workbook``); one worksheet is written from one thread at a time.
public struct Worksheet: @unchecked Sendable {
    /// The workbook the sheet belongs to.
    public let workbook: Workbook
    let pointer: UnsafeMutablePointer<lxw_worksheet>
    /// The tab name.
    public let name: String
    /// The 0-based position of the sheet in the workbook.
    public let index: Int
    /// The formats this sheet used last, asked before the workbook's.
    private let recentFormats = RecentFormats()

    init(workbook: Workbook, pointer: UnsafeMutablePointer<lxw_worksheet>, name: String, index: Int) {
        self.workbook = workbook
        self.pointer = pointer
        self.name = name
        self.index = index
    }

    /// The libxlsxwriter format of `format` (nil for nil): from the sheet's recent formats, else the workbook's.
    func lxwFormat(_ format: CellFormat?) throws -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        if let hit = recentFormats.pointer(for: format) { return hit }
        let pointer = try workbook.lxwFormat(format)!
        recentFormats.insert(format, pointer)
        return pointer
    }

    // MARK: - Cells

    /// Writes the number `value` at (`row`, `column`).
    /// - Throws: ``WorkbookError`` (e.g. ``LibraryErrorCode/worksheetIndexOutOfRange`` beyond row 1,048,575 or
    ///   column 16,383, or before the current row in constant-memory mode).
    public func writeNumber(_ value: Double, row: Int, column: Int, format: CellFormat? = nil) throws {
        try writeNumber(value, row, column, try lxwFormat(format))
    }

    /// Writes the number `value` at (`row`, `column`) with a format prepared by ``Workbook/prepare(_:)``.
    /// - Throws: ``WorkbookError`` as ``writeNumber(_:row:column:format:)`` does, and for a format of another
    ///   workbook.
    public func writeNumber(_ value: Double, row: Int, column: Int, format: PreparedFormat) throws {
        try writeNumber(value, row, column, try workbook.lxwFormat(format, operation: "writing a number"))
    }

    /// Writes `text` at (`row`, `column`) as a text cell, whatever characters it starts with.
    /// - Throws: ``WorkbookError`` (e.g. ``LibraryErrorCode/maxStringLengthExceeded`` beyond 32,767 characters).
    public func writeText(_ text: String, row: Int, column: Int, format: CellFormat? = nil) throws {
        let lxwFormat = try lxwFormat(format)
        try text.withCString { try writeText($0, row, column, lxwFormat) }
    }

    /// Writes `text` at (`row`, `column`) as a text cell with a format prepared by ``Workbook/prepare(_:)``.
    /// - Throws: ``WorkbookError`` as ``writeText(_:row:column:format:)`` does, and for a format of another
    ///   workbook.
    public func writeText(_ text: String, row: Int, column: Int, format: PreparedFormat) throws {
        let lxwFormat = try workbook.lxwFormat(format, operation: "writing text")
        try text.withCString { try writeText($0, row, column, lxwFormat) }
    }

    /// Writes the NUL-terminated UTF-8 text at `cString` as a text cell, for writers that build cell texts in a
    /// reusable buffer rather than as one `String` per cell; libxlsxwriter copies the text before returning.
    /// - Throws: ``WorkbookError`` as ``writeText(_:row:column:format:)`` does.
    public func writeText(
        cString: UnsafePointer<CChar>,
        row: Int,
        column: Int,
        format: PreparedFormat? = nil
    ) throws {
        let lxwFormat = try format.map { try workbook.lxwFormat($0, operation: "writing text") }
        try writeText(cString, row, column, lxwFormat)
    }

    /// Writes the formula `formula` with the number it evaluates to, so readers that do not recalculate (and
    /// Excel before it recalculates) show `cachedValue`.
    ///
    /// - Parameter formula: US-English function names and comma separators, with or without the leading `=`,
    ///   e.g. `=B2*(1+DiscountRate)`.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the cell.
    public func writeFormula(
        _ formula: String,
        cachedValue: Double,
        row: Int,
        column: Int,
        format: CellFormat? = nil
    ) throws {
        try writeFormula(formula, cachedValue, row, column, try lxwFormat(format))
    }

    /// Writes the formula `formula` with its computed number, with a format prepared by ``Workbook/prepare(_:)``.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the cell, and for a format of another workbook.
    public func writeFormula(
        _ formula: String,
        cachedValue: Double,
        row: Int,
        column: Int,
        format: PreparedFormat
    ) throws {
        try writeFormula(
            formula,
            cachedValue,
            row,
            column,
            try workbook.lxwFormat(format, operation: "writing a formula")
        )
    }

    /// Writes the formula `formula` whose result is text, with that text as its cached value.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the cell.
    public func writeFormula(
        _ formula: String,
        cachedText: String,
        row: Int,
        column: Int,
        format: CellFormat? = nil
    ) throws {
        try writeFormula(formula, cachedText, row, column, try lxwFormat(format))
    }

    /// Writes the formula `formula` whose result is text, with a format prepared by ``Workbook/prepare(_:)``.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the cell, and for a format of another workbook.
    public func writeFormula(
        _ formula: String,
        cachedText: String,
        row: Int,
        column: Int,
        format: PreparedFormat
    ) throws {
        try writeFormula(
            formula,
            cachedText,
            row,
            column,
            try workbook.lxwFormat(format, operation: "writing a formula")
        )
    }

    /// Writes the boolean `value` (shown TRUE or FALSE).
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the cell.
    public func writeBoolean(_ value: Bool, row: Int, column: Int, format: CellFormat? = nil) throws {
        let (r, c) = try cell(row, column, "writing a boolean")
        let status = worksheet_write_boolean(pointer, r, c, value ? 1 : 0, try lxwFormat(format))
        try check(status, "writing a boolean", row, column)
    }

    /// Writes a calendar date as an Excel serial day number with a date format: `format`'s number format when it
    /// has one, else ``NumberFormat/date`` (`yyyy-mm-dd`).
    /// - Throws: ``WorkbookError`` of kind ``WorkbookError/Kind/invalidArgument`` for a date that does not exist
    ///   or lies before 1900-03-01.
    public func writeDate(year: Int, month: Int, day: Int, row: Int, column: Int, format: CellFormat? = nil) throws {
        var dated = format ?? CellFormat()
        if dated.numberFormat == nil { dated.numberFormat = .date }
        try writeNumber(try serial(year, month, day, row, column), row: row, column: column, format: dated)
    }

    /// Writes a calendar date as an Excel serial day number with a prepared format, which should have a date
    /// number format (such as ``NumberFormat/date``); without one the cell shows the serial number.
    /// - Throws: ``WorkbookError`` as ``writeDate(year:month:day:row:column:format:)`` does.
    public func writeDate(
        year: Int,
        month: Int,
        day: Int,
        row: Int,
        column: Int,
        format: PreparedFormat
    ) throws {
        try writeNumber(try serial(year, month, day, row, column), row: row, column: column, format: format)
    }

    /// Writes an empty cell that carries `format` (a fill or border with no value).
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the cell.
    public func writeBlank(row: Int, column: Int, format: CellFormat) throws {
        let (r, c) = try cell(row, column, "writing a blank cell")
        let status = worksheet_write_blank(pointer, r, c, try lxwFormat(format))
        try check(status, "writing a blank cell", row, column)
    }

    // The writes above, once the format is a libxlsxwriter format.

    @inline(__always)
    private func writeNumber(
        _ value: Double,
        _ row: Int,
        _ column: Int,
        _ format: UnsafeMutablePointer<lxw_format>?
    ) throws {
        let (r, c) = try cell(row, column, "writing a number")
        let status = worksheet_write_number(pointer, r, c, value, format)
        try check(status, "writing a number", row, column)
    }

    @inline(__always)
    private func writeText(
        _ text: UnsafePointer<CChar>,
        _ row: Int,
        _ column: Int,
        _ format: UnsafeMutablePointer<lxw_format>?
    ) throws {
        let (r, c) = try cell(row, column, "writing text")
        // In normal mode the text goes in the workbook's shared-string table; in constant-memory mode, in the cell.
        let status =
            workbook.isConstantMemory
            ? worksheet_write_string(pointer, r, c, text, format)
            : workbook.exclusively { worksheet_write_string(pointer, r, c, text, format) }
        try check(status, "writing text", row, column)
    }

    private func writeFormula(
        _ formula: String,
        _ cachedValue: Double,
        _ row: Int,
        _ column: Int,
        _ format: UnsafeMutablePointer<lxw_format>?
    ) throws {
        let (r, c) = try cell(row, column, "writing a formula")
        let status = worksheet_write_formula_num(pointer, r, c, formula, format, cachedValue)
        try check(status, "writing formula \(formula)", row, column)
    }

    private func writeFormula(
        _ formula: String,
        _ cachedText: String,
        _ row: Int,
        _ column: Int,
        _ format: UnsafeMutablePointer<lxw_format>?
    ) throws {
        let (r, c) = try cell(row, column, "writing a formula")
        let status = worksheet_write_formula_str(pointer, r, c, formula, format, cachedText)
        try check(status, "writing formula \(formula)", row, column)
    }

    private func serial(_ year: Int, _ month: Int, _ day: Int, _ row: Int, _ column: Int) throws -> Double {
        guard let serial = ExcelDate.serial(year: year, month: month, day: day) else {
            throw WorkbookError(
                kind: .invalidArgument,
                message: "\(year)-\(month)-\(day) is not a date Excel can hold.",
                operation: "writing a date",
                sheet: name,
                cell: CellReference(row: row, column: column).a1
            )
        }
        return serial
    }

    /// Writes a hyperlink to `url` (http, https, mailto, or `internal:Sheet!A1`) showing `text`.
    /// - Throws: ``WorkbookError`` (e.g. ``LibraryErrorCode/maxURLLengthExceeded``).
    public func writeLink(_ url: String, text: String? = nil, row: Int, column: Int, format: CellFormat? = nil) throws {
        let (r, c) = try cell(row, column, "writing a link")
        let linkFormat =
            format.map { $0.isUnderlined ? $0 : with($0) { $0.isUnderlined = true } }
            ?? CellFormat(isUnderlined: true, fontColor: Color(rgb: 0x0563C1))
        let format = try lxwFormat(linkFormat)
        // Its text goes in the workbook's shared-string table in normal mode.
        let status = workbook.exclusively { worksheet_write_url_opt(pointer, r, c, url, format, text, nil) }
        try check(status, "writing link \(url)", row, column)
    }

    /// Attaches a note (comment) showing `text` to a cell.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects it.
    public func writeComment(_ text: String, row: Int, column: Int) throws {
        let (r, c) = try cell(row, column, "writing a comment")
        try check(worksheet_write_comment(pointer, r, c, text), "writing a comment", row, column)
    }

    /// Merges `range` into one cell showing `text` (as text, never a formula).
    ///
    /// In constant-memory mode, merge before writing any row below the range's first row.
    /// - Throws: ``WorkbookError`` when the range is a single cell or overlaps another merge.
    public func mergeRange(_ range: CellRange, text: String, format: CellFormat? = nil) throws {
        let (r1, c1, r2, c2) = try cells(range, "merging cells")
        let format = try lxwFormat(format)
        // Its text goes in the workbook's shared-string table in normal mode.
        let status = workbook.exclusively { worksheet_merge_range(pointer, r1, c1, r2, c2, text, format) }
        try check(status, "merging cells", range: range)
    }

    // MARK: - Rows and columns

    /// Sets the width of `columns` in characters of the default font (Excel's default is 8.43), optionally with a
    /// default `format` for their empty cells and hidden.
    /// - Throws: ``WorkbookError`` when the columns are out of range.
    public func setColumnWidth(
        _ widthInCharacters: Double,
        columns: ClosedRange<Int>,
        format: CellFormat? = nil,
        isHidden: Bool = false
    ) throws {
        let (_, c1, _, c2) = try cells(CellRange(rows: 0...0, columns: columns), "setting column widths")
        var options = lxw_row_col_options(hidden: isHidden ? 1 : 0, level: 0, collapsed: 0)
        let status = worksheet_set_column_opt(
            pointer,
            c1,
            c2,
            widthInCharacters,
            try lxwFormat(format),
            &options
        )
        try check(status, "setting column widths", range: CellRange(rows: 0...0, columns: columns))
    }

    /// Sets the width of one column in characters of the default font.
    /// - Throws: ``WorkbookError`` when the column is out of range.
    public func setColumnWidth(_ widthInCharacters: Double, column: Int, format: CellFormat? = nil) throws {
        try setColumnWidth(widthInCharacters, columns: column...column, format: format)
    }

    /// Sets the height of `row` in points (Excel's default is 15), optionally with a default `format`.
    /// - Throws: ``WorkbookError`` when the row is out of range.
    public func setRowHeight(_ heightInPoints: Double, row: Int, format: CellFormat? = nil) throws {
        let (r, _) = try cell(row, 0, "setting a row height")
        try check(
            worksheet_set_row(pointer, r, heightInPoints, try lxwFormat(format)),
            "setting a row height",
            row,
            0
        )
    }

    /// Freezes the rows above `row` and the columns left of `column` (e.g. `row: 1, column: 0` keeps a header
    /// row in view).
    public func freezePanes(row: Int, column: Int) {
        guard !workbook.isClosed, row >= 0, column >= 0 else { return }
        worksheet_freeze_panes(pointer, lxw_row_t(clamping: row), lxw_col_t(clamping: column))
    }

    // MARK: - Sheet view and print setup

    /// Makes this the sheet shown when the workbook opens.
    public func activate() {
        guard !workbook.isClosed else { return }
        worksheet_activate(pointer)
    }

    /// Makes this the first visible tab (for workbooks with many sheets).
    public func setFirstSheet() {
        guard !workbook.isClosed else { return }
        worksheet_set_first_sheet(pointer)
    }

    /// Hides the gridlines on screen and in print.
    public func hideGridlines() {
        guard !workbook.isClosed else { return }
        worksheet_gridlines(pointer, UInt8(LXW_HIDE_ALL_GRIDLINES.rawValue))
    }

    /// Colours the sheet's tab.
    public func setTabColor(_ color: Color) {
        guard !workbook.isClosed else { return }
        worksheet_set_tab_color(pointer, color.lxwColor)
    }

    /// Sets the zoom in percent (10–400; 100 is normal).
    public func setZoom(percent: Int) {
        guard !workbook.isClosed else { return }
        worksheet_set_zoom(pointer, UInt16(clamping: percent))
    }

    /// Prints in landscape orientation.
    public func setLandscape() {
        guard !workbook.isClosed else { return }
        worksheet_set_landscape(pointer)
    }

    /// Sets the paper size.
    public func setPaper(_ paper: PaperSize) {
        guard !workbook.isClosed else { return }
        worksheet_set_paper(pointer, paper.lxwValue)
    }

    /// Scales printing to at most `width` pages across and `height` pages down; 0 leaves that direction
    /// unconstrained (`fitToPages(width: 1, height: 0)` fits the width on one page).
    public func fitToPages(width: Int, height: Int) {
        guard !workbook.isClosed else { return }
        worksheet_fit_to_pages(pointer, UInt16(clamping: width), UInt16(clamping: height))
    }

    /// Prints only `range`.
    /// - Throws: ``WorkbookError`` when the range is out of bounds.
    public func setPrintArea(_ range: CellRange) throws {
        let (r1, c1, r2, c2) = try cells(range, "setting the print area")
        try check(worksheet_print_area(pointer, r1, c1, r2, c2), "setting the print area", range: range)
    }

    /// Repeats `rows` at the top of every printed page.
    /// - Throws: ``WorkbookError`` when the rows are out of range.
    public func repeatRows(_ rows: ClosedRange<Int>) throws {
        let (r1, _, r2, _) = try cells(CellRange(rows: rows, columns: 0...0), "setting repeated rows")
        try check(
            worksheet_repeat_rows(pointer, r1, r2),
            "setting repeated rows",
            range: CellRange(rows: rows, columns: 0...0)
        )
    }

    /// Sets the printed page header; Excel's codes apply (`&L`, `&C`, `&R` sections, `&P` page, `&N` pages,
    /// `&A` sheet name; a literal ampersand is `&&`).
    /// - Throws: ``WorkbookError`` (``LibraryErrorCode/stringLengthExceeded255`` beyond 255 characters).
    public func setHeader(_ text: String) throws {
        _ = try workbook.openHandle(operation: "setting the page header", sheet: name)
        try check(worksheet_set_header(pointer, text), "setting the page header")
    }

    /// Sets the printed page footer, with the same codes as ``setHeader(_:)``.
    /// - Throws: ``WorkbookError`` (``LibraryErrorCode/stringLengthExceeded255`` beyond 255 characters).
    public func setFooter(_ text: String) throws {
        _ = try workbook.openHandle(operation: "setting the page footer", sheet: name)
        try check(worksheet_set_footer(pointer, text), "setting the page footer")
    }

    /// Sets the page margins in inches (Excel's defaults: 0.7 left and right, 0.75 top and bottom), and how far
    /// the page header and footer sit from the paper's edge (default 0.3).
    public func setMargins(
        left: Double,
        right: Double,
        top: Double,
        bottom: Double,
        header: Double = 0.3,
        footer: Double = 0.3
    ) {
        guard !workbook.isClosed else { return }
        worksheet_set_margins(pointer, left, right, top, bottom)
        pointer.pointee.margin_header = header
        pointer.pointee.margin_footer = footer
    }

    /// Centres the printed content between the left and right margins.
    public func centerHorizontallyOnPage() {
        guard !workbook.isClosed else { return }
        worksheet_center_horizontally(pointer)
    }

    /// Starts a new printed page above each of `rows` (0-based; row 0 is ignored), e.g. to keep a chart and
    /// its table together. Excel allows at most 1,023 breaks.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the breaks.
    public func setPageBreaks(beforeRows rows: [Int]) throws {
        _ = try workbook.openHandle(operation: "setting page breaks", sheet: name)
        var breaks = rows.filter { $0 > 0 }.sorted().compactMap { lxw_row_t(exactly: $0) }
        breaks.append(0)  // the list ends with 0
        try check(worksheet_set_h_pagebreaks(pointer, &breaks), "setting page breaks")
    }

    // MARK: - Helpers

    /// `row` and `column` as libxlsxwriter's index types, after checking the workbook is open.
    @inline(__always)
    func cell(_ row: Int, _ column: Int, _ operation: @autoclosure () -> String) throws -> (lxw_row_t, lxw_col_t) {
        _ = try workbook.openHandle(operation: operation(), sheet: name)
        guard let r = lxw_row_t(exactly: row), let c = lxw_col_t(exactly: column) else {
            throw outOfRange(operation(), cell: "row \(row), column \(column)")
        }
        return (r, c)
    }

    func cells(_ range: CellRange, _ operation: String) throws -> (lxw_row_t, lxw_col_t, lxw_row_t, lxw_col_t) {
        _ = try workbook.openHandle(operation: operation, sheet: name)
        guard let r1 = lxw_row_t(exactly: range.first.row), let c1 = lxw_col_t(exactly: range.first.column),
            let r2 = lxw_row_t(exactly: range.last.row), let c2 = lxw_col_t(exactly: range.last.column)
        else {
            throw outOfRange(operation, cell: "rows \(range.rows), columns \(range.columns)")
        }
        return (r1, c1, r2, c2)
    }

    private func outOfRange(_ operation: String, cell: String) -> WorkbookError {
        WorkbookError.library(LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, operation: operation, sheet: name, cell: cell)
    }

    @inline(__always)
    func check(_ status: lxw_error, _ operation: @autoclosure () -> String, _ row: Int, _ column: Int) throws {
        guard status != LXW_NO_ERROR else { return }
        var error = WorkbookError.library(
            status,
            operation: operation(),
            sheet: name,
            cell: CellReference(row: row, column: column).a1
        )
        if workbook.isConstantMemory, status == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, row <= 1_048_575 {
            error.message += " In constant-memory mode rows must be written in order, top to bottom."
        }
        throw error
    }

    func check(_ status: lxw_error, _ operation: String, range: CellRange? = nil) throws {
        guard status != LXW_NO_ERROR else { return }
        throw WorkbookError.library(status, operation: operation, sheet: name, cell: range?.a1)
    }

    private func with(_ format: CellFormat, _ change: (inout CellFormat) -> Void) -> CellFormat {
        var copy = format
        change(&copy)
        return copy
    }
}

/// A paper size for printing.
public enum PaperSize: Hashable, Sendable {
    /// A4, 210 × 297 mm.
    case a4
    /// A3, 297 × 420 mm.
    case a3
    /// US Letter.
    case letter

    var lxwValue: UInt8 {
        switch self {
        case .a4: 9
        case .a3: 8
        case .letter: 1
        }
    }
}

/// Excel's serial day numbers (the 1900 date system).
public enum ExcelDate {
    /// The serial day of a calendar date: 1900-03-01 is 61, 2025-04-01 is 45748; nil for a date that does not
    /// exist or lies before 1900-03-01 (where Excel's serials include its fictitious 1900-02-29).
    public static func serial(year: Int, month: Int, day: Int) -> Double? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), year <= 9999,
            (year, month) >= (1900, 3)
        else { return nil }
        // Days from the civil epoch (Howard Hinnant's days_from_civil), then shifted so 1899-12-30 is day 0.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let daysSince1970 = era * 146_097 + dayOfEra - 719_468
        return Double(daysSince1970 + 25_569)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// The few formats a sheet's rows alternate between, newest first, checked before the workbook's dictionary:
/// hashing a ``CellFormat`` (nineteen fields, strings among them) costs far more than comparing it with these. One
/// per worksheet, so that sheets written on different threads never share it.
final class RecentFormats {
    private var entries: [(format: CellFormat, pointer: UnsafeMutablePointer<lxw_format>)] = []
    private static let slots = 8

    /// The format's pointer if it is among the recent ones.
    func pointer(for format: CellFormat) -> UnsafeMutablePointer<lxw_format>? {
        // Compared in place, without copying the formats out of the array (a copy retains their strings).
        entries.withUnsafeBufferPointer { recent in
            for index in recent.indices where recent[index].format == format { return recent[index].pointer }
            return nil
        }
    }

    /// Puts `format` in front (a later miss must not evict it at once); the least used falls off the end.
    func insert(_ format: CellFormat, _ pointer: UnsafeMutablePointer<lxw_format>) {
        if entries.count == Self.slots { entries.removeLast() }
        entries.insert((format, pointer), at: 0)
    }
}
