import FleetCore
import FleetProcurement
import MILP
import Testing

/// The optimiser against exhaustive enumeration on small random scenarios: every coalition's cost, the savings and
/// the Shapley values must equal the brute-force figures.
@Suite("Optimality by exhaustive enumeration")
struct OptimalityTests {
    @Test(arguments: 1...100)
    func everyCoalitionCostsWhatEnumerationFindsWithoutBudgets(seed: UInt64) async throws {
        try await check(smallScenario(seed: seed, budgets: false))
    }

    @Test(arguments: 1001...1100)
    func everyCoalitionCostsWhatEnumerationFindsWithBudgets(seed: UInt64) async throws {
        try await check(smallScenario(seed: seed, budgets: true))
    }

    /// Eight or nine replacements: orders large enough to reach the higher tiers.
    @Test(arguments: 2001...2008)
    func largerOrdersReachHigherTiers(seed: UInt64) async throws {
        try await check(smallScenario(seed: seed, budgets: seed % 2 == 0, replacementCount: 8...9, optionCap: 150_000))
    }

    /// Three suppliers and budgets that bind: plans must trade tiers, suppliers' capital and timing.
    @Test(arguments: 3001...3150)
    func bindingBudgetsWithThreeSuppliers(seed: UInt64) async throws {
        try await check(bindingBudgetScenario(seed: seed))
    }

    /// Four trusts with budgets that bind: coalitions of three and four start from the cheapest merge of any two
    /// disjoint smaller coalitions (not only one trust against the rest), which these check against enumeration.
    @Test(arguments: 5001...5060)
    func bindingBudgetsWithFourTrusts(seed: UInt64) async throws {
        try await check(bindingBudgetScenario(seed: seed, trustCount: 4...4))
    }

    /// More of the same: small budgeted models get one round of root cuts
    /// (``PurchaseOptimizer/rootCutRounds(replacements:trusts:)``), so their proofs rest more on branching; the coalitions of
    /// three and four are where those trees grow.
    @Test(arguments: 5061...5160)
    func bindingBudgetsWithFourTrustsAndOneRootCutRound(seed: UInt64) async throws {
        try await check(bindingBudgetScenario(seed: seed, trustCount: 4...4))
    }

    /// Budgets that no plan can break, that bind, and that no coalition can meet, side by side: the parts that binding
    /// budgets tie, the lowest-price floor that finds a trust's budgets infeasible without a search, and the costs
    /// of coalitions whose budgets are relaxed.
    @Test(arguments: 4001...4150)
    func budgetsThatCannotBindThatBindAndThatCannotBeMet(seed: UInt64) async throws {
        try await check(mixedBudgetScenario(seed: seed))
    }

    /// Funding routes with capital and revenue budgets: each unit bought, leased or taken as a managed service, tiers
    /// across routes, capital scored by IFRS 16 and revenue in every appraisal year.
    @Test(arguments: 5001...5200)
    func fundingRoutesWithCapitalAndRevenueBudgets(seed: UInt64) async throws {
        try await check(routeScenario(seed: seed))
    }

    /// Funding routes with more units, so that tiers across routes are reached.
    @Test(arguments: 5501...5520)
    func fundingRoutesWithLargerOrders(seed: UInt64) async throws {
        try await check(routeScenario(seed: seed, replacementCount: 5...6, optionCap: 400_000))
    }

    /// Funding routes and budgets across four trusts: the coalitions of three and four are the budgeted models whose
    /// root cuts are limited (``PurchaseOptimizer/rootCutRounds(replacements:trusts:)``), and start from merges of smaller
    /// ones.
    @Test(arguments: 5601...5640)
    func fundingRoutesWithFourTrusts(seed: UInt64) async throws {
        try await check(routeScenario(seed: seed, replacementCount: 4...5, trustCount: 4...4))
    }

    /// Budgets that some trust cannot keep alone but a coalition with it can: that coalition starts from no merged
    /// plan and its search gets CBC's feasibility pump (``PurchaseOptimizer/searchesFromNoPlan(_:hasStart:)``).
    /// These are the 31 seeds among 7001–7400 whose scenarios reach it (every one of the 400 agreed with
    /// enumeration); each checks that it still does.
    @Test(
        arguments: [
            7024, 7032, 7100, 7109, 7110, 7135, 7138, 7139, 7144, 7155, 7163, 7179, 7186, 7195, 7213, 7218, 7225, 7239,
            7242, 7254, 7257, 7271, 7285, 7292, 7308, 7324, 7327, 7334, 7345, 7356, 7377,
        ] as [UInt64]
    )
    func budgetsKeptOnlyTogether(seed: UInt64) async throws {
        let solver = BudgetsKeptTogetherTests.Recording()
        try await check(bindingBudgetScenario(seed: seed, trustCount: 3...4), solver: solver)
        #expect(solver.solves.contains { $0.hasBudgetRows && !$0.hasStart && $0.feasibilityPump })
    }

    func check(_ scenario: Scenario, solver: any MILPSolver = CBCSolver()) async throws {
        try scenario.validate()
        let brute = BruteForce(scenario: scenario)
        let optimizer = try PurchaseOptimizer(scenario: scenario, solver: solver)
        let trusts = optimizer.trusts
        var bruteCost: [Set<Int>: Double] = [[]: 0]
        for mask in 1..<(1 << trusts.count) {
            let members = Set(trusts.indices.filter { mask & (1 << $0) != 0 })
            let coalition = Set(members.map { trusts[$0] })
            let expected = brute.coalitionCost(coalition)
            let found = try optimizer.cost(for: coalition)
            #expect(
                agree(found.costGBP.pounds, expected.cost),
                "coalition \(coalition.sorted()): \(found.costGBP.pounds) vs \(expected.cost)"
            )
            #expect(found.isBudgetRelaxed == expected.relaxed, "coalition \(coalition.sorted())")
            #expect(found.status == .optimal)
            bruteCost[members] = expected.cost
            // The plan itself: every replacement once, in its window, from a supplier of its class, priced as
            // enumeration prices it.
            let plan = try optimizer.plan(for: coalition)
            let members_ = scenario.replacements.filter { coalition.contains($0.trust) }
            #expect(plan.assignments.map(\.assetID).sorted() == members_.map(\.assetID).sorted())
            let choices = members_.map { replacement in
                let assignment = plan.assignments.first { $0.assetID == replacement.assetID }!
                #expect(replacement.window.contains(assignment.year))
                #expect(
                    scenario.offers.first {
                        $0.supplier == assignment.supplier && $0.equipmentClass == replacement.equipmentClass
                    }!.fundingRoutes.contains(assignment.route)
                )
                return (supplier: assignment.supplier, year: assignment.year, route: assignment.route)
            }
            let priced = brute.cost(members_, choices, budgeted: [])
            #expect(agree(plan.totalCostGBP.pounds, try #require(priced)))
            #expect(agree(plan.totalCostGBP.pounds, found.costGBP.pounds))
        }

        let everyone = Set(trusts.indices)
        let jointRelaxed = brute.coalitionCost(Set(trusts)).relaxed
        if jointRelaxed {
            await #expect(throws: BudgetsInfeasible.self) { try await ProcurementAnalysis.analyse(with: optimizer) }
            return
        }
        let analysis = try await ProcurementAnalysis.analyse(with: optimizer)
        let standalone = trusts.indices.map { bruteCost[[$0]]! }
        #expect(agree(analysis.jointCostGBP.pounds, bruteCost[everyone]!))
        #expect(agree(analysis.standaloneCostGBP.pounds, standalone.reduce(0, +)))
        #expect(agree(analysis.savingsGBP.pounds, standalone.reduce(0, +) - bruteCost[everyone]!))
        let shapley = shapleyByPermutations(playerCount: trusts.count) { members in
            members.reduce(0) { $0 + standalone[$1] } - bruteCost[members]!
        }
        let shares = try #require(analysis.allocation(.shapley))
        for (index, trust) in trusts.enumerated() {
            #expect(
                agree(shares.byTrust[trust]!.pounds, shapley[index]),
                "Shapley share of \(trust)"
            )
            let proportional = analysis.savingsGBP.pounds * standalone[index] / standalone.reduce(0, +)
            #expect(agree(analysis.proportional.byTrust[trust]!.pounds, proportional))
        }
        #expect(analysis.coalitionsEvaluated == (1 << trusts.count) - 1)
    }
}
