import FleetCore
import WorkbookWriter

/// The Capital plan sheet: capital scored (IFRS 16) by trust and year, jointly and alone, and (with budgets) the
/// budget, the headroom and the budget against the plan; then revenue by trust and year over the appraisal, jointly
/// and alone, and (with revenue budgets) the revenue budget and its headroom; with charts.
enum CapitalPlanSheet: BusinessCaseSheet {
    static let name = "Capital plan"

    /// Where the blocks stand: blocks of trusts by year, with totals, then (with budgets) the budget, the
    /// headroom and the budget against the plan; the years are the plan's decision years.
    struct Layout {
        /// The years shown, one column each from column B: the decision years, and any later year with capital.
        var years: [Int]
        /// Trusts, one row each in every block.
        var trustCount: Int
        /// Whether the scenario set capital budgets.
        var hasBudgets: Bool

        var jointHeader: Int { 3 }
        var jointFirst: Int { jointHeader + 1 }
        var jointTotal: Int { jointHeader + 1 + trustCount }
        var aloneHeader: Int { jointTotal + 2 }
        var aloneFirst: Int { aloneHeader + 1 }
        var aloneTotal: Int { aloneHeader + 1 + trustCount }
        var budgetHeader: Int { aloneTotal + 2 }
        var budgetFirst: Int { budgetHeader + 1 }
        var budgetTotal: Int { budgetHeader + 1 + trustCount }
        var headroomHeader: Int { budgetTotal + 2 }
        var headroomFirst: Int { headroomHeader + 1 }
        var comparisonHeader: Int { headroomHeader + trustCount + 2 }
        /// The row of the budget of the trusts with one, by year.
        var comparisonBudget: Int { comparisonHeader + 1 }
        /// The row of those trusts' joint-plan capital, by year.
        var comparisonCapital: Int { comparisonHeader + 2 }
        /// The first row below the capital tables (the revenue tables start there).
        var capitalEnd: Int { hasBudgets ? comparisonCapital + 2 : aloneTotal + 4 }
        /// The years of the revenue tables, one column each from column B: every year of the appraisal.
        var revenueYears: [Int]
        /// Whether the scenario set revenue budgets.
        var hasRevenueBudgets: Bool
        var revenueJointHeader: Int { capitalEnd }
        var revenueJointFirst: Int { revenueJointHeader + 1 }
        var revenueJointTotal: Int { revenueJointHeader + 1 + trustCount }
        var revenueAloneHeader: Int { revenueJointTotal + 2 }
        var revenueAloneTotal: Int { revenueAloneHeader + 1 + trustCount }
        var revenueBudgetHeader: Int { revenueAloneTotal + 2 }
        var revenueBudgetFirst: Int { revenueBudgetHeader + 1 }
        var revenueBudgetTotal: Int { revenueBudgetHeader + 1 + trustCount }
        var revenueHeadroomHeader: Int { revenueBudgetTotal + 2 }
        var revenueHeadroomFirst: Int { revenueHeadroomHeader + 1 }
        /// The first row below the tables (the charts go there).
        var end: Int { hasRevenueBudgets ? revenueHeadroomFirst + trustCount + 1 : revenueAloneTotal + 4 }
        /// The revenue tables' year columns, B onwards.
        var revenueYearColumns: ClosedRange<Int> { 1...max(1, revenueYears.count) }
        /// The revenue tables' total column.
        var revenueTotalColumn: Int { revenueYears.count + 1 }
        /// The year columns, B onwards.
        var yearColumns: ClosedRange<Int> { 1...max(1, years.count) }
        /// The total column, right of the years.
        var totalColumn: Int { years.count + 1 }
        /// The year header cells of the joint-plan block, the charts' categories.
        var categories: CellRange { CellRange(row: jointHeader, columns: yearColumns) }

        init(_ figures: CapitalPlanFigures) {
            years = figures.years
            trustCount = figures.trusts.count
            hasBudgets = figures.hasBudgets
            revenueYears = figures.revenueYears
            hasRevenueBudgets = figures.hasRevenueBudgets
        }
    }

    static func write(in context: SheetContext) throws {
        let figures = context.figures.capitalPlan
        let plan = Layout(figures)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.analysis)
        sheet.setMaximumWidth(60, column: 0)
        try sheet.title("Capital plan: capital and revenue by trust and year")
        try sheet.notes(
            "Capital scored (IFRS 16: prices paid, lease and managed-service right-of-use) and revenue (service after warranty, rentals, fees), undiscounted, before optimism bias and VAT: the budget tests the optimiser applies.",
            "Capital in the plan's decision years; revenue over the appraisal period. Capacity cover is on the Appraisal, outside the revenue budget."
        )
        let trusts = figures.trusts
        func yearHeader(_ title: String, at r: Int, hasTotal: Bool = true, years: [Int]? = nil) throws {
            let years = years ?? plan.years
            try sheet.header([title], row: r)
            for (offset, year) in years.enumerated() { try sheet.headerYear(year, row: r, column: 1 + offset) }
            if hasTotal {
                try sheet.header(["Total"], row: r, firstColumn: years.count + 1, rightAligned: [years.count + 1])
            } else {
                try sheet.sheet.writeBlank(row: r, column: years.count + 1, format: Style.header)
            }
        }
        func rowTotal(_ r: Int, columns: ClosedRange<Int>) -> String {
            "=SUM(\(CellRange(row: r, columns: columns).a1))"
        }
        /// The "All trusts" row under a block: a SUM down each year column and the total column.
        func columnTotals(_ r: Int, first: Int, values: [Double]) throws {
            try sheet.text("All trusts", row: r, column: 0, format: Style.totalLabel)
            for (offset, value) in values.enumerated() {
                let column = 1 + offset
                let formula =
                    trusts.isEmpty
                    ? "=0" : "=SUM(\(CellRange(rows: first...(first + trusts.count - 1), column: column).a1))"
                try sheet.formula(formula, value: value, row: r, column: column, format: Style.gbpTotal)
            }
        }
        func block(_ title: String, header: Int, _ block: CapitalPlanFigures.Block, years: [Int]? = nil) throws {
            let years = years ?? plan.years
            try yearHeader(title, at: header, years: years)
            for (index, trust) in trusts.enumerated() {
                let r = header + 1 + index
                try sheet.text(trust, row: r, column: 0)
                for (offset, value) in block.amounts[index].enumerated() {
                    try sheet.number(value, row: r, column: 1 + offset, format: Style.gbp)
                }
                try sheet.formula(
                    rowTotal(r, columns: 1...max(1, years.count)),
                    value: block.trustTotals[index],
                    row: r,
                    column: years.count + 1,
                    format: Style.gbpBold
                )
            }
            try columnTotals(header + 1 + trusts.count, first: header + 1, values: block.yearTotals)
        }
        try block("Joint plan: capital scored by trust (IFRS 16)", header: plan.jointHeader, figures.joint)
        try block("Each trust alone: capital scored", header: plan.aloneHeader, figures.alone)
        if plan.hasBudgets {
            try writeBudgets(
                sheet,
                figures,
                plan: plan,
                yearHeader: { try yearHeader($0, at: $1, hasTotal: $2) },
                columnTotals: columnTotals
            )
        } else {
            try sheet.text(
                "No capital budgets were set in the scenario, so there is no budget test or comparison.",
                row: plan.aloneTotal + 2,
                column: 0,
                format: Style.subtitle,
                measured: false
            )
        }
        let revenueYears = plan.revenueYears
        try block(
            "Joint plan: revenue by trust (service, rentals, fees)",
            header: plan.revenueJointHeader,
            figures.jointRevenue,
            years: revenueYears
        )
        try block(
            "Each trust alone: revenue",
            header: plan.revenueAloneHeader,
            figures.aloneRevenue,
            years: revenueYears
        )
        if plan.hasRevenueBudgets {
            try yearHeader("Revenue budget", at: plan.revenueBudgetHeader, hasTotal: false, years: revenueYears)
            for (index, trust) in trusts.enumerated() {
                let r = plan.revenueBudgetFirst + index
                try sheet.text(trust, row: r, column: 0)
                for (offset, budget) in figures.revenueBudgets[index].enumerated() {
                    guard let budget else { continue }
                    try sheet.number(budget, row: r, column: 1 + offset, format: Style.input.numberFormat(.gbp))
                }
            }
            try columnTotals(
                plan.revenueBudgetTotal,
                first: plan.revenueBudgetFirst,
                values: figures.revenueBudgetTotals
            )
            try yearHeader(
                "Revenue headroom: budget less joint-plan revenue",
                at: plan.revenueHeadroomHeader,
                hasTotal: false,
                years: revenueYears
            )
            try writeHeadroom(
                sheet,
                trusts: trusts,
                headroom: figures.revenueHeadroom,
                first: plan.revenueHeadroomFirst,
                budgetFirst: plan.revenueBudgetFirst,
                spentFirst: plan.revenueJointFirst,
                columns: plan.revenueYearColumns
            )
        } else {
            try sheet.text(
                "No revenue budgets were set in the scenario, so there is no revenue budget test.",
                row: plan.revenueAloneTotal + 2,
                column: 0,
                format: Style.subtitle,
                measured: false
            )
        }
        // A network of a few trusts prints on one page; a larger one starts the charts on a page of their own.
        let fitsOnePage = trusts.count <= 6
        try sheet.finish(
            context.page(frozenRows: plan.jointHeader + 1, frozenColumns: 1, pagesHigh: fitsOnePage ? 1 : 0)
        )
        if !fitsOnePage { try sheet.sheet.setPageBreaks(beforeRows: [plan.end + 1]) }
        guard !trusts.isEmpty else { return }
        let width = Int((0...plan.totalColumn).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        let chartWidth = plan.hasBudgets ? (width - 16) / 2 : min(width, 720)
        try sheet.sheet.insertChart(
            capitalChart(plan, trusts: trusts.count, width: chartWidth, height: 320),
            row: plan.end + 1,
            column: 0
        )
        if plan.hasBudgets {
            try sheet.sheet.insertChart(
                budgetChart(plan, width: chartWidth, height: 320),
                row: plan.end + 1,
                column: 0,
                xOffsetInPixels: chartWidth + 16
            )
        }
    }

    /// One row per trust of headroom, budget less what the joint plan spends (each a formula over the budget's and
    /// the spending's rows, which start at `budgetFirst` and `spentFirst`), from row `first`; a negative one is red.
    private static func writeHeadroom(
        _ sheet: ReportSheet,
        trusts: [String],
        headroom: [[Double?]],
        first: Int,
        budgetFirst: Int,
        spentFirst: Int,
        columns: ClosedRange<Int>
    ) throws {
        for (index, trust) in trusts.enumerated() {
            let r = first + index
            try sheet.text(trust, row: r, column: 0)
            for (offset, value) in headroom[index].enumerated() {
                guard let value else { continue }
                let column = CellReference.columnLetters(1 + offset)
                try sheet.formula(
                    "=\(column)\(budgetFirst + index + 1)-\(column)\(spentFirst + index + 1)",
                    value: value,
                    row: r,
                    column: 1 + offset,
                    format: Style.gbp
                )
            }
        }
        guard !trusts.isEmpty else { return }
        try sheet.sheet.addConditionalFormat(
            .cellValue(.lessThan(0), format: CellFormat(fillColor: .lightRed)),
            to: CellRange(rows: first...(first + trusts.count - 1), columns: columns)
        )
    }

    /// The budget, headroom and comparison blocks, under the capital paid.
    private static func writeBudgets(
        _ sheet: ReportSheet,
        _ figures: CapitalPlanFigures,
        plan: Layout,
        yearHeader: (String, Int, Bool) throws -> Void,
        columnTotals: (Int, Int, [Double]) throws -> Void
    ) throws {
        let trusts = figures.trusts
        let columns = plan.yearColumns
        try yearHeader("Capital budget", plan.budgetHeader, false)
        for (index, trust) in trusts.enumerated() {
            let r = plan.budgetFirst + index
            try sheet.text(trust, row: r, column: 0)
            for (offset, budget) in figures.budgets[index].enumerated() {
                guard let budget else { continue }
                try sheet.number(budget, row: r, column: 1 + offset, format: Style.input.numberFormat(.gbp))
            }
        }
        try columnTotals(plan.budgetTotal, plan.budgetFirst, figures.budgetTotals)

        try yearHeader("Headroom: budget less joint-plan capital", plan.headroomHeader, false)
        try writeHeadroom(
            sheet,
            trusts: trusts,
            headroom: figures.headroom,
            first: plan.headroomFirst,
            budgetFirst: plan.budgetFirst,
            spentFirst: plan.jointFirst,
            columns: columns
        )

        try yearHeader("Budget against the joint plan", plan.comparisonHeader, false)
        // Row by row (constant-memory mode writes rows in order).
        try sheet.text("Capital budget (trusts with a budget)", row: plan.comparisonBudget, column: 0)
        for (offset, _) in plan.years.enumerated() {
            let column = CellReference.columnLetters(1 + offset)
            try sheet.formula(
                "=\(column)\(plan.budgetTotal + 1)",
                value: figures.budgetTotals[offset],
                row: plan.comparisonBudget,
                column: 1 + offset,
                format: Style.gbp
            )
        }
        try sheet.text("Joint-plan capital of those trusts", row: plan.comparisonCapital, column: 0)
        for (offset, _) in plan.years.enumerated() {
            let column = CellReference.columnLetters(1 + offset)
            let budgets = "\(column)\(plan.budgetFirst + 1):\(column)\(plan.budgetFirst + max(1, trusts.count))"
            let capital = "\(column)\(plan.jointFirst + 1):\(column)\(plan.jointFirst + max(1, trusts.count))"
            try sheet.formula(
                "=SUMIF(\(budgets),\"<>\",\(capital))",
                value: figures.budgetedCapital[offset],
                row: plan.comparisonCapital,
                column: 1 + offset,
                format: Style.gbp
            )
        }
    }

    /// The joint plan's capital by year, a column per decision year stacked by trust.
    static func capitalChart(_ plan: Layout, trusts: Int, width: Int, height: Int) -> Chart {
        var chart = SheetContext.chart(
            .stackedColumn,
            title: "Joint-plan capital scored by year and trust",
            width: width,
            height: height
        )
        chart.series = (0..<trusts).map { index in
            // Named by the trust's cell: a trust's name is imported text and may start with '='.
            ChartSeries(
                nameCell: CellReference(row: plan.jointFirst + index, column: 0),
                sheet: name,
                categories: plan.categories,
                values: CellRange(row: plan.jointFirst + index, columns: plan.yearColumns)
            )
        }
        chart.valueAxis = ChartAxis(numberFormat: .gbpMillions)
        return chart
    }

    /// Budget against the joint plan's capital of the trusts that have a budget, by decision year. libxlsxwriter
    /// cannot combine a line with columns, so the budget is a column beside the capital.
    static func budgetChart(_ plan: Layout, width: Int, height: Int) -> Chart {
        var chart = SheetContext.chart(.column, title: "Capital budget against the plan", width: width, height: height)
        chart.series = [
            ChartSeries(
                name: "Capital budget",
                sheet: name,
                categories: plan.categories,
                values: CellRange(row: plan.comparisonBudget, columns: plan.yearColumns),
                color: Color(rgb: 0xA6A6A6)
            ),
            ChartSeries(
                name: "Joint-plan capital of those trusts",
                sheet: name,
                categories: plan.categories,
                values: CellRange(row: plan.comparisonCapital, columns: plan.yearColumns),
                color: .nhsBlue
            ),
        ]
        chart.valueAxis = ChartAxis(numberFormat: .gbpMillions)
        chart.gapWidthPercent = 80
        return chart
    }
}
