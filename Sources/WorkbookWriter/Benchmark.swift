import Foundation

/// The workbook-writing benchmark that `fleet-bench` runs against the C baseline
/// (`Benchmarks/c-baseline/write_cells.c`): the same cells, written the same way, through this module.
public enum WorkbookWriterBenchmark {
    /// What one run measured.
    public struct Result: Sendable, Hashable {
        /// The number of rows written (12 cells each).
        public var rows: Int
        /// Wall-clock time from creating the workbook to the finished file on disk, in seconds.
        public var seconds: Double
        /// The process's peak resident memory so far, in kilobytes (`getrusage` `ru_maxrss`). It is the peak of the
        /// whole process, never lowered by a later, smaller run: measure one size per process.
        public var peakResidentKilobytes: Int
    }

    /// Writes `rows` rows of 12 cells to a new workbook at `path` in constant-memory mode, exactly as
    /// `write_cells.c` does: 6 text cells `R<row>-C<column> text value`, 5 numbers `(row × 11 + column) × 1.5`
    /// formatted `"£"#,##0`, and 1 date serial `40000 + row mod 9000` formatted `yyyy-mm-dd`.
    ///
    /// - Parameters:
    ///   - rows: Rows to write, at most 1,048,576.
    ///   - path: The workbook to write; its folder must exist.
    /// - Returns: The time taken and the process's peak memory.
    /// - Throws: ``WorkbookError`` when the workbook cannot be written.
    public static func writeCells(rows: Int, path: String) throws -> Result {
        let start = ContinuousClock.now
        let workbook = try Workbook(path: path, constantMemory: true)
        let sheet = try workbook.addWorksheet(named: "Register")
        let money = try workbook.prepare(CellFormat(numberFormat: "\"£\"#,##0"))
        let date = try workbook.prepare(CellFormat(numberFormat: .date))
        var text = TextBuffer()
        for row in 0..<rows {
            for column in 0..<6 {
                text.reset()
                text.append("R")
                text.append(row)
                text.append("-C")
                text.append(column)
                text.append(" text value")
                try text.withCString { try sheet.writeText(cString: $0, row: row, column: column) }
            }
            for column in 6..<11 {
                try sheet.writeNumber(Double(row * 11 + column) * 1.5, row: row, column: column, format: money)
            }
            try sheet.writeNumber(40_000 + Double(row % 9_000), row: row, column: 11, format: date)
        }
        try workbook.close()
        let elapsed = ContinuousClock.now - start
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Result(
            rows: rows,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            peakResidentKilobytes: Int(usage.ru_maxrss)
        )
    }
}

/// A reusable, NUL-terminated byte buffer for building short cell texts without allocating a `String` per cell.
struct TextBuffer {
    private var bytes: [CChar] = []

    init() { bytes.reserveCapacity(64) }

    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { buffer in
            for byte in buffer { bytes.append(CChar(bitPattern: byte)) }
        }
    }

    mutating func append(_ number: Int) {
        guard number != 0 else {
            bytes.append(48)
            return
        }
        var value = number.magnitude
        if number < 0 { bytes.append(45) }
        let start = bytes.count
        while value > 0 {
            bytes.append(CChar(48 + Int(value % 10)))
            value /= 10
        }
        bytes[start...].reverse()
    }

    mutating func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        bytes.append(0)
        defer { bytes.removeLast() }
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
