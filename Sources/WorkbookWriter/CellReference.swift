import FleetCore

/// One cell by 0-based row and column, with its A1 spellings for formulas.
///
/// ```swift
/// CellReference(row: 2, column: 1).a1                 // "B3"
/// CellReference(row: 2, column: 1).absolute           // "$B$3"
/// CellReference(row: 2, column: 1).qualified(sheet: "Age profile")  // "'Age profile'!$B$3"
/// ```
public struct CellReference: Hashable, Sendable, CustomStringConvertible {
    /// The 0-based row (row 1 in Excel is 0).
    public var row: Int
    /// The 0-based column (column A is 0).
    public var column: Int

    /// The cell at 0-based `row` and `column`.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// The cell an A1 reference such as `B3` or `$B$3` names; nil when `a1` is not one.
    public init?(a1: String) {
        var letters = 0
        var digits = 0
        var column = 0
        var row = 0
        var scalars = Substring(a1).unicodeScalars[...]
        if scalars.first == "$" { scalars = scalars.dropFirst() }
        while let scalar = scalars.first, ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) {
            guard letters < 3 else { return nil }  // XFD is the last column; longer runs are names, not cells
            let value = Int(Character(scalar).uppercased().unicodeScalars.first!.value) - 64
            column = column * 26 + value
            letters += 1
            scalars = scalars.dropFirst()
        }
        if scalars.first == "$" { scalars = scalars.dropFirst() }
        while let scalar = scalars.first, ("0"..."9").contains(scalar) {
            guard digits < 7 else { return nil }
            row = row * 10 + Int(scalar.value - 48)
            digits += 1
            scalars = scalars.dropFirst()
        }
        guard scalars.isEmpty, (1...3).contains(letters), (1...7).contains(digits), row >= 1 else { return nil }
        self.init(row: row - 1, column: column - 1)
    }

    /// The relative A1 reference, e.g. `B3`.
    public var a1: String { CellReference.columnLetters(column) + String(row + 1) }

    /// The absolute reference, e.g. `$B$3`.
    public var absolute: String { "$" + CellReference.columnLetters(column) + "$" + String(row + 1) }

    /// The absolute reference qualified by its sheet, e.g. `'Age profile'!$B$3` or `Summary!$B$3`; the sheet name
    /// is quoted when a formula needs it, with inner apostrophes doubled.
    public func qualified(sheet: String) -> String { SheetName.quotedIfNeeded(sheet) + "!" + absolute }

    /// The A1 reference.
    public var description: String { a1 }

    /// The column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`, 16,383 → `XFD`.
    public static func columnLetters(_ column: Int) -> String {
        precondition(column >= 0, "column index must not be negative")
        return spreadsheetColumnLetters(column)
    }

    /// The cell `rows` below and `columns` right of this one (negative moves up or left).
    public func offset(rows: Int = 0, columns: Int = 0) -> CellReference {
        CellReference(row: row + rows, column: column + columns)
    }
}

/// A rectangle of cells from `first` to `last` inclusive, with its A1 spellings.
///
/// ```swift
/// CellRange(rows: 0...8, columns: 0...1).a1           // "A1:B9"
/// CellRange(rows: 0...8, columns: 0...1).qualified(sheet: "Register")  // "Register!$A$1:$B$9"
/// ```
public struct CellRange: Hashable, Sendable, CustomStringConvertible {
    /// The top-left cell.
    public var first: CellReference
    /// The bottom-right cell.
    public var last: CellReference

    /// The range from `first` (top-left) to `last` (bottom-right), inclusive.
    public init(from first: CellReference, to last: CellReference) {
        self.first = first
        self.last = last
    }

    /// The range over 0-based `rows` and `columns`, inclusive.
    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.first = CellReference(row: rows.lowerBound, column: columns.lowerBound)
        self.last = CellReference(row: rows.upperBound, column: columns.upperBound)
    }

    /// The one-column range over 0-based `rows` of `column`.
    public init(rows: ClosedRange<Int>, column: Int) {
        self.init(rows: rows, columns: column...column)
    }

    /// The one-row range over 0-based `columns` of `row`.
    public init(row: Int, columns: ClosedRange<Int>) {
        self.init(rows: row...row, columns: columns)
    }

    /// The 0-based rows the range covers.
    public var rows: ClosedRange<Int> { first.row...last.row }
    /// The 0-based columns the range covers.
    public var columns: ClosedRange<Int> { first.column...last.column }
    /// The number of rows.
    public var rowCount: Int { last.row - first.row + 1 }
    /// The number of columns.
    public var columnCount: Int { last.column - first.column + 1 }

    /// The relative reference, e.g. `A1:B9` (a single cell gives `A1:A1`).
    public var a1: String { first.a1 + ":" + last.a1 }

    /// The absolute reference, e.g. `$A$1:$B$9`.
    public var absolute: String { first.absolute + ":" + last.absolute }

    /// The absolute reference qualified by its sheet, e.g. `'Capital plan'!$B$2:$F$2`.
    public func qualified(sheet: String) -> String { SheetName.quotedIfNeeded(sheet) + "!" + absolute }

    /// The relative A1 reference.
    public var description: String { a1 }
}
