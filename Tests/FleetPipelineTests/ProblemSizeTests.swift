import FleetCore
import FleetPipeline
import FleetProcurement
import Testing

@Suite("The optimiser's memory guard")
struct ProblemSizeTests {
    /// `count` replacements of `equipmentClass` for each of `trusts`.
    private func scenario(trusts: [String], classes: [String], each count: Int, budgets: Bool = false) -> Scenario {
        var replacements: [Replacement] = []
        for trust in trusts {
            for equipmentClass in classes {
                for unit in 0..<count {
                    replacements.append(
                        Replacement(
                            assetID: AssetID("\(trust)-\(equipmentClass)-\(unit)"),
                            trust: TrustName(trust),
                            equipmentClass: EquipmentClassName(equipmentClass),
                            preferredYear: 2026,
                            earliestYear: 2026,
                            latestYear: 2027,
                            deferCostGBPPerYear: GBP(1),
                            advanceCostGBPPerYear: GBP(1)
                        )
                    )
                }
            }
        }
        return Scenario(
            settings: ScenarioSettings(baseYear: 2026, horizonYears: 2, appraisalYears: 5),
            replacements: replacements,
            offers: [],
            tiers: [],
            budgets: budgets ? trusts.map { Budget(trust: TrustName($0), year: 2026, capitalBudgetGBP: GBP(1e6)) } : []
        )
    }

    /// Exact Shapley: every subset of a class's k trusts keeps one pick per replacement of the subset, 2^(k−1) × the
    /// class's replacements in all (k = 3: the 7 subsets hold each replacement in 4 of them).
    @Test func exactShapleyKeepsEverySubsetsPicks() {
        let size = ProblemSize(
            scenario: scenario(trusts: ["A", "B", "C"], classes: ["CT"], each: 10),
            options: AnalysisOptions(concurrency: 1)
        )
        #expect(size.coalitions == 7)
        #expect(size.keptPicks == 4 * 30)
        #expect(
            size.estimatedBytes == ProblemSize.baseBytes + 120 * ProblemSize.bytesPerKeptPick + 30
                * ProblemSize.bytesPerModelReplacement
        )
        // A class bought by one trust only is kept once per subset holding that trust: 2^0 × its replacements.
        let apart = ProblemSize(
            scenario: scenario(trusts: ["A"], classes: ["CT", "MR"], each: 5),
            options: AnalysisOptions(concurrency: 1)
        )
        #expect(apart.keptPicks == 10)
        // Budgets keep the optimum without them too.
        let budgeted = ProblemSize(
            scenario: scenario(trusts: ["A", "B", "C"], classes: ["CT"], each: 10, budgets: true),
            options: AnalysisOptions(concurrency: 1)
        )
        #expect(budgeted.keptPicks == 2 * 120)
    }

    /// Beyond the exact limit, the sampled orders bound the coalitions: orders × trusts + trusts + 1.
    @Test func sampledShapleyIsBoundedByTheOrders() {
        let trusts = (0..<20).map { "T\($0)" }
        let size = ProblemSize(
            scenario: scenario(trusts: trusts, classes: ["CT"], each: 2),
            options: AnalysisOptions(sampledOrders: 200, concurrency: 2)
        )
        #expect(size.coalitions == 200 * 20 + 21)
        #expect(size.keptPicks == Double(size.coalitions) * 40 / 2)
    }

    @Test func theLimitComesFromTheEnvironmentOrHalfTheMachine() {
        let machine = ProblemSize.memoryLimit(environment: [:], physicalMemory: 16 << 30)
        #expect(machine.bytes == Double(8 << 30))
        #expect(machine.source == "half of this machine's 16 GB of memory")
        let set = ProblemSize.memoryLimit(environment: ["FLEET_MEMORY_LIMIT_MB": "512"], physicalMemory: 16 << 30)
        #expect(set.bytes == 512 * 1_048_576)
        #expect(set.source == "FLEET_MEMORY_LIMIT_MB=512")
        // A value that is not a positive number is ignored.
        #expect(
            ProblemSize.memoryLimit(environment: ["FLEET_MEMORY_LIMIT_MB": "lots"], physicalMemory: 4 << 30).bytes
                == Double(2 << 30)
        )
    }

    @Test func aScenarioOverTheLimitIsRefusedWithASentence() throws {
        let size = ProblemSize(
            scenario: scenario(trusts: (0..<12).map { "T\($0)" }, classes: ["CT"], each: 10_000),
            options: AnalysisOptions(concurrency: 2)
        )
        // 2^11 × 120,000 picks × 64 bytes: about 15 GB.
        #expect(size.estimatedBytes > 15e9)
        do {
            try size.check(against: (8e9, "half of this machine's 16 GB of memory"), network: "North")
            Issue.record("a scenario of about 15 GB passed a limit of 8 GB")
        } catch let error as ProblemTooLarge {
            #expect(error.exitCode == .failure)
            #expect(
                error.description.hasPrefix(
                    "The scenario of North is too large to optimise here: 12 trusts, 120,000 replacements, "
                        + "4,095 coalitions: about"
                )
            )
            #expect(error.description.contains("over the limit of 7.5 GB (half of this machine's 16 GB of memory)"))
        }
        #expect(throws: Never.self) { try size.check(against: (1e12, "a big machine")) }
    }
}
