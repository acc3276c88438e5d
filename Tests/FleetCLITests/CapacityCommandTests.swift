import FleetTestSupport
import Foundation
import Testing

@Suite("fleet capacity")
struct CapacityCommandTests {
    /// Ashby: a CT-128 scanning 1,600 a month and an MRI with no feed; Barrow: a CT-64 scanning 1,000 a month.
    static let register = """
        asset_id,network,trust,site,modality,class,install_date,criticality,status
        A-CT,North,Ashby,Ashby General,CT,CT-128,2018-01-10,5,in_service
        A-MR,North,Ashby,Ashby General,MR,MR-1.5T,2019-03-01,4,in_service
        B-CT,North,Barrow,Barrow General,CT,CT-64,2020-05-01,4,in_service
        """

    static let feed: String = {
        var lines = ["asset_id,month,scans"]
        for (year, month) in [(2025, 11), (2025, 12)] + (1...10).map({ (2026, $0) }) {
            let m = month < 10 ? "0\(month)" : "\(month)"
            lines.append("A-CT,\(year)-\(m),1600")
            lines.append("B-CT,\(year)-\(m),1000")
        }
        lines.append("A-CT,2026-11,99999")  // as-of's own month: not read
        return lines.joined(separator: "\n")
    }()

    private func importedFolder() throws -> URL {
        let folder = try makeTemporaryDirectory()
        try Self.register.write(to: folder.appendingPathComponent("register.csv"), atomically: true, encoding: .utf8)
        try Self.feed.write(to: folder.appendingPathComponent("feed.csv"), atomically: true, encoding: .utf8)
        #expect(try runFleet(["import", "register", "register.csv"], in: folder).status == 0)
        #expect(try runFleet(["import", "utilisation", "feed.csv"], in: folder).status == 0)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        return folder
    }

    private func rows(_ arguments: [String], in folder: URL) throws -> (rows: [[String: Any]], stderr: String) {
        let run = try runFleet(["capacity", "--as-of", "2026-11-01", "--format", "json"] + arguments, in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        return (rows, run.stderr)
    }

    @Test func jsonRowsHoldDemandCapacityShortfallAndUnitsShortAsComputedByHand() throws {
        let folder = try importedFolder()
        let (rows, stderr) = try rows([], in: folder)
        // Catalog: CT 14 h × 365 = 5,110 planned hours at 85 %, growth 10 % a year; CT-128 4 scans an hour gives
        // 17,374 a year, CT-64 3.5 gives 15,202.25. Years 2026–2030 (appraisal.toml's 5-year horizon).
        let ashby = rows.filter { $0["trust"] as? String == "Ashby" && $0["modality"] as? String == "CT" }
        #expect(ashby.map { $0["year"] as? Int } == [2026, 2027, 2028, 2029, 2030])
        // 2026: 12 × 1,600 = 19,200 against 17,374: short 1,826, one unit. 2030: 19,200 × 1.1^4 = 28,110.72,
        // short 10,736.72, still one CT-128.
        #expect(ashby[0]["demand_scans"] as? Double == 19_200)
        #expect(ashby[0]["capacity_scans"] as? Double == 17_374)
        #expect(ashby[0]["shortfall_scans"] as? Double == 1_826)
        #expect(ashby[0]["units_short"] as? Int == 1)
        #expect(ashby[4]["demand_scans"] as? Double == 28_110.7)
        #expect(ashby[4]["shortfall_scans"] as? Double == 10_736.7)
        #expect(ashby[4]["units_short"] as? Int == 1)
        // Barrow: 12,000 against 15,202.25: none short until 2029 (12,000 × 1.331 = 15,972, short 769.75; 2030:
        // 17,569.2, short 2,366.95, to one decimal 2,367.0).
        let barrow = rows.filter { $0["trust"] as? String == "Barrow" }
        #expect(barrow.map { $0["shortfall_scans"] as? Double } == [0, 0, 0, 769.8, 2_367])
        #expect(barrow.map { $0["units_short"] as? Int } == [0, 0, 0, 1, 1])
        // Ashby's MRI has no feed: demand unknown, named; never taken as 0.
        let mri = try #require(rows.first { $0["modality"] as? String == "MR" })
        #expect(mri["demand_scans"] is NSNull)
        #expect(mri["shortfall_scans"] is NSNull)
        #expect(mri["capacity_scans"] as? Double == 8_687)
        #expect(mri["missing_feed"] as? [String] == ["A-MR"])
        #expect(stderr.contains("No feed in 2025-11–2026-10 for A-MR: demand unknown"))
    }

    @Test func aNetworksShortfallIsTheSumOfItsTrusts() throws {
        let folder = try importedFolder()
        let (rows, _) = try rows(["--by", "network", "--modality", "CT"], in: folder)
        let first = try #require(rows.first)
        #expect(first["network"] as? String == "North")
        #expect(first["trust"] == nil)
        // 19,200 + 12,000 against 17,374 + 15,202.25; Barrow's spare capacity does not serve Ashby.
        #expect(first["demand_scans"] as? Double == 31_200)
        #expect(first["capacity_scans"] as? Double == 32_576.3)
        #expect(first["shortfall_scans"] as? Double == 1_826)
        #expect(first["units_short"] as? Int == 1)
    }

    @Test func theTableShowsEachYearAndSaysWhatItRead() throws {
        let folder = try importedFolder()
        let run = try runFleet(["capacity", "--as-of", "2026-11-01", "--by", "site"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Ashby General"))
        #expect(run.stdout.contains("no feed"))
        #expect(run.stderr.contains("Feed 2025-11 to 2026-10; growth a year CT 10.0 %, MR 9.5 %"))
    }
}
