import FleetTestSupport
import Foundation
import Testing

/// `--routes` and the demo's funding routes: buying outright reproduces the figures the demo had before routes
/// were offered, to the pound; with routes the demo says what route choice saves, and its workbook recalculates.
@Suite("fleet demo and procure with funding routes")
struct RouteCommandTests {
    private func folder() throws -> URL {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        return folder
    }

    @Test func buyingOutrightReproducesTheDemoWithoutRoutes() throws {
        let folder = try folder()
        let run = try runFleet(["demo", "--routes", "purchase", "--out", "Reports/purchase.xlsx"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        for figure in [
            "Each trust alone                          £42,676,282",
            "Joint plan                                £41,843,691",
            "Savings                                      £832,591",
            "capital paid falls from £30,390,360 to £29,603,325",
            "NPV of joint procurement with optimism bias £901,512",
        ] {
            #expect(run.stdout.contains(figure), "\(figure) missing from \(run.stdout)")
        }
        #expect(!run.stdout.contains("Funding routes:"))
    }

    @Test func theDemoWithRoutesSaysWhatRouteChoiceSavesAndItsWorkbookRecalculates() throws {
        let folder = try folder()
        let run = try runFleet(["demo", "--out", "Reports/routes.xlsx"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("by managed service"))
        #expect(run.stdout.contains("Bought outright under the same budgets it would cost £41,843,691"))
        #expect(run.stdout.contains("route choice saves £"))
        // The demo's capacity outlook is the network's table that `fleet capacity` prints for the same register.
        let capacity = try runFleet(
            ["capacity", "--db", "Reports/demo.sqlite", "--as-of", "2026-11-01", "--by", "network"],
            in: folder
        )
        #expect(capacity.status == 0, "\(capacity.stderr)")
        let outlook = capacity.stdout.split(separator: "\n")
        #expect(outlook.count == 12, "\(capacity.stdout)")
        #expect(outlook.contains { $0.contains("  CT  ") && $0.contains("2030") && !$0.hasSuffix(" 0") })
        for line in outlook { #expect(run.stdout.contains(line), "\(line) missing from \(run.stdout)") }
        #expect(run.stdout.contains("Capacity outlook, demand against capacity in service (feed 2025-11 to 2026-10"))
        // It covers the shortfalls too, before the budgets, partly by mobile units shared between trusts: the cover
        // that `fleet procure --capacity` plans for the same register, line by line.
        let cover = try runFleet(
            ["procure", "--db", "Reports/demo.sqlite", "--as-of", "2026-11-01", "--capacity"],
            in: folder
        )
        #expect(cover.status == 0, "\(cover.stderr)")
        let lines = cover.stdout.split(separator: "\n")
        let first = try #require(lines.firstIndex { $0.hasPrefix("Savings from volume tiers") })
        let last = try #require(lines.firstIndex { $0.hasPrefix("Cover hired while single units are replaced") })
        #expect(lines[first...last].contains { $0.contains("shared mobile") })
        #expect(lines[first...last].contains { $0.hasPrefix("Scans from the shared mobile units") })
        for line in lines[first...last] { #expect(run.stdout.contains(line), "\(line) missing from \(run.stdout)") }
        #expect(run.stdout.contains("Covering the shortfalls too, planned with the replacements before the capital"))
        #expect(run.stdout.contains("`fleet procure --db Reports/demo.sqlite --as-of 2026-11-01 --capacity`"))
        let recalculation = try recalculateWorkbook(at: folder.appendingPathComponent("Reports/routes.xlsx").path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed > 100)

        // The scenario the demo wrote carries the routes; procure reports them per order and assignment.
        let json = try runFleet(["procure", "--scenario", "Reports/demo-scenario", "--format", "json"], in: folder)
        #expect(json.status == 0, "\(json.stderr)")
        // The same plan prints the same figures in every run, to the last digit (each process orders its
        // dictionaries anew, and the optimiser once summed its picks in that order: 3 runs gave 3 outputs).
        for _ in 0..<2 {
            let again = try runFleet(
                ["procure", "--scenario", "Reports/demo-scenario", "--format", "json"],
                in: folder
            )
            #expect(again.stdout == json.stdout, "a second run printed other figures")
        }
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let assignments = try #require(summary["assignments"] as? [[String: Any]])
        #expect(Set(assignments.compactMap { $0["route"] as? String }).isSubset(of: ["purchase", "lease", "mes"]))
        #expect(assignments.contains { $0["route"] as? String == "mes" })
        let capital = try #require(summary["capital_by_trust_year"] as? [[String: Any]])
        #expect(capital.count == 4 * 5)
        let revenue = try #require(summary["revenue_by_trust_year"] as? [[String: Any]])
        #expect(revenue.count == 4 * 10)
        for row in capital {
            if let budget = row["budget_gbp"] as? Double, let used = row["capital_gbp"] as? Double {
                #expect(used <= budget + 0.01)
            }
        }

        let purchase = try runFleet(
            ["procure", "--scenario", "Reports/demo-scenario", "--routes", "purchase", "--format", "json"],
            in: folder
        )
        let bought = try #require(try JSONSerialization.jsonObject(with: Data(purchase.stdout.utf8)) as? [String: Any])
        #expect(abs((bought["joint_cost_gbp"] as? Double ?? 0) - 41_843_691) < 1)
        #expect(((bought["assignments"] as? [[String: Any]]) ?? []).allSatisfy { $0["route"] as? String == "purchase" })
    }

    @Test func anUnknownRouteIsAUsageError() throws {
        let folder = try folder()
        let run = try runFleet(["procure", "--routes", "purchase,rent"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("'rent'"))
    }
}
