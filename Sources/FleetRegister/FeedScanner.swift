import FleetCore
import Foundation

/// Reads a plain CSV utilisation feed on its bytes (see ``UtilisationFeedFile``): comma-separated ASCII without
/// quotes, lines ending LF or CRLF, the header on the first line. Each cell in its plain form (`T001-CT-0001`,
/// `2026-03`, `412`) is read on the spot; any other cell goes through the column's general reader. The scan gives
/// up, for the general reader to take the whole file, at anything else: a quote, a byte outside ASCII, a NUL, a
/// lone CR, a row longer than the header, a missing required column, a value the general reader refuses.
enum FeedScanner {
    /// The prepared header and the scanned rows of `data`, or nil when the general reader must read it. With
    /// `rows`, the records are also handed to it as they are read, ``FeedRows/chunkSize`` at a time (the last
    /// chunk only when the scan succeeds; the caller ends the hand-over).
    static func scan(
        _ data: Data,
        displayName: String,
        options: ImportOptions,
        handingTo rows: FeedRows? = nil
    ) -> (PreparedTable, ScannedFeed)? {
        guard options.sheet == nil, options.numberConvention != .decimalComma, !XLSXReader.looksLikeXLSX(data),
            !data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]),
            !["xlsx", "xlsm"].contains(URL(fileURLWithPath: displayName).pathExtension.lowercased())
        else { return nil }
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress else { return nil }
            var scanner = Scanner(base: base, count: bytes.count, file: displayName)
            return scanner.run(options: options, handingTo: rows)
        }
    }

    /// What a column's cells are read as.
    private enum Role: Int {
        case assetID = 0
        case month
        case scans
        case availableHours
        case downtimeHours
        case breakdowns
        case serviceCost
    }

    private struct Scanner {
        let base: UnsafePointer<UInt8>
        let count: Int
        let file: String
        /// Each cell of the current row by role: its start and end offsets, or -1 when the row has none.
        var starts = [Int](repeating: -1, count: 7)
        var ends = [Int](repeating: -1, count: 7)
        var interner = AssetInterner()

        init(base: UnsafePointer<UInt8>, count: Int, file: String) {
            self.base = base
            self.count = count
            self.file = file
        }

        mutating func run(options: ImportOptions, handingTo rows: FeedRows?) -> (PreparedTable, ScannedFeed)? {
            var start = 0
            if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { start = 3 }
            // The header: the first line, comma-separated by the rule CSV.parse decides the separator by.
            var headerEnd = start
            var (commas, semicolons, tabs) = (0, 0, 0)
            while headerEnd < count, base[headerEnd] != 0x0A {
                switch base[headerEnd] {
                case 0x22, 0x00, 0x80...0xFF: return nil
                case 0x0D: if headerEnd + 1 < count, base[headerEnd + 1] == 0x0A { break } else { return nil }
                case 0x2C: commas += 1
                case 0x3B: semicolons += 1
                case 0x09: tabs += 1
                default: break
                }
                headerEnd += 1
            }
            guard !(tabs > commas && tabs > semicolons), semicolons <= commas else { return nil }
            let lineEnd = headerEnd > start && base[headerEnd - 1] == 0x0D ? headerEnd - 1 : headerEnd
            guard (start..<lineEnd).contains(where: { base[$0] != 0x2C && base[$0] != 0x20 }) else { return nil }
            let header = Data(bytes: base + start, count: lineEnd - start)
            guard let headerTable = try? CSV.parse(header, file: file),
                let prepared = try? RegisterImport.prepare(
                    headerTable,
                    sheet: nil,
                    kind: "utilisation",
                    options: options
                ),
                UtilisationFile.requiredColumns.allSatisfy(prepared.table.hasColumn)
            else { return nil }
            let table = prepared.table
            let columns = UtilisationColumns(table)
            let width = table.columns.count
            var roles = [Int](repeating: -1, count: width)
            for (role, name) in UtilisationFile.columns.enumerated() {
                if let position = table.index(of: name) { roles[position] = role }
            }
            guard UtilisationFile.columns.count == 7 else { return nil }

            var records: [UtilisationRecord] = []
            records.reserveCapacity(count / 32)
            var assetIndex: [Int32] = []
            assetIndex.reserveCapacity(count / 32)
            var position = headerEnd + 1
            var line = 2
            var handed = 0
            while position < count {
                // One line: its cells by role.
                for role in 0..<7 { starts[role] = -1 }
                var field = 0
                var cellStart = position
                var cursor = position
                var anyValue = false
                var next = count
                var lineEnds = false
                while !lineEnds {
                    var cellEnd = cursor
                    if cursor == count {
                        lineEnds = true
                    } else {
                        let byte = base[cursor]
                        if byte == 0x2C {
                            cursor += 1
                        } else if byte == 0x0A {
                            lineEnds = true
                            next = cursor + 1
                        } else if byte == 0x0D {
                            guard cursor + 1 < count, base[cursor + 1] == 0x0A else { return nil }
                            lineEnds = true
                            next = cursor + 2
                        } else {
                            guard byte != 0x22, byte != 0, byte < 0x80 else { return nil }
                            cursor += 1
                            continue
                        }
                    }
                    if !lineEnds { cellEnd = cursor - 1 }
                    guard cellEnd - cellStart <= CSV.maximumFieldBytes else { return nil }
                    if cellEnd > cellStart { anyValue = true }
                    if field < width {
                        let role = roles[field]
                        if role >= 0 {
                            starts[role] = cellStart
                            ends[role] = cellEnd
                        }
                    } else if cellEnd > cellStart {
                        return nil
                    }
                    field += 1
                    cellStart = cursor
                }
                position = next
                defer { line += 1 }
                // A line of nothing but separators is an empty row, which the general reader skips too.
                guard anyValue else { continue }
                guard let (record, index) = readRecord(columns: columns, line: line) else { return nil }
                records.append(record)
                assetIndex.append(index)
                if let rows, records.count - handed == FeedRows.chunkSize {
                    rows.hand(Array(records[handed...]))
                    handed = records.count
                }
            }
            if let rows, handed < records.count { rows.hand(Array(records[handed...])) }
            return (
                prepared,
                ScannedFeed(records: records, assets: interner.assets, assetIndex: assetIndex)
            )
        }

        /// The record of the current row, or nil when a value is not one the general reader accepts.
        private mutating func readRecord(columns: UtilisationColumns, line: Int) -> (UtilisationRecord, Int32)? {
            var issues = InputIssues()
            let index: Int32
            let idStart = starts[Role.assetID.rawValue]
            let idEnd = ends[Role.assetID.rawValue]
            if idStart >= 0, idEnd > idStart, isPlainIdentifier(idStart, idEnd) {
                index = interner.index(of: UnsafeBufferPointer(start: base + idStart, count: idEnd - idStart))
            } else {
                guard
                    var text = columns.id.value(
                        ofCell: text(.assetID),
                        line: line,
                        file: file,
                        required: true,
                        issues: &issues
                    )
                else { return nil }
                index = text.withUTF8 { interner.index(of: $0) }
            }
            let scansRange = 0...10_000_000
            guard
                let month = value(.month, columns.month, line, &issues, fast: { yearMonth($0, $1) }),
                let scans = value(
                    .scans,
                    columns.scans,
                    line,
                    &issues,
                    fast: { digits($0, $1, 9).flatMap { scansRange.contains($0) ? $0 : nil } }
                )
            else { return nil }
            let available = value(.availableHours, columns.available, line, &issues, fast: { hours($0, $1) })
            let downtime = value(.downtimeHours, columns.downtime, line, &issues, fast: { hours($0, $1) })
            let breakdowns = value(
                .breakdowns,
                columns.breakdowns,
                line,
                &issues,
                fast: { digits($0, $1, 9).flatMap { $0 <= 10_000 ? $0 : nil } }
            )
            let serviceCost = value(
                .serviceCost,
                columns.serviceCost,
                line,
                &issues,
                fast: { digits($0, $1, 12).map { GBP(Double($0)) } }
            )
            guard issues.isEmpty else { return nil }
            return (
                UtilisationRecord(
                    assetID: interner.assets[Int(index)],
                    month: month,
                    scans: scans,
                    availableHours: available,
                    downtimeHours: downtime,
                    breakdowns: breakdowns,
                    serviceCostGBP: serviceCost
                ),
                index
            )
        }

        /// The value of the cell of `role`: nil when the row has none or it is empty, else `fast`'s reading, else
        /// the general reader's (which records an issue when it refuses the cell).
        private func value<Value>(
            _ role: Role,
            _ reader: ColumnReader<Value>,
            _ line: Int,
            _ issues: inout InputIssues,
            fast: (Int, Int) -> Value?
        ) -> Value? {
            let start = starts[role.rawValue]
            let end = ends[role.rawValue]
            guard start >= 0, end > start else { return nil }
            if let value = fast(start, end) { return value }
            return reader.value(ofCell: text(role), line: line, file: file, issues: &issues)
        }

        /// The cell of `role` as written, for its general reader ("" when the row has none).
        private func text(_ role: Role) -> String {
            let start = starts[role.rawValue]
            guard start >= 0 else { return "" }
            return String(
                decoding: UnsafeBufferPointer(start: base + start, count: ends[role.rawValue] - start),
                as: UTF8.self
            )
        }

        /// An identifier with nothing to trim or take off: visible ASCII at both ends, no `'` first, no control
        /// character, at most 200 bytes.
        private func isPlainIdentifier(_ start: Int, _ end: Int) -> Bool {
            guard end - start <= 200, isVisible(base[start]), isVisible(base[end - 1]), base[start] != 0x27 else {
                return false
            }
            for offset in start..<end where base[offset] < 0x20 || base[offset] == 0x7F { return false }
            return true
        }

        private func isVisible(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

        /// 1 to `maximumCount` ASCII digits.
        private func digits(_ start: Int, _ end: Int, _ maximumCount: Int) -> Int? {
            guard end > start, end - start <= maximumCount else { return nil }
            var value = 0
            for offset in start..<end {
                let digit = base[offset] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }

        /// Hours as plain digits, 0 to 744.
        private func hours(_ start: Int, _ end: Int) -> Double? {
            guard let value = digits(start, end, 3), value <= 744 else { return nil }
            return Double(value)
        }

        /// `YYYY-MM`.
        private func yearMonth(_ start: Int, _ end: Int) -> YearMonth? {
            guard end - start == 7, base[start + 4] == 0x2D, let year = digits(start, start + 4, 4),
                let month = digits(start + 5, end, 2)
            else { return nil }
            return YearMonth(year: year, month: month)
        }
    }
}

/// Asset identifiers by their UTF-8 bytes, each made a string once: an open-addressing table of positions in
/// ``assets``, the bytes kept in one buffer.
struct AssetInterner {
    private(set) var assets: [AssetID] = []
    private var bytes: [UInt8] = []
    private var ranges: [(start: Int, count: Int)] = []
    private var slots = [Int32](repeating: -1, count: 1024)
    private var last: Int32 = -1

    /// The position in ``assets`` of the identifier with these bytes, added when new.
    mutating func index(of key: UnsafeBufferPointer<UInt8>) -> Int32 {
        if last >= 0, equals(Int(last), key) { return last }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[slot] >= 0 {
            if equals(Int(slots[slot]), key) {
                last = slots[slot]
                return last
            }
            slot = (slot + 1) & mask
        }
        let index = Int32(assets.count)
        slots[slot] = index
        ranges.append((bytes.count, key.count))
        bytes.append(contentsOf: key)
        assets.append(AssetID(String(decoding: key, as: UTF8.self)))
        last = index
        if assets.count * 2 > slots.count { grow() }
        return index
    }

    private func equals(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = ranges[index]
        guard range.count == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            guard let storedBase = stored.baseAddress, let keyBase = key.baseAddress else { return range.count == 0 }
            return memcmp(storedBase + range.start, keyBase, range.count) == 0
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for index in assets.indices {
            let range = ranges[index]
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for offset in range.start..<range.start + range.count {
                hash = (hash ^ UInt64(bytes[offset])) &* 0x0000_0100_0000_01B3
            }
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
