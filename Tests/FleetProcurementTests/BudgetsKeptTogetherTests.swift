import FleetCore
import FleetProcurement
import Foundation
import MILP
import Testing

/// Budgets that a trust cannot keep alone but can in a coalition, whose joint orders earn a discount its own do not:
/// no merge of smaller coalitions' plans keeps them, so the coalition's search starts from no plan.
@Suite("Budgets kept only together")
struct BudgetsKeptTogetherTests {
    /// What the optimiser asked of CBC in one solve.
    struct Solve: Sendable {
        /// Replacement groups in the model (a group per trust and class when budgets apply).
        var groups: Int
        var hasBudgetRows: Bool
        var hasStart: Bool
        var feasibilityPump: Bool
        var rootCutRounds: Int?
        /// The model seeks a purchase plan's least budget overruns: its slack variables are named
        /// `shortfall_r<trust>_y<year>` or `shortfall_revenue_r<trust>_y<year>` (a capital floor's have no trust).
        var seeksPurchaseShortfalls: Bool
    }

    /// Solves with CBC and records every solve.
    final class Recording: MILPSolver, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Solve] = []
        var solves: [Solve] { lock.withLock { recorded } }

        func solve(_ model: Model, options: SolveOptions) throws(MILPError) -> Solution {
            let solve = Solve(
                groups: model.constraints.filter { $0.name.hasPrefix("demand_") }.count,
                hasBudgetRows: model.constraints.contains { $0.name.hasPrefix("budget_") },
                hasStart: options.initialSolution != nil,
                feasibilityPump: options.feasibilityPump,
                rootCutRounds: options.maximumCutPassesAtRoot,
                seeksPurchaseShortfalls: model.variables.contains {
                    $0.name.wholeMatch(of: /shortfall_(revenue_)?r[0-9]+_y[0-9]+/) != nil
                }
            )
            lock.withLock { recorded.append(solve) }
            return try CBCSolver().solve(model, options: options)
        }
    }

    /// Trusts A and B each replace one CT (£1,000,000 list); two units in one order take 30 % off each. B's must be
    /// bought in 2026; A's may be, but a year before its preferred 2027 costs it £1,000,000. Without budgets A buys
    /// alone in 2027, at £1,000,000. A's capital budget is £750,000 a year: alone it cannot keep it; together it
    /// buys in 2026 with B, at £700,000.
    static let scenario = Scenario(
        settings: ScenarioSettings(baseYear: 2026, horizonYears: 2, appraisalYears: 4),
        replacements: [("A", 2027), ("B", 2026)].map { trust, year in
            Replacement(
                assetID: AssetID("\(trust)-CT"),
                trust: TrustName(trust),
                equipmentClass: "CT-F",
                preferredYear: year,
                earliestYear: 2026,
                latestYear: year,
                deferCostGBPPerYear: .zero,
                advanceCostGBPPerYear: GBP(1_000_000)
            )
        },
        offers: [CapacityBudgetFloorTests.alphaCT],
        tiers: CapacityBudgetFloorTests.alphaCTTiers,
        budgets: [2026, 2027].map { Budget(trust: "A", year: $0, capitalBudgetGBP: GBP(750_000)) }
    )

    /// The pair's search starts from no plan, so CBC's feasibility pump looks for its first (the demo network at
    /// three quarters of its budgets: 60 s and unproved without it, 13 s proved with it), after five rounds of root
    /// cuts (``PurchaseOptimizer/rootCutRounds(replacements:trusts:fromNoPlan:)``), which prove many such coalitions infeasible at once. A
    /// alone, a small model, does without both. The plan found is the pair's optimum, and A's budget holds in it.
    @Test func aCoalitionWithoutAStartGetsTheFeasibilityPump() async throws {
        let scenario = Self.scenario
        try scenario.validate()
        let solver = Recording()
        let analysis = try await ProcurementAnalysis.analyse(
            with: try PurchaseOptimizer(scenario: scenario, solver: solver)
        )

        #expect(!analysis.jointPlan.isBudgetRelaxed)
        #expect(analysis.jointPlan.assignments.map(\.year) == [2026, 2026])
        #expect(analysis.jointPlan.assignments.allSatisfy { agree($0.unitPricePaidGBP.pounds, 700_000) })
        let brute = BruteForce(scenario: scenario)
        #expect(agree(analysis.jointCostGBP.pounds, brute.coalitionCost(["A", "B"]).cost))
        #expect(try PurchaseOptimizer(scenario: scenario).cost(for: ["A"]).isBudgetRelaxed)

        let budgeted = solver.solves.filter { $0.hasBudgetRows && !$0.seeksPurchaseShortfalls }
        let pair = budgeted.filter { $0.groups == 2 }
        let alone = budgeted.filter { $0.groups == 1 }
        #expect(!pair.isEmpty && !alone.isEmpty)
        #expect(pair.allSatisfy { !$0.hasStart && $0.feasibilityPump })
        // Five rounds of root cuts, where a budgeted model this small otherwise gets one.
        #expect(pair.allSatisfy { $0.rootCutRounds == 5 })
        #expect(alone.allSatisfy { $0.rootCutRounds == 1 })
        #expect(alone.allSatisfy { !$0.feasibilityPump })
        // Without budgets, models solve from their starts as before.
        #expect(solver.solves.filter { !$0.hasBudgetRows }.allSatisfy { !$0.feasibilityPump })
    }

    /// The capacity optimiser starts each search from the plan of the coalition's replacements alone, and asks for
    /// it only when it keeps the budgets: asking for a plan that breaks them sized its least overruns first (a
    /// search of its own, which on the demo network at three quarters of its budgets held up every other coalition
    /// for 55 of its 60 seconds), only for the plan to be dropped.
    @Test func capacityCoverDoesNotSizeTheOverrunsOfAStartItCannotUse() throws {
        let scenario = CapacityBudgetFloorTests.scenario(budgetA: 750_000)
        try scenario.validate()
        let solver = Recording()
        let optimizer = try CapacityOptimizer(scenario: scenario, solver: solver)
        #expect(try optimizer.cost(for: ["A"]).isBudgetRelaxed)
        #expect(!solver.solves.isEmpty)
        #expect(!solver.solves.contains { $0.seeksPurchaseShortfalls })
        // Asked for A's plan, the optimiser sizes A's overruns: £250,000 in 2026.
        let plan = try optimizer.plan(for: ["A"])
        #expect(plan.budgetShortfalls.map(\.year) == [2026])
        #expect(plan.budgetShortfalls.allSatisfy { agree($0.shortfallGBP.pounds, 250_000) })
    }
}
