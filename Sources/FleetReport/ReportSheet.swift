import FleetCore
import Foundation
import WorkbookWriter

/// How much room text and numbers take, in Excel's column-width unit, so that columns can be sized from their
/// content and rows made tall enough for wrapped text.
///
/// The unit is the width of a digit of the font the sheet is drawn in (Excel: Calibri 11; LibreOffice without
/// Microsoft's fonts: DejaVu Sans, whose columns widen to match), so a digit is one unit anywhere. Letters are
/// weighed by kind — capitals a little more than a digit, lower case a little less, spaces and stops half — which
/// estimates a name's width to within a few per cent in both fonts; bold text is 15 % wider (DejaVu Sans Bold; Calibri
/// bold needs less).
enum TextWidth {
    /// Room on either side of a cell's content, in width units.
    static let padding = 2.0
    /// Points per line of 11-point text (Excel's default row height).
    static let lineHeight = 15.0
    /// How much wider bold text is.
    static let boldFactor = 1.15

    /// The width of one character, in width units.
    static func weight(_ scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case "A"..."Z": scalar == "I" ? 0.5 : (scalar == "M" || scalar == "W" ? 1.4 : 1.15)
        case "0"..."9": 1
        case "i", "j", "l", "t", "f", "r": 0.55
        case "m", "w": 1.3
        case "a"..."z": 0.9
        case " ", ".", ",", ";", ":", "'", "|", "!", "(", ")", "-": 0.5
        default: 1
        }
    }

    /// The width of `text` on one line, without padding.
    static func lineWidth<S: StringProtocol>(_ text: S) -> Double {
        text.unicodeScalars.reduce(0) { $0 + weight($1) }
    }

    /// The characters of the longest line of `text`.
    static func characters(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                longest = max(longest, current)
                current = 0
            } else {
                current += 1
            }
        }
        return max(longest, current)
    }

    /// The width `text` needs (its longest line), padding included. It allocates nothing: a register's worth of
    /// cells is measured before its sheet is written.
    static func of(_ text: String, isBold: Bool = false) -> Double {
        var widest = 0.0
        var current = 0.0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                widest = max(widest, current)
                current = 0
            } else {
                current += weight(scalar)
            }
        }
        return max(widest, current) * (isBold ? boldFactor : 1) + padding
    }

    /// The width the longest word of `text` needs: the least a wrapping column can be.
    static func longestWord(_ text: String, isBold: Bool = false) -> Double {
        let widest = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { lineWidth($0) }.max() ?? 0
        return widest * (isBold ? boldFactor : 1) + padding
    }

    /// The lines `text` takes when wrapped at spaces in a column `width` units wide (a word wider than the column
    /// breaks across lines). One pass over the text, allocating nothing.
    static func lines(_ text: String, width: Double, isBold: Bool = false) -> Int {
        let scale = isBold ? boldFactor : 1
        let room = max(1, width - padding) + 1e-9  // a line exactly as wide as the room fits
        let space = weight(" ") * scale
        var lines = 1
        var used = 0.0  // the width of the words on the current line
        var word = 0.0  // the width of the word being read
        func endWord() {
            guard word > 0 else { return }
            if used == 0 {
                used = word
            } else if used + space + word <= room {
                used += space + word
            } else {
                lines += 1
                used = word
            }
            while used > room {
                lines += 1
                used -= room
            }
            word = 0
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ":
                endWord()
            case "\n":
                endWord()
                lines += 1
                used = 0
            default:
                word += weight(scalar) * scale
            }
        }
        endWord()
        return lines
    }

    /// The width of `value` shown in `format`, padding included (a digit is one unit).
    static func of(_ value: Double, format: NumberFormat?) -> Double {
        Double(shownCharacters(value, format: format)) + padding
    }

    /// How many characters `value` shows as in `format` (an estimate good to a character).
    static func shownCharacters(_ value: Double, format: NumberFormat?) -> Int {
        guard let code = format?.code.split(separator: ";").first.map(String.init) else {
            // General: up to 11 characters.
            if value == value.rounded(), abs(value) < 1e11 { return String(Int(value)).count }
            return min(11, String(value).count)
        }
        if code.contains("yy") {
            return code.replacingOccurrences(of: "\"", with: "").count + (code.contains("mmm") ? 1 : 0)
        }
        let isPercent = code.contains("%")
        let shown = abs(isPercent ? value * 100 : value)
        let decimals = code.split(separator: ".").dropFirst().first.map { $0.filter { $0 == "0" }.count } ?? 0
        let integerDigits = shown < 1 ? 1 : Int(log10(shown.rounded(.down))) + 1
        let separators = code.contains(",") ? (integerDigits - 1) / 3 : 0
        let symbols = code.filter { $0 == "£" || $0 == "%" }.count
        return integerDigits + separators + (decimals > 0 ? decimals + 1 : 0) + symbols + (value < 0 ? 1 : 0)
    }
}

/// One sheet of the business case as it is written: cells go straight to the worksheet (so the sheet can be in
/// constant-memory mode), and the sheet keeps what its layout needs — column widths from the content, wrapped
/// columns with the row heights their text needs, header rows sized to their wrapped titles, and the print setup.
///
/// Widths are either measured from the cells as they are written and set by ``finish(_:)``, or set up front with
/// ``setWidth(_:column:)`` and ``wrap(column:width:)`` (what a constant-memory sheet must do, because its rows are
/// gone from memory by the time it finishes).
///
/// A sheet may be written on a thread other than the one that added it, one thread at a time (see ``Workbook``).
final class ReportSheet: @unchecked Sendable {
    /// The worksheet written to.
    let sheet: Worksheet
    /// The title written in row 0, also used by the page header.
    private(set) var title = ""
    /// Measured content widths by column, padding included.
    private var contentWidths: [Int: Double] = [:]
    /// Least widths by column (a header's longest word).
    private var leastWidths: [Int: Double] = [:]
    /// Widths set by the writer, which measuring leaves alone.
    private var setWidths: [Int: Double] = [:]
    /// Most width a measured column may take, by column; others take ``defaultMaximumWidth``.
    private var maximumWidths: [Int: Double] = [:]
    /// Columns whose text wraps.
    private var wrappedColumns: Set<Int> = []
    /// The last row whose height was set for its wrapped text, and its lines: rows are written top to bottom, so
    /// nothing more is kept (a register of any size costs no memory here).
    private var fittedRow = (row: -1, lines: 1)
    /// Header rows whose height waits for the measured widths.
    private var pendingHeaders: [(row: Int, titles: [Int: String])] = []
    /// The widest a measured column becomes unless ``setMaximumWidth(_:column:)`` says otherwise.
    let defaultMaximumWidth: Double

    /// Adds the sheet `name` to `workbook` with a coloured tab.
    init(_ workbook: Workbook, name: String, tab: Color, maximumWidth: Double = 40) throws {
        sheet = try workbook.addWorksheet(named: name)
        sheet.setTabColor(tab)
        defaultMaximumWidth = maximumWidth
    }

    /// The sheet's name.
    var name: String { sheet.name }

    // MARK: - Layout

    /// Writes the sheet's title in row 0 (never measured: it may run across the columns).
    func title(_ text: String) throws {
        title = text
        try sheet.writeText(text, row: 0, column: 0, format: Style.title)
        try sheet.setRowHeight(21, row: 0)
    }

    /// Writes up to two lines of explanation under the title, in rows 1 and 2 (never measured). Keep each line
    /// shorter than the sheet is wide: it runs across empty cells but is cut at the last printed column.
    func notes(_ lines: String...) throws {
        precondition(lines.count <= 2, "rows 1 and 2 hold the notes; row 3 is the first of the content")
        for (offset, line) in lines.enumerated() {
            try sheet.writeText(line, row: 1 + offset, column: 0, format: Style.subtitle.aligned(.top))
        }
        // A little room between the last line and the header row under it.
        if lines.count == 2 { try sheet.setRowHeight(19, row: 2) }
    }

    /// Sets `column` to `width` units; its content is not measured.
    func setWidth(_ width: Double, column: Int) throws {
        setWidths[column] = width
        try sheet.setColumnWidth(width, column: column)
    }

    /// Sets `columns` to `width` units; their content is not measured.
    func setWidth(_ width: Double, columns: ClosedRange<Int>) throws {
        for column in columns { try setWidth(width, column: column) }
    }

    /// Makes the text of `column` wrap within `width` units; each row is made tall enough for its text.
    func wrap(column: Int, width: Double) throws {
        wrappedColumns.insert(column)
        try setWidth(width, column: column)
    }

    /// Lets the measured `column` grow to `width` units (for names that should show in full).
    func setMaximumWidth(_ width: Double, column: Int) {
        maximumWidths[column] = width
    }

    /// Writes a header row: `titles` from `firstColumn` on, bold on NHS blue, wrapping within the column; the
    /// titles of the `rightAligned` columns (those holding numbers) sit on the right, over their figures, and those
    /// of the `centered` columns in the middle; the `indented` columns' titles (text beside a column of figures)
    /// start one indent in, as their cells should.
    ///
    /// A header never makes its column wider than its longest word (or half the title) needs; a longer title wraps
    /// and the row is made tall enough: now when the columns' widths are set, else when the sheet finishes and its
    /// widths are measured (in constant-memory mode, now, for the least widths).
    func header(
        _ titles: [String],
        row: Int,
        firstColumn: Int = 0,
        rightAligned: Set<Int> = [],
        centered: Set<Int> = [],
        indented: Set<Int> = []
    ) throws {
        var pending: [Int: String] = [:]
        for (offset, title) in titles.enumerated() {
            let column = firstColumn + offset
            var format = Style.header
            if rightAligned.contains(column) { format.horizontalAlignment = .right }
            if centered.contains(column) { format.horizontalAlignment = .center }
            if indented.contains(column) { format.indentLevels = 1 }
            try sheet.writeText(title, row: row, column: column, format: format)
            leastWidths[column] = max(leastWidths[column] ?? 0, Self.leastHeaderWidth(title))
            pending[column] = title
        }
        if pending.keys.allSatisfy({ setWidths[$0] != nil }) {
            try fitHeader(row: row, titles: pending)
        } else if sheet.workbook.isConstantMemory {
            // The row is written out once a later row starts, so its height is set now, for the least widths the
            // columns will have (they may end wider, leaving a little room under a title).
            let lines = pending.map { TextWidth.lines($0.value, width: leastWidths[$0.key] ?? 0, isBold: true) }
            try fitRow(row, lines: lines.max() ?? 1)
        } else {
            pendingHeaders.append((row, pending))
        }
    }

    /// The least width of a column headed `title`: room for its longest word and for the title on two lines; a
    /// title broken into lines with `\n` needs its widest line.
    static func leastHeaderWidth(_ title: String) -> Double {
        if title.contains("\n") { return TextWidth.of(title, isBold: true) }
        let words = TextWidth.longestWord(title, isBold: true)
        // Half the title and a word's slack: a line breaks between words, rarely at the very middle.
        let twoLines = (TextWidth.of(title, isBold: true) - TextWidth.padding) / 2 + TextWidth.padding + 2
        return max(words, twoLines)
    }

    /// Writes a year header cell (a plain integer on the header fill), measured like a number.
    func headerYear(_ year: Int, row: Int, column: Int) throws {
        let format = Style.header.numberFormat(.plainInteger).aligned(.right)
        try sheet.writeNumber(Double(year), row: row, column: column, format: format)
        measure(TextWidth.of(Double(year), format: .plainInteger), column: column)
    }

    // MARK: - Cells

    /// Writes `text` as text (never a formula), measuring it unless `measured` is false; in a wrapped column it
    /// wraps and its row grows to fit.
    func text(_ text: String, row: Int, column: Int, format: CellFormat? = nil, measured: Bool = true) throws {
        if wrappedColumns.contains(column) {
            var wrapped = format ?? Style.text
            wrapped.isWrapped = true
            if wrapped.verticalAlignment == nil { wrapped.verticalAlignment = .top }
            try sheet.writeText(text, row: row, column: column, format: wrapped)
            let width = (setWidths[column] ?? defaultMaximumWidth) - indent(wrapped)
            try fitRow(row, lines: TextWidth.lines(text, width: width, isBold: wrapped.isBold))
            return
        }
        try sheet.writeText(text, row: row, column: column, format: topAligned(format))
        if measured, isMeasured(column) {
            measure(TextWidth.of(text, isBold: format?.isBold ?? false) + indent(format), column: column)
        }
    }

    /// Writes `text` unless it is nil or empty.
    func optionalText(_ text: String?, row: Int, column: Int, format: CellFormat? = nil) throws {
        guard let text, !text.isEmpty else { return }
        try self.text(text, row: row, column: column, format: format)
    }

    /// Writes the number `value`, measuring it as `format` shows it.
    func number(_ value: Double, row: Int, column: Int, format: CellFormat? = nil) throws {
        try sheet.writeNumber(value, row: row, column: column, format: topAligned(format))
        if isMeasured(column) { measure(TextWidth.of(value, format: format?.numberFormat), column: column) }
    }

    /// Writes `amount` in pounds unless it is nil.
    func money(_ amount: GBP?, row: Int, column: Int, format: CellFormat = Style.gbp) throws {
        guard let amount else { return }
        try number(amount.pounds, row: row, column: column, format: format)
    }

    /// Writes a formula with the number it evaluates to, measuring that number as `format` shows it.
    func formula(_ formula: String, value: Double, row: Int, column: Int, format: CellFormat? = nil) throws {
        try sheet.writeFormula(formula, cachedValue: value, row: row, column: column, format: topAligned(format))
        if isMeasured(column) { measure(TextWidth.of(value, format: format?.numberFormat), column: column) }
    }

    /// Writes a formula whose result is the text `value`.
    func formula(_ formula: String, text value: String, row: Int, column: Int, format: CellFormat? = nil) throws {
        try sheet.writeFormula(formula, cachedText: value, row: row, column: column, format: topAligned(format))
        if isMeasured(column) { measure(TextWidth.of(value, isBold: format?.isBold ?? false), column: column) }
    }

    /// Writes a calendar day with the workbook's date format.
    func date(_ day: Day, row: Int, column: Int) throws {
        try sheet.writeDate(
            year: day.year,
            month: day.month,
            day: day.day,
            row: row,
            column: column,
            format: topAligned(Style.date)
        )
        if isMeasured(column) { measure(TextWidth.of(0, format: .displayDate), column: column) }
    }

    /// Makes `row` at least `lines` lines tall (rows are fitted top to bottom: a row fitted again after a later
    /// one takes the new height).
    func fitRow(_ row: Int, lines: Int) throws {
        guard lines > (fittedRow.row == row ? fittedRow.lines : 1) else { return }
        fittedRow = (row, lines)
        try sheet.setRowHeight(TextWidth.lineHeight * Double(lines), row: row)
    }

    // MARK: - Finishing

    /// How the finished sheet is viewed and printed.
    struct PageSetup {
        /// Rows above this stay in view when scrolling; nil for none.
        var frozenRows: Int?
        /// Columns left of this stay in view when scrolling.
        var frozenColumns = 0
        /// Rows printed at the top of every page (the header row of a long table); nil for none.
        var repeatedRows: ClosedRange<Int>?
        /// Pages down the printout may take; 0 for as many as it needs (the width is always one page).
        var pagesHigh = 0
        /// The text on the right of the page header (the case's title).
        var headerRight: String
        /// The text on the left of the page footer.
        var footerLeft: String
    }

    /// Sets the measured column widths, sizes the header rows still waiting for them, and sets up the view and
    /// the printout: A4 landscape, one page wide, the header rows repeated, the sheet name and page numbers in
    /// the page header and footer.
    func finish(_ setup: PageSetup) throws {
        for (column, measuredWidth) in contentWidths where setWidths[column] == nil {
            let least = leastWidths[column] ?? 0
            let most = maximumWidths[column] ?? defaultMaximumWidth
            try sheet.setColumnWidth(min(most, max(measuredWidth, least, 6)), column: column)
        }
        for (column, least) in leastWidths where setWidths[column] == nil && contentWidths[column] == nil {
            try sheet.setColumnWidth(max(least, 6), column: column)
        }
        for pending in pendingHeaders { try fitHeader(row: pending.row, titles: pending.titles) }
        pendingHeaders.removeAll()

        if let rows = setup.frozenRows { sheet.freezePanes(row: rows, column: setup.frozenColumns) }
        sheet.setLandscape()
        sheet.setPaper(.a4)
        sheet.fitToPages(width: 1, height: setup.pagesHigh)
        sheet.setMargins(left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.25, footer: 0.25)
        if let rows = setup.repeatedRows { try sheet.repeatRows(rows) }
        try sheet.setHeader("&L&\"-,Bold\"&A&R" + Self.escaped(setup.headerRight, limit: 120))
        try sheet.setFooter("&L" + Self.escaped(setup.footerLeft, limit: 150) + "&RPage &P of &N")
    }

    /// The width a finished column has (set, or measured and capped).
    func width(of column: Int) -> Double {
        if let set = setWidths[column] { return set }
        let most = maximumWidths[column] ?? defaultMaximumWidth
        return min(most, max(contentWidths[column] ?? 8.43, leastWidths[column] ?? 0, 6))
    }

    // MARK: - Private

    /// The width an indented format's indent takes (about two digits a level).
    private func indent(_ format: CellFormat?) -> Double { Double(format?.indentLevels ?? 0) * 2 }

    /// Whether `column`'s width comes from its content (not set by the writer).
    @inline(__always)
    private func isMeasured(_ column: Int) -> Bool { setWidths[column] == nil }

    private func measure(_ width: Double, column: Int) {
        if width > contentWidths[column] ?? 0 { contentWidths[column] = width }
    }

    private func fitHeader(row: Int, titles: [Int: String]) throws {
        let lines = titles.map { TextWidth.lines($0.value, width: width(of: $0.key), isBold: true) }.max() ?? 1
        try fitRow(row, lines: lines)
    }

    /// `format` aligned to the top of its cell, so cells beside a wrapped one line up with its first line.
    private func topAligned(_ format: CellFormat?) -> CellFormat? {
        guard var format else { return Style.text }
        if format.verticalAlignment == nil { format.verticalAlignment = .top }
        return format
    }

    /// `text` for a page header or footer: ampersands doubled (a single one starts a code), at most `limit`
    /// characters (the whole header may hold 255).
    static func escaped(_ text: String, limit: Int) -> String {
        let cut = text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        return cut.replacingOccurrences(of: "&", with: "&&")
    }
}

extension NumberFormat {
    /// The date format of the workbook's date cells: `d mmm yyyy` (1 Mar 2012), unambiguous in any locale.
    static let displayDate = NumberFormat("d mmm yyyy")
}

extension NumberFormat {
    /// Pounds in millions for chart axes: `£#,##0.0,,"m"` shows 2,500,000 as £2.5m.
    static let gbpMillions = NumberFormat("£#,##0.0,,\"m\"")
    /// Pounds in thousands for chart axes: `£#,##0,"k"` shows 250,000 as £250k.
    static let gbpThousands = NumberFormat("£#,##0,\"k\";-£#,##0,\"k\"")
}
