import FleetTestSupport
import Foundation
import Testing

@Suite("fleet rank and fleet age-profile")
struct RankCommandTests {
    /// Six units in service of two trusts; at as-of 2026-11-01 their completed ages are 5 (0–5), 10 (6–10),
    /// 11 (over 10), 6 (6–10), 10 for a unit installed on 29 February 2016 (6–10), and 16 for an X-ray room past
    /// its class's 14-year maximum life (over 10). One unit is decommissioned.
    static let register = """
        asset_id,network,trust,site,modality,class,install_date,end_of_support,criticality,status
        A-CT,North,Ashby,Ashby General,CT,CT-128,2020-11-02,2030-01-01,5,in_service
        A-MR,North,Ashby,Ashby General,MR,MR-1.5T,2016-11-01,2024-06-30,4,in_service
        A-XR,North,Ashby,Ashby CDC,XR,XR-DR,2015-11-01,,2,in_service
        B-US,North,Barrow,Barrow General,US,US-GEN,2020-10-31,2027-01-01,1,in_service
        B-NM,North,Barrow,Barrow General,NM,NM-SPECT,2016-02-29,,3,in_service
        B-XR,North,Barrow,Barrow CDC,XR,XR-DR,2010-01-01,2035-01-01,1,in_service
        B-OLD,North,Barrow,Barrow General,CT,CT-64,2001-01-01,,3,decommissioned
        """

    static let feed: String = {
        var lines = ["asset_id,month,scans,available_hours,downtime_hours,breakdowns,service_cost_gbp"]
        for month in 1...12 {
            let m = month < 10 ? "0\(month)" : "\(month)"
            lines.append("A-CT,2025-\(m),1500,360,4,0,7000")
            lines.append("A-MR,2025-\(m),500,360,30,2,12000")
        }
        return lines.joined(separator: "\n")
    }()

    private func importedFolder() throws -> URL {
        let folder = try makeTemporaryDirectory()
        try Self.register.write(to: folder.appendingPathComponent("register.csv"), atomically: true, encoding: .utf8)
        try Self.feed.write(to: folder.appendingPathComponent("feed.csv"), atomically: true, encoding: .utf8)
        let catalog = packageRoot.appendingPathComponent("Catalog").path
        #expect(try runFleet(["import", "register", "register.csv"], in: folder).status == 0)
        #expect(try runFleet(["import", "utilisation", "feed.csv"], in: folder).status == 0)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: catalog
        )
        return folder
    }

    @Test func everyScoreIsTheWeightedMeanOfItsPrintedCriteria() throws {
        let folder = try importedFolder()
        let run = try runFleet(["rank", "--as-of", "2026-11-01", "--explain", "--format", "json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let units = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(units.count == 6, "the decommissioned unit is left out")
        var previous = Double.infinity
        for unit in units {
            let criteria = try #require(unit["criteria"] as? [[String: Any]])
            #expect(
                criteria.map { $0["name"] as? String } == [
                    "age", "utilisation", "reliability", "maintenance", "support", "criticality",
                ]
            )
            let weights = criteria.map { $0["weight"] as? Double ?? .nan }
            let scores = criteria.map { $0["score"] as? Double ?? .nan }
            #expect(scores.allSatisfy { (0...1).contains($0) })
            let mean = 100 * zip(weights, scores).map(*).reduce(0, +) / weights.reduce(0, +)
            let score = try #require(unit["score"] as? Double)
            #expect(abs(score - mean) < 1e-9, "\(unit["asset_id"] ?? "")")
            #expect(score <= previous, "highest priority first")
            previous = score
        }
        let mr = try #require(units.first { $0["asset_id"] as? String == "A-MR" })
        let raw = Dictionary(
            uniqueKeysWithValues: (mr["criteria"] as? [[String: Any]] ?? []).map {
                ($0["name"] as? String ?? "", $0["raw"] as? Double)
            }
        )
        // 360 available hours and 30 hours down a month: uptime 1 − 360/4320.
        #expect(abs((raw["reliability"] ?? 0)! - (1 - 30.0 / 360)) < 1e-12)
        // Twelve months of £12,000 against the catalog's MR-1.5T replacement cost of £1,000,000.
        #expect(abs((raw["maintenance"] ?? 0)! - 0.144) < 1e-12)
        #expect(abs((raw["age"] ?? 0)! - 10) < 1e-12, "installed 2016-11-01, ten years to the day")
        #expect(raw["criticality"] == 4)
    }

    @Test func topAndTrustNarrowTheList() throws {
        let folder = try importedFolder()
        let top = try runFleet(["rank", "--as-of", "2026-11-01", "--top", "2", "--format", "csv"], in: folder)
        #expect(top.status == 0)
        #expect(top.stdout.split(separator: "\n").count == 3)
        let barrow = try runFleet(
            ["rank", "--as-of", "2026-11-01", "--trust", "barrow", "--format", "json"],
            in: folder
        )
        let units = try #require(try JSONSerialization.jsonObject(with: Data(barrow.stdout.utf8)) as? [[String: Any]])
        #expect(Set(units.compactMap { $0["asset_id"] as? String }) == ["B-US", "B-NM", "B-XR"])
    }

    @Test func explainNamesEveryCriterionAndTheRuleThatRaisedTheBand() throws {
        let folder = try importedFolder()
        let run = try runFleet(["rank", "--as-of", "2026-11-01", "--explain"], in: folder)
        #expect(run.status == 0)
        for criterion in ["age", "utilisation", "reliability", "maintenance", "support", "criticality"] {
            #expect(run.stdout.contains("\n\(criterion) "), "\(criterion) is not explained")
        }
        #expect(run.stdout.contains("no utilisation record"), "missing feed data is said, not read as zero risk")
        // B-XR scores in the plan band but is past its class's maximum life: the rule raises the band.
        let xr = try #require(run.stdout.components(separatedBy: "\n\n").first { $0.hasPrefix("B-XR") })
        #expect(xr.contains("band: Replace now, raised from Plan (3–5 years) by rule past_maximum_life"), "\(xr)")
    }

    @Test func tableFitsInEightyColumns() throws {
        let folder = try importedFolder()
        let run = try runFleet(["rank", "--as-of", "2026-11-01"], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(run.stdout.contains("11.0*"), "the unit past its expected life is marked")
    }

    @Test func ageProfileMatchesAHandCount() throws {
        let folder = try importedFolder()
        let run = try runFleet(
            ["age-profile", "--as-of", "2026-11-01", "--by", "trust", "--format", "json"],
            in: folder
        )
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let byGroup = Dictionary(uniqueKeysWithValues: rows.map { ($0["group"] as? String ?? "", $0) })
        // Ashby: 5 (0–5), 10 (6–10), 11 (over 10). Barrow: 6 and 10 (6–10), 16 (over 10); the decommissioned
        // unit is out.
        let ashby = try #require(byGroup["Ashby"])
        #expect(ashby["units"] as? Int == 3)
        #expect(ashby["share_0_5"] as? Double == 1.0 / 3)
        #expect(ashby["share_6_10"] as? Double == 1.0 / 3)
        #expect(ashby["share_over_10"] as? Double == 1.0 / 3)
        #expect(ashby["meets_rule"] as? Bool == false)
        let barrow = try #require(byGroup["Barrow"])
        #expect(barrow["units"] as? Int == 3)
        #expect(barrow["share_6_10"] as? Double == 2.0 / 3)
        #expect(barrow["share_over_10"] as? Double == 1.0 / 3)
        let all = try #require(byGroup["All units"])
        #expect(all["units"] as? Int == 6)
        #expect(all["share_0_5"] as? Double == 1.0 / 6)
        #expect(all["share_over_10"] as? Double == 2.0 / 6)
        let table = try runFleet(["age-profile", "--as-of", "2026-11-01"], in: folder)
        #expect(table.stdout.contains("✗ breaks"))
    }
}
