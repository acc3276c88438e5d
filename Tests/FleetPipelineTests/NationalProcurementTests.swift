import FleetCore
import FleetPipeline
import FleetProcurement
import Foundation
import Testing

/// Networks solved at once (`fleet report` and `fleet demo --national` on a national register).
@Suite("National procurement, networks solved at once")
struct NationalProcurementTests {
    /// Four small networks of 3–4 trusts each.
    static let networks: [(name: NetworkName?, scenario: Scenario)] = (0..<4).map { index in
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 3 + index % 2, replacementCount: 24, seed: UInt64(index + 1))
        )
        return (name: index == 3 ? nil : NetworkName("Network \(index + 1)"), scenario: scenario)
    }

    /// The trusts that replace units in `scenario`.
    static func trusts(of scenario: Scenario) -> Set<TrustName> { Set(scenario.replacements.map(\.trust)) }

    @Test func networksSolvedAtOnceGiveEachNetworksOwnAnalysisInPlanningOrder() async throws {
        let together = try await NationalProcurement.solve(Self.networks, timeLimitSeconds: nil, concurrency: 2)
        #expect(together.networks.map(\.name) == Self.networks.map(\.name))
        for (network, solved) in zip(Self.networks, together.networks) {
            let alone = try await NetworkPlanning.analyse(network.scenario, timeLimitSeconds: nil)
            #expect(solved.scenario == network.scenario)
            #expect(abs(solved.analysis.jointCostGBP.pounds - alone.jointCostGBP.pounds) <= 0.01)
            #expect(abs(solved.analysis.standaloneCostGBP.pounds - alone.standaloneCostGBP.pounds) <= 0.01)
            #expect(solved.analysis.coalitionsEvaluated == alone.coalitionsEvaluated)
            #expect(solved.analysis.status == .optimal)
        }
        let oneAtATime = try await NationalProcurement.solve(Self.networks, timeLimitSeconds: nil, concurrency: 1)
        #expect(abs(oneAtATime.savingsGBP.pounds - together.savingsGBP.pounds) <= 0.01)
        #expect(together.trustCount == Self.networks.reduce(0) { $0 + Self.trusts(of: $1.scenario).count })
    }

    @Test func theEarliestFailingNetworkInPlanningOrderIsTheErrorThrown() async throws {
        var networks = Self.networks
        // Budgets of £1 a trust-year: no joint plan can meet them (exit 3), in the second and fourth networks.
        for index in [1, 3] {
            var scenario = networks[index].scenario
            scenario.budgets = Self.trusts(of: scenario).sorted().flatMap { trust in
                scenario.settings.decisionYears.map { Budget(trust: trust, year: $0, capitalBudgetGBP: GBP(1)) }
            }
            networks[index].scenario = scenario
        }
        for concurrency in [1, 2, 4] {
            do {
                _ = try await NationalProcurement.solve(networks, timeLimitSeconds: nil, concurrency: concurrency)
                Issue.record("budgets no plan meets were accepted")
            } catch let failure as BudgetsInfeasible {
                #expect(Set(failure.trusts) == Self.trusts(of: networks[1].scenario), "concurrency \(concurrency)")
            }
        }
    }
}
