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
    /// separator (detected from the header), and trailing empty rows. Numbers in a `,` or tab-separated file are
    /// written with a decimal point; in a `;`-separated file (continental Excel), each column's convention is
    /// decided by the evidence in it (``InputTable/numbers(in:)``).
    /// - Throws: ``InvalidInput`` for binary data, an unclosed quote, an oversized field, a row with more
    ///   values than the header, or an empty file.
    public static func parse(_ data: Data, file: String) throws(InvalidInput) -> InputTable {
        let bytes = try decodeToUTF8(data, file: file)
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }) {
            throw InvalidInput(
                InputIssue(file: file, line: nil, problem: "is empty; expected a header row and data rows")
            )
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: line,
                    problem: "contains binary data (a NUL byte); expected a CSV text file"
                )
            )
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
                            file: file,
                            line: record.line,
                            problem: "has \(fields.count) values but the header has \(header.count) columns; "
                                + "expected one value per column (is a separator or quote missing?)"
                        )
                    )
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
            file: file,
            header: header,
            rows: rows,
            numberConvention: separator == UInt8(ascii: ";") ? .decimalComma : .decimalPoint,
            decidesNumbersByEvidence: separator == UInt8(ascii: ";")
        )
    }

    private struct Record {
        var line: Int
        var fields: [String]
    }

    private static func split(_ bytes: [UInt8], separator: UInt8, file: String) throws(InvalidInput) -> [Record] {
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
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
                        file: file,
                        line: recordLine,
                        column: "field \(fields.count + 1)",
                        problem: "is \(field.count) bytes long; expected at most \(maximumFieldBytes)"
                    )
                )
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
                    file: file,
                    line: quoteLine,
                    problem:
                        "has a quoted field that is never closed; expected a closing '\"' before the end of the file"
                )
            )
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
        let comma = counts[UInt8(ascii: ",")]!
        let semicolon = counts[UInt8(ascii: ";")]!
        let tab = counts[UInt8(ascii: "\t")]!
        if tab > comma && tab > semicolon { return UInt8(ascii: "\t") }
        return semicolon > comma ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The text as UTF-8 bytes without a byte-order mark. UTF-16 is converted, with a byte-order mark or without
    /// one (recognised by the header: ASCII names, so every other byte of the first line is zero); bytes that are
    /// not valid UTF-8 are read as Windows-1252, which is what Excel on Windows writes for "CSV".
    /// - Throws: ``InvalidInput`` naming the line when the file mixes UTF-8 text with bytes that are not UTF-8:
    ///   reading it either way would garble some of its text.
    static func decodeToUTF8(_ data: Data, file: String) throws(InvalidInput) -> [UInt8] {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(bytes.dropFirst(3)) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return utf16ToUTF8(bytes.dropFirst(2), littleEndian: bytes[0] == 0xFF)
        }
        if let littleEndian = unmarkedUTF16ByteOrder(bytes) {
            return utf16ToUTF8(bytes[...], littleEndian: littleEndian)
        }
        if String(validating: bytes, as: UTF8.self) != nil { return bytes }
        if let mixed = firstInvalidUTF8BesideValidUTF8(bytes) {
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: mixed.invalidLine,
                    problem: "has a byte (0x\(String(mixed.byte, radix: 16, uppercase: true))) that is not UTF-8, "
                        + "although line \(mixed.utf8Line) is UTF-8 text; expected one encoding throughout "
                        + "(save the file as \"CSV UTF-8\")"
                )
            )
        }
        var text = String()
        text.reserveCapacity(bytes.count)
        for byte in bytes { text.unicodeScalars.append(windows1252(byte)) }
        return Array(text.utf8)
    }

    /// UTF-16 code units (a trailing odd byte, from a cut-off file, becomes U+FFFD) as UTF-8.
    private static func utf16ToUTF8(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let (first, second) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            i += 2
        }
        if i < bytes.endIndex { units.append(0xFFFD) }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    /// The byte order of UTF-16 text written without a byte-order mark (little-endian: true), recognised by its
    /// first line: at least two characters, every one of them ASCII, so one byte of each pair is zero and the
    /// other is not. Nil for anything else.
    private static func unmarkedUTF16ByteOrder(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 4 else { return nil }
        var pairs = 0
        var littleEndian: Bool?
        var index = 0
        while index + 1 < bytes.count {
            let (first, second) = (bytes[index], bytes[index + 1])
            let order: Bool
            if second == 0, first != 0, first < 0x80 {
                order = true
            } else if first == 0, second != 0, second < 0x80 {
                order = false
            } else {
                return nil
            }
            if let littleEndian, littleEndian != order { return nil }
            littleEndian = order
            pairs += 1
            if (order ? first : second) == 0x0A { break }
            index += 2
        }
        return pairs >= 2 ? littleEndian : nil
    }

    /// Where a file that is not valid UTF-8 still holds UTF-8 text: the first byte that is not UTF-8 and the first
    /// well-formed multi-byte UTF-8 sequence, with their lines; nil when there is no multi-byte UTF-8 sequence (a
    /// plain Windows-1252 or Latin-1 file).
    private static func firstInvalidUTF8BesideValidUTF8(
        _ bytes: [UInt8]
    )
        -> (byte: UInt8, invalidLine: Int, utf8Line: Int)?
    {
        var invalid: (byte: UInt8, line: Int)?
        var utf8Line: Int?
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A { line += 1 }
            if byte < 0x80 {
                index += 1
                continue
            }
            let length = utf8SequenceLength(bytes, at: index)
            if length > 0 {
                if utf8Line == nil { utf8Line = line }
                index += length
            } else {
                if invalid == nil { invalid = (byte, line) }
                index += 1
            }
            if let invalid, let utf8Line { return (invalid.byte, invalid.line, utf8Line) }
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates) starting at
    /// `index`, or 0 when there is none.
    private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let (length, secondRange): (Int, ClosedRange<UInt8>) =
            switch lead {
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            default: (0, 0...0)
            }
        guard length > 0, index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
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

    /// One CSV line (without its line end) of `fields`, quoting where needed. With `neutralisingFormulas`, each
    /// field goes through ``neutralised(_:)``, as OWASP advises for CSV exports.
    public static func line(_ fields: [String], neutralisingFormulas: Bool = true) -> String {
        fields.map { field in
            let value = neutralisingFormulas ? neutralised(field) : field
            let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }
            return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }.joined(separator: ",")
    }

    /// `text` made inert for a spreadsheet: a `'` goes before text that a spreadsheet would run as a formula or
    /// command (``isFormulaLike(_:)``), and before such text that already starts with `'`s, so that
    /// ``removingNeutralisingMark(_:)`` gives back exactly `text` (`=1+2` → `'=1+2`, `'=1+2` → `''=1+2`).
    public static func neutralised(_ text: String) -> String {
        isFormulaLike(String(text.drop { $0 == "'" })) ? "'" + text : text
    }

    /// The inverse of ``neutralised(_:)``: `text` without the `'` an export put before formula-like text
    /// (`'=1+2` → `=1+2`); any other text, including other text that starts with `'` (`'quoted'`), is unchanged.
    public static func removingNeutralisingMark(_ text: String) -> String {
        guard text.hasPrefix("'"), isFormulaLike(String(text.drop { $0 == "'" })) else { return text }
        return String(text.dropFirst())
    }

    /// True when a spreadsheet opening `text` would treat it as a formula or command: it starts with `=`, `+`,
    /// `@`, a tab, a carriage return or their full-width forms, or with `-` (plain or full-width) unless it is a
    /// plain number.
    public static func isFormulaLike(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        switch first {
        case "=", "+", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF20}", "\u{FF0D}": return true
        case "-": return Double(text) == nil
        default: return false
        }
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
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
