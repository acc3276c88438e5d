import FleetCore
import FleetProcurement
import Foundation
import MILP
import Testing

@Suite("Budgets")
struct BudgetTests {
    static let settings = ScenarioSettings(baseYear: 2026, horizonYears: 3, appraisalYears: 5)

    static func replacement(
        _ id: String,
        _ trust: TrustName,
        window: ClosedRange<Int>,
        preferred: Int? = nil
    )
        -> Replacement
    {
        Replacement(
            assetID: AssetID(id),
            trust: trust,
            equipmentClass: "CT",
            preferredYear: preferred ?? window.lowerBound,
            earliestYear: window.lowerBound,
            latestYear: window.upperBound,
            deferCostGBPPerYear: GBP(10_000),
            advanceCostGBPPerYear: GBP(10_000)
        )
    }

    static let offers = [
        Offer(
            supplier: "Alpha",
            equipmentClass: "CT",
            unitPriceGBP: GBP(100_000),
            annualServiceGBP: GBP(5_000),
            warrantyYears: 1
        ),
        Offer(
            supplier: "Beta",
            equipmentClass: "CT",
            unitPriceGBP: GBP(110_000),
            annualServiceGBP: GBP(1_000),
            warrantyYears: 1
        ),
    ]

    /// A unit that must be bought in 2027, at £100,000 at the cheapest, against a 2027 budget of £60,000: short by
    /// £40,000, and the analysis ends with exit 3 naming the trust, the year and the amount.
    @Test func aBudgetTooSmallNamesTrustYearAndShortfall() async throws {
        let scenario = Scenario(
            settings: Self.settings,
            replacements: [
                Self.replacement("A1", "North", window: 2027...2027),
                Self.replacement("B1", "South", window: 2026...2028),
            ],
            offers: Self.offers,
            budgets: [Budget(trust: "North", year: 2027, capitalBudgetGBP: GBP(60_000))]
        )
        try scenario.validate()
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let error = await #expect(throws: BudgetsInfeasible.self) {
            try await ProcurementAnalysis.analyse(with: optimizer)
        }
        let shortfall = try #require(error?.shortfalls.first)
        #expect(error?.shortfalls.count == 1)
        #expect(shortfall.trust == "North" && shortfall.year == 2027)
        #expect(abs(shortfall.shortfallGBP.pounds - 40_000) < 0.01)
        #expect(shortfall.budgetGBP == GBP(60_000))
        #expect(error?.exitCode == .infeasible)
        let message = error?.description ?? ""
        #expect(message.contains("North in 2027: capital short by £40,000 (capital budget £60,000)"))
    }

    /// The smallest overruns when a unit can move: two units that can each go in 2026 or 2027 against budgets of
    /// £150,000 a year in 2026 and £0 in 2027 need £50,000 more (two units at £100,000, no discount).
    @Test func shortfallsAreTheLeastOverrun() async throws {
        let scenario = Scenario(
            settings: Self.settings,
            replacements: [
                Self.replacement("A1", "North", window: 2026...2027),
                Self.replacement("A2", "North", window: 2026...2027),
            ],
            offers: Self.offers,
            budgets: [
                Budget(trust: "North", year: 2026, capitalBudgetGBP: GBP(150_000)),
                Budget(trust: "North", year: 2027, capitalBudgetGBP: .zero),
            ]
        )
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let plan = try optimizer.plan(for: ["North"])
        #expect(plan.isBudgetRelaxed)
        let total = plan.budgetShortfalls.reduce(0) { $0 + $1.shortfallGBP.pounds }
        #expect(abs(total - 50_000) < 0.01)
    }

    /// North and South each buying one unit in 2027 from Alpha, whose 2-unit tier takes 20 % off £100,000.
    static func oneUnitEachIn2027(budgets: [Budget]) -> Scenario {
        Scenario(
            settings: settings,
            replacements: [
                replacement("A1", "North", window: 2027...2027),
                replacement("B1", "South", window: 2027...2027),
            ],
            offers: [offers[0]],
            tiers: [Tier(supplier: "Alpha", equipmentClass: "CT", minimumUnits: 2, discount: 0.2)],
            budgets: budgets
        )
    }

    /// A budget below the lowest price any coalition could pay: North must buy its unit in 2027 with £70,000, and the
    /// scenario's two units of 2027 together earn at most 20 % off £100,000. No coalition can meet it, which the
    /// capital floor shows without a search, and the analysis ends naming North, 2027 and the £10,000 that even the
    /// joint order leaves short (North alone lacks £30,000).
    @Test func aBudgetBelowEveryCoalitionsLowestPriceIsInfeasibleWithoutASearch() async throws {
        let scenario = Self.oneUnitEachIn2027(budgets: [
            Budget(trust: "North", year: 2027, capitalBudgetGBP: GBP(70_000))
        ])
        try scenario.validate()
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let alone = try optimizer.plan(for: ["North"])
        #expect(alone.isBudgetRelaxed)
        #expect(alone.budgetShortfalls.map(\.shortfallGBP) == [GBP(30_000)])
        let error = await #expect(throws: BudgetsInfeasible.self) {
            try await ProcurementAnalysis.analyse(with: optimizer)
        }
        let shortfalls = try #require(error?.shortfalls)
        #expect(shortfalls.map(\.trust) == ["North"] && shortfalls.map(\.year) == [2027])
        #expect(abs(shortfalls[0].shortfallGBP.pounds - 10_000) < 0.01)
        #expect(optimizer.solveStatistics.partsBelowCapitalFloor == 2)
    }

    /// Two trusts each buying one unit in 2027 with £85,000: alone the list price of £100,000 is out of reach, but
    /// jointly the 2-unit tier (20 %) brings it to £80,000. The joint plan stands; each trust's standalone plan is
    /// optimised without its budget and says so.
    @Test func jointPlanMeetsBudgetsThatTrustsAloneCannot() async throws {
        let scenario = Self.oneUnitEachIn2027(budgets: [
            Budget(trust: "North", year: 2027, capitalBudgetGBP: GBP(85_000)),
            Budget(trust: "South", year: 2027, capitalBudgetGBP: GBP(85_000)),
        ])
        let analysis = try await ProcurementAnalysis.analyse(with: try PurchaseOptimizer(scenario: scenario))
        #expect(!analysis.jointPlan.isBudgetRelaxed)
        #expect(analysis.jointPlan.orders.map(\.units) == [2])
        #expect(analysis.standalonePlans.values.allSatisfy { $0.isBudgetRelaxed })
        #expect(Set(analysis.standaloneShortfalls.map(\.trust)) == ["North", "South"])
        #expect(analysis.standaloneShortfalls.allSatisfy { abs($0.shortfallGBP.pounds - 15_000) < 0.01 })
        // Savings: 2 × £20,000 discounted one year.
        #expect(agree(analysis.savingsGBP.pounds, 40_000 / 1.035))
        let summary = ProcurementSummary(analysis, method: .shapley)
        #expect(summary.standaloneBudgetShortfalls?.count == 2)
    }

    /// Once the time limit has passed, coalitions keep the merged plans of smaller ones and report their gap, with
    /// budgets or without: the gap must hold the true optimum (found by enumeration) between the reported cost and
    /// that cost less the gap.
    @Test(arguments: [1004, 1017, 1025, 1051, 1055, 1058, 1087, 1099], [true, false])
    func pastTheTimeLimitEachGapStillBoundsTheOptimum(seed: UInt64, budgets: Bool) async throws {
        let scenario = smallScenario(seed: UInt64(seed), budgets: budgets)
        let brute = BruteForce(scenario: scenario)
        let optimizer = try PurchaseOptimizer(scenario: scenario, timeLimitSeconds: 1e-9)
        var stopped = 0
        for mask in 1..<(1 << optimizer.trusts.count) {
            let coalition = Set(optimizer.trusts.indices.filter { mask & (1 << $0) != 0 }.map { optimizer.trusts[$0] })
            let found = try optimizer.cost(for: coalition)
            let optimum = brute.coalitionCost(coalition).cost
            let cost = found.costGBP.pounds
            #expect(cost >= optimum - 0.01, "\(coalition): reported £\(cost) below the optimum £\(optimum)")
            #expect(
                cost * (1 - found.status.relativeGap) <= optimum + 0.01,
                "\(coalition): gap \(found.status) too small"
            )
            if case .timeLimit = found.status { stopped += 1 }
        }
        #expect(stopped > 0, "past the time limit, coalitions of two or more trusts are not solved")
    }

    /// Budgets that the cheapest plan meets anyway change nothing.
    @Test func looseBudgetsChangeNothing() throws {
        var scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 3, replacementCount: 30, seed: 2)
        )
        let unbudgeted = try PurchaseOptimizer(scenario: scenario).cost(for: Set(scenario.trusts))
        scenario.budgets = scenario.trusts.flatMap { trust in
            scenario.settings.decisionYears.map { Budget(trust: trust, year: $0, capitalBudgetGBP: GBP(1e9)) }
        }
        let budgeted = try PurchaseOptimizer(scenario: scenario).cost(for: Set(scenario.trusts))
        #expect(agree(budgeted.costGBP.pounds, unbudgeted.costGBP.pounds))
        #expect(!budgeted.isBudgetRelaxed)
    }
}

/// The optimiser through stand-in solvers: the interface lets tests see how it reports a time limit and a failure.
@Suite("Solver stand-ins")
struct SolverStandInTests {
    /// Solves with CBC, then reports the solution as stopped at the time limit with a bound 2 % below it.
    struct StoppedEarly: MILPSolver {
        func solve(_ model: Model, options: SolveOptions) throws(MILPError) -> Solution {
            var solution = try CBCSolver().solve(model, options: options)
            if solution.status == .optimal, let objective = solution.objectiveValue {
                solution.status = .timeLimit(relativeGap: 0.02)
                solution.bestBound = objective - 0.02 * abs(objective)
            }
            return solution
        }
    }

    /// Never finds anything in time.
    struct FindsNothing: MILPSolver {
        func solve(_ model: Model, options: SolveOptions) throws(MILPError) -> Solution {
            Solution(status: .timeLimitWithoutSolution, objectiveValue: nil, bestBound: nil, values: [])
        }
    }

    @Test func aTimeLimitIsReportedWithItsGap() async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 3, replacementCount: 30, seed: 4)
        )
        let analysis = try await ProcurementAnalysis.analyse(
            with: try PurchaseOptimizer(scenario: scenario, solver: StoppedEarly())
        )
        #expect(abs(analysis.status.relativeGap - 0.02) < 1e-9)
        let summary = ProcurementSummary(analysis, method: .proportional)
        #expect(summary.status == "time_limit")
        #expect(abs((summary.gap ?? 0) - 0.02) < 1e-9)
        #expect(summary.allocation?.method == "proportional")
    }

    /// Passes requests to the optimiser and records the size of each coalition asked for, in order.
    final class Recording: ProcurementOptimizer, @unchecked Sendable {
        let inner: PurchaseOptimizer
        private let lock = NSLock()
        private(set) var sizes: [Int] = []
        init(_ inner: PurchaseOptimizer) { self.inner = inner }
        var trusts: [TrustName] { inner.trusts }
        var hasBudgets: Bool { inner.hasBudgets }
        func cost(for coalition: Set<TrustName>) throws -> CoalitionCost {
            lock.withLock { sizes.append(coalition.count) }
            return try inner.cost(for: coalition)
        }
        func plan(for coalition: Set<TrustName>) throws -> Plan {
            lock.withLock { sizes.append(coalition.count) }
            return try inner.plan(for: coalition)
        }
    }

    /// The headline figures come first, so that a time limit reached among the Shapley coalitions leaves the joint
    /// plan and each trust alone solved in full; and a stopped coalition is counted.
    @Test(arguments: [false, true])
    func eachTrustAloneThenTheJointPlanComeFirst(budgets: Bool) async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 4, replacementCount: 40, hasBudgets: budgets, seed: 5)
        )
        let recording = Recording(try PurchaseOptimizer(scenario: scenario))
        let analysis = try await ProcurementAnalysis.analyse(with: recording)
        #expect(Array(recording.sizes.prefix(5)) == [1, 1, 1, 1, 4])
        #expect(analysis.coalitionsEvaluated == 15)
        #expect(analysis.unprovedCoalitions == 0)
        #expect(analysis.headlineStatus == .optimal)

        let stopped = try await ProcurementAnalysis.analyse(
            with: try PurchaseOptimizer(scenario: scenario, solver: StoppedEarly())
        )
        #expect(stopped.unprovedCoalitions == 15)
        #expect(abs(stopped.headlineStatus.relativeGap - 0.02) < 1e-9)
    }

    /// The proportional split alone needs only the joint plan and each trust alone: no other coalition is solved,
    /// and its figures are those of the full analysis.
    @Test(arguments: [false, true])
    func theProportionalSplitSolvesOnlyTheHeadline(budgets: Bool) async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 5, replacementCount: 50, hasBudgets: budgets, seed: 8)
        )
        let full = try await ProcurementAnalysis.analyse(with: try PurchaseOptimizer(scenario: scenario))
        let recording = Recording(try PurchaseOptimizer(scenario: scenario))
        let proportional = try await ProcurementAnalysis.analyse(
            with: recording,
            options: AnalysisOptions(computesShapley: false)
        )
        #expect(Set(recording.sizes) == [1, 5])
        #expect(proportional.coalitionsEvaluated == 6)
        #expect(full.coalitionsEvaluated == 31)
        #expect(proportional.shapley == nil)
        // Asking for the Shapley split the analysis skipped is an answer, not a trap.
        #expect(proportional.allocation(.shapley) == nil)
        #expect(ProcurementSummary(proportional, method: .shapley).allocation == nil)
        // The same optimum, to the solver's tolerance of a penny.
        #expect(abs(proportional.jointCostGBP.pounds - full.jointCostGBP.pounds) <= 0.02)
        for trust in scenario.trusts {
            let share = proportional.proportional.byTrust[trust]?.pounds ?? .nan
            #expect(abs(share - (full.proportional.byTrust[trust]?.pounds ?? .nan)) <= 0.02, "\(trust)")
        }
        #expect(ProcurementSummary(proportional, method: .proportional).allocation?.method == "proportional")
    }

    @Test func noPlanInTimeIsAFailure() async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 2, replacementCount: 10, seed: 4)
        )
        let optimizer = try PurchaseOptimizer(scenario: scenario, solver: FindsNothing(), timeLimitSeconds: 1)
        let error = await #expect(throws: ProcurementFailure.self) {
            try await ProcurementAnalysis.analyse(with: optimizer)
        }
        #expect(error?.exitCode == .failure)
        #expect(error?.description.contains("time limit") == true)
    }

    /// Finds nothing for a budgeted model whose budget rows belong to exactly `trusts` trusts (as a search stopped
    /// before its first plan would); solves every other model with CBC. Budget rows are named
    /// `budget_r<trust>_y<year>` or `budget_revenue_r<trust>_y<year>` (``PurchaseOptimizer``), and
    /// `capital_r<trust>_y<year>` or `revenue_r<trust>_y<year>` (``CapacityOptimizer``).
    struct FindsNothingForCoalitionsOf: MILPSolver {
        var trusts: Int
        func solve(_ model: Model, options: SolveOptions) throws(MILPError) -> Solution {
            let budgeted = Set(
                model.constraints.compactMap { row -> Substring? in
                    guard ["budget_", "capital_r", "revenue_r"].contains(where: row.name.hasPrefix) else { return nil }
                    return row.name.split(separator: "_").first {
                        $0.count > 1 && $0.hasPrefix("r") && $0.dropFirst().allSatisfy(\.isNumber)
                    }
                }
            )
            guard budgeted.count == trusts else { return try CBCSolver().solve(model, options: options) }
            return Solution(status: .timeLimitWithoutSolution, objectiveValue: nil, bestBound: nil, values: [])
        }
    }

    /// A coalition behind the Shapley split that the time limit leaves without a plan meeting its budgets (its
    /// smaller coalitions gave it no start) no longer ends the analysis with nothing: it is counted at its cost
    /// without budgets, as a coalition that cannot meet them is, and the analysis says how many were so counted.
    /// The joint plan and each trust alone are the full analysis's; a plan of the undecided coalition is refused.
    @Test func aCoalitionUndecidedAtTheTimeLimitIsCountedWithoutItsBudgets() async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 3, replacementCount: 30, hasBudgets: true, seed: 4)
        )
        let full = try await ProcurementAnalysis.analyse(with: try PurchaseOptimizer(scenario: scenario))
        let optimizer = try PurchaseOptimizer(scenario: scenario, solver: FindsNothingForCoalitionsOf(trusts: 2))
        let analysis = try await ProcurementAnalysis.analyse(with: optimizer)
        #expect(full.unresolvedCoalitions == 0)
        #expect(analysis.unresolvedCoalitions > 0)
        #expect(analysis.unprovedCoalitions >= analysis.unresolvedCoalitions)
        #expect(analysis.status != .optimal)
        #expect(analysis.headlineStatus == .optimal)
        #expect(abs(analysis.jointCostGBP.pounds - full.jointCostGBP.pounds) <= 0.02)
        #expect(abs(analysis.standaloneCostGBP.pounds - full.standaloneCostGBP.pounds) <= 0.02)
        // The split still shares out exactly the savings.
        let shares = try #require(analysis.shapley).byTrust.values.reduce(0) { $0 + $1.pounds }
        #expect(abs(shares - analysis.savingsGBP.pounds) <= 0.05)

        var withoutBudgets = scenario
        withoutBudgets.budgets = []
        let unbudgeted = try PurchaseOptimizer(scenario: withoutBudgets)
        var undecided = 0
        for pair in [[0, 1], [0, 2], [1, 2]].map({ Set($0.map { scenario.trusts[$0] }) }) {
            let cost = try optimizer.cost(for: pair)
            guard cost.isUnresolved else { continue }
            undecided += 1
            #expect(cost.isBudgetRelaxed)
            #expect(abs(cost.costGBP.pounds - (try unbudgeted.cost(for: pair)).costGBP.pounds) <= 0.02)
            let error = #expect(throws: ProcurementFailure.self) { try optimizer.plan(for: pair) }
            #expect(error?.description.contains("time limit") == true)
        }
        #expect(undecided == analysis.unresolvedCoalitions)
        #expect(ProcurementSummary(analysis, method: .shapley).unresolvedCoalitions == undecided)
        #expect(ProcurementSummary(full, method: .shapley).unresolvedCoalitions == nil)
    }

    @Test func summaryHasTheSpecKeys() async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 3, replacementCount: 30, seed: 6)
        )
        let analysis = try await ProcurementAnalysis.analyse(with: try PurchaseOptimizer(scenario: scenario))
        let data = try JSONEncoder().encode(ProcurementSummary(analysis, method: .shapley))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in [
            "status", "joint_cost_gbp", "standalone_cost_gbp", "standalone_by_trust", "savings_gbp", "allocation",
            "orders", "assignments",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["gap"] == nil)
        #expect(object["status"] as? String == "optimal")
        let allocation = try #require(object["allocation"] as? [String: Any])
        #expect(allocation["method"] as? String == "shapley")
        #expect((allocation["by_trust"] as? [String: Double])?.count == 3)
        let order = try #require((object["orders"] as? [[String: Any]])?.first)
        for key in ["supplier", "class", "year", "units", "unit_price_gbp", "discount"] {
            #expect(order[key] != nil, "order lacks \(key)")
        }
        let assignment = try #require((object["assignments"] as? [[String: Any]])?.first)
        for key in ["asset_id", "trust", "supplier", "year", "unit_price_gbp"] {
            #expect(assignment[key] != nil, "assignment lacks \(key)")
        }
        #expect((object["assignments"] as? [Any])?.count == 30)
    }
}
