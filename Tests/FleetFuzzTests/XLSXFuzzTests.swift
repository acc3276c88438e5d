import FleetCore
import FleetRegister
import Foundation
import Testing
import WorkbookWriter
import ZIPFoundation

/// How one register cell is written into a workbook.
enum WorkbookCell {
    case text(String)
    case number(Double)
    case date(Day)
}

/// The register of ``registerDocument`` as libxlsxwriter writes it: text as shared strings, amounts as numbers,
/// ISO dates as date cells; `override` replaces cells (row and column of the document's rows).
func registerWorkbook(override: [[Int]: WorkbookCell] = [:]) throws -> Data {
    let folder = try makeFuzzDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("register.xlsx").path
    let workbook = try Workbook(path: path)
    let sheet = try workbook.addWorksheet(named: "Register")
    for (column, title) in registerDocument.header.enumerated() { try sheet.writeText(title, row: 0, column: column) }
    for (row, fields) in registerDocument.rows.enumerated() {
        for (column, field) in fields.enumerated() {
            let cell = override[[row, column]] ?? defaultCell(field, column: registerDocument.header[column])
            switch cell {
            case .text(let text): if !text.isEmpty { try sheet.writeText(text, row: row + 1, column: column) }
            case .number(let value): try sheet.writeNumber(value, row: row + 1, column: column)
            case .date(let day):
                try sheet.writeDate(year: day.year, month: day.month, day: day.day, row: row + 1, column: column)
            }
        }
    }
    try workbook.close()
    return try Data(contentsOf: URL(fileURLWithPath: path))
}

/// Amounts as numbers, ISO dates as date cells, the rest as text.
private func defaultCell(_ field: String, column: String) -> WorkbookCell {
    if column.hasSuffix("_gbp") || column.hasSuffix("_per_year") || column == "criticality", let value = Double(field) {
        return .number(value)
    }
    if field.count == 10, let day = Day.parse(field), field.contains("-") { return .date(day) }
    return .text(field)
}

/// The text a careful reader of the sheet sees in a number cell as libxlsxwriter stores it (`%.16G`, so
/// 0.1 + 0.2 is stored as 0.3): whole numbers without a decimal point, others in their shortest form.
private func numberText(_ value: Double) -> String {
    let stored = Double(String(format: "%.16G", value))!
    if stored == stored.rounded(), abs(stored) < 1e15 { return String(format: "%.0f", stored == 0 ? 0 : stored) }
    return "\(stored)"
}

/// The text a sheet holds for `text` written by libxlsxwriter, as ECMA-376 reads it back: the C string ends at a
/// NUL; control characters other than tab and line feed are stored as `_xHHHH_`; and every `_xHHHH_` in what is
/// stored (including one typed literally, which libxlsxwriter does not escape) reads as its character.
private func storedText(_ text: String) -> String {
    var stored = ""
    for scalar in text.unicodeScalars.prefix(while: { $0 != "\u{0}" }) {
        if scalar.value < 0x20, scalar != "\t", scalar != "\n" {
            stored += String(format: "_x%04X_", scalar.value)
        } else {
            stored.unicodeScalars.append(scalar)
        }
    }
    let pattern = try! NSRegularExpression(pattern: "_x([0-9A-Fa-f]{4})_")
    var result = ""
    var last = stored.startIndex
    for match in pattern.matches(in: stored, range: NSRange(stored.startIndex..., in: stored)) {
        let whole = Range(match.range, in: stored)!
        let hex = String(stored[Range(match.range(at: 1), in: stored)!])
        guard whole.lowerBound >= last, let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) else {
            continue
        }
        result += stored[last..<whole.lowerBound]
        result.unicodeScalars.append(scalar)
        last = whole.upperBound
    }
    return result + stored[last...]
}

/// The parts of an XLSX package, in order.
func unzipParts(_ data: Data) throws -> [(path: String, data: Data)] {
    let archive = try Archive(data: data, accessMode: .read)
    var parts: [(path: String, data: Data)] = []
    for entry in archive {
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        parts.append((entry.path, bytes))
    }
    return parts
}

/// A package of `parts`.
func zipParts(_ parts: [(path: String, data: Data)]) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, bytes) in parts {
        try archive.addEntry(
            with: path,
            type: .file,
            uncompressedSize: Int64(bytes.count),
            compressionMethod: .deflate,
            provider: { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) }
        )
    }
    return try #require(archive.data)
}

/// Reads `data` as a workbook with `XLSXReader` and then as a register.
func readWorkbookRegister(_ data: Data, file: String = "register.xlsx") -> ReadOutcome<[Asset]> {
    outcome { try RegisterImport.readRegister(try XLSXReader.readFirstSheet(data, file: file), today: fuzzToday) }
}

@Suite("Fuzzing the XLSX reader")
struct XLSXFuzzTests {
    @Test func theBaselineWorkbookReadsAsTheOracleSays() throws {
        let assets = try #require(readWorkbookRegister(try registerWorkbook()).value)
        #expect(assets == (try oracleRegister(registerDocument).get()))
    }

    /// One cell replaced by hostile text or an awkward number: the import fails naming that row, or equals the
    /// oracle's reading of the same cell.
    @Test(arguments: 0..<2) func cellMutations(shard: Int) throws {
        var random = FuzzRandom(seed: 0x5EED_0600 + UInt64(shard))
        let tally = FuzzTally()
        let numbers: [Double] = [
            1e308, -0.0, .leastNonzeroMagnitude, 45123.5, 1e15, 123_456_789_012, 0.1 + 0.2, 20_000, 80_000.5, 2.5, 3,
            -1, 1e12, 1e12 + 1, 1e-7, 123.456, 0x1p53 + 2,
        ]
        for iteration in 0..<150 {
            let row = random.int(0..<registerDocument.rows.count)
            let column = random.int(0..<registerDocument.header.count)
            var document = registerDocument
            let cell: WorkbookCell
            if random.chance(0.3) {
                let value = random.pick(numbers)
                cell = .number(value)
                document.rows[row][column] = numberText(value)
            } else {
                let text = random.pick(Hostile.all.filter { $0.utf16.count <= 32_767 })
                cell = .text(text)
                document.rows[row][column] = storedText(text)
            }
            let data = try registerWorkbook(override: [[row, column]: cell])
            checkAgainstOracle(
                readWorkbookRegister(data),
                oracle: oracleRegister(document),
                data: data,
                file: "register.xlsx",
                changedLine: row + 2,
                changedColumn: nil,
                changedValue: nil,
                caseName: "xlsx-cell-\(shard)-\(iteration)",
                tally: tally
            )
        }
        print("xlsx cell mutations, shard \(shard): \(tally.summary)")
        #expect(tally.count("read as the oracle reads it") > 30)
    }

    /// Damaged XML inside a valid package: odd row numbers and references, cell types and values, truncated or
    /// unbalanced parts, entity expansion, relationships pointing outside the package.
    @Test(arguments: 0..<2) func partMutations(shard: Int) throws {
        var random = FuzzRandom(seed: 0x5EED_0700 + UInt64(shard))
        let tally = FuzzTally()
        let baseline = try unzipParts(try registerWorkbook())
        let replacements: [(pattern: String, values: [String])] = [
            (
                #"<row r="[0-9]+""#,
                [
                    #"<row r="0""#, #"<row r="-1""#, #"<row r="9223372036854775807""#,
                    #"<row r="99999999999999999999""#,
                    #"<row r="1048577""#, #"<row r="abc""#, #"<row r="""#, #"<row"#,
                ]
            ),
            (
                #"<c r="[A-Z]+[0-9]+""#,
                [
                    #"<c r="A0""#, #"<c r="XFE1""#, #"<c r="ZZZZZZZZZZZZZZZZ1""#, #"<c r="$A$1""#, #"<c r="1A""#,
                    #"<c r="""#, #"<c r="a1""#, #"<c"#,
                ]
            ),
            (#" t="s""#, [#" t="d""#, #" t="b""#, #" t="e""#, #" t="inlineStr""#, #" t="zz""#, #" t="n""#, ""]),
            (
                #"<v>[^<]*</v>"#,
                [
                    "<v>999999</v>", "<v>-1</v>", "<v>abc</v>", "<v>1e400</v>", "<v>nan</v>", "<v></v>", "<v>  5 </v>",
                    "<v>0x10</v>", "<v>9999999999999999999999</v>", "<v>2024-02-30T00:00:00</v>",
                ]
            ),
            (#" s="[0-9]+""#, [#" s="-1""#, #" s="999999999999999999999""#, #" s="x""#]),
            (
                #"<t>[^<]*</t>"#,
                [
                    "<t>_x0000_</t>", "<t>a_x000D_b</t>", "<t>&#0;</t>", "<t>&#xFFFE;</t>", "<t>&amp;lt;</t>",
                    "<t>\u{1F600}</t>", "<t></t>", "<t>=1+2</t>",
                ]
            ),
            (
                #"Target="[^"]*""#,
                [
                    #"Target="../../../../etc/passwd""#, #"Target="/xl/worksheets/sheet1.xml""#, #"Target="""#,
                    #"Target="http://example.com/x.xml" TargetMode="External""#,
                    #"Target="worksheets/../worksheets/sheet1.xml""#,
                ]
            ),
            (#"numFmtId="[0-9]+""#, [#"numFmtId="14""#, #"numFmtId="-5""#, #"numFmtId="abc""#]),
            (#"<sheet [^>]*/>"#, ["", #"<sheet name="x" sheetId="1" r:id="rId999"/>"#]),
        ]
        for iteration in 0..<150 {
            var parts = baseline
            var kind = ""
            let index = random.int(0..<parts.count)
            var text = String(decoding: parts[index].data, as: UTF8.self)
            switch random.int(0..<5) {
            case 0:
                text = String(text.prefix(random.int(0...text.count)))
                kind = "truncate"
            case 1:
                if let tag = text.range(
                    of: "</",
                    range: text.index(text.startIndex, offsetBy: random.int(0...text.count))..<text.endIndex
                ),
                    let close = text[tag.upperBound...].firstIndex(of: ">")
                {
                    text.removeSubrange(tag.lowerBound...close)
                }
                kind = "unbalance"
            case 2:
                // Entity expansion ("billion laughs"): must be refused, not expanded.
                let entities = (1...9).map {
                    "<!ENTITY e\($0) \"" + String(repeating: "&e\($0 - 1);", count: 10) + "\">"
                }
                let doctype = "<!DOCTYPE x [<!ENTITY e0 \"lol\">\(entities.joined())]>"
                if let declarationEnd = text.range(of: "?>") {
                    text.insert(contentsOf: doctype, at: declarationEnd.upperBound)
                    text = text.replacingOccurrences(of: "<t>asset_id</t>", with: "<t>&e9;</t>")
                }
                kind = "entities"
            default:
                let (pattern, values) = random.pick(replacements)
                let regex = try NSRegularExpression(pattern: pattern)
                let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
                if let match = matches.isEmpty ? nil : random.pick(matches), let range = Range(match.range, in: text) {
                    text.replaceSubrange(range, with: random.pick(values))
                }
                kind = "replace"
            }
            parts[index].data = Data(text.utf8)
            let data = try zipParts(parts)
            let name = "xlsx-part-\(kind)-\(shard)-\(iteration)"
            switch readWorkbookRegister(data) {
            case .read: tally.add("\(kind) read")
            case .invalid(let error):
                tally.add("\(kind) refused")
                for problem in malformations(of: error, files: ["register.xlsx"], lineCount: 1_048_576) {
                    saveFailingCase(name, files: ["register.xlsx": data])
                    Issue.record("\(name): \(problem)")
                }
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error):
                saveFailingCase(name, files: ["register.xlsx": data])
                Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("xlsx part mutations, shard \(shard): \(tally.summary)")
    }

    /// Damage to the ZIP container itself: cut, flipped and inserted bytes.
    @Test func containerMutations() throws {
        var random = FuzzRandom(seed: 0x5EED_0800)
        let tally = FuzzTally()
        let baseline = [UInt8](try registerWorkbook())
        for iteration in 0..<200 {
            var bytes = baseline
            switch random.int(0..<3) {
            case 0: bytes = Array(bytes.prefix(random.int(4...bytes.count)))
            case 1:
                for _ in 0..<random.int(1...4) {
                    bytes[random.int(4..<bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                }
            default: bytes.insert(contentsOf: random.bytes(random.int(1...32)), at: random.int(4...bytes.count))
            }
            let data = Data(bytes)
            let name = "xlsx-zip-\(iteration)"
            switch readWorkbookRegister(data) {
            case .read(let assets):
                tally.add("read")
                // A read after damage must still be the register (the damage hit bytes nothing reads).
                if assets != (try oracleRegister(registerDocument).get()) {
                    saveFailingCase(name, files: ["register.xlsx": data])
                    Issue.record("\(name): misread after damage to the container")
                }
            case .invalid(let error):
                tally.add("refused")
                for problem in malformations(of: error, files: ["register.xlsx"], lineCount: 1_048_576) {
                    Issue.record("\(name): \(problem)")
                }
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error):
                saveFailingCase(name, files: ["register.xlsx": data])
                Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("xlsx container mutations: \(tally.summary)")
        #expect(tally.count("refused") > 100)
    }

    /// The register placed as exports place it: after zero to two other sheets of notes, under up to 24 title rows
    /// (text, a merged title cell, blank rows). Within the first 20 rows its header is found and the register
    /// reads as the oracle says, its rows numbered by the sheet; below row 20, the import is refused naming every
    /// sheet.
    @Test func registersUnderTitleRowsOnAnySheet() throws {
        var random = FuzzRandom(seed: 0x5EED_0800)
        let tally = FuzzTally()
        let expected = try oracleRegister(registerDocument).get()
        let mapping = ColumnMapping(columns: RegisterFile.columns, requiredColumns: RegisterFile.requiredColumns)
        let titles = Hostile.texts.filter { !$0.isEmpty && $0.count <= 200 && !$0.contains("\u{0}") }
        for iteration in 0..<40 {
            let folder = try makeFuzzDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("register.xlsx").path
            let workbook = try Workbook(path: path)
            let otherSheets = random.int(0...2)
            for index in 0..<otherSheets {
                let notes = try workbook.addWorksheet(named: "Notes \(index + 1)")
                for row in 0..<random.int(0...5) {
                    try notes.writeText(random.pick(titles + RegisterFile.columns), row: row, column: 0)
                }
            }
            let sheet = try workbook.addWorksheet(named: "Register")
            let titleRows = random.int(0...24)
            for row in 0..<titleRows where random.chance(0.6) {
                if row == 0, random.chance(0.5) {
                    try sheet.mergeRange(CellRange(rows: 0...0, columns: 0...5), text: "Register exported 01/06/2025")
                } else {
                    try sheet.writeText(random.pick(titles), row: row, column: random.int(0...3))
                }
            }
            for (column, title) in registerDocument.header.enumerated() {
                try sheet.writeText(title, row: titleRows, column: column)
            }
            for (row, fields) in registerDocument.rows.enumerated() {
                for (column, field) in fields.enumerated() where !field.isEmpty {
                    try sheet.writeText(field, row: titleRows + 1 + row, column: column)
                }
            }
            try workbook.close()
            let name = "xlsx-layout-\(iteration)"
            let result = outcome { () throws -> (XLSXReader.Sheet, [Asset]) in
                let read = try XLSXReader.readSheet(
                    contentsOf: URL(fileURLWithPath: path),
                    file: "register.xlsx",
                    named: nil,
                    missingColumns: mapping.missingColumns(inHeader:)
                )
                return (read, try RegisterImport.readRegister(read.table, today: fuzzToday))
            }
            switch result {
            case .read(let (read, assets)):
                tally.add("read")
                #expect(titleRows < XLSXReader.headerSearchRows, "\(name): a header on row \(titleRows + 1) was found")
                #expect(read.name == "Register" && read.headerRow == titleRows + 1, "\(name)")
                #expect(read.table.rows.first?.line == titleRows + 2, "\(name)")
                if assets != expected {
                    saveFailingCase(name, files: ["register.xlsx": try Data(contentsOf: URL(fileURLWithPath: path))])
                    Issue.record("\(name): misread a register under \(titleRows) title rows")
                }
            case .invalid(let error):
                tally.add("refused")
                #expect(titleRows >= XLSXReader.headerSearchRows, "\(name): \(error)")
                #expect(error.issues.count == otherSheets + 2, "\(name): \(error)")
                #expect(error.description.contains("sheet 'Register' lacks asset_id"), "\(name): \(error)")
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error): Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("xlsx layouts: \(tally.summary)")
        #expect(tally.count("read") > 20)
        #expect(tally.count("refused") > 3)
    }
}
