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
        var widths = columns.map(\.title.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                let isLast = index == columns.count - 1
                parts.append(column.alignment == .right ? pad + cell : (isLast ? cell : cell + pad))
            }
            return parts.joined(separator: "  ")
        }
        var lines = [
            line(columns.map(\.title)), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "),
        ]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
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
