import FleetCore

/// The figures `fleet procure --format json` prints (the spec's "Machine-readable output"): snake_case keys, money
/// in pounds as numbers, years as integers.
public struct ProcurementSummary: Codable, Sendable, Hashable {
    /// `optimal`, or `time_limit` when a solve stopped at the time limit (then see `gap`).
    public var status: String
    /// The largest relative gap to the optimum of any plan the figures rest on, when time limited.
    public var gap: Double?
    /// The joint plan's cost.
    public var jointCostGBP: GBP
    /// The sum of the trusts' standalone costs.
    public var standaloneCostGBP: GBP
    /// Each trust's standalone cost, by trust name.
    public var standaloneByTrust: [String: GBP]
    /// Standalone less joint.
    public var savingsGBP: GBP
    /// The split of the savings.
    public var allocation: AllocationSummary?
    /// The joint plan's orders.
    public var orders: [OrderSummary]
    /// The joint plan's assignments, in asset order.
    public var assignments: [AssignmentSummary]
    /// Budgets the trusts cannot meet alone although the joint plan meets them (their standalone costs are then
    /// optimised without those budgets); absent when there are none.
    public var standaloneBudgetShortfalls: [ShortfallSummary]?
    /// Coalitions behind the Shapley split that the time limit left without a plan meeting their budgets, counted at
    /// their cost without budgets (``ProcurementAnalysis/unresolvedCoalitions``); absent when there are none.
    public var unresolvedCoalitions: Int?
    /// The joint plan's capital scored by trust and year (decision years), with the capital budgets; absent when the
    /// summary was made without its scenario.
    public var capitalByTrustYear: [CapitalSummary]?
    /// The joint plan's revenue scored by trust and year (appraisal years), with the revenue budgets; absent when
    /// the summary was made without its scenario.
    public var revenueByTrustYear: [RevenueSummary]?

    /// Capital scored by one trust in one year.
    public struct CapitalSummary: Codable, Sendable, Hashable {
        public var trust: String
        public var year: Int
        public var capitalGBP: GBP
        public var budgetGBP: GBP?

        enum CodingKeys: String, CodingKey {
            case trust, year
            case capitalGBP = "capital_gbp"
            case budgetGBP = "budget_gbp"
        }
    }

    /// Revenue scored by one trust in one year.
    public struct RevenueSummary: Codable, Sendable, Hashable {
        public var trust: String
        public var year: Int
        public var revenueGBP: GBP
        public var budgetGBP: GBP?

        enum CodingKeys: String, CodingKey {
            case trust, year
            case revenueGBP = "revenue_gbp"
            case budgetGBP = "budget_gbp"
        }
    }

    /// The split of the savings under one method.
    public struct AllocationSummary: Codable, Sendable, Hashable {
        /// `shapley` or `proportional`.
        public var method: String
        /// Each trust's share of the savings, by trust name.
        public var byTrust: [String: GBP]
        /// For Shapley values estimated from random orders: the largest standard error of a share.
        public var standardErrorGBP: GBP?
        /// For estimated Shapley values: the random orders drawn.
        public var sampledOrders: Int?

        enum CodingKeys: String, CodingKey {
            case method
            case byTrust = "by_trust"
            case standardErrorGBP = "standard_error_gbp"
            case sampledOrders = "sampled_orders"
        }
    }

    /// One order of the joint plan.
    public struct OrderSummary: Codable, Sendable, Hashable {
        /// The supplier.
        public var supplier: String
        /// The class.
        public var equipmentClass: String
        /// The year of purchase.
        public var year: Int
        /// Units in the order.
        public var units: Int
        /// The price paid per unit.
        public var unitPriceGBP: GBP
        /// The list price per unit.
        public var listPriceGBP: GBP
        /// The tier discount as a fraction.
        public var discount: Double
        /// The smallest order that earns the discount.
        public var tierMinUnits: Int
        /// How these units are paid for: one row per route of an order, `units` of them; the tier counts
        /// `order_units`, the order's units by every route.
        public var route: String = FundingRoute.purchase.rawValue
        /// The order's units by every route.
        public var orderUnits: Int = 0

        enum CodingKeys: String, CodingKey {
            case supplier, year, units, discount, route
            case orderUnits = "order_units"
            case equipmentClass = "class"
            case unitPriceGBP = "unit_price_gbp"
            case listPriceGBP = "list_price_gbp"
            case tierMinUnits = "tier_min_units"
        }
    }

    /// One replacement of the joint plan.
    public struct AssignmentSummary: Codable, Sendable, Hashable {
        /// The unit replaced.
        public var assetID: String
        /// Its trust.
        public var trust: String
        /// The class bought.
        public var equipmentClass: String
        /// The supplier.
        public var supplier: String
        /// The year of purchase.
        public var year: Int
        /// The price paid.
        public var unitPriceGBP: GBP
        /// The list price.
        public var listPriceGBP: GBP
        /// The tier discount as a fraction.
        public var discount: Double
        /// `purchase`, `lease` or `mes`.
        public var route: String = FundingRoute.purchase.rawValue
        /// The capital scored in `year` (IFRS 16).
        public var capitalScoredGBP: GBP = .zero
        /// The rental or fee a year after the tier discount (zero for a purchase).
        public var annualPaymentGBP: GBP = .zero
        /// The years the rental or fee is paid (zero for a purchase).
        public var paymentYears: Int = 0

        enum CodingKeys: String, CodingKey {
            case trust, supplier, year, discount, route
            case capitalScoredGBP = "capital_scored_gbp"
            case annualPaymentGBP = "annual_payment_gbp"
            case paymentYears = "payment_years"
            case assetID = "asset_id"
            case equipmentClass = "class"
            case unitPriceGBP = "unit_price_gbp"
            case listPriceGBP = "list_price_gbp"
        }
    }

    /// A budget a trust cannot meet alone.
    public struct ShortfallSummary: Codable, Sendable, Hashable {
        /// The trust.
        public var trust: String
        /// The year.
        public var year: Int
        /// `capital` or `revenue`.
        public var budget: String = BudgetKind.capital.rawValue
        /// Its budget.
        public var budgetGBP: GBP
        /// The least overrun the trust alone needs.
        public var shortfallGBP: GBP

        enum CodingKeys: String, CodingKey {
            case trust, year, budget
            case budgetGBP = "budget_gbp"
            case shortfallGBP = "shortfall_gbp"
        }
    }

    /// Added units, outsourced scans, mobile shares, cover and the savings split; nil for a plan of replacements
    /// only.
    public var capacity: CapacitySummary?

    enum CodingKeys: String, CodingKey {
        case status, gap, allocation, orders, assignments, capacity
        case jointCostGBP = "joint_cost_gbp"
        case standaloneCostGBP = "standalone_cost_gbp"
        case standaloneByTrust = "standalone_by_trust"
        case savingsGBP = "savings_gbp"
        case standaloneBudgetShortfalls = "standalone_budget_shortfalls"
        case unresolvedCoalitions = "unresolved_coalitions"
        case capitalByTrustYear = "capital_by_trust_year"
        case revenueByTrustYear = "revenue_by_trust_year"
    }

    /// The summary of `analysis` with the savings split by `method`; with `scenario`, the joint plan's capital and
    /// revenue by trust and year.
    public init(_ analysis: ProcurementAnalysis, method: AllocationMethod, scenario: Scenario? = nil) {
        switch analysis.status {
        case .optimal:
            status = "optimal"
            gap = nil
        case .timeLimit(let relativeGap):
            status = "time_limit"
            gap = relativeGap
        }
        jointCostGBP = analysis.jointCostGBP
        standaloneCostGBP = analysis.standaloneCostGBP
        standaloneByTrust = Dictionary(
            uniqueKeysWithValues: analysis.standaloneCostByTrust.map { ($0.key.rawValue, $0.value) }
        )
        savingsGBP = analysis.savingsGBP
        self.allocation = analysis.allocation(method).map { allocation in
            AllocationSummary(
                method: method.rawValue,
                byTrust: Dictionary(uniqueKeysWithValues: allocation.byTrust.map { ($0.key.rawValue, $0.value) }),
                standardErrorGBP: allocation.standardErrorGBP,
                sampledOrders: allocation.sampledOrders
            )
        }
        orders = analysis.jointPlan.orders.flatMap { order in
            order.routeUnits.map {
                OrderSummary(
                    supplier: order.supplier.rawValue,
                    equipmentClass: order.equipmentClass.rawValue,
                    year: order.year,
                    units: $0.units,
                    unitPriceGBP: order.unitPricePaidGBP,
                    listPriceGBP: order.listUnitPriceGBP,
                    discount: order.discount,
                    tierMinUnits: order.tierMinimumUnits,
                    route: $0.route.rawValue,
                    orderUnits: order.units
                )
            }
        }
        assignments = analysis.jointPlan.assignments.map {
            AssignmentSummary(
                assetID: $0.assetID.rawValue,
                trust: $0.trust.rawValue,
                equipmentClass: $0.equipmentClass.rawValue,
                supplier: $0.supplier.rawValue,
                year: $0.year,
                unitPriceGBP: $0.unitPricePaidGBP,
                listPriceGBP: $0.listUnitPriceGBP,
                discount: $0.discount,
                route: $0.route.rawValue,
                capitalScoredGBP: $0.capitalScoredGBP,
                annualPaymentGBP: $0.annualPaymentGBP,
                paymentYears: $0.paymentYears
            )
        }
        capacity = CapacitySummary(analysis)
        unresolvedCoalitions = analysis.unresolvedCoalitions > 0 ? analysis.unresolvedCoalitions : nil
        let shortfalls = analysis.standaloneShortfalls
        standaloneBudgetShortfalls =
            shortfalls.isEmpty
            ? nil
            : shortfalls.map {
                ShortfallSummary(
                    trust: $0.trust.rawValue,
                    year: $0.year,
                    budget: $0.kind.rawValue,
                    budgetGBP: $0.budgetGBP,
                    shortfallGBP: $0.shortfallGBP
                )
            }
        if let scenario {
            let use = BudgetUse.rows(plan: analysis.jointPlan, scenario: scenario)
            let decisionYears = scenario.settings.decisionYears
            capitalByTrustYear = use.filter { decisionYears.contains($0.year) }.map {
                CapitalSummary(
                    trust: $0.trust.rawValue,
                    year: $0.year,
                    capitalGBP: $0.capitalGBP,
                    budgetGBP: $0.capitalBudgetGBP
                )
            }
            revenueByTrustYear = use.map {
                RevenueSummary(
                    trust: $0.trust.rawValue,
                    year: $0.year,
                    revenueGBP: $0.revenueGBP,
                    budgetGBP: $0.revenueBudgetGBP
                )
            }
        }
    }
}
