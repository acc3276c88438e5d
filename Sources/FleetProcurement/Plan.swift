import FleetCore

/// Whether a plan is proved optimal.
public enum PlanStatus: Hashable, Sendable, Codable {
    /// Proved optimal.
    case optimal
    /// The time limit stopped the search; the plan is within `relativeGap` (a fraction) of the optimum.
    case timeLimit(relativeGap: Double)

    /// The gap to the optimum as a fraction: 0 when optimal.
    public var relativeGap: Double {
        switch self {
        case .optimal: 0
        case .timeLimit(let gap): gap
        }
    }

    /// The less certain of two statuses (the larger gap).
    public func combined(with other: PlanStatus) -> PlanStatus {
        switch (self, other) {
        case (.optimal, .optimal): .optimal
        default: .timeLimit(relativeGap: max(relativeGap, other.relativeGap))
        }
    }
}

/// One replacement in a plan: who buys what from whom, when, and at what price.
public struct Assignment: Hashable, Sendable, Codable {
    /// The unit replaced.
    public var assetID: AssetID
    /// Its trust.
    public var trust: TrustName
    /// The class bought.
    public var equipmentClass: EquipmentClassName
    /// The supplier.
    public var supplier: SupplierName
    /// The year of purchase.
    public var year: Int
    /// The list price of one unit, in pounds.
    public var listUnitPriceGBP: GBP
    /// The tier discount of the order it is part of, as a fraction.
    public var discount: Double
    /// The price paid, list × (1 − discount), in pounds.
    public var unitPricePaidGBP: GBP
    /// The service contract after warranty, in pounds a year.
    public var annualServiceGBP: GBP
    /// Years of service included in the price.
    public var warrantyYears: Int
    /// The undiscounted timing penalty of buying in `year` rather than the preferred year, in pounds.
    public var timingPenaltyGBP: GBP
    /// How the unit is paid for.
    public var route: FundingRoute = .purchase
    /// The capital scored in `year` (IFRS 16): the price paid for a purchase, the right-of-use value of a lease's
    /// rentals or of a managed service's equipment share, in pounds.
    public var capitalScoredGBP: GBP = .zero
    /// The rental (lease) or fee (MES) a year after the tier discount, in pounds; zero for a purchase.
    public var annualPaymentGBP: GBP = .zero
    /// The years the rental or fee is paid from `year`; zero for a purchase.
    public var paymentYears: Int = 0

    /// Whether service after warranty is paid separately: for a purchase and a lease, not for a managed service.
    public var paysService: Bool { route != .mes }
}

/// One order of a plan: the units bought from one supplier of one class in one year, all at one price.
public struct Order: Hashable, Sendable, Codable {
    /// The supplier.
    public var supplier: SupplierName
    /// The class.
    public var equipmentClass: EquipmentClassName
    /// The year.
    public var year: Int
    /// Units in the order (across the coalition's trusts).
    public var units: Int
    /// The list price of one unit, in pounds.
    public var listUnitPriceGBP: GBP
    /// The tier discount the order earns, as a fraction.
    public var discount: Double
    /// The smallest order that earns that discount (1 for the list price).
    public var tierMinimumUnits: Int
    /// The order's units by funding route (tiers count every route's units together); all purchased when empty.
    public var unitsByRoute: [FundingRoute: Int] = [:]

    /// The routes of the order's units, in route order, with their units.
    public var routeUnits: [(route: FundingRoute, units: Int)] {
        unitsByRoute.isEmpty
            ? [(.purchase, units)] : unitsByRoute.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The price paid for each unit, list × (1 − discount).
    public var unitPricePaidGBP: GBP { listUnitPriceGBP * (1 - discount) }
}

/// The parts of a plan's cost, which add up to the optimiser's objective.
public struct CostComponents: Hashable, Sendable, Codable {
    /// Prices paid, each discounted to the base year, in pounds.
    public var discountedCapitalGBP: GBP
    /// Service after warranty to the end of the appraisal, discounted, in pounds.
    public var discountedServiceGBP: GBP
    /// Timing penalties, undiscounted (as the spec counts them), in pounds.
    public var timingPenaltyGBP: GBP
    /// Lease rentals and managed-service fees to the end of the appraisal, discounted, in pounds.
    public var discountedRentalsAndFeesGBP: GBP = .zero
    /// Cover hired while single units are replaced, discounted, in pounds (0 without site continuity).
    public var discountedCoverGBP: GBP = .zero
    /// Outsourced scans, discounted, in pounds (0 without capacity cover).
    public var discountedOutsourcingGBP: GBP = .zero

    /// No cost.
    public static let zero = CostComponents(
        discountedCapitalGBP: .zero,
        discountedServiceGBP: .zero,
        timingPenaltyGBP: .zero
    )

    /// The total: the plan's cost.
    public var totalGBP: GBP {
        discountedCapitalGBP + discountedServiceGBP + timingPenaltyGBP + discountedRentalsAndFeesGBP
            + discountedCoverGBP + discountedOutsourcingGBP
    }

    /// The parts of two plans added together.
    public static func + (lhs: CostComponents, rhs: CostComponents) -> CostComponents {
        CostComponents(
            discountedCapitalGBP: lhs.discountedCapitalGBP + rhs.discountedCapitalGBP,
            discountedServiceGBP: lhs.discountedServiceGBP + rhs.discountedServiceGBP,
            timingPenaltyGBP: lhs.timingPenaltyGBP + rhs.timingPenaltyGBP,
            discountedRentalsAndFeesGBP: lhs.discountedRentalsAndFeesGBP + rhs.discountedRentalsAndFeesGBP,
            discountedCoverGBP: lhs.discountedCoverGBP + rhs.discountedCoverGBP,
            discountedOutsourcingGBP: lhs.discountedOutsourcingGBP + rhs.discountedOutsourcingGBP
        )
    }
}

/// A year-by-year view of a plan's money, undiscounted, for a business case to lay out and discount itself.
public struct CashFlows: Hashable, Sendable {
    /// Capital at list price, by year of purchase.
    public var listCapitalGBP: [Int: GBP] = [:]
    /// Tier discounts (positive amounts), by year of purchase.
    public var tierDiscountGBP: [Int: GBP] = [:]
    /// Service after warranty, by year paid, up to the last appraisal year.
    public var serviceGBP: [Int: GBP] = [:]
    /// Timing penalties, by year of purchase.
    public var timingPenaltyGBP: [Int: GBP] = [:]
    /// Lease rentals, by year paid, up to the last appraisal year.
    public var rentalsGBP: [Int: GBP] = [:]
    /// Managed-service fees, by year paid, up to the last appraisal year.
    public var feesGBP: [Int: GBP] = [:]

    /// Lease rentals and managed-service fees together, by year paid.
    public var rentalsAndFeesGBP: [Int: GBP] { rentalsGBP.merging(feesGBP) { $0 + $1 } }
    /// Capital scored (prices paid and right-of-use values), by year of purchase.
    public var capitalScoredGBP: [Int: GBP] = [:]

    /// Capital paid in `year`: list less tier discount.
    public func capitalPaidGBP(in year: Int) -> GBP {
        listCapitalGBP[year, default: .zero] - tierDiscountGBP[year, default: .zero]
    }
}

/// The cheapest way for a coalition of trusts to buy its replacements.
public struct Plan: Hashable, Sendable, Codable {
    /// The trusts buying together (one for a trust alone), in name order.
    public var trusts: [TrustName]
    /// Proved optimal, or stopped at the time limit.
    public var status: PlanStatus
    /// Every replacement of the coalition, in asset order.
    public var assignments: [Assignment]
    /// The orders, by supplier, class and year.
    public var orders: [Order]
    /// The cost, by part.
    public var costs: CostComponents
    /// True when the coalition's capital budgets cannot all be met, so this plan was optimised without the budgets
    /// that could not be met (see ``budgetShortfalls``).
    public var isBudgetRelaxed: Bool
    /// When ``isBudgetRelaxed``, the smallest overruns by trust and year that the budgets force.
    public var budgetShortfalls: [BudgetShortfall]
    /// The units added to cover shortfalls (each also an assignment, so that it counts in orders, capital and
    /// budgets); empty without capacity cover.
    public var additions: [Addition] = []
    /// The scans bought from outsourcing providers, by trust, modality and year; empty without capacity cover.
    public var outsourcing: [OutsourcedScans] = []
    /// The scans each trust takes from the coalition's shared mobile units, by modality and year.
    public var mobileShares: [MobileShare] = []

    /// The total cost in pounds: discounted capital and service plus timing penalties.
    public var totalCostGBP: GBP { costs.totalGBP }

    /// The orders of `supplier`.
    public func orders(from supplier: SupplierName) -> [Order] { orders.filter { $0.supplier == supplier } }

    /// The year-by-year money of the plan, for `trust` alone when given, with service counted to the last year of
    /// `settings`' appraisal.
    public func cashFlows(settings: ScenarioSettings, trust: TrustName? = nil) -> CashFlows {
        var flows = CashFlows()
        for assignment in assignments where trust == nil || assignment.trust == trust {
            let year = assignment.year
            if assignment.route == .purchase {
                flows.listCapitalGBP[year, default: .zero] =
                    flows.listCapitalGBP[year, default: .zero] + assignment.listUnitPriceGBP
                flows.tierDiscountGBP[year, default: .zero] =
                    flows.tierDiscountGBP[year, default: .zero] + assignment.listUnitPriceGBP * assignment.discount
            }
            flows.capitalScoredGBP[year, default: .zero] =
                flows.capitalScoredGBP[year, default: .zero] + assignment.capitalScoredGBP
            flows.timingPenaltyGBP[year, default: .zero] =
                flows.timingPenaltyGBP[year, default: .zero] + assignment.timingPenaltyGBP
            if assignment.paymentYears > 0 {
                for paymentYear in year..<(year + assignment.paymentYears)
                where paymentYear <= settings.lastAppraisalYear {
                    if assignment.route == .mes {
                        flows.feesGBP[paymentYear, default: .zero] =
                            flows.feesGBP[paymentYear, default: .zero] + assignment.annualPaymentGBP
                    } else {
                        flows.rentalsGBP[paymentYear, default: .zero] =
                            flows.rentalsGBP[paymentYear, default: .zero] + assignment.annualPaymentGBP
                    }
                }
            }
            let firstServiceYear = year + assignment.warrantyYears
            if assignment.paysService, firstServiceYear <= settings.lastAppraisalYear {
                for serviceYear in firstServiceYear...settings.lastAppraisalYear {
                    flows.serviceGBP[serviceYear, default: .zero] =
                        flows.serviceGBP[serviceYear, default: .zero] + assignment.annualServiceGBP
                }
            }
        }
        return flows
    }

    /// Capital scored over the whole plan (prices after tier discounts, and the right-of-use values of leases and
    /// managed services, undiscounted), in pounds: for an all-purchase plan, the prices paid.
    public var capitalPaidGBP: GBP { assignments.reduce(GBP.zero) { $0 + $1.capitalScoredGBP } }

    /// Capital scored by `trust` in `year` (prices paid and right-of-use values, undiscounted), in pounds: what its
    /// capital budget binds.
    public func capitalPaidGBP(by trust: TrustName, in year: Int) -> GBP {
        assignments.reduce(GBP.zero) { $1.trust == trust && $1.year == year ? $0 + $1.capitalScoredGBP : $0 }
    }

    /// Revenue scored by `trust` in `year` (service after warranty, rentals, fees), in pounds: what its revenue budget
    /// binds.
    public func revenueGBP(by trust: TrustName, in year: Int, settings: ScenarioSettings) -> GBP {
        var total = 0.0
        for assignment in assignments where assignment.trust == trust && assignment.year <= year {
            if assignment.paysService, year >= assignment.year + assignment.warrantyYears {
                total += assignment.annualServiceGBP.pounds
            }
            if year < assignment.year + assignment.paymentYears { total += assignment.annualPaymentGBP.pounds }
        }
        return GBP(total)
    }
}

/// Which budget a figure is about.
public enum BudgetKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// The capital budget: prices paid and right-of-use values (IFRS 16).
    case capital
    /// The revenue budget: service after warranty, lease rentals and managed-service fees.
    case revenue
}

/// A capital or revenue budget that a plan cannot meet, and by how much.
public struct BudgetShortfall: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The trust.
    public var trust: TrustName
    /// The year.
    public var year: Int
    /// Its budget, in pounds.
    public var budgetGBP: GBP
    /// The least overrun the year needs, in pounds.
    public var shortfallGBP: GBP
    /// Whether capital or revenue falls short.
    public var kind: BudgetKind

    /// A shortfall with every figure given.
    public init(trust: TrustName, year: Int, budgetGBP: GBP, shortfallGBP: GBP, kind: BudgetKind = .capital) {
        self.trust = trust
        self.year = year
        self.budgetGBP = budgetGBP
        self.shortfallGBP = shortfallGBP
        self.kind = kind
    }

    /// `Trust A in 2027: capital short by £250,000 (capital budget £1,000,000)`.
    public var description: String {
        "\(trust) in \(year): \(kind.rawValue) short by \(shortfallGBP) (\(kind.rawValue) budget \(budgetGBP))"
    }
}

extension [BudgetShortfall] {
    /// The shortfalls by trust, then year: the order plans and messages list them in.
    var inTrustAndYearOrder: [BudgetShortfall] { sorted { ($0.trust, $0.year) < ($1.trust, $1.year) } }
}

extension Plan {
    /// Prices the assignment of each replacement to a supplier and year by the spec's rules: units of one supplier,
    /// class and year form one order, priced by its tier; each replacement's cost is its discounted price, its
    /// discounted service from the end of warranty to the end of the appraisal, and its timing penalty.
    /// - Parameter choices: the supplier and year of each replacement of the coalition.
    static func priced(
        _ choices: [(replacement: Replacement, supplier: SupplierName, year: Int, route: FundingRoute)],
        trusts: [TrustName],
        status: PlanStatus,
        scenario: PreparedScenario
    ) -> Plan {
        var units: [OrderKey: Int] = [:]
        var byRoute: [OrderKey: [FundingRoute: Int]] = [:]
        for choice in choices {
            let key = OrderKey(choice.supplier, choice.replacement.equipmentClass, choice.year)
            units[key, default: 0] += 1
            byRoute[key, default: [:]][choice.route, default: 0] += 1
        }
        var orders: [Order] = []
        for (key, count) in units {
            let schedule = scenario.schedule(key.offer)
            let tier = schedule.tier(forOrderOf: count)
            orders.append(
                Order(
                    supplier: key.offer.supplier,
                    equipmentClass: key.offer.equipmentClass,
                    year: key.year,
                    units: count,
                    listUnitPriceGBP: schedule.offer.unitPriceGBP,
                    discount: tier.discount,
                    tierMinimumUnits: tier.minimumUnits,
                    unitsByRoute: byRoute[key] ?? [:]
                )
            )
        }
        orders.sort { ($0.supplier, $0.equipmentClass, $0.year) < ($1.supplier, $1.equipmentClass, $1.year) }
        let settings = scenario.scenario.settings
        var costs = CostComponents.zero
        var assignments: [Assignment] = []
        assignments.reserveCapacity(choices.count)
        for choice in choices {
            let key = OrderKey(choice.supplier, choice.replacement.equipmentClass, choice.year)
            let schedule = scenario.schedule(key.offer)
            let offer = schedule.offer
            let tier = schedule.tier(forOrderOf: units[key] ?? 1)
            let paid = offer.unitPriceGBP * (1 - tier.discount)
            let penalty = choice.replacement.timingPenalty(inYear: choice.year)
            let terms = RouteTerms(offer: offer, route: choice.route, discount: tier.discount)
            if choice.route == .purchase {
                costs.discountedCapitalGBP = costs.discountedCapitalGBP + paid * settings.discountFactor(choice.year)
            } else {
                costs.discountedRentalsAndFeesGBP =
                    costs.discountedRentalsAndFeesGBP
                    + terms.annualPayment * settings.discountFactorSum(from: choice.year, years: terms.years)
            }
            if choice.route != .mes {
                costs.discountedServiceGBP =
                    costs.discountedServiceGBP
                    + settings.discountedService(
                        annualService: offer.annualServiceGBP,
                        warrantyYears: offer.warrantyYears,
                        purchaseYear: choice.year
                    )
            }
            costs.timingPenaltyGBP = costs.timingPenaltyGBP + penalty
            assignments.append(
                Assignment(
                    assetID: choice.replacement.assetID,
                    trust: choice.replacement.trust,
                    equipmentClass: choice.replacement.equipmentClass,
                    supplier: choice.supplier,
                    year: choice.year,
                    listUnitPriceGBP: offer.unitPriceGBP,
                    discount: tier.discount,
                    unitPricePaidGBP: paid,
                    annualServiceGBP: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    timingPenaltyGBP: penalty,
                    route: choice.route,
                    capitalScoredGBP: GBP(
                        settings.capitalScored(by: offer, route: choice.route, discount: tier.discount)
                    ),
                    annualPaymentGBP: terms.annualPayment,
                    paymentYears: terms.years
                )
            )
        }
        assignments.sort { $0.assetID < $1.assetID }
        return Plan(
            trusts: trusts,
            status: status,
            assignments: assignments,
            orders: orders,
            costs: costs,
            isBudgetRelaxed: false,
            budgetShortfalls: []
        )
    }
}

/// The rental or fee a year of a unit under a route other than purchase, after the tier discount, and its term.
private struct RouteTerms {
    var annualPayment: GBP
    var years: Int

    init(offer: Offer, route: FundingRoute, discount: Double) {
        switch route {
        case .purchase: (annualPayment, years) = (.zero, 0)
        case .lease: (annualPayment, years) = (offer.lease!.annualRentalGBP * (1 - discount), offer.lease!.years)
        case .mes:
            (annualPayment, years) = (offer.managedService!.annualFeeGBP * (1 - discount), offer.managedService!.years)
        }
    }
}

/// A supplier, class and year: the key of an order.
struct OrderKey: Hashable, Sendable {
    var offer: OfferKey
    var year: Int

    init(_ supplier: SupplierName, _ equipmentClass: EquipmentClassName, _ year: Int) {
        offer = OfferKey(supplier, equipmentClass)
        self.year = year
    }
}
