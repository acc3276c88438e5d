import FleetCore
import FleetTestSupport
import Foundation
import Testing
import WorkbookWriter

@testable import FleetReport

@Suite("Business-case workbook", .serialized)
struct BusinessCaseWorkbookTests {
    private func writeSample(
        _ businessCase: BusinessCase = SampleCase.make(),
        constantMemoryThreshold: Int = BusinessCaseWorkbook.constantMemoryThreshold
    ) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("case.xlsx")
        try BusinessCaseWorkbook(businessCase: businessCase, constantMemoryThreshold: constantMemoryThreshold)
            .write(to: url.path)
        return url
    }

    @Test func inConstantMemoryModeTheSameWorkbookIsWrittenRowByRow() throws {
        // A national register is written with each row going to disk as the next starts: every sheet must then be
        // written top to bottom, row heights included. The sample stands in for it with the threshold at 0.
        let url = try writeSample(SampleCase.hostile(), constantMemoryThreshold: 0)
        let description = try describeWorkbook(at: url.path, cells: ["Register!A5", "Register!G5"], finding: ["=cmd"])
        #expect(description.sheets == BusinessCaseWorkbook.sheetNames)
        #expect(description.tables.isEmpty, "no Excel table in constant-memory mode")
        #expect(description.cells["Register!A5"]?.value == .string("=CT-001"))
        #expect(description.found?["=cmd"]?.map(\.type) == ["string"])
        for sheet in BusinessCaseWorkbook.sheetNames {
            #expect(description.layout[sheet]?.print?.fit_to_width == 1, "\(sheet)")
        }
        let recalculation = try recalculateWorkbook(at: url.path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed > 100)
    }

    @Test func everyFormulaRecalculatesInLibreOfficeToTheValueItCarries() throws {
        let url = try writeSample()
        let run = try runXLSXCheck([url.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let closing = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let passed = Int(closing.split(separator: " ").first ?? "") ?? 0
        #expect(closing.hasSuffix(" 0 failed"))
        #expect(passed > 100, "only \(passed) formulas were checked")
    }

    /// A case that plans capacity gets a Capacity sheet after the Capital plan: shortfall and what is left
    /// uncovered as formulas over each row, the network's totals as SUMIFS, recalculating to the values computed
    /// here by hand.
    @Test func aCaseThatPlansCapacityHasACapacitySheetThatRecalculates() throws {
        var businessCase = SampleCase.make()
        businessCase.capacity = [
            CapacityCoverRow(
                trust: "Ashby Hospitals",
                modality: "CT",
                year: 2026,
                demandScans: 20_000,
                capacityScans: 17_374,
                addedFixedScans: 0,
                mobileScans: 2_626,
                outsourcedScans: 0
            ),
            CapacityCoverRow(
                trust: "Barrow Hospitals",
                modality: "CT",
                year: 2026,
                demandScans: 10_000,
                capacityScans: 12_000,
                addedFixedScans: 0,
                mobileScans: 0,
                outsourcedScans: 0
            ),
            CapacityCoverRow(
                trust: "Ashby Hospitals",
                modality: "CT",
                year: 2027,
                demandScans: 22_000,
                capacityScans: 17_374,
                addedFixedScans: 0,
                mobileScans: 3_000,
                outsourcedScans: 1_000
            ),
        ]
        let url = try writeSample(businessCase)
        // Rows 5–7; the totals' header on row 10, CT 2026 on row 11 and CT 2027 on row 12.
        let cells = ["G5", "G6", "K5", "K7", "F6", "D11", "E11", "F11", "F12"].map { "Capacity!\($0)" }
        let description = try describeWorkbook(at: url.path, cells: cells)
        var sheets = BusinessCaseWorkbook.sheetNames
        sheets.insert("Capacity", at: sheets.firstIndex(of: "Capital plan")! + 1)
        #expect(description.sheets == sheets)
        func cached(_ cell: String) -> JSONValue? { description.cells["Capacity!\(cell)"]?.cached }
        #expect(cached("G5") == .number(2_626))
        #expect(cached("G6") == .number(0))
        #expect(cached("K5") == .number(0))
        // 22,000 − 17,374 = 4,626 short; 3,000 mobile and 1,000 outsourced leave 626.
        #expect(cached("K7") == .number(626))
        #expect(cached("F6") == .number(10_000 / 12_000))
        #expect(cached("D11") == .number(30_000))
        #expect(cached("E11") == .number(29_374))
        #expect(cached("F11") == .number(17_374 + 2_626 + 12_000))
        #expect(cached("F12") == .number(17_374 + 3_000 + 1_000))
        #expect(BusinessCaseFigures(businessCase).capacity.uncoveredScans == 626)
        let recalculation = try recalculateWorkbook(at: url.path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        // Without capacity rows there is no Capacity sheet (checked by the spec-sheets test below).
        #expect(!BusinessCaseWorkbook.sheetNames.contains("Capacity"))
    }

    @Test func hasTheSpecSheetsNamesTableChartsAndInertText() throws {
        let url = try writeSample()
        let cells = ["Register!G5", "Register!H5", "Register!Q5", "Register!Q7", "'Joint procurement'!A6"]
        let run = try runXLSXCheck(["--describe", url.path] + cells.flatMap { ["--cell", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        let description = try JSONDecoder().decode(WorkbookDescription.self, from: Data(run.stdout.utf8))
        #expect(description.sheets == BusinessCaseWorkbook.sheetNames)
        for name in [
            "DiscountRate", "BaseYear", "OptimismBiasCapital", "OptimismBiasOperating", "LeaseDiscountRate", "VATRate",
            "IncludeVAT", "HorizonYears",
        ] {
            #expect(description.defined_names[name]?.contains("Assumptions") == true, "\(name) is not named")
        }
        let register = try #require(description.tables.first { $0.name == "RegisterTable" })
        #expect(register.sheet == "Register")
        #expect(register.autofilter)
        #expect(register.columns.first == "Asset ID")
        #expect(register.ref == "A4:Q7")
        // Age profile, capital by trust, Shapley shares, and (the sample has budgets) budget against the plan.
        #expect(description.charts["Summary"] == 4)
        #expect(description.charts["Age profile"] == 1)
        #expect(description.charts["Capital plan"] == 2)
        #expect(description.charts["Appraisal"] == 1)
        for cell in cells {
            #expect(
                description.cells[cell]?.type == "string",
                "\(cell) is \(description.cells[cell]?.type ?? "absent")"
            )
        }
        #expect(description.cells["Register!G5"]?.value == .string("=HYPERLINK(\"http://evil.example\",\"click\")"))
        #expect((description.layout["Priority"]?.conditional_formats ?? 0) >= 3)
    }

    @Test func everySheetPrintsLandscapeOnePageWideWithItsNameAndPageNumbers() throws {
        let url = try writeSample()
        let description = try describeWorkbook(at: url.path)
        for sheet in BusinessCaseWorkbook.sheetNames {
            let setup = try #require(description.layout[sheet]?.print, "\(sheet) has no print setup")
            #expect(setup.orientation == "landscape", "\(sheet)")
            #expect(setup.paper_size == 9, "\(sheet) is not on A4")
            #expect(setup.fit_to_page, "\(sheet) is not fitted to the page")
            #expect(setup.fit_to_width == 1, "\(sheet) prints \(setup.fit_to_width) pages wide")
            #expect(setup.header.contains("&A"), "\(sheet)'s page header lacks the sheet name: \(setup.header)")
            #expect(setup.header.contains("North Network"), "\(sheet)'s page header: \(setup.header)")
            #expect(setup.footer.contains("&P") && setup.footer.contains("&N"), "\(sheet)'s footer: \(setup.footer)")
            #expect(setup.tab_color != nil, "\(sheet) has no tab colour")
        }
        // The table sheets repeat their header row on every page and keep it in view.
        let tables = [
            ("Register", "$4:$4", "B5"), ("Priority", "$6:$6", "C7"), ("Assumptions", "$4:$4", "A5"),
            ("Joint procurement", "$4:$4", "A5"), ("Savings allocation", "$4:$4", "A5"),
        ]
        for (sheet, rows, frozen) in tables {
            #expect(description.layout[sheet]?.print?.title_rows == rows, "\(sheet)")
            #expect(description.layout[sheet]?.freeze_panes == frozen, "\(sheet)")
        }
        // The Summary fits on one page.
        #expect(description.layout["Summary"]?.print?.fit_to_height == 1)
    }

    @Test func columnsAreAsWideAsTheirContentUpToACapAndLongTextWraps() throws {
        let url = try writeSample()
        let description = try describeWorkbook(at: url.path)
        let longestTrust = SampleCase.trusts.map { TextWidth.of($0.rawValue) }.max() ?? 0
        // Short trust names show in full wherever they label a row.
        for sheet in ["Savings allocation", "Capital plan", "Age profile"] {
            let width = try #require(description.layout[sheet]?.column_widths?["A"], "\(sheet) column A")
            #expect(width >= longestTrust, "\(sheet) column A is \(width) wide")
        }
        // Long text wraps in a capped column instead of running over its neighbours.
        let sources = try #require(description.layout["Assumptions"]?.column_widths?["D"])
        #expect(sources <= 80)
        let method = try #require(description.layout["Method"]?.column_widths?["B"])
        #expect(method <= 130)
        // Each column of the Register is set, none wider than the cap.
        let register = try #require(description.layout["Register"]?.column_widths)
        #expect(register.count == 17)
        #expect(register.values.allSatisfy { $0 <= 45 })
    }

    @Test func importedTextStaysTextInEverySheetItAppearsIn() throws {
        let url = try writeSample(SampleCase.hostile())
        let trusts = SampleCase.hostileTrusts.map(\.rawValue)
        let others = ["-Ashby General", "=Barrow CDC", "=CT-001", "=MR-002", "=cmd"]
        let description = try describeWorkbook(at: url.path, cells: ["Summary!A2"], finding: trusts + others)
        let found = try #require(description.found)
        for text in trusts + others {
            let cells = found[text] ?? []
            #expect(!cells.isEmpty, "'\(text)' is nowhere in the workbook")
            for cell in cells {
                #expect(cell.type == "string", "'\(text)' at \(cell.cell) is a \(cell.type)")
            }
        }
        func sheets(_ text: String) -> Set<String> {
            Set((found[text] ?? []).map { String($0.cell.split(separator: "!").first ?? "") })
        }
        // A trust's name labels rows on every sheet that shows trusts.
        #expect(
            sheets(trusts[0]).isSuperset(
                of: ["Register", "Priority", "Age profile", "Capital plan", "Savings allocation", "Appraisal"]),
            "\(sheets(trusts[0]))"
        )
        #expect(sheets(trusts[2]).isSuperset(of: ["Register", "Capital plan", "Savings allocation", "Appraisal"]))
        #expect(sheets("=CT-001") == ["Register", "Priority"])
        #expect(sheets("-Ashby General") == ["Register", "Priority"])
        #expect(sheets("=cmd") == ["Joint procurement"])
        // The case's title opens the Summary's second row, as text.
        let subtitle = description.cells["Summary!A2"]
        #expect(subtitle?.type == "string")
        if case .string(let text) = subtitle?.value { #expect(text.hasPrefix("-North Network & Co · as of")) }
        // The page header shows the title as written, its ampersand escaped.
        #expect(description.layout["Register"]?.print?.header.contains("-North Network && Co") == true)
        // And the workbook, charts named by those cells included, still opens and recalculates.
        let recalculation = try recalculateWorkbook(at: url.path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed > 100)
    }

    @Test func changingTheDiscountRateRecomputesTheNPV() throws {
        let url = try writeSample()
        let layout = AppraisalSheet.Layout(SampleCase.make())
        let npvCell = "Appraisal!\(layout.netPresentValueCell)"
        let run = try runXLSXCheck(["--set", "Assumptions!B5=0.07", "--get", npvCell, url.path])
        #expect(run.status == 0, "\(run.stderr)")
        let values = try JSONDecoder().decode([String: Double].self, from: Data(run.stdout.utf8))
        let recalculated = try #require(values[npvCell])
        // Moving the discount rate moves the discounting only: the cash flows stay those of the 3.5 % case.
        let expected = Appraisal(assumptions: SampleCase.assumptions(discountRate: 0.07))
            .jointNetPresentValue(of: SampleCase.make().options)
        let base = Appraisal(assumptions: SampleCase.make().assumptions).jointNetPresentValue(
            of: SampleCase.make().options
        )
        #expect(abs(recalculated - expected) < 1e-6 * max(1, abs(expected)))
        #expect(abs(recalculated - base) > 1)
    }

    /// The right-of-use lines are PV formulas over the lease discount rate, and the revenue's optimism bias a formula
    /// over its own named cell: changing either in LibreOffice gives what the spec's formulas give, computed here
    /// apart from the workbook's code.
    @Test func rightOfUseAndRevenueBiasRecalculateFromTheirNamedAssumptions() throws {
        let businessCase = SampleCase.make()
        let url = try writeSample(businessCase)
        let layout = AppraisalSheet.Layout(businessCase)
        let joint = layout.blockCount - 1
        // 2027 is column C (2026 in B).
        let leaseCell = "Appraisal!C\(layout.row(.leaseRightOfUse, block: joint) + 1)"
        let serviceCell = "Appraisal!D\(layout.row(.serviceRightOfUse, block: joint) + 1)"
        let npvCell = "Appraisal!\(layout.netPresentValueCell)"
        // Set through the defined names the formulas use (xlsx-check resolves a name without '!').
        let run = try runXLSXCheck([
            "--set", "\(Name.leaseDiscountRate)=0.06", "--set", "\(Name.operatingOptimismBias)=0.41",
            "--get", leaseCell, "--get", serviceCell, "--get", npvCell, url.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let values = try JSONDecoder().decode([String: Double].self, from: Data(run.stdout.utf8))
        // The joint plan: a £210,000 rental for 7 years from 2027, a £280,000 fee from 2028 of which 30 % is
        // equipment, for 15 years; rental k of the term discounted by 1.06^−k.
        func annuity(_ years: Int) -> Double { (0..<years).reduce(0.0) { $0 + pow(1.06, -Double($1)) } }
        let expectedLease = 210_000 * annuity(7)
        let expectedService = 0.3 * 280_000 * annuity(15)
        #expect(abs(try #require(values[leaseCell]) - expectedLease) < 1e-6 * expectedLease)
        #expect(abs(try #require(values[serviceCell]) - expectedService) < 1e-6 * expectedService)
        // Capital scored does not enter the cash cost: only the revenue bias moves the NPV.
        var moved = businessCase.assumptions
        moved.operatingOptimismBias = 0.41
        let expectedNPV = Appraisal(assumptions: moved).jointNetPresentValue(of: businessCase.options)
        let base = Appraisal(assumptions: businessCase.assumptions).jointNetPresentValue(of: businessCase.options)
        #expect(abs(try #require(values[npvCell]) - expectedNPV) < 1e-6 * max(1, abs(expectedNPV)))
        #expect(abs(expectedNPV - base) > 1000)
    }

    /// Each option's capital scored on the Appraisal is what the optimiser scored (IFRS 16), and its capital and
    /// revenue are what the Capital plan and the Summary show.
    @Test func theAppraisalsCapitalScoredIsTheOptimisersAndTheCapitalPlanSplitsRevenue() throws {
        let businessCase = SampleCase.make()
        let figures = BusinessCaseFigures(businessCase)
        let appraisal = figures.appraisal
        let scored = try #require(appraisal.lines.firstIndex(of: .capitalScored))
        let revenue = try #require(appraisal.lines.firstIndex(of: .revenue))
        for block in appraisal.blocks {
            for (offset, year) in appraisal.years.enumerated() {
                let expected = block.option.capitalScored(year).pounds
                #expect(abs(block.values[scored][offset] - expected) < 1e-6 * max(1, expected), "\(block.option.name)")
            }
        }
        let plan = figures.capitalPlan
        #expect(plan.hasRevenueBudgets)
        #expect(plan.revenueYears == Array(2026...2031))
        let barrow = try #require(appraisal.blocks.firstIndex { $0.option.name == SampleCase.trusts[1].rawValue })
        // Revenue scored leaves out capacity cover (£18,000 in 2029), which the Appraisal's revenue line counts.
        #expect(abs(plan.aloneRevenue.trustTotals[1] + 18_000 - appraisal.blocks[barrow].totals[revenue]) < 1e-6)
        let url = try writeSample(businessCase)
        let summary = SummarySheet.cell(.jointRevenue)
        let description = try describeWorkbook(at: url.path, cells: ["Summary!\(summary)"], finding: [])
        let expected = businessCase.jointRevenueByTrustYear.values.reduce(0) { $0 + $1.pounds }
        guard case .number(let shown) = description.cells["Summary!\(summary)"]?.cached else {
            Issue.record("the Summary's revenue of the joint plan is not a number")
            return
        }
        #expect(abs(shown - expected) < 1e-6 * expected)
    }

    @Test func aFailedWriteLeavesTheEarlierWorkbookAndNoTemporaryFile() throws {
        let url = try writeSample()
        let before = try Data(contentsOf: url)
        let tooLong = Asset(
            id: "LONG",
            trust: "Ashby Hospitals",
            site: "Ashby General",
            modality: .us,
            installDate: Day(year: 2020, month: 1, day: 1)!,
            notes: String(repeating: "x", count: 40_000)
        )
        #expect(throws: WorkbookError.self) {
            try BusinessCaseWorkbook(businessCase: SampleCase.make(register: [tooLong])).write(to: url.path)
        }
        #expect(try Data(contentsOf: url) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(leftovers == ["case.xlsx"])
    }

    @Test func anUnwritableFolderIsAClearError() {
        #expect(throws: WorkbookError.self) {
            try BusinessCaseWorkbook(businessCase: SampleCase.make()).write(to: "/proc/no-such-folder/case.xlsx")
        }
    }
}

@Suite("Green Book appraisal")
struct AppraisalTests {
    private let option = OptionCashFlows(
        name: "One trust",
        isJoint: false,
        listCapitalGBP: [2027: GBP(1_000)],
        tierDiscountGBP: [2027: GBP(100)],
        serviceGBP: [2028: GBP(50)],
        timingPenaltyGBP: [2027: GBP(7)],
        optimiserCostGBP: .zero
    )

    @Test func discountFactorsMatchTheGreenBookTable() {
        let assumptions = AppraisalAssumptions(discountRate: 0.035, baseYear: 2026, horizonYears: 5, appraisalYears: 31)
        let published: [(Int, Double)] = [
            (0, 1.0), (1, 0.9662), (2, 0.9335), (3, 0.9019), (4, 0.8714), (5, 0.8420), (10, 0.7089), (20, 0.5026),
            (30, 0.3563),
        ]
        for (year, factor) in published {
            #expect(abs(assumptions.discountFactor(2026 + year) - factor) < 0.00005, "year \(year)")
        }
    }

    @Test func netPresentCostDiscountsCashAndAddsPenaltiesUndiscounted() {
        let plain = Appraisal(
            assumptions: AppraisalAssumptions(
                discountRate: 0.1,
                baseYear: 2026,
                horizonYears: 3,
                appraisalYears: 3,
                optimismBias: 0
            )
        )
        #expect(abs(plain.netPresentCost(option) - (900 / 1.1 + 50 / 1.21 + 7)) < 1e-9)
        let withBiasAndVAT = Appraisal(
            assumptions: AppraisalAssumptions(
                discountRate: 0.1,
                baseYear: 2026,
                horizonYears: 3,
                appraisalYears: 3,
                vatRate: 0.2,
                includesVAT: true,
                optimismBias: 0.1
            )
        )
        #expect(abs(withBiasAndVAT.netPresentCost(option) - ((990 * 1.2) / 1.1 + 60 / 1.21 + 7)) < 1e-9)
    }

    @Test func largerTierDiscountsRaiseTheJointNPV() throws {
        let joint = OptionCashFlows(
            name: "Joint",
            isJoint: true,
            listCapitalGBP: [2027: GBP(1_000)],
            tierDiscountGBP: [2027: GBP(200)],
            serviceGBP: [:],
            timingPenaltyGBP: [:],
            optimiserCostGBP: .zero
        )
        let appraisal = Appraisal(
            assumptions: AppraisalAssumptions(discountRate: 0.035, baseYear: 2026, horizonYears: 3, appraisalYears: 3)
        )
        let rows = appraisal.sensitivities(of: [option, joint])
        let discounts = try #require(rows.first { $0.input == "Tier discounts" })
        #expect(discounts.highNPV > discounts.lowNPV)
        #expect(rows.count == 4)
    }
}

@Suite("Widths and lines of cell content")
struct TextWidthTests {
    @Test func numbersAreMeasuredAsTheirFormatShowsThem() {
        #expect(TextWidth.shownCharacters(1_234_567, format: .gbp) == 10)  // £1,234,567
        #expect(TextWidth.shownCharacters(-950, format: .gbp) == 5)  // -£950
        #expect(TextWidth.shownCharacters(0.035, format: .percent(decimals: 1)) == 4)  // 3.5%
        #expect(TextWidth.shownCharacters(2026, format: .plainInteger) == 4)
        #expect(TextWidth.shownCharacters(12_345.678, format: .decimal(places: 2)) == 9)  // 12,345.68
        #expect(TextWidth.shownCharacters(45_000, format: .displayDate) == 11)  // 12 Mar 2023
        #expect(TextWidth.shownCharacters(0.25, format: nil) == 4)
    }

    @Test func wrappedTextTakesTheLinesItsWordsNeed() {
        let width = 12 + TextWidth.padding  // room for 12 digits
        #expect(TextWidth.lines("2024", width: width) == 1)
        #expect(TextWidth.lines("123456 12345", width: width) == 1)  // 11 digits and a half-width space
        #expect(TextWidth.lines("123456 123456", width: width) == 2)
        #expect(TextWidth.lines("1\n2\n3", width: width) == 3)
        #expect(TextWidth.lines(String(repeating: "0", count: 30), width: width) == 3)
        #expect(TextWidth.characters("ab\nabcd") == 4)
    }

    @Test func aHeaderAtItsLeastWidthTakesAtMostTwoLines() {
        for title in ["Share\nover 10", "Aged\n0–5", "Tier (min units)", "Saved against list", "Service cost a year"] {
            let width = ReportSheet.leastHeaderWidth(title)
            #expect(TextWidth.lines(title, width: width, isBold: true) <= 2, "\(title) at \(width)")
        }
        #expect(TextWidth.lines("Units", width: ReportSheet.leastHeaderWidth("Units"), isBold: true) == 1)
    }

    @Test func capitalsAreWiderThanLowerCaseAndBoldWiderStill() {
        #expect(TextWidth.of("NHS TRUST") > TextWidth.of("nhs trust"))
        #expect(TextWidth.of("Trust", isBold: true) > TextWidth.of("Trust"))
        #expect(TextWidth.of("1234") == 4 + TextWidth.padding)
        #expect(TextWidth.longestWord("Service cost a year") == TextWidth.of("Service"))
    }

    @Test func pageHeaderTextIsEscapedAndShortened() {
        #expect(ReportSheet.escaped("A & B", limit: 50) == "A && B")
        #expect(ReportSheet.escaped(String(repeating: "x", count: 200), limit: 100).count == 100)
    }
}
