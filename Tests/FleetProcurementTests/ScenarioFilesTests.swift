import FleetCore
import FleetProcurement
import Foundation
import Testing

@Suite("Scenario files")
struct ScenarioFilesTests {
    /// A small valid scenario, as a planner would type it.
    static let files: [String: String] = [
        "scenario.toml": """
        # A test network
        base_year = 2026
        horizon_years = 3
        appraisal_years = 8
        discount_rate = 0.035
        """,
        "replacements.csv": """
        asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,advance_cost_gbp_per_year
        A1,North Trust,CT-128,2027,2026,2028,50000,20000
        A2,North Trust,MR-1.5T,2026,2026,2027,80000,10000
        A3,South Trust,CT-128,2027,2027,2028,"£40,000",15000
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
        Alpha,CT-128,4,10%
        Beta,CT-128,2,0.04
        """,
        "budgets.csv": """
        trust,year,capital_budget_gbp
        North Trust,2026,2000000
        South Trust,2027,1000000
        """,
    ]

    static func folder(_ files: [String: String] = files) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try Data((text + "\n").utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    @Test func readsTheSpecFormat() throws {
        let scenario = try ScenarioFiles.read(from: try Self.folder())
        #expect(
            scenario.settings
                == ScenarioSettings(baseYear: 2026, horizonYears: 3, appraisalYears: 8, discountRate: 0.035)
        )
        #expect(scenario.replacements.count == 3)
        #expect(scenario.replacements[2].deferCostGBPPerYear == GBP(40_000))
        #expect(scenario.tiers[1].discount == 0.10)
        #expect(
            scenario.budgets == [
                Budget(trust: "North Trust", year: 2026, capitalBudgetGBP: GBP(2_000_000)),
                Budget(trust: "South Trust", year: 2027, capitalBudgetGBP: GBP(1_000_000)),
            ]
        )
        #expect(scenario.trusts == ["North Trust", "South Trust"])
    }

    @Test func discountRateDefaultsToTheGreenBookAndBudgetsAreOptional() throws {
        var files = Self.files
        files["scenario.toml"] = "base_year = 2026\nhorizon_years = 3\nappraisal_years = 8"
        files["budgets.csv"] = nil
        let scenario = try ScenarioFiles.read(from: try Self.folder(files))
        #expect(scenario.settings.discountRate == 0.035)
        #expect(scenario.budgets.isEmpty)
    }

    @Test(arguments: [false, true])
    func roundTripsThroughWriteAndRead(budgets: Bool) throws {
        var scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 4, replacementCount: 60, hasBudgets: budgets)
        )
        // Names that need quoting or look like formulas, and a fractional rate.
        scenario.replacements[0].trust = "St Mary's, \"Central\""
        scenario.replacements[1].assetID = "=HYPERLINK(1)"
        scenario.settings.discountRate = 0.0325
        scenario.tiers.append(
            Tier(
                supplier: scenario.offers[0].supplier,
                equipmentClass: scenario.offers[0].equipmentClass,
                minimumUnits: 1,
                discount: 0.005
            )
        )
        try scenario.validate()
        let url = try Self.folder([:])
        try Data("stale".utf8).write(to: url.appendingPathComponent("budgets.csv"))
        try ScenarioFiles.write(scenario, to: url)
        #expect(try ScenarioFiles.read(from: url) == scenario)
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("budgets.csv").path) == budgets)
    }

    /// Added units and funding routes are optional columns: a file without them reads as replacements bought
    /// outright, and a scenario that needs neither is written with the header it always had.
    @Test func purposeAndFundingRoutesAreOptionalColumns() throws {
        let plain = try ScenarioFiles.read(from: try Self.folder())
        #expect(plain.replacements.allSatisfy { $0.purpose == .replacement && $0.replacedAssetID == $0.assetID })
        #expect(plain.offers.allSatisfy { $0.fundingRoutes == [.purchase] })
        #expect(plain.settings.leaseDiscountRateSetting == nil && plain.settings.leaseDiscountRate == 0.035)
        #expect(plain.budgets.allSatisfy { $0.revenueBudgetGBP == nil })
        let url = try Self.folder([:])
        try ScenarioFiles.write(plain, to: url)
        let header = try String(contentsOf: url.appendingPathComponent("replacements.csv"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init)
        #expect(header == ScenarioFiles.replacementColumns.joined(separator: ","))
        let offersHeader = try String(contentsOf: url.appendingPathComponent("offers.csv"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init)
        #expect(offersHeader == ScenarioFiles.offerColumns.joined(separator: ","))

        var files = Self.files
        files["replacements.csv"] = try #require(files["replacements.csv"])
            .replacingOccurrences(of: "advance_cost_gbp_per_year\n", with: "advance_cost_gbp_per_year,purpose\n")
            .replacingOccurrences(of: "50000,20000\n", with: "50000,20000,Addition\n")
        files["offers.csv"] = try #require(files["offers.csv"])
            .replacingOccurrences(
                of: "warranty_years\n",
                with: "warranty_years,lease_annual_gbp,lease_years,mes_annual_gbp,mes_years,mes_equipment_share\n"
            )
            .replacingOccurrences(of: "900000,90000,1\n", with: "900000,90000,1,\"£150,000\",7,,,\n")
            .replacingOccurrences(of: "870000,95000,2\n", with: "870000,95000,2,,,160000,15,60%\n")
            .replacingOccurrences(of: "1000000,100000,1", with: "1000000,100000,1,170000,7,190000,15,0.55")
        files["budgets.csv"] = """
            trust,year,capital_budget_gbp,revenue_budget_gbp
            North Trust,2026,2000000,
            North Trust,2031,,400000
            South Trust,2027,1000000,"£250,000"
            """
        files["scenario.toml"] = try #require(files["scenario.toml"]) + "\nlease_discount_rate = 0.041"
        let read = try ScenarioFiles.read(from: try Self.folder(files))
        #expect(read.replacements[0].purpose == .addition)
        #expect(read.replacements[0].replacedAssetID == nil)
        #expect(read.replacements[1].purpose == .replacement)
        #expect(read.offers[0].fundingRoutes == [.purchase, .lease])
        #expect(read.offers[0].lease == LeaseTerms(annualRentalGBP: GBP(150_000), years: 7))
        #expect(read.offers[1].fundingRoutes == [.purchase, .mes])
        #expect(
            read.offers[1].managedService
                == ManagedServiceTerms(annualFeeGBP: GBP(160_000), years: 15, equipmentShare: 0.6)
        )
        #expect(read.offers[2].fundingRoutes == [.purchase, .lease, .mes])
        #expect(read.settings.leaseDiscountRate == 0.041)
        #expect(
            read.budgets == [
                Budget(trust: "North Trust", year: 2026, capitalBudgetGBP: GBP(2_000_000)),
                Budget(trust: "North Trust", year: 2031, capitalBudgetGBP: nil, revenueBudgetGBP: GBP(400_000)),
                Budget(
                    trust: "South Trust",
                    year: 2027,
                    capitalBudgetGBP: GBP(1_000_000),
                    revenueBudgetGBP: GBP(250_000)
                ),
            ]
        )
        let again = try Self.folder([:])
        try ScenarioFiles.write(read, to: again)
        #expect(try ScenarioFiles.read(from: again) == read)
    }

    @Test(arguments: [
        (
            "offers.csv", "warranty_years\n", "warranty_years,lease_annual_gbp,lease_years\n", "95000,2\n",
            "95000,2,120000,\n",
            ["offers.csv:3", "'lease_years'", "is empty while lease_annual_gbp is given", "for a lease, or none"]
        ),
        (
            "offers.csv", "warranty_years\n", "warranty_years,lease_annual_gbp,lease_years\n", "95000,2\n",
            "95000,2,120000,0\n", ["offers.csv:3", "'lease_years'", "'0'", "whole years from 1 to 50"]
        ),
        (
            "offers.csv", "warranty_years\n", "warranty_years,mes_annual_gbp,mes_years,mes_equipment_share\n",
            "95000,2\n", "95000,2,150000,15,1.5\n",
            ["offers.csv:3", "'mes_equipment_share'", "'1.5'", "outside [0, 1]"]
        ),
        (
            "offers.csv", "warranty_years\n", "warranty_years,mes_annual_gbp,mes_years\n", "95000,2\n",
            "95000,2,150000,15\n",
            ["offers.csv:3", "'mes_annual_gbp'", "without a column mes_equipment_share"]
        ),
        (
            "offers.csv", "warranty_years\n", "warranty_years,mes_annual_gbp,mes_years,mes_equipment_share\n",
            "95000,2\n", "95000,2,a lot,15,0.5\n",
            ["offers.csv:3", "'mes_annual_gbp'", "'a lot'", "not an amount of money"]
        ),
        (
            "budgets.csv", "capital_budget_gbp\n", "capital_budget_gbp,revenue_budget_gbp\n",
            "South Trust,2027,1000000", "South Trust,2027,1000000,-5",
            ["budgets.csv:3", "'revenue_budget_gbp'", "'-5'"]
        ),
        (
            "replacements.csv", "advance_cost_gbp_per_year\n", "advance_cost_gbp_per_year,purpose\n",
            "80000,10000\n", "80000,10000,spare\n",
            ["replacements.csv:3", "'purpose'", "'spare'", "replacement or addition"]
        ),
    ])
    func anUnknownPurposeOrFundingRouteIsNamedWithItsLineAndColumn(
        file: String,
        header: String,
        newHeader: String,
        row: String,
        newRow: String,
        expected: [String]
    ) throws {
        var files = Self.files
        files[file] = try #require(files[file])
            .replacingOccurrences(of: header, with: newHeader).replacingOccurrences(of: row, with: newRow)
        let url = try Self.folder(files)
        let error = #expect(throws: InvalidInput.self) { try ScenarioFiles.read(from: url) }
        let message = error?.description ?? ""
        for words in expected { #expect(message.contains(words), "\(message) lacks \(words)") }
    }

    /// Each kind of mistake, with the file, line, column, value and words of the message a planner sees.
    static let mistakes: [(file: String, find: String, replace: String, expected: [String])] = [
        (
            "replacements.csv", "A1,North Trust,CT-128,2027,2026,2028", "A1,North Trust,CT-128,2027,2028,2026",
            ["replacements.csv:2", "earliest_year", "'2028'", "after latest_year 2026"]
        ),
        (
            "replacements.csv", "A2,North Trust,MR-1.5T,2026,2026,2027", "A2,North Trust,MR-1.5T,2028,2026,2027",
            ["replacements.csv:3", "preferred_year", "'2028'", "outside the window 2026–2027"]
        ),
        (
            "replacements.csv", "A3,South Trust,CT-128,2027,2027,2028", "A3,South Trust,CT-128,2027,2027,2031",
            ["replacements.csv:4", "latest_year", "'2031'", "outside the scenario's decision years", "2026 to 2028"]
        ),
        (
            "replacements.csv", "A2,North Trust,MR-1.5T", "A2,North Trust,PET-CT",
            ["replacements.csv:3", "class", "'PET-CT'", "not offered by any supplier"]
        ),
        (
            "replacements.csv", "A3,South Trust", "A1,South Trust",
            ["replacements.csv:4", "asset_id", "'A1'", "first listed on line 2"]
        ),
        (
            "replacements.csv", "A1,North Trust,CT-128,2027", "A1,North Trust,CT-128,soon",
            ["replacements.csv:2", "preferred_year", "'soon'", "not a whole number"]
        ),
        (
            "offers.csv", "Beta,CT-128,870000", "Beta,CT-128,-870000",
            ["offers.csv:3", "unit_price_gbp", "'-870000'", "negative"]
        ),
        ("offers.csv", "Alpha,MR-1.5T", "Alpha,CT-128", ["offers.csv:4", "class", "offered again by Alpha", "line 2"]),
        (
            "tiers.csv", "Beta,CT-128,2,0.04", "Beta,CT-128,2,1.2",
            ["tiers.csv:4", "discount", "'1.2'", "outside [0, 1)"]
        ),
        ("tiers.csv", "Beta,CT-128,2,0.04", "Gamma,CT-128,2,0.04", ["tiers.csv:4", "class", "Gamma makes no offer"]),
        (
            "tiers.csv", "Alpha,CT-128,4,10%", "Alpha,CT-128,4,0.03",
            ["tiers.csv:3", "discount", "'0.03'", "smaller than the discount 0.05 for 2 units"]
        ),
        (
            "budgets.csv", "South Trust,2027", "East Trust,2027",
            ["budgets.csv:3", "trust", "'East Trust'", "no replacements"]
        ),
        (
            "budgets.csv", "North Trust,2026", "North Trust,2040",
            ["budgets.csv:2", "year", "'2040'", "appraisal years", "2026 to 2033"]
        ),
        (
            "budgets.csv", "North Trust,2026,2000000", "North Trust,2026,lots",
            ["budgets.csv:2", "capital_budget_gbp", "'lots'", "not an amount of money"]
        ),
        (
            "scenario.toml", "discount_rate = 0.035", "discount_rate = 0.035\nlease_discount_rate = -0.01",
            ["scenario.toml:6", "lease_discount_rate", "'-0.01'", "fraction from 0"]
        ),
        ("budgets.csv", "South Trust,2027", "North Trust,2026", ["budgets.csv:3", "repeats the budget of line 2"]),
        (
            "scenario.toml", "discount_rate = 0.035", "discount_rate = 1.5",
            ["scenario.toml:5", "discount_rate", "'1.5'"]
        ),
        ("scenario.toml", "base_year = 2026", "", ["scenario.toml", "base_year", "is missing"]),
        (
            "scenario.toml", "horizon_years = 3", "horizon_years = 3\nhorizon_yaers = 4",
            ["scenario.toml:4", "horizon_yaers", "not a scenario setting"]
        ),
        ("scenario.toml", "base_year = 2026", "base_year = = 2026", ["scenario.toml:2", "not valid TOML"]),
        (
            "replacements.csv", "defer_cost_gbp_per_year,", "defer_cost,",
            ["replacements.csv:1", "defer_cost_gbp_per_year", "required column is missing"]
        ),
    ]

    @Test(arguments: mistakes.indices)
    func eachMistakeIsNamedWithFileLineColumnAndValue(index: Int) throws {
        try Self.expectRefusal(Self.mistakes[index], of: Self.files)
    }

    /// Makes `mistake` in a copy of `files` and expects the folder refused (exit 2) with every expected phrase.
    static func expectRefusal(
        _ mistake: (file: String, find: String, replace: String, expected: [String]),
        of files: [String: String]
    ) throws {
        var files = files
        let original = try #require(files[mistake.file])
        #expect(original.contains(mistake.find), "the test's own text must contain what it changes")
        files[mistake.file] = original.replacingOccurrences(of: mistake.find, with: mistake.replace)
        let url = try folder(files)
        let error = #expect(throws: InvalidInput.self) { try ScenarioFiles.read(from: url) }
        let message = error?.description ?? ""
        for words in mistake.expected { #expect(message.contains(words), "\(message) lacks \(words)") }
        #expect(error?.exitCode == .invalidInput)
    }

    @Test func aMissingFileOrFolderIsInvalidInput() throws {
        var files = Self.files
        files["tiers.csv"] = nil
        let error = #expect(throws: FileFailure.self) { try ScenarioFiles.read(from: try Self.folder(files)) }
        #expect(error?.exitCode == .invalidInput)
        #expect(error?.description.contains("tiers.csv") == true)
        #expect(error?.description.contains("supplier,class,min_units,discount") == true)
        let nowhere = URL(fileURLWithPath: "/no/such/scenario")
        #expect(throws: FileFailure.self) { try ScenarioFiles.read(from: nowhere) }
    }

    /// A scenario built in code names the lines its settings have in the `scenario.toml` the writer writes, for
    /// every combination of the optional settings: each setting made invalid is reported on its written line.
    @Test(arguments: [false, true], [false, true])
    func settingsAreReportedOnTheirWrittenLines(lease: Bool, capacity: Bool) throws {
        var scenario = try ScenarioFiles.read(from: try Self.folder())
        scenario.settings.discountRate = 1.5
        if lease { scenario.settings.leaseDiscountRateSetting = 1.5 }
        if capacity {
            scenario.settings.outsourcingGBPPerScan = GBP(-1)
            scenario.settings.mobileRelocationLoss = 1.5
        }
        let url = try Self.folder([:])
        try ScenarioFiles.write(scenario, to: url)
        let written = try String(contentsOf: url.appendingPathComponent("scenario.toml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let error = #expect(throws: InvalidInput.self) { try scenario.validate() }
        let settings = error?.issues.filter { $0.file.hasSuffix("scenario.toml") } ?? []
        #expect(settings.count == 1 + (lease ? 1 : 0) + (capacity ? 2 : 0))
        for issue in settings {
            let line = try #require(issue.line, "\(issue) has no line")
            let column = try #require(issue.column)
            #expect(written[line - 1].hasPrefix("\(column) = "), "line \(line) is \(written[line - 1]), not \(column)")
        }
    }

    @Test func validateChecksAScenarioBuiltInCode() throws {
        var scenario = try ScenarioFiles.read(from: try Self.folder())
        scenario.replacements[1].latestYear = 2025
        let error = #expect(throws: InvalidInput.self) { try scenario.validate() }
        #expect(error?.description.contains("replacements.csv:3") == true)
    }
}

/// `capacity.csv`, `classes.csv`, the capacity settings of `scenario.toml` and the site columns of
/// `replacements.csv` (spec: "Capacity and additional units", "Site continuity").
@Suite("Scenario files: capacity and sites")
struct ScenarioCapacityFilesTests {
    static let files: [String: String] = {
        var files = ScenarioFilesTests.files
        files["scenario.toml"]! += "\noutsourcing_gbp_per_scan = 95\nmobile_relocation_loss = 0.14"
        files["replacements.csv"] = """
            asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,advance_cost_gbp_per_year,site,site_units,cover_cost_gbp
            A1,North Trust,CT-128,2027,2026,2028,50000,20000,North General,2,0
            A2,North Trust,MR-1.5T,2026,2026,2027,80000,10000,North General,1,"£120,000"
            A3,South Trust,CT-128,2027,2027,2028,"£40,000",15000,,,
            """
        files["capacity.csv"] = """
            trust,modality,year,shortfall_scans
            North Trust,CT,2027,5000
            South Trust,MRI,2028,"12,000.5"
            """
        files["classes.csv"] = """
            class,modality,capacity_scans_per_year,mobile
            CT-128,CT,17374,false
            CT-MOB,CT,15000,true
            MR-1.5T,MR,8687,no
            """
        return files
    }()

    @Test func readsShortfallsClassesSitesAndCover() throws {
        let scenario = try ScenarioFiles.read(from: try ScenarioFilesTests.folder(Self.files))
        #expect(scenario.settings.outsourcingGBPPerScan == GBP(95))
        #expect(scenario.settings.mobileRelocationLoss == 0.14)
        #expect(
            scenario.capacity == [
                CapacityShortfall(trust: "North Trust", modality: .ct, year: 2027, shortfallScans: 5000),
                CapacityShortfall(trust: "South Trust", modality: .mr, year: 2028, shortfallScans: 12_000.5),
            ]
        )
        #expect(
            scenario.classes == [
                CapacityClass(equipmentClass: "CT-128", modality: .ct, capacityScansPerYear: 17_374, isMobile: false),
                CapacityClass(equipmentClass: "CT-MOB", modality: .ct, capacityScansPerYear: 15_000, isMobile: true),
                CapacityClass(equipmentClass: "MR-1.5T", modality: .mr, capacityScansPerYear: 8687, isMobile: false),
            ]
        )
        #expect(scenario.replacements.map(\.site) == ["North General", "North General", nil])
        #expect(scenario.replacements.map(\.siteUnits) == [2, 1, nil])
        #expect(scenario.replacements.map(\.coverCostGBP) == [.zero, GBP(120_000), .zero])
        let again = try ScenarioFilesTests.folder([:])
        try ScenarioFiles.write(scenario, to: again)
        #expect(try ScenarioFiles.read(from: again) == scenario)
    }

    /// A folder without the new files and columns reads as before: no shortfall, no class, no site, no cover, and
    /// is written back without them.
    @Test func aFolderWithoutThemReadsAndWritesAsBefore() throws {
        let plain = try ScenarioFiles.read(from: try ScenarioFilesTests.folder())
        #expect(plain.capacity.isEmpty && plain.classes.isEmpty)
        #expect(plain.settings.outsourcingGBPPerScan == nil && plain.settings.mobileRelocationLoss == 0)
        #expect(plain.replacements.allSatisfy { $0.site == nil && $0.siteUnits == nil && $0.coverCostGBP == .zero })
        #expect(!plain.hasCapacityOrContinuity)
        let url = try ScenarioFilesTests.folder([:])
        try Data("stale".utf8).write(to: url.appendingPathComponent("capacity.csv"))
        try ScenarioFiles.write(plain, to: url)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        #expect(names == ["offers.csv", "replacements.csv", "scenario.toml", "tiers.csv", "budgets.csv"].sorted())
        let settings = try String(contentsOf: url.appendingPathComponent("scenario.toml"), encoding: .utf8)
        #expect(!settings.contains("outsourcing"))
    }

    static let mistakes: [(file: String, find: String, replace: String, expected: [String])] = [
        (
            "capacity.csv", "North Trust,CT,2027", "North Trust,CT,2034",
            ["capacity.csv:2", "column 'year'", "'2034'", "outside the scenario's appraisal years", "2026 to 2033"]
        ),
        (
            "capacity.csv", "North Trust,CT,", "North Trust,XX,",
            ["capacity.csv:2", "column 'modality'", "'XX'", "not a modality"]
        ),
        (
            "capacity.csv", "2027,5000", "2027,-5", ["capacity.csv:2", "column 'shortfall_scans'", "'-5'"]
        ),
        (
            "capacity.csv", "South Trust,MRI,2028", "North Trust,CT,2027",
            ["capacity.csv:3", "column 'year'", "'2027'", "repeats the shortfall of line 2"]
        ),
        (
            "capacity.csv", "year,shortfall_scans", "year,scans",
            ["capacity.csv:1", "shortfall_scans", "required column is missing"]
        ),
        (
            "classes.csv", "CT-128,CT,17374", "CT-128,CT,0",
            ["classes.csv:2", "column 'capacity_scans_per_year'", "'0'"]
        ),
        (
            "classes.csv", "15000,true", "15000,maybe",
            ["classes.csv:3", "column 'mobile'", "'maybe'", "true or false"]
        ),
        (
            "classes.csv", "CT-MOB,CT", "CT-128,CT", ["classes.csv:3", "column 'class'", "'CT-128'", "appears again"]
        ),
        (
            "classes.csv", "CT-128,CT,17374,false\n", "",
            ["replacements.csv:2", "column 'class'", "'CT-128'", "is not in", "classes.csv", "site continuity"]
        ),
        (
            "replacements.csv", "North General,2,0", "North General,two,0",
            ["replacements.csv:2", "column 'site_units'", "'two'", "not a whole number"]
        ),
        (
            "replacements.csv", "North General,2,0", ",2,0",
            ["replacements.csv:2", "column 'site_units'", "'2'", "without a site"]
        ),
        (
            "replacements.csv", "A3,South Trust,CT-128,2027,2027,2028,\"£40,000\",15000,,,",
            "A3,North Trust,CT-128,2027,2027,2028,\"£40,000\",15000,North General,3,0",
            ["replacements.csv:4", "column 'site_units'", "'3'", "differs from the 2 of line 2"]
        ),
        (
            "replacements.csv", "1,\"£120,000\"", "1,-1",
            ["replacements.csv:3", "column 'cover_cost_gbp'", "'-1'"]
        ),
        (
            "scenario.toml", "outsourcing_gbp_per_scan = 95\n", "",
            ["scenario.toml", "column 'outsourcing_gbp_per_scan'", "is missing", "capacity.csv"]
        ),
        (
            "scenario.toml", "outsourcing_gbp_per_scan = 95", "outsourcing_gbp_per_scan = \"lots\"",
            ["scenario.toml:6", "column 'outsourcing_gbp_per_scan'", "lots", "pounds a scan"]
        ),
        (
            "scenario.toml", "mobile_relocation_loss = 0.14", "mobile_relocation_loss = 1.5",
            ["scenario.toml:7", "column 'mobile_relocation_loss'", "'1.5'", "a fraction from 0 up to 0.99"]
        ),
    ]

    @Test(arguments: mistakes.indices)
    func eachMistakeIsNamedWithFileLineColumnAndValue(index: Int) throws {
        try ScenarioFilesTests.expectRefusal(Self.mistakes[index], of: Self.files)
    }
}
