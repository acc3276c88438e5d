import FleetCore
import FleetPriority
import WorkbookWriter

/// The Age profile sheet: in-service units by completed years of age, by trust and for the network (the last
/// row), against the COCIR rule, with its chart.
enum AgeProfileSheet: BusinessCaseSheet {
    static let name = "Age profile"

    /// The sheet's columns.
    enum Column {
        static let group = 0
        static let units = 1
        static let aged0To5 = 2
        static let aged6To10 = 3
        static let agedOver10 = 4
        static let share0To5 = 5
        static let share6To10 = 6
        static let shareOver10 = 7
        static let meetsCOCIR = 8
    }

    /// Where the groups stand: a header row, then a row a group, the whole network last.
    struct Layout {
        /// The groups' rows.
        var rows: BlockRows

        init(_ businessCase: BusinessCase) { rows = BlockRows(header: 3, count: businessCase.ageProfile.count) }

        /// The network row's cell in `column`, as `E12`.
        func networkCell(_ column: Int) -> String { CellReference(row: rows.last, column: column).a1 }
    }

    static func write(in context: SheetContext) throws {
        let businessCase = context.businessCase
        let layout = Layout(businessCase)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.analysis)
        sheet.setMaximumWidth(60, column: 0)
        try sheet.title("Age profile against the COCIR rule")
        try sheet.notes(
            "In-service units by completed years of age at \(businessCase.asOf.iso).",
            "COCIR golden rules: at least 60 % aged 0–5, at most 30 % aged 6–10, at most 10 % over 10 years."
        )
        // Broken by hand: a spreadsheet would break "0–5" at its dash.
        let headers = [
            "Group", "Units", "Aged\n0–5", "Aged\n6–10", "Over\n10", "Share\n0–5", "Share\n6–10", "Share\nover 10",
            "Meets\nCOCIR",
        ]
        let headerRow = layout.rows.header
        try sheet.header(headers, row: headerRow, rightAligned: Set(1...7), centered: [8])
        for (offset, group) in businessCase.ageProfile.enumerated() {
            let r = headerRow + 1 + offset
            let excel = r + 1
            let isNetwork = r == layout.rows.last
            let bold: (CellFormat) -> CellFormat = { isNetwork ? $0.bold().topBorder(.thin) : $0 }
            try sheet.text(group.group, row: r, column: 0, format: bold(Style.text))
            try sheet.formula(
                "=SUM(C\(excel):E\(excel))",
                value: Double(group.units),
                row: r,
                column: 1,
                format: bold(Style.integer)
            )
            try sheet.number(Double(group.unitsAged0To5), row: r, column: 2, format: bold(Style.integer))
            try sheet.number(Double(group.unitsAged6To10), row: r, column: 3, format: bold(Style.integer))
            try sheet.number(Double(group.unitsAgedOver10), row: r, column: 4, format: bold(Style.integer))
            let shares = context.figures.ageGroups[offset].shares
            for (index, letter) in ["C", "D", "E"].enumerated() {
                try sheet.formula(
                    "=IF(B\(excel)=0,0,\(letter)\(excel)/B\(excel))",
                    value: shares[index],
                    row: r,
                    column: 5 + index,
                    format: bold(Style.percent)
                )
            }
            let meets = context.figures.ageGroups[offset].meetsCOCIR
            try sheet.formula(
                "=IF(AND(B\(excel)>0,F\(excel)>=\(Name.cocirYoungMinimum),G\(excel)<=\(Name.cocirMiddleMaximum),"
                    + "H\(excel)<=\(Name.cocirOldMaximum)),\"yes\",\"no\")",
                text: meets ? "yes" : "no",
                row: r,
                column: 8,
                format: bold(Style.text.aligned(HorizontalAlignment.center))
            )
        }
        let rows = layout.rows
        if rows.count > 0 {
            try sheet.sheet.addConditionalFormat(
                .formula("=$H\(rows.first + 1)>\(Name.cocirOldMaximum)", format: CellFormat(fillColor: .lightRed)),
                to: CellRange(rows: rows.rows, column: 7)
            )
            try sheet.sheet.addConditionalFormat(
                .formula("=$I\(rows.first + 1)=\"no\"", format: CellFormat(isBold: true, fontColor: .red)),
                to: CellRange(rows: rows.rows, column: 8)
            )
        }
        // One page while the groups fit on it with their chart.
        try sheet.finish(
            context.page(
                frozenRows: headerRow + 1,
                repeatedRows: headerRow...headerRow,
                pagesHigh: rows.count <= 14 ? 1 : 0
            )
        )
        guard rows.count > 0 else { return }
        let width = Int((0...8).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        try sheet.sheet.insertChart(
            chart(layout, width: min(width, 900), height: 90 + 34 * rows.count),
            row: rows.last + 3,
            column: 0
        )
    }

    /// Each group's share of units aged 0–5, 6–10 and over 10, as horizontal bars stacked to 100 %, groups in
    /// sheet order from the top (long trust names read better beside a bar than under a column).
    static func chart(_ layout: Layout, width: Int, height: Int) -> Chart {
        let rows = layout.rows
        var chart = SheetContext.chart(
            .stackedBar,
            title: "Share of units by age against the COCIR rule",
            width: width,
            height: height
        )
        chart.series = [
            ("0–5 years", Column.share0To5, Color.green), ("6–10 years", Column.share6To10, .amber),
            ("over 10 years", Column.shareOver10, .red),
        ].map { series, column, color in
            ChartSeries(
                name: series,
                sheet: name,
                categories: rows.cells(column: Column.group),
                values: rows.cells(column: column),
                color: color
            )
        }
        chart.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        chart.valueAxis = ChartAxis(numberFormat: .percent, minimum: 0, maximum: 1)
        chart.gapWidthPercent = 60
        return chart
    }
}
