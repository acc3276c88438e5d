import FleetCore
import FleetPriority
import FleetProcurement
import WorkbookWriter

/// The national Summary sheet: the key figures, each a formula over the sheet it comes from, and the savings by
/// network as a chart. A case that plans no procurement has the register's figures only, and its chart shows each
/// network's units to replace now.
enum NationalSummarySheet: NationalSheet {
    static let name = "Summary"

    /// The key figures in row order.
    enum Line: Int, CaseIterable {
        case networks, trusts, unitsInService, unitsAgedOver10, shareAgedOver10, unitsToReplaceNow, standaloneCost
        case jointCost, savings, savingsShare

        /// The key figures of `national`'s Summary: all of them, or without procurement those before the costs.
        static func of(_ national: NationalCase) -> [Line] {
            national.plansProcurement ? allCases : allCases.filter { $0.rawValue < standaloneCost.rawValue }
        }
    }

    /// The header row over the key figures.
    static let headerRow = 3

    /// The cell of `line`'s value.
    static func cell(_ line: Line) -> String { CellReference(row: headerRow + 1 + line.rawValue, column: 1).a1 }

    static func write(in context: NationalContext) throws {
        let national = context.nationalCase
        let lines = Line.of(national)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.summary, maximumWidth: 50)
        sheet.sheet.activate()
        sheet.sheet.hideGridlines()
        if national.plansProcurement {
            try sheet.title("Imaging equipment replacement — national report")
            try sheet.notes(
                "\(national.title) · as of \(national.asOf.iso) · \(context.figures.networks.count) networks, each "
                    + "planned as one coalition of its trusts · plans \(context.figures.status)"
            )
        } else {
            try sheet.title("Imaging equipment — national register")
            try sheet.notes(
                "\(national.title) · as of \(national.asOf.iso) · \(context.figures.networks.count) networks · no "
                    + "procurement planned (fleet report --no-procurement)"
            )
        }
        try sheet.wrap(column: 2, width: 64)
        try sheet.header(
            ["Key figure", "Value", "Where it comes from"],
            row: headerRow,
            rightAligned: [1],
            indented: [2]
        )
        for line in lines {
            let entry = self.entry(line, context)
            let r = headerRow + 1 + line.rawValue
            try sheet.text(entry.label, row: r, column: 0, format: entry.format.isBold ? Style.bold : nil)
            try sheet.formula(entry.formula, value: entry.value, row: r, column: 1, format: entry.format)
            try sheet.text(entry.source, row: r, column: 2, format: Style.note.indented(1))
        }
        try sheet.finish(context.labels.page(pagesHigh: 1))
        guard !context.figures.networks.isEmpty else { return }
        let width = Int([0, 1, 2].map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        let networks = context.figures.networks.count
        try sheet.sheet.insertChart(
            NetworksSheet.summaryChart(
                NetworksSheet.Layout(context.figures),
                plansProcurement: national.plansProcurement,
                width: min(width, 900),
                height: max(300, 80 + 18 * networks)
            ),
            row: headerRow + 1 + lines.count + 2,
            column: 0
        )
    }

    /// One key figure: its label, formula, value, format and where it comes from.
    private static func entry(
        _ line: Line,
        _ context: NationalContext
    ) -> (label: String, formula: String, value: Double, format: CellFormat, source: String) {
        let figures = context.figures
        let totals = figures.totals
        let networks = NetworksSheet.Layout(figures)
        func total(_ column: NetworksSheet.Column) -> String {
            networks.totalCell(column).qualified(sheet: NetworksSheet.name)
        }
        let ages = NetworkAgeProfileSheet.Layout(figures)
        switch line {
        case .networks:
            return (
                "Imaging networks",
                "=COUNTA(\(networks.rows.cells(column: 0).qualified(sheet: NetworksSheet.name)))",
                Double(totals.networks), Style.integer, "Networks: one row per network"
            )
        case .trusts:
            return (
                "Trusts", "=\(total(.trusts))", Double(totals.trusts), Style.integer,
                context.nationalCase.plansProcurement
                    ? "Networks: each network's trusts buy together" : "Networks: trusts that run a unit in service"
            )
        case .unitsInService:
            return (
                "Units in service", "=\(total(.units))", Double(totals.unitsInService), Style.integer,
                "Networks: units on the Register whose status is in_service"
            )
        case .unitsAgedOver10:
            return (
                "Units aged over 10 years", "=\(ages.nationalCell(AgeProfileSheet.Column.agedOver10))",
                Double(totals.unitsAgedOver10), Style.integer,
                "Age profile by network, national row (COCIR: at most 10 %)"
            )
        case .shareAgedOver10:
            return (
                "Share aged over 10 years", "=\(ages.nationalCell(AgeProfileSheet.Column.shareOver10))",
                totals.shareAgedOver10, Style.percent, "Age profile by network, national row"
            )
        case .unitsToReplaceNow:
            return (
                "Units to replace now",
                "=COUNTIF(Priority!\(NationalPrioritySheet.bandRange(context.nationalCase)),\"\(Band.replaceNow.label)\")",
                Double(context.nationalCase.priorities.count { $0.band == Band.replaceNow.label }), Style.integer,
                "Priority: band '\(Band.replaceNow.label)' (the Networks sheet gives each network's)"
            )
        case .standaloneCost:
            return (
                "Cost with each trust buying alone (NPC)", "=\(total(.standaloneCost))", totals.standaloneCostGBP,
                Style.gbp, "Networks: Σ every trust's optimised standalone plan"
            )
        case .jointCost:
            return (
                "Cost of the networks' joint plans (NPC)", "=\(total(.jointCost))", totals.jointCostGBP, Style.gbp,
                "Networks: Σ each network's optimised joint plan"
            )
        case .savings:
            return (
                "Savings from buying jointly", "=\(cell(.standaloneCost))-\(cell(.jointCost))", totals.savingsGBP,
                Style.gbpBold, "Standalone less joint, network by network"
            )
        case .savingsShare:
            return (
                "Savings as a share of buying alone",
                "=IF(\(cell(.standaloneCost))=0,0,\(cell(.savings))/\(cell(.standaloneCost)))", totals.savingsShare,
                Style.percent,
                "Compare: \(ProcurementBenchmark.nationalBulkBuySentence) (\(ProcurementBenchmark.nationalBulkBuySource))"
            )
        }
    }
}
