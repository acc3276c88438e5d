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

    /// Registers larger than this are written in constant-memory mode.
    public static let constantMemoryThreshold = 5_000

    /// The case to write.
    public let businessCase: BusinessCase

    /// A writer for `businessCase`.
    public init(businessCase: BusinessCase) { self.businessCase = businessCase }

    /// Writes the workbook to `path` through a temporary file renamed into place, so a failure never leaves a
    /// truncated workbook or destroys an earlier one.
    /// - Returns: what was written, for the command line's summary.
    /// - Throws: ``WorkbookError`` (the CLI ends with exit 4) when the file cannot be written.
    @discardableResult
    public func write(to path: String) throws -> WrittenWorkbook {
        let workbook = try Workbook(
            path: path, constantMemory: businessCase.register.count > Self.constantMemoryThreshold)
        try workbook.setProperties(
            title: "Imaging equipment business case — \(businessCase.title)", subject: "Joint procurement appraisal",
            author: "ImagingFleet")
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
        isBold: true, fontColor: .white, fillColor: .nhsBlue, verticalAlignment: .top, isWrapped: true)
    static let section = CellFormat(isBold: true, fontColor: .nhsDarkBlue).bottomBorder(.thin)
    static let text = CellFormat(verticalAlignment: .top)
    static let wrapped = CellFormat(verticalAlignment: .top, isWrapped: true)
    static let gbp = CellFormat(numberFormat: .gbp)
    static let gbpBold = CellFormat(numberFormat: .gbp, isBold: true)
    static let percent = CellFormat(numberFormat: .percent(decimals: 1))
    static let integer = CellFormat(numberFormat: .integer)
    static let plainInteger = CellFormat(numberFormat: .plainInteger)
    static let decimal1 = CellFormat(numberFormat: .decimal(places: 1))
    static let decimal2 = CellFormat(numberFormat: .decimal(places: 2))
    static let factor = CellFormat(numberFormat: .decimal(places: 4))
    static let date = CellFormat(numberFormat: .date)
    static let input = CellFormat(fillColor: .inputYellow, border: .thin)
    static let bold = CellFormat(isBold: true)
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

    // MARK: - Summary

    mutating func writeSummary() throws {
        let sheet = try workbook.addWorksheet(named: "Summary")
        sheet.activate()
        sheet.hideGridlines()
        sheet.setTabColor(.nhsBlue)
        sheet.setLandscape()
        sheet.fitToPages(width: 1, height: 0)
        try sheet.setColumnWidth(46, column: 0)
        try sheet.setColumnWidth(18, column: 1)
        try sheet.setColumnWidth(60, column: 2)
        try sheet.writeText("Imaging equipment replacement — business case", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "\(businessCase.title) · as of \(businessCase.asOf.iso) · \(businessCase.solverStatus)", row: 1, column: 0,
            format: Style.subtitle)
        try sheet.writeText("Key figure", row: 3, column: 0, format: Style.header)
        try sheet.writeText("Value", row: 3, column: 1, format: Style.header)
        try sheet.writeText("Where it comes from", row: 3, column: 2, format: Style.header)

        let npvBase = appraisal.jointNetPresentValue(of: businessCase.options)
        let standalone = businessCase.allocation.reduce(0) { $0 + $1.standaloneCostGBP.pounds }
        let joint = businessCase.jointOption?.optimiserCostGBP.pounds ?? 0
        let inService = businessCase.register.filter { $0.status == .inService }.count
        let network = layout.networkAgeRow
        let rows: [(String, String, Double, CellFormat, String)] = [
            (
                "Units in service", "=COUNTIF(Register!\(layout.registerStatusRange),\"in_service\")", Double(inService),
                Style.integer, "Register: units whose status is in_service"
            ),
            (
                "Units aged over 10 years", "='Age profile'!E\(network + 1)", Double(layout.networkProfile.unitsAgedOver10),
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
                Double(businessCase.priorities.filter { $0.band == "replace now" }.count), Style.integer,
                "Priority: band 'replace now'"
            ),
            (
                "Cost with each trust buying alone (NPC)", "='Savings allocation'!B\(layout.allocationTotalRow + 1)",
                standalone, Style.gbp, "Savings allocation: sum of the trusts' optimised standalone plans"
            ),
            (
                "Cost of the joint plan (NPC)", "='Savings allocation'!B\(layout.allocationTotalRow + 2)", joint, Style.gbp,
                "Savings allocation: the optimised joint plan"
            ),
            ("Savings from buying jointly", "=B9-B10", standalone - joint, Style.gbpBold, "Standalone less joint"),
            (
                "Savings as a share of buying alone", "=IF(B9=0,0,B11/B9)", standalone == 0 ? 0 : (standalone - joint) / standalone,
                Style.percent, "Compare: national bulk buys saved 13.4 % (DH Capital Equipment Fund, 2012–14)"
            ),
            (
                "NPV of joint procurement (with optimism bias)", "=Appraisal!\(layout.appraisalNPVCell)", npvBase,
                Style.gbpBold, "Appraisal: NPC of every trust alone less NPC of the joint plan"
            ),
        ]
        for (offset, row) in rows.enumerated() {
            let r = 4 + offset
            try sheet.writeText(row.0, row: r, column: 0)
            try sheet.writeFormula(row.1, cachedValue: row.2, row: r, column: 1, format: row.3)
            try sheet.writeText(row.4, row: r, column: 2, format: Style.subtitle)
            figures.append((row.0, row.2))
        }

        let chartRow = 15
        let groups = layout.ageGroupRows
        try sheet.insertChart(
            Chart(
                .stackedColumn, title: "Age profile against the COCIR rule",
                series: [
                    ChartSeries(
                        name: "0–5 years", sheet: "Age profile", categories: groups.categories(column: 0),
                        values: groups.values(column: 5), color: .green),
                    ChartSeries(
                        name: "6–10 years", sheet: "Age profile", categories: groups.categories(column: 0),
                        values: groups.values(column: 6), color: .amber),
                    ChartSeries(
                        name: "over 10 years", sheet: "Age profile", categories: groups.categories(column: 0),
                        values: groups.values(column: 7), color: .red),
                ],
                valueAxis: ChartAxis(numberFormat: .percent, maximum: 1), widthInPixels: 620, heightInPixels: 320),
            row: chartRow, column: 0)
        let plan = layout.capitalPlanRows
        if !businessCase.standaloneOptions.isEmpty {
            try sheet.insertChart(
                Chart(
                    .stackedColumn, title: "Capital plan by year (joint plan)",
                    series: businessCase.standaloneOptions.indices.map { index in
                        ChartSeries(
                            name: businessCase.standaloneOptions[index].name, sheet: "Capital plan",
                            categories: CellRange(row: plan.header, columns: 1...years.count),
                            values: CellRange(row: plan.first + index, columns: 1...years.count))
                    },
                    valueAxis: ChartAxis(title: "£", numberFormat: .gbp), widthInPixels: 620, heightInPixels: 320),
                row: chartRow, column: 2, xOffsetInPixels: 40)
            let allocation = layout.allocationRows
            try sheet.insertChart(
                Chart(
                    .bar, title: "Share of the savings by trust (Shapley)",
                    series: [
                        ChartSeries(
                            name: "Shapley share", sheet: "Savings allocation",
                            categories: CellRange(rows: allocation, column: 0), values: CellRange(rows: allocation, column: 2),
                            color: .nhsBlue, showsValueLabels: true)
                    ],
                    valueAxis: ChartAxis(numberFormat: .gbp), legendPosition: .none, widthInPixels: 620,
                    heightInPixels: 320),
                row: chartRow + 17, column: 0)
        }
    }

    // MARK: - Assumptions

    mutating func writeAssumptions() throws {
        let sheet = try workbook.addWorksheet(named: "Assumptions")
        let a = businessCase.assumptions
        try sheet.setColumnWidth(34, column: 0)
        try sheet.setColumnWidth(14, column: 1)
        try sheet.setColumnWidth(12, column: 2)
        try sheet.setColumnWidth(90, column: 3)
        try sheet.writeText("Assumptions", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "Yellow cells are inputs: change them and every dependent figure recalculates.", row: 1, column: 0,
            format: Style.subtitle)
        for (column, title) in ["Input", "Value", "Unit", "Source"].enumerated() {
            try sheet.writeText(title, row: 3, column: column, format: Style.header)
        }
        let rows: [(String, String, Double, NumberFormat, String, String)] = [
            (Name.discountRate, "Discount rate", a.discountRate, .percent(decimals: 1), "a year",
             "HM Treasury Green Book: 3.5 % a year for years 0–30 (3.0 % for 31–75)"),
            (Name.baseYear, "Base year (year 0, not discounted)", Double(a.baseYear), .plainInteger, "year",
             "Procurement scenario (scenario.toml base_year)"),
            (Name.horizonYears, "Decision horizon", Double(a.horizonYears), .plainInteger, "years",
             "Procurement scenario (horizon_years)"),
            (Name.appraisalYears, "Appraisal period", Double(a.appraisalYears), .plainInteger, "years",
             "Procurement scenario (appraisal_years): service costs are counted over it"),
            (Name.vatRate, "VAT rate", a.vatRate, .percent(decimals: 1), "", "HMRC standard rate, 20 %"),
            (Name.includeVAT, "Count VAT as a cost (1 = yes, 0 = no)", a.includesVAT ? 1 : 0, .plainInteger, "flag",
             "Green Book: VAT is a transfer within the public sector and is left out of a public-value appraisal (0); set 1 for an affordability view where VAT is irrecoverable"),
            (Name.optimismBias, "Optimism bias on capital", a.optimismBias, .percent(decimals: 0), "of capital",
             "Green Book supplementary guidance on optimism bias (Mott MacDonald 2002): equipment/development capital expenditure, lower bound 10 % (upper bound 200 %) — off-the-shelf equipment from a framework sits at the lower bound"),
            (Name.sensitivityPrice, "Sensitivity: equipment prices ±", a.sensitivity.price, .percent(decimals: 0),
             "of price", "Supplier offers are indicative; prices quoted for CT vary by more than ±10 %"),
            (Name.sensitivityTierDiscount, "Sensitivity: tier discounts ±", a.sensitivity.tierDiscount,
             .percent(decimals: 0), "of discount", "Bulk-buy savings of 8–13.4 % were achieved nationally; ±50 % spans them"),
            (Name.sensitivityDiscountRate, "Sensitivity: discount rate ±", a.sensitivity.discountRate,
             .percent(decimals: 1), "points", "Green Book: 3.0 % beyond year 30; one point either way"),
            (Name.sensitivityTimingPenalty, "Sensitivity: timing penalties ±", a.sensitivity.timingPenalty,
             .percent(decimals: 0), "of penalty", "Deferral and bring-forward costs are estimates from the priority bands"),
            (Name.cocirYoungMinimum, "COCIR rule: share aged 0–5 at least", 0.6, .percent(decimals: 0), "",
             "COCIR golden rules for an imaging installed base"),
            (Name.cocirMiddleMaximum, "COCIR rule: share aged 6–10 at most", 0.3, .percent(decimals: 0), "",
             "COCIR golden rules"),
            (Name.cocirOldMaximum, "COCIR rule: share over 10 at most", 0.1, .percent(decimals: 0), "",
             "COCIR golden rules; ESR 2014: over 10 years is no longer state of the art"),
        ]
        for (offset, row) in rows.enumerated() {
            let r = 4 + offset
            try sheet.writeText(row.1, row: r, column: 0)
            try sheet.writeNumber(row.2, row: r, column: 1, format: Style.input.numberFormat(row.3))
            try sheet.writeText(row.4, row: r, column: 2, format: Style.subtitle)
            try sheet.writeText(row.5, row: r, column: 3, format: Style.wrapped)
            try workbook.defineName(row.0, cell: CellReference(row: r, column: 1), sheet: "Assumptions")
        }
        try sheet.addDataValidation(
            DataValidation(.list(["0", "1"]), errorMessage: "Enter 1 to count VAT, 0 to leave it out."),
            to: CellRange(rows: 9...9, column: 1))
        try sheet.addDataValidation(
            DataValidation(
                .decimalBetween(0, 0.2), errorMessage: "A discount rate between 0 and 20 % a year."),
            to: CellRange(rows: 4...4, column: 1))
    }

    // MARK: - Register

    mutating func writeRegister() throws {
        let sheet = try workbook.addWorksheet(named: "Register")
        let headers = [
            "Asset ID", "Network", "Trust", "Site", "Modality", "Class", "Manufacturer", "Model", "Mobile", "Installed",
            "Age (years)", "Replacement cost", "Service cost a year", "End of support", "Status", "Criticality", "Notes",
        ]
        let widths: [Double] = [14, 22, 30, 30, 9, 11, 20, 20, 8, 11, 10, 15, 15, 13, 13, 10, 40]
        for (column, width) in widths.enumerated() { try sheet.setColumnWidth(width, column: column) }
        sheet.freezePanes(row: 1, column: 1)
        for (column, header) in headers.enumerated() {
            try sheet.writeText(header, row: 0, column: column, format: Style.header)
        }
        for (index, asset) in businessCase.register.enumerated() {
            let r = index + 1
            try sheet.writeText(asset.id.rawValue, row: r, column: 0)
            try writeOptionalText(asset.network?.rawValue, sheet, r, 1)
            try sheet.writeText(asset.trust.rawValue, row: r, column: 2)
            try sheet.writeText(asset.site.rawValue, row: r, column: 3)
            try sheet.writeText(asset.modality.rawValue, row: r, column: 4)
            try writeOptionalText(asset.equipmentClass?.rawValue, sheet, r, 5)
            try writeOptionalText(asset.manufacturer, sheet, r, 6)
            try writeOptionalText(asset.model, sheet, r, 7)
            try sheet.writeText(asset.isMobile ? "yes" : "no", row: r, column: 8)
            try writeDay(asset.installDate, sheet, r, 9)
            try sheet.writeNumber(
                Double(asset.installDate.completedYears(until: businessCase.asOf)), row: r, column: 10,
                format: Style.plainInteger)
            try writeOptionalMoney(asset.replacementCostGBP, sheet, r, 11)
            try writeOptionalMoney(asset.serviceCostGBPPerYear, sheet, r, 12)
            if let end = asset.endOfSupport { try writeDay(end, sheet, r, 13) }
            try sheet.writeText(asset.status.rawValue, row: r, column: 14)
            if let criticality = asset.criticality {
                try sheet.writeNumber(Double(criticality), row: r, column: 15, format: Style.plainInteger)
            }
            try writeOptionalText(asset.notes.isEmpty ? nil : asset.notes, sheet, r, 16)
        }
        let range = CellRange(rows: 0...max(1, businessCase.register.count), columns: 0...(headers.count - 1))
        if workbook.isConstantMemory {
            // libxlsxwriter cannot write an Excel table in constant-memory mode: filters on the header instead.
            try sheet.setAutofilter(range)
        } else {
            try sheet.addTable(
                Table(
                    name: "RegisterTable", columns: headers.map { TableColumn(header: $0, headerFormat: Style.header) },
                    style: .medium(2)),
                at: range)
        }
    }

    // MARK: - Priority

    mutating func writePriority() throws {
        let sheet = try workbook.addWorksheet(named: "Priority")
        let criteria = businessCase.criterionNames
        let firstCriterion = 7
        let lastCriterion = firstCriterion + criteria.count - 1
        let scoreColumn = lastCriterion + 1
        let headers =
            ["Rank", "Asset ID", "Trust", "Site", "Modality", "Class", "Age (years)"] + criteria.map { "\($0) score" }
            + ["Score (0–100)", "Band", "Band raised by"]
        let widths: [Double] = [6, 14, 30, 30, 9, 11, 10] + criteria.map { _ in 11 } + [12, 22, 40]
        for (column, width) in widths.enumerated() { try sheet.setColumnWidth(width, column: column) }
        try sheet.writeText("Replacement priority", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "Score = 100 × Σ weight × criterion score ÷ Σ weight. Change a weight (yellow) and every score recalculates; "
                + "bands and ranks are the tool's and do not.", row: 1, column: 0, format: Style.subtitle)
        try sheet.writeText("Weight", row: 3, column: firstCriterion - 1, format: Style.bold.aligned(.right))
        let weights = businessCase.priorities.first?.criterionWeights ?? criteria.map { _ in 1 }
        for (offset, weight) in weights.enumerated() {
            try sheet.writeNumber(weight, row: 3, column: firstCriterion + offset, format: Style.input.numberFormat(.decimal(places: 2)))
        }
        let headerRow = 5
        sheet.freezePanes(row: headerRow + 1, column: 2)
        for (column, header) in headers.enumerated() {
            try sheet.writeText(header, row: headerRow, column: column, format: Style.header)
        }
        let weightRange = CellRange(row: 3, columns: firstCriterion...lastCriterion).absolute
        for (index, row) in businessCase.priorities.enumerated() {
            let r = headerRow + 1 + index
            try sheet.writeNumber(Double(row.rank), row: r, column: 0, format: Style.plainInteger)
            try sheet.writeText(row.assetID.rawValue, row: r, column: 1)
            try sheet.writeText(row.trust.rawValue, row: r, column: 2)
            try sheet.writeText(row.site.rawValue, row: r, column: 3)
            try sheet.writeText(row.modality.rawValue, row: r, column: 4)
            try sheet.writeText(row.equipmentClass, row: r, column: 5)
            try sheet.writeNumber(row.ageYears, row: r, column: 6, format: Style.decimal1)
            for (offset, score) in row.criterionScores.enumerated() {
                try sheet.writeNumber(score, row: r, column: firstCriterion + offset, format: Style.decimal2)
            }
            let scores = CellRange(row: r, columns: firstCriterion...lastCriterion).a1
            try sheet.writeFormula(
                "=100*SUMPRODUCT(\(scores),\(weightRange))/SUM(\(weightRange))",
                cachedValue: 100 * zip(row.criterionScores, weights).reduce(0) { $0 + $1.0 * $1.1 }
                    / weights.reduce(0, +),
                row: r, column: scoreColumn, format: Style.decimal1)
            try sheet.writeText(row.band, row: r, column: scoreColumn + 1)
            if !row.bandRule.isEmpty { try sheet.writeText(row.bandRule, row: r, column: scoreColumn + 2) }
        }
        guard !businessCase.priorities.isEmpty else { return }
        let dataRows = (headerRow + 1)...(headerRow + businessCase.priorities.count)
        try sheet.addConditionalFormat(
            .threeColorScale(minimum: .lightGreen, midpoint: .lightAmber, maximum: .lightRed),
            to: CellRange(rows: dataRows, column: scoreColumn))
        try sheet.addConditionalFormat(
            .dataBar(.nhsBlue), to: CellRange(rows: dataRows, columns: firstCriterion...lastCriterion))
        let bandCell = CellReference(row: dataRows.lowerBound, column: scoreColumn + 1)
        let bandColumn = "$" + CellReference.columnLetters(bandCell.column) + String(bandCell.row + 1)
        for (band, color) in [("replace now", Color.lightRed), ("replace within 2 years", .lightAmber)] {
            try sheet.addConditionalFormat(
                .formula("=\(bandColumn)=\"\(band)\"", format: CellFormat(fillColor: color)),
                to: CellRange(rows: dataRows, column: scoreColumn + 1))
        }
    }

    // MARK: - Age profile

    mutating func writeAgeProfile() throws {
        let sheet = try workbook.addWorksheet(named: "Age profile")
        try sheet.setColumnWidth(34, column: 0)
        try sheet.setColumnWidth(10, columns: 1...7)
        try sheet.setColumnWidth(14, column: 8)
        try sheet.writeText("Age profile against the COCIR rule", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "Completed years of age at \(businessCase.asOf.iso); in-service units. COCIR: at least 60 % aged 0–5, "
                + "at most 30 % aged 6–10, at most 10 % over 10.", row: 1, column: 0, format: Style.subtitle)
        let headers = ["Group", "Units", "0–5", "6–10", "Over 10", "Share 0–5", "Share 6–10", "Share over 10", "Meets COCIR"]
        let headerRow = layout.ageGroupRows.header
        for (column, header) in headers.enumerated() {
            try sheet.writeText(header, row: headerRow, column: column, format: Style.header)
        }
        for (offset, group) in businessCase.ageProfile.enumerated() {
            let r = headerRow + 1 + offset
            let excel = r + 1
            let isNetwork = r == layout.networkAgeRow
            try sheet.writeText(group.group, row: r, column: 0, format: isNetwork ? Style.bold : nil)
            try sheet.writeFormula(
                "=SUM(C\(excel):E\(excel))", cachedValue: Double(group.units), row: r, column: 1, format: Style.integer)
            try sheet.writeNumber(Double(group.unitsAged0To5), row: r, column: 2, format: Style.integer)
            try sheet.writeNumber(Double(group.unitsAged6To10), row: r, column: 3, format: Style.integer)
            try sheet.writeNumber(Double(group.unitsAgedOver10), row: r, column: 4, format: Style.integer)
            let units = Double(group.units)
            let shares = [group.unitsAged0To5, group.unitsAged6To10, group.unitsAgedOver10].map {
                units == 0 ? 0 : Double($0) / units
            }
            for (index, letter) in ["C", "D", "E"].enumerated() {
                try sheet.writeFormula(
                    "=IF(B\(excel)=0,0,\(letter)\(excel)/B\(excel))", cachedValue: shares[index], row: r,
                    column: 5 + index, format: Style.percent)
            }
            let meets =
                units > 0 && shares[0] >= 0.6 - 1e-12 && shares[1] <= 0.3 + 1e-12 && shares[2] <= 0.1 + 1e-12
            try sheet.writeFormula(
                "=IF(AND(B\(excel)>0,F\(excel)>=\(Name.cocirYoungMinimum),G\(excel)<=\(Name.cocirMiddleMaximum),"
                    + "H\(excel)<=\(Name.cocirOldMaximum)),\"yes\",\"no\")",
                cachedText: meets ? "yes" : "no", row: r, column: 8)
        }
        let rows = layout.ageGroupRows
        guard rows.count > 0 else { return }
        try sheet.addConditionalFormat(
            .cellValue(.greaterThan(0.1), format: CellFormat(fillColor: .lightRed)),
            to: CellRange(rows: rows.rows, column: 7))
        try sheet.addConditionalFormat(
            .formula("=$I\(rows.first + 1)=\"no\"", format: CellFormat(isBold: true, fontColor: .red)),
            to: CellRange(rows: rows.rows, column: 8))
        try sheet.insertChart(
            Chart(
                .stackedColumn, title: "Share of units by age",
                series: [
                    ChartSeries(name: "0–5 years", sheet: "Age profile", categories: rows.categories(column: 0), values: rows.values(column: 5), color: .green),
                    ChartSeries(name: "6–10 years", sheet: "Age profile", categories: rows.categories(column: 0), values: rows.values(column: 6), color: .amber),
                    ChartSeries(name: "over 10 years", sheet: "Age profile", categories: rows.categories(column: 0), values: rows.values(column: 7), color: .red),
                ],
                valueAxis: ChartAxis(numberFormat: .percent, maximum: 1), widthInPixels: 720, heightInPixels: 340),
            row: rows.last + 3, column: 0)
    }

    // MARK: - Capital plan

    mutating func writeCapitalPlan() throws {
        let sheet = try workbook.addWorksheet(named: "Capital plan")
        try sheet.setColumnWidth(34, column: 0)
        try sheet.setColumnWidth(13, columns: 1...(years.count + 1))
        try sheet.writeText("Capital plan: spend by trust and year", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "Prices actually paid, undiscounted, before optimism bias and VAT; the budget test the optimiser applies.",
            row: 1, column: 0, format: Style.subtitle)
        let trusts = businessCase.standaloneOptions.map(\.name)
        let plan = layout.capitalPlanRows
        var row = plan.header
        func yearHeader(_ title: String, at r: Int) throws {
            try sheet.writeText(title, row: r, column: 0, format: Style.header)
            for (offset, year) in years.enumerated() {
                try sheet.writeNumber(Double(year), row: r, column: 1 + offset, format: Style.header.numberFormat(.plainInteger))
            }
            try sheet.writeText("Total", row: r, column: years.count + 1, format: Style.header)
        }
        func totalFormula(_ r: Int) -> String {
            "=SUM(\(CellRange(row: r, columns: 1...years.count).a1))"
        }
        try yearHeader("Joint plan: capital paid by trust", at: row)
        for trust in trusts {
            row += 1
            try sheet.writeText(trust, row: row, column: 0)
            var total = 0.0
            for (offset, year) in years.enumerated() {
                let value = businessCase.jointCapitalByTrustYear[TrustYear(trust: TrustName(trust), year: year), default: .zero].pounds
                total += value
                try sheet.writeNumber(value, row: row, column: 1 + offset, format: Style.gbp)
            }
            try sheet.writeFormula(totalFormula(row), cachedValue: total, row: row, column: years.count + 1, format: Style.gbpBold)
        }
        row += 2
        try yearHeader("Each trust alone: capital paid", at: row)
        for option in businessCase.standaloneOptions {
            row += 1
            try sheet.writeText(option.name, row: row, column: 0)
            var total = 0.0
            for (offset, year) in years.enumerated() {
                let value = option.capitalPaid(year).pounds
                total += value
                try sheet.writeNumber(value, row: row, column: 1 + offset, format: Style.gbp)
            }
            try sheet.writeFormula(totalFormula(row), cachedValue: total, row: row, column: years.count + 1, format: Style.gbpBold)
        }
        guard !businessCase.budgets.isEmpty else {
            try sheet.writeText("No capital budgets were set in the scenario.", row: row + 2, column: 0, format: Style.subtitle)
            try insertCapitalChart(sheet, at: row + 4)
            return
        }
        row += 2
        try yearHeader("Capital budget", at: row)
        let budgetFirst = row + 1
        for trust in trusts {
            row += 1
            try sheet.writeText(trust, row: row, column: 0)
            for (offset, year) in years.enumerated() {
                if let budget = businessCase.budgets[TrustYear(trust: TrustName(trust), year: year)] {
                    try sheet.writeNumber(budget.pounds, row: row, column: 1 + offset, format: Style.input.numberFormat(.gbp))
                }
            }
        }
        row += 2
        try yearHeader("Headroom: budget less joint-plan capital", at: row)
        for (index, trust) in trusts.enumerated() {
            row += 1
            try sheet.writeText(trust, row: row, column: 0)
            for (offset, year) in years.enumerated() {
                let key = TrustYear(trust: TrustName(trust), year: year)
                guard let budget = businessCase.budgets[key] else { continue }
                let column = CellReference.columnLetters(1 + offset)
                let spent = businessCase.jointCapitalByTrustYear[key, default: .zero].pounds
                try sheet.writeFormula(
                    "=\(column)\(budgetFirst + index + 1)-\(column)\(plan.first + index + 1)",
                    cachedValue: budget.pounds - spent, row: row, column: 1 + offset, format: Style.gbp)
            }
        }
        try sheet.addConditionalFormat(
            .cellValue(.lessThan(0), format: CellFormat(fillColor: .lightRed)),
            to: CellRange(rows: (row - trusts.count + 1)...row, columns: 1...years.count))
        try insertCapitalChart(sheet, at: row + 2)
    }

    private func insertCapitalChart(_ sheet: Worksheet, at row: Int) throws {
        let plan = layout.capitalPlanRows
        guard !businessCase.standaloneOptions.isEmpty else { return }
        try sheet.insertChart(
            Chart(
                .stackedColumn, title: "Joint plan: capital paid by year",
                series: businessCase.standaloneOptions.indices.map { index in
                    ChartSeries(
                        name: businessCase.standaloneOptions[index].name, sheet: "Capital plan",
                        categories: CellRange(row: plan.header, columns: 1...years.count),
                        values: CellRange(row: plan.first + index, columns: 1...years.count))
                },
                valueAxis: ChartAxis(numberFormat: .gbp), widthInPixels: 720, heightInPixels: 340),
            row: row, column: 0)
    }

    // MARK: - Joint procurement

    mutating func writeJointProcurement() throws {
        let sheet = try workbook.addWorksheet(named: "Joint procurement")
        let headers = [
            "Supplier", "Class", "Year", "Units", "List price", "Tier (min units)", "Discount", "Unit price",
            "Order value", "Saved against list",
        ]
        let widths: [Double] = [28, 12, 8, 8, 14, 10, 10, 14, 16, 16]
        for (column, width) in widths.enumerated() { try sheet.setColumnWidth(width, column: column) }
        try sheet.writeText("Joint procurement: orders of the joint plan", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "An order is one supplier, class and year across the network; every unit in it earns the discount of the "
                + "highest tier its size reaches (all-units discount).", row: 1, column: 0, format: Style.subtitle)
        let headerRow = 3
        for (column, header) in headers.enumerated() {
            try sheet.writeText(header, row: headerRow, column: column, format: Style.header)
        }
        var totals = (units: 0.0, value: 0.0, saved: 0.0)
        for (index, order) in businessCase.orders.enumerated() {
            let r = headerRow + 1 + index
            let x = r + 1
            try sheet.writeText(order.supplier, row: r, column: 0)
            try sheet.writeText(order.equipmentClass, row: r, column: 1)
            try sheet.writeNumber(Double(order.year), row: r, column: 2, format: Style.plainInteger)
            try sheet.writeNumber(Double(order.units), row: r, column: 3, format: Style.integer)
            try sheet.writeNumber(order.listPriceGBP.pounds, row: r, column: 4, format: Style.gbp)
            try sheet.writeNumber(Double(order.tierMinimumUnits), row: r, column: 5, format: Style.integer)
            try sheet.writeNumber(order.discount, row: r, column: 6, format: Style.percent)
            let unitPrice = order.listPriceGBP.pounds * (1 - order.discount)
            let value = unitPrice * Double(order.units)
            let saved = order.listPriceGBP.pounds * Double(order.units) - value
            try sheet.writeFormula("=E\(x)*(1-G\(x))", cachedValue: unitPrice, row: r, column: 7, format: Style.gbp)
            try sheet.writeFormula("=D\(x)*H\(x)", cachedValue: value, row: r, column: 8, format: Style.gbp)
            try sheet.writeFormula("=D\(x)*E\(x)-I\(x)", cachedValue: saved, row: r, column: 9, format: Style.gbp)
            totals.units += Double(order.units)
            totals.value += value
            totals.saved += saved
        }
        let totalRow = headerRow + 1 + businessCase.orders.count
        let first = headerRow + 2
        try sheet.writeText("Total", row: totalRow, column: 0, format: Style.bold)
        guard !businessCase.orders.isEmpty else {
            try sheet.writeText("No orders: the scenario has no replacements in its horizon.", row: totalRow, column: 1)
            return
        }
        for (column, letter, value, format) in [
            (3, "D", totals.units, Style.integer.bold()), (8, "I", totals.value, Style.gbpBold),
            (9, "J", totals.saved, Style.gbpBold),
        ] {
            try sheet.writeFormula(
                "=SUM(\(letter)\(first):\(letter)\(totalRow))", cachedValue: value, row: totalRow, column: column,
                format: format)
        }
    }

    // MARK: - Savings allocation

    mutating func writeSavingsAllocation() throws {
        let sheet = try workbook.addWorksheet(named: "Savings allocation")
        let headers = [
            "Trust", "Cost alone (NPC)", "Shapley share of savings", "Shapley share %", "Proportional share",
            "Cost after joint buying (Shapley)",
        ]
        let widths: [Double] = [34, 18, 18, 12, 18, 20]
        for (column, width) in widths.enumerated() { try sheet.setColumnWidth(width, column: column) }
        try sheet.writeText("Savings allocation", row: 0, column: 0, format: Style.title)
        try sheet.writeText(businessCase.allocationMethod, row: 1, column: 0, format: Style.subtitle)
        let headerRow = layout.allocationRows.lowerBound - 1
        for (column, header) in headers.enumerated() {
            try sheet.writeText(header, row: headerRow, column: column, format: Style.header)
        }
        let rows = layout.allocationRows
        let totalRow = layout.allocationTotalRow
        let standalone = businessCase.allocation.reduce(0) { $0 + $1.standaloneCostGBP.pounds }
        let joint = businessCase.jointOption?.optimiserCostGBP.pounds ?? 0
        let savings = standalone - joint
        let savingsCell = "$B$\(totalRow + 3)"
        for (offset, row) in businessCase.allocation.enumerated() {
            let r = rows.lowerBound + offset
            let x = r + 1
            try sheet.writeText(row.trust.rawValue, row: r, column: 0)
            try sheet.writeNumber(row.standaloneCostGBP.pounds, row: r, column: 1, format: Style.gbp)
            try sheet.writeNumber(row.shapleyShareGBP.pounds, row: r, column: 2, format: Style.gbp)
            try sheet.writeFormula(
                "=IF(\(savingsCell)=0,0,C\(x)/\(savingsCell))",
                cachedValue: savings == 0 ? 0 : row.shapleyShareGBP.pounds / savings, row: r, column: 3,
                format: Style.percent)
            try sheet.writeFormula(
                "=IF($B$\(totalRow + 1)=0,0,\(savingsCell)*B\(x)/$B$\(totalRow + 1))",
                cachedValue: standalone == 0 ? 0 : savings * row.standaloneCostGBP.pounds / standalone, row: r, column: 4,
                format: Style.gbp)
            try sheet.writeFormula(
                "=B\(x)-C\(x)", cachedValue: row.standaloneCostGBP.pounds - row.shapleyShareGBP.pounds, row: r,
                column: 5, format: Style.gbp)
        }
        let span = rows.isEmpty ? "B\(totalRow):B\(totalRow)" : "B\(rows.lowerBound + 1):B\(rows.upperBound + 1)"
        try sheet.writeText("Every trust alone", row: totalRow, column: 0, format: Style.bold)
        try sheet.writeFormula("=SUM(\(span))", cachedValue: standalone, row: totalRow, column: 1, format: Style.gbpBold)
        try sheet.writeText("Joint plan", row: totalRow + 1, column: 0, format: Style.bold)
        try sheet.writeNumber(joint, row: totalRow + 1, column: 1, format: Style.gbpBold)
        try sheet.writeText("Savings", row: totalRow + 2, column: 0, format: Style.bold)
        try sheet.writeFormula(
            "=B\(totalRow + 1)-B\(totalRow + 2)", cachedValue: savings, row: totalRow + 2, column: 1, format: Style.gbpBold)
        let shapleyTotal = businessCase.allocation.reduce(0) { $0 + $1.shapleyShareGBP.pounds }
        try sheet.writeText("Shapley shares add up to", row: totalRow + 3, column: 0)
        try sheet.writeFormula(
            "=SUM(\(span.replacingOccurrences(of: "B", with: "C")))", cachedValue: shapleyTotal, row: totalRow + 3,
            column: 1, format: Style.gbp)
        try sheet.writeText(
            "Shapley value: each trust's average marginal saving over every order in which the trusts could join; "
                + "it adds up to the savings and gives each trust at least what it brings alone.",
            row: totalRow + 5, column: 0, format: Style.subtitle)
    }

    // MARK: - Appraisal

    mutating func writeAppraisal() throws {
        let sheet = try workbook.addWorksheet(named: "Appraisal")
        let lastYearColumn = years.count
        try sheet.setColumnWidth(40, column: 0)
        try sheet.setColumnWidth(13, columns: 1...(lastYearColumn + 2))
        try sheet.writeText("Appraisal: cash flows by option (HM Treasury Green Book)", row: 0, column: 0, format: Style.title)
        try sheet.writeText(
            "Present value = cash × discount factor; timing penalties are counted undiscounted, as the optimiser counts "
                + "them. Optimism bias applies to capital; VAT only when the Assumptions count it.",
            row: 1, column: 0, format: Style.subtitle)
        let yearRow = layout.appraisal.yearRow
        let factorRow = yearRow + 1
        let yearsRange = CellRange(row: yearRow, columns: 1...lastYearColumn).absolute
        try sheet.writeText("Year", row: yearRow, column: 0, format: Style.header)
        for (offset, year) in years.enumerated() {
            try sheet.writeNumber(Double(year), row: yearRow, column: 1 + offset, format: Style.header.numberFormat(.plainInteger))
        }
        try sheet.writeText("Total", row: yearRow, column: lastYearColumn + 1, format: Style.header)
        try sheet.writeText("Discount factor", row: factorRow, column: 0)
        for (offset, year) in years.enumerated() {
            let column = CellReference.columnLetters(1 + offset)
            try sheet.writeFormula(
                "=1/(1+\(Name.discountRate))^(\(column)$\(yearRow + 1)-\(Name.baseYear))",
                cachedValue: businessCase.assumptions.discountFactor(year), row: factorRow, column: 1 + offset,
                format: Style.factor)
        }
        var npcCells: [(name: String, cell: String, isJoint: Bool)] = []
        for (blockIndex, option) in layout.appraisal.blockOptions.enumerated() {
            let top = layout.appraisal.blockTop(blockIndex)
            let cell = try writeAppraisalBlock(sheet, option: option, top: top, factorRow: factorRow)
            npcCells.append((option.name, cell, option.isJoint))
        }
        // The summary under the blocks.
        var row = layout.appraisal.summaryTop
        try sheet.writeText("Net present cost by option", row: row, column: 0, format: Style.section)
        let aloneBlock = layout.appraisal.aloneBlockIndex
        let jointBlock = layout.appraisal.jointBlockIndex
        let alone = layout.appraisal.blockOptions[aloneBlock]
        let joint = layout.appraisal.blockOptions[jointBlock]
        let aloneNPC = appraisal.netPresentCost(alone)
        let jointNPC = appraisal.netPresentCost(joint)
        row += 1
        try sheet.writeText("Every trust alone", row: row, column: 0)
        try sheet.writeFormula("=\(npcCells[aloneBlock].cell)", cachedValue: aloneNPC, row: row, column: 1, format: Style.gbp)
        row += 1
        try sheet.writeText("Joint plan", row: row, column: 0)
        try sheet.writeFormula("=\(npcCells[jointBlock].cell)", cachedValue: jointNPC, row: row, column: 1, format: Style.gbp)
        row += 1
        try sheet.writeText("NPV of joint procurement", row: row, column: 0, format: Style.bold)
        try sheet.writeFormula("=B\(row - 1)-B\(row)", cachedValue: aloneNPC - jointNPC, row: row, column: 1, format: Style.gbpBold)
        precondition(CellReference(row: row, column: 1).a1 == layout.appraisalNPVCell, "appraisal layout drifted")

        // Sensitivity table and tornado.
        row += 2
        try sheet.writeText("Sensitivity of the NPV of joint procurement", row: row, column: 0, format: Style.section)
        row += 1
        let sensitivityHeader = row
        for (column, title) in ["Input moved", "Step", "NPV, input down", "NPV, input up", "Change, down", "Change, up"].enumerated() {
            try sheet.writeText(title, row: row, column: column, format: Style.header)
        }
        let npvCell = "$B$\(layout.appraisal.summaryTop + 4)"
        let sensitivities = appraisal.sensitivities(of: [alone, joint])
        let base = aloneNPC - jointNPC
        let inputs = [Name.sensitivityPrice, Name.sensitivityTierDiscount, Name.sensitivityDiscountRate, Name.sensitivityTimingPenalty]
        for (index, sensitivity) in sensitivities.enumerated() {
            row += 1
            try sheet.writeText(sensitivity.input, row: row, column: 0)
            try sheet.writeFormula("=\(inputs[index])", cachedValue: sensitivity.step, row: row, column: 1, format: Style.percent)
            for (column, sign, value) in [(2, "-", sensitivity.lowNPV), (3, "+", sensitivity.highNPV)] {
                let formula = sensitivityFormula(
                    input: index, step: "\(sign)\(inputs[index])", alone: layout.appraisal.blockTop(aloneBlock),
                    joint: layout.appraisal.blockTop(jointBlock), yearsRange: yearsRange)
                try sheet.writeFormula(formula, cachedValue: value, row: row, column: column, format: Style.gbp)
            }
            try sheet.writeFormula("=C\(row + 1)-\(npvCell)", cachedValue: sensitivity.lowNPV - base, row: row, column: 4, format: Style.gbp)
            try sheet.writeFormula("=D\(row + 1)-\(npvCell)", cachedValue: sensitivity.highNPV - base, row: row, column: 5, format: Style.gbp)
        }
        let sensitivityRows = (sensitivityHeader + 1)...row
        var tornado = Chart(
                .bar, title: "Tornado: change in the NPV of joint procurement",
                series: [
                    ChartSeries(name: "Input down", sheet: "Appraisal", categories: CellRange(rows: sensitivityRows, column: 0), values: CellRange(rows: sensitivityRows, column: 4), color: .amber),
                    ChartSeries(name: "Input up", sheet: "Appraisal", categories: CellRange(rows: sensitivityRows, column: 0), values: CellRange(rows: sensitivityRows, column: 5), color: .nhsBlue),
                ],
                categoryAxis: ChartAxis(labelPosition: .low), valueAxis: ChartAxis(numberFormat: .gbp),
                widthInPixels: 720, heightInPixels: 300)
        tornado.seriesOverlapPercent = 100
        try sheet.insertChart(tornado, row: row + 2, column: 0)
    }

    /// The rows of one option's block; returns the absolute reference of its NPC cell.
    private func writeAppraisalBlock(_ sheet: Worksheet, option: OptionCashFlows, top: Int, factorRow: Int) throws -> String {
        let n = years.count
        let labels = AppraisalBlock.labels
        try sheet.writeText(option.name, row: top, column: 0, format: Style.section)
        let optionsToSum = layout.appraisal.summedBlocks(for: option)
        let a = businessCase.assumptions
        for (offset, label) in labels.enumerated() {
            let r = top + 1 + offset
            let x = r + 1
            try sheet.writeText(label, row: r, column: 0, format: offset == AppraisalBlock.presentValue ? Style.bold : nil)
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
                case AppraisalBlock.listCapital, AppraisalBlock.tierDiscount, AppraisalBlock.service, AppraisalBlock.timingPenalty:
                    value = [list, discount, 0, 0, service, 0, 0, 0, option.timingPenaltyGBP[year, default: .zero].pounds][offset]
                    formula = optionsToSum.map { blocks in
                        "=" + blocks.map { "\(column)\(layout.appraisal.blockTop($0) + 2 + offset)" }.joined(separator: "+")
                    }
                case AppraisalBlock.capitalPaid:
                    value = paid
                    formula = "=\(column)\(x - 2)-\(column)\(x - 1)"
                case AppraisalBlock.optimismBias:
                    value = bias
                    formula = "=\(column)\(x - 1)*\(Name.optimismBias)"
                case AppraisalBlock.vat:
                    value = vat
                    formula = "=(\(column)\(x - 3)+\(column)\(x - 2)+\(column)\(x - 1))*\(Name.vatRate)*\(Name.includeVAT)"
                case AppraisalBlock.cash:
                    value = cash
                    formula = "=\(column)\(x - 4)+\(column)\(x - 3)+\(column)\(x - 2)+\(column)\(x - 1)"
                default:  // present value
                    value = cash * a.discountFactor(year)
                    formula = "=\(column)\(x - 1)*\(column)$\(factorRow + 1)"
                }
                total += value
                if let formula {
                    try sheet.writeFormula(formula, cachedValue: value, row: r, column: 1 + index, format: Style.gbp)
                } else {
                    try sheet.writeNumber(value, row: r, column: 1 + index, format: Style.gbp)
                }
            }
            try sheet.writeFormula(
                "=SUM(\(CellRange(row: r, columns: 1...n).a1))", cachedValue: total, row: r, column: n + 1,
                format: Style.gbpBold)
        }
        let npcRow = top + 1 + labels.count
        let pvRow = top + 1 + AppraisalBlock.presentValue
        let penaltyRow = top + 1 + AppraisalBlock.timingPenalty
        try sheet.writeText("Net present cost (PV + timing penalties)", row: npcRow, column: 0, format: Style.bold)
        try sheet.writeFormula(
            "=\(CellReference.columnLetters(n + 1))\(pvRow + 1)+\(CellReference.columnLetters(n + 1))\(penaltyRow + 1)",
            cachedValue: appraisal.netPresentCost(option), row: npcRow, column: n + 1, format: Style.gbpBold)
        try sheet.writeText("Optimiser's cost (no optimism bias, no VAT)", row: npcRow + 1, column: 0, format: Style.subtitle)
        try sheet.writeNumber(option.optimiserCostGBP.pounds, row: npcRow + 1, column: n + 1, format: Style.gbp)
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
            let capital = "(\(row(AppraisalBlock.listCapital))-\(row(AppraisalBlock.tierDiscount))*\(discount))*\(price)"
            return "(SUMPRODUCT((\(capital)*(1+\(Name.optimismBias))+\(row(AppraisalBlock.service)))"
                + "*(1+\(Name.vatRate)*\(Name.includeVAT)),1/(1+\(rate))^(\(yearsRange)-\(Name.baseYear)))"
                + "+SUM(\(row(AppraisalBlock.timingPenalty)))*\(penalty))"
        }
        return "=\(cost(alone))-\(cost(joint))"
    }

    // MARK: - Method

    mutating func writeMethod() throws {
        let sheet = try workbook.addWorksheet(named: "Method")
        try sheet.setColumnWidth(28, column: 0)
        try sheet.setColumnWidth(110, column: 1)
        try sheet.writeText("Method and sources", row: 0, column: 0, format: Style.title)
        for (offset, entry) in MethodText.entries.enumerated() {
            try sheet.writeText(entry.0, row: 2 + offset, column: 0, format: Style.bold.aligned(.top))
            try sheet.writeText(entry.1, row: 2 + offset, column: 1, format: Style.wrapped)
        }
    }

    // MARK: - Cells

    private func writeOptionalText(_ text: String?, _ sheet: Worksheet, _ row: Int, _ column: Int) throws {
        guard let text, !text.isEmpty else { return }
        try sheet.writeText(text, row: row, column: column)
    }

    private func writeOptionalMoney(_ amount: GBP?, _ sheet: Worksheet, _ row: Int, _ column: Int) throws {
        guard let amount else { return }
        try sheet.writeNumber(amount.pounds, row: row, column: column, format: Style.gbp)
    }

    private func writeDay(_ day: Day, _ sheet: Worksheet, _ row: Int, _ column: Int) throws {
        try sheet.writeDate(year: day.year, month: day.month, day: day.day, row: row, column: column, format: Style.date)
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
