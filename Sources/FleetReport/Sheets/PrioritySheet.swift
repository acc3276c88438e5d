import FleetCore
import FleetPriority
import WorkbookWriter

/// The Priority sheet: the ranking with every criterion score, the weights as inputs and the score as a formula
/// over them.
enum PrioritySheet: BusinessCaseSheet {
    static let name = "Priority"

    /// Where the ranking's rows and columns stand: seven columns of the unit, one a criterion, then the score, the
    /// band and the rule that raised it.
    struct Layout {
        /// The row of the weights (inputs) over the criterion columns.
        static let weightRow = 3
        /// The first criterion's column.
        static let firstCriterion = 7
        /// The ranked units, one row each under the header.
        var rows: BlockRows
        /// The last criterion's column.
        var lastCriterion: Int
        /// The score's column.
        var scoreColumn: Int { lastCriterion + 1 }
        /// The band's column.
        var bandColumn: Int { scoreColumn + 1 }

        init(_ businessCase: BusinessCase) {
            self.init(unitCount: businessCase.priorities.count, criterionCount: businessCase.criterionNames.count)
        }

        /// The layout of a ranking of `unitCount` units on `criterionCount` criteria.
        init(unitCount: Int, criterionCount: Int) {
            rows = BlockRows(header: 5, count: unitCount)
            lastCriterion = Self.firstCriterion + criterionCount - 1
        }

        /// The absolute range of the band column's data cells.
        var bandRange: String { rows.cells(column: bandColumn).absolute }
    }

    static func write(in context: SheetContext) throws {
        let businessCase = context.businessCase
        try write(
            businessCase.priorities,
            criteria: businessCase.criterionNames,
            scores: context.figures.priorityScores,
            in: context.workbook,
            context.labels
        )
    }

    /// Writes the ranked units `priorities` (highest first) on `criteria` as the Priority sheet of `workbook` (the
    /// business case's, or the national report's), each row's score formula carrying its value from `scores`, its
    /// pages labelled with `labels`.
    static func write(
        _ priorities: [PriorityRow],
        criteria: [String],
        scores: [Double],
        in workbook: Workbook,
        _ labels: PageLabels
    ) throws {
        let sheet = try ReportSheet(workbook, name: name, tab: Tab.data)
        let layout = Layout(unitCount: priorities.count, criterionCount: criteria.count)
        let firstCriterion = Layout.firstCriterion
        let lastCriterion = layout.lastCriterion
        let scoreColumn = layout.scoreColumn
        let headers =
            ["Rank", "Asset ID", "Trust", "Site", "Modality", "Class", "Age (years)"]
            + criteria.map { $0.prefix(1).uppercased() + $0.dropFirst() } + [
                "Score\n(0–100)", "Band", "Band raised by",
            ]
        try sheet.title("Replacement priority")
        try sheet.notes(
            "Score = 100 × Σ weight × criterion score ÷ Σ weight; criterion scores run from 0 (no need) to 1 (urgent).",
            "Change a weight (yellow) and every score recalculates; the bands and ranks are the tool's and do not."
        )
        try setWidths(sheet, priorities: priorities, headers: headers, layout: layout)
        let weightRow = Layout.weightRow
        let headerRow = layout.rows.header
        try sheet.text(
            "Weight",
            row: weightRow,
            column: firstCriterion - 1,
            format: Style.bold.aligned(.right),
            measured: false
        )
        let weights = priorities.first?.criterionWeights ?? criteria.map { _ in 1 }
        for (offset, weight) in weights.enumerated() {
            try sheet.number(
                weight,
                row: weightRow,
                column: firstCriterion + offset,
                format: Style.input.numberFormat(.decimal(places: 2))
            )
        }
        if criteria.count > 1 {
            try sheet.sheet.mergeRange(
                CellRange(row: headerRow - 1, columns: firstCriterion...lastCriterion),
                text: "Criterion scores (0 = no need, 1 = urgent)",
                format: Style.header.aligned(HorizontalAlignment.center).fill(.nhsDarkBlue)
            )
        }
        try sheet.header(
            headers,
            row: headerRow,
            rightAligned: Set([6] + Array(firstCriterion...scoreColumn)),
            centered: [0],
            indented: [scoreColumn + 1]
        )
        let weightRange = CellRange(row: weightRow, columns: firstCriterion...lastCriterion).absolute
        for (index, row) in priorities.enumerated() {
            let r = headerRow + 1 + index
            try sheet.number(
                Double(row.rank),
                row: r,
                column: 0,
                format: Style.plainInteger.aligned(HorizontalAlignment.center)
            )
            try sheet.text(row.assetID.rawValue, row: r, column: 1)
            try sheet.text(row.trust.rawValue, row: r, column: 2)
            try sheet.text(row.site.rawValue, row: r, column: 3)
            try sheet.text(row.modality.rawValue, row: r, column: 4)
            try sheet.text(row.equipmentClass, row: r, column: 5)
            try sheet.number(row.ageYears, row: r, column: 6, format: Style.decimal1)
            for (offset, score) in row.criterionScores.enumerated() {
                try sheet.number(score, row: r, column: firstCriterion + offset, format: Style.decimal2)
            }
            let criterionCells = CellRange(row: r, columns: firstCriterion...lastCriterion).a1
            try sheet.formula(
                "=100*SUMPRODUCT(\(criterionCells),\(weightRange))/SUM(\(weightRange))",
                value: scores[index],
                row: r,
                column: scoreColumn,
                format: Style.decimal1
            )
            try sheet.text(row.band, row: r, column: scoreColumn + 1, format: Style.text.indented(1))
            if !row.bandRule.isEmpty { try sheet.text(row.bandRule, row: r, column: scoreColumn + 2) }
        }
        try addFilterAndFormats(sheet, layout: layout)
        try sheet.finish(labels.page(frozenRows: headerRow + 1, frozenColumns: 2, repeatedRows: headerRow...headerRow))
    }

    /// Filters on the header, a colour scale on the scores, bars behind the criterion scores and the urgent bands
    /// filled; nothing when no unit is ranked.
    private static func addFilterAndFormats(_ sheet: ReportSheet, layout: Layout) throws {
        guard layout.rows.count > 0 else { return }
        let headerRow = layout.rows.header
        let firstCriterion = Layout.firstCriterion
        let lastCriterion = layout.lastCriterion
        let scoreColumn = layout.scoreColumn
        let lastRow = headerRow + layout.rows.count
        try sheet.sheet.setAutofilter(CellRange(rows: headerRow...lastRow, columns: 0...(scoreColumn + 2)))
        let dataRows = (headerRow + 1)...lastRow
        try sheet.sheet.addConditionalFormat(
            .threeColorScale(minimum: .lightGreen, midpoint: .lightAmber, maximum: .lightRed),
            to: CellRange(rows: dataRows, column: scoreColumn)
        )
        // Pale bars on a fixed 0–1 scale behind the criterion scores: light on the page, the numbers stay
        // readable, and a bar means the same in every column.
        try sheet.sheet.addConditionalFormat(
            .dataBar(Color(rgb: 0xBDD7EE), isSolid: false, minimum: 0, maximum: 1),
            to: CellRange(rows: dataRows, columns: firstCriterion...lastCriterion)
        )
        let bandCell = CellReference(row: dataRows.lowerBound, column: scoreColumn + 1)
        let bandColumn = "$" + CellReference.columnLetters(bandCell.column) + String(bandCell.row + 1)
        for (band, color) in [
            (Band.replaceNow.label, Color.lightRed), (Band.replaceWithin2Years.label, .lightAmber),
        ] {
            try sheet.sheet.addConditionalFormat(
                .formula("=\(bandColumn)=\"\(band)\"", format: CellFormat(fillColor: color)),
                to: CellRange(rows: dataRows, column: scoreColumn + 1)
            )
        }
    }

    /// Sets every column's width before any row is written, for constant-memory mode.
    private static func setWidths(
        _ sheet: ReportSheet,
        priorities: [PriorityRow],
        headers: [String],
        layout: Layout
    ) throws {
        let firstCriterion = Layout.firstCriterion
        let lastCriterion = layout.lastCriterion
        let scoreColumn = layout.scoreColumn
        func widest(_ text: (PriorityRow) -> String) -> Double {
            priorities.reduce(0.0) { max($0, TextWidth.of(text($1))) }
        }
        let least = headers.map { ReportSheet.leastHeaderWidth($0) }
        try sheet.setWidth(max(least[0], TextWidth.of(Double(priorities.count), format: .plainInteger)), column: 0)
        try sheet.setWidth(min(30, max(least[1], widest { $0.assetID.rawValue })), column: 1)
        // Names on one line: a ranking reads down its rows, and one-line rows keep the criterion bars slim.
        try sheet.setWidth(min(56, max(least[2], widest { $0.trust.rawValue })), column: 2)
        try sheet.setWidth(min(40, max(least[3], widest { $0.site.rawValue })), column: 3)
        try sheet.setWidth(max(least[4], widest { $0.modality.rawValue }), column: 4)
        try sheet.setWidth(min(20, max(least[5], widest { $0.equipmentClass })), column: 5)
        try sheet.setWidth(max(least[6], 8), column: 6)
        for column in firstCriterion...max(firstCriterion, lastCriterion) where column <= lastCriterion {
            try sheet.setWidth(max(least[column], 9), column: column)
        }
        try sheet.setWidth(max(least[scoreColumn], 9), column: scoreColumn)
        try sheet.setWidth(max(least[scoreColumn + 1], widest { $0.band } + 2), column: scoreColumn + 1)
        try sheet.wrap(column: scoreColumn + 2, width: min(26, max(least[scoreColumn + 2], widest { $0.bandRule })))

    }
}
