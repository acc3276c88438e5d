import FleetCore
import Foundation

/// Rows of text printed as aligned columns for a terminal, or as CSV; JSON goes through ``printJSON(_:)``.
struct TextTable {
    /// Where a column's text sits.
    enum Alignment {
        case left, right
    }

    /// One column: its title and alignment.
    struct Column {
        var title: String
        var alignment: Alignment = .left

        init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as aligned columns two spaces apart, with a rule under the titles.
    var rendered: String {
        // Each cell's width (in characters) worked out once; ASCII text, the usual case, by its byte count. A
        // national ranking is 20,000 rows.
        let widthsOfRows = rows.map { row in row.map(Self.width) }
        var widths = columns.map { Self.width($0.title) }
        for row in widthsOfRows {
            for (index, width) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], width)
            }
        }
        var text: [UInt8] = []
        text.reserveCapacity((widths.reduce(0, +) + 2 * widths.count + 1) * (rows.count + 2))
        func append(_ cells: [String], _ cellWidths: [Int]) {
            for (index, column) in columns.enumerated() {
                if index > 0 { text.append(contentsOf: [0x20, 0x20]) }
                let cell = index < cells.count ? cells[index] : ""
                let pad = max(0, widths[index] - (index < cellWidths.count ? cellWidths[index] : 0))
                if column.alignment == .right {
                    text.append(contentsOf: repeatElement(0x20, count: pad))
                    text.append(contentsOf: cell.utf8)
                } else {
                    text.append(contentsOf: cell.utf8)
                    if index < columns.count - 1 { text.append(contentsOf: repeatElement(0x20, count: pad)) }
                }
            }
        }
        append(columns.map(\.title), columns.map { Self.width($0.title) })
        text.append(0x0A)
        text.append(contentsOf: widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ").utf8)
        for (row, cellWidths) in zip(rows, widthsOfRows) {
            text.append(0x0A)
            append(row, cellWidths)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The characters of `cell`: its byte count when it is ASCII without a CR (CR LF is one character).
    private static func width(_ cell: String) -> Int {
        let utf8 = cell.utf8
        return utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? utf8.count : cell.count
    }

    /// The table as CSV, with cells that a spreadsheet would run as formulas neutralised.
    var csv: String {
        ([CSV.line(columns.map(\.title))] + rows.map { CSV.line($0) }).joined(separator: "\n")
    }

    /// Prints the table in `format` (JSON is not a table's; callers encode their values for it).
    func print(as format: OutputFormat) {
        switch format {
        case .csv: Swift.print(csv)
        case .table, .json: Swift.print(rendered)
        }
    }
}

/// Prints `value` as pretty JSON with sorted keys on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// A count with thousands separators, `12,346` (FleetCore's ``groupedThousands(_:)``), for counts held as `Double`.
func grouped(_ value: Double) -> String {
    guard value.isFinite else { return "—" }
    guard abs(value) < 9.0e18 else { return String(value) }
    return groupedThousands(Int64(value.rounded()))
}

/// A duration as `12.3 s`.
func secondsText(_ duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    return String(format: "%.1f s", seconds)
}
