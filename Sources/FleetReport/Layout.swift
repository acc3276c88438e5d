import FleetCore
import WorkbookWriter

/// Where the figures that one sheet's formulas take from another sheet stand, worked out before any sheet is
/// written so the Summary (written first) can refer to rows of later sheets.
struct Layout {
    /// The rows of a block of groups on a sheet: a header row and the data rows under it.
    struct Rows {
        var header: Int
        var count: Int
        var first: Int { header + 1 }
        var last: Int { header + max(count, 1) }
        var rows: ClosedRange<Int> { first...last }
        func categories(column: Int) -> CellRange { CellRange(rows: rows, column: column) }
        func values(column: Int) -> CellRange { CellRange(rows: rows, column: column) }
    }

    /// The Appraisal sheet: a year row, a discount-factor row, then one block per option.
    struct AppraisalRows {
        static let rowsPerBlock = 1 + AppraisalBlock.labels.count + 3
        var yearRow = 3
        var blockOptions: [OptionCashFlows]
        var aloneBlockIndex: Int
        var jointBlockIndex: Int
        var standaloneBlockCount: Int
        func blockTop(_ index: Int) -> Int { yearRow + 3 + index * Self.rowsPerBlock }
        var summaryTop: Int { blockTop(blockOptions.count) }

        /// The standalone blocks that the "every trust alone" block adds up; nil for any other block.
        func summedBlocks(for option: OptionCashFlows) -> [Int]? {
            option == blockOptions[aloneBlockIndex] && !option.isJoint ? Array(0..<standaloneBlockCount) : nil
        }
    }

    /// The Capital plan sheet: blocks of trusts by year, with totals, then (with budgets) the budget, the
    /// headroom and the budget against the plan; the years are the plan's decision years.
    struct CapitalPlanRows {
        /// The years shown, one column each from column B: the decision years, and any later year with capital.
        var years: [Int]
        /// Trusts, one row each in every block.
        var trustCount: Int
        /// Whether the scenario set capital budgets.
        var hasBudgets: Bool

        var jointHeader: Int { 3 }
        var jointFirst: Int { jointHeader + 1 }
        var jointTotal: Int { jointHeader + 1 + trustCount }
        var aloneHeader: Int { jointTotal + 2 }
        var aloneFirst: Int { aloneHeader + 1 }
        var aloneTotal: Int { aloneHeader + 1 + trustCount }
        var budgetHeader: Int { aloneTotal + 2 }
        var budgetFirst: Int { budgetHeader + 1 }
        var budgetTotal: Int { budgetHeader + 1 + trustCount }
        var headroomHeader: Int { budgetTotal + 2 }
        var headroomFirst: Int { headroomHeader + 1 }
        var comparisonHeader: Int { headroomHeader + trustCount + 2 }
        /// The row of the budget of the trusts with one, by year.
        var comparisonBudget: Int { comparisonHeader + 1 }
        /// The row of those trusts' joint-plan capital, by year.
        var comparisonCapital: Int { comparisonHeader + 2 }
        /// The first row below the tables (the charts go there).
        var end: Int { hasBudgets ? comparisonCapital + 2 : aloneTotal + 4 }
        /// The year columns, B onwards.
        var yearColumns: ClosedRange<Int> { 1...max(1, years.count) }
        /// The total column, right of the years.
        var totalColumn: Int { years.count + 1 }
        /// The year header cells of the joint-plan block, the charts' categories.
        var categories: CellRange { CellRange(row: jointHeader, columns: yearColumns) }
    }

    var ageGroupRows: Rows
    var networkAgeRow: Int
    var networkProfile: AgeProfileRow
    var registerStatusRange: String
    var priorityBandRange: String
    var allocationRows: ClosedRange<Int>
    var allocationTotalRow: Int
    var capitalPlan: CapitalPlanRows
    /// The header row of the Register sheet (its table starts there).
    var registerHeaderRow: Int
    var appraisal: AppraisalRows
    var appraisalNPVCell: String

    init(businessCase: BusinessCase) {
        ageGroupRows = Rows(header: 3, count: businessCase.ageProfile.count)
        networkAgeRow = ageGroupRows.last
        networkProfile =
            businessCase.ageProfile.last
            ?? AgeProfileRow(group: "", unitsAged0To5: 0, unitsAged6To10: 0, unitsAgedOver10: 0)
        registerHeaderRow = 3
        registerStatusRange =
            "$O$\(registerHeaderRow + 2):$O$\(registerHeaderRow + 1 + max(1, businessCase.register.count))"
        let bandColumn = CellReference.columnLetters(7 + businessCase.criterionNames.count + 1)
        let priorityHeader = 5
        priorityBandRange =
            "$\(bandColumn)$\(priorityHeader + 2):$\(bandColumn)$\(priorityHeader + 1 + max(1, businessCase.priorities.count))"
        let trusts = max(1, businessCase.allocation.count)
        allocationRows = 4...(3 + trusts)
        allocationTotalRow = 4 + trusts
        capitalPlan = CapitalPlanRows(
            years: Layout.capitalYears(businessCase),
            trustCount: businessCase.standaloneOptions.count,
            hasBudgets: !businessCase.budgets.isEmpty
        )

        let standalone = businessCase.standaloneOptions
        let everyTrustAlone = Layout.sum(standalone, name: "Every trust alone")
        var blocks = standalone
        blocks.append(everyTrustAlone)
        let joint =
            businessCase.jointOption
            ?? OptionCashFlows(
                name: "Joint plan",
                isJoint: true,
                listCapitalGBP: [:],
                tierDiscountGBP: [:],
                serviceGBP: [:],
                timingPenaltyGBP: [:],
                optimiserCostGBP: .zero
            )
        blocks.append(joint)
        appraisal = AppraisalRows(
            blockOptions: blocks,
            aloneBlockIndex: standalone.count,
            jointBlockIndex: standalone.count + 1,
            standaloneBlockCount: standalone.count
        )
        appraisalNPVCell = "B\(appraisal.summaryTop + 4)"
    }

    /// The decision years of the plan (base year to base + horizon − 1), and any later year in which capital is
    /// paid or budgeted: capital is only ever paid in decision years, so later years would be empty columns.
    static func capitalYears(_ businessCase: BusinessCase) -> [Int] {
        let assumptions = businessCase.assumptions
        var years = Set(assumptions.baseYear..<(assumptions.baseYear + max(1, assumptions.horizonYears)))
        for option in businessCase.options {
            for (year, amount) in option.listCapitalGBP where amount != .zero { years.insert(year) }
        }
        for (key, amount) in businessCase.jointCapitalByTrustYear where amount != .zero { years.insert(key.year) }
        for key in businessCase.budgets.keys { years.insert(key.year) }
        return years.filter { assumptions.years.contains($0) }.sorted()
    }

    /// The options added up year by year, as one option.
    static func sum(_ options: [OptionCashFlows], name: String) -> OptionCashFlows {
        func add(_ pick: (OptionCashFlows) -> [Int: GBP]) -> [Int: GBP] {
            options.reduce(into: [:]) { total, option in
                for (year, amount) in pick(option) {
                    total[year, default: .zero] = total[year, default: .zero] + amount
                }
            }
        }
        return OptionCashFlows(
            name: name,
            isJoint: false,
            listCapitalGBP: add(\.listCapitalGBP),
            tierDiscountGBP: add(\.tierDiscountGBP),
            serviceGBP: add(\.serviceGBP),
            timingPenaltyGBP: add(\.timingPenaltyGBP),
            optimiserCostGBP: options.reduce(.zero) { $0 + $1.optimiserCostGBP }
        )
    }
}
