import FleetCore
import WorkbookWriter

/// The Capital plan by network and year: capital paid by each network in each year, under its joint plan and with
/// each of its trusts buying alone, and (where scenarios set them) the networks' capital budgets; every total a
/// formula. Its tab is `Capital plan by network` (a sheet name holds at most 31 characters).
enum NetworkCapitalPlanSheet: NationalSheet {
    static let name = "Capital plan by network"

    /// Where the blocks stand: the joint block, the standalone block and (with budgets) the budget block, each a
    /// header row of years, a row a network and an "All networks" row.
    struct Layout {
        var years: [Int]
        var networkCount: Int
        var hasBudgets: Bool

        var jointHeader: Int { 3 }
        var jointTotal: Int { jointHeader + 1 + networkCount }
        var aloneHeader: Int { jointTotal + 2 }
        var aloneTotal: Int { aloneHeader + 1 + networkCount }
        var budgetHeader: Int { aloneTotal + 2 }
        var budgetTotal: Int { budgetHeader + 1 + networkCount }
        /// The first row below the tables (the chart goes there).
        var end: Int { (hasBudgets ? budgetTotal : aloneTotal) + 3 }
        /// The year columns, B onwards.
        var yearColumns: ClosedRange<Int> { 1...max(1, years.count) }
        /// The total column, right of the years.
        var totalColumn: Int { years.count + 1 }

        init(_ figures: NationalFigures) {
            years = figures.capital.years
            networkCount = figures.networks.count
            hasBudgets = figures.capital.hasBudgets
        }
    }

    static func write(in context: NationalContext) throws {
        let figures = context.figures
        let capital = figures.capital
        let plan = Layout(figures)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.analysis)
        sheet.setMaximumWidth(48, column: 0)
        try sheet.title("Capital plan by network and year")
        try sheet.notes(
            "Prices actually paid, undiscounted, before optimism bias and VAT: the budget test the optimiser applies.",
            "Each network's trusts summed; the Capital plan sheet of a network's own business case splits it by trust."
        )
        let names = figures.networks.map(\.name)
        func yearHeader(_ title: String, at r: Int, hasTotal: Bool) throws {
            try sheet.header([title], row: r)
            for (offset, year) in plan.years.enumerated() { try sheet.headerYear(year, row: r, column: 1 + offset) }
            if hasTotal {
                try sheet.header(["Total"], row: r, firstColumn: plan.totalColumn, rightAligned: [plan.totalColumn])
            } else {
                try sheet.sheet.writeBlank(row: r, column: plan.totalColumn, format: Style.header)
            }
        }
        func columnTotals(_ r: Int, values: [Double], hasTotal: Bool) throws {
            try sheet.text("All networks", row: r, column: 0, format: Style.totalLabel)
            let first = r - max(1, names.count)
            for offset in 0..<(plan.years.count + (hasTotal ? 1 : 0)) {
                let column = 1 + offset
                let formula =
                    names.isEmpty ? "=0" : "=SUM(\(CellRange(rows: first...(r - 1), column: column).a1))"
                try sheet.formula(formula, value: values[offset], row: r, column: column, format: Style.gbpTotal)
            }
        }
        func block(_ title: String, header: Int, _ block: CapitalPlanFigures.Block) throws {
            try yearHeader(title, at: header, hasTotal: true)
            for (index, network) in names.enumerated() {
                let r = header + 1 + index
                try sheet.text(network, row: r, column: 0)
                for (offset, value) in block.amounts[index].enumerated() {
                    try sheet.number(value, row: r, column: 1 + offset, format: Style.gbp)
                }
                try sheet.formula(
                    "=SUM(\(CellRange(row: r, columns: plan.yearColumns).a1))",
                    value: block.trustTotals[index],
                    row: r,
                    column: plan.totalColumn,
                    format: Style.gbpBold
                )
            }
            try columnTotals(header + 1 + names.count, values: block.yearTotals, hasTotal: true)
        }
        try block("Joint plans: capital paid by network", header: plan.jointHeader, capital.joint)
        try block("Each trust alone: capital paid by network", header: plan.aloneHeader, capital.alone)
        if plan.hasBudgets {
            try yearHeader("Capital budgets set (Σ the network's trusts)", at: plan.budgetHeader, hasTotal: false)
            for (index, network) in names.enumerated() {
                let r = plan.budgetHeader + 1 + index
                try sheet.text(network, row: r, column: 0)
                for (offset, budget) in capital.budgets[index].enumerated() {
                    guard let budget else { continue }
                    try sheet.number(budget, row: r, column: 1 + offset, format: Style.gbp)
                }
            }
            try columnTotals(plan.budgetTotal, values: capital.budgetTotals, hasTotal: false)
        } else {
            try sheet.text(
                "No capital budgets were set in the scenarios, so there is no budget comparison.",
                row: plan.aloneTotal + 2,
                column: 0,
                format: Style.subtitle,
                measured: false
            )
        }
        try sheet.finish(context.labels.page(frozenRows: plan.jointHeader + 1, frozenColumns: 1))
        guard !names.isEmpty, !plan.years.isEmpty else { return }
        let width = Int((0...plan.totalColumn).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        try sheet.sheet.insertChart(
            chart(plan, width: min(max(width, 480), 900), height: 320),
            row: plan.end,
            column: 0
        )
    }

    /// National capital by year: the joint plans against every trust alone.
    static func chart(_ plan: Layout, width: Int, height: Int) -> Chart {
        var chart = SheetContext.chart(.column, title: "National capital paid by year", width: width, height: height)
        let categories = CellRange(row: plan.jointHeader, columns: plan.yearColumns)
        chart.series = [
            ChartSeries(
                name: "Joint plans",
                sheet: name,
                categories: categories,
                values: CellRange(row: plan.jointTotal, columns: plan.yearColumns),
                color: .nhsBlue
            ),
            ChartSeries(
                name: "Each trust alone",
                sheet: name,
                categories: categories,
                values: CellRange(row: plan.aloneTotal, columns: plan.yearColumns),
                color: Color(rgb: 0xA6A6A6)
            ),
        ]
        chart.valueAxis = ChartAxis(numberFormat: .gbpMillions)
        chart.gapWidthPercent = 80
        return chart
    }
}
