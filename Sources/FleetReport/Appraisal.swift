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

    /// The cash cost of `option` in `year` before discounting: capital paid with optimism bias plus service,
    /// with VAT when the assumptions count it; timing penalties are not cash and are left out.
    public func cashCost(_ option: OptionCashFlows, year: Int, variation: AppraisalVariation = .base) -> Double {
        let list = option.listCapitalGBP[year, default: .zero].pounds
        let discount = option.tierDiscountGBP[year, default: .zero].pounds
        let capital = (list - discount * (1 + variation.tierDiscount)) * (1 + variation.price)
        let service = option.serviceGBP[year, default: .zero].pounds
        return (capital * (1 + assumptions.optimismBias) + service) * vatFactor
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

    /// The net present value of buying jointly: the net present cost of every trust alone less that of the
    /// joint plan (positive when joint procurement is worth it).
    public func jointNetPresentValue(of options: [OptionCashFlows], variation: AppraisalVariation = .base) -> Double {
        let alone = options.filter { !$0.isJoint }.reduce(0) { $0 + netPresentCost($1, variation: variation) }
        let joint = options.filter(\.isJoint).reduce(0) { $0 + netPresentCost($1, variation: variation) }
        return alone - joint
    }

    /// The sensitivity rows: each input moved down and up by its step, with the joint NPV at each end.
    public func sensitivities(of options: [OptionCashFlows]) -> [Sensitivity] {
        let steps = assumptions.sensitivity
        let rows: [(String, (Double) -> AppraisalVariation, Double)] = [
            ("Equipment prices", { AppraisalVariation(price: $0) }, steps.price),
            ("Tier discounts", { AppraisalVariation(tierDiscount: $0) }, steps.tierDiscount),
            ("Discount rate", { AppraisalVariation(discountRate: $0) }, steps.discountRate),
            ("Timing penalties", { AppraisalVariation(timingPenalty: $0) }, steps.timingPenalty),
        ]
        return rows.map { name, make, step in
            Sensitivity(
                input: name,
                step: step,
                lowNPV: jointNetPresentValue(of: options, variation: make(-step)),
                highNPV: jointNetPresentValue(of: options, variation: make(step))
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
