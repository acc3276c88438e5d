import FleetCore
import FleetPriority
import WorkbookWriter

/// The Assumptions sheet: the appraisal's inputs, one named cell each (see ``Name``), which the other sheets'
/// formulas use.
enum AssumptionsSheet: BusinessCaseSheet {
    static let name = "Assumptions"

    /// The header row; the inputs follow it, one a row.
    static let headerRow = 3

    /// One input: its defined name, label, value, number format, unit and source.
    typealias Input = (name: String, label: String, value: Double, format: NumberFormat, unit: String, source: String)

    static func write(in context: SheetContext) throws {
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.inputs)
        try sheet.title("Assumptions")
        try sheet.notes(
            "Yellow cells are inputs: change them and every dependent figure recalculates.",
            "Each input is a named cell (Formulas → Name Manager) that the other sheets' formulas use."
        )
        try sheet.wrap(column: 3, width: 72)
        try sheet.header(["Input", "Value", "Unit", "Source"], row: headerRow, rightAligned: [1], indented: [2])
        let inputs = self.inputs(context.businessCase.assumptions)
        for (offset, input) in inputs.enumerated() {
            let r = headerRow + 1 + offset
            try sheet.text(input.label, row: r, column: 0)
            try sheet.number(input.value, row: r, column: 1, format: Style.input.numberFormat(input.format))
            try sheet.text(input.unit, row: r, column: 2, format: Style.subtitle.indented(1))
            try sheet.text(input.source, row: r, column: 3)
            try context.workbook.defineName(input.name, cell: CellReference(row: r, column: 1), sheet: name)
        }
        /// The value cell of the input named `name`.
        func cell(_ name: String) -> CellRange {
            let offset = inputs.firstIndex { $0.name == name } ?? 0
            return CellRange(rows: (headerRow + 1 + offset)...(headerRow + 1 + offset), column: 1)
        }
        try sheet.sheet.addDataValidation(
            DataValidation(.list(["0", "1"]), errorMessage: "Enter 1 to count VAT, 0 to leave it out."),
            to: cell(Name.includeVAT)
        )
        try sheet.sheet.addDataValidation(
            DataValidation(
                .decimalBetween(0, 0.2),
                errorMessage: "A discount rate between 0 and 20 % a year."
            ),
            to: cell(Name.discountRate)
        )
        try sheet.sheet.addDataValidation(
            DataValidation(
                .decimalBetween(0, 0.2),
                errorMessage: "A lease discount rate between 0 and 20 % a year."
            ),
            to: cell(Name.leaseDiscountRate)
        )
        for (bias, upper) in [(Name.optimismBias, "200 %"), (Name.operatingOptimismBias, "41 %")] {
            try sheet.sheet.addDataValidation(
                DataValidation(
                    .decimalBetween(0, 5),
                    errorMessage:
                        "Optimism bias as a fraction from 0 to 5 (the guidance's upper bound here is \(upper))."
                ),
                to: cell(bias)
            )
        }
        try sheet.finish(context.page(frozenRows: headerRow + 1, repeatedRows: headerRow...headerRow))
    }

    /// The inputs in row order.
    private static func inputs(_ a: AppraisalAssumptions) -> [Input] {
        let rule = AgeProfile.Rule.cocir
        return [
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
                Name.optimismBias, "Optimism bias on capital paid", a.optimismBias, .percent(decimals: 0),
                "of capital paid",
                "Green Book supplementary guidance on optimism bias (Mott MacDonald 2002): equipment/development capital expenditure, upper bound 200 %, lower bound 10 %. Default the lower bound: off-the-shelf equipment bought at quoted prices from a framework, so the specification and supplier risks behind the upper bound are already mitigated (Catalog/appraisal.toml optimism_bias)"
            ),
            (
                Name.operatingOptimismBias, "Optimism bias on revenue (operating cost)", a.operatingOptimismBias,
                .percent(decimals: 0), "of revenue",
                "Green Book supplementary guidance: outsourcing projects' operating cost, upper bound 41 %, lower bound 0 %. Default the lower bound: service, rentals and managed-service fees are fixed by contract at quoted prices once let. Raise it to test a route that moves cost to revenue, which otherwise escapes the capital bias (Catalog/appraisal.toml operating_optimism_bias)"
            ),
            (
                Name.leaseDiscountRate, "Lease discount rate (IFRS 16 right-of-use)", a.leaseDiscountRate,
                .percent(decimals: 2), "a year",
                "Procurement scenario (scenario.toml lease_discount_rate; the discount rate when it sets none): HM Treasury sets the rate for NHS leases each year. It values the capital scored for leases and managed services; the cash costs do not depend on it"
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
                Name.cocirYoungMinimum, "COCIR rule: share aged 0–5 at least", rule.minimumShareAged0To5,
                .percent(decimals: 0), "",
                "COCIR golden rules for an imaging installed base"
            ),
            (
                Name.cocirMiddleMaximum, "COCIR rule: share aged 6–10 at most", rule.maximumShareAged6To10,
                .percent(decimals: 0), "",
                "COCIR golden rules"
            ),
            (
                Name.cocirOldMaximum, "COCIR rule: share over 10 at most", rule.maximumShareAgedOver10,
                .percent(decimals: 0), "",
                "COCIR golden rules; ESR 2014: over 10 years is no longer state of the art"
            ),
        ]
    }
}
