import FleetCore
import FleetPriority
import FleetProcurement
import WorkbookWriter

/// The Summary sheet: the key figures, each a formula over the sheet it comes from, and four charts.
enum SummarySheet: BusinessCaseSheet {
    static let name = "Summary"

    /// The key figures in row order.
    enum Line: Int, CaseIterable {
        case unitsInService, unitsAgedOver10, shareAgedOver10, unitsToReplaceNow, standaloneCost, jointCost, savings
        case savingsShare, netPresentValue, jointCapitalScored, jointRevenue
        /// With capacity planned only (last, so that the other lines keep their rows): the shortfall and its cover.
        case capacityShortfall, coveredByAddedUnits, coveredByMobileUnits, outsourcedScans

        /// Whether the line is about capacity cover.
        var isCapacity: Bool { rawValue >= Line.capacityShortfall.rawValue }
    }

    /// The lines `context`'s case shows: the capacity lines only where it plans capacity.
    static func lines(_ businessCase: BusinessCase) -> [Line] {
        Line.allCases.filter { !$0.isCapacity || CapacitySheet.isIncluded(in: businessCase) }
    }

    /// The row of the first key figure (under the header).
    static let headerRow = 3

    /// The cell of `line`'s value.
    static func cell(_ line: Line) -> String { CellReference(row: headerRow + 1 + line.rawValue, column: 1).a1 }

    static func write(in context: SheetContext) throws {
        let businessCase = context.businessCase
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.summary, maximumWidth: 50)
        sheet.sheet.activate()
        sheet.sheet.hideGridlines()
        try sheet.title("Imaging equipment replacement — business case")
        try sheet.notes("\(businessCase.title) · as of \(businessCase.asOf.iso) · plans \(businessCase.solverStatus)")
        try sheet.wrap(column: 2, width: 64)
        try sheet.header(
            ["Key figure", "Value", "Where it comes from"],
            row: headerRow,
            rightAligned: [1],
            indented: [2]
        )
        let lines = lines(businessCase)
        for line in lines {
            let entry = self.entry(line, context)
            let r = headerRow + 1 + line.rawValue
            try sheet.text(entry.label, row: r, column: 0, format: entry.format.isBold ? Style.bold : nil)
            try sheet.formula(entry.formula, value: entry.value, row: r, column: 1, format: entry.format)
            try sheet.text(entry.source, row: r, column: 2, format: Style.note.indented(1))
        }
        try sheet.finish(context.page(pagesHigh: 1))
        try insertCharts(sheet, context, top: headerRow + 1 + lines.count + 2)
    }

    /// One key figure: its label, formula, value, format and where it comes from.
    private static func entry(
        _ line: Line,
        _ context: SheetContext
    ) -> (label: String, formula: String, value: Double, format: CellFormat, source: String) {
        let figures = context.figures.summary
        let businessCase = context.businessCase
        let ages = AgeProfileSheet.Layout(businessCase)
        let allocation = SavingsAllocationSheet.Layout(businessCase)
        switch line {
        case .unitsInService:
            return (
                "Units in service",
                "=COUNTIF(Register!\(RegisterSheet.Layout(businessCase).statusRange),\"in_service\")",
                Double(figures.unitsInService), Style.integer, "Register: units whose status is in_service"
            )
        case .unitsAgedOver10:
            return (
                "Units aged over 10 years", "='Age profile'!\(ages.networkCell(AgeProfileSheet.Column.agedOver10))",
                Double(figures.unitsAgedOver10), Style.integer, "Age profile, whole network (COCIR: at most 10 %)"
            )
        case .shareAgedOver10:
            return (
                "Share aged over 10 years", "='Age profile'!\(ages.networkCell(AgeProfileSheet.Column.shareOver10))",
                figures.shareAgedOver10, Style.percent, "Age profile, whole network"
            )
        case .unitsToReplaceNow:
            return (
                "Units to replace now",
                "=COUNTIF(Priority!\(PrioritySheet.Layout(businessCase).bandRange),\"\(Band.replaceNow.label)\")",
                Double(figures.unitsToReplaceNow), Style.integer, "Priority: band '\(Band.replaceNow.label)'"
            )
        case .standaloneCost:
            return (
                "Cost with each trust buying alone (NPC)", "='Savings allocation'!\(allocation.standaloneCostCell)",
                figures.standaloneCostGBP, Style.gbp,
                "Savings allocation: sum of the trusts' optimised standalone plans"
            )
        case .jointCost:
            return (
                "Cost of the joint plan (NPC)", "='Savings allocation'!\(allocation.jointCostCell)",
                figures.jointCostGBP, Style.gbp, "Savings allocation: the optimised joint plan"
            )
        case .savings:
            return (
                "Savings from buying jointly", "=\(cell(.standaloneCost))-\(cell(.jointCost))", figures.savingsGBP,
                Style.gbpBold, "Standalone less joint"
            )
        case .savingsShare:
            return (
                "Savings as a share of buying alone",
                "=IF(\(cell(.standaloneCost))=0,0,\(cell(.savings))/\(cell(.standaloneCost)))", figures.savingsShare,
                Style.percent,
                "Compare: \(ProcurementBenchmark.nationalBulkBuySentence) (\(ProcurementBenchmark.nationalBulkBuySource))"
            )
        case .netPresentValue:
            return (
                "NPV of joint procurement (with optimism bias)",
                "=Appraisal!\(AppraisalSheet.Layout(businessCase).netPresentValueCell)",
                figures.jointNetPresentValueGBP, Style.gbpBold,
                "Appraisal: NPC of every trust alone less NPC of the joint plan"
            )
        case .jointCapitalScored:
            let plan = CapitalPlanSheet.Layout(context.figures.capitalPlan)
            return (
                "Capital scored by the joint plan (IFRS 16)",
                "='\(CapitalPlanSheet.name)'!\(CellReference(row: plan.jointTotal, column: plan.totalColumn).a1)",
                context.figures.capitalPlan.joint.yearTotals.last ?? 0, Style.gbp,
                "Capital plan: prices paid and lease and managed-service right-of-use, undiscounted, all trusts and years"
            )
        case .capacityShortfall, .coveredByAddedUnits, .coveredByMobileUnits, .outsourcedScans:
            let capacity = context.figures.capacity
            let layout = CapacitySheet.Layout(rowCount: capacity.rows.count, totalCount: capacity.totals.count)
            let (label, column, value, source): (String, CapacitySheet.Column, Double, String) =
                switch line {
                case .capacityShortfall:
                    (
                        "Capacity shortfall to the end of the appraisal (scans)", .shortfall, capacity.shortfallScans,
                        "Capacity: demand less capacity in service, every trust, modality and year (after the horizon, held at its last year)"
                    )
                case .coveredByAddedUnits:
                    (
                        "Scans a year added by fixed units, summed over the years", .addedFixed,
                        capacity.rows.reduce(0) { $0 + $1.addedFixedScans },
                        "Capacity: the joint plan's added fixed units at full capacity from their year (more than the shortfall where a unit is not yet full)"
                    )
                case .coveredByMobileUnits:
                    (
                        "Scans taken from shared mobile units", .mobile,
                        capacity.rows.reduce(0) { $0 + $1.mobileScans },
                        "Capacity: scans the trusts take from the coalition's mobile units"
                    )
                default:
                    (
                        "Scans outsourced", .outsourced, capacity.rows.reduce(0) { $0 + $1.outsourcedScans },
                        "Capacity: scans bought from providers; their cost is the Appraisal's capacity-cover line"
                    )
                }
            return (label, "=SUM(\(CapacitySheet.name)!\(layout.range(column)))", value, Style.integer, source)
        case .jointRevenue:
            let plan = CapitalPlanSheet.Layout(context.figures.capitalPlan)
            return (
                "Revenue of the joint plan over the appraisal",
                "='\(CapitalPlanSheet.name)'!\(CellReference(row: plan.revenueJointTotal, column: plan.revenueTotalColumn).a1)",
                context.figures.capitalPlan.jointRevenue.yearTotals.last ?? 0, Style.gbp,
                "Capital plan: service after warranty, lease rentals and managed-service fees, undiscounted"
            )
        }
    }

    /// Charts two by two under the figures, across columns A–C.
    private static func insertCharts(_ sheet: ReportSheet, _ context: SheetContext, top: Int) throws {
        let businessCase = context.businessCase
        let width = Int(([0, 1, 2].map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +) - 16) / 2)
        let height = 300
        let rowsPerChart = (height + 30) / 20
        try sheet.sheet.insertChart(
            AgeProfileSheet.chart(AgeProfileSheet.Layout(businessCase), width: width, height: height),
            row: top,
            column: 0
        )
        guard !businessCase.standaloneOptions.isEmpty else { return }
        let plan = CapitalPlanSheet.Layout(context.figures.capitalPlan)
        try sheet.sheet.insertChart(
            CapitalPlanSheet.capitalChart(
                plan,
                trusts: businessCase.standaloneOptions.count,
                width: width,
                height: height
            ),
            row: top,
            column: 0,
            xOffsetInPixels: width + 16
        )
        try sheet.sheet.insertChart(
            SavingsAllocationSheet.sharesChart(
                SavingsAllocationSheet.Layout(businessCase),
                width: width,
                height: height
            ),
            row: top + rowsPerChart,
            column: 0
        )
        if plan.hasBudgets {
            try sheet.sheet.insertChart(
                CapitalPlanSheet.budgetChart(plan, width: width, height: height),
                row: top + rowsPerChart,
                column: 0,
                xOffsetInPixels: width + 16
            )
        } else {
            try sheet.text(
                "No capital budgets were set in the scenario, so there is no budget comparison.",
                row: top + rowsPerChart + 1,
                column: 2,
                format: Style.note
            )
        }
    }
}
