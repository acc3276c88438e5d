import FleetTestSupport
import Foundation
import Testing

@Suite("Solver faults: infeasible budgets, time limits, scenarios too large, generated files too large")
struct SolverFaultCommandTests {
    /// `trusts` trusts each replacing three CT scanners in 2026–2028 with £1m of capital a year (one scanner a
    /// year): every plan must spread each trust's purchases, so every coalition's budgets bind.
    private func budgetedScenario(trusts: Int, budget: Int = 1_000_000) throws -> URL {
        let folder = try makeTemporaryDirectory()
        let scenario = folder.appendingPathComponent("scenario")
        try FileManager.default.createDirectory(at: scenario, withIntermediateDirectories: true)
        var replacements = [
            "asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,"
                + "advance_cost_gbp_per_year"
        ]
        var budgets = ["trust,year,capital_budget_gbp"]
        for trust in 0..<trusts {
            for unit in 0..<3 {
                replacements.append(
                    "T\(trust)-\(unit),Trust \(trust),CT-128,2026,2026,2028,\(50_000 + 1000 * trust),"
                        + "\(20_000 + 500 * unit)"
                )
            }
            for year in 2026...2028 { budgets.append("Trust \(trust),\(year),\(budget)") }
        }
        let files = [
            "scenario.toml": "base_year = 2026\nhorizon_years = 3\nappraisal_years = 8\n",
            "replacements.csv": replacements.joined(separator: "\n") + "\n",
            "offers.csv": "supplier,class,unit_price_gbp,annual_service_gbp,warranty_years\n"
                + "Alpha,CT-128,900000,90000,1\nBeta,CT-128,880000,95000,2\n",
            "tiers.csv": "supplier,class,min_units,discount\nAlpha,CT-128,4,0.05\nAlpha,CT-128,8,0.10\n"
                + "Beta,CT-128,5,0.06\nBeta,CT-128,12,0.12\n",
            "budgets.csv": budgets.joined(separator: "\n") + "\n",
        ]
        for (name, text) in files {
            try text.write(to: scenario.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Budgets too small for any plan: exit 3, each trust and year that cannot be met named with its shortfall,
    /// nothing on stdout.
    @Test func infeasibleBudgetsExplainThemselves() throws {
        // Three scanners in three years at £500,000 a year: no year can buy one (the cheapest is £880,000).
        let folder = try budgetedScenario(trusts: 2, budget: 500_000)
        let run = try runFleet(["procure", "--scenario", "scenario", "--format", "json"], in: folder)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        for trust in ["Trust 0", "Trust 1"] {
            #expect(run.stderr.contains(trust), "\(run.stderr)")
        }
        #expect(run.stderr.contains("short by"))
        #expect(run.stderr.contains("2026") || run.stderr.contains("2027") || run.stderr.contains("2028"))
    }

    /// A time limit far too short for the analysis: exit 0, status time_limit and a gap; and the gap is honest, as a
    /// run without the limit shows: the optimum lies between the cost reported and that cost less the gap.
    @Test func aTimeLimitReturnsThePlanWithItsGap() throws {
        // 6 trusts: 63 budgeted coalitions, each a CBC solve; 0.01 s is over before the pairs are reached, and
        // past it each coalition keeps the merged plans of smaller ones, with its gap to the bound without budgets.
        let folder = try budgetedScenario(trusts: 6)
        let limited = try runFleet(
            ["procure", "--scenario", "scenario", "--format", "json", "--time-limit", "0.01"],
            in: folder
        )
        #expect(limited.status == 0, "\(limited.stderr)")
        let stopped = try json(limited.stdout)
        #expect(stopped["status"] as? String == "time_limit")
        let gap = try #require(stopped["gap"] as? Double)
        #expect(gap >= 0 && gap < 1)

        let full = try runFleet(["procure", "--scenario", "scenario", "--format", "json"], in: folder)
        #expect(full.status == 0, "\(full.stderr)")
        let optimal = try json(full.stdout)
        #expect(optimal["status"] as? String == "optimal")
        #expect(optimal["gap"] == nil)
        let cost = try #require(stopped["joint_cost_gbp"] as? Double)
        let optimum = try #require(optimal["joint_cost_gbp"] as? Double)
        #expect(cost >= optimum - 0.01, "a time-limited plan cannot beat the optimum")
        #expect(cost * (1 - gap) <= optimum + 0.01, "the gap must hold the optimum")
    }

    /// A scenario estimated to need more memory than the limit is refused before any solve, saying where the limit
    /// comes from (FLEET_MEMORY_LIMIT_MB here, so that the test does not depend on this machine's memory).
    @Test func aScenarioTooLargeForTheMachineIsRefusedBeforeAnySolve() throws {
        let folder = try budgetedScenario(trusts: 6)
        let run = try runFleet(
            ["procure", "--scenario", "scenario", "--format", "json"],
            in: folder,
            environment: ["FLEET_MEMORY_LIMIT_MB": "16"]
        )
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr.hasPrefix("The scenario is too large to optimise here: 6 trusts, 18 replacements, 63 coalitions")
        )
        #expect(run.stderr.contains("over the limit of 16 MB (FLEET_MEMORY_LIMIT_MB=16)"))
        let help = try runFleet(["procure", "--help"], in: folder)
        #expect(help.stdout.contains("FLEET_MEMORY_LIMIT_MB"))
    }

    /// `fleet generate` refuses a feed too large before writing anything.
    @Test func aGeneratedFeedTooLargeIsRefusedBeforeWriting() throws {
        let folder = try makeTemporaryDirectory()
        let run = try runFleet(
            [
                "generate", "--assets", "10000000", "--months", "240", "--out", "out", "--catalog",
                packageRoot.appendingPathComponent("Catalog").path,
            ],
            in: folder
        )
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stderr.contains("nothing was written"))
        #expect(run.stderr.contains("2,400,000,000 utilisation records"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        let trusts = try runFleet(["generate", "--trusts", "5000", "--out", "out"], in: folder)
        #expect(trusts.status == 1)
        #expect(trusts.stderr.contains("--trusts must be from 1 to 1000"))
    }

    /// Run from a folder without the Catalog: exit 2 before any work, saying where fleet looked and what to do, and
    /// nothing is created.
    @Test(arguments: [
        ["rank"], ["demo"], ["generate", "--trusts", "2", "--networks", "1", "--assets", "10", "--out", "out"],
    ])
    func aMissingCatalogFolderSaysWhereItLooked(arguments: [String]) throws {
        let folder = try makeTemporaryDirectory()
        let run = try runFleet(arguments, in: folder)
        #expect(run.status == 2)
        #expect(run.stderr.contains("Catalog: is not a folder (looked for "), "\(run.stderr)")
        #expect(run.stderr.contains("or give --catalog DIR"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Days the calendar arithmetic cannot hold are refused as usage errors, not crashes.
    @Test(arguments: ["9999-12-31", "0001-01-01", "1899-12-31"])
    func anAsOfOutsideTheScenarioYearsIsAUsageError(day: String) throws {
        let folder = try makeTemporaryDirectory()
        let run = try runFleet(["rank", "--as-of", day], in: folder)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("out of range"))
    }
}
