import FleetCore
import WorkbookWriter

/// The Savings allocation sheet: each trust's cost alone, its Shapley and proportional shares of the savings, and
/// the totals the Summary quotes.
enum SavingsAllocationSheet: BusinessCaseSheet {
    static let name = "Savings allocation"

    /// Where the trusts and totals stand: a header row, a row a trust, then every trust alone, the joint plan, the
    /// savings and the sum of the Shapley shares.
    struct Layout {
        /// The header row.
        static let headerRow = 3
        /// The trusts' rows (one row even when there are none, for the formulas' ranges).
        var trustRows: ClosedRange<Int>
        /// The "every trust alone" row.
        var totalRow: Int

        init(_ businessCase: BusinessCase) {
            let trusts = max(1, businessCase.allocation.count)
            trustRows = (Self.headerRow + 1)...(Self.headerRow + trusts)
            totalRow = Self.headerRow + 1 + trusts
        }

        /// The cell of every trust's cost alone, as `B9`.
        var standaloneCostCell: String { CellReference(row: totalRow, column: 1).a1 }
        /// The cell of the joint plan's cost.
        var jointCostCell: String { CellReference(row: totalRow + 1, column: 1).a1 }
    }

    static func write(in context: SheetContext) throws {
        let businessCase = context.businessCase
        let figures = context.figures.allocation
        let layout = Layout(businessCase)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.procurement)
        sheet.setMaximumWidth(60, column: 0)
        let headers = [
            "Trust", "Cost alone (NPC)", "Shapley share of savings", "Shapley share %", "Proportional share",
            "Cost after joint buying (Shapley)",
        ]
        try sheet.title("Savings allocation")
        try sheet.notes(
            businessCase.allocationMethod,
            "Shapley value: each trust's average marginal saving over every order in which the trusts could join."
        )
        let headerRow = Layout.headerRow
        try sheet.header(headers, row: headerRow, rightAligned: Set(1...5))
        let rows = layout.trustRows
        let totalRow = layout.totalRow
        let savingsCell = "$B$\(totalRow + 3)"
        for (offset, row) in businessCase.allocation.enumerated() {
            let r = rows.lowerBound + offset
            let x = r + 1
            try sheet.text(row.trust.rawValue, row: r, column: 0)
            try sheet.number(row.standaloneCostGBP.pounds, row: r, column: 1, format: Style.gbp)
            try sheet.number(row.shapleyShareGBP.pounds, row: r, column: 2, format: Style.gbp)
            try sheet.formula(
                "=IF(\(savingsCell)=0,0,C\(x)/\(savingsCell))",
                value: figures.lines[offset].shapleyFraction,
                row: r,
                column: 3,
                format: Style.percent
            )
            try sheet.formula(
                "=IF($B$\(totalRow + 1)=0,0,\(savingsCell)*B\(x)/$B$\(totalRow + 1))",
                value: figures.lines[offset].proportionalShareGBP,
                row: r,
                column: 4,
                format: Style.gbp
            )
            try sheet.formula(
                "=B\(x)-C\(x)",
                value: figures.lines[offset].costAfterGBP,
                row: r,
                column: 5,
                format: Style.gbp
            )
        }
        let span = rows.isEmpty ? "B\(totalRow):B\(totalRow)" : "B\(rows.lowerBound + 1):B\(rows.upperBound + 1)"
        try sheet.text("Every trust alone", row: totalRow, column: 0, format: Style.totalLabel)
        try sheet.formula(
            "=SUM(\(span))",
            value: figures.standaloneCostGBP,
            row: totalRow,
            column: 1,
            format: Style.gbpTotal
        )
        try sheet.text("Joint plan", row: totalRow + 1, column: 0, format: Style.bold)
        try sheet.number(figures.jointCostGBP, row: totalRow + 1, column: 1, format: Style.gbpBold)
        try sheet.text("Savings", row: totalRow + 2, column: 0, format: Style.bold)
        try sheet.formula(
            "=B\(totalRow + 1)-B\(totalRow + 2)",
            value: figures.savingsGBP,
            row: totalRow + 2,
            column: 1,
            format: Style.gbpBold
        )
        try sheet.text("Shapley shares add up to", row: totalRow + 3, column: 0)
        try sheet.formula(
            "=SUM(\(span.replacingOccurrences(of: "B", with: "C")))",
            value: figures.shapleyTotalGBP,
            row: totalRow + 3,
            column: 1,
            format: Style.gbp
        )
        try sheet.text(
            "The Shapley shares add up to the savings and give each trust at least what it brings alone.",
            row: totalRow + 5,
            column: 0,
            format: Style.subtitle,
            measured: false
        )
        try sheet.text(
            "The proportional split divides the savings in proportion to each trust's cost alone.",
            row: totalRow + 6,
            column: 0,
            format: Style.subtitle,
            measured: false
        )
        try sheet.finish(context.page(frozenRows: headerRow + 1, repeatedRows: headerRow...headerRow))
    }

    /// Each trust's Shapley share of the savings, as bars.
    static func sharesChart(_ layout: Layout, width: Int, height: Int) -> Chart {
        var shares = SheetContext.chart(
            .bar,
            title: "Share of the savings by trust (Shapley value)",
            width: width,
            height: height
        )
        shares.series = [
            ChartSeries(
                name: "Shapley share",
                sheet: name,
                categories: CellRange(rows: layout.trustRows, column: 0),
                values: CellRange(rows: layout.trustRows, column: 2),
                color: .nhsBlue,
                showsValueLabels: true
            )
        ]
        shares.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        shares.valueAxis = ChartAxis(numberFormat: .gbpThousands, minimum: 0, showsMajorGridlines: false)
        shares.legendPosition = .none
        return shares
    }
}
