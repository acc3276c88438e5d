import FleetCore
import Foundation
import WorkbookWriter

/// Writes the business-case workbook: the spec's sheets in order, every formula with the value computed here,
/// assumptions as named cells, and user text always as text.
///
/// Each sheet is written top to bottom, row by row, so the same code works in libxlsxwriter's constant-memory
/// mode, which a national register (tens of thousands of rows) needs to keep memory flat.
public struct BusinessCaseWorkbook: Sendable {
    /// The sheet names, in the order the spec gives.
    public static let sheetNames = [
        "Summary", "Assumptions", "Register", "Priority", "Age profile", "Capital plan", "Joint procurement",
        "Savings allocation", "Appraisal", "Method",
    ]

    /// Registers larger than this are written in constant-memory mode by default.
    public static let constantMemoryThreshold = 5_000

    /// The case to write.
    public let businessCase: BusinessCase
    /// Registers with more units than this are written in constant-memory mode: each row goes to disk as the next
    /// starts, so memory stays flat however large the Register and Priority sheets grow (no Excel table on the
    /// Register then, only filters on its header).
    public let constantMemoryThreshold: Int

    /// A writer for `businessCase`; `constantMemoryThreshold` is the register size above which rows are written
    /// straight to disk (0 always does).
    public init(businessCase: BusinessCase, constantMemoryThreshold: Int = BusinessCaseWorkbook.constantMemoryThreshold)
    {
        self.businessCase = businessCase
        self.constantMemoryThreshold = constantMemoryThreshold
    }

    /// Writes the workbook to `path` through a temporary file renamed into place, so a failure never leaves a
    /// truncated workbook or destroys an earlier one.
    /// - Returns: what was written, for the command line's summary.
    /// - Throws: ``WorkbookError`` (the CLI ends with exit 4) when the file cannot be written.
    @discardableResult
    public func write(to path: String) throws -> WrittenWorkbook {
        let workbook = try Workbook(
            path: path,
            constantMemory: businessCase.register.count > constantMemoryThreshold
        )
        try workbook.setProperties(
            title: "Imaging equipment business case — \(businessCase.title)",
            subject: "Joint procurement appraisal",
            author: "ImagingFleet"
        )
        var writer = SheetWriter(workbook: workbook, businessCase: businessCase)
        try writer.writeAll()
        try workbook.close()
        return WrittenWorkbook(path: path, figures: writer.figures)
    }
}

/// The headline figures of a written workbook, as its Summary sheet shows them.
public struct WrittenWorkbook: Sendable {
    /// Where it was written.
    public var path: String
    /// Headline figures by label.
    public var figures: [(label: String, value: Double)]
}

/// Named cells of the Assumptions sheet, referred to by the formulas of the other sheets.
enum Name {
    static let discountRate = "DiscountRate"
    static let baseYear = "BaseYear"
    static let horizonYears = "HorizonYears"
    static let appraisalYears = "AppraisalYears"
    static let vatRate = "VATRate"
    static let includeVAT = "IncludeVAT"
    static let optimismBias = "OptimismBias"
    static let sensitivityPrice = "SensitivityPrice"
    static let sensitivityTierDiscount = "SensitivityTierDiscount"
    static let sensitivityDiscountRate = "SensitivityDiscountRate"
    static let sensitivityTimingPenalty = "SensitivityTimingPenalty"
    static let cocirYoungMinimum = "COCIRYoungMinimum"
    static let cocirMiddleMaximum = "COCIRMiddleMaximum"
    static let cocirOldMaximum = "COCIROldMaximum"
}

/// The formats the sheets share.
enum Style {
    static let title = CellFormat(isBold: true, fontSizeInPoints: 14, fontColor: .nhsDarkBlue)
    static let subtitle = CellFormat(isItalic: true, fontColor: .grey)
    static let header = CellFormat(
        isBold: true,
        fontColor: .white,
        fillColor: .nhsBlue,
        verticalAlignment: .top,
        isWrapped: true
    )
    static let section = CellFormat(isBold: true, fontColor: .nhsDarkBlue).bottomBorder(.thin)
    static let text = CellFormat(verticalAlignment: .top)
    static let wrapped = CellFormat(verticalAlignment: .top, isWrapped: true)
    static let gbp = CellFormat(numberFormat: .gbp)
    static let gbpBold = CellFormat(numberFormat: .gbp, isBold: true)
    static let gbpTotal = CellFormat(numberFormat: .gbp, isBold: true).topBorder(.thin)
    static let percent = CellFormat(numberFormat: .percent(decimals: 1))
    static let integer = CellFormat(numberFormat: .integer)
    static let plainInteger = CellFormat(numberFormat: .plainInteger)
    static let decimal1 = CellFormat(numberFormat: .decimal(places: 1))
    static let decimal2 = CellFormat(numberFormat: .decimal(places: 2))
    static let factor = CellFormat(numberFormat: .decimal(places: 4))
    static let date = CellFormat(numberFormat: .displayDate)
    static let input = CellFormat(fillColor: .inputYellow, border: .thin, borderColor: Color(rgb: 0xBFBFBF))
    static let bold = CellFormat(isBold: true)
    static let totalLabel = CellFormat(isBold: true).topBorder(.thin)
    static let centered = CellFormat(horizontalAlignment: .center, verticalAlignment: .top)
    static let note = CellFormat(isItalic: true, fontColor: .grey, verticalAlignment: .top, isWrapped: true)
}

/// Tab colours: the NHS identity palette, one colour per kind of sheet.
enum Tab {
    /// Summary.
    static let summary = Color.nhsBlue
    /// Inputs that finance changes.
    static let inputs = Color(rgb: 0xFFB81C)
    /// Data as imported or ranked.
    static let data = Color(rgb: 0x768692)
    /// Analyses of the fleet and the plan.
    static let analysis = Color.nhsDarkBlue
    /// Procurement and its savings.
    static let procurement = Color(rgb: 0x009639)
    /// The appraisal.
    static let appraisal = Color(rgb: 0x330072)
    /// Method and sources.
    static let method = Color(rgb: 0x425563)
}

/// Writes the sheets of one workbook in order.
struct SheetWriter {
    let workbook: Workbook
    let businessCase: BusinessCase
    let appraisal: Appraisal
    let years: [Int]
    var figures: [(label: String, value: Double)] = []

    /// Rows of the figures other sheets refer to, filled in as the sheets are planned.
    var layout: Layout

    init(workbook: Workbook, businessCase: BusinessCase) {
        self.workbook = workbook
        self.businessCase = businessCase
        appraisal = Appraisal(assumptions: businessCase.assumptions)
        years = businessCase.assumptions.years
        layout = Layout(businessCase: businessCase)
    }

    mutating func writeAll() throws {
        try writeSummary()
        try writeAssumptions()
        try writeRegister()
        try writePriority()
        try writeAgeProfile()
        try writeCapitalPlan()
        try writeJointProcurement()
        try writeSavingsAllocation()
        try writeAppraisal()
        try writeMethod()
    }

    /// The page setup every sheet shares, with its own frozen and repeated rows.
    private func page(
        frozenRows: Int? = nil,
        frozenColumns: Int = 0,
        repeatedRows: ClosedRange<Int>? = nil,
        pagesHigh: Int = 0
    ) -> ReportSheet.PageSetup {
        ReportSheet.PageSetup(
            frozenRows: frozenRows,
            frozenColumns: frozenColumns,
            repeatedRows: repeatedRows,
            pagesHigh: pagesHigh,
            headerRight: businessCase.title,
            footerLeft: "Imaging equipment business case · as of \(businessCase.asOf.iso)"
        )
    }

    /// A chart in the workbook's house style: a 12-point title, 9-point labels and legend.
    private func chart(_ kind: Chart.Kind, title: String, width: Int, height: Int) -> Chart {
        var chart = Chart(kind, title: title, widthInPixels: width, heightInPixels: height)
        chart.titleFontSizeInPoints = 12
        chart.fontSizeInPoints = 9
        return chart
    }

    /// Each group's share of units aged 0–5, 6–10 and over 10, as horizontal bars stacked to 100 %, groups in
    /// sheet order from the top (long trust names read better beside a bar than under a column).
    private func ageChart(width: Int, height: Int) -> Chart {
        let rows = layout.ageGroupRows
        var chart = chart(
            .stackedBar,
            title: "Share of units by age against the COCIR rule",
            width: width,
            height: height
        )
        chart.series = [
            ("0–5 years", 5, Color.green), ("6–10 years", 6, .amber), ("over 10 years", 7, .red),
        ].map { name, column, color in
            ChartSeries(
                name: name,
                sheet: "Age profile",
                categories: rows.categories(column: 0),
                values: rows.values(column: column),
                color: color
            )
        }
        chart.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        chart.valueAxis = ChartAxis(numberFormat: .percent, minimum: 0, maximum: 1)
        chart.gapWidthPercent = 60
        return chart
    }

    /// The joint plan's capital by year, a column per decision year stacked by trust.
    private func capitalChart(width: Int, height: Int) -> Chart {
        let plan = layout.capitalPlan
        var chart = chart(.stackedColumn, title: "Joint-plan capital by year and trust", width: width, height: height)
        chart.series = businessCase.standaloneOptions.indices.map { index in
            // Named by the trust's cell: a trust's name is imported text and may start with '='.
            ChartSeries(
                nameCell: CellReference(row: plan.jointFirst + index, column: 0),
                sheet: "Capital plan",
                categories: plan.categories,
                values: CellRange(row: plan.jointFirst + index, columns: plan.yearColumns)
            )
        }
        chart.valueAxis = ChartAxis(numberFormat: .gbpMillions)
        return chart
    }

    /// Budget against the joint plan's capital of the trusts that have a budget, by decision year. libxlsxwriter
    /// cannot combine a line with columns, so the budget is a column beside the capital.
    private func budgetChart(width: Int, height: Int) -> Chart {
        let plan = layout.capitalPlan
        var chart = chart(.column, title: "Capital budget against the plan", width: width, height: height)
        chart.series = [
            ChartSeries(
                name: "Capital budget",
                sheet: "Capital plan",
                categories: plan.categories,
                values: CellRange(row: plan.comparisonBudget, columns: plan.yearColumns),
                color: Color(rgb: 0xA6A6A6)
            ),
            ChartSeries(
                name: "Joint-plan capital of those trusts",
                sheet: "Capital plan",
                categories: plan.categories,
                values: CellRange(row: plan.comparisonCapital, columns: plan.yearColumns),
                color: .nhsBlue
            ),
        ]
        chart.valueAxis = ChartAxis(numberFormat: .gbpMillions)
        chart.gapWidthPercent = 80
        return chart
    }

    // MARK: - Summary

    mutating func writeSummary() throws {
        let sheet = try ReportSheet(workbook, name: "Summary", tab: Tab.summary, maximumWidth: 50)
        sheet.sheet.activate()
        sheet.sheet.hideGridlines()
        try sheet.title("Imaging equipment replacement — business case")
        try sheet.notes("\(businessCase.title) · as of \(businessCase.asOf.iso) · plans \(businessCase.solverStatus)")
        try sheet.wrap(column: 2, width: 64)
        try sheet.header(["Key figure", "Value", "Where it comes from"], row: 3, rightAligned: [1], indented: [2])

        let npvBase = appraisal.jointNetPresentValue(of: businessCase.options)
        let standalone = businessCase.allocation.reduce(0) { $0 + $1.standaloneCostGBP.pounds }
        let joint = businessCase.jointOption?.optimiserCostGBP.pounds ?? 0
        let inService = businessCase.register.count { $0.status == .inService }
        let network = layout.networkAgeRow
        let rows: [(String, String, Double, CellFormat, String)] = [
            (
                "Units in service", "=COUNTIF(Register!\(layout.registerStatusRange),\"in_service\")",
                Double(inService),
                Style.integer, "Register: units whose status is in_service"
            ),
            (
                "Units aged over 10 years", "='Age profile'!E\(network + 1)",
                Double(layout.networkProfile.unitsAgedOver10),
                Style.integer, "Age profile, whole network (COCIR: at most 10 %)"
            ),
            (
                "Share aged over 10 years", "='Age profile'!H\(network + 1)",
                layout.networkProfile.units == 0
                    ? 0 : Double(layout.networkProfile.unitsAgedOver10) / Double(layout.networkProfile.units),
                Style.percent, "Age profile, whole network"
            ),
            (
                "Units to replace now", "=COUNTIF(Priority!\(layout.priorityBandRange),\"replace now\")",
                Double(businessCase.priorities.count { $0.band == "replace now" }), Style.integer,
                "Priority: band 'replace now'"
            ),
            (
                "Cost with each trust buying alone (NPC)", "='Savings allocation'!B\(layout.allocationTotalRow + 1)",
                standalone, Style.gbp, "Savings allocation: sum of the trusts' optimised standalone plans"
            ),
            (
                "Cost of the joint plan (NPC)", "='Savings allocation'!B\(layout.allocationTotalRow + 2)", joint,
                Style.gbp,
                "Savings allocation: the optimised joint plan"
            ),
            ("Savings from buying jointly", "=B9-B10", standalone - joint, Style.gbpBold, "Standalone less joint"),
            (
                "Savings as a share of buying alone", "=IF(B9=0,0,B11/B9)",
                standalone == 0 ? 0 : (standalone - joint) / standalone,
                Style.percent, "Compare: national bulk buys saved 13.4 % (DH Capital Equipment Fund, 2012–14)"
            ),
            (
                "NPV of joint procurement (with optimism bias)", "=Appraisal!\(layout.appraisalNPVCell)", npvBase,
                Style.gbpBold, "Appraisal: NPC of every trust alone less NPC of the joint plan"
            ),
        ]
        for (offset, row) in rows.enumerated() {
            let r = 4 + offset
            try sheet.text(row.0, row: r, column: 0, format: row.3.isBold ? Style.bold : nil)
            try sheet.formula(row.1, value: row.2, row: r, column: 1, format: row.3)
            try sheet.text(row.4, row: r, column: 2, format: Style.note.indented(1))
            figures.append((row.0, row.2))
        }
        try sheet.finish(page(pagesHigh: 1))

        // Charts two by two under the figures, across columns A–C.
        let width = Int(([0, 1, 2].map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +) - 16) / 2)
        let height = 300
        let top = 15
        let rowsPerChart = (height + 30) / 20
        try sheet.sheet.insertChart(ageChart(width: width, height: height), row: top, column: 0)
        guard !businessCase.standaloneOptions.isEmpty else { return }
        try sheet.sheet.insertChart(
            capitalChart(width: width, height: height),
            row: top,
            column: 0,
            xOffsetInPixels: width + 16
        )
        let allocation = layout.allocationRows
        var shares = chart(.bar, title: "Share of the savings by trust (Shapley value)", width: width, height: height)
        shares.series = [
            ChartSeries(
                name: "Shapley share",
                sheet: "Savings allocation",
                categories: CellRange(rows: allocation, column: 0),
                values: CellRange(rows: allocation, column: 2),
                color: .nhsBlue,
                showsValueLabels: true
            )
        ]
        shares.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        shares.valueAxis = ChartAxis(numberFormat: .gbpThousands, minimum: 0, showsMajorGridlines: false)
        shares.legendPosition = .none
        try sheet.sheet.insertChart(shares, row: top + rowsPerChart, column: 0)
        if layout.capitalPlan.hasBudgets {
            try sheet.sheet.insertChart(
                budgetChart(width: width, height: height),
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

    // MARK: - Assumptions

    mutating func writeAssumptions() throws {
        let sheet = try ReportSheet(workbook, name: "Assumptions", tab: Tab.inputs)
        let a = businessCase.assumptions
        try sheet.title("Assumptions")
        try sheet.notes(
            "Yellow cells are inputs: change them and every dependent figure recalculates.",
            "Each input is a named cell (Formulas → Name Manager) that the other sheets' formulas use."
        )
        try sheet.wrap(column: 3, width: 72)
        try sheet.header(["Input", "Value", "Unit", "Source"], row: 3, rightAligned: [1], indented: [2])
        let rows: [(String, String, Double, NumberFormat, String, String)] = [
            (
                Name.discountRate, "Discount rate", a.discountRate, .percent(decimals: 1), "a year",
                "HM Treasury Green Book: 3.5 % a year for years 0–30 (3.0 % for 31–75)"
            ),
            (
                Name.baseYear, "Base year (year 0, not discounted)", Double(a.baseYear), .plainInteger, "year",
                "Procurement scenario (scenario.toml base_year)"
            ),
            (
                Name.horizonYears, "Decision horizon", Double(a.horizonYears), .plainInteger, "years",
                "Procurement scenario (horizon_years)"
            ),
            (
                Name.appraisalYears, "Appraisal period", Double(a.appraisalYears), .plainInteger, "years",
                "Procurement scenario (appraisal_years): service costs are counted over it"
            ),
            (Name.vatRate, "VAT rate", a.vatRate, .percent(decimals: 1), "", "HMRC standard rate, 20 %"),
            (
                Name.includeVAT, "Count VAT as a cost (1 = yes, 0 = no)", a.includesVAT ? 1 : 0, .plainInteger, "flag",
                "Green Book: VAT is a transfer within the public sector and is left out of a public-value appraisal (0); set 1 for an affordability view where VAT is irrecoverable"
            ),
            (
                Name.optimismBias, "Optimism bias on capital", a.optimismBias, .percent(decimals: 0), "of capital",
                "Green Book supplementary guidance on optimism bias (Mott MacDonald 2002): equipment/development capital expenditure, lower bound 10 % (upper bound 200 %) — off-the-shelf equipment from a framework sits at the lower bound"
            ),
            (
                Name.sensitivityPrice, "Sensitivity: equipment prices ±", a.sensitivity.price, .percent(decimals: 0),
                "of price", "Supplier offers are indicative; prices quoted for CT vary by more than ±10 %"
            ),
            (
                Name.sensitivityTierDiscount, "Sensitivity: tier discounts ±", a.sensitivity.tierDiscount,
                .percent(decimals: 0), "of discount",
                "Bulk-buy savings of 8–13.4 % were achieved nationally; ±50 % spans them"
            ),
            (
                Name.sensitivityDiscountRate, "Sensitivity: discount rate ±", a.sensitivity.discountRate,
                .percent(decimals: 1), "points", "Green Book: 3.0 % beyond year 30; one point either way"
            ),
            (
                Name.sensitivityTimingPenalty, "Sensitivity: timing penalties ±", a.sensitivity.timingPenalty,
                .percent(decimals: 0), "of penalty",
                "Deferral and bring-forward costs are estimates from the priority bands"
            ),
            (
                Name.cocirYoungMinimum, "COCIR rule: share aged 0–5 at least", 0.6, .percent(decimals: 0), "",
                "COCIR golden rules for an imaging installed base"
            ),
            (
                Name.cocirMiddleMaximum, "COCIR rule: share aged 6–10 at most", 0.3, .percent(decimals: 0), "",
                "COCIR golden rules"
            ),
            (
                Name.cocirOldMaximum, "COCIR rule: share over 10 at most", 0.1, .percent(decimals: 0), "",
                "COCIR golden rules; ESR 2014: over 10 years is no longer state of the art"
            ),
        ]
        for (offset, row) in rows.enumerated() {
            let r = 4 + offset
            try sheet.text(row.1, row: r, column: 0)
            try sheet.number(row.2, row: r, column: 1, format: Style.input.numberFormat(row.3))
            try sheet.text(row.4, row: r, column: 2, format: Style.subtitle.indented(1))
            try sheet.text(row.5, row: r, column: 3)
            try workbook.defineName(row.0, cell: CellReference(row: r, column: 1), sheet: "Assumptions")
        }
        try sheet.sheet.addDataValidation(
            DataValidation(.list(["0", "1"]), errorMessage: "Enter 1 to count VAT, 0 to leave it out."),
            to: CellRange(rows: 9...9, column: 1)
        )
        try sheet.sheet.addDataValidation(
            DataValidation(
                .decimalBetween(0, 0.2),
                errorMessage: "A discount rate between 0 and 20 % a year."
            ),
            to: CellRange(rows: 4...4, column: 1)
        )
        try sheet.finish(page(frozenRows: 4, repeatedRows: 3...3))
    }

    // MARK: - Register

    mutating func writeRegister() throws {
        let sheet = try ReportSheet(workbook, name: "Register", tab: Tab.data)
        let assets = businessCase.register
        let headerRow = layout.registerHeaderRow
        let headers = [
            "Asset ID", "Network", "Trust", "Site", "Modality", "Class", "Manufacturer", "Model", "Mobile", "Installed",
            "Age (years)", "Replacement cost", "Service cost a year", "End of support", "Status", "Criticality",
            "Notes",
        ]
        try sheet.title("Asset register")
        try sheet.notes(
            "\(assets.count) unit\(assets.count == 1 ? "" : "s") as imported, in register order; age in completed years at "
                + "\(businessCase.asOf.iso). Text is shown exactly as in the imported file."
        )
        // Widths are worked out before any row is written, so the sheet can be written in constant-memory mode.
        let largestAmount = assets.reduce(0.0) {
            max($0, $1.replacementCostGBP?.pounds ?? 0, $1.serviceCostGBPPerYear?.pounds ?? 0)
        }
        let widestMoney = TextWidth.of(largestAmount, format: .gbp)
        let plans: [(texts: (Asset) -> String?, wraps: Double?)] = [
            ({ $0.id.rawValue }, nil), ({ $0.network?.rawValue }, 24), ({ $0.trust.rawValue }, 32),
            ({ $0.site.rawValue }, 28), ({ $0.modality.rawValue }, nil), ({ $0.equipmentClass?.rawValue }, nil),
            ({ $0.manufacturer }, 24), ({ $0.model }, 20), ({ $0.isMobile ? "yes" : "no" }, nil),
        ]
        for (column, plan) in plans.enumerated() {
            let content = assets.reduce(0.0) { max($0, TextWidth.of(plan.texts($1) ?? "")) }
            let least = TextWidth.longestWord(headers[column], isBold: true)
            if let wraps = plan.wraps {
                try sheet.wrap(column: column, width: min(wraps, max(content, least)))
            } else {
                try sheet.setWidth(min(30, max(content, least)), column: column)
            }
        }
        let dateWidth = TextWidth.of(0, format: .displayDate)
        let widths: [Int: Double] = [
            9: dateWidth, 10: 8, 11: widestMoney, 12: widestMoney, 13: dateWidth, 14: TextWidth.of("decommissioned"),
            15: 8,
        ]
        for (column, width) in widths {
            try sheet.setWidth(max(width, TextWidth.longestWord(headers[column], isBold: true)), column: column)
        }
        let noteWidth = assets.reduce(0.0) { max($0, TextWidth.of($1.notes)) }
        try sheet.wrap(column: 16, width: min(44, max(noteWidth + 2, 12)))
        let rightAligned: Set<Int> = [9, 10, 11, 12, 13, 15]
        let centered: Set<Int> = [8, 14]
        try sheet.header(headers, row: headerRow, rightAligned: rightAligned, centered: centered, indented: [16])

        for (index, asset) in assets.enumerated() {
            let r = headerRow + 1 + index
            try sheet.text(asset.id.rawValue, row: r, column: 0)
            try sheet.optionalText(asset.network?.rawValue, row: r, column: 1)
            try sheet.text(asset.trust.rawValue, row: r, column: 2)
            try sheet.text(asset.site.rawValue, row: r, column: 3)
            try sheet.text(asset.modality.rawValue, row: r, column: 4)
            try sheet.optionalText(asset.equipmentClass?.rawValue, row: r, column: 5)
            try sheet.optionalText(asset.manufacturer, row: r, column: 6)
            try sheet.optionalText(asset.model, row: r, column: 7)
            try sheet.text(asset.isMobile ? "yes" : "no", row: r, column: 8, format: Style.centered)
            try sheet.date(asset.installDate, row: r, column: 9)
            try sheet.number(
                Double(asset.installDate.completedYears(until: businessCase.asOf)),
                row: r,
                column: 10,
                format: Style.plainInteger
            )
            try sheet.money(asset.replacementCostGBP, row: r, column: 11)
            try sheet.money(asset.serviceCostGBPPerYear, row: r, column: 12)
            if let end = asset.endOfSupport { try sheet.date(end, row: r, column: 13) }
            try sheet.text(asset.status.rawValue, row: r, column: 14, format: Style.centered)
            if let criticality = asset.criticality {
                try sheet.number(Double(criticality), row: r, column: 15, format: Style.plainInteger)
            }
            try sheet.optionalText(asset.notes, row: r, column: 16, format: Style.text.indented(1))
        }
        let range = CellRange(rows: headerRow...(headerRow + max(1, assets.count)), columns: 0...(headers.count - 1))
        if workbook.isConstantMemory {
            // libxlsxwriter cannot write an Excel table in constant-memory mode: filters on the header instead.
            try sheet.sheet.setAutofilter(range)
        } else {
            try sheet.sheet.addTable(
                Table(
                    name: "RegisterTable",
                    columns: headers.enumerated().map { column, header in
                        // The table writes the header row again: with the same alignment as the cells below.
                        var format = Style.header
                        if rightAligned.contains(column) { format.horizontalAlignment = .right }
                        if centered.contains(column) { format.horizontalAlignment = .center }
                        if column == 16 { format.indentLevels = 1 }
                        return TableColumn(header: header, headerFormat: format)
                    },
                    style: .light(1)
                ),
                at: range
            )
        }
        try sheet.finish(page(frozenRows: headerRow + 1, frozenColumns: 1, repeatedRows: headerRow...headerRow))
    }

    // MARK: - Priority

    mutating func writePriority() throws {
        let sheet = try ReportSheet(workbook, name: "Priority", tab: Tab.data)
        let priorities = businessCase.priorities
        let criteria = businessCase.criterionNames
        let firstCriterion = 7
        let lastCriterion = firstCriterion + criteria.count - 1
        let scoreColumn = lastCriterion + 1
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
        // Widths before any row, for constant-memory mode.
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

        try sheet.text(
            "Weight",
            row: 3,
            column: firstCriterion - 1,
            format: Style.bold.aligned(.right),
            measured: false
        )
        let weights = priorities.first?.criterionWeights ?? criteria.map { _ in 1 }
        for (offset, weight) in weights.enumerated() {
            try sheet.number(
                weight,
                row: 3,
                column: firstCriterion + offset,
                format: Style.input.numberFormat(.decimal(places: 2))
            )
        }
        let headerRow = 5
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
        let weightRange = CellRange(row: 3, columns: firstCriterion...lastCriterion).absolute
        let totalWeight = weights.reduce(0, +)
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
            let scores = CellRange(row: r, columns: firstCriterion...lastCriterion).a1
            try sheet.formula(
                "=100*SUMPRODUCT(\(scores),\(weightRange))/SUM(\(weightRange))",
                value: 100 * zip(row.criterionScores, weights).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight,
                row: r,
                column: scoreColumn,
                format: Style.decimal1
            )
            try sheet.text(row.band, row: r, column: scoreColumn + 1, format: Style.text.indented(1))
            if !row.bandRule.isEmpty { try sheet.text(row.bandRule, row: r, column: scoreColumn + 2) }
        }
        if !priorities.isEmpty {
            let lastRow = headerRow + priorities.count
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
            for (band, color) in [("replace now", Color.lightRed), ("replace within 2 years", .lightAmber)] {
                try sheet.sheet.addConditionalFormat(
                    .formula("=\(bandColumn)=\"\(band)\"", format: CellFormat(fillColor: color)),
                    to: CellRange(rows: dataRows, column: scoreColumn + 1)
                )
            }
        }
        try sheet.finish(page(frozenRows: headerRow + 1, frozenColumns: 2, repeatedRows: headerRow...headerRow))
    }

    // MARK: - Age profile

    mutating func writeAgeProfile() throws {
        let sheet = try ReportSheet(workbook, name: "Age profile", tab: Tab.analysis)
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
        let headerRow = layout.ageGroupRows.header
        try sheet.header(headers, row: headerRow, rightAligned: Set(1...7), centered: [8])
        for (offset, group) in businessCase.ageProfile.enumerated() {
            let r = headerRow + 1 + offset
            let excel = r + 1
            let isNetwork = r == layout.networkAgeRow
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
            let units = Double(group.units)
            let shares = [group.unitsAged0To5, group.unitsAged6To10, group.unitsAgedOver10].map {
                units == 0 ? 0 : Double($0) / units
            }
            for (index, letter) in ["C", "D", "E"].enumerated() {
                try sheet.formula(
                    "=IF(B\(excel)=0,0,\(letter)\(excel)/B\(excel))",
                    value: shares[index],
                    row: r,
                    column: 5 + index,
                    format: bold(Style.percent)
                )
            }
            let meets =
                units > 0 && shares[0] >= 0.6 - 1e-12 && shares[1] <= 0.3 + 1e-12 && shares[2] <= 0.1 + 1e-12
            try sheet.formula(
                "=IF(AND(B\(excel)>0,F\(excel)>=\(Name.cocirYoungMinimum),G\(excel)<=\(Name.cocirMiddleMaximum),"
                    + "H\(excel)<=\(Name.cocirOldMaximum)),\"yes\",\"no\")",
                text: meets ? "yes" : "no",
                row: r,
                column: 8,
                format: bold(Style.text.aligned(HorizontalAlignment.center))
            )
        }
        let rows = layout.ageGroupRows
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
            page(frozenRows: headerRow + 1, repeatedRows: headerRow...headerRow, pagesHigh: rows.count <= 14 ? 1 : 0)
        )
        guard rows.count > 0 else { return }
        let width = Int((0...8).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        try sheet.sheet.insertChart(
            ageChart(width: min(width, 900), height: 90 + 34 * rows.count),
            row: rows.last + 3,
            column: 0
        )
    }

    // MARK: - Capital plan

    mutating func writeCapitalPlan() throws {
        let sheet = try ReportSheet(workbook, name: "Capital plan", tab: Tab.analysis)
        let plan = layout.capitalPlan
        sheet.setMaximumWidth(60, column: 0)
        try sheet.title("Capital plan: spend by trust and year")
        try sheet.notes(
            "Prices actually paid, undiscounted, before optimism bias and VAT: the budget test the optimiser applies.",
            "Decision years of the plan only; service costs run on over the appraisal period (see Appraisal)."
        )
        let trusts = businessCase.standaloneOptions.map(\.name)
        let columns = plan.yearColumns
        func yearHeader(_ title: String, at r: Int, hasTotal: Bool = true) throws {
            try sheet.header([title], row: r)
            for (offset, year) in plan.years.enumerated() { try sheet.headerYear(year, row: r, column: 1 + offset) }
            if hasTotal {
                try sheet.header(["Total"], row: r, firstColumn: plan.totalColumn, rightAligned: [plan.totalColumn])
            } else {
                try sheet.sheet.writeBlank(row: r, column: plan.totalColumn, format: Style.header)
            }
        }
        func rowTotal(_ r: Int) -> String { "=SUM(\(CellRange(row: r, columns: columns).a1))" }
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
        func block(_ title: String, header: Int, amount: (String, Int) -> Double) throws {
            try yearHeader(title, at: header)
            var totals = Array(repeating: 0.0, count: plan.years.count + 1)
            for (index, trust) in trusts.enumerated() {
                let r = header + 1 + index
                try sheet.text(trust, row: r, column: 0)
                var total = 0.0
                for (offset, year) in plan.years.enumerated() {
                    let value = amount(trust, year)
                    total += value
                    totals[offset] += value
                    try sheet.number(value, row: r, column: 1 + offset, format: Style.gbp)
                }
                totals[plan.years.count] += total
                try sheet.formula(rowTotal(r), value: total, row: r, column: plan.totalColumn, format: Style.gbpBold)
            }
            try columnTotals(header + 1 + trusts.count, first: header + 1, values: totals)
        }
        try block("Joint plan: capital paid by trust", header: plan.jointHeader) { trust, year in
            businessCase.jointCapitalByTrustYear[TrustYear(trust: TrustName(trust), year: year), default: .zero].pounds
        }
        let alone = Dictionary(businessCase.standaloneOptions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        try block("Each trust alone: capital paid", header: plan.aloneHeader) { trust, year in
            alone[trust]?.capitalPaid(year).pounds ?? 0
        }
        if plan.hasBudgets {
            try yearHeader("Capital budget", at: plan.budgetHeader, hasTotal: false)
            var budgetTotals = Array(repeating: 0.0, count: plan.years.count)
            var coveredCapital = Array(repeating: 0.0, count: plan.years.count)
            for (index, trust) in trusts.enumerated() {
                let r = plan.budgetFirst + index
                try sheet.text(trust, row: r, column: 0)
                for (offset, year) in plan.years.enumerated() {
                    let key = TrustYear(trust: TrustName(trust), year: year)
                    guard let budget = businessCase.budgets[key] else { continue }
                    budgetTotals[offset] += budget.pounds
                    coveredCapital[offset] += businessCase.jointCapitalByTrustYear[key, default: .zero].pounds
                    try sheet.number(budget.pounds, row: r, column: 1 + offset, format: Style.input.numberFormat(.gbp))
                }
            }
            try columnTotals(plan.budgetTotal, first: plan.budgetFirst, values: budgetTotals)

            try yearHeader("Headroom: budget less joint-plan capital", at: plan.headroomHeader, hasTotal: false)
            for (index, trust) in trusts.enumerated() {
                let r = plan.headroomFirst + index
                try sheet.text(trust, row: r, column: 0)
                for (offset, year) in plan.years.enumerated() {
                    let key = TrustYear(trust: TrustName(trust), year: year)
                    guard let budget = businessCase.budgets[key] else { continue }
                    let column = CellReference.columnLetters(1 + offset)
                    let spent = businessCase.jointCapitalByTrustYear[key, default: .zero].pounds
                    try sheet.formula(
                        "=\(column)\(plan.budgetFirst + index + 1)-\(column)\(plan.jointFirst + index + 1)",
                        value: budget.pounds - spent,
                        row: r,
                        column: 1 + offset,
                        format: Style.gbp
                    )
                }
            }
            if !trusts.isEmpty {
                try sheet.sheet.addConditionalFormat(
                    .cellValue(.lessThan(0), format: CellFormat(fillColor: .lightRed)),
                    to: CellRange(rows: plan.headroomFirst...(plan.headroomFirst + trusts.count - 1), columns: columns)
                )
            }

            try yearHeader("Budget against the joint plan", at: plan.comparisonHeader, hasTotal: false)
            // Row by row (constant-memory mode writes rows in order).
            try sheet.text("Capital budget (trusts with a budget)", row: plan.comparisonBudget, column: 0)
            for (offset, _) in plan.years.enumerated() {
                let column = CellReference.columnLetters(1 + offset)
                try sheet.formula(
                    "=\(column)\(plan.budgetTotal + 1)",
                    value: budgetTotals[offset],
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
                    value: coveredCapital[offset],
                    row: plan.comparisonCapital,
                    column: 1 + offset,
                    format: Style.gbp
                )
            }
        } else {
            try sheet.text(
                "No capital budgets were set in the scenario, so there is no budget test or comparison.",
                row: plan.aloneTotal + 2,
                column: 0,
                format: Style.subtitle,
                measured: false
            )
        }
        // A network of a few trusts prints on one page; a larger one starts the charts on a page of their own.
        let fitsOnePage = trusts.count <= 6
        try sheet.finish(page(frozenRows: plan.jointHeader + 1, frozenColumns: 1, pagesHigh: fitsOnePage ? 1 : 0))
        if !fitsOnePage { try sheet.sheet.setPageBreaks(beforeRows: [plan.end + 1]) }
        guard !trusts.isEmpty else { return }
        let width = Int((0...plan.totalColumn).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        let chartWidth = plan.hasBudgets ? (width - 16) / 2 : min(width, 720)
        try sheet.sheet.insertChart(capitalChart(width: chartWidth, height: 320), row: plan.end + 1, column: 0)
        if plan.hasBudgets {
            try sheet.sheet.insertChart(
                budgetChart(width: chartWidth, height: 320),
                row: plan.end + 1,
                column: 0,
                xOffsetInPixels: chartWidth + 16
            )
        }
    }

    // MARK: - Joint procurement

    mutating func writeJointProcurement() throws {
        let sheet = try ReportSheet(workbook, name: "Joint procurement", tab: Tab.procurement)
        let headers = [
            "Supplier", "Class", "Year", "Units", "List price", "Tier (min units)", "Discount", "Unit price",
            "Order value", "Saved against list",
        ]
        try sheet.title("Joint procurement: orders of the joint plan")
        try sheet.notes(
            "An order is one supplier, class and year across the network.",
            "Every unit in an order earns the discount of the highest tier the order's size reaches (all-units discount)."
        )
        let headerRow = 3
        try sheet.header(headers, row: headerRow, rightAligned: Set(2...9))
        var totals = (units: 0.0, value: 0.0, saved: 0.0)
        for (index, order) in businessCase.orders.enumerated() {
            let r = headerRow + 1 + index
            let x = r + 1
            try sheet.text(order.supplier, row: r, column: 0)
            try sheet.text(order.equipmentClass, row: r, column: 1)
            try sheet.number(Double(order.year), row: r, column: 2, format: Style.plainInteger)
            try sheet.number(Double(order.units), row: r, column: 3, format: Style.integer)
            try sheet.number(order.listPriceGBP.pounds, row: r, column: 4, format: Style.gbp)
            try sheet.number(Double(order.tierMinimumUnits), row: r, column: 5, format: Style.integer)
            try sheet.number(order.discount, row: r, column: 6, format: Style.percent)
            let unitPrice = order.listPriceGBP.pounds * (1 - order.discount)
            let value = unitPrice * Double(order.units)
            let saved = order.listPriceGBP.pounds * Double(order.units) - value
            try sheet.formula("=E\(x)*(1-G\(x))", value: unitPrice, row: r, column: 7, format: Style.gbp)
            try sheet.formula("=D\(x)*H\(x)", value: value, row: r, column: 8, format: Style.gbp)
            try sheet.formula("=D\(x)*E\(x)-I\(x)", value: saved, row: r, column: 9, format: Style.gbp)
            totals.units += Double(order.units)
            totals.value += value
            totals.saved += saved
        }
        let totalRow = headerRow + 1 + businessCase.orders.count
        let first = headerRow + 2
        try sheet.text("Total", row: totalRow, column: 0, format: Style.totalLabel)
        if businessCase.orders.isEmpty {
            try sheet.text(
                "No orders: the scenario has no replacements in its horizon.",
                row: totalRow,
                column: 1,
                measured: false
            )
        } else {
            for column in 1...9 where ![3, 8, 9].contains(column) {
                try sheet.sheet.writeBlank(row: totalRow, column: column, format: Style.totalLabel)
            }
            for (column, letter, value, format) in [
                (3, "D", totals.units, Style.integer.bold().topBorder(.thin)), (8, "I", totals.value, Style.gbpTotal),
                (9, "J", totals.saved, Style.gbpTotal),
            ] {
                try sheet.formula(
                    "=SUM(\(letter)\(first):\(letter)\(totalRow))",
                    value: value,
                    row: totalRow,
                    column: column,
                    format: format
                )
            }
        }
        try sheet.finish(page(frozenRows: headerRow + 1, repeatedRows: headerRow...headerRow))
    }

    // MARK: - Savings allocation

    mutating func writeSavingsAllocation() throws {
        let sheet = try ReportSheet(workbook, name: "Savings allocation", tab: Tab.procurement)
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
        let headerRow = layout.allocationRows.lowerBound - 1
        try sheet.header(headers, row: headerRow, rightAligned: Set(1...5))
        let rows = layout.allocationRows
        let totalRow = layout.allocationTotalRow
        let standalone = businessCase.allocation.reduce(0) { $0 + $1.standaloneCostGBP.pounds }
        let joint = businessCase.jointOption?.optimiserCostGBP.pounds ?? 0
        let savings = standalone - joint
        let savingsCell = "$B$\(totalRow + 3)"
        for (offset, row) in businessCase.allocation.enumerated() {
            let r = rows.lowerBound + offset
            let x = r + 1
            try sheet.text(row.trust.rawValue, row: r, column: 0)
            try sheet.number(row.standaloneCostGBP.pounds, row: r, column: 1, format: Style.gbp)
            try sheet.number(row.shapleyShareGBP.pounds, row: r, column: 2, format: Style.gbp)
            try sheet.formula(
                "=IF(\(savingsCell)=0,0,C\(x)/\(savingsCell))",
                value: savings == 0 ? 0 : row.shapleyShareGBP.pounds / savings,
                row: r,
                column: 3,
                format: Style.percent
            )
            try sheet.formula(
                "=IF($B$\(totalRow + 1)=0,0,\(savingsCell)*B\(x)/$B$\(totalRow + 1))",
                value: standalone == 0 ? 0 : savings * row.standaloneCostGBP.pounds / standalone,
                row: r,
                column: 4,
                format: Style.gbp
            )
            try sheet.formula(
                "=B\(x)-C\(x)",
                value: row.standaloneCostGBP.pounds - row.shapleyShareGBP.pounds,
                row: r,
                column: 5,
                format: Style.gbp
            )
        }
        let span = rows.isEmpty ? "B\(totalRow):B\(totalRow)" : "B\(rows.lowerBound + 1):B\(rows.upperBound + 1)"
        try sheet.text("Every trust alone", row: totalRow, column: 0, format: Style.totalLabel)
        try sheet.formula("=SUM(\(span))", value: standalone, row: totalRow, column: 1, format: Style.gbpTotal)
        try sheet.text("Joint plan", row: totalRow + 1, column: 0, format: Style.bold)
        try sheet.number(joint, row: totalRow + 1, column: 1, format: Style.gbpBold)
        try sheet.text("Savings", row: totalRow + 2, column: 0, format: Style.bold)
        try sheet.formula(
            "=B\(totalRow + 1)-B\(totalRow + 2)",
            value: savings,
            row: totalRow + 2,
            column: 1,
            format: Style.gbpBold
        )
        let shapleyTotal = businessCase.allocation.reduce(0) { $0 + $1.shapleyShareGBP.pounds }
        try sheet.text("Shapley shares add up to", row: totalRow + 3, column: 0)
        try sheet.formula(
            "=SUM(\(span.replacingOccurrences(of: "B", with: "C")))",
            value: shapleyTotal,
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
        try sheet.finish(page(frozenRows: headerRow + 1, repeatedRows: headerRow...headerRow))
    }

    // MARK: - Appraisal

    mutating func writeAppraisal() throws {
        let sheet = try ReportSheet(workbook, name: "Appraisal", tab: Tab.appraisal)
        let lastYearColumn = years.count
        sheet.setMaximumWidth(46, column: 0)
        try sheet.title("Appraisal: cash flows by option (HM Treasury Green Book)")
        try sheet.notes(
            "Present value = cash × discount factor. Optimism bias applies to capital; VAT only when the Assumptions count it.",
            "Timing penalties are counted undiscounted, as the optimiser counts them."
        )
        let yearRow = layout.appraisal.yearRow
        let factorRow = yearRow + 1
        let yearsRange = CellRange(row: yearRow, columns: 1...lastYearColumn).absolute
        try sheet.header(["Year"], row: yearRow)
        for (offset, year) in years.enumerated() { try sheet.headerYear(year, row: yearRow, column: 1 + offset) }
        try sheet.header(["Total"], row: yearRow, firstColumn: lastYearColumn + 1, rightAligned: [lastYearColumn + 1])
        try sheet.text("Discount factor", row: factorRow, column: 0, format: Style.bold)
        for (offset, year) in years.enumerated() {
            let column = CellReference.columnLetters(1 + offset)
            try sheet.formula(
                "=1/(1+\(Name.discountRate))^(\(column)$\(yearRow + 1)-\(Name.baseYear))",
                value: businessCase.assumptions.discountFactor(year),
                row: factorRow,
                column: 1 + offset,
                format: Style.factor
            )
        }
        var npcCells: [(name: String, cell: String, isJoint: Bool)] = []
        for (blockIndex, option) in layout.appraisal.blockOptions.enumerated() {
            let top = layout.appraisal.blockTop(blockIndex)
            let cell = try writeAppraisalBlock(sheet, option: option, top: top, factorRow: factorRow)
            npcCells.append((option.name, cell, option.isJoint))
        }
        // The summary under the blocks.
        var row = layout.appraisal.summaryTop
        try sheet.text("Net present cost by option", row: row, column: 0, format: Style.section, measured: false)
        let aloneBlock = layout.appraisal.aloneBlockIndex
        let jointBlock = layout.appraisal.jointBlockIndex
        let alone = layout.appraisal.blockOptions[aloneBlock]
        let joint = layout.appraisal.blockOptions[jointBlock]
        let aloneNPC = appraisal.netPresentCost(alone)
        let jointNPC = appraisal.netPresentCost(joint)
        row += 1
        try sheet.text("Every trust alone", row: row, column: 0)
        try sheet.formula("=\(npcCells[aloneBlock].cell)", value: aloneNPC, row: row, column: 1, format: Style.gbp)
        row += 1
        try sheet.text("Joint plan", row: row, column: 0)
        try sheet.formula("=\(npcCells[jointBlock].cell)", value: jointNPC, row: row, column: 1, format: Style.gbp)
        row += 1
        try sheet.text("NPV of joint procurement", row: row, column: 0, format: Style.totalLabel)
        try sheet.formula(
            "=B\(row - 1)-B\(row)",
            value: aloneNPC - jointNPC,
            row: row,
            column: 1,
            format: Style.gbpTotal
        )
        precondition(CellReference(row: row, column: 1).a1 == layout.appraisalNPVCell, "appraisal layout drifted")

        // Sensitivity table and tornado.
        row += 2
        try sheet.text(
            "Sensitivity of the NPV of joint procurement",
            row: row,
            column: 0,
            format: Style.section,
            measured: false
        )
        row += 1
        let sensitivityHeader = row
        try sheet.header(
            ["Input moved", "Step", "NPV, input down", "NPV, input up", "Change, down", "Change, up"],
            row: row,
            rightAligned: Set(1...5)
        )
        let npvCell = "$B$\(layout.appraisal.summaryTop + 4)"
        let sensitivities = appraisal.sensitivities(of: [alone, joint])
        let base = aloneNPC - jointNPC
        let inputs = [
            Name.sensitivityPrice, Name.sensitivityTierDiscount, Name.sensitivityDiscountRate,
            Name.sensitivityTimingPenalty,
        ]
        for (index, sensitivity) in sensitivities.enumerated() {
            row += 1
            try sheet.text(sensitivity.input, row: row, column: 0)
            try sheet.formula("=\(inputs[index])", value: sensitivity.step, row: row, column: 1, format: Style.percent)
            for (column, sign, value) in [(2, "-", sensitivity.lowNPV), (3, "+", sensitivity.highNPV)] {
                let formula = sensitivityFormula(
                    input: index,
                    step: "\(sign)\(inputs[index])",
                    alone: layout.appraisal.blockTop(aloneBlock),
                    joint: layout.appraisal.blockTop(jointBlock),
                    yearsRange: yearsRange
                )
                try sheet.formula(formula, value: value, row: row, column: column, format: Style.gbp)
            }
            try sheet.formula(
                "=C\(row + 1)-\(npvCell)",
                value: sensitivity.lowNPV - base,
                row: row,
                column: 4,
                format: Style.gbp
            )
            try sheet.formula(
                "=D\(row + 1)-\(npvCell)",
                value: sensitivity.highNPV - base,
                row: row,
                column: 5,
                format: Style.gbp
            )
        }
        try sheet.finish(page(frozenRows: factorRow + 1, frozenColumns: 1, repeatedRows: yearRow...factorRow))
        // The sensitivity table and its tornado chart start a page together.
        try sheet.sheet.setPageBreaks(beforeRows: [sensitivityHeader - 1])

        let sensitivityRows = (sensitivityHeader + 1)...row
        let width = Int((0...5).map { sheet.width(of: $0) * 7 + 5 }.reduce(0, +))
        var tornado = chart(
            .bar,
            title: "Tornado: change in the NPV of joint procurement",
            width: max(560, width),
            height: 300
        )
        tornado.series = [
            ChartSeries(
                name: "Input down",
                sheet: "Appraisal",
                categories: CellRange(rows: sensitivityRows, column: 0),
                values: CellRange(rows: sensitivityRows, column: 4),
                color: .amber
            ),
            ChartSeries(
                name: "Input up",
                sheet: "Appraisal",
                categories: CellRange(rows: sensitivityRows, column: 0),
                values: CellRange(rows: sensitivityRows, column: 5),
                color: .nhsBlue
            ),
        ]
        tornado.categoryAxis = ChartAxis(isReversed: true, labelPosition: .low, crossesAtMaximum: true)
        tornado.valueAxis = ChartAxis(numberFormat: .gbpThousands)
        tornado.seriesOverlapPercent = 100
        tornado.gapWidthPercent = 60
        try sheet.sheet.insertChart(tornado, row: row + 2, column: 0)
    }

    /// The rows of one option's block; returns the absolute reference of its NPC cell.
    private func writeAppraisalBlock(
        _ sheet: ReportSheet,
        option: OptionCashFlows,
        top: Int,
        factorRow: Int
    ) throws
        -> String
    {
        let n = years.count
        let labels = AppraisalBlock.labels
        try sheet.text(option.name, row: top, column: 0, format: Style.section, measured: false)
        let optionsToSum = layout.appraisal.summedBlocks(for: option)
        let a = businessCase.assumptions
        for (offset, label) in labels.enumerated() {
            let r = top + 1 + offset
            let x = r + 1
            let isPresentValue = offset == AppraisalBlock.presentValue
            try sheet.text(label, row: r, column: 0, format: isPresentValue ? Style.bold : nil)
            var total = 0.0
            for (index, year) in years.enumerated() {
                let column = CellReference.columnLetters(1 + index)
                let list = option.listCapitalGBP[year, default: .zero].pounds
                let discount = option.tierDiscountGBP[year, default: .zero].pounds
                let service = option.serviceGBP[year, default: .zero].pounds
                let paid = list - discount
                let bias = paid * a.optimismBias
                let vat = (paid + bias + service) * a.vatRate * (a.includesVAT ? 1 : 0)
                let cash = paid + bias + service + vat
                let value: Double
                let formula: String?
                switch offset {
                case AppraisalBlock.listCapital, AppraisalBlock.tierDiscount, AppraisalBlock.service,
                    AppraisalBlock.timingPenalty:
                    value =
                        [list, discount, 0, 0, service, 0, 0, 0, option.timingPenaltyGBP[year, default: .zero].pounds][
                            offset
                        ]
                    formula = optionsToSum.map { blocks in
                        "="
                            + blocks.map { "\(column)\(layout.appraisal.blockTop($0) + 2 + offset)" }.joined(
                                separator: "+"
                            )
                    }
                case AppraisalBlock.capitalPaid:
                    value = paid
                    formula = "=\(column)\(x - 2)-\(column)\(x - 1)"
                case AppraisalBlock.optimismBias:
                    value = bias
                    formula = "=\(column)\(x - 1)*\(Name.optimismBias)"
                case AppraisalBlock.vat:
                    value = vat
                    formula =
                        "=(\(column)\(x - 3)+\(column)\(x - 2)+\(column)\(x - 1))*\(Name.vatRate)*\(Name.includeVAT)"
                case AppraisalBlock.cash:
                    value = cash
                    formula = "=\(column)\(x - 4)+\(column)\(x - 3)+\(column)\(x - 2)+\(column)\(x - 1)"
                default:  // present value
                    value = cash * a.discountFactor(year)
                    formula = "=\(column)\(x - 1)*\(column)$\(factorRow + 1)"
                }
                total += value
                let format = isPresentValue ? Style.gbpBold : Style.gbp
                if let formula {
                    try sheet.formula(formula, value: value, row: r, column: 1 + index, format: format)
                } else {
                    try sheet.number(value, row: r, column: 1 + index, format: format)
                }
            }
            try sheet.formula(
                "=SUM(\(CellRange(row: r, columns: 1...n).a1))",
                value: total,
                row: r,
                column: n + 1,
                format: Style.gbpBold
            )
        }
        let npcRow = top + 1 + labels.count
        let pvRow = top + 1 + AppraisalBlock.presentValue
        let penaltyRow = top + 1 + AppraisalBlock.timingPenalty
        try sheet.text("Net present cost (PV + timing penalties)", row: npcRow, column: 0, format: Style.totalLabel)
        try sheet.formula(
            "=\(CellReference.columnLetters(n + 1))\(pvRow + 1)+\(CellReference.columnLetters(n + 1))\(penaltyRow + 1)",
            value: appraisal.netPresentCost(option),
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
        try sheet.number(option.optimiserCostGBP.pounds, row: npcRow + 1, column: n + 1, format: Style.gbp)
        return "$\(CellReference.columnLetters(n + 1))$\(npcRow + 1)"
    }

    /// The joint NPV with one input moved by `step`, written over the "every trust alone" and joint blocks'
    /// rows so that it recalculates from the Assumptions.
    private func sensitivityFormula(input: Int, step: String, alone: Int, joint: Int, yearsRange: String) -> String {
        func cost(_ top: Int) -> String {
            let n = years.count
            func row(_ offset: Int) -> String { CellRange(row: top + 1 + offset, columns: 1...n).absolute }
            let price = input == 0 ? "(1\(step))" : "1"
            let discount = input == 1 ? "(1\(step))" : "1"
            let rate = input == 2 ? "(\(Name.discountRate)\(step))" : Name.discountRate
            let penalty = input == 3 ? "(1\(step))" : "1"
            let capital =
                "(\(row(AppraisalBlock.listCapital))-\(row(AppraisalBlock.tierDiscount))*\(discount))*\(price)"
            return "(SUMPRODUCT((\(capital)*(1+\(Name.optimismBias))+\(row(AppraisalBlock.service)))"
                + "*(1+\(Name.vatRate)*\(Name.includeVAT)),1/(1+\(rate))^(\(yearsRange)-\(Name.baseYear)))"
                + "+SUM(\(row(AppraisalBlock.timingPenalty)))*\(penalty))"
        }
        return "=\(cost(alone))-\(cost(joint))"
    }

    // MARK: - Method

    mutating func writeMethod() throws {
        let sheet = try ReportSheet(workbook, name: "Method", tab: Tab.method)
        try sheet.title("Method and sources")
        try sheet.notes("How each figure of this workbook is computed, and where its inputs come from.")
        try sheet.wrap(column: 1, width: 120)
        try sheet.header(["Figure", "How it is computed"], row: 3)
        for (offset, entry) in MethodText.entries.enumerated() {
            try sheet.text(entry.0, row: 4 + offset, column: 0, format: Style.bold)
            try sheet.text(entry.1, row: 4 + offset, column: 1)
        }
        try sheet.finish(page(frozenRows: 4, repeatedRows: 3...3))
    }
}

/// The row order of one option's block on the Appraisal sheet.
enum AppraisalBlock {
    static let labels = [
        "Capital at list price", "Tier discounts", "Capital paid", "Optimism bias", "Service", "VAT", "Cash cost",
        "Present value", "Timing penalties (undiscounted)",
    ]
    static let listCapital = 0
    static let tierDiscount = 1
    static let capitalPaid = 2
    static let optimismBias = 3
    static let service = 4
    static let vat = 5
    static let cash = 6
    static let presentValue = 7
    static let timingPenalty = 8
}

extension WorkbookError: FleetError {
    /// A workbook that cannot be written is an I/O failure: exit 4.
    public var exitCode: FleetExitCode { .failure }
}
