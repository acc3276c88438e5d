import FleetCore
import Foundation

/// One line of an option's block on the Appraisal sheet. Each line says both how its value is computed and the
/// formula the sheet writes for it, side by side, so the figures the workbook carries and the formulas a spreadsheet
/// recalculates come from one definition. A block shows capital as IFRS 16 scores it (price paid, lease and managed
/// service right-of-use) and revenue (service, rentals, fees, capacity cover), then the Green Book cash cost: capital
/// paid and revenue with their optimism bias and VAT, discounted.
enum AppraisalLine: Hashable, Sendable {
    case listCapital, tierDiscount, capitalPaid
    /// The annual rentals (lease) or equipment share of the fees (MES) of the units starting each year on one term.
    case rightOfUseStarts(RightOfUseTerm)
    case leaseRightOfUse, serviceRightOfUse, capitalScored
    case service, rentals, fees, cover, revenue
    case capitalBias, revenueBias, vat, cash, presentValue, timingPenalty

    /// The lines of every block, in row order, for options with these right-of-use terms and (when `hasCover`)
    /// capacity cover.
    static func lines(terms: [RightOfUseTerm], hasCover: Bool) -> [AppraisalLine] {
        [.listCapital, .tierDiscount, .capitalPaid] + terms.sorted().map { .rightOfUseStarts($0) }
            + [.leaseRightOfUse, .serviceRightOfUse, .capitalScored, .service, .rentals, .fees]
            + (hasCover ? [.cover] : []) + [
                .revenue, .capitalBias, .revenueBias, .vat, .cash, .presentValue, .timingPenalty,
            ]
    }

    /// The lines of the blocks of `options`: every term any of them starts, and cover when any plans it.
    static func lines(of options: [OptionCashFlows]) -> [AppraisalLine] {
        let terms = Set(options.flatMap { $0.rightOfUseStartsGBP.keys })
        let hasCover = options.contains { $0.coverGBP.values.contains { $0 != .zero } }
        return lines(terms: Array(terms), hasCover: hasCover)
    }

    /// The line's label in column A.
    var label: String {
        switch self {
        case .listCapital: "Purchase: capital at list price"
        case .tierDiscount: "Purchase: tier discounts"
        case .capitalPaid: "Capital: price paid (purchase)"
        case .rightOfUseStarts(let term) where term.isManagedService:
            "MES starts: equipment share of fee, \(term.years) years"
        case .rightOfUseStarts(let term): "Lease starts: rental a year, \(term.years) years"
        case .leaseRightOfUse: "Capital: lease right-of-use (IFRS 16)"
        case .serviceRightOfUse: "Capital: MES equipment right-of-use (IFRS 16)"
        case .capitalScored: "Capital scored (IFRS 16)"
        case .service: "Revenue: service after warranty"
        case .rentals: "Revenue: lease rentals"
        case .fees: "Revenue: MES fees"
        case .cover: "Revenue: capacity cover"
        case .revenue: "Revenue"
        case .capitalBias: "Optimism bias on capital paid"
        case .revenueBias: "Optimism bias on revenue"
        case .vat: "VAT"
        case .cash: "Cash cost"
        case .presentValue: "Present value"
        case .timingPenalty: "Timing penalties (undiscounted)"
        }
    }

    /// Whether the line is a subtotal, shown in bold.
    var isSubtotal: Bool { [.capitalScored, .revenue, .presentValue].contains(self) }

    /// Whether the line is an input copied from the optimiser's plan rather than worked out from other lines.
    var isInput: Bool {
        switch self {
        case .listCapital, .tierDiscount, .rightOfUseStarts, .service, .rentals, .fees, .cover, .timingPenalty: true
        default: false
        }
    }

    /// Each of `lines`' value for `option` in `year`, in pounds, in the order of `lines`.
    static func values(
        of option: OptionCashFlows,
        year: Int,
        lines: [AppraisalLine],
        _ assumptions: AppraisalAssumptions
    ) -> [Double] {
        let list = option.listCapitalGBP[year, default: .zero].pounds
        let discount = option.tierDiscountGBP[year, default: .zero].pounds
        let paid = list - discount
        func rightOfUse(managedService: Bool) -> Double {
            option.rightOfUseStartsGBP.filter { $0.key.isManagedService == managedService }.sorted { $0.key < $1.key }
                .reduce(0) { total, term in
                    total + term.value[year, default: .zero].pounds
                        * annuityDueFactor(years: term.key.years, rate: assumptions.leaseDiscountRate)
                }
        }
        let leaseRightOfUse = rightOfUse(managedService: false)
        let serviceRightOfUse = rightOfUse(managedService: true)
        let service = option.serviceGBP[year, default: .zero].pounds
        let rentals = option.rentalsGBP[year, default: .zero].pounds
        let fees = option.feesGBP[year, default: .zero].pounds
        let cover = option.coverGBP[year, default: .zero].pounds
        let revenue = service + rentals + fees + cover
        let capitalBias = paid * assumptions.optimismBias
        let revenueBias = revenue * assumptions.operatingOptimismBias
        let vat = (paid + capitalBias + revenue + revenueBias) * assumptions.vatRate * (assumptions.includesVAT ? 1 : 0)
        let cash = paid + capitalBias + revenue + revenueBias + vat
        return lines.map { line in
            switch line {
            case .listCapital: list
            case .tierDiscount: discount
            case .capitalPaid: paid
            case .rightOfUseStarts(let term): option.rightOfUseStartsGBP[term]?[year]?.pounds ?? 0
            case .leaseRightOfUse: leaseRightOfUse
            case .serviceRightOfUse: serviceRightOfUse
            case .capitalScored: paid + leaseRightOfUse + serviceRightOfUse
            case .service: service
            case .rentals: rentals
            case .fees: fees
            case .cover: cover
            case .revenue: revenue
            case .capitalBias: capitalBias
            case .revenueBias: revenueBias
            case .vat: vat
            case .cash: cash
            case .presentValue: cash * assumptions.discountFactor(year)
            case .timingPenalty: option.timingPenaltyGBP[year, default: .zero].pounds
            }
        }
    }

    /// The formula of this line in one year column, given the cell of another line of the same block in that
    /// column (nil for a line the block lacks) and the year's discount factor; nil for an input line, which holds its
    /// value, and for a right-of-use line with no term, which holds 0.
    func formula(in lines: [AppraisalLine], cell: (AppraisalLine) -> String, discountFactor: String) -> String? {
        func rightOfUse(managedService: Bool) -> String? {
            let terms = lines.compactMap { line -> RightOfUseTerm? in
                guard case .rightOfUseStarts(let term) = line, term.isManagedService == managedService else {
                    return nil
                }
                return term
            }
            guard !terms.isEmpty else { return nil }
            // PV with payments at the start of each year (type 1): Σ_{k=0}^{n−1} payment × (1 + rate)^−k, IFRS 16's
            // right-of-use value of the term's payments.
            return "="
                + terms.map { "PV(\(Name.leaseDiscountRate),\($0.years),-\(cell(.rightOfUseStarts($0))),0,1)" }
                .joined(separator: "+")
        }
        let revenueLines: [AppraisalLine] = [.service, .rentals, .fees] + (lines.contains(.cover) ? [.cover] : [])
        switch self {
        case .listCapital, .tierDiscount, .rightOfUseStarts, .service, .rentals, .fees, .cover, .timingPenalty:
            return nil
        case .capitalPaid: return "=\(cell(.listCapital))-\(cell(.tierDiscount))"
        case .leaseRightOfUse: return rightOfUse(managedService: false)
        case .serviceRightOfUse: return rightOfUse(managedService: true)
        case .capitalScored:
            return "=\(cell(.capitalPaid))+\(cell(.leaseRightOfUse))+\(cell(.serviceRightOfUse))"
        case .revenue: return "=" + revenueLines.map(cell).joined(separator: "+")
        case .capitalBias: return "=\(cell(.capitalPaid))*\(Name.optimismBias)"
        case .revenueBias: return "=\(cell(.revenue))*\(Name.operatingOptimismBias)"
        case .vat:
            return "=(\(cell(.capitalPaid))+\(cell(.capitalBias))+\(cell(.revenue))+\(cell(.revenueBias)))"
                + "*\(Name.vatRate)*\(Name.includeVAT)"
        case .cash:
            return "=\(cell(.capitalPaid))+\(cell(.capitalBias))+\(cell(.revenue))+\(cell(.revenueBias))+\(cell(.vat))"
        case .presentValue: return "=\(cell(.cash))*\(discountFactor)"
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
        /// Each line's value by year (in ``AppraisalAssumptions/years`` order), in ``AppraisalFigures/lines`` order.
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
    /// The lines of every block, in row order.
    let lines: [AppraisalLine]
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
        let lines = AppraisalLine.lines(of: options)
        self.lines = lines
        aloneBlock = standalone.count
        jointBlock = standalone.count + 1
        blocks = options.enumerated().map { index, option in
            let byYear = years.map { AppraisalLine.values(of: option, year: $0, lines: lines, assumptions) }
            let values = lines.indices.map { line in byYear.map { $0[line] } }
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
        var sum = OptionCashFlows(
            name: name,
            isJoint: false,
            listCapitalGBP: add(\.listCapitalGBP),
            tierDiscountGBP: add(\.tierDiscountGBP),
            serviceGBP: add(\.serviceGBP),
            timingPenaltyGBP: add(\.timingPenaltyGBP),
            optimiserCostGBP: options.reduce(.zero) { $0 + $1.optimiserCostGBP }
        )
        sum.rentalsGBP = add(\.rentalsGBP)
        sum.feesGBP = add(\.feesGBP)
        sum.coverGBP = add(\.coverGBP)
        for term in Set(options.flatMap { $0.rightOfUseStartsGBP.keys }) {
            sum.rightOfUseStartsGBP[term] = add { $0.rightOfUseStartsGBP[term] ?? [:] }
        }
        if options.contains(where: { $0.capitalScoredGBP != nil }) {
            sum.capitalScoredGBP = add { option in
                var scored: [Int: GBP] = [:]
                for year in Set(option.listCapitalGBP.keys).union(option.capitalScoredGBP.map { Array($0.keys) } ?? [])
                {
                    scored[year] = option.capitalScored(year)
                }
                return scored
            }
        }
        return sum
    }
}
