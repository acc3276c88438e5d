import FleetCore
import Foundation
import Testing

// Shared machinery of the fuzz suites: a seeded generator, the outcome of one read, the checks every failure must
// pass, hostile values, a CSV writer that places a value exactly in a cell, and oracles — parsers written here,
// independently of the readers, from the file formats in SPEC.md — that say what a cell must read as.

/// The day the fuzz suites treat as today, so that "in the future" is fixed.
let fuzzToday = Day(year: 2025, month: 6, day: 30)!

/// The package's root folder (Tests/FleetFuzzTests/FuzzSupport.swift → ../..).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The replayed corpus of cases that once failed, or that are worth keeping.
let regressionFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/fuzz-regressions", isDirectory: true)

/// Fuzzing draws on FleetCore's SplitMix64: the same on every platform, so a seed names a case.
struct FuzzRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// The byte mutations the file fuzzers share, by `kind`: 0 truncates, 1 overwrites one to three bytes, 2 inserts
    /// up to twelve random bytes, 3 inserts a NUL.
    mutating func mutate(_ bytes: inout [UInt8], kind: Int) {
        switch kind {
        case 0: bytes = Array(bytes.prefix(int(0...bytes.count)))
        case 1:
            for _ in 0..<int(1...3) { bytes[int(0..<bytes.count)] = UInt8(truncatingIfNeeded: next()) }
        case 2: bytes.insert(contentsOf: self.bytes(int(1...12)), at: int(0...bytes.count))
        default: bytes.insert(0, at: int(0...bytes.count))
        }
    }

    /// A number in `range` (which must not be empty).
    mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    /// A number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { int(range.lowerBound..<(range.upperBound + 1)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// One element of `elements` (which must not be empty).
    mutating func pick<T>(_ elements: [T]) -> T { elements[int(0..<elements.count)] }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// How one read ended.
enum ReadOutcome<Value> {
    case read(Value)
    case invalid(InvalidInput)
    case fileFailure(FileFailure)
    case unexpected(any Error)

    var value: Value? {
        if case .read(let value) = self { return value }
        return nil
    }

    var invalidInput: InvalidInput? {
        if case .invalid(let error) = self { return error }
        return nil
    }
}

/// Runs one read and classifies how it ended.
func outcome<Value>(_ body: () throws -> Value) -> ReadOutcome<Value> {
    do {
        return .read(try body())
    } catch let error as InvalidInput {
        return .invalid(error)
    } catch let error as FileFailure {
        return .fileFailure(error)
    } catch {
        return .unexpected(error)
    }
}

/// What is wrong with a failure, if anything: every issue names one of `files`, a line within the file (when it
/// names one), and says what is wrong; the message ends with the count and the consequence.
func malformations(of error: InvalidInput, files: Set<String>, lineCount: Int) -> [String] {
    var problems: [String] = []
    if error.issues.isEmpty { problems.append("an InvalidInput with no issue") }
    for issue in error.issues {
        if !files.contains(issue.file) { problems.append("issue names file '\(issue.file)', not one of \(files)") }
        if let line = issue.line, !(1...max(1, lineCount + 1)).contains(line) {
            problems.append("issue names line \(line) of a file of \(lineCount) lines: \(issue)")
        }
        if issue.problem.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("issue without a problem") }
    }
    let description = error.description
    if !description.contains("problem") || description.split(separator: "\n").count < error.issues.count {
        problems.append("message does not list the issues: \(description)")
    }
    return problems
}

/// The physical lines of `data` as the readers count them (line feeds, or carriage returns alone).
func lineCount(of data: Data) -> Int {
    var lines = 1
    var previous: UInt8 = 0
    for byte in data {
        if byte == 0x0A, previous != 0x0D { lines += 1 }
        if byte == 0x0D { lines += 1 }
        previous = byte
    }
    return lines
}

/// Writes the files of a failing case to `$FLEET_FUZZ_SAVE/name/` when that variable is set, to be looked at and
/// promoted to the regression corpus.
func saveFailingCase(_ name: String, files: [String: Data]) {
    guard let root = ProcessInfo.processInfo.environment["FLEET_FUZZ_SAVE"], !root.isEmpty else { return }
    let folder = URL(fileURLWithPath: root).appendingPathComponent(name, isDirectory: true)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (file, data) in files { try? data.write(to: folder.appendingPathComponent(file)) }
}

/// A fresh temporary folder.
func makeFuzzDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

// MARK: - Hostile values

/// Values that exporters, people and attackers put in cells.
enum Hostile {
    static let numbers = [
        "1e309", "-1e309", "NaN", "nan", "inf", "-inf", "Infinity", "-0", "0", "0x10", "1,2,3", "１２３", "1 2",
        "1 234", "1'234", "1 234 567", "£1,234.50", "GBP 12", "gbp12", "12.", ".", ".5", "1e5", "1E-3", "1e-400",
        "--5", "+5", "5-", "£-5", "-£5", "1.2.3", "1,23", "12,345,678", "1,2345", "9999999999999", "1000000000000",
        "1000000000000.01", "4.5123e4", "0xB043.0", "45123.0", "45123.5", "  7  ", "\u{00A0}42\u{00A0}", "٣",
        "3\u{0301}", "1\u{2009}000", "1\t000", "1\n000", "5%", "50 %", "0.08", "8%", "100%", "-5%", "1e10000",
        "2", "3", "5", "6", "744", "745", "10000000", "10000001",
        // The forms of continental and UK exports whose reading depends on the column's convention.
        "835,000", "£835,000", "GBP 835,000", "1.500", "1.250.000", "£1.250", "1.234,50", "2,5", "0,75", "1,250,000",
        "12,5", "1.234e3", "1e5.5", "1e5,5", "12345.5", "0,125", "0.125", "0 125", "01,250",
    ]
    static let dates = [
        "2023-02-30", "31/02/2024", "2024-13-01", "0000-01-01", "2024-02-29", "2023-02-29", "29/02/2024",
        "1/1/+202", "+1/+1/2024", "2024-1-01", "2024-01", "2024", "02024", "20000", "80000", "80001", "19999",
        "45123", "-45123", "+45123", "2024/01/01", "01.02.2003", "1-2-2003", "2024-06-30", "2025-06-30",
        "2025-07-01", "9999-12-31", "0001-01-01", "2024-00-10", "１２/０１/２０２０", "2024-01-01T10:00",
        "30/06/2025 ", "31.12.1999", "+024-01", "2024-+1", "01/2025", "1/2025", "2025-05", "2025-06", "2025-07",
        "1899-12-31", "1582-10-10", "2000-02-29", "1900-02-29",
    ]
    static let texts = [
        "=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "＝1+1", "－1", "'=1+2", "''=x", "'plain", "'",
        "=HYPERLINK(\"http://x\",\"y\")", "x'); DROP TABLE asset;--", "\u{202E}evil", "a\u{0000}b", "line\nbreak",
        "cr\ronly", "\"quoted\"", "  spaced  ", "\u{FEFF}bom", "é", "😀", "", " ", "a_x000D_b", "_x005F_x0041_",
        "a\u{0001}b", "tab\tinside", "semi;colon", "comma,inside", "Ashby Hospitals NHS Trust", "North", "South",
        "CT-001", "MR-002", String(repeating: "x", count: 201), String(repeating: "y", count: 32_768),
        String(repeating: "z", count: 40_000),
    ]
    static let flags = ["yes", "No", "TRUE", "1", "0", "2", "maybe", "Y", "t", "mobile", "fixed", "ｙｅｓ"]
    static let modalities = [
        "MRI", "mri", "X-ray", "xray", "PET/CT", "PET-CT", "CATH LAB", "ＣＴ", "C T", "unknown", "DX", "CR", "MG",
    ]
    static let statuses = ["in service", "In-Service", "decommissioned", "retired", "IN_SERVICE", "Decommissioned"]

    static let all = numbers + dates + texts + flags + modalities + statuses
}

// MARK: - Writing a CSV whose cells are known

/// A CSV file as a header and rows of values, written so that the CSV layer gives back exactly each value.
struct CSVDocument {
    var header: [String]
    var rows: [[String]]

    /// The text, and the physical line on which each data row starts.
    func encoded(separator: Character = ",", lineEnd: String = "\n") -> (text: String, lines: [Int]) {
        var text = line(header, separator) + lineEnd
        var lines: [Int] = []
        var next = 2 + header.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        for row in rows {
            lines.append(next)
            text += line(row, separator) + lineEnd
            next += 1 + row.reduce(0) { $0 + $1.unicodeScalars.filter { $0 == "\n" }.count }
        }
        return (text, lines)
    }

    private func line(_ fields: [String], _ separator: Character) -> String {
        fields.map { field in
            let needsQuotes = field.unicodeScalars.contains {
                $0 == "\"" || $0 == "\n" || $0 == "\r" || Character($0) == separator
            }
            return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: String(separator))
    }

    /// The position of `column` in the header.
    func index(of column: String) -> Int { header.firstIndex(of: column)! }
}

// MARK: - Oracles

/// Independent parsers of cell values, from SPEC.md's formats: what a careful person reads in a cell, or nil when
/// the cell holds no valid value of the kind. They are strict on purpose: a reader that accepts what an oracle
/// refuses has read something nobody wrote.
enum Oracle {
    /// The cell without surrounding white space (Foundation's definition, not the readers').
    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The cell's text as an identifier or text is stored: trimmed, without a CSV export's neutralising `'`
    /// (a `'` before text that starts, after any further `'`s, like a formula), or nil when empty.
    static func storedText(_ cell: String) -> String? {
        var text = trimmed(cell)
        let rest = text.drop { $0 == "'" }
        if text.hasPrefix("'"), startsLikeFormula(String(rest)) { text.removeFirst() }
        return text.isEmpty ? nil : text
    }

    /// OWASP's list of formula triggers, with full-width forms; `-` only when the text is not a plain number.
    static func startsLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if "=+@\t\r\u{FF1D}\u{FF0B}\u{FF20}\u{FF0D}".unicodeScalars.contains(first) { return true }
        return first == "-" && Double(text) == nil
    }

    enum Value: Equatable {
        case empty
        case invalid
        case valid(String)
    }

    /// An identifier: one line of at most 200 characters.
    static func identifier(_ cell: String) -> Value {
        guard let text = storedText(cell) else { return .empty }
        if text.count > 200 || text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .invalid
        }
        return .valid(text)
    }

    /// Free text: at most 32,767 characters.
    static func text(_ cell: String) -> Value {
        guard let text = storedText(cell) else { return .empty }
        return text.count > 32_767 ? .invalid : .valid(text)
    }

    private static let numberPattern = try! NSRegularExpression(
        pattern:
            // sign, currency, sign, whole part (plain, grouped by commas, or grouped by spaces or apostrophes),
            // fraction, exponent
            #"^(-)?(?:(?:£|[Gg][Bb][Pp])\s*(-)?)?"#
            + #"([0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]{0,2}(?:[\p{Zs}'][0-9]{3})+)"#
            + #"(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,4}))?$"#
    )

    /// A number as continental Excel writes it: whole part plain, grouped by points, or by spaces or apostrophes;
    /// a decimal comma.
    private static let commaNumberPattern = try! NSRegularExpression(
        pattern:
            #"^(-)?(?:(?:£|[Gg][Bb][Pp])\s*(-)?)?"#
            + #"([0-9]*|[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?:[\p{Zs}'][0-9]{3})+)"#
            + #"(?:,([0-9]*))?(?:[eE]([+-]?[0-9]{1,4}))?$"#
    )

    /// In a continental file, a decimal point typed by hand (`1.5`, `12345.5`), which is not a points-grouped
    /// whole number (`1.500`).
    private static let typedPointPattern = try! NSRegularExpression(
        pattern: #"^(-)?(?:(?:£|[Gg][Bb][Pp])\s*(-)?)?([0-9]*)\.([0-9]*)(?:[eE]([+-]?[0-9]{1,4}))?$"#
    )
    private static let pointGroupedPattern = try! NSRegularExpression(
        pattern: #"^(-)?(?:(?:£|[Gg][Bb][Pp])\s*(-)?)?[1-9][0-9]{0,2}(?:\.[0-9]{3})+$"#
    )

    /// How a file writes numbers, as the oracle reads them.
    enum Convention {
        case decimalPoint
        case decimalComma
    }

    private static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// A number as a UK spreadsheet writes it (`1,234.5`, `1 234`, `1e3`), or with `.decimalComma` as a
    /// continental one does (`1.234,5`, `1 234`, `2,5`, and a hand-typed `1.5`), with `£` or `GBP` when
    /// `currency`.
    static func number(_ cell: String, currency: Bool, convention: Convention = .decimalPoint) -> Double?? {
        let text = trimmed(cell)
        if text.isEmpty { return .some(nil) }
        var pattern = numberPattern
        if convention == .decimalComma {
            // The typed-point pattern has no room for group marks or a comma, so it only takes what no grouping
            // reading does.
            pattern =
                !matches(pointGroupedPattern, text) && matches(typedPointPattern, text)
                ? typedPointPattern : commaNumberPattern
        }
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pattern.firstMatch(in: text, range: range) else { return nil }
        func group(_ index: Int) -> String? {
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        let hasCurrency = text.contains("£") || text.uppercased().contains("GBP")
        if hasCurrency, !currency { return nil }
        let negatives = (group(1) != nil ? 1 : 0) + (group(2) != nil ? 1 : 0)
        if negatives > 1 { return nil }
        let integer = (group(3) ?? "").filter(\.isNumber)
        let fraction = group(4)
        if integer.isEmpty, (fraction ?? "").isEmpty { return nil }
        var literal = (integer.isEmpty ? "0" : integer) + (fraction.map { $0.isEmpty ? "" : "." + $0 } ?? "")
        if let exponent = group(5) { literal += "e" + exponent }
        guard let value = Double(literal), value.isFinite else { return nil }
        return .some(negatives == 1 ? -value : value)
    }

    /// What a cell shows about the convention of its column (SPEC.md, "Reading real exports"): the one it reads
    /// in when it reads in one only; for a pound figure grouped by commas (`£835,000`), the decimal point; nil
    /// when it reads the same in both or in neither; `ambiguous` when it reads as two different numbers.
    enum Evidence: Equatable {
        case none
        case decimalPoint
        case decimalComma
        case ambiguous
    }

    static func evidence(_ cell: String) -> Evidence {
        let point = number(cell, currency: true, convention: .decimalPoint) ?? nil
        let comma = number(cell, currency: true, convention: .decimalComma) ?? nil
        switch (point, comma) {
        case (let p?, let c?) where p != c:
            let currency = trimmed(cell).contains("£") || trimmed(cell).uppercased().contains("GBP")
            return currency && cell.contains(",") ? .decimalPoint : .ambiguous
        case (.some, nil): return .decimalPoint
        case (nil, .some): return .decimalComma
        default: return .none
        }
    }

    /// The convention of a column of cells in a `;` file, or why it cannot be decided.
    static func convention(ofColumn cells: [String]) -> Result<Convention, OracleRefusal> {
        let evidence = cells.map(Oracle.evidence)
        let point = evidence.contains(.decimalPoint)
        let comma = evidence.contains(.decimalComma)
        if point, comma { return .failure(OracleRefusal(reason: "a column mixes conventions")) }
        if point { return .success(.decimalPoint) }
        if comma { return .success(.decimalComma) }
        if evidence.contains(.ambiguous) { return .failure(OracleRefusal(reason: "an ambiguous column")) }
        return .success(.decimalComma)
    }

    /// Money in pounds from 0 to 1e12.
    static func money(_ cell: String, convention: Convention = .decimalPoint) -> Value {
        guard let parsed = number(cell, currency: true, convention: convention) else { return .invalid }
        guard let value = parsed else { return .empty }
        return (0...1e12).contains(value) ? .valid(String(value == 0 ? 0 : value)) : .invalid
    }

    /// A number within `range`.
    static func decimal(
        _ cell: String,
        in range: ClosedRange<Double>,
        convention: Convention = .decimalPoint
    )
        -> Value
    {
        guard let parsed = number(cell, currency: false, convention: convention) else { return .invalid }
        guard let value = parsed else { return .empty }
        return range.contains(value) ? .valid(String(value == 0 ? 0 : value)) : .invalid
    }

    /// A whole number within `range`.
    static func integer(
        _ cell: String,
        in range: ClosedRange<Int>,
        convention: Convention = .decimalPoint
    )
        -> Value
    {
        guard let parsed = number(cell, currency: false, convention: convention) else { return .invalid }
        guard let value = parsed else { return .empty }
        guard value == value.rounded(), abs(value) < 1e15, range.contains(Int(value)) else { return .invalid }
        return .valid(String(Int(value)))
    }

    /// true/false, yes/no and the other spellings SPEC.md's `mobile` accepts.
    static func flag(_ cell: String) -> Value {
        let text = trimmed(cell).lowercased()
        if text.isEmpty { return .empty }
        if ["true", "yes", "y", "1", "t", "mobile"].contains(text) { return .valid("true") }
        if ["false", "no", "n", "0", "f", "fixed"].contains(text) { return .valid("false") }
        return .invalid
    }

    /// The modality codes of SPEC.md and the common spellings the register documents, by their letters and
    /// digits in lower case.
    static let modalitySpellings: [String: String] = {
        let lists: [String: [String]] = [
            "CT": [
                "ct", "cat", "ctscanner", "computedtomography", "computerisedtomography", "computerizedtomography",
                "ctscan",
            ],
            "MR": ["mr", "mri", "mriscanner", "magneticresonance", "magneticresonanceimaging"],
            "XR": ["xr", "xray", "radiography", "generalradiography", "dr", "cr", "plainfilm", "dx", "xrayroom"],
            "US": ["us", "ultrasound", "ultrasonography", "sonography", "usg"],
            "DEXA": ["dexa", "dxa", "bonedensitometry", "densitometry"],
            "NM": ["nm", "nuclearmedicine", "gammacamera", "spect", "spectct"],
            "PETCT": ["petct", "pet", "pt", "petscanner"],
            "MG": ["mg", "mammography", "mammo", "mammogram", "breastscreening"],
            "FL": ["fl", "fluoroscopy", "fluoro", "rf"],
            "IR": ["ir", "interventional", "interventionalradiology", "cathlab", "angiography", "angio", "xa"],
        ]
        var table: [String: String] = [:]
        for (code, spellings) in lists { for spelling in spellings { table[spelling] = code } }
        return table
    }()

    /// A modality code, from a code or spelling written in ASCII letters and digits with any punctuation.
    static func modality(_ cell: String) -> Value {
        let text = trimmed(cell)
        if text.isEmpty { return .empty }
        let significant = text.lowercased().filter { $0.isLetter || $0.isNumber }
        guard significant.allSatisfy(\.isASCII) else { return .invalid }
        return modalitySpellings[significant].map { .valid($0) } ?? .invalid
    }

    /// in_service or decommissioned, with a space or hyphen for the underscore, in any case.
    static func status(_ cell: String) -> Value {
        let text = trimmed(cell).lowercased().replacingOccurrences(of: " ", with: "_")
            .replacingOccurrences(of: "-", with: "_")
        if text.isEmpty { return .empty }
        return ["in_service", "decommissioned"].contains(text) ? .valid(text) : .invalid
    }

    /// True for leap years of the Gregorian calendar.
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Year, month and day when they name a real day of years 1–9999.
    static func validDay(_ year: Int, _ month: Int, _ day: Int) -> Day? {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        let days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    private static func match(_ pattern: String, _ text: String) -> [Int]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).flatMap { Int(text[$0]) } }
    }

    /// A register date: `YYYY-MM-DD`, `YYYY-MM` (the 1st), `YYYY` (1 July), `D/M/YYYY` (also with `.` or `-`), or
    /// an Excel serial from 20,000 to 80,000 (with a fraction when `allowsFraction`), counted from 1899-12-30.
    static func day(_ cell: String, allowsFraction: Bool = true) -> Day?? {
        let text = trimmed(cell)
        if text.isEmpty { return .some(nil) }
        if let p = match(#"^([0-9]{4})-([0-9]{2})-([0-9]{2})$"#, text) {
            return validDay(p[0], p[1], p[2]).map { .some($0) }
        }
        if let p = match(#"^([0-9]{4})-([0-9]{2})$"#, text) { return validDay(p[0], p[1], 1).map { .some($0) } }
        if let p = match(#"^([0-9]{4})$"#, text) { return validDay(p[0], 7, 1).map { .some($0) } }
        if let p = match(#"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$"#, text) {
            return validDay(p[2], p[1], p[0]).map { .some($0) }
        }
        var serial: Double?
        if match(#"^[0-9]+$"#, text) != nil { serial = Double(text) }
        if allowsFraction, match(#"^[0-9]+\.[0-9]*$"#, text) != nil { serial = Double(text) }
        guard let serial, (20_000...80_000).contains(serial) else { return nil }
        // Independently of Day's arithmetic: Foundation's calendar from the Unix epoch (serial 25,569).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: (serial.rounded(.down) - 25_569) * 86_400)
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return validDay(parts.year!, parts.month!, parts.day!).map { .some($0) }
    }

    /// A utilisation month: `YYYY-MM`, `YYYY/MM`, `MM/YYYY`, `MM-YYYY`, or a full date's month.
    static func month(_ cell: String) -> YearMonth?? {
        let text = trimmed(cell)
        if text.isEmpty { return .some(nil) }
        if let p = match(#"^([0-9]{4})[-/]([0-9]{2})$"#, text) {
            return YearMonth(year: p[0], month: p[1]).map { .some($0) }
        }
        if let p = match(#"^([0-9]{1,2})[-/]([0-9]{4})$"#, text) {
            return YearMonth(year: p[1], month: p[0]).map { .some($0) }
        }
        if let p = match(#"^([0-9]{4})-([0-9]{2})-([0-9]{2})$"#, text) {
            return validDay(p[0], p[1], p[2]).map { .some($0.yearMonth) }
        }
        if let p = match(#"^([0-9]{2})[/.-]([0-9]{2})[/.-]([0-9]{4})$"#, text) {
            return validDay(p[2], p[1], p[0]).map { .some($0.yearMonth) }
        }
        return nil
    }
}
