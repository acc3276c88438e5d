import Foundation
import Testing

/// `fleet procure` end to end: the built binary on scenario folders written here.
@Suite("fleet procure")
struct ProcureCommandTests {
    static let files: [String: String] = [
        "scenario.toml": "base_year = 2026\nhorizon_years = 3\nappraisal_years = 8\n",
        "replacements.csv": """
        asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,advance_cost_gbp_per_year
        N1,North Trust,CT-128,2027,2026,2028,50000,20000
        N2,North Trust,CT-128,2026,2026,2027,80000,10000
        S1,South Trust,CT-128,2027,2027,2028,40000,15000
        S2,South Trust,MR-1.5T,2028,2027,2028,40000,15000
        E1,East Trust,CT-128,2028,2027,2028,30000,15000

        """,
        "offers.csv": """
        supplier,class,unit_price_gbp,annual_service_gbp,warranty_years
        Alpha,CT-128,900000,90000,1
        Beta,CT-128,870000,95000,2
        Alpha,MR-1.5T,1000000,100000,1

        """,
        "tiers.csv": """
        supplier,class,min_units,discount
        Alpha,CT-128,2,0.05
        Alpha,CT-128,4,0.10
        Beta,CT-128,3,0.06

        """,
    ]

    func scenario(_ changes: [String: String] = [:]) throws -> URL {
        let directory = try makeTemporaryDirectory()
        let folder = directory.appendingPathComponent("scenario")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in Self.files.merging(changes, uniquingKeysWith: { $1 }) {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return directory
    }

    @Test func printsJointAgainstAloneAndTheOrders() throws {
        let run = try runFleet(["procure", "--scenario", "scenario"], in: try scenario())
        #expect(run.status == 0, "\(run.stderr)")
        for words in [
            "Joint plan:", "Each trust alone:", "Savings:", "Shapley value", "North Trust", "South Trust",
            "East Trust", "Orders of the joint plan", "Alpha", "CT-128", "proved optimal",
        ] {
            #expect(run.stdout.contains(words), "table lacks \(words)")
        }
        #expect(run.stdout.contains("£"))
    }

    @Test func jsonHasTheSpecKeysAndSharesAddUpToTheSavings() throws {
        let run = try runFleet(
            ["procure", "--scenario", "scenario", "--format", "json", "--allocation", "proportional"],
            in: try scenario()
        )
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "optimal")
        let savings = try #require(object["savings_gbp"] as? Double)
        let joint = try #require(object["joint_cost_gbp"] as? Double)
        let alone = try #require(object["standalone_cost_gbp"] as? Double)
        #expect(abs(alone - joint - savings) < 0.01)
        #expect(savings > 0)
        let allocation = try #require(object["allocation"] as? [String: Any])
        #expect(allocation["method"] as? String == "proportional")
        let shares = try #require(allocation["by_trust"] as? [String: Double])
        #expect(Set(shares.keys) == ["North Trust", "South Trust", "East Trust"])
        #expect(abs(shares.values.reduce(0, +) - savings) < 0.01)
        let byTrust = try #require(object["standalone_by_trust"] as? [String: Double])
        #expect(abs(byTrust.values.reduce(0, +) - alone) < 0.01)
        #expect((object["assignments"] as? [[String: Any]])?.count == 5)
        let units = (object["orders"] as? [[String: Any]])?.compactMap { $0["units"] as? Int }.reduce(0, +)
        #expect(units == 5)
    }

    @Test func aMalformedScenarioExitsTwoNamingFileLineAndColumn() throws {
        var replacements = Self.files["replacements.csv"]!
        replacements = replacements.replacingOccurrences(
            of: "S1,South Trust,CT-128,2027,2027,2028",
            with: "S1,South Trust,CT-128,2027,2029,2028"
        )
        let run = try runFleet(
            ["procure", "--scenario", "scenario"],
            in: try scenario(["replacements.csv": replacements])
        )
        #expect(run.status == 2)
        #expect(run.stderr.contains("replacements.csv:4"))
        #expect(run.stderr.contains("earliest_year"))
        #expect(run.stdout.isEmpty)
    }

    @Test func budgetsThatCannotBeMetExitThreeNamingTrustYearAndShortfall() throws {
        // North's N2 must be bought in 2026 or 2027 and nothing costs less than £870,000.
        let budgets = "trust,year,capital_budget_gbp\nNorth Trust,2026,0\nNorth Trust,2027,500000\n"
        let run = try runFleet(["procure", "--scenario", "scenario"], in: try scenario(["budgets.csv": budgets]))
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("North Trust in 2027: capital short by"))
        #expect(run.stderr.contains("budget £500,000"))
        #expect(run.stdout.isEmpty)
    }

    @Test func withoutAScenarioOrARegisterItSaysToImportOne() throws {
        let run = try runFleet(["procure"], in: try makeTemporaryDirectory())
        #expect(run.status == 4)
        #expect(run.stderr.contains("fleet.sqlite"))
        #expect(run.stderr.contains("fleet import register"))
    }

    @Test func aMissingScenarioFolderIsInvalidInput() throws {
        let run = try runFleet(["procure", "--scenario", "nowhere"], in: try makeTemporaryDirectory())
        #expect(run.status == 2)
        #expect(run.stderr.contains("nowhere"))
    }
}
