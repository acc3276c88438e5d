import Foundation

/// How numbers are written in a file: UK/US style (`1,234.56`) or continental European style (`1.234,56`),
/// which Excel writes along with `;` as the field separator.
public enum NumberConvention: Sendable, Hashable {
    /// `,` groups thousands, `.` is the decimal point.
    case decimalPoint
    /// `.`, a space or `'` group thousands, `,` is the decimal mark.
    case decimalComma
}

/// One cell quoted as evidence of how a column writes numbers: its text and the line it is on.
public struct NumberSample: Sendable, Hashable {
    /// The cell's text as written.
    public var value: String
    /// The 1-based line of the file (or row of the sheet).
    public var line: Int

    /// The cell `value` on `line`.
    public init(value: String, line: Int) {
        self.value = value
        self.line = line
    }
}

/// How the numbers of one column are to be read (SPEC.md, "Reading real exports": numbers are never guessed).
public enum ColumnNumbers: Sendable, Hashable {
    /// Every number of the column reads in `convention`: the file or the user fixes it, a value of the column
    /// reads in that convention only, or no value reads differently in the two.
    case decided(NumberConvention)
    /// No value tells the conventions apart, and `sample` (the first such value) reads as a different number in
    /// each.
    case ambiguous(NumberSample)
    /// `point` reads only with a decimal point and `comma` only with a decimal comma: the column mixes them.
    case conflicting(point: NumberSample, comma: NumberSample)
}

/// A table read from a user's file: a header row and the data rows under it, each with the line it came
/// from, whatever the file format (CSV, or a sheet of an XLSX workbook).
public struct InputTable: Sendable {
    /// One data row.
    public struct Row: Sendable {
        /// The 1-based line of the file (or row of the sheet) where the record starts.
        public let line: Int
        /// The fields in header order, as written (not trimmed); missing trailing fields are empty.
        public let fields: [String]

        /// A row at `line` with `fields`.
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The file as the user named it, for messages.
    public let file: String
    /// The header names normalised to snake_case (`Asset ID` → `asset_id`).
    public let columns: [String]
    /// The header names as written.
    public let headerAsWritten: [String]
    /// The data rows, with fully empty rows left out.
    public let rows: [Row]
    /// How the file writes numbers; where ``decidesNumbersByEvidence``, the convention a column reads in when no
    /// value of it reads differently in the two.
    public let numberConvention: NumberConvention
    /// True when each column's convention is decided by the evidence in it (a `;`-separated file, where `835,000`
    /// may be 835 or 835,000) rather than fixed for the file.
    public let decidesNumbersByEvidence: Bool
    private let indexByColumn: [String: Int]
    /// The evidence of each column, by position; empty unless ``decidesNumbersByEvidence``.
    private let numbersByPosition: [ColumnNumbers]
    /// The header names as written of the columns renamed by ``renamingColumns(_:)``, by position.
    private let sourceNameByPosition: [Int: String]

    /// A table over already-split rows.
    /// - Parameters:
    ///   - numberConvention: how the file writes numbers, or with `decidesNumbersByEvidence` the convention of a
    ///     column in which no value reads differently in the two.
    ///   - decidesNumbersByEvidence: decide each column's convention from its values (``numbers(in:)``).
    /// - Throws: ``InvalidInput`` when two header cells name the same column.
    public init(
        file: String,
        header: [String],
        rows: [Row],
        numberConvention: NumberConvention = .decimalPoint,
        decidesNumbersByEvidence: Bool = false
    )
        throws(InvalidInput)
    {
        self.file = file
        self.headerAsWritten = header
        self.columns = header.map(InputTable.normalisedColumnName)
        self.rows = rows
        self.numberConvention = numberConvention
        self.decidesNumbersByEvidence = decidesNumbersByEvidence
        numbersByPosition =
            decidesNumbersByEvidence
            ? header.indices.map { InputTable.numbers(atPosition: $0, of: rows, default: numberConvention) } : []
        sourceNameByPosition = [:]
        var index: [String: Int] = [:]
        var issues = InputIssues()
        for (offset, name) in columns.enumerated() where !name.isEmpty {
            if index[name] != nil {
                issues.append(
                    InputIssue(
                        file: file,
                        line: 1,
                        column: header[offset],
                        problem: "this column appears twice in the header"
                    )
                )
            }
            index[name] = index[name] ?? offset
        }
        try issues.throwIfAny()
        indexByColumn = index
    }

    private init(
        _ table: InputTable,
        columns: [String],
        sourceNames: [Int: String],
        numberConvention: NumberConvention,
        decidesNumbersByEvidence: Bool
    ) {
        file = table.file
        headerAsWritten = table.headerAsWritten
        self.columns = columns
        rows = table.rows
        self.numberConvention = numberConvention
        self.decidesNumbersByEvidence = decidesNumbersByEvidence
        numbersByPosition =
            decidesNumbersByEvidence
            ? (table.decidesNumbersByEvidence && table.numberConvention == numberConvention
                ? table.numbersByPosition
                : columns.indices.map { InputTable.numbers(atPosition: $0, of: table.rows, default: numberConvention) })
            : []
        sourceNameByPosition = sourceNames
        var index: [String: Int] = [:]
        for (offset, name) in columns.enumerated() where !name.isEmpty && index[name] == nil { index[name] = offset }
        indexByColumn = index
    }

    /// The same table with every number read in `convention`, as the user said (`--decimal-comma`).
    public func readingNumbers(as convention: NumberConvention) -> InputTable {
        InputTable(
            self,
            columns: columns,
            sourceNames: sourceNameByPosition,
            numberConvention: convention,
            decidesNumbersByEvidence: false
        )
    }

    /// The same table with the columns at the given positions named as the register names them (`Asset No` →
    /// `asset_id`); messages about such a column name it as the file writes it.
    /// - Precondition: no new name is already a column's name.
    public func renamingColumns(_ newNames: [Int: String]) -> InputTable {
        var renamed = columns
        var sourceNames = sourceNameByPosition
        for (position, name) in newNames where renamed.indices.contains(position) {
            renamed[position] = name
            sourceNames[position] = headerAsWritten[position].trimmingWhitespace()
        }
        return InputTable(
            self,
            columns: renamed,
            sourceNames: sourceNames,
            numberConvention: numberConvention,
            decidesNumbersByEvidence: decidesNumbersByEvidence
        )
    }

    /// The name messages give `column` (a normalised name): the header as written when an alias renamed it
    /// (`Date Installed`), else `column` itself.
    public func displayName(of column: String) -> String {
        guard let position = indexByColumn[column], let source = sourceNameByPosition[position] else { return column }
        return source
    }

    /// How the numbers of `column` are to be read: the file's convention, unless the table
    /// ``decidesNumbersByEvidence``.
    public func numbers(in column: String) -> ColumnNumbers {
        guard decidesNumbersByEvidence, let position = indexByColumn[column] else { return .decided(numberConvention) }
        return numbersByPosition[position]
    }

    /// The problem with the numbers of `column` when the evidence in it does not decide them, on the line of the
    /// value it quotes; nil when the column is decided.
    public func numberIssue(in column: String) -> InputIssue? {
        let resolve =
            "import the file with --decimal-point or --decimal-comma to say which, or write the figures without "
            + "separators"
        switch numbers(in: column) {
        case .decided:
            return nil
        case .ambiguous(let sample):
            let point = NumberParsing.parse(sample.value, convention: .decimalPoint, allowCurrency: true) ?? 0
            let comma = NumberParsing.parse(sample.value, convention: .decimalComma, allowCurrency: true) ?? 0
            return InputIssue(
                file: file,
                line: sample.line,
                column: displayName(of: column),
                value: sample.value,
                problem: "is \(NumberParsing.plain(point)) with a decimal point but \(NumberParsing.plain(comma)) with "
                    + "a decimal comma, and no value in the column shows which this file uses; \(resolve)"
            )
        case .conflicting(let point, let comma):
            return InputIssue(
                file: file,
                line: point.line,
                column: displayName(of: column),
                value: point.value,
                problem: "reads only with a decimal point, but '\(InputIssue.quoted(comma.value))' on line "
                    + "\(comma.line) reads only with a decimal comma; expected one convention in a column "
                    + "(correct the figures, or \(resolve))"
            )
        }
    }

    /// What the values of the column at `position` show about its convention.
    private static func numbers(
        atPosition position: Int,
        of rows: [Row],
        default convention: NumberConvention
    )
        -> ColumnNumbers
    {
        var point: NumberSample?
        var comma: NumberSample?
        var ambiguous: NumberSample?
        for row in rows where position < row.fields.count {
            let text = row.fields[position]
            // A value without `,` or `.` reads the same in both conventions.
            guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") }) else { continue }
            switch NumberParsing.evidence(text) {
            case .decimalPoint: if point == nil { point = NumberSample(value: text, line: row.line) }
            case .decimalComma: if comma == nil { comma = NumberSample(value: text, line: row.line) }
            case .ambiguous: if ambiguous == nil { ambiguous = NumberSample(value: text, line: row.line) }
            case .none: break
            }
            if point != nil, comma != nil { break }
        }
        switch (point, comma) {
        case (let point?, let comma?): return .conflicting(point: point, comma: comma)
        case (.some, nil): return .decided(.decimalPoint)
        case (nil, .some): return .decided(.decimalComma)
        case (nil, nil): return ambiguous.map { .ambiguous($0) } ?? .decided(convention)
        }
    }

    /// `Asset ID` → `asset_id`, `Replacement-Cost (GBP)` → `replacement_cost_gbp`.
    public static func normalisedColumnName(_ name: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for scalar in name.trimmingWhitespace().lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if pendingUnderscore, !out.isEmpty { out += "_" }
                pendingUnderscore = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return out
    }

    /// The position of `column` (a normalised name), or nil when the file has no such column.
    public func index(of column: String) -> Int? { indexByColumn[column] }

    /// True when the header names `column`.
    public func hasColumn(_ column: String) -> Bool { indexByColumn[column] != nil }

    /// Throws when a required column is missing from the header, naming every missing one.
    /// - Throws: ``InvalidInput`` at line 1.
    public func requireColumns(_ required: [String]) throws(InvalidInput) {
        let missing = required.filter { indexByColumn[$0] == nil }
        guard !missing.isEmpty else { return }
        let found = headerAsWritten.map { "'\($0)'" }.joined(separator: ", ")
        throw InvalidInput(
            issues: missing.map {
                InputIssue(
                    file: file,
                    line: 1,
                    column: $0,
                    problem: "required column is missing; the header has \(found)"
                )
            }
        )
    }

    /// Header names (normalised) that are not in `known`, in file order.
    public func columns(notIn known: Set<String>) -> [String] {
        columns.filter { !$0.isEmpty && !known.contains($0) }
    }

    /// A reader for one row of this table.
    public func reader(for row: Row) -> FieldReader { FieldReader(table: self, row: row) }
}

/// Reads typed values out of one row, collecting a precise issue for each bad value.
public struct FieldReader: Sendable {
    /// The table the row belongs to.
    public let table: InputTable
    /// The row.
    public let row: InputTable.Row

    /// The trimmed text of `column`, or nil when the column is absent or the cell empty.
    public func text(_ column: String) -> String? {
        guard let index = table.index(of: column), index < row.fields.count else { return nil }
        let value = row.fields[index].trimmingWhitespace()
        return value.isEmpty ? nil : value
    }

    /// The value of `column` read by `field`; nil (with an issue recorded) when it is invalid, or when it is
    /// empty and `required`; nil without an issue when it is empty and optional.
    public func value<Value>(
        _ column: String,
        _ field: Field<Value>,
        required: Bool = false,
        issues: inout InputIssues
    ) -> Value? {
        guard let text = text(column) else {
            if required {
                issues.append(
                    InputIssue(
                        file: table.file,
                        line: row.line,
                        column: table.displayName(of: column),
                        value: "",
                        problem: "is empty; expected \(field.expectation)"
                    )
                )
            }
            return nil
        }
        var convention = table.numberConvention
        if field.readsNumbers {
            switch table.numbers(in: column) {
            case .decided(let decided):
                convention = decided
            case .ambiguous(let sample), .conflicting(let sample, _):
                // One problem for the column, on the line of the value it quotes; the column's other cells are
                // not read, since no reading of them can be trusted.
                if sample.line == row.line, let issue = table.numberIssue(in: column) { issues.append(issue) }
                return nil
            }
        }
        switch field.parse(text, convention) {
        case .success(let value):
            return value
        case .failure(let problem):
            issues.append(
                InputIssue(
                    file: table.file,
                    line: row.line,
                    column: table.displayName(of: column),
                    value: text,
                    problem: problem.message
                )
            )
            return nil
        }
    }

    /// Records an issue against `column` of this row with its current text.
    public func report(_ column: String, _ problem: String, issues: inout InputIssues) {
        issues.append(
            InputIssue(
                file: table.file,
                line: row.line,
                column: table.displayName(of: column),
                value: text(column) ?? "",
                problem: problem
            )
        )
    }
}

/// Why a value could not be read: what is wrong and what is expected.
public struct FieldProblem: Error, Sendable, Hashable {
    /// A fragment such as `not a date; expected YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY`.
    public var message: String

    /// A problem with `message`.
    public init(_ message: String) { self.message = message }
}

/// How to read one kind of value from a cell.
public struct Field<Value>: Sendable {
    /// What a valid value looks like, for messages: `a date (YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)`.
    public let expectation: String
    /// Reads the trimmed, non-empty text of a cell.
    public let parse: @Sendable (String, NumberConvention) -> Result<Value, FieldProblem>
    /// True when the field reads numbers, so that the column's convention must be decided
    /// (``InputTable/numbers(in:)``) before a cell is read.
    public let readsNumbers: Bool

    /// A field read by `parse`; `readsNumbers` when it reads a number in the convention it is given.
    public init(
        expectation: String,
        readsNumbers: Bool = false,
        parse: @escaping @Sendable (String, NumberConvention) -> Result<Value, FieldProblem>
    ) {
        self.expectation = expectation
        self.readsNumbers = readsNumbers
        self.parse = parse
    }

    /// The same field with a further check on the value read.
    public func checked(_ check: @escaping @Sendable (Value) -> FieldProblem?) -> Field<Value> {
        let parse = self.parse
        return Field(expectation: expectation, readsNumbers: readsNumbers) { text, convention in
            parse(text, convention).flatMap { value in check(value).map { .failure($0) } ?? .success(value) }
        }
    }
}

extension Field where Value == String {
    /// Any non-empty text, at most 32,767 characters (Excel's limit for a cell). The `'` that
    /// ``CSV/line(_:neutralisingFormulas:)`` puts before formula-like text is taken off again
    /// (``CSV/removingNeutralisingMark(_:)``), so an export imports back as it was.
    public static var text: Field<String> {
        Field(expectation: "text") { text, _ in
            let text = CSV.removingNeutralisingMark(text)
            return text.count > 32_767
                ? .failure(
                    FieldProblem("is \(text.count) characters long; expected at most 32,767 (Excel's cell limit)")
                )
                : .success(text)
        }
    }

    /// An identifier: text of at most 200 characters with no line breaks or control characters, without the `'`
    /// that a CSV export puts before formula-like text (see ``text``).
    public static var identifier: Field<String> {
        Field(expectation: "an identifier") { text, _ in
            let text = CSV.removingNeutralisingMark(text)
            if text.count > 200 {
                return .failure(FieldProblem("is \(text.count) characters long; expected an identifier of at most 200"))
            }
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return .failure(FieldProblem("contains a line break or control character; expected a one-line name"))
            }
            return .success(text)
        }
    }
}

extension Field where Value == Double {
    /// A finite number, optionally with thousands separators, within `range`.
    public static func number(
        in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
        expectation: String = "a number"
    ) -> Field<Double> {
        Field(expectation: expectation, readsNumbers: true) { text, convention in
            guard let value = NumberParsing.parse(text, convention: convention, allowCurrency: false) else {
                return .failure(FieldProblem("is not a number; expected \(expectation)"))
            }
            return NumberParsing.check(value, in: range, expectation: expectation)
        }
    }

    /// Hours in a month: a number from 0 to 744 (31 days × 24 hours).
    public static var hoursInMonth: Field<Double> {
        number(in: 0...744, expectation: "hours from 0 to 744 (the hours in a 31-day month)")
    }
}

extension Field where Value == GBP {
    /// An amount of money in pounds: a number of at least 0, with an optional `£` and thousands separators.
    public static var money: Field<GBP> {
        let expectation = "an amount in pounds of 0 or more, such as 1250000 or £1,250,000"
        return Field(expectation: expectation, readsNumbers: true) { text, convention in
            guard let value = NumberParsing.parse(text, convention: convention, allowCurrency: true) else {
                return .failure(FieldProblem("is not an amount of money; expected \(expectation)"))
            }
            return NumberParsing.check(value, in: 0...1e12, expectation: expectation).map(GBP.init)
        }
    }
}

extension Field where Value == Int {
    /// A whole number within `range`, optionally with thousands separators.
    public static func integer(in range: ClosedRange<Int>, expectation: String? = nil) -> Field<Int> {
        let expectation = expectation ?? "a whole number from \(range.lowerBound) to \(range.upperBound)"
        return Field(expectation: expectation, readsNumbers: true) { text, convention in
            guard let value = NumberParsing.parse(text, convention: convention, allowCurrency: false),
                value == value.rounded(), abs(value) < 1e15
            else { return .failure(FieldProblem("is not a whole number; expected \(expectation)")) }
            guard range.contains(Int(value)) else {
                return .failure(FieldProblem("is out of range; expected \(expectation)"))
            }
            return .success(Int(value))
        }
    }
}

extension Field where Value == Day {
    /// A calendar date in one of the accepted forms.
    public static var day: Field<Day> {
        let expectation = "a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY"
        return Field(expectation: expectation) { text, _ in
            if let day = Day.parse(text) { return .success(day) }
            if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let serial = Int(text),
                (20_000...80_000).contains(serial)
            {
                // An Excel serial date (days since 1899-12-30), as a spreadsheet stores a date cell.
                return .success(Day.excelSerialOrigin.adding(days: serial))
            }
            return .failure(FieldProblem("is not a valid date; expected \(expectation)"))
        }
    }
}

extension Field where Value == YearMonth {
    /// A month, `YYYY-MM`.
    public static var yearMonth: Field<YearMonth> {
        let expectation = "a month as YYYY-MM"
        return Field(expectation: expectation) { text, _ in
            YearMonth.parse(text).map { .success($0) }
                ?? .failure(FieldProblem("is not a valid month; expected \(expectation)"))
        }
    }
}

extension Field where Value == Bool {
    /// true/false, yes/no, y/n, 1/0 in any case.
    public static var boolean: Field<Bool> {
        let expectation = "true/false or yes/no"
        return Field(expectation: expectation) { text, _ in
            switch text.lowercased() {
            case "true", "yes", "y", "1", "t", "mobile": .success(true)
            case "false", "no", "n", "0", "f", "fixed": .success(false)
            default: .failure(FieldProblem("is not true or false; expected \(expectation)"))
            }
        }
    }
}

extension Field where Value == Modality {
    /// A modality code or common spelling.
    public static var modality: Field<Modality> {
        let codes = Modality.allCases.map(\.rawValue).joined(separator: ", ")
        let expectation = "one of \(codes) (or a common spelling such as MRI, X-ray, Ultrasound)"
        return Field(expectation: expectation) { text, _ in
            Modality(spelling: text).map { .success($0) }
                ?? .failure(FieldProblem("is not a known modality; expected \(expectation)"))
        }
    }
}

/// Number reading shared by every numeric field.
public enum NumberParsing {
    /// What one value shows about the convention its column is written in.
    public enum Evidence: Sendable, Hashable {
        /// Nothing: it reads as the same number in both conventions, or in neither.
        case none
        /// It reads only with a decimal point (`1,250,000`, `1,234.50`), or it is a pound figure grouped by
        /// commas (`£835,000`), the way sterling amounts are written.
        case decimalPoint
        /// It reads only with a decimal comma (`1.234,50`, `2,5`).
        case decimalComma
        /// It reads as a different number in each (`835,000`: 835,000 or 835; `1.500`: 1.5 or 1,500).
        case ambiguous
    }

    /// What `text` shows about the convention of its column (SPEC.md, "Reading real exports"); a value's size
    /// or plausibility is no evidence.
    public static func evidence(_ text: String) -> Evidence {
        let point = parse(text, convention: .decimalPoint, allowCurrency: true)
        let comma = parse(text, convention: .decimalComma, allowCurrency: true)
        switch (point, comma) {
        case (let point?, let comma?) where point != comma:
            let body = text.trimmingWhitespace().drop { $0 == "-" || $0.isWhitespace }
            let hasCurrency = body.hasPrefix("£") || body.uppercased().hasPrefix("GBP")
            return hasCurrency && text.contains(",") ? .decimalPoint : .ambiguous
        case (.some, nil): return .decimalPoint
        case (nil, .some): return .decimalComma
        default: return .none
        }
    }

    /// A number as plain text for messages: `835000`, `1.5`.
    public static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Reads a finite number written in `convention`, with an optional leading `£` or `GBP` when
    /// `allowCurrency`; nil for anything else (`NaN`, `inf`, `1e309`, hex, misplaced separators).
    public static func parse(_ text: String, convention: NumberConvention, allowCurrency: Bool) -> Double? {
        var body = Substring(text.trimmingWhitespace())
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        if allowCurrency {
            if body.hasPrefix("£") {
                body = body.dropFirst()
            } else if body.uppercased().hasPrefix("GBP") {
                body = body.dropFirst(3)
            }
            body = Substring(body.trimmingWhitespace())
            if !negative, body.hasPrefix("-") {
                negative = true
                body = body.dropFirst()
            }
        }
        let (thousands, decimal): (Character, Character) = convention == .decimalPoint ? (",", ".") : (".", ",")
        // Grouping: spaces (including no-break and thin spaces, not tabs or line breaks) and apostrophes group
        // thousands in both conventions, in place of the convention's separator and checked like it (`1 250 000`,
        // not `1 2`).
        let isGroupMark: (Character) -> Bool = { character in
            character == "'" || character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator }
        }
        var grouped = String(body)
        let usesGroupMarks = grouped.contains(where: isGroupMark)
        if usesGroupMarks {
            guard !grouped.contains(thousands) else { return nil }
            grouped = String(grouped.map { isGroupMark($0) ? thousands : $0 })
        }
        let parts = grouped.split(separator: decimal, maxSplits: 2, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        var integerPart = String(parts[0])
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        var hasDecimalMark = parts.count == 2
        if convention == .decimalComma, !usesGroupMarks, parts.count == 1, integerPart.contains("."),
            !isGrouped(integerPart, separator: ".")
        {
            // `1.5` in a continental file: a decimal point typed by hand, not a thousands group.
            let pointParts = integerPart.split(separator: ".", omittingEmptySubsequences: false)
            guard pointParts.count == 2 else { return nil }
            integerPart = String(pointParts[0])
            fraction = String(pointParts[1])
            hasDecimalMark = true
        }
        if integerPart.contains(thousands) {
            guard isGrouped(integerPart, separator: thousands) else { return nil }
            integerPart.removeAll { $0 == thousands }
        }
        var exponent = ""
        if let e = fraction.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = String(fraction[e...])
            fraction = String(fraction[..<e])
        } else if !hasDecimalMark, let e = integerPart.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // An exponent ends the number: `1e5.5` is no number (it read as 1.5e5).
            exponent = String(integerPart[e...])
            integerPart = String(integerPart[..<e])
        }
        guard !integerPart.isEmpty || !fraction.isEmpty,
            integerPart.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            exponent.isEmpty || isExponent(exponent)
        else { return nil }
        let literal = (integerPart.isEmpty ? "0" : integerPart) + (fraction.isEmpty ? "" : "." + fraction) + exponent
        guard let value = Double(literal), value.isFinite else { return nil }
        return negative ? -value : value
    }

    /// Checks a parsed value against `range`.
    static func check(
        _ value: Double,
        in range: ClosedRange<Double>,
        expectation: String
    ) -> Result<Double, FieldProblem> {
        if value < range.lowerBound {
            return .failure(FieldProblem((value < 0 ? "is negative" : "is too small") + "; expected \(expectation)"))
        }
        if value > range.upperBound { return .failure(FieldProblem("is too large; expected \(expectation)")) }
        return .success(value == 0 ? 0 : value)  // -0 reads as 0
    }

    /// True for thousands groups: one to three digits, not starting with 0 (`0,125` groups nothing: it is 0.125
    /// written with a decimal comma, or no number), then groups of three.
    private static func isGrouped(_ text: String, separator: Character) -> Bool {
        let groups = text.split(separator: separator, omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), first.first != "0" else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    private static func isExponent(_ text: String) -> Bool {
        var rest = text.dropFirst()
        if rest.hasPrefix("+") || rest.hasPrefix("-") { rest = rest.dropFirst() }
        return !rest.isEmpty && rest.count <= 4 && rest.allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    /// True for 0–9 only (not other scripts' digits).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
