import FleetCore
import WorkbookWriter

/// The Networks sheet: one row per network — its trusts, units in service, units to replace now, joint and
/// standalone cost, the savings and their share, the optimiser's status — and the national total, each total a
/// formula over the rows above it. Units are counted on the Register and standalone costs summed on the Savings by
/// network and trust sheet, so the row follows those sheets when finance edits them. A case that plans no
/// procurement has the first four columns only.
enum NetworksSheet: NationalSheet {
    static let name = "Networks"

    /// The sheet's columns.
    enum Column: Int, CaseIterable {
        case network, trusts, units, replaceNow, jointCost, standaloneCost, savings, savingsShare, nationalShare
        case status

        /// The columns of a case that plans no procurement: no costs, no savings, no status.
        static let withoutProcurement: [Column] = [.network, .trusts, .units, .replaceNow]

        /// The columns a case's sheet has.
        static func of(_ national: NationalCase) -> [Column] {
            national.plansProcurement ? allCases : withoutProcurement
        }

        var title: String {
            switch self {
            case .network: "Network"
            case .trusts: "Trusts"
            case .units: "Units in service"
            case .replaceNow: "Units to replace now"
            case .jointCost: "Joint plan (NPC)"
            case .standaloneCost: "Each trust alone (NPC)"
            case .savings: "Savings"
            case .savingsShare: "Savings % of buying alone"
            case .nationalShare: "Share of national savings"
            case .status: "Optimiser status"
            }
        }
    }

    /// Where the networks stand: a header row, a row a network, then the national total.
    struct Layout {
        static let headerRow = 3
        /// The networks' rows (one row even when there are none, for the formulas' ranges).
        var rows: BlockRows
        /// The national total's row.
        var totalRow: Int { rows.last + 1 }

        init(networkCount: Int) { rows = BlockRows(header: Self.headerRow, count: networkCount) }
        init(_ figures: NationalFigures) { self.init(networkCount: figures.networks.count) }

        /// The cell of `column` in the row of the network at `index`, as `G7`.
        func cell(_ column: Column, network index: Int) -> CellReference {
            CellReference(row: rows.first + index, column: column.rawValue)
        }

        /// The cell of `column` in the national total's row.
        func totalCell(_ column: Column) -> CellReference { CellReference(row: totalRow, column: column.rawValue) }
    }

    static func write(in context: NationalContext) throws {
        let figures = context.figures
        let layout = Layout(figures)
        let plans = context.nationalCase.plansProcurement
        let columns = Column.of(context.nationalCase)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.procurement)
        sheet.setMaximumWidth(48, column: Column.network.rawValue)
        if plans {
            try sheet.title("Joint procurement network by network")
            try sheet.notes(
                "Each network's trusts buy together; networks do not. National figures are the sums over the networks.",
                "Costs are net present costs (capital, service to the end of the appraisal, timing penalties), as optimised."
            )
            try sheet.wrap(column: Column.status.rawValue, width: 36)
        } else {
            try sheet.title("Units network by network")
            try sheet.notes(
                "Trusts that run a unit in service, units in service and units in the 'replace now' band; national "
                    + "figures are the sums over the networks.",
                "No procurement is planned in this workbook (fleet report --no-procurement): without that flag, each "
                    + "network's joint and standalone costs and savings follow."
            )
        }
        let numeric = Set(columns.map(\.rawValue)).subtracting([Column.network.rawValue, Column.status.rawValue])
        try sheet.header(
            columns.map(\.title),
            row: Layout.headerRow,
            rightAligned: numeric,
            indented: plans ? [Column.status.rawValue] : []
        )
        let nationalSavings = layout.totalCell(.savings).absolute
        for (index, network) in figures.networks.enumerated() {
            let r = layout.rows.first + index
            func at(_ column: Column) -> String { layout.cell(column, network: index).a1 }
            try sheet.text(network.name, row: r, column: Column.network.rawValue)
            try sheet.number(Double(network.trusts), row: r, column: Column.trusts.rawValue, format: Style.integer)
            if network.registerRows.isEmpty {
                try sheet.number(0, row: r, column: Column.units.rawValue, format: Style.integer)
            } else {
                try sheet.formula(
                    "=COUNTIF(\(NationalRegisterSheet.range(network.registerRows, column: .status)),\"in_service\")",
                    value: Double(network.unitsInService),
                    row: r,
                    column: Column.units.rawValue,
                    format: Style.integer
                )
            }
            try sheet.number(
                Double(network.unitsToReplaceNow),
                row: r,
                column: Column.replaceNow.rawValue,
                format: Style.integer
            )
            guard plans else { continue }
            try sheet.number(network.jointCostGBP, row: r, column: Column.jointCost.rawValue, format: Style.gbp)
            let alone = NetworkSavingsSheet.Layout(figures).range(.standaloneCost, lines: network.trustLines)
            if let alone {
                try sheet.formula(
                    "=SUM(\(alone))",
                    value: network.standaloneCostGBP,
                    row: r,
                    column: Column.standaloneCost.rawValue,
                    format: Style.gbp
                )
            } else {
                try sheet.number(
                    network.standaloneCostGBP,
                    row: r,
                    column: Column.standaloneCost.rawValue,
                    format: Style.gbp
                )
            }
            try sheet.formula(
                "=\(at(.standaloneCost))-\(at(.jointCost))",
                value: network.savingsGBP,
                row: r,
                column: Column.savings.rawValue,
                format: Style.gbpBold
            )
            try sheet.formula(
                "=IF(\(at(.standaloneCost))=0,0,\(at(.savings))/\(at(.standaloneCost)))",
                value: network.savingsShare,
                row: r,
                column: Column.savingsShare.rawValue,
                format: Style.percent
            )
            try sheet.formula(
                "=IF(\(nationalSavings)=0,0,\(at(.savings))/\(nationalSavings))",
                value: figures.totals.savingsGBP == 0 ? 0 : network.savingsGBP / figures.totals.savingsGBP,
                row: r,
                column: Column.nationalShare.rawValue,
                format: Style.percent
            )
            try sheet.text(network.status, row: r, column: Column.status.rawValue, format: Style.text.indented(1))
        }
        if figures.networks.count > 0 {
            // Before the total row: in constant-memory mode a filter must reach the row being written.
            try sheet.sheet.setAutofilter(
                CellRange(rows: Layout.headerRow...layout.rows.last, columns: 0...columns[columns.count - 1].rawValue)
            )
        }
        try writeTotal(sheet, figures, columns: columns, layout: layout)
        if plans, figures.networks.count > 0 {
            let rows = layout.rows.rows
            try sheet.sheet.addConditionalFormat(
                .dataBar(Color(rgb: 0x9FC5E8), isSolid: false, minimum: 0),
                to: CellRange(rows: rows, column: Column.savingsShare.rawValue)
            )
            let statusCell = "$" + CellReference.columnLetters(Column.status.rawValue) + String(rows.lowerBound + 1)
            try sheet.sheet.addConditionalFormat(
                .formula("=\(statusCell)<>\"optimal\"", format: CellFormat(fillColor: .lightAmber)),
                to: CellRange(rows: rows, column: Column.status.rawValue)
            )
        }
        try sheet.finish(
            context.labels.page(
                frozenRows: Layout.headerRow + 1,
                frozenColumns: 1,
                repeatedRows: Layout.headerRow...Layout.headerRow
            )
        )
    }

    /// The national row: sums down the columns, the savings and their share recomputed from the sums.
    private static func writeTotal(
        _ sheet: ReportSheet,
        _ figures: NationalFigures,
        columns: [Column],
        layout: Layout
    ) throws {
        let r = layout.totalRow
        let totals = figures.totals
        func column(_ column: Column) -> String { CellRange(rows: layout.rows.rows, column: column.rawValue).a1 }
        func at(_ column: Column) -> String { layout.totalCell(column).a1 }
        try sheet.text("National", row: r, column: Column.network.rawValue, format: Style.totalLabel)
        let sums: [(Column, Double, CellFormat)] = [
            (.trusts, Double(totals.trusts), Style.integer), (.units, Double(totals.unitsInService), Style.integer),
            (.replaceNow, Double(totals.unitsToReplaceNow), Style.integer),
            (.jointCost, totals.jointCostGBP, Style.gbp), (.standaloneCost, totals.standaloneCostGBP, Style.gbp),
        ]
        for (sum, value, format) in sums where columns.contains(sum) {
            try sheet.formula(
                "=SUM(\(column(sum)))",
                value: value,
                row: r,
                column: sum.rawValue,
                format: format.bold().topBorder(.thin)
            )
        }
        guard columns.contains(.savings) else { return }
        try sheet.formula(
            "=\(at(.standaloneCost))-\(at(.jointCost))",
            value: totals.savingsGBP,
            row: r,
            column: Column.savings.rawValue,
            format: Style.gbpTotal
        )
        try sheet.formula(
            "=IF(\(at(.standaloneCost))=0,0,\(at(.savings))/\(at(.standaloneCost)))",
            value: totals.savingsShare,
            row: r,
            column: Column.savingsShare.rawValue,
            format: Style.percent.bold().topBorder(.thin)
        )
        let shares = figures.networks.reduce(0.0) {
            $0 + (totals.savingsGBP == 0 ? 0 : $1.savingsGBP / totals.savingsGBP)
        }
        try sheet.formula(
            "=SUM(\(column(.nationalShare)))",
            value: shares,
            row: r,
            column: Column.nationalShare.rawValue,
            format: Style.percent.bold().topBorder(.thin)
        )
        try sheet.text(
            figures.status,
            row: r,
            column: Column.status.rawValue,
            format: Style.totalLabel.indented(1)
        )
    }

    /// Each network's savings, as horizontal bars in the sheet's order from the top; for a case that plans no
    /// procurement, each network's units to replace now.
    static func summaryChart(_ layout: Layout, plansProcurement: Bool, width: Int, height: Int) -> Chart {
        let column = plansProcurement ? Column.savings : Column.replaceNow
        var chart = SheetContext.chart(
            .bar,
            title: plansProcurement ? "Savings from buying jointly, by network" : "Units to replace now, by network",
            width: width,
            height: height
        )
        chart.series = [
            ChartSeries(
                name: plansProcurement ? "Savings" : "Units to replace now",
                sheet: name,
                categories: layout.rows.cells(column: Column.network.rawValue),
                values: layout.rows.cells(column: column.rawValue),
                color: .nhsBlue
            )
        ]
        chart.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        chart.valueAxis = ChartAxis(numberFormat: plansProcurement ? .gbpThousands : .integer, minimum: 0)
        chart.legendPosition = .none
        chart.gapWidthPercent = 50
        return chart
    }
}
