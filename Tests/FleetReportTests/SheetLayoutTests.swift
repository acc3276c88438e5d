import FleetCore
import FleetTestSupport
import Foundation
import Testing

@testable import FleetReport

/// The cells one sheet's formulas take from another are found through that sheet's Layout: the label beside each
/// such cell, read back from the written workbook, says it is the figure the formula means.
@Suite("Sheet layouts", .serialized)
struct SheetLayoutTests {
    @Test func theCellsOtherSheetsReferToHoldTheFiguresTheyMean() throws {
        let businessCase = SampleCase.make()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("case.xlsx")
        let written = try BusinessCaseWorkbook(businessCase: businessCase).write(to: url.path)

        let appraisal = AppraisalSheet.Layout(businessCase)
        let allocation = SavingsAllocationSheet.Layout(businessCase)
        let npvRow = appraisal.netPresentValueRow + 1
        let totalRow = allocation.totalRow + 1
        let cells = [
            "Appraisal!A\(npvRow)", "Appraisal!\(appraisal.netPresentValueCell)",
            "'Savings allocation'!A\(totalRow)", "'Savings allocation'!A\(totalRow + 1)",
            "'Savings allocation'!\(allocation.standaloneCostCell)",
            "Summary!\(SummarySheet.cell(.netPresentValue))", "Summary!\(SummarySheet.cell(.savings))",
        ]
        let description = try describeWorkbook(at: url.path, cells: cells)
        func value(_ cell: String) -> JSONValue? { description.cells[cell]?.value }
        func cached(_ cell: String) -> JSONValue? { description.cells[cell]?.cached }
        #expect(value("Appraisal!A\(npvRow)") == .string("NPV of joint procurement"))
        #expect(value("'Savings allocation'!A\(totalRow)") == .string("Every trust alone"))
        #expect(value("'Savings allocation'!A\(totalRow + 1)") == .string("Joint plan"))
        // The Summary quotes those cells, and carries the figures the values layer computed.
        #expect(
            value("Summary!\(SummarySheet.cell(.netPresentValue))")
                == .string("=Appraisal!\(appraisal.netPresentValueCell)")
        )
        let figures = written.figures
        // A cached value is written to 15–17 significant digits, so it may differ from the double in its last bit.
        func isClose(_ cell: String, to expected: Double) -> Bool {
            guard case .number(let shown) = cached(cell) else { return false }
            return abs(shown - expected) <= 1e-9 * max(1, abs(expected))
        }
        #expect(isClose("'Savings allocation'!\(allocation.standaloneCostCell)", to: figures.summary.standaloneCostGBP))
        #expect(isClose("Summary!\(SummarySheet.cell(.savings))", to: figures.summary.savingsGBP))
        if case .number(let npv) = cached("Appraisal!\(appraisal.netPresentValueCell)") {
            #expect(abs(npv - figures.summary.jointNetPresentValueGBP) < 1e-6)
        } else {
            Issue.record("the NPV cell holds no number")
        }
    }
}
