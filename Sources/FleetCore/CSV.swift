import Foundation

/// Reads and writes CSV as spreadsheets and clinical systems export it.
public enum CSV {
    /// The longest field accepted, in bytes (Excel's cell limit is 32,767 characters; a field ten times that
    /// is not a register value but a broken file).
    public static let maximumFieldBytes = 327_670

    /// Reads the CSV file at `url`, naming it `displayName` in messages.
    /// - Throws: ``FileFailure`` (exit 2) when it cannot be read, ``InvalidInput`` when it is not CSV.
    public static func read(contentsOf url: URL, displayName: String? = nil) throws -> InputTable {
        let name = displayName ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileFailure(path: name, reason: "cannot be read (\(Self.reason(error)))", exitCode: .invalidInput)
        }
        return try parse(data, file: name)
    }

    /// Parses CSV text: a UTF-8 or UTF-16 byte-order mark, Windows-1252 text (Excel's "CSV" on Windows),
    /// CRLF or LF line ends, quoted fields with separators, quotes and line breaks, `,`, `;` or tab as the
    /// separator (detected from the header; `;` implies decimal commas), and trailing empty rows.
    /// - Throws: ``InvalidInput`` for binary data, an unclosed quote, an oversized field, a row with more
    ///   values than the header, or an empty file.
    public static func parse(_ data: Data, file: String) throws(InvalidInput) -> InputTable {
        let bytes = decodeToUTF8(data)
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }) {
            throw InvalidInput(InputIssue(file: file, line: nil, problem: "is empty; expected a header row and data rows"))
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw InvalidInput(
                InputIssue(file: file, line: line, problem: "contains binary data (a NUL byte); expected a CSV text file"))
        }
        let separator = detectSeparator(bytes)
        var records = try split(bytes, separator: separator, file: file)
        guard let headerIndex = records.firstIndex(where: { !$0.fields.allSatisfy(\.isEmpty) }) else {
            throw InvalidInput(InputIssue(file: file, line: nil, problem: "has no header row"))
        }
        let headerRecord = records[headerIndex]
        var header = headerRecord.fields
        while let last = header.last, last.trimmingWhitespace().isEmpty { header.removeLast() }
        records.removeFirst(headerIndex + 1)

        var issues = InputIssues()
        var rows: [InputTable.Row] = []
        rows.reserveCapacity(records.count)
        for record in records {
            var fields = record.fields
            if fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            if fields.count > header.count {
                if fields[header.count...].allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
                    fields.removeLast(fields.count - header.count)
                } else {
                    issues.append(
                        InputIssue(
                            file: file, line: record.line,
                            problem: "has \(fields.count) values but the header has \(header.count) columns; "
                                + "expected one value per column (is a separator or quote missing?)"))
                    continue
                }
            }
            if fields.count < header.count {
                fields.append(contentsOf: repeatElement("", count: header.count - fields.count))
            }
            rows.append(InputTable.Row(line: record.line, fields: fields))
        }
        try issues.throwIfAny()
        return try InputTable(
            file: file, header: header, rows: rows,
            numberConvention: separator == UInt8(ascii: ";") ? .decimalComma : .decimalPoint)
    }

    private struct Record {
        var line: Int
        var fields: [String]
    }

    private static func split(_ bytes: [UInt8], separator: UInt8, file: String) throws(InvalidInput) -> [Record] {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var inQuotes = false
        var index = 0
        let count = bytes.count
        func endField() throws(InvalidInput) {
            if field.count > maximumFieldBytes {
                throw InvalidInput(
                    InputIssue(
                        file: file, line: recordLine, column: "field \(fields.count + 1)",
                        problem: "is \(field.count) bytes long; expected at most \(maximumFieldBytes)"))
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
            } else if byte == quote && field.allSatisfy({ $0 == 0x20 }) {
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                quoteLine = line
            } else if byte == separator {
                try endField()
            } else if byte == cr || byte == lf {
                if byte == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                try endField()
                records.append(Record(line: recordLine, fields: fields))
                fields.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            } else {
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw InvalidInput(
                InputIssue(
                    file: file, line: quoteLine,
                    problem: "has a quoted field that is never closed; expected a closing '\"' before the end of the file"))
        }
        if !field.isEmpty || !fields.isEmpty {
            try endField()
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }

    /// The separator of the first line: whichever of `,`, `;` and tab occurs most outside quotes.
    private static func detectSeparator(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes, byte == UInt8(ascii: "\n") { break }
            if !inQuotes, counts[byte] != nil { counts[byte]! += 1 }
        }
        let comma = counts[UInt8(ascii: ",")]!, semicolon = counts[UInt8(ascii: ";")]!, tab = counts[UInt8(ascii: "\t")]!
        if tab > comma && tab > semicolon { return UInt8(ascii: "\t") }
        return semicolon > comma ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The text as UTF-8 bytes without a byte-order mark; UTF-16 with a BOM is converted, and bytes that are
    /// not valid UTF-8 are read as Windows-1252, which is what Excel on Windows writes for "CSV".
    static func decodeToUTF8(_ data: Data) -> [UInt8] {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(bytes.dropFirst(3)) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = 2
            while i + 1 < bytes.count {
                units.append(
                    littleEndian
                        ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return Array(String(decoding: units, as: UTF16.self).utf8)
        }
        if String(validating: bytes, as: UTF8.self) != nil { return bytes }
        var text = String()
        text.reserveCapacity(bytes.count)
        for byte in bytes { text.unicodeScalars.append(windows1252(byte)) }
        return Array(text.utf8)
    }

    private static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [
            0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
            0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
            0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
        ]
        if (0x80...0x9F).contains(byte) { return Unicode.Scalar(high[Int(byte - 0x80)])! }
        return Unicode.Scalar(byte)
    }

    /// One CSV line (without its line end) of `fields`, quoting where needed. With `neutralisingFormulas`,
    /// a field that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or CR) gets a
    /// leading `'`, as OWASP advises for CSV exports, unless it is a plain number.
    public static func line(_ fields: [String], neutralisingFormulas: Bool = true) -> String {
        fields.map { field in
            var value = field
            if neutralisingFormulas, isFormulaLike(value) { value = "'" + value }
            let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }
            return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }.joined(separator: ",")
    }

    /// True when a spreadsheet opening `text` would treat it as a formula or command.
    public static func isFormulaLike(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        switch first {
        case "=", "+", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF20}": return true
        case "-": return Double(text) == nil
        default: return false
        }
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}
