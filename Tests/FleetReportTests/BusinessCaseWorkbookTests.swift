import FleetCore
import FleetTestSupport
import Foundation
import Testing
import WorkbookWriter

@testable import FleetReport

@Suite("Business-case workbook", .serialized)
struct BusinessCaseWorkbookTests {
    private func writeSample(_ businessCase: BusinessCase = SampleCase.make()) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("case.xlsx")
        try BusinessCaseWorkbook(businessCase: businessCase).write(to: url.path)
        return url
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

    @Test func hasTheSpecSheetsNamesTableChartsAndInertText() throws {
        let url = try writeSample()
        let cells = ["Register!G2", "Register!H2", "Register!Q2", "Register!Q4", "'Joint procurement'!A6"]
        let run = try runXLSXCheck(["--describe", url.path] + cells.flatMap { ["--cell", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        let description = try JSONDecoder().decode(WorkbookDescription.self, from: Data(run.stdout.utf8))
        #expect(description.sheets == BusinessCaseWorkbook.sheetNames)
        for name in ["DiscountRate", "BaseYear", "OptimismBias", "VATRate", "IncludeVAT", "HorizonYears"] {
            #expect(description.defined_names[name]?.contains("Assumptions") == true, "\(name) is not named")
        }
        let register = try #require(description.tables.first { $0.name == "RegisterTable" })
        #expect(register.sheet == "Register")
        #expect(register.autofilter)
        #expect(register.columns.first == "Asset ID")
        #expect(register.ref == "A1:Q4")
        #expect(description.charts["Summary"] == 3)
        #expect(description.charts["Age profile"] == 1)
        #expect(description.charts["Capital plan"] == 1)
        #expect(description.charts["Appraisal"] == 1)
        for cell in cells {
            #expect(description.cells[cell]?.type == "string", "\(cell) is \(description.cells[cell]?.type ?? "absent")")
        }
        #expect(description.cells["Register!G2"]?.value == .string("=HYPERLINK(\"http://evil.example\",\"click\")"))
        #expect((description.layout["Priority"]?.conditional_formats ?? 0) >= 3)
    }

    @Test func changingTheDiscountRateRecomputesTheNPV() throws {
        let url = try writeSample()
        let layout = Layout(businessCase: SampleCase.make())
        let npvCell = "Appraisal!\(layout.appraisalNPVCell)"
        let run = try runXLSXCheck(["--set", "Assumptions!B5=0.07", "--get", npvCell, url.path])
        #expect(run.status == 0, "\(run.stderr)")
        let values = try JSONDecoder().decode([String: Double].self, from: Data(run.stdout.utf8))
        let recalculated = try #require(values[npvCell])
        // Moving the discount rate moves the discounting only: the cash flows stay those of the 3.5 % case.
        let expected = Appraisal(assumptions: AppraisalAssumptions(discountRate: 0.07, baseYear: 2026, horizonYears: 5, appraisalYears: 6))
            .jointNetPresentValue(of: SampleCase.make().options)
        let base = Appraisal(assumptions: SampleCase.make().assumptions).jointNetPresentValue(of: SampleCase.make().options)
        #expect(abs(recalculated - expected) < 1e-6 * max(1, abs(expected)))
        #expect(abs(recalculated - base) > 1)
    }

    @Test func aFailedWriteLeavesTheEarlierWorkbookAndNoTemporaryFile() throws {
        let url = try writeSample()
        let before = try Data(contentsOf: url)
        let tooLong = Asset(
            id: "LONG", trust: "Ashby Hospitals", site: "Ashby General", modality: .us,
            installDate: Day(year: 2020, month: 1, day: 1)!, notes: String(repeating: "x", count: 40_000))
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
        name: "One trust", isJoint: false, listCapitalGBP: [2027: GBP(1_000)], tierDiscountGBP: [2027: GBP(100)],
        serviceGBP: [2028: GBP(50)], timingPenaltyGBP: [2027: GBP(7)], optimiserCostGBP: .zero)

    @Test func discountFactorsMatchTheGreenBookTable() {
        let assumptions = AppraisalAssumptions(discountRate: 0.035, baseYear: 2026, horizonYears: 5, appraisalYears: 31)
        let published: [(Int, Double)] = [(0, 1.0), (1, 0.9662), (2, 0.9335), (3, 0.9019), (4, 0.8714), (5, 0.8420), (10, 0.7089), (20, 0.5026), (30, 0.3563)]
        for (year, factor) in published {
            #expect(abs(assumptions.discountFactor(2026 + year) - factor) < 0.00005, "year \(year)")
        }
    }

    @Test func netPresentCostDiscountsCashAndAddsPenaltiesUndiscounted() {
        let plain = Appraisal(assumptions: AppraisalAssumptions(discountRate: 0.1, baseYear: 2026, horizonYears: 3, appraisalYears: 3, optimismBias: 0))
        #expect(abs(plain.netPresentCost(option) - (900 / 1.1 + 50 / 1.21 + 7)) < 1e-9)
        let withBiasAndVAT = Appraisal(
            assumptions: AppraisalAssumptions(
                discountRate: 0.1, baseYear: 2026, horizonYears: 3, appraisalYears: 3, vatRate: 0.2, includesVAT: true,
                optimismBias: 0.1))
        #expect(abs(withBiasAndVAT.netPresentCost(option) - ((990 * 1.2) / 1.1 + 60 / 1.21 + 7)) < 1e-9)
    }

    @Test func largerTierDiscountsRaiseTheJointNPV() throws {
        let joint = OptionCashFlows(
            name: "Joint", isJoint: true, listCapitalGBP: [2027: GBP(1_000)], tierDiscountGBP: [2027: GBP(200)],
            serviceGBP: [:], timingPenaltyGBP: [:], optimiserCostGBP: .zero)
        let appraisal = Appraisal(assumptions: AppraisalAssumptions(discountRate: 0.035, baseYear: 2026, horizonYears: 3, appraisalYears: 3))
        let rows = appraisal.sensitivities(of: [option, joint])
        let discounts = try #require(rows.first { $0.input == "Tier discounts" })
        #expect(discounts.highNPV > discounts.lowNPV)
        #expect(rows.count == 4)
    }
}
