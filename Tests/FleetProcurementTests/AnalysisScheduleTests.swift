import FleetCore
import FleetProcurement
import Foundation
import Testing

/// The order a Shapley analysis solves its coalitions in: each only once the coalitions its start comes from are
/// solved, and, with budgets, the joint plan alongside them on a copy of the optimiser, with the plan it would have
/// had first.
@Suite("Analysis schedule")
struct AnalysisScheduleTests {
    /// Passes requests to an optimiser and records, for each coalition asked for, whether every coalition
    /// of one trust fewer had been answered before it was asked (trusts alone aside: the analysis solves them first);
    /// with `copying`, hands out recorded copies.
    final class Watching: ProcurementOptimizer, @unchecked Sendable {
        let inner: any ProcurementOptimizer
        let copying: Bool
        private let lock = NSLock()
        private var answered: Set<Set<TrustName>> = []
        private(set) var asked: [(coalition: Set<TrustName>, afterItsSubsets: Bool)] = []
        private(set) var copies: [Watching] = []

        init(_ inner: any ProcurementOptimizer, copying: Bool) {
            self.inner = inner
            self.copying = copying
        }

        var trusts: [TrustName] { inner.trusts }
        var hasBudgets: Bool { inner.hasBudgets }

        func cost(for coalition: Set<TrustName>) throws -> CoalitionCost {
            try watch(coalition) { try inner.cost(for: coalition) }
        }

        func plan(for coalition: Set<TrustName>) throws -> Plan {
            try watch(coalition) { try inner.plan(for: coalition) }
        }

        func independentCopy() -> (any ProcurementOptimizer)? {
            guard copying, let copy = inner.independentCopy() else { return nil }
            let watching = Watching(copy, copying: false)
            lock.withLock { copies.append(watching) }
            return watching
        }

        func budgetShortfallsBeforeSearch(for coalition: Set<TrustName>) throws -> [BudgetShortfall]? {
            try inner.budgetShortfallsBeforeSearch(for: coalition)
        }

        private func watch<T>(_ coalition: Set<TrustName>, _ answer: () throws -> T) rethrows -> T {
            lock.withLock {
                let subsets = coalition.count < 3 ? [] : coalition.map { coalition.subtracting([$0]) }
                asked.append((coalition, subsets.allSatisfy(answered.contains)))
            }
            let result = try answer()
            lock.withLock { _ = answered.insert(coalition) }
            return result
        }
    }

    static func scenario(budgets: Bool, seed: UInt64 = 11) -> Scenario {
        SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 5, replacementCount: 50, hasBudgets: budgets, seed: seed)
        )
    }

    /// On four workers, whatever order the solves finish in, no coalition is asked for before each of its
    /// coalitions of one trust fewer is solved, and every coalition is solved once. (The joint plan is the
    /// exception: it is solved from each trust's plan alone, first without budgets and on a copy with them.)
    @Test(arguments: [false, true])
    func everyCoalitionWaitsForTheCoalitionsItStartsFrom(budgets: Bool) async throws {
        let watching = Watching(try PurchaseOptimizer(scenario: Self.scenario(budgets: budgets)), copying: true)
        let analysis = try await ProcurementAnalysis.analyse(
            with: watching,
            options: AnalysisOptions(concurrency: 4)
        )
        #expect(analysis.coalitionsEvaluated == 31)
        #expect(watching.copies.count == (budgets ? 1 : 0))
        let late = watching.asked.filter { !$0.afterItsSubsets && $0.coalition.count < 5 }.map { $0.coalition.sorted() }
        #expect(late.isEmpty, "asked before their subsets were solved: \(late)")
        let larger = watching.asked.map(\.coalition).filter { $0.count >= 2 && $0.count < 5 }
        #expect(larger.count == 25)
        #expect(Set(larger).count == 25)
    }

    /// With budgets the joint plan is solved on a copy, never on the optimiser the coalitions are solved on, and
    /// it is the plan of an optimiser asked for each trust alone and then the joint plan, as the analysis did when
    /// it solved the joint plan first; the other coalitions' costs, and so the Shapley split, are unchanged.
    @Test(arguments: [11, 12] as [UInt64])
    func withBudgetsTheJointPlanIsSolvedAlongsideAsItWasFirst(seed: UInt64) async throws {
        let scenario = Self.scenario(budgets: true, seed: seed)
        let watching = Watching(try PurchaseOptimizer(scenario: scenario), copying: true)
        let analysis = try await ProcurementAnalysis.analyse(with: watching)
        let everyone = Set(scenario.trusts)
        #expect(!watching.asked.contains { $0.coalition == everyone })
        let copy = try #require(watching.copies.first)
        #expect(watching.copies.count == 1)
        #expect(copy.asked.map(\.coalition.count) == [5, 5])

        let first = try PurchaseOptimizer(scenario: scenario)
        for trust in scenario.trusts { _ = try first.cost(for: [trust]) }
        let expected = try first.plan(for: everyone)
        #expect(analysis.jointPlan == expected)

        // The same analysis with the joint plan solved first, on the one optimiser.
        let sequential = try await ProcurementAnalysis.analyse(
            with: Watching(try PurchaseOptimizer(scenario: scenario), copying: false)
        )
        #expect(sequential.jointPlan == expected)
        #expect(abs(analysis.savingsGBP.pounds - sequential.savingsGBP.pounds) <= 0.02)
        let shares = try #require(analysis.shapley?.byTrust)
        for (trust, share) in try #require(sequential.shapley?.byTrust) {
            #expect(abs((shares[trust]?.pounds ?? .nan) - share.pounds) <= 0.05, "\(trust)")
        }
        #expect(analysis.unprovedCoalitions == 0)
    }

    /// The same with capacity cover (``CapacityOptimizer``): three trusts whose shortfalls may share mobile units,
    /// under budgets. The joint plan solved on the copy is the plan of an optimiser asked for each trust alone and
    /// then the joint plan, and the analysis the same as with the joint plan solved first.
    @Test(arguments: [104, 105, 106, 107, 113] as [UInt64])
    func withCapacityCoverTheJointPlanIsSolvedAlongsideAsItWasFirst(seed: UInt64) async throws {
        // The enumeration cases' two trusts, and a third with B's replacements, shortfalls and budgets.
        var scenario = CapacityOptimalityTests.scenario(seed: seed, budgets: true)
        scenario.replacements += scenario.replacements.filter { $0.trust == "B" }.map { replacement in
            var copy = replacement
            copy.trust = "C"
            copy.assetID = AssetID("C-" + replacement.assetID.rawValue)
            copy.site = replacement.site.map { _ in "C General" }
            return copy
        }
        scenario.capacity += scenario.capacity.filter { $0.trust == "B" }.map { shortfall in
            var copy = shortfall
            copy.trust = "C"
            return copy
        }
        scenario.budgets += scenario.budgets.filter { $0.trust == "B" }.map { budget in
            var copy = budget
            copy.trust = "C"
            return copy
        }
        try scenario.validate()
        let everyone = Set(scenario.trusts)
        try #require(everyone.count == 3 && !scenario.budgets.isEmpty)
        let watching = Watching(try CapacityOptimizer(scenario: scenario), copying: true)
        let analysis = try await ProcurementAnalysis.analyse(with: watching, options: AnalysisOptions(concurrency: 2))
        #expect(!watching.asked.contains { $0.coalition == everyone })
        #expect(watching.copies.count == 1)
        #expect(watching.copies.first?.asked.map(\.coalition) == [everyone, everyone])

        let first = try CapacityOptimizer(scenario: scenario)
        for trust in scenario.trusts { _ = try first.cost(for: [trust]) }
        let expected = try first.plan(for: everyone)
        #expect(analysis.jointPlan == expected)

        let sequential = try await ProcurementAnalysis.analyse(
            with: try CapacityOptimizer(scenario: scenario),
            options: AnalysisOptions(concurrency: 1)
        )
        #expect(sequential.jointPlan == expected)
        #expect(abs(analysis.savingsGBP.pounds - sequential.savingsGBP.pounds) <= 0.02)
        let shares = try #require(analysis.shapley?.byTrust)
        for (trust, share) in try #require(sequential.shapley?.byTrust) {
            #expect(abs((shares[trust]?.pounds ?? .nan) - share.pounds) <= 0.05, "\(trust)")
        }
        #expect(analysis.unprovedCoalitions == 0)
    }

    /// Budgets the joint plan cannot meet still end the analysis with exit 3 when it is solved on the copy.
    @Test func budgetsTheJointPlanCannotMeetStillEndTheAnalysis() async throws {
        var scenario = Self.scenario(budgets: true)
        scenario.budgets = scenario.budgets.map { budget in
            var tight = budget
            tight.capitalBudgetGBP = GBP(1)
            return tight
        }
        let watching = Watching(try PurchaseOptimizer(scenario: scenario), copying: true)
        await #expect(throws: BudgetsInfeasible.self) { try await ProcurementAnalysis.analyse(with: watching) }
        #expect(watching.copies.count == 1)
    }
}
