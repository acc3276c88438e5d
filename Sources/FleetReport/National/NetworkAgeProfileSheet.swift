import FleetCore
import FleetPriority
import WorkbookWriter

/// The Age profile by network sheet: each network's in-service units by completed years of age against the COCIR
/// rule, and the national row, whose counts are sums of the networks' rows; with its chart.
enum NetworkAgeProfileSheet: NationalSheet {
    static let name = "Age profile by network"

    /// The columns, as on the business case's Age profile sheet.
    typealias Column = AgeProfileSheet.Column

    /// Where the networks stand: a header row, a row a network, the national row last.
    struct Layout {
        static let headerRow = 3
        /// The networks' rows (one row even when there are none).
        var rows: BlockRows
        /// The national row.
        var nationalRow: Int { rows.last + 1 }

        init(_ figures: NationalFigures) { rows = BlockRows(header: Self.headerRow, count: figures.networks.count) }

        /// The national row's cell in `column`, qualified by the sheet's name.
        func nationalCell(_ column: Int) -> String {
            CellReference(row: nationalRow, column: column).qualified(sheet: name)
        }
    }

    static func write(in context: NationalContext) throws {
        let figures = context.figures
        let layout = Layout(figures)
        let rule = AgeProfile.Rule.cocir
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.analysis)
        sheet.setMaximumWidth(48, column: Column.group)
        try sheet.title("Age profile by network against the COCIR rule")
        try sheet.notes(
            "In-service units by completed years of age at \(context.nationalCase.asOf.iso); the national row sums "
                + "the networks.",
            "COCIR golden rules: at least \(rule.minimumPercentAged0To5) % aged 0–5, at most "
                + "\(rule.maximumPercentAged6To10) % aged 6–10, at most \(rule.maximumPercentAgedOver10) % over 10 years."
        )
        let headers = [
            "Network", "Units", "Aged\n0–5", "Aged\n6–10", "Over\n10", "Share\n0–5", "Share\n6–10", "Share\nover 10",
            "Meets\nCOCIR",
        ]
        try sheet.header(headers, row: Layout.headerRow, rightAligned: Set(1...7), centered: [8])
        let groups = figures.networks.map(\.age) + [figures.nationalAge]
        let countColumns = [Column.aged0To5, Column.aged6To10, Column.agedOver10]
        for (offset, group) in groups.enumerated() {
            let r = layout.rows.first + offset
            let excel = r + 1
            let isNational = r == layout.nationalRow
            let bold: (CellFormat) -> CellFormat = { isNational ? $0.bold().topBorder(.thin) : $0 }
            try sheet.text(
                isNational ? "National" : group.row.group,
                row: r,
                column: Column.group,
                format: bold(Style.text)
            )
            try sheet.formula(
                "=SUM(C\(excel):E\(excel))",
                value: Double(group.row.units),
                row: r,
                column: Column.units,
                format: bold(Style.integer)
            )
            let counts = [group.row.unitsAged0To5, group.row.unitsAged6To10, group.row.unitsAgedOver10]
            for (column, count) in zip(countColumns, counts) {
                if isNational {
                    try sheet.formula(
                        "=SUM(\(layout.rows.cells(column: column).a1))",
                        value: Double(count),
                        row: r,
                        column: column,
                        format: bold(Style.integer)
                    )
                } else {
                    try sheet.number(Double(count), row: r, column: column, format: Style.integer)
                }
            }
            for (index, letter) in ["C", "D", "E"].enumerated() {
                try sheet.formula(
                    "=IF(B\(excel)=0,0,\(letter)\(excel)/B\(excel))",
                    value: group.shares[index],
                    row: r,
                    column: Column.share0To5 + index,
                    format: bold(Style.percent)
                )
            }
            // The COCIR limits as numbers: the national workbook has no Assumptions sheet to name them on.
            try sheet.formula(
                "=IF(AND(B\(excel)>0,F\(excel)>=\(rule.minimumShareAged0To5),G\(excel)<=\(rule.maximumShareAged6To10),"
                    + "H\(excel)<=\(rule.maximumShareAgedOver10)),\"yes\",\"no\")",
                text: group.meetsCOCIR ? "yes" : "no",
                row: r,
                column: Column.meetsCOCIR,
                format: bold(Style.text.aligned(HorizontalAlignment.center))
            )
        }
        let rows = layout.rows
        if !figures.networks.isEmpty {
            try sheet.sheet.addConditionalFormat(
                .formula(
                    "=$H\(rows.first + 1)>\(rule.maximumShareAgedOver10)",
                    format: CellFormat(fillColor: .lightRed)
                ),
                to: CellRange(rows: rows.first...layout.nationalRow, column: Column.shareOver10)
            )
            try sheet.sheet.addConditionalFormat(
                .formula("=$I\(rows.first + 1)=\"no\"", format: CellFormat(isBold: true, fontColor: .red)),
                to: CellRange(rows: rows.first...layout.nationalRow, column: Column.meetsCOCIR)
            )
        }
        try sheet.finish(
            context.labels.page(
                frozenRows: Layout.headerRow + 1,
                repeatedRows: Layout.headerRow...Layout.headerRow
            )
        )
        guard !figures.networks.isEmpty else { return }
        let width = Int((0...8).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        try sheet.sheet.insertChart(
            chart(layout, width: min(width, 900), height: 90 + 20 * (rows.count + 1)),
            row: layout.nationalRow + 3,
            column: 0
        )
    }

    /// Each network's (and the nation's) share of units aged 0–5, 6–10 and over 10, as bars stacked to 100 %.
    static func chart(_ layout: Layout, width: Int, height: Int) -> Chart {
        let groups = layout.rows.first...layout.nationalRow
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
                categories: CellRange(rows: groups, column: Column.group),
                values: CellRange(rows: groups, column: column),
                color: color
            )
        }
        chart.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        chart.valueAxis = ChartAxis(numberFormat: .percent, minimum: 0, maximum: 1)
        chart.gapWidthPercent = 40
        return chart
    }
}
