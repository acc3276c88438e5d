import FleetCore
import FleetProcurement
import Foundation
import Testing

/// Budgets a capacity plan cannot meet, found before any search by each trust's capital floor, with the units a
/// plan may add counted in its orders' tiers (spec: "an added unit ... counts in its order's tier quantity").
@Suite("Capacity cover under budgets: the capital floor")
struct CapacityBudgetFloorTests {
    /// Trust A replaces one CT (£1,000,000 list, 2026 only) under a 2026 capital budget of `budgetA`; trust B,
    /// without budgets, is short 5,000 CT scans a year. Two units in one order take 30 % off each: alone A pays
    /// £1,000,000 (a second unit of its own would cost it £1,400,000); with B adding a fixed unit to the order A pays
    /// £700,000.
    static func scenario(budgetA: Double) -> Scenario {
        Scenario(
            settings: ScenarioSettings(
                baseYear: 2026,
                horizonYears: 2,
                appraisalYears: 4,
                outsourcingGBPPerScan: GBP(20),
                mobileRelocationLoss: 0.1
            ),
            replacements: [
                Replacement(
                    assetID: "A-CT",
                    trust: "A",
                    equipmentClass: "CT-F",
                    preferredYear: 2026,
                    earliestYear: 2026,
                    latestYear: 2026,
                    deferCostGBPPerYear: .zero,
                    advanceCostGBPPerYear: .zero
                )
            ],
            offers: [alphaCT],
            tiers: alphaCTTiers,
            budgets: [Budget(trust: "A", year: 2026, capitalBudgetGBP: GBP(budgetA))],
            capacity: CapacityOptimalityTests.years.map {
                CapacityShortfall(trust: "B", modality: .ct, year: $0, shortfallScans: 5_000)
            },
            classes: [
                CapacityClass(equipmentClass: "CT-F", modality: .ct, capacityScansPerYear: 10_000, isMobile: false)
            ]
        )
    }

    /// Alpha's CT at £1,000,000 list, £80,000 a year of service after a year's warranty.
    static let alphaCT = Offer(
        supplier: "Alpha",
        equipmentClass: "CT-F",
        unitPriceGBP: GBP(1_000_000),
        annualServiceGBP: GBP(80_000),
        warrantyYears: 1
    )

    /// Two units in one order of Alpha's CT take 30 % off each.
    static let alphaCTTiers = [Tier(supplier: "Alpha", equipmentClass: "CT-F", minimumUnits: 2, discount: 0.3)]

    /// With £750,000, A alone overruns by £250,000; together, B's added unit (dearer than outsourcing its scans)
    /// brings A's price to £700,000. A floor that counted only the replacements in the order would have declared
    /// the pair out of reach.
    @Test func aUnitAnotherTrustAddsCanBringABudgetWithinReach() async throws {
        let scenario = Self.scenario(budgetA: 750_000)
        try scenario.validate()
        let optimizer = try CapacityOptimizer(scenario: scenario)
        let joint = try optimizer.plan(for: ["A", "B"])
        #expect(!joint.isBudgetRelaxed)
        #expect(joint.additions.map(\.trust) == ["B"])
        // The replacement and the added unit, one order of two.
        #expect(joint.assignments.count == 2)
        #expect(joint.assignments.allSatisfy { agree($0.unitPricePaidGBP.pounds, 700_000) })
        #expect(
            agree(joint.totalCostGBP.pounds, CapacityBruteForce(scenario: scenario).coalitionCost(["A", "B"]).cost)
        )

        let alone = try optimizer.plan(for: ["A"])
        #expect(alone.isBudgetRelaxed)
        #expect(try optimizer.cost(for: ["A"]).isBudgetRelaxed)
        #expect(alone.budgetShortfalls.count == 1)
        #expect(alone.budgetShortfalls.allSatisfy { agree($0.shortfallGBP.pounds, 250_000) })

        let analysis = try await ProcurementAnalysis.analyse(with: try CapacityOptimizer(scenario: scenario))
        #expect(!analysis.jointPlan.isBudgetRelaxed)
    }

    /// With £500,000, A overruns by at least £200,000 whatever the network buys: the analysis ends (exit 3) on the
    /// floor, with A's 2026 overrun at the price of the largest order any plan could place.
    @Test func budgetsNoPlanCanMeetEndTheAnalysisWithTheirOverruns() async throws {
        let scenario = Self.scenario(budgetA: 500_000)
        try scenario.validate()
        let optimizer = try CapacityOptimizer(scenario: scenario)
        #expect(try optimizer.budgetShortfallsBeforeSearch(for: ["A"]) == nil)
        let shortfalls = try #require(try optimizer.budgetShortfallsBeforeSearch(for: ["A", "B"]))
        #expect(shortfalls.map(\.trust) == ["A"])
        #expect(shortfalls.map(\.year) == [2026])
        #expect(shortfalls.allSatisfy { agree($0.shortfallGBP.pounds, 200_000) })
        #expect(try optimizer.plan(for: ["A", "B"]).budgetShortfalls == shortfalls)

        await #expect {
            _ = try await ProcurementAnalysis.analyse(with: try CapacityOptimizer(scenario: scenario))
        } throws: { error in
            guard let infeasible = error as? BudgetsInfeasible else { return false }
            return infeasible.shortfalls == shortfalls && infeasible.exitCode == .infeasible
                && infeasible.description.contains("A in 2026: capital short by £200,000")
        }
    }

    /// Budgets proved out of reach whose least overruns the time limit left unsized still say what happened.
    @Test func budgetsOutOfReachWithoutSizedOverrunsSaySo() {
        let description = BudgetsInfeasible(trusts: ["A", "B"], shortfalls: []).description
        #expect(description.hasPrefix("The budgets of A, B cannot be met"))
        #expect(description.contains("--time-limit"))
        #expect(!description.contains("  "))
    }
}
