import FleetCore
import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a sheet of an XLSX workbook (Office Open XML, ECMA-376) as an ``InputTable``, the way planners keep
/// registers in Excel: the first sheet, a sheet by name, or the first whose header has the columns a file needs
/// (``readSheet(contentsOf:file:named:missingColumns:)``).
///
/// It reads the parts a sheet of values needs and nothing else: the package relationships, the workbook (for
/// sheet order and the 1904 date system), shared strings, the styles (to tell which numbers are dates) and the
/// sheet. Cells may be shared strings, inline strings, numbers, booleans, formula results, errors or ISO dates;
/// empty cells and sparse rows (`<c r="C5">`) are placed by their references. A number shown with a date
/// format becomes an ISO date (`2023-07-17`); any other number is written plainly (`1250000`, `0.25`). Line
/// numbers in messages are the sheet's row numbers.
public enum XLSXReader {
    /// The largest uncompressed part read, in bytes; a bigger one is refused as a likely ZIP bomb (a
    /// 1,048,576-row sheet of a register's width is well under this).
    public static let maximumPartBytes = 512 << 20

    /// The last row of an Excel sheet.
    public static let maximumRows = 1_048_576

    /// The ZIP signature every XLSX file starts with (`PK\u{3}\u{4}`).
    public static let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    /// True when `data` starts like a ZIP archive, which an XLSX workbook is.
    public static func looksLikeXLSX(_ data: Data) -> Bool { data.starts(with: signature) }

    /// The rows searched for a header: a header below them is not looked for (SPEC.md, "Reading real exports").
    public static let headerSearchRows = 20

    /// The sheet read from a workbook, and where its header is.
    public struct Sheet: Sendable {
        /// The table under the header.
        public var table: InputTable
        /// The sheet's name, as the workbook's tabs show it.
        public var name: String
        /// The 1-based row of the header.
        public var headerRow: Int
        /// True when it is the first sheet in workbook order.
        public var isFirst: Bool
    }

    /// The first sheet, by workbook order, of the workbook in `data`, naming it `file` in messages.
    /// - Throws: ``InvalidInput`` when the data is not a readable workbook, a part is malformed or too large,
    ///   the sheet is empty, a row has values beyond the header, or the header repeats a column.
    public static func readFirstSheet(_ data: Data, file: String) throws(InvalidInput) -> InputTable {
        try readSheet(of: try Package(data: data, file: file), named: nil, missingColumns: nil).table
    }

    /// The first sheet of the workbook file at `url`, naming it `file` in messages.
    /// - Throws: ``InvalidInput`` as ``readFirstSheet(_:file:)`` does, and when the file cannot be opened.
    public static func readFirstSheet(contentsOf url: URL, file: String) throws(InvalidInput) -> InputTable {
        try readSheet(of: try Package(url: url, file: file), named: nil, missingColumns: nil).table
    }

    /// The sheet of the workbook in `data` named `sheet` or, without a name, the first in workbook order whose
    /// header has the columns a file needs; the header is the first row, within the first
    /// ``headerSearchRows``, for which `missingColumns` (the required columns a header lacks) is empty. Title
    /// rows, blank rows and merged title cells above it are skipped. Without `missingColumns`, the sheet's first
    /// row with a value is the header.
    /// - Throws: ``InvalidInput`` as ``readFirstSheet(_:file:)`` does; when there is no sheet `sheet` (naming the
    ///   sheets there are); when no sheet has such a header (naming each sheet and what it lacks).
    public static func readSheet(
        _ data: Data,
        file: String,
        named sheet: String?,
        missingColumns: (([String]) -> [String])?
    ) throws(InvalidInput) -> Sheet {
        try readSheet(of: try Package(data: data, file: file), named: sheet, missingColumns: missingColumns)
    }

    /// As ``readSheet(_:file:named:missingColumns:)``, from the workbook file at `url`.
    /// - Throws: as ``readSheet(_:file:named:missingColumns:)`` does, and when the file cannot be opened.
    public static func readSheet(
        contentsOf url: URL,
        file: String,
        named sheet: String?,
        missingColumns: (([String]) -> [String])?
    ) throws(InvalidInput) -> Sheet {
        try readSheet(of: try Package(url: url, file: file), named: sheet, missingColumns: missingColumns)
    }

    private static func readSheet(
        of package: Package,
        named wanted: String?,
        missingColumns: (([String]) -> [String])?
    ) throws(InvalidInput) -> Sheet {
        let file = package.file
        let workbookPath = try package.workbookPath()
        let workbook = try package.parse(workbookPath, with: WorkbookParser())
        guard !workbook.sheets.isEmpty else {
            throw package.invalid("has no worksheet in \(workbookPath); expected a workbook with at least one sheet")
        }
        let relationships = try package.relationships(of: workbookPath)
        var sharedStrings: [String] = []
        if let path = relationships.firstTarget(ofTypeEnding: "/sharedStrings") {
            sharedStrings = try package.parse(path, with: SharedStringsParser(), required: false).strings
        }
        var dateStyles: Set<Int> = []
        if let path = relationships.firstTarget(ofTypeEnding: "/styles") {
            dateStyles = try package.parse(path, with: StylesParser(), required: false).dateStyleIndices
        }
        func rows(ofSheetAt index: Int) throws(InvalidInput) -> [SheetParser.SheetRow] {
            let sheet = workbook.sheets[index]
            guard let sheetPath = relationships.byID[sheet.relationshipID] else {
                throw package.invalid(
                    index == 0
                        ? "names a first sheet (\(sheet.relationshipID)) that \(workbookPath) does not locate"
                        : "names a sheet '\(sheet.name)' (\(sheet.relationshipID)) that \(workbookPath) does not "
                            + "locate"
                )
            }
            let parsed = try package.parse(
                sheetPath,
                with: SheetParser(
                    sharedStrings: sharedStrings,
                    dateStyles: dateStyles,
                    uses1904Dates: workbook.uses1904Dates
                )
            )
            if let problem = parsed.problem {
                throw InvalidInput(InputIssue(file: file, line: problem.line, problem: problem.text))
            }
            return parsed.rows
        }
        func sheet(at index: Int) throws(InvalidInput) -> Sheet? {
            let name = workbook.sheets[index].name
            let sheetRows = try rows(ofSheetAt: index)
            guard let missingColumns else {
                return try firstRowTable(sheetRows, sheet: name, isFirst: index == 0, file: file)
            }
            guard case .found(let position) = headerRow(in: sheetRows, missingColumns: missingColumns) else {
                return nil
            }
            return try table(from: sheetRows, headerIndex: position, sheet: name, isFirst: index == 0, file: file)
        }
        func lack(at index: Int) throws(InvalidInput) -> InputIssue {
            let name = workbook.sheets[index].name
            var problem = "sheet '\(name)' is empty"
            if let missingColumns,
                case .lacking(let lack) = headerRow(in: try rows(ofSheetAt: index), missingColumns: missingColumns)
            {
                problem = "sheet '\(name)' \(lack)"
            }
            return InputIssue(file: file, line: nil, problem: problem)
        }
        let search =
            "expected a header row naming the required columns within a sheet's first \(headerSearchRows) rows"
        if let wanted {
            let key = wanted.trimmingWhitespace().lowercased()
            guard
                let index = workbook.sheets.firstIndex(where: { $0.name == wanted })
                    ?? workbook.sheets.firstIndex(where: { $0.name.trimmingWhitespace().lowercased() == key })
            else {
                let names = workbook.sheets.map { "'\($0.name)'" }.joined(separator: ", ")
                throw package.invalid("has no sheet '\(wanted)'; expected one of its sheets: \(names)")
            }
            if let found = try sheet(at: index) { return found }
            var issue = try lack(at: index)
            issue.problem += "; \(search)"
            throw InvalidInput(issue)
        }
        guard missingColumns != nil else {
            return try sheet(at: 0)!
        }
        var lacks: [InputIssue] = []
        for index in workbook.sheets.indices {
            if let found = try sheet(at: index) { return found }
            lacks.append(try lack(at: index))
        }
        lacks.append(
            InputIssue(
                file: file,
                line: nil,
                problem: "has no sheet with the columns a register or feed needs; \(search), or a sheet named "
                    + "with --sheet NAME and columns named with --columns FILE"
            )
        )
        throw InvalidInput(issues: lacks)
    }

    private enum HeaderSearch {
        case found(Int)
        case lacking(String)
    }

    /// The position in `rows` of the first row within the first ``headerSearchRows`` that `missingColumns`
    /// accepts, or what the closest row lacks.
    private static func headerRow(
        in rows: [SheetParser.SheetRow],
        missingColumns: ([String]) -> [String]
    ) -> HeaderSearch {
        var closest: (row: Int, missing: [String])?
        for (position, row) in rows.enumerated() where row.number <= headerSearchRows {
            let missing = missingColumns(header(of: row))
            if missing.isEmpty { return .found(position) }
            if closest == nil || missing.count < closest!.missing.count { closest = (row.number, missing) }
        }
        guard let closest else { return .lacking("is empty in its first \(headerSearchRows) rows") }
        let place =
            closest.missing.count == missingColumns([]).count
            ? "no row of its first \(headerSearchRows) names any of them" : "its closest header is row \(closest.row)"
        return .lacking("lacks " + closest.missing.joined(separator: ", ") + " (\(place))")
    }

    /// The header cells of `row`, placed by column, without trailing empty ones.
    private static func header(of row: SheetParser.SheetRow) -> [String] {
        var header = Array(repeating: "", count: (row.cells.map(\.column).max() ?? -1) + 1)
        for cell in row.cells { header[cell.column] = cell.text }
        while let last = header.last, last.trimmingWhitespace().isEmpty { header.removeLast() }
        return header
    }

    /// The table of a sheet whose first row with a value is the header.
    private static func firstRowTable(
        _ rows: [SheetParser.SheetRow],
        sheet: String,
        isFirst: Bool,
        file: String
    ) throws(InvalidInput) -> Sheet {
        guard let headerIndex = rows.firstIndex(where: { row in row.cells.contains { !$0.text.isEmpty } }) else {
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: nil,
                    problem: isFirst
                        ? "has an empty first sheet; expected a header row and data rows"
                        : "has an empty sheet '\(sheet)'; expected a header row and data rows"
                )
            )
        }
        return try table(from: rows, headerIndex: headerIndex, sheet: sheet, isFirst: isFirst, file: file)
    }

    /// The table of a sheet's rows under the header at `headerIndex`; values under it are the data.
    private static func table(
        from rows: [SheetParser.SheetRow],
        headerIndex: Int,
        sheet: String,
        isFirst: Bool,
        file: String
    ) throws(InvalidInput) -> Sheet {
        let headerRow = rows[headerIndex]
        let header = header(of: headerRow)

        var issues = InputIssues()
        var dataRows: [InputTable.Row] = []
        dataRows.reserveCapacity(rows.count - headerIndex)
        for row in rows[(headerIndex + 1)...] {
            var fields = Array(repeating: "", count: header.count)
            var isEmpty = true
            for cell in row.cells where !cell.text.trimmingWhitespace().isEmpty {
                isEmpty = false
                if cell.column < header.count {
                    fields[cell.column] = cell.text
                } else {
                    issues.append(
                        InputIssue(
                            file: file,
                            line: row.number,
                            column: columnLetters(cell.column),
                            value: cell.text,
                            problem: "is right of the last header column (\(columnLetters(header.count - 1))); "
                                + "expected a header name above every column with values"
                        )
                    )
                }
            }
            if !isEmpty { dataRows.append(InputTable.Row(line: row.number, fields: fields)) }
        }
        try issues.throwIfAny()
        let table = try InputTable(file: file, header: header, rows: dataRows, numberConvention: .decimalPoint)
        return Sheet(table: table, name: sheet, headerRow: headerRow.number, isFirst: isFirst)
    }

    /// `0` → `A`, `27` → `AB`.
    static func columnLetters(_ index: Int) -> String { spreadsheetColumnLetters(index) }

    /// Text as ECMA-376 stores it in a string (ST_Xstring, Part 1, 22.9.2.19) read back: `_xHHHH_` is the character
    /// U+HHHH (Excel writes a line break inside a cell as `_x000D_`), and `_x005F_` escapes the underscore of a
    /// literal `_xHHHH_`. Anything else is left as written.
    static func unescapedXString(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "_")), text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar.value {
            case 0x30...0x39: scalar.value - 0x30
            case 0x41...0x46: scalar.value - 0x41 + 10
            case 0x61...0x66: scalar.value - 0x61 + 10
            default: nil
            }
        }
        while index < scalars.count {
            if index + 6 < scalars.count, scalars[index] == "_", scalars[index + 1] == "x", scalars[index + 6] == "_" {
                let digits = scalars[(index + 2)..<(index + 6)].compactMap(hexValue)
                if digits.count == 4, let scalar = Unicode.Scalar(digits.reduce(0) { $0 << 4 | $1 }) {
                    out.append(scalar)
                    index += 7
                    continue
                }
            }
            out.append(scalars[index])
            index += 1
        }
        return String(out)
    }

    /// The zero-based column of a cell reference such as `C5` or `$AB$12`; nil when it has no letters or
    /// names a column beyond Excel's last (XFD).
    static func columnIndex(ofReference reference: String) -> Int? {
        var index = 0
        var letterCount = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "$") where letterCount == 0: continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): index = index * 26 + Int(byte - 64)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): index = index * 26 + Int(byte - 96)
            default: return letterCount > 0 ? index - 1 : nil
            }
            letterCount += 1
            if index > 16_384 { return nil }
        }
        return letterCount > 0 ? index - 1 : nil
    }
}

// MARK: - The package

/// The ZIP container and its parts.
private struct Package {
    let archive: Archive
    let file: String

    /// The package in the file at `url`.
    init(url: URL, file: String) throws(InvalidInput) {
        self.file = file
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw Package.damaged(file)
        }
    }

    /// The package in `data`, read through a temporary copy: ZIPFoundation's in-memory archive traps when an
    /// entry's offset points past the end of the data (weichsel/ZIPFoundation#394, found by FleetFuzzTests), where
    /// its file-backed archive reads end-of-file. The copy is unlinked as soon as it is open.
    init(data: Data, file: String) throws(InvalidInput) {
        self.file = file
        var template = Array((NSTemporaryDirectory() + "/fleet-xlsx-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard descriptor >= 0 else { throw Package.noWorkingCopy(file, reason: String(cString: strerror(errno))) }
        defer {
            unlink(path)
            close(descriptor)
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
        guard written else { throw Package.noWorkingCopy(file, reason: String(cString: strerror(errno))) }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Package.damaged(file)
        }
    }

    private static func damaged(_ file: String) -> InvalidInput {
        InvalidInput(
            InputIssue(
                file: file,
                line: nil,
                problem: "is not a readable XLSX workbook (its ZIP container is damaged); "
                    + "expected an .xlsx file saved by Excel or LibreOffice"
            )
        )
    }

    private static func noWorkingCopy(_ file: String, reason: String) -> InvalidInput {
        InvalidInput(
            InputIssue(
                file: file,
                line: nil,
                problem: "could not be read: a working copy could not be written to the temporary folder "
                    + "\(NSTemporaryDirectory()) (\(reason)); set TMPDIR to a writable folder with room"
            )
        )
    }

    func invalid(_ problem: String) -> InvalidInput {
        InvalidInput(InputIssue(file: file, line: nil, problem: problem))
    }

    /// The bytes of the part at `path`, or nil when the package has none.
    func data(_ path: String) throws(InvalidInput) -> Data? {
        guard let entry = archive[path] else { return nil }
        struct TooLarge: Error {}
        var bytes = Data()
        do {
            _ = try archive.extract(entry) { chunk in
                bytes.append(chunk)
                if bytes.count > XLSXReader.maximumPartBytes { throw TooLarge() }
            }
        } catch is TooLarge {
            throw invalid(
                "has a part \(path) of over \(XLSXReader.maximumPartBytes >> 20) MB uncompressed; expected a register "
                    + "sheet (is the file a ZIP bomb?)"
            )
        } catch {
            throw invalid("has a damaged part \(path) (\(error)); expected an .xlsx file saved by Excel or LibreOffice")
        }
        return bytes
    }

    /// Parses the part at `path` with `parser`; a missing optional part gives the parser's empty result.
    func parse<Parser: PartParser>(
        _ path: String,
        with parser: Parser,
        required: Bool = true
    ) throws(InvalidInput)
        -> Parser
    {
        guard let bytes = try data(path) else {
            if required { throw invalid("has no part \(path); expected an .xlsx file saved by Excel or LibreOffice") }
            return parser
        }
        // Fed as a stream, libxml2 gets the part in chunks: given a part of over 10 MB in one piece (a sheet of
        // some 20,000 rows), it stops with "huge input lookup" (XML_MAX_LOOKUP_LIMIT) unless XML_PARSE_HUGE is
        // set, which XMLParser does not offer.
        let xml = XMLParser(stream: InputStream(data: bytes))
        xml.shouldProcessNamespaces = false
        xml.shouldResolveExternalEntities = false
        xml.delegate = parser
        guard xml.parse() else {
            let code = xml.parserError.map { " \(($0 as NSError).code)" } ?? ""
            throw invalid(
                "has a malformed part \(path) (XML error\(code) at line \(xml.lineNumber), "
                    + "column \(xml.columnNumber)); expected well-formed XML as Excel or LibreOffice writes it"
            )
        }
        return parser
    }

    /// The workbook part named by the package relationships (`xl/workbook.xml` in every known writer).
    func workbookPath() throws(InvalidInput) -> String {
        let root = try relationships(of: "")
        if let path = root.firstTarget(ofTypeEnding: "/officeDocument") { return path }
        if archive["xl/workbook.xml"] != nil { return "xl/workbook.xml" }
        throw invalid(
            "is a ZIP file but not an XLSX workbook (it has no workbook part); expected an .xlsx file saved by Excel "
                + "or LibreOffice (an .ods or .xlsb must be saved as .xlsx or CSV first)"
        )
    }

    /// The relationships of the part at `path` (`""` for the package's own), with targets resolved to
    /// package paths.
    func relationships(of path: String) throws(InvalidInput) -> Relationships {
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        let parser = try parse(relsPath, with: RelationshipsParser(), required: false)
        var result = Relationships()
        for relationship in parser.relationships {
            let target = Self.resolve(relationship.target, from: folder)
            result.byID[relationship.id] = target
            result.ordered.append((relationship.type, target))
        }
        return result
    }

    /// `worksheets/sheet1.xml` from `xl` → `xl/worksheets/sheet1.xml`; `/xl/x.xml` → `xl/x.xml`; `..` resolved.
    static func resolve(_ target: String, from folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for part in target.split(separator: "/") {
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
            } else if part != "." {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}

/// A part's relationships: id → target, and (type, target) in document order.
private struct Relationships {
    var byID: [String: String] = [:]
    var ordered: [(type: String, target: String)] = []

    func firstTarget(ofTypeEnding suffix: String) -> String? { ordered.first { $0.type.hasSuffix(suffix) }?.target }
}

// MARK: - Part parsers

/// An XML event handler for one part; element names arrive without their namespace prefix.
private class PartParser: NSObject, XMLParserDelegate {
    func start(_ name: Substring, _ attributes: [String: String]) {}
    func end(_ name: Substring) {}
    func text(_ text: String) {}

    final func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        start(Self.localName(elementName), attributes)
    }

    final func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?
    ) {
        end(Self.localName(elementName))
    }

    final func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

    final func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text(String(decoding: CDATABlock, as: UTF8.self))
    }

    static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    /// The value of the attribute `name` whatever its namespace prefix (`r:id`, `ns2:id`).
    static func attribute(_ name: String, prefixed: Bool, in attributes: [String: String]) -> String? {
        if !prefixed { return attributes[name] }
        return attributes.first { key, _ in key.hasSuffix(":" + name) }?.value
    }
}

/// `_rels/*.rels`: `<Relationship Id Type Target>`.
private final class RelationshipsParser: PartParser {
    var relationships: [(id: String, type: String, target: String)] = []

    override func start(_ name: Substring, _ attributes: [String: String]) {
        guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"],
            attributes["TargetMode"] != "External"
        else { return }
        relationships.append((id, attributes["Type"] ?? "", target))
    }
}

/// `xl/workbook.xml`: the sheets in workbook order and the date system.
private final class WorkbookParser: PartParser {
    var sheets: [(name: String, relationshipID: String)] = []
    var uses1904Dates = false

    override func start(_ name: Substring, _ attributes: [String: String]) {
        switch name {
        case "sheet":
            if let id = Self.attribute("id", prefixed: true, in: attributes) {
                sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", id))
            }
        case "workbookPr":
            uses1904Dates = ["1", "true"].contains(attributes["date1904"]?.lowercased() ?? "")
        default: break
        }
    }
}

/// `xl/sharedStrings.xml`: each `<si>` is the text of its `<t>` elements, without phonetic runs (`<rPh>`).
private final class SharedStringsParser: PartParser {
    var strings: [String] = []
    private var current = ""
    private var isInText = false
    private var phoneticDepth = 0

    override func start(_ name: Substring, _ attributes: [String: String]) {
        switch name {
        case "si": current = ""
        case "t": isInText = phoneticDepth == 0
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    override func end(_ name: Substring) {
        switch name {
        case "si": strings.append(XLSXReader.unescapedXString(current))
        case "t": isInText = false
        case "rPh": phoneticDepth -= 1
        default: break
        }
    }

    override func text(_ text: String) { if isInText { current += text } }
}

/// `xl/styles.xml`: which cell formats (`<cellXfs>` entries, by index) show numbers as dates.
private final class StylesParser: PartParser {
    private var customFormats: [Int: String] = [:]
    private var cellFormatIDs: [Int] = []
    private var isInCellFormats = false

    /// Indices of the `s` attribute of a cell whose number is a date.
    var dateStyleIndices: Set<Int> {
        var result: Set<Int> = []
        for (index, formatID) in cellFormatIDs.enumerated() {
            if let code = customFormats[formatID] {
                if Self.isDateFormat(code) { result.insert(index) }
            } else if Self.builtInDateFormats.contains(formatID) {
                result.insert(index)
            }
        }
        return result
    }

    /// ECMA-376 Part 1, 18.8.30: the built-in number formats that show dates (14–17, 22; 27–36 and 50–58 in East
    /// Asian locales). Times alone (18–21, 45–47) are not dates.
    static let builtInDateFormats: Set<Int> = Set([14, 15, 16, 17, 22]).union(27...36).union(50...58)

    /// True when a custom format code shows a day, month or year: it has `d` or `y` outside quoted text,
    /// escapes and `[...]` sections (`m` alone could be minutes).
    static func isDateFormat(_ code: String) -> Bool {
        var isQuoted = false
        var isBracketed = false
        var isEscaped = false
        for character in code {
            if isEscaped {
                isEscaped = false
                continue
            }
            switch character {
            case "\"": isQuoted.toggle()
            case "\\" where !isQuoted: isEscaped = true
            case "[" where !isQuoted: isBracketed = true
            case "]" where !isQuoted: isBracketed = false
            case _ where !isQuoted && !isBracketed && "dDyY".contains(character): return true
            default: break
            }
        }
        return false
    }

    override func start(_ name: Substring, _ attributes: [String: String]) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs": isInCellFormats = true
        case "xf" where isInCellFormats: cellFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default: break
        }
    }

    override func end(_ name: Substring) { if name == "cellXfs" { isInCellFormats = false } }
}

/// A worksheet part: each row's non-empty cells as text, placed by their references.
private final class SheetParser: PartParser {
    struct Cell {
        var column: Int
        var text: String
    }

    struct SheetRow {
        var number: Int
        var cells: [Cell]
    }

    private(set) var rows: [SheetRow] = []
    /// The first problem found, if any (a bad reference, a shared string out of range).
    private(set) var problem: (line: Int, text: String)?

    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let dateOrigin: Day

    private var row = SheetRow(number: 0, cells: [])
    private var nextColumn = 0
    private var cellColumn = 0
    private var cellType = ""
    private var cellStyle = 0
    private var value = ""
    private var isInValue = false
    private var isInInlineString = false
    private var isInInlineText = false
    private var phoneticDepth = 0

    init(sharedStrings: [String], dateStyles: Set<Int>, uses1904Dates: Bool) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        // Serial 0 is 1899-12-30 in the 1900 system (so that Lotus's phantom 1900-02-29 keeps later serials
        // right), and 1904-01-01 in the 1904 system.
        dateOrigin = uses1904Dates ? Day(year: 1904, month: 1, day: 1)! : Day.excelSerialOrigin
    }

    override func start(_ name: Substring, _ attributes: [String: String]) {
        switch name {
        case "row":
            var number = row.number + 1
            if let written = attributes["r"] {
                // Excel's sheets have rows 1 to 1,048,576; any other number is a damaged part (and a huge one
                // would overflow the count of the rows that follow it).
                if let value = Int(written.trimmingWhitespace()), (1...XLSXReader.maximumRows).contains(value) {
                    number = value
                } else if problem == nil {
                    problem = (
                        min(number, XLSXReader.maximumRows),
                        "has a row number '\(written)'; expected a row from 1 to \(XLSXReader.maximumRows)"
                    )
                }
            }
            row = SheetRow(number: min(number, XLSXReader.maximumRows), cells: [])
            nextColumn = 0
        case "c":
            if let reference = attributes["r"] {
                guard let column = XLSXReader.columnIndex(ofReference: reference) else {
                    fail("has a cell reference '\(reference)' that is not a valid cell; expected references such as C5")
                    cellColumn = nextColumn
                    break
                }
                cellColumn = column
            } else {
                cellColumn = nextColumn
            }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
            value = ""
        case "v":
            isInValue = true
        case "is":
            isInInlineString = true
        case "t" where isInInlineString:
            isInInlineText = phoneticDepth == 0
        case "rPh":
            phoneticDepth += 1
        default:
            break
        }
    }

    override func end(_ name: Substring) {
        switch name {
        case "v": isInValue = false
        case "t": isInInlineText = false
        case "is": isInInlineString = false
        case "rPh": phoneticDepth -= 1
        case "c":
            let text = cellText()
            if !text.isEmpty { row.cells.append(Cell(column: cellColumn, text: text)) }
            nextColumn = cellColumn + 1
        case "row":
            if !row.cells.isEmpty { rows.append(row) }
        default:
            break
        }
    }

    override func text(_ text: String) {
        if isInValue || isInInlineText { value += text }
    }

    private func fail(_ text: String) {
        if problem == nil { problem = (row.number, text) }
    }

    /// The cell's value as the text a user would see typed in it.
    private func cellText() -> String {
        switch cellType {
        case "s":
            guard let index = Int(value.trimmingWhitespace()), sharedStrings.indices.contains(index) else {
                fail("has a cell \(XLSXReader.columnLetters(cellColumn))\(row.number) whose shared string is missing")
                return ""
            }
            return sharedStrings[index]
        case "inlineStr", "str":
            return XLSXReader.unescapedXString(value)
        case "e":
            return value
        case "b":
            return value.trimmingWhitespace() == "1" ? "true" : "false"
        case "d":
            // An ISO 8601 date or date-time: its date.
            return String(value.trimmingWhitespace().prefix { $0 != "T" })
        default:
            return numberText(value.trimmingWhitespace())
        }
    }

    /// A number as plain text: whole numbers without a decimal point, others in their shortest exact form,
    /// and dates (numbers with a date format) as ISO days.
    private func numberText(_ raw: String) -> String {
        guard !raw.isEmpty, let number = Double(raw), number.isFinite else { return raw }
        if dateStyles.contains(cellStyle), number >= 61, number < 2_958_466 {
            return dateOrigin.adding(days: Int(number.rounded(.down))).iso
        }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }
}
