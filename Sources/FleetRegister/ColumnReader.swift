import FleetCore

/// Reads one column of every row of a table, as FleetCore's `FieldReader.value` does and with the same messages,
/// but faster for a national register: the column's position is looked up once per file rather than once per
/// cell, a cell is trimmed only when it has space to trim, and the common form of each value (`2016-03-14`,
/// `1250000`, `CT`, `true`) takes a fast path before the general `Field`. A fast path returns nil for anything
/// it does not recognise, and the general field then reads it; where it returns a value, it is the value the
/// general field would give (FleetRegisterTests checks this on awkward inputs).
struct ColumnReader<Value> {
    /// The column as messages quote it: its normalised name, or the header as written when an alias named it.
    let column: String
    private let position: Int?
    private let field: Field<Value>
    private let fastPath: (String) -> Value?
    /// The convention the column's numbers read in, decided once for the file.
    private let numbers: ColumnNumbers
    private let numberIssue: InputIssue?

    /// A reader of `column` of `table` with `field`, trying `fastPath` first.
    init(_ column: String, of table: InputTable, _ field: Field<Value>, fastPath: @escaping (String) -> Value?) {
        self.column = table.displayName(of: column)
        position = table.index(of: column)
        self.field = field
        self.fastPath = fastPath
        numbers = field.readsNumbers ? table.numbers(in: column) : .decided(table.numberConvention)
        numberIssue = field.readsNumbers ? table.numberIssue(in: column) : nil
    }

    /// The value of this column in `row`; nil, with an issue recorded, when it is invalid or when it is empty
    /// and `required`; nil without an issue when it is empty and optional.
    func value(
        in row: InputTable.Row,
        of table: InputTable,
        required: Bool = false,
        issues: inout InputIssues
    ) -> Value? {
        value(ofText: text(in: row), line: row.line, file: table.file, required: required, issues: &issues)
    }

    /// The value of one cell as written (untrimmed; "" for a cell the row lacks) on `line` of `file`, as
    /// ``value(in:of:required:issues:)`` reads it.
    func value(
        ofCell raw: String,
        line: Int,
        file: String,
        required: Bool = false,
        issues: inout InputIssues
    ) -> Value? {
        value(
            ofText: position == nil ? nil : Self.trimmed(raw),
            line: line,
            file: file,
            required: required,
            issues: &issues
        )
    }

    private func value(
        ofText text: String?,
        line: Int,
        file: String,
        required: Bool,
        issues: inout InputIssues
    ) -> Value? {
        guard let text else {
            if required {
                issues.append(
                    InputIssue(
                        file: file,
                        line: line,
                        column: column,
                        value: "",
                        problem: "is empty; expected \(field.expectation)"
                    )
                )
            }
            return nil
        }
        if let value = fastPath(text) { return value }
        let convention: NumberConvention
        switch numbers {
        case .decided(let decided):
            convention = decided
        case .ambiguous(let sample), .conflicting(let sample, _):
            // One problem for the column, on the line of the value it quotes (FieldReader does the same).
            if sample.line == line, let numberIssue { issues.append(numberIssue) }
            return nil
        }
        switch field.parse(text, convention) {
        case .success(let value):
            return value
        case .failure(let problem):
            issues.append(InputIssue(file: file, line: line, column: column, value: text, problem: problem.message))
            return nil
        }
    }

    /// The cell's text trimmed as FleetCore trims it, or nil when the column is absent or the cell empty.
    private func text(in row: InputTable.Row) -> String? {
        guard let position, position < row.fields.count else { return nil }
        return Self.trimmed(row.fields[position])
    }

    /// `raw` trimmed as FleetCore trims it, or nil when nothing is left.
    private static func trimmed(_ raw: String) -> String? {
        guard let first = raw.utf8.first, let last = raw.utf8.last else { return nil }
        // A cell that starts and ends with a visible ASCII character has nothing to trim (the usual case).
        if isVisibleASCII(first) && isVisibleASCII(last) { return raw }
        let trimmed = raw.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}

/// The fast paths: each recognises only a plain form and gives what the matching FleetCore field gives for it.
enum FastPath {
    /// `.identifier`: at most 200 bytes (so at most 200 characters), no ASCII control character, and no leading
    /// `'` (which may be a CSV export's neutralising mark, for the general field to take off).
    static func identifier(_ text: String) -> String? {
        text.utf8.count <= 200 && text.utf8.first != UInt8(ascii: "'")
            && !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) ? text : nil
    }

    /// `.text`: at most 32,767 bytes (so at most as many characters), and no leading `'`.
    static func text(_ text: String) -> String? {
        text.utf8.count <= 32_767 && text.utf8.first != UInt8(ascii: "'") ? text : nil
    }

    /// `.money`: up to 12 plain digits (below the field's limit of £1e12).
    static func money(_ text: String) -> GBP? { digits(text, maximumCount: 12).map { GBP(Double($0)) } }

    /// `.integer(in:)`: up to 9 plain digits within `range`.
    static func integer(_ text: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = digits(text, maximumCount: 9), range.contains(value) else { return nil }
        return value
    }

    /// A number of hours: up to 3 plain digits within `range`.
    static func hours(_ text: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = digits(text, maximumCount: 3).map(Double.init), range.contains(value) else { return nil }
        return value
    }

    /// `.day`: an ISO date `YYYY-MM-DD` that exists.
    static func day(_ text: String) -> Day? {
        var utf8 = text.utf8.makeIterator()
        guard text.utf8.count == 10, let year = number(&utf8, 4), utf8.next() == UInt8(ascii: "-"),
            let month = number(&utf8, 2), utf8.next() == UInt8(ascii: "-"), let day = number(&utf8, 2)
        else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// `.yearMonth`: `YYYY-MM`.
    static func yearMonth(_ text: String) -> YearMonth? {
        var utf8 = text.utf8.makeIterator()
        guard text.utf8.count == 7, let year = number(&utf8, 4), utf8.next() == UInt8(ascii: "-"),
            let month = number(&utf8, 2)
        else { return nil }
        return YearMonth(year: year, month: month)
    }

    /// `.modality`: a modality code as the register writes it (`CT`, `MR`, `PETCT`).
    static func modality(_ text: String) -> Modality? { Modality(rawValue: text) }

    /// `.boolean`: `true`, `false`, `yes`, `no` in lower or title case.
    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES": true
        case "false", "False", "FALSE", "no", "No", "NO": false
        default: nil
        }
    }

    /// The register's status field: `in_service` or `decommissioned` as written by `fleet`.
    static func status(_ text: String) -> AssetStatus? { AssetStatus(rawValue: text) }

    /// The value of `text` when it is 1 to `maximumCount` ASCII digits.
    private static func digits(_ text: String, maximumCount: Int) -> Int? {
        let utf8 = text.utf8
        guard (1...maximumCount).contains(utf8.count) else { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func number(_ utf8: inout String.UTF8View.Iterator, _ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let byte = utf8.next(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
