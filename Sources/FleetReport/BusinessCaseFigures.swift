import FleetCore
import FleetPriority
import Foundation

/// Every figure the business-case workbook shows that is worked out rather than copied from the case, computed
/// once, before any sheet is written. The sheet writers only lay these values out beside their formulas; the
/// command line reads its headline figures from here too.
public struct BusinessCaseFigures: Sendable {
    /// The Summary sheet's key figures.
    public let summary: SummaryFigures
    /// The appraisal: each option's cash flows by year, net present costs, the NPV and its sensitivities.
    public let appraisal: AppraisalFigures
    /// Each age-profile group's totals and shares, in ``BusinessCase/ageProfile`` order.
    let ageGroups: [AgeGroupFigures]
    /// Each ranked unit's score as the Priority sheet's formula recomputes it from the weights.
    let priorityScores: [Double]
    /// The joint plan's orders priced, and their totals.
    let orders: OrderFigures
    /// The savings and each trust's shares.
    let allocation: AllocationFigures
    /// Capital paid by trust and year, budgets and headroom.
    let capitalPlan: CapitalPlanFigures
    /// The Capacity sheet's rows and totals (none without capacity planning).
    public let capacity: CapacityFigures

    /// The figures of `businessCase`.
    public init(_ businessCase: BusinessCase) {
        ageGroups = businessCase.ageProfile.map(AgeGroupFigures.init)
        priorityScores = Self.priorityScores(businessCase.priorities, criterionNames: businessCase.criterionNames)
        orders = OrderFigures(businessCase.orders)
        allocation = AllocationFigures(businessCase)
        capitalPlan = CapitalPlanFigures(businessCase)
        capacity = CapacityFigures(businessCase.capacity)
        appraisal = AppraisalFigures(businessCase)
        let network =
            ageGroups.last
            ?? AgeGroupFigures(AgeProfileRow(group: "", unitsAged0To5: 0, unitsAged6To10: 0, unitsAgedOver10: 0))
        summary = SummaryFigures(
            unitsInService: businessCase.register.count { $0.status == .inService },
            unitsAgedOver10: network.row.unitsAgedOver10,
            shareAgedOver10: network.shares[2],
            unitsToReplaceNow: businessCase.priorities.count { $0.band == Band.replaceNow.label },
            standaloneCostGBP: allocation.standaloneCostGBP,
            jointCostGBP: allocation.jointCostGBP,
            // Σ the trusts' NPCs less the joint NPC, as before this split: the Appraisal sheet's NPV (NPC of the
            // trusts' summed flows) agrees to within 1e-8 pounds; keeping this sum keeps the workbook unchanged.
            jointNetPresentValueGBP: Appraisal(assumptions: businessCase.assumptions).jointNetPresentValue(
                of: businessCase.options
            )
        )
    }

    /// 100 × Σ weight × criterion score ÷ Σ weight, with the first unit's weights (the Priority sheet's weight row).
    static func priorityScores(_ priorities: [PriorityRow], criterionNames: [String]) -> [Double] {
        let weights = priorities.first?.criterionWeights ?? criterionNames.map { _ in 1 }
        let totalWeight = weights.reduce(0, +)
        return priorities.map { row in
            100 * zip(row.criterionScores, weights).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
        }
    }
}

/// The Summary sheet's key figures.
public struct SummaryFigures: Sendable, Hashable {
    /// Units of the register whose status is in service.
    public var unitsInService: Int
    /// In-service units of the whole network aged over 10 completed years.
    public var unitsAgedOver10: Int
    /// Their share of the network's in-service units, as a fraction.
    public var shareAgedOver10: Double
    /// Units in the `replace now` band.
    public var unitsToReplaceNow: Int
    /// Σ each trust's optimised standalone cost, net present, in pounds.
    public var standaloneCostGBP: Double
    /// The optimised joint plan's cost, net present, in pounds.
    public var jointCostGBP: Double
    /// The appraisal's NPV of joint procurement (with optimism bias), in pounds.
    public var jointNetPresentValueGBP: Double

    /// Standalone less joint, in pounds.
    public var savingsGBP: Double { standaloneCostGBP - jointCostGBP }
    /// The savings as a fraction of buying alone (0 when nothing is bought alone).
    public var savingsShare: Double {
        standaloneCostGBP == 0 ? 0 : (standaloneCostGBP - jointCostGBP) / standaloneCostGBP
    }
}

/// One age-profile group: its units and its shares by age against the COCIR rule.
struct AgeGroupFigures: Sendable {
    /// The group's counts.
    var row: AgeProfileRow
    /// Shares aged 0–5, 6–10 and over 10, as fractions (0 for an empty group).
    var shares: [Double]
    /// Whether the group meets all three COCIR limits.
    var meetsCOCIR: Bool

    init(_ row: AgeProfileRow) {
        self.row = row
        let units = Double(row.units)
        shares = [row.unitsAged0To5, row.unitsAged6To10, row.unitsAgedOver10].map {
            units == 0 ? 0 : Double($0) / units
        }
        meetsCOCIR = AgeProfile.Rule.cocir.isMet(
            aged0To5: row.unitsAged0To5,
            aged6To10: row.unitsAged6To10,
            agedOver10: row.unitsAgedOver10
        )
    }
}

extension AgeProfile.Rule {
    /// The least share aged 0–5, as a fraction (the Assumptions sheet's input).
    var minimumShareAged0To5: Double { Double(minimumPercentAged0To5) / 100 }
    /// The largest share aged 6–10, as a fraction.
    var maximumShareAged6To10: Double { Double(maximumPercentAged6To10) / 100 }
    /// The largest share over 10, as a fraction.
    var maximumShareAgedOver10: Double { Double(maximumPercentAgedOver10) / 100 }
}

/// The joint plan's orders priced: unit price paid, order value, saving against list, and totals.
struct OrderFigures: Sendable {
    struct Line: Sendable {
        var unitPriceGBP: Double
        var valueGBP: Double
        var savedGBP: Double
    }

    var lines: [Line]
    var totalUnits: Double
    var totalValueGBP: Double
    var totalSavedGBP: Double

    init(_ orders: [OrderRow]) {
        var totals = (units: 0.0, value: 0.0, saved: 0.0)
        lines = orders.map { order in
            let unitPrice = order.listPriceGBP.pounds * (1 - order.discount)
            let value = unitPrice * Double(order.units)
            let saved = order.listPriceGBP.pounds * Double(order.units) - value
            totals.units += Double(order.units)
            totals.value += value
            totals.saved += saved
            return Line(unitPriceGBP: unitPrice, valueGBP: value, savedGBP: saved)
        }
        (totalUnits, totalValueGBP, totalSavedGBP) = totals
    }
}

/// The savings and their split, trust by trust.
struct AllocationFigures: Sendable {
    struct Line: Sendable {
        /// The Shapley share as a fraction of the savings.
        var shapleyFraction: Double
        /// The share in proportion to standalone cost, in pounds.
        var proportionalShareGBP: Double
        /// Standalone cost less the Shapley share, in pounds.
        var costAfterGBP: Double
    }

    var lines: [Line]
    var standaloneCostGBP: Double
    var jointCostGBP: Double
    var shapleyTotalGBP: Double
    var savingsGBP: Double { standaloneCostGBP - jointCostGBP }

    init(_ businessCase: BusinessCase) {
        let standalone = businessCase.allocation.reduce(0) { $0 + $1.standaloneCostGBP.pounds }
        let joint = businessCase.jointOption?.optimiserCostGBP.pounds ?? 0
        let savings = standalone - joint
        standaloneCostGBP = standalone
        jointCostGBP = joint
        shapleyTotalGBP = businessCase.allocation.reduce(0) { $0 + $1.shapleyShareGBP.pounds }
        lines = businessCase.allocation.map { row in
            Line(
                shapleyFraction: savings == 0 ? 0 : row.shapleyShareGBP.pounds / savings,
                proportionalShareGBP: standalone == 0 ? 0 : savings * row.standaloneCostGBP.pounds / standalone,
                costAfterGBP: row.standaloneCostGBP.pounds - row.shapleyShareGBP.pounds
            )
        }
    }
}

/// Capital scored and revenue by each trust in each year shown, jointly and alone, and the capital and revenue
/// budgets against the joint plan.
struct CapitalPlanFigures: Sendable {
    /// One block of the Capital plan sheet: an amount by trust (rows) and year (columns), with totals.
    struct Block: Sendable {
        /// Amounts by trust and year, in pounds.
        var amounts: [[Double]]
        /// Each trust's total over the years.
        var trustTotals: [Double]
        /// Each year's total over the trusts, then the grand total.
        var yearTotals: [Double]

        init(_ amounts: [[Double]], years: Int) {
            self.amounts = amounts
            var yearTotals = Array(repeating: 0.0, count: years + 1)
            trustTotals = amounts.map { row in
                var total = 0.0
                for (offset, value) in row.enumerated() {
                    total += value
                    yearTotals[offset] += value
                }
                yearTotals[years] += total
                return total
            }
            self.yearTotals = yearTotals
        }
    }

    /// The years shown: the decision years, and any later year of the appraisal with capital or a budget.
    var years: [Int]
    /// The trusts, one row each in every block.
    var trusts: [String]
    /// Capital scored (IFRS 16) under the joint plan.
    var joint: Block
    /// Capital scored by each trust alone.
    var alone: Block
    /// The years of the revenue blocks: every year of the appraisal.
    var revenueYears: [Int]
    /// Revenue scored (service after warranty, rentals, fees) under the joint plan.
    var jointRevenue: Block
    /// Revenue scored by each trust alone.
    var aloneRevenue: Block
    /// Revenue budgets by trust and appraisal year, nil where a trust has none that year; empty when the scenario
    /// set none.
    var revenueBudgets: [[Double?]]
    /// Revenue budget less joint-plan revenue, where there is a budget.
    var revenueHeadroom: [[Double?]]
    /// Σ revenue budgets by year, in pounds.
    var revenueBudgetTotals: [Double]
    /// Budgets by trust and year, nil where a trust has none that year; empty when the scenario set none.
    var budgets: [[Double?]]
    /// Budget less joint-plan capital, where there is a budget.
    var headroom: [[Double?]]
    /// Σ budgets by year, in pounds.
    var budgetTotals: [Double]
    /// Σ joint-plan capital of the trusts with a budget, by year, in pounds.
    var budgetedCapital: [Double]

    var hasBudgets: Bool { !budgets.isEmpty }
    var hasRevenueBudgets: Bool { !revenueBudgets.isEmpty }

    init(_ businessCase: BusinessCase) {
        let years = Self.years(businessCase)
        let trusts = businessCase.standaloneOptions.map(\.name)
        self.years = years
        self.trusts = trusts
        let jointAmounts = trusts.map { trust in
            years.map {
                businessCase.jointCapitalByTrustYear[TrustYear(trust: TrustName(trust), year: $0), default: .zero]
                    .pounds
            }
        }
        joint = Block(jointAmounts, years: years.count)
        let options = Dictionary(businessCase.standaloneOptions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        alone = Block(
            trusts.map { trust in years.map { options[trust]?.capitalScored($0).pounds ?? 0 } },
            years: years.count
        )
        let revenueYears = businessCase.assumptions.years
        self.revenueYears = revenueYears
        let jointRevenueAmounts = trusts.map { trust in
            revenueYears.map {
                businessCase.jointRevenueByTrustYear[TrustYear(trust: TrustName(trust), year: $0), default: .zero]
                    .pounds
            }
        }
        jointRevenue = Block(jointRevenueAmounts, years: revenueYears.count)
        aloneRevenue = Block(
            trusts.map { trust in revenueYears.map { options[trust]?.revenueScored($0).pounds ?? 0 } },
            years: revenueYears.count
        )
        if businessCase.revenueBudgets.isEmpty {
            revenueBudgets = []
            revenueHeadroom = []
        } else {
            revenueBudgets = trusts.map { trust in
                revenueYears.map { businessCase.revenueBudgets[TrustYear(trust: TrustName(trust), year: $0)]?.pounds }
            }
            revenueHeadroom = zip(revenueBudgets, jointRevenueAmounts).map { budgets, spent in
                zip(budgets, spent).map { budget, spent in budget.map { $0 - spent } }
            }
        }
        var revenueBudgetTotals = Array(repeating: 0.0, count: revenueYears.count)
        for trustBudgets in revenueBudgets {
            for (offset, budget) in trustBudgets.enumerated() { revenueBudgetTotals[offset] += budget ?? 0 }
        }
        self.revenueBudgetTotals = revenueBudgetTotals
        budgetTotals = Array(repeating: 0, count: years.count)
        budgetedCapital = Array(repeating: 0, count: years.count)
        guard !businessCase.budgets.isEmpty else {
            budgets = []
            headroom = []
            return
        }
        budgets = trusts.map { trust in
            years.map { businessCase.budgets[TrustYear(trust: TrustName(trust), year: $0)]?.pounds }
        }
        headroom = zip(budgets, jointAmounts).map { budgets, spent in
            zip(budgets, spent).map { budget, spent in budget.map { $0 - spent } }
        }
        for (index, trustBudgets) in budgets.enumerated() {
            for (offset, budget) in trustBudgets.enumerated() {
                guard let budget else { continue }
                budgetTotals[offset] += budget
                budgetedCapital[offset] += jointAmounts[index][offset]
            }
        }
    }

    /// The decision years of the plan (base year to base + horizon − 1), and any later year in which capital is
    /// paid or budgeted: capital is only ever paid in decision years, so later years would be empty columns.
    private static func years(_ businessCase: BusinessCase) -> [Int] {
        let assumptions = businessCase.assumptions
        var years = Set(assumptions.baseYear..<(assumptions.baseYear + max(1, assumptions.horizonYears)))
        for option in businessCase.options {
            for (year, amount) in option.listCapitalGBP where amount != .zero { years.insert(year) }
        }
        for (key, amount) in businessCase.jointCapitalByTrustYear where amount != .zero { years.insert(key.year) }
        for key in businessCase.budgets.keys { years.insert(key.year) }
        return years.filter { assumptions.years.contains($0) }.sorted()
    }
}
