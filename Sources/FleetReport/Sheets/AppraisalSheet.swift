import FleetCore
import WorkbookWriter

/// The Appraisal sheet (HM Treasury Green Book): a year row and a discount-factor row, a block of cash flows per
/// option, the net present cost of each, the NPV of joint procurement and its sensitivity table and tornado chart.
enum AppraisalSheet: BusinessCaseSheet {
    static let name = "Appraisal"

    /// Where the rows stand, worked out from the number of options.
    struct Layout {
        /// The row of the years.
        static let yearRow = 3
        /// The row of the discount factors.
        static let factorRow = yearRow + 1
        /// The number of blocks: each trust alone, every trust alone, the joint plan.
        var blockCount: Int
        /// The lines of every block, in row order (``AppraisalLine/lines(of:)``).
        var lines: [AppraisalLine]
        /// Each line's offset under its block's title.
        private var offsets: [AppraisalLine: Int]
        /// Rows a block takes: its title, a row a line, the net present cost, the optimiser's cost and a gap.
        var rowsPerBlock: Int { 1 + lines.count + 3 }

        init(_ businessCase: BusinessCase) {
            blockCount = businessCase.standaloneOptions.count + 2
            lines = AppraisalLine.lines(of: businessCase.options)
            offsets = Dictionary(uniqueKeysWithValues: lines.enumerated().map { ($1, $0) })
        }

        /// The title row of block `index`.
        func blockTop(_ index: Int) -> Int { Self.yearRow + 3 + index * rowsPerBlock }
        /// The row of `line` in block `index` (a line the blocks lack is never asked for: the lines' formulas
        /// refer only to lines every block has).
        func row(_ line: AppraisalLine, block index: Int) -> Int { blockTop(index) + 1 + (offsets[line] ?? 0) }
        /// The row of block `index`'s net present cost.
        func netPresentCostRow(block index: Int) -> Int { blockTop(index) + 1 + lines.count }
        /// The title row of the net present costs under the blocks.
        var summaryTop: Int { blockTop(blockCount) }
        /// The row of the NPV of joint procurement.
        var netPresentValueRow: Int { summaryTop + 3 }
        /// The cell of the NPV of joint procurement, as `B60`.
        var netPresentValueCell: String { CellReference(row: netPresentValueRow, column: 1).a1 }
        /// The header row of the sensitivity table.
        var sensitivityHeader: Int { netPresentValueRow + 3 }
    }

    static func write(in context: SheetContext) throws {
        let figures = context.figures.appraisal
        let layout = Layout(context.businessCase)
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.appraisal)
        let years = figures.years
        let lastYearColumn = years.count
        sheet.setMaximumWidth(46, column: 0)
        try sheet.title("Appraisal: cash flows by option (HM Treasury Green Book)")
        try sheet.notes(
            "Capital scored (IFRS 16) is what a capital budget binds; cash cost = capital paid + revenue, each with its optimism bias, + VAT when the Assumptions count it.",
            "Present value = cash × discount factor. Timing penalties are counted undiscounted, as the optimiser counts them."
        )
        let yearRow = Layout.yearRow
        let factorRow = Layout.factorRow
        try sheet.header(["Year"], row: yearRow)
        for (offset, year) in years.enumerated() { try sheet.headerYear(year, row: yearRow, column: 1 + offset) }
        try sheet.header(["Total"], row: yearRow, firstColumn: lastYearColumn + 1, rightAligned: [lastYearColumn + 1])
        try sheet.text("Discount factor", row: factorRow, column: 0, format: Style.bold)
        for (offset, factor) in figures.discountFactors.enumerated() {
            let column = CellReference.columnLetters(1 + offset)
            try sheet.formula(
                "=1/(1+\(Name.discountRate))^(\(column)$\(yearRow + 1)-\(Name.baseYear))",
                value: factor,
                row: factorRow,
                column: 1 + offset,
                format: Style.factor
            )
        }
        for index in figures.blocks.indices {
            try writeBlock(sheet, figures, index: index, layout: layout)
        }
        try writeNetPresentValue(sheet, figures, layout: layout)
        try writeSensitivities(sheet, figures, layout: layout)
        try sheet.finish(context.page(frozenRows: factorRow + 1, frozenColumns: 1, repeatedRows: yearRow...factorRow))
        // The sensitivity table and its tornado chart start a page together.
        try sheet.sheet.setPageBreaks(beforeRows: [layout.sensitivityHeader - 1])
        try insertTornado(sheet, layout: layout)
    }

    /// The rows of one option's block, each line's values and formulas from ``AppraisalLine``.
    private static func writeBlock(
        _ sheet: ReportSheet,
        _ figures: AppraisalFigures,
        index: Int,
        layout: Layout
    ) throws {
        let block = figures.blocks[index]
        let n = figures.years.count
        let top = layout.blockTop(index)
        try sheet.text(block.option.name, row: top, column: 0, format: Style.section, measured: false)
        for (lineIndex, line) in figures.lines.enumerated() {
            let r = layout.row(line, block: index)
            try sheet.text(line.label, row: r, column: 0, format: line.isSubtotal ? Style.bold : nil)
            let format = line.isSubtotal ? Style.gbpBold : Style.gbp
            for (offset, value) in block.values[lineIndex].enumerated() {
                let column = CellReference.columnLetters(1 + offset)
                let formula: String?
                if line.isInput {
                    formula = block.summedBlocks.map { blocks in
                        "=" + blocks.map { "\(column)\(layout.row(line, block: $0) + 1)" }.joined(separator: "+")
                    }
                } else {
                    formula = line.formula(
                        in: figures.lines,
                        cell: { "\(column)\(layout.row($0, block: index) + 1)" },
                        discountFactor: "\(column)$\(Layout.factorRow + 1)"
                    )
                }
                if let formula {
                    try sheet.formula(formula, value: value, row: r, column: 1 + offset, format: format)
                } else {
                    try sheet.number(value, row: r, column: 1 + offset, format: format)
                }
            }
            try sheet.formula(
                "=SUM(\(CellRange(row: r, columns: 1...n).a1))",
                value: block.totals[lineIndex],
                row: r,
                column: n + 1,
                format: Style.gbpBold
            )
        }
        let npcRow = layout.netPresentCostRow(block: index)
        let totals = CellReference.columnLetters(n + 1)
        try sheet.text("Net present cost (PV + timing penalties)", row: npcRow, column: 0, format: Style.totalLabel)
        try sheet.formula(
            "=\(totals)\(layout.row(.presentValue, block: index) + 1)+\(totals)\(layout.row(.timingPenalty, block: index) + 1)",
            value: block.netPresentCostGBP,
            row: npcRow,
            column: n + 1,
            format: Style.gbpTotal
        )
        try sheet.text(
            "Optimiser's cost (no optimism bias, no VAT)",
            row: npcRow + 1,
            column: 0,
            format: Style.subtitle
        )
        try sheet.number(block.option.optimiserCostGBP.pounds, row: npcRow + 1, column: n + 1, format: Style.gbp)
    }

    /// The absolute reference of block `index`'s net present cost.
    private static func netPresentCostCell(_ figures: AppraisalFigures, block index: Int, layout: Layout) -> String {
        CellReference(row: layout.netPresentCostRow(block: index), column: figures.years.count + 1).absolute
    }

    /// The net present costs of every trust alone and of the joint plan under the blocks, and the NPV.
    private static func writeNetPresentValue(_ sheet: ReportSheet, _ figures: AppraisalFigures, layout: Layout) throws {
        var row = layout.summaryTop
        try sheet.text("Net present cost by option", row: row, column: 0, format: Style.section, measured: false)
        // Beside each option's NPC, its capital scored and revenue over the appraisal (undiscounted), from its block.
        try sheet.header(
            ["Net present cost", "Capital scored", "Revenue"],
            row: row,
            firstColumn: 1,
            rightAligned: [1, 2, 3]
        )
        let total = figures.years.count + 1
        for (label, index) in [("Every trust alone", figures.aloneBlock), ("Joint plan", figures.jointBlock)] {
            row += 1
            try sheet.text(label, row: row, column: 0)
            try sheet.formula(
                "=\(netPresentCostCell(figures, block: index, layout: layout))",
                value: figures.blocks[index].netPresentCostGBP,
                row: row,
                column: 1,
                format: Style.gbp
            )
            for (column, line) in [(2, AppraisalLine.capitalScored), (3, .revenue)] {
                guard let offset = figures.lines.firstIndex(of: line) else { continue }
                try sheet.formula(
                    "=\(CellReference(row: layout.row(line, block: index), column: total).absolute)",
                    value: figures.blocks[index].totals[offset],
                    row: row,
                    column: column,
                    format: Style.gbp
                )
            }
        }
        row = layout.netPresentValueRow
        try sheet.text("NPV of joint procurement", row: row, column: 0, format: Style.totalLabel)
        try sheet.formula(
            "=B\(row - 1)-B\(row)",
            value: figures.netPresentValueGBP,
            row: row,
            column: 1,
            format: Style.gbpTotal
        )
    }

    /// The NPV with each input moved down and up, each end a formula over the blocks that recalculates from the
    /// Assumptions (``Appraisal/netPresentCostFormula(row:years:moving:by:)``).
    private static func writeSensitivities(_ sheet: ReportSheet, _ figures: AppraisalFigures, layout: Layout) throws {
        var row = layout.sensitivityHeader - 1
        try sheet.text(
            "Sensitivity of the NPV of joint procurement",
            row: row,
            column: 0,
            format: Style.section,
            measured: false
        )
        row += 1
        try sheet.header(
            ["Input moved", "Step", "NPV, input down", "NPV, input up", "Change, down", "Change, up"],
            row: row,
            rightAligned: Set(1...5)
        )
        let n = figures.years.count
        let years = CellRange(row: Layout.yearRow, columns: 1...n).absolute
        let npvCell = CellReference(row: layout.netPresentValueRow, column: 1).absolute
        let base = figures.netPresentValueGBP
        for (input, sensitivity) in zip(SensitivityInput.allCases, figures.sensitivities) {
            row += 1
            try sheet.text(sensitivity.input, row: row, column: 0)
            try sheet.formula("=\(input.stepName)", value: sensitivity.step, row: row, column: 1, format: Style.percent)
            for (column, sign, value) in [(2, "-", sensitivity.lowNPV), (3, "+", sensitivity.highNPV)] {
                let cost = { (block: Int) in
                    Appraisal.netPresentCostFormula(
                        row: { CellRange(row: layout.row($0, block: block), columns: 1...n).absolute },
                        years: years,
                        moving: input,
                        by: "\(sign)\(input.stepName)"
                    )
                }
                let formula = "=\(cost(figures.aloneBlock))-\(cost(figures.jointBlock))"
                try sheet.formula(formula, value: value, row: row, column: column, format: Style.gbp)
            }
            for (column, letter, value) in [(4, "C", sensitivity.lowNPV), (5, "D", sensitivity.highNPV)] {
                try sheet.formula(
                    "=\(letter)\(row + 1)-\(npvCell)",
                    value: value - base,
                    row: row,
                    column: column,
                    format: Style.gbp
                )
            }
        }
    }

    /// The tornado chart of the sensitivity table, under it.
    private static func insertTornado(_ sheet: ReportSheet, layout: Layout) throws {
        let sensitivityRows =
            (layout.sensitivityHeader + 1)...(layout.sensitivityHeader + SensitivityInput.allCases.count)
        let width = Int((0...5).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        var tornado = SheetContext.chart(
            .bar,
            title: "Tornado: change in the NPV of joint procurement",
            width: max(560, width),
            height: 300
        )
        tornado.series = [
            ChartSeries(
                name: "Input down",
                sheet: name,
                categories: CellRange(rows: sensitivityRows, column: 0),
                values: CellRange(rows: sensitivityRows, column: 4),
                color: .amber
            ),
            ChartSeries(
                name: "Input up",
                sheet: name,
                categories: CellRange(rows: sensitivityRows, column: 0),
                values: CellRange(rows: sensitivityRows, column: 5),
                color: .nhsBlue
            ),
        ]
        tornado.categoryAxis = ChartAxis(isReversed: true, labelPosition: .low, crossesAtMaximum: true)
        tornado.valueAxis = ChartAxis(numberFormat: .gbpThousands)
        tornado.seriesOverlapPercent = 100
        tornado.gapWidthPercent = 60
        try sheet.sheet.insertChart(tornado, row: sensitivityRows.upperBound + 2, column: 0)
    }
}
