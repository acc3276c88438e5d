import FleetCore
import WorkbookWriter

/// The Savings by network and trust sheet: every trust's cost alone, its Shapley share of its network's savings and
/// that share as a fraction of the network's savings (a formula over the Networks sheet), trusts grouped by network.
/// The Networks sheet sums each network's rows here, so a network's trusts are contiguous.
enum NetworkSavingsSheet: NationalSheet {
    static let name = "Savings by network and trust"

    /// The sheet's columns.
    enum Column: Int, CaseIterable {
        case network, trust, standaloneCost, shapleyShare, shareOfNetwork, costAfter

        var title: String {
            switch self {
            case .network: "Network"
            case .trust: "Trust"
            case .standaloneCost: "Cost alone (NPC)"
            case .shapleyShare: "Shapley share of the network's savings"
            case .shareOfNetwork: "Share of the network's savings"
            case .costAfter: "Cost after joint buying (Shapley)"
            }
        }
    }

    /// Where the trusts stand: a header row, a row a trust, network by network, then the national total.
    struct Layout {
        static let headerRow = 3
        /// The trusts' rows (one row even when there are none, for the formulas' ranges).
        var rows: BlockRows
        /// The national total's row.
        var totalRow: Int { rows.last + 1 }

        init(_ figures: NationalFigures) { rows = BlockRows(header: Self.headerRow, count: figures.trustLines.count) }

        /// The absolute range, qualified by the sheet's name, of `column` over the trust lines at `lines`; nil when
        /// there are none.
        func range(_ column: Column, lines: Range<Int>) -> String? {
            guard !lines.isEmpty else { return nil }
            return CellRange(
                rows: (rows.first + lines.lowerBound)...(rows.first + lines.upperBound - 1),
                column: column.rawValue
            ).qualified(sheet: name)
        }
    }

    static func write(in context: NationalContext) throws {
        let figures = context.figures
        let layout = Layout(figures)
        let networks = NetworksSheet.Layout(figures)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.procurement)
        sheet.setMaximumWidth(40, column: Column.network.rawValue)
        sheet.setMaximumWidth(48, column: Column.trust.rawValue)
        try sheet.title("Savings by network and trust")
        try sheet.notes(
            "Each network's savings split between its trusts by Shapley value: each trust's average marginal saving "
                + "over every order in which the network's trusts could join.",
            "A trust shares only in its own network's savings; networks do not buy together."
        )
        let headerRow = Layout.headerRow
        let numeric = Set(Column.standaloneCost.rawValue...Column.costAfter.rawValue)
        try sheet.header(Column.allCases.map(\.title), row: headerRow, rightAligned: numeric)
        for (offset, line) in figures.trustLines.enumerated() {
            let r = layout.rows.first + offset
            let x = r + 1
            let networkSavings = networks.cell(.savings, network: line.network).qualified(sheet: NetworksSheet.name)
            try sheet.text(figures.networks[line.network].name, row: r, column: Column.network.rawValue)
            try sheet.text(line.trust.rawValue, row: r, column: Column.trust.rawValue)
            try sheet.number(line.standaloneCostGBP, row: r, column: Column.standaloneCost.rawValue, format: Style.gbp)
            try sheet.number(line.shapleyShareGBP, row: r, column: Column.shapleyShare.rawValue, format: Style.gbp)
            try sheet.formula(
                "=IF(\(networkSavings)=0,0,D\(x)/\(networkSavings))",
                value: line.shareOfNetworkSavings,
                row: r,
                column: Column.shareOfNetwork.rawValue,
                format: Style.percent
            )
            try sheet.formula(
                "=C\(x)-D\(x)",
                value: line.costAfterGBP,
                row: r,
                column: Column.costAfter.rawValue,
                format: Style.gbp
            )
        }
        if !figures.trustLines.isEmpty {
            // Before the total row: in constant-memory mode a filter must reach the row being written.
            try sheet.sheet.setAutofilter(
                CellRange(rows: headerRow...layout.rows.last, columns: 0...Column.costAfter.rawValue)
            )
        }
        let r = layout.totalRow
        let total = Style.gbpTotal
        try sheet.text("All networks", row: r, column: Column.network.rawValue, format: Style.totalLabel)
        try sheet.sheet.writeBlank(row: r, column: Column.trust.rawValue, format: Style.totalLabel)
        let sums: [(Column, Double)] = [
            (.standaloneCost, figures.trustLines.reduce(0) { $0 + $1.standaloneCostGBP }),
            (.shapleyShare, figures.trustLines.reduce(0) { $0 + $1.shapleyShareGBP }),
        ]
        for (column, value) in sums {
            try sheet.formula(
                "=SUM(\(layout.rows.cells(column: column.rawValue).a1))",
                value: value,
                row: r,
                column: column.rawValue,
                format: total
            )
        }
        let nationalSavings = networks.totalCell(.savings).qualified(sheet: NetworksSheet.name)
        try sheet.formula(
            "=IF(\(nationalSavings)=0,0,D\(r + 1)/\(nationalSavings))",
            value: figures.totals.savingsGBP == 0 ? 0 : sums[1].1 / figures.totals.savingsGBP,
            row: r,
            column: Column.shareOfNetwork.rawValue,
            format: Style.percent.bold().topBorder(.thin)
        )
        try sheet.formula(
            "=C\(r + 1)-D\(r + 1)",
            value: sums[0].1 - sums[1].1,
            row: r,
            column: Column.costAfter.rawValue,
            format: total
        )
        try sheet.text(
            "The Shapley shares of a network add up to its savings on the Networks sheet; the total row's share is "
                + "of the national savings.",
            row: r + 2,
            column: 0,
            format: Style.subtitle,
            measured: false
        )
        try sheet.finish(
            context.labels.page(frozenRows: headerRow + 1, frozenColumns: 2, repeatedRows: headerRow...headerRow)
        )
    }
}
