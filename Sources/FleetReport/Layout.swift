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

    var ageGroupRows: Rows
    var networkAgeRow: Int
    var networkProfile: AgeProfileRow
    var registerStatusRange: String
    var priorityBandRange: String
    var allocationRows: ClosedRange<Int>
    var allocationTotalRow: Int
    var capitalPlanRows: Rows
    var appraisal: AppraisalRows
    var appraisalNPVCell: String

    init(businessCase: BusinessCase) {
        ageGroupRows = Rows(header: 3, count: businessCase.ageProfile.count)
        networkAgeRow = ageGroupRows.last
        networkProfile =
            businessCase.ageProfile.last ?? AgeProfileRow(group: "", unitsAged0To5: 0, unitsAged6To10: 0, unitsAgedOver10: 0)
        registerStatusRange = "$O$2:$O$\(max(2, businessCase.register.count + 1))"
        let bandColumn = CellReference.columnLetters(7 + businessCase.criterionNames.count + 1)
        let priorityHeader = 5
        priorityBandRange =
            "$\(bandColumn)$\(priorityHeader + 2):$\(bandColumn)$\(priorityHeader + 1 + max(1, businessCase.priorities.count))"
        let trusts = max(1, businessCase.allocation.count)
        allocationRows = 4...(3 + trusts)
        allocationTotalRow = 4 + trusts
        capitalPlanRows = Rows(header: 3, count: businessCase.standaloneOptions.count)

        let standalone = businessCase.standaloneOptions
        let everyTrustAlone = Layout.sum(standalone, name: "Every trust alone")
        var blocks = standalone
        blocks.append(everyTrustAlone)
        let joint =
            businessCase.jointOption
            ?? OptionCashFlows(
                name: "Joint plan", isJoint: true, listCapitalGBP: [:], tierDiscountGBP: [:], serviceGBP: [:],
                timingPenaltyGBP: [:], optimiserCostGBP: .zero)
        blocks.append(joint)
        appraisal = AppraisalRows(
            blockOptions: blocks, aloneBlockIndex: standalone.count, jointBlockIndex: standalone.count + 1,
            standaloneBlockCount: standalone.count)
        appraisalNPVCell = "B\(appraisal.summaryTop + 4)"
    }

    /// The options added up year by year, as one option.
    static func sum(_ options: [OptionCashFlows], name: String) -> OptionCashFlows {
        func add(_ pick: (OptionCashFlows) -> [Int: GBP]) -> [Int: GBP] {
            options.reduce(into: [:]) { total, option in
                for (year, amount) in pick(option) { total[year, default: .zero] = total[year, default: .zero] + amount }
            }
        }
        return OptionCashFlows(
            name: name, isJoint: false, listCapitalGBP: add(\.listCapitalGBP), tierDiscountGBP: add(\.tierDiscountGBP),
            serviceGBP: add(\.serviceGBP), timingPenaltyGBP: add(\.timingPenaltyGBP),
            optimiserCostGBP: options.reduce(.zero) { $0 + $1.optimiserCostGBP })
    }
}
