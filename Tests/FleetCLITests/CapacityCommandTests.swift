import FleetCore
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

    /// A decommissioned unit's scans are demand (spec: "whatever their status now"), in `fleet capacity` and in the
    /// shortfalls `fleet scenario export --capacity` writes alike.
    @Test func theExportedShortfallCountsADecommissionedUnitsScans() throws {
        let folder = try importedFolder()
        let register = Self.register.replacingOccurrences(
            of: "A-MR,North,Ashby,Ashby General,MR,MR-1.5T,2019-03-01,4,in_service",
            with: "A-OLD,North,Ashby,Ashby General,CT,CT-64,2012-01-10,3,decommissioned"
        )
        try register.write(to: folder.appendingPathComponent("register.csv"), atomically: true, encoding: .utf8)
        let feed = (["asset_id,month,scans"] + (1...10).map { "A-OLD,2026-\($0 < 10 ? "0" : "")\($0),500" })
        try feed.joined(separator: "\n").write(
            to: folder.appendingPathComponent("old.csv"),
            atomically: true,
            encoding: .utf8
        )
        #expect(try runFleet(["import", "register", "register.csv"], in: folder).status == 0)
        #expect(try runFleet(["import", "utilisation", "old.csv"], in: folder).status == 0)
        // Ashby's CT demand in 2026: 12 × 1,600 + 10 × 500 = 24,200 against the one CT-128 in service, 17,374.
        let (rows, _) = try rows(["--modality", "CT"], in: folder)
        let ashby = try #require(rows.first { $0["trust"] as? String == "Ashby" && $0["year"] as? Int == 2026 })
        #expect(ashby["demand_scans"] as? Double == 24_200)
        #expect(ashby["shortfall_scans"] as? Double == 6_826)
        let export = try runFleet(
            ["scenario", "export", "scenario", "--as-of", "2026-11-01", "--capacity"],
            in: folder
        )
        #expect(export.status == 0, "\(export.stderr)")
        let shortfalls = try String(contentsOf: folder.appendingPathComponent("scenario/capacity.csv"), encoding: .utf8)
        #expect(shortfalls.contains("Ashby,CT,2026,6826\n"), "\(shortfalls)")
    }

    /// `fleet report --capacity`: the workbook's Capacity sheet holds each trust's demand and capacity as `fleet
    /// capacity` prints them, the plan leaves no shortfall uncovered, and every formula recalculates.
    @Test func theReportsCapacitySheetShowsDemandCapacityAndCover() throws {
        let folder = try importedFolder()
        let run = try runFleet(["report", "--as-of", "2026-11-01", "--capacity", "--out", "case.xlsx"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let path = folder.appendingPathComponent("case.xlsx").path
        // Ashby CT 2026 on row 5: 19,200 demanded against 17,374, short 1,826.
        let cells = ["A5", "B5", "C5", "D5", "E5", "G5"].map { "Capacity!\($0)" }
        let description = try describeWorkbook(at: path, cells: cells, finding: ["Left uncovered (scans)"])
        #expect(description.sheets.contains("Capacity"))
        func cached(_ cell: String) -> JSONValue? {
            let found = description.cells["Capacity!\(cell)"]
            return found?.type == "formula" ? found?.cached : found?.value
        }
        #expect(cached("A5") == .string("Ashby"))
        #expect(cached("B5") == .string("CT"))
        #expect(cached("C5") == .number(2026))
        #expect(cached("D5") == .number(19_200))
        #expect(cached("E5") == .number(17_374))
        #expect(cached("G5") == .number(1_826))
        let recalculation = try recalculateWorkbook(at: path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        let uncovered = try runPython(
            """
            import openpyxl, sys
            sheet = openpyxl.load_workbook(sys.argv[1], data_only=True)["Capacity"]
            column = [c.column for c in sheet[4] if c.value == "Left uncovered (scans)"][0]
            print(sum(1 for row in sheet.iter_rows(min_row=5) if (row[column - 1].value or 0) > 0.5))
            """,
            arguments: [path]
        )
        #expect(uncovered.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // The Summary states the shortfall and its cover: each the sum of its Capacity column, read back here.
        let summary = try runPython(
            """
            import openpyxl, sys
            book = openpyxl.load_workbook(sys.argv[1], data_only=True)
            capacity = book["Capacity"]
            def total(title):
                column = [c.column for c in capacity[4] if c.value == title][0]
                total = 0
                for row in capacity.iter_rows(min_row=5):
                    if row[0].value is None:
                        return total
                    total += row[column - 1].value or 0
                return total
            figures = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=4) if row[0].value}
            for label, title in [("Capacity shortfall to the end of the appraisal (scans)", "Shortfall (scans)"),
                                 ("Scans outsourced", "Outsourced (scans)")]:
                print(label, abs(figures[label] - total(title)) < 0.01)
            print("Ashby's CT short in 2026", figures["Capacity shortfall to the end of the appraisal (scans)"] >= 1826)
            """,
            arguments: [path]
        )
        #expect(
            summary
                == "Capacity shortfall to the end of the appraisal (scans) True\nScans outsourced True\n"
                + "Ashby's CT short in 2026 True\n",
            "\(summary)"
        )
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
        // A modality the catalog plans no capacity for gives an empty table, and says why.
        let ultrasound = try runFleet(["capacity", "--as-of", "2026-11-01", "--modality", "Ultrasound"], in: folder)
        #expect(ultrasound.status == 0, "\(ultrasound.stderr)")
        #expect(
            ultrasound.stderr.contains(
                "US has no table in Catalog/capacity.toml, so its capacity is not planned (planned: CT, MR)."
            ),
            "\(ultrasound.stderr)"
        )
        #expect(!run.stderr.contains("has no table"))
    }
}

@Suite("fleet procure with capacity cover")
struct ProcureCapacityCommandTests {
    /// Two trusts each short 5,000 CT scans in 2026 and 2027; a fixed CT-F (10,000 scans, £900,000) or a mobile
    /// CT-M (12,000 × 0.9, £1,100,000); outsourcing £200 a scan. Ashby also replaces a CT-F at a site with one CT.
    static let files: [String: String] = [
        "scenario.toml": """
        base_year = 2026
        horizon_years = 2
        appraisal_years = 4
        discount_rate = 0.035
        outsourcing_gbp_per_scan = 200
        mobile_relocation_loss = 0.1
        """,
        "replacements.csv": """
        asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,advance_cost_gbp_per_year,site,site_units,cover_cost_gbp
        A1,Ashby,CT-F,2027,2027,2027,0,0,Ashby General,1,48000
        """,
        "offers.csv": """
        supplier,class,unit_price_gbp,annual_service_gbp,warranty_years
        Alpha,CT-F,900000,90000,1
        Alpha,CT-M,1100000,110000,1
        """,
        "tiers.csv": "supplier,class,min_units,discount",
        "capacity.csv": """
        trust,modality,year,shortfall_scans
        Ashby,CT,2026,5000
        Ashby,CT,2027,5000
        Barrow,CT,2026,5000
        Barrow,CT,2027,5000
        """,
        "classes.csv": """
        class,modality,capacity_scans_per_year,mobile
        CT-F,CT,10000,false
        CT-M,CT,12000,true
        """,
    ]

    @Test func theJointPlanSharesOneMobileUnitAndSaysWhatSharingSaved() throws {
        let folder = try makeTemporaryDirectory()
        for (name, text) in Self.files {
            try (text + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let run = try runFleet(["procure", "--scenario", ".", "--format", "json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let capacity = try #require(summary["capacity"] as? [String: Any])
        let additions = try #require(capacity["additions"] as? [[String: Any]])
        #expect(additions.map { $0["class"] as? String } == ["CT-M"])
        #expect(additions.first?["site"] as? String == "shared mobile")
        #expect(additions.first?["year"] as? Int == 2026)
        #expect(additions.first?["supplier"] as? String == "Alpha")
        #expect((capacity["outsourcing"] as? [Any])?.isEmpty == true)
        // Cover: £48,000 in 2027, discounted by 1.035.
        #expect(abs((capacity["discounted_cover_gbp"] as? Double ?? 0) - 48_000 / 1.035) < 0.01)
        // Alone each trust adds a CT-F; together one CT-M: all the savings are capacity sharing. Service after the
        // one-year warranty in 2027–2029: S = 1/1.035 + 1/1.035² + 1/1.035³.
        let service = (1...3).reduce(0.0) { $0 + pow(1.035, -Double($1)) }
        let savings = try #require(summary["savings_gbp"] as? Double)
        #expect(abs(savings - (2 * (900_000 + 90_000 * service) - (1_100_000 + 110_000 * service))) < 0.01)
        #expect(abs((capacity["savings_from_capacity_sharing_gbp"] as? Double ?? 0) - savings) < 0.01)
        #expect(abs(capacity["savings_from_volume_tiers_gbp"] as? Double ?? 1) < 0.01)
        let table = try runFleet(["procure", "--scenario", "."], in: folder)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Units added to cover shortfalls:"))
        #expect(table.stdout.contains("shared mobile"))
        #expect(table.stdout.contains("Scans from the shared mobile units:"))
        // Each trust takes its 5,000 scans a year in 2026 and 2027: one row each, not two.
        let shareRows = table.stdout.split(separator: "\n").filter { $0.contains("  CT  ") && $0.contains("2026–2027") }
        #expect(shareRows.count == 2, "\(table.stdout)")
        #expect(shareRows.allSatisfy { $0.hasSuffix("5,000 a year") }, "\(table.stdout)")
        #expect(table.stdout.contains("Cover hired while single units are replaced"))
        // Every amount is printed as an amount, never as the source text of one.
        #expect(!table.stdout.contains("\\("), "\(table.stdout)")
        #expect(table.stdout.contains("Savings from volume tiers £0, from sharing capacity \(GBP.format(savings))"))
        #expect(table.stdout.contains("Cover hired while single units are replaced: \(GBP.format(48_000 / 1.035))"))
    }
}
