import FleetCore
import Foundation

/// One setting of the inputs that the sensitivity analysis moves; the base case moves nothing.
public struct AppraisalVariation: Sendable, Hashable {
    /// Relative change of equipment prices (0.1 = 10 % dearer).
    public var price: Double = 0
    /// Relative change of tier discounts (0.5 = discounts half as large again).
    public var tierDiscount: Double = 0
    /// Change of the discount rate, as a fraction (0.01 = one percentage point).
    public var discountRate: Double = 0
    /// Relative change of timing penalties.
    public var timingPenalty: Double = 0

    /// A variation of the given inputs.
    public init(price: Double = 0, tierDiscount: Double = 0, discountRate: Double = 0, timingPenalty: Double = 0) {
        self.price = price
        self.tierDiscount = tierDiscount
        self.discountRate = discountRate
        self.timingPenalty = timingPenalty
    }

    /// No change.
    public static let base = AppraisalVariation()
}

/// The Green Book appraisal of the options, computed here exactly as the Appraisal sheet's formulas compute it,
/// so the values the workbook carries are the values a spreadsheet recalculates.
public struct Appraisal: Sendable {
    /// The inputs.
    public let assumptions: AppraisalAssumptions

    /// An appraisal under `assumptions`.
    public init(assumptions: AppraisalAssumptions) { self.assumptions = assumptions }

    /// The cash cost of `option` in `year` before discounting: capital paid and revenue (service, rentals, fees,
    /// capacity cover), each with its optimism bias, with VAT when the assumptions count it; timing penalties are
    /// not cash and are left out.
    public func cashCost(_ option: OptionCashFlows, year: Int, variation: AppraisalVariation = .base) -> Double {
        let list = option.listCapitalGBP[year, default: .zero].pounds
        let discount = option.tierDiscountGBP[year, default: .zero].pounds
        let capital = (list - discount * (1 + variation.tierDiscount)) * (1 + variation.price)
        let revenue = option.revenue(year).pounds
        return (capital * (1 + assumptions.optimismBias) + revenue * (1 + assumptions.operatingOptimismBias))
            * vatFactor
    }

    /// The net present cost of `option`: discounted cash costs plus undiscounted timing penalties (as the
    /// spec's objective counts them). With no optimism bias and VAT left out it equals the optimiser's cost.
    public func netPresentCost(_ option: OptionCashFlows, variation: AppraisalVariation = .base) -> Double {
        let rate = assumptions.discountRate + variation.discountRate
        var total = 0.0
        for year in assumptions.years {
            total += cashCost(option, year: year, variation: variation) * assumptions.discountFactor(year, rate: rate)
            total += option.timingPenaltyGBP[year, default: .zero].pounds * (1 + variation.timingPenalty)
        }
        return total
    }

    /// The spreadsheet formula of ``netPresentCost(_:variation:)`` over one option's block of the Appraisal sheet,
    /// with `input` (if any) moved by `step` (a signed name such as `-SensitivityPrice`): the same terms in the
    /// same order, so the sensitivity table recalculates to the values computed above.
    /// - Parameters:
    ///   - row: The absolute range of one line of the block across the appraisal's years.
    ///   - years: The absolute range of the year header cells.
    static func netPresentCostFormula(
        row: (AppraisalLine) -> String,
        years: String,
        moving input: SensitivityInput?,
        by step: String
    ) -> String {
        func moved(_ which: SensitivityInput) -> String { input == which ? "(1\(step))" : "1" }
        let rate = input == .discountRate ? "(\(Name.discountRate)\(step))" : Name.discountRate
        let capital = "(\(row(.listCapital))-\(row(.tierDiscount))*\(moved(.tierDiscount)))*\(moved(.price))"
        return "(SUMPRODUCT((\(capital)*(1+\(Name.optimismBias))+\(row(.revenue))*(1+\(Name.operatingOptimismBias)))"
            + "*(1+\(Name.vatRate)*\(Name.includeVAT)),1/(1+\(rate))^(\(years)-\(Name.baseYear)))"
            + "+SUM(\(row(.timingPenalty)))*\(moved(.timingPenalty)))"
    }

    /// The net present value of buying jointly: the net present cost of every trust alone less that of the
    /// joint plan (positive when joint procurement is worth it).
    public func jointNetPresentValue(of options: [OptionCashFlows], variation: AppraisalVariation = .base) -> Double {
        let alone = options.filter { !$0.isJoint }.reduce(0) { $0 + netPresentCost($1, variation: variation) }
        let joint = options.filter(\.isJoint).reduce(0) { $0 + netPresentCost($1, variation: variation) }
        return alone - joint
    }

    /// The sensitivity rows: each input moved down and up by its step, with the joint NPV at each end.
    public func sensitivities(of options: [OptionCashFlows]) -> [Sensitivity] {
        SensitivityInput.allCases.map { input in
            let step = input.step(assumptions.sensitivity)
            return Sensitivity(
                input: input.label,
                step: step,
                lowNPV: jointNetPresentValue(of: options, variation: input.variation(-step)),
                highNPV: jointNetPresentValue(of: options, variation: input.variation(step))
            )
        }
    }

    private var vatFactor: Double { 1 + (assumptions.includesVAT ? assumptions.vatRate : 0) }
}

/// The joint NPV with one input moved down and up.
public struct Sensitivity: Sendable, Hashable {
    /// The input moved.
    public var input: String
    /// How far it moved each way.
    public var step: Double
    /// The joint NPV with the input moved down.
    public var lowNPV: Double
    /// The joint NPV with the input moved up.
    public var highNPV: Double
}

/// An input the sensitivity analysis moves, in the order of the sensitivity table.
enum SensitivityInput: Int, CaseIterable, Sendable {
    case price, tierDiscount, discountRate, timingPenalty

    /// The row's label.
    var label: String {
        switch self {
        case .price: "Equipment prices"
        case .tierDiscount: "Tier discounts"
        case .discountRate: "Discount rate"
        case .timingPenalty: "Timing penalties"
        }
    }

    /// The named Assumptions cell holding the step.
    var stepName: String {
        switch self {
        case .price: Name.sensitivityPrice
        case .tierDiscount: Name.sensitivityTierDiscount
        case .discountRate: Name.sensitivityDiscountRate
        case .timingPenalty: Name.sensitivityTimingPenalty
        }
    }

    /// How far the input moves each way.
    func step(_ steps: SensitivitySteps) -> Double {
        switch self {
        case .price: steps.price
        case .tierDiscount: steps.tierDiscount
        case .discountRate: steps.discountRate
        case .timingPenalty: steps.timingPenalty
        }
    }

    /// The variation that moves this input by `step`.
    func variation(_ step: Double) -> AppraisalVariation {
        switch self {
        case .price: AppraisalVariation(price: step)
        case .tierDiscount: AppraisalVariation(tierDiscount: step)
        case .discountRate: AppraisalVariation(discountRate: step)
        case .timingPenalty: AppraisalVariation(timingPenalty: step)
        }
    }
}
