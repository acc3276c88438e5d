import FleetCore
import WorkbookWriter

/// The Capacity sheet, written when the case plans capacity: each trust's demand against its capacity in service
/// by modality and year, the shortfall and how the joint plan covers it (added fixed units, shared mobile units,
/// outsourced scans), then the network's totals by modality and year with a chart of demand against capacity.
enum CapacitySheet: BusinessCaseSheet {
    static let name = "Capacity"

    static func isIncluded(in businessCase: BusinessCase) -> Bool { !businessCase.capacity.isEmpty }

    /// The columns of the trust rows.
    enum Column: Int, CaseIterable {
        case trust, modality, year, demand, capacity, utilisation, shortfall, addedFixed, mobile, outsourced, uncovered

        /// The header's title.
        var title: String {
            switch self {
            case .trust: "Trust"
            case .modality: "Modality"
            case .year: "Year"
            case .demand: "Demand (scans)"
            case .capacity: "Capacity in service (scans)"
            case .utilisation: "Utilisation"
            case .shortfall: "Shortfall (scans)"
            case .addedFixed: "Added fixed units (scans)"
            case .mobile: "Shared mobile units (scans)"
            case .outsourced: "Outsourced (scans)"
            case .uncovered: "Left uncovered (scans)"
            }
        }

        /// The column's letters, as `D`.
        var letters: String { CellReference.columnLetters(rawValue) }
    }

    /// Where the rows stand.
    struct Layout {
        /// The header of the trust rows.
        static let header = 3
        /// The number of trust rows.
        var rowCount: Int
        /// The number of total rows.
        var totalCount: Int

        /// The first trust row.
        var first: Int { Self.header + 1 }
        /// The last trust row (the header when there are none).
        var last: Int { Self.header + rowCount }
        /// The header of the totals by modality and year.
        var totalsHeader: Int { last + 3 }
        /// The row of total `index`.
        func totalRow(_ index: Int) -> Int { totalsHeader + 1 + index }
        /// The first row under the totals, where the chart goes.
        var end: Int { totalsHeader + totalCount + 2 }

        /// The absolute range of `column` over the trust rows, as `$D$5:$D$40`.
        func range(_ column: Column) -> String {
            "$\(column.letters)$\(first + 1):$\(column.letters)$\(last + 1)"
        }
    }

    static func write(in context: SheetContext) throws {
        let figures = context.figures.capacity
        let layout = Layout(rowCount: figures.rows.count, totalCount: figures.totals.count)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.analysis)
        try sheet.title("Capacity: demand against capacity, and how the plan covers the shortfall")
        try sheet.notes(
            "Demand: the last 12 months' scans × (1 + growth)^(year − base year), held after the last decision year to the appraisal's end (an added unit's costs run that long); capacity: units in service at the target utilisation (Catalog/capacity.toml).",
            "Cover: fixed units added at the trust (full capacity from their year), scans from shared mobile units, and outsourced scans."
        )
        try sheet.header(Column.allCases.map(\.title), row: Layout.header, rightAligned: Set(3..<Column.allCases.count))
        for (index, row) in figures.rows.enumerated() {
            try writeRow(sheet, row, at: layout.first + index)
        }
        try writeTotals(sheet, figures, layout: layout)
        try sheet.finish(context.page(frozenRows: Layout.header + 1, frozenColumns: 1))
        guard !figures.totals.isEmpty else { return }
        try sheet.sheet.insertChart(chart(figures, layout: layout), row: layout.end, column: 0)
    }

    /// One trust row: the plan's figures as numbers, utilisation, shortfall and what is left uncovered as formulas.
    private static func writeRow(_ sheet: ReportSheet, _ row: CapacityCoverRow, at r: Int) throws {
        func cell(_ column: Column) -> String { "\(column.letters)\(r + 1)" }
        try sheet.text(row.trust, row: r, column: Column.trust.rawValue)
        try sheet.text(row.modality, row: r, column: Column.modality.rawValue)
        try sheet.number(Double(row.year), row: r, column: Column.year.rawValue, format: Style.plainInteger)
        try sheet.number(row.demandScans, row: r, column: Column.demand.rawValue, format: Style.integer)
        try sheet.number(row.capacityScans, row: r, column: Column.capacity.rawValue, format: Style.integer)
        if let utilisation = row.utilisation {
            try sheet.formula(
                "=\(cell(.demand))/\(cell(.capacity))",
                value: utilisation,
                row: r,
                column: Column.utilisation.rawValue,
                format: Style.percent
            )
        }
        try sheet.formula(
            "=MAX(0,\(cell(.demand))-\(cell(.capacity)))",
            value: row.shortfallScans,
            row: r,
            column: Column.shortfall.rawValue,
            format: Style.integer
        )
        try sheet.number(row.addedFixedScans, row: r, column: Column.addedFixed.rawValue, format: Style.integer)
        try sheet.number(row.mobileScans, row: r, column: Column.mobile.rawValue, format: Style.integer)
        try sheet.number(row.outsourcedScans, row: r, column: Column.outsourced.rawValue, format: Style.integer)
        try sheet.formula(
            "=MAX(0,\(cell(.shortfall))-\(cell(.addedFixed))-\(cell(.mobile))-\(cell(.outsourced)))",
            value: row.uncoveredScans,
            row: r,
            column: Column.uncovered.rawValue,
            format: Style.integer
        )
    }

    /// The network's demand, capacity in service and capacity with cover by modality and year, each a SUMIFS over
    /// the trust rows.
    private static func writeTotals(_ sheet: ReportSheet, _ figures: CapacityFigures, layout: Layout) throws {
        try sheet.header(
            [
                "Network", "Modality", "Year", "Demand (scans)", "Capacity in service (scans)",
                "Capacity with cover (scans)",
            ],
            row: layout.totalsHeader,
            rightAligned: [3, 4, 5]
        )
        for (index, total) in figures.totals.enumerated() {
            let r = layout.totalRow(index)
            try sheet.text("All trusts", row: r, column: 0)
            try sheet.text(total.modality, row: r, column: 1)
            try sheet.number(Double(total.year), row: r, column: 2, format: Style.plainInteger)
            func sum(_ column: Column) -> String {
                "SUMIFS(\(layout.range(column)),\(layout.range(.modality)),B\(r + 1),\(layout.range(.year)),C\(r + 1))"
            }
            try sheet.formula("=\(sum(.demand))", value: total.demandScans, row: r, column: 3, format: Style.integer)
            try sheet.formula(
                "=\(sum(.capacity))",
                value: total.capacityScans,
                row: r,
                column: 4,
                format: Style.integer
            )
            try sheet.formula(
                "=\(sum(.capacity))+\(sum(.addedFixed))+\(sum(.mobile))+\(sum(.outsourced))",
                value: total.coveredCapacityScans,
                row: r,
                column: 5,
                format: Style.integer
            )
        }
    }

    /// Demand and capacity with cover by year, a pair of lines per modality.
    private static func chart(_ figures: CapacityFigures, layout: Layout) -> Chart {
        var chart = SheetContext.chart(
            .line,
            title: "Network demand against capacity with cover",
            width: 720,
            height: 320
        )
        var start = 0
        while start < figures.totals.count {
            let modality = figures.totals[start].modality
            var end = start
            while end + 1 < figures.totals.count, figures.totals[end + 1].modality == modality { end += 1 }
            let rows = layout.totalRow(start)...layout.totalRow(end)
            let categories = CellRange(rows: rows, column: 2)
            chart.series += [
                ChartSeries(
                    name: "\(modality) demand",
                    sheet: name,
                    categories: categories,
                    values: CellRange(rows: rows, column: 3)
                ),
                ChartSeries(
                    name: "\(modality) capacity with cover",
                    sheet: name,
                    categories: categories,
                    values: CellRange(rows: rows, column: 5)
                ),
            ]
            start = end + 1
        }
        chart.valueAxis = ChartAxis(numberFormat: .integer)
        return chart
    }
}
