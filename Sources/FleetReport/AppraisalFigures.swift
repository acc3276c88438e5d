import FleetCore
import Foundation

/// One line of an option's block on the Appraisal sheet, in the block's row order. Each line says both how its
/// value is computed and the formula the sheet writes for it, side by side, so the figures the workbook carries
/// and the formulas a spreadsheet recalculates come from one definition.
enum AppraisalLine: Int, CaseIterable, Sendable {
    case listCapital, tierDiscount, capitalPaid, optimismBias, service, vat, cash, presentValue, timingPenalty

    /// The line's label in column A.
    var label: String {
        switch self {
        case .listCapital: "Capital at list price"
        case .tierDiscount: "Tier discounts"
        case .capitalPaid: "Capital paid"
        case .optimismBias: "Optimism bias"
        case .service: "Revenue: service, rentals, fees and capacity cover"
        case .vat: "VAT"
        case .cash: "Cash cost"
        case .presentValue: "Present value"
        case .timingPenalty: "Timing penalties (undiscounted)"
        }
    }

    /// Whether the line is an input copied from the optimiser's plan rather than worked out from other lines.
    var isInput: Bool { [.listCapital, .tierDiscount, .service, .timingPenalty].contains(self) }

    /// Every line's value for `option` in `year`, in pounds.
    static func values(of option: OptionCashFlows, year: Int, _ assumptions: AppraisalAssumptions) -> [Double] {
        let list = option.listCapitalGBP[year, default: .zero].pounds
        let discount = option.tierDiscountGBP[year, default: .zero].pounds
        let service = option.serviceGBP[year, default: .zero].pounds
        let paid = list - discount
        let bias = paid * assumptions.optimismBias
        let vat = (paid + bias + service) * assumptions.vatRate * (assumptions.includesVAT ? 1 : 0)
        let cash = paid + bias + service + vat
        let penalty = option.timingPenaltyGBP[year, default: .zero].pounds
        return allCases.map { line in
            switch line {
            case .listCapital: list
            case .tierDiscount: discount
            case .capitalPaid: paid
            case .optimismBias: bias
            case .service: service
            case .vat: vat
            case .cash: cash
            case .presentValue: cash * assumptions.discountFactor(year)
            case .timingPenalty: penalty
            }
        }
    }

    /// The formula of this line in the year column `column` (letters), given the cell of another line of the
    /// same block in that column; nil for an input line, which holds its value.
    func formula(column: String, cell: (AppraisalLine) -> String, discountFactor: String) -> String? {
        switch self {
        case .listCapital, .tierDiscount, .service, .timingPenalty: nil
        case .capitalPaid: "=\(cell(.listCapital))-\(cell(.tierDiscount))"
        case .optimismBias: "=\(cell(.capitalPaid))*\(Name.optimismBias)"
        case .vat:
            "=(\(cell(.capitalPaid))+\(cell(.optimismBias))+\(cell(.service)))*\(Name.vatRate)*\(Name.includeVAT)"
        case .cash: "=\(cell(.capitalPaid))+\(cell(.optimismBias))+\(cell(.service))+\(cell(.vat))"
        case .presentValue: "=\(cell(.cash))*\(discountFactor)"
        }
    }
}

/// The appraisal as the Appraisal sheet lays it out: a block per trust alone, one for every trust alone added up,
/// one for the joint plan; the net present cost of each; the NPV of joint procurement and its sensitivities.
public struct AppraisalFigures: Sendable {
    /// One option's block.
    struct Block: Sendable {
        /// The option.
        var option: OptionCashFlows
        /// Each line's value by year (in ``AppraisalAssumptions/years`` order), indexed by ``AppraisalLine``.
        var values: [[Double]]
        /// Each line's total over the years.
        var totals: [Double]
        /// The option's net present cost, in pounds.
        var netPresentCostGBP: Double
        /// The standalone blocks whose input lines this block adds up (the "every trust alone" block); nil else.
        var summedBlocks: [Int]?
    }

    /// The years of the appraisal.
    let years: [Int]
    /// The Green Book discount factor of each year.
    let discountFactors: [Double]
    /// The blocks in sheet order: each trust alone, every trust alone, the joint plan.
    let blocks: [Block]
    /// The index of the "every trust alone" block.
    let aloneBlock: Int
    /// The index of the joint plan's block.
    let jointBlock: Int
    /// The joint NPV with each input moved down and up.
    let sensitivities: [Sensitivity]

    /// The NPV of joint procurement (with optimism bias): every trust alone less the joint plan, in pounds.
    public var netPresentValueGBP: Double {
        blocks[aloneBlock].netPresentCostGBP - blocks[jointBlock].netPresentCostGBP
    }

    init(_ businessCase: BusinessCase) {
        let assumptions = businessCase.assumptions
        let appraisal = Appraisal(assumptions: assumptions)
        let years = assumptions.years
        self.years = years
        discountFactors = years.map { assumptions.discountFactor($0) }
        let standalone = businessCase.standaloneOptions
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
        let options = standalone + [OptionCashFlows.sum(standalone, name: "Every trust alone"), joint]
        aloneBlock = standalone.count
        jointBlock = standalone.count + 1
        blocks = options.enumerated().map { index, option in
            let byYear = years.map { AppraisalLine.values(of: option, year: $0, assumptions) }
            let values = AppraisalLine.allCases.map { line in byYear.map { $0[line.rawValue] } }
            return Block(
                option: option,
                values: values,
                totals: values.map { $0.reduce(0, +) },
                netPresentCostGBP: appraisal.netPresentCost(option),
                summedBlocks: index == standalone.count ? Array(0..<standalone.count) : nil
            )
        }
        sensitivities = appraisal.sensitivities(of: [options[aloneBlock], joint])
    }
}

extension OptionCashFlows {
    /// The options added up year by year, as one standalone option.
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
