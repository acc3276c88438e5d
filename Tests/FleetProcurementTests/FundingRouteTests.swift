import FleetCore
import FleetProcurement
import Foundation
import Testing

/// Single units priced by hand from the spec's "Funding routes" formulas. Base year 2026, appraisal 2026–2030,
/// discount rate 3.5 %, lease discount rate 4 %; D(τ) = 1.035^−(τ−2026): 1, 0.966184, 0.933511, 0.901943, 0.871442
/// (sum 4.673079); the lease rate's annuity factors Σ_{k<n} 1.04^−k: 4.629895 for 5 years, 8.435332 for 10.
///
/// The offer: £100,000, service £8,000 a year after a 1-year warranty; lease £24,000 a year for 5 years; MES
/// £30,000 a year for 10 years (its term runs past the appraisal), equipment share 20 %.
/// - purchase: NPC 100,000 + 8,000 × (0.966184 + 0.933511 + 0.901943 + 0.871442) = £129,384.63; capital £100,000.
/// - lease: NPC 24,000 × 4.673079 + the same service £29,384.63 = £141,538.53; capital 24,000 × 4.629895 =
///   £111,117.49; revenue £24,000 in 2026, £32,000 in 2027–2030.
/// - MES: NPC 30,000 × 4.673079 = £140,192.38 (five fees: the appraisal ends); capital 0.2 × 30,000 × 8.435332 =
///   £50,611.99; revenue £30,000 a year.
@Suite("Funding routes")
struct FundingRouteTests {
    static let settings = ScenarioSettings(
        baseYear: 2026,
        horizonYears: 1,
        appraisalYears: 5,
        discountRate: 0.035,
        leaseDiscountRate: 0.04
    )

    static func offer(mesFee: Double = 30_000) -> Offer {
        Offer(
            supplier: "Alpha",
            equipmentClass: "CT",
            unitPriceGBP: GBP(100_000),
            annualServiceGBP: GBP(8_000),
            warrantyYears: 1,
            lease: LeaseTerms(annualRentalGBP: GBP(24_000), years: 5),
            managedService: ManagedServiceTerms(annualFeeGBP: GBP(mesFee), years: 10, equipmentShare: 0.2)
        )
    }

    static func unit(_ id: String, _ trust: TrustName = "North") -> Replacement {
        Replacement(
            assetID: AssetID(id),
            trust: trust,
            equipmentClass: "CT",
            preferredYear: 2026,
            earliestYear: 2026,
            latestYear: 2026,
            deferCostGBPPerYear: .zero,
            advanceCostGBPPerYear: .zero
        )
    }

    static func scenario(
        units: [Replacement] = [unit("A1")],
        offer: Offer = offer(),
        tiers: [Tier] = [],
        budgets: [Budget] = []
    ) -> Scenario {
        Scenario(settings: settings, replacements: units, offers: [offer], tiers: tiers, budgets: budgets)
    }

    static func plan(_ scenario: Scenario) throws -> Plan {
        try scenario.validate()
        return try PurchaseOptimizer(scenario: scenario).plan(for: Set(scenario.trusts))
    }

    static func pennies(_ amount: GBP) -> Double { (amount.pounds * 100).rounded() / 100 }

    /// Each route alone (the others ruled out, as `--routes` does): its cost and capital to the penny.
    @Test(arguments: [
        (FundingRoute.purchase, 129_384.63, 100_000.00),
        (.lease, 141_538.53, 111_117.49),
        (.mes, 140_192.38, 50_611.99),
    ])
    func eachRouteCostsAndScoresWhatTheSpecSays(route: FundingRoute, cost: Double, capital: Double) throws {
        let plan = try Self.plan(Self.scenario().restricted(to: [route]))
        let assignment = try #require(plan.assignments.first)
        #expect(assignment.route == route)
        #expect(Self.pennies(plan.totalCostGBP) == cost)
        #expect(Self.pennies(assignment.capitalScoredGBP) == capital)
        #expect(Self.pennies(plan.capitalPaidGBP(by: "North", in: 2026)) == capital)
        let revenue = (2026...2030).map { Self.pennies(plan.revenueGBP(by: "North", in: $0, settings: Self.settings)) }
        switch route {
        case .purchase: #expect(revenue == [0, 8_000, 8_000, 8_000, 8_000])
        case .lease: #expect(revenue == [24_000, 32_000, 32_000, 32_000, 32_000])
        case .mes: #expect(revenue == [30_000, 30_000, 30_000, 30_000, 30_000])
        }
        // The cash flows rebuild the cost: rentals and fees discounted, service, capital.
        let flows = plan.cashFlows(settings: Self.settings)
        var rebuilt = 0.0
        for year in 2026...2030 {
            let money =
                flows.capitalPaidGBP(in: year).pounds + flows.serviceGBP[year, default: .zero].pounds
                + flows.rentalsAndFeesGBP[year, default: .zero].pounds
            rebuilt += money * Self.settings.discountFactor(year)
        }
        #expect(abs(rebuilt - cost) < 0.01)
    }

    /// Without budgets buying is cheapest (£129,384.63); a capital budget of £60,000 rules out buying (£100,000) and
    /// leasing (£111,117.49), so the managed service (capital £50,611.99) is the optimum at £140,192.38.
    @Test func aCapitalBudgetMakesTheManagedServiceTheOptimum() throws {
        let free = try Self.plan(Self.scenario())
        #expect(free.assignments[0].route == .purchase)
        #expect(Self.pennies(free.totalCostGBP) == 129_384.63)
        let budgeted = try Self.plan(
            Self.scenario(budgets: [Budget(trust: "North", year: 2026, capitalBudgetGBP: GBP(60_000))])
        )
        #expect(budgeted.assignments[0].route == .mes)
        #expect(Self.pennies(budgeted.totalCostGBP) == 140_192.38)
        #expect(Self.pennies(budgeted.capitalPaidGBP(by: "North", in: 2026)) == 50_611.99)
        #expect(!budgeted.isBudgetRelaxed)
    }

    /// With a fee of £25,000 the managed service is cheapest (25,000 × 4.673079 = £116,826.98 against £129,384.63);
    /// a revenue budget of £20,000 in 2026 rules out its fee and the lease's rental (£24,000), and buying (no revenue
    /// in 2026, the warranty year) is forced.
    @Test func aRevenueBudgetForcesPurchase() throws {
        let offer = Self.offer(mesFee: 25_000)
        let free = try Self.plan(Self.scenario(offer: offer))
        #expect(free.assignments[0].route == .mes)
        #expect(Self.pennies(free.totalCostGBP) == 116_826.98)
        let budgeted = try Self.plan(
            Self.scenario(
                offer: offer,
                budgets: [Budget(trust: "North", year: 2026, capitalBudgetGBP: nil, revenueBudgetGBP: GBP(20_000))]
            )
        )
        #expect(budgeted.assignments[0].route == .purchase)
        #expect(Self.pennies(budgeted.totalCostGBP) == 129_384.63)
    }

    /// A lease is leased when it is the cheapest: a rental of £20,000 costs 20,000 × 4.673079 + £29,384.63 =
    /// £122,846.22 against buying's £129,384.63, and scores 20,000 × 4.629895 = £92,597.90 of capital.
    @Test func aCheaperLeaseIsLeased() throws {
        var offer = Self.offer()
        offer.lease = LeaseTerms(annualRentalGBP: GBP(20_000), years: 5)
        let plan = try Self.plan(Self.scenario(offer: offer))
        #expect(plan.assignments[0].route == .lease)
        #expect(Self.pennies(plan.totalCostGBP) == 122_846.22)
        #expect(Self.pennies(plan.assignments[0].capitalScoredGBP) == 92_597.90)
    }

    /// Tiers count every route's units: two units with a 10 % tier at 2 units and a capital budget of £150,000. Both
    /// bought (£180,000) break it; one bought at £90,000 and one by managed service (capital 0.9 × £50,611.99 =
    /// £45,550.79) keep it, both at the tier: 90,000 + 29,384.63 + 0.9 × 140,192.38 = £245,557.77. (Were the
    /// managed unit not counted, the bought one would pay list price: £269,577.01.)
    @Test func tiersCountTheUnitsOfEveryRoute() throws {
        let plan = try Self.plan(
            Self.scenario(
                units: [Self.unit("A1"), Self.unit("A2")],
                tiers: [Tier(supplier: "Alpha", equipmentClass: "CT", minimumUnits: 2, discount: 0.1)],
                budgets: [Budget(trust: "North", year: 2026, capitalBudgetGBP: GBP(150_000))]
            )
        )
        #expect(Self.pennies(plan.totalCostGBP) == 245_557.77)
        #expect(Set(plan.assignments.map(\.route)) == [.purchase, .mes])
        #expect(plan.orders.count == 1)
        #expect(plan.orders[0].units == 2 && plan.orders[0].discount == 0.1)
        #expect(plan.orders[0].routeUnits.map(\.route) == [.purchase, .mes])
        #expect(Self.pennies(plan.capitalPaidGBP(by: "North", in: 2026)) == 135_550.79)
    }

    /// A route that another route of the same offer beats on cost and capital (and revenue, where a revenue budget
    /// binds) gets no variables: here the lease costs £141,538.53 against buying's £129,384.63 and scores £111,117.49
    /// of capital against £100,000, so under a capital budget that binds the model is the one of the same offer
    /// without a lease, and so is the plan. Three units, a 10 % tier from 2 and £200,000 of capital: one bought at
    /// £90,000 and two by managed service (0.9 × £50,611.99 = £45,550.79 each) keep it; two bought would not.
    @Test func aDominatedLeaseGetsNoVariables() throws {
        var withoutLease = Self.offer()
        withoutLease.lease = nil
        let units = [Self.unit("A1"), Self.unit("A2"), Self.unit("A3")]
        let tiers = [Tier(supplier: "Alpha", equipmentClass: "CT", minimumUnits: 2, discount: 0.1)]
        let budgets = [Budget(trust: "North", year: 2026, capitalBudgetGBP: GBP(200_000))]
        var variables: [Int] = []
        var plans: [Plan] = []
        for offer in [Self.offer(), withoutLease] {
            let scenario = Self.scenario(units: units, offer: offer, tiers: tiers, budgets: budgets)
            try scenario.validate()
            let optimizer = try PurchaseOptimizer(scenario: scenario)
            plans.append(try optimizer.plan(for: ["North"]))
            variables.append(optimizer.solveStatistics.largestModelVariables)
        }
        #expect(variables[0] == variables[1] && variables[0] > 0)
        #expect(plans[0].assignments.map(\.route).sorted() == [FundingRoute.purchase, .mes, .mes].sorted())
        #expect(plans[0].assignments.map(\.route).sorted() == plans[1].assignments.map(\.route).sorted())
        #expect(Self.pennies(plans[0].totalCostGBP) == Self.pennies(plans[1].totalCostGBP))
        #expect(Self.pennies(plans[0].capitalPaidGBP(by: "North", in: 2026)) == 181_101.58)
    }

    /// A revenue budget no route can meet: buying spends £8,000 of revenue in 2027 (the least of any route) against
    /// £5,000, so the analysis exits 3 naming revenue, the trust, the year and £3,000.
    @Test func aRevenueBudgetTooSmallNamesRevenueTrustYearAndShortfall() async throws {
        let scenario = Self.scenario(
            budgets: [Budget(trust: "North", year: 2027, capitalBudgetGBP: nil, revenueBudgetGBP: GBP(5_000))]
        )
        try scenario.validate()
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let error = await #expect(throws: BudgetsInfeasible.self) {
            try await ProcurementAnalysis.analyse(with: optimizer)
        }
        let shortfall = try #require(error?.shortfalls.first)
        #expect(shortfall.kind == .revenue && shortfall.year == 2027)
        #expect(abs(shortfall.shortfallGBP.pounds - 3_000) < 0.01)
        #expect(error?.exitCode == .infeasible)
        let message = error?.description ?? ""
        #expect(message.contains("The revenue budgets cannot be met"))
        #expect(message.contains("North in 2027: revenue short by £3,000 (revenue budget £5,000)"))
    }

    /// Two trusts whose revenue floors fail: each unit spends at least £8,000 in 2027 whatever the coalition, so the
    /// floor proves a £5,000 revenue budget infeasible for any coalition with the trust, and names it.
    @Test func theFloorFindsRevenueShortfallsForEveryCoalition() async throws {
        let scenario = Self.scenario(
            units: [Self.unit("A1"), Self.unit("B1", "South")],
            tiers: [Tier(supplier: "Alpha", equipmentClass: "CT", minimumUnits: 2, discount: 0.1)],
            budgets: [
                Budget(trust: "North", year: 2027, capitalBudgetGBP: GBP(1_000_000), revenueBudgetGBP: GBP(5_000))
            ]
        )
        try scenario.validate()
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let error = await #expect(throws: BudgetsInfeasible.self) {
            try await ProcurementAnalysis.analyse(with: optimizer)
        }
        #expect(error?.shortfalls.map(\.kind) == [.revenue])
        #expect(error?.shortfalls.map(\.trust) == ["North"])
        #expect(abs((error?.shortfalls.first?.shortfallGBP.pounds ?? 0) - 3_000) < 0.01)
        #expect(optimizer.solveStatistics.partsBelowCapitalFloor >= 1)
    }

    /// Ruling out every route but purchase gives the plan of a scenario that never had the others.
    @Test func purchaseOnlyIsTheScenarioWithoutRoutes() throws {
        var plain = Self.offer()
        plain.lease = nil
        plain.managedService = nil
        let restricted = Self.scenario().restricted(to: [.purchase])
        #expect(restricted == Self.scenario(offer: plain))
        #expect(try Self.plan(restricted) == Self.plan(Self.scenario(offer: plain)))
    }
}
