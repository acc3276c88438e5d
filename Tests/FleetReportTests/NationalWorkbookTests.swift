import FleetCore
import FleetTestSupport
import Foundation
import Testing
import WorkbookWriter

@testable import FleetReport

@Suite("National workbook", .serialized)
struct NationalWorkbookTests {
    /// A network name a spreadsheet would run as a command if it were written as a formula.
    static let hostileNetwork = "=cmd|' /C calc'!A0"

    /// Three networks: the sample, the sample with every imported name hostile under a hostile network name, and a
    /// third at another discount rate (so its costs differ), ranked together by score.
    static func sample() -> NationalCase {
        var hostile = SampleCase.hostile()
        hostile.title = hostileNetwork
        let third = SampleCase.make(
            discountRate: 0.05,
            trusts: ["Denby Hospitals", "Elton Hospitals", "Fenwick Hospitals"],
            assetPrefix: "S-",
            title: "South Network"
        )
        let networks = [SampleCase.make(), hostile, third]
        let scores = networks.flatMap(\.priorities).map { row in
            zip(row.criterionScores, row.criterionWeights).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let ranked = zip(networks.flatMap(\.priorities), scores).sorted { $0.1 > $1.1 }.enumerated().map {
            offset,
            pair in
            var row = pair.0
            row.rank = offset + 1
            return row
        }
        return NationalCase(
            title: "=Sample nation",
            asOf: networks[0].asOf,
            networks: networks,
            priorities: ranked,
            criterionNames: networks[0].criterionNames
        )
    }

    private func write(_ national: NationalCase = sample(), constantMemoryThreshold: Int = 5_000) throws -> URL {
        let url = try makeTemporaryDirectory().appendingPathComponent("national.xlsx")
        try NationalWorkbook(nationalCase: national, constantMemoryThreshold: constantMemoryThreshold)
            .write(to: url.path)
        return url
    }

    @Test(arguments: [5_000, 0])
    func everyFormulaRecalculatesInLibreOfficeToTheValueItCarries(constantMemoryThreshold: Int) throws {
        let url = try write(constantMemoryThreshold: constantMemoryThreshold)
        let description = try describeWorkbook(at: url.path)
        #expect(description.sheets == NationalWorkbook.sheetNames)
        #expect(
            description.sheets == [
                "Summary", "Networks", "Register", "Priority", "Age profile by network", "Capital plan by network",
                "Savings by network and trust", "Method",
            ]
        )
        #expect(description.tables.isEmpty == (constantMemoryThreshold == 0))
        let recalculation = try recalculateWorkbook(at: url.path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed > 80, "only \(recalculation.passed) formulas were checked")
    }

    @Test(arguments: [5_000, 0])
    func aCaseWithoutProcurementHasTheRegisterSheetsOnlyAndTheyRecalculate(constantMemoryThreshold: Int) throws {
        var national = Self.sample()
        national.plansProcurement = false
        let figures = NationalFigures(national)
        // Trusts are those that run a unit in service, network by network.
        let trusts = national.networks.map { Set($0.register.filter { $0.status == .inService }.map(\.trust)).count }
        #expect(figures.networks.map(\.trusts) == trusts)
        #expect(figures.status == "not planned")

        let url = try write(national, constantMemoryThreshold: constantMemoryThreshold)
        let cells = ["Networks!B8", "Networks!C8", "Networks!D8", "Networks!E4", "Summary!B10", "Summary!A11"]
        let description = try describeWorkbook(at: url.path, cells: cells, finding: ["(NPC)", "Shapley"])
        #expect(description.sheets == NationalWorkbook.registerSheetNames)
        #expect(
            description.sheets == ["Summary", "Networks", "Register", "Priority", "Age profile by network", "Method"]
        )
        func number(_ cell: String) -> Double? {
            guard case .number(let value)? = description.cells[cell]?.cached ?? description.cells[cell]?.value else {
                return nil
            }
            return value
        }
        #expect(number("Networks!B8") == Double(trusts.reduce(0, +)))
        #expect(number("Networks!C8") == 6)
        #expect(number("Networks!D8") == 3)
        #expect(number("Summary!B10") == 3, "the Priority sheet's count of units to replace now")
        #expect(description.cells["Networks!E4"]?.type == "empty", "no cost column")
        #expect(description.cells["Summary!A11"]?.type == "empty", "no cost line")
        for text in ["(NPC)", "Shapley"] {
            #expect(description.found?[text]?.isEmpty ?? true, "\(text): \(description.found?[text] ?? [])")
        }
        let recalculation = try recalculateWorkbook(at: url.path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed > 20, "only \(recalculation.passed) formulas were checked")
    }

    @Test func theNationalTotalsAreTheSumsOfTheNetworksFigures() throws {
        let national = Self.sample()
        // Each network's figures as its own business case computes them.
        let perNetwork = national.networks.map { BusinessCaseFigures($0).summary }
        let figures = NationalFigures(national)
        let joint = perNetwork.reduce(0) { $0 + $1.jointCostGBP }
        let alone = perNetwork.reduce(0) { $0 + $1.standaloneCostGBP }
        #expect(abs(figures.totals.jointCostGBP - joint) < 1e-6)
        #expect(abs(figures.totals.standaloneCostGBP - alone) < 1e-6)
        #expect(abs(figures.totals.savingsGBP - (alone - joint)) < 1e-6)
        #expect(figures.totals.unitsInService == perNetwork.reduce(0) { $0 + $1.unitsInService })
        #expect(figures.totals.unitsInService == 6, "two in service in each sample network")
        #expect(figures.totals.unitsToReplaceNow == 3)
        #expect(figures.totals.trusts == 9)
        #expect(figures.totals.unitsAgedOver10 == perNetwork.reduce(0) { $0 + $1.unitsAgedOver10 })
        let capital = national.networks.reduce(0.0) {
            $0 + $1.jointCapitalByTrustYear.values.reduce(0) { $0 + $1.pounds }
        }
        #expect(abs((figures.capital.joint.yearTotals.last ?? 0) - capital) < 1e-6)

        // The workbook carries the same figures in its cells: network rows 5–7, the national row 8.
        let url = try write(national)
        let cells =
            ["E", "F", "G"].flatMap { column in (5...8).map { "Networks!\(column)\($0)" } } + [
                "Networks!A6", "Networks!C8", "Networks!D8", "Summary!B5", "Summary!B10", "Summary!B11", "Summary!B12",
                "Summary!B13", "'Savings by network and trust'!C14", "'Age profile by network'!E8",
            ]
        let description = try describeWorkbook(at: url.path, cells: cells)
        func number(_ cell: String) -> Double? {
            guard case .number(let value)? = description.cells[cell]?.cached ?? description.cells[cell]?.value else {
                return nil
            }
            return value
        }
        for (offset, network) in perNetwork.enumerated() {
            #expect(number("Networks!E\(5 + offset)") == network.jointCostGBP)
            #expect(abs((number("Networks!F\(5 + offset)") ?? 0) - network.standaloneCostGBP) < 1e-6)
        }
        for column in ["E", "F", "G"] {
            let sum = (5...7).compactMap { number("Networks!\(column)\($0)") }.reduce(0, +)
            #expect(abs((number("Networks!\(column)8") ?? .nan) - sum) < 1e-6, "column \(column)")
        }
        #expect(description.cells["Networks!A6"]?.value == .string(Self.hostileNetwork))
        #expect(description.cells["Networks!A6"]?.type == "string")
        #expect(number("Networks!C8") == 6)
        #expect(number("Networks!D8") == 3)
        #expect(number("Summary!B5") == 3, "three networks")
        #expect(number("Summary!B10") == 3, "the Priority sheet's count of units to replace now")
        #expect(abs((number("Summary!B11") ?? 0) - alone) < 1e-6)
        #expect(abs((number("Summary!B12") ?? 0) - joint) < 1e-6)
        #expect(abs((number("Summary!B13") ?? 0) - (alone - joint)) < 1e-6)
        #expect(abs((number("'Savings by network and trust'!C14") ?? 0) - alone) < 1e-6)
        #expect(number("'Age profile by network'!E8") == Double(figures.totals.unitsAgedOver10))
    }

    @Test func userTextIsWrittenAsTextInConstantMemoryModeToo() throws {
        let url = try write(constantMemoryThreshold: 0)
        let description = try describeWorkbook(
            at: url.path,
            cells: ["Register!A8", "Networks!A6"],
            finding: ["=cmd", "+cmd", "=HYPERLINK", "=Ashby", "=Sample"]
        )
        #expect(description.cells["Register!A8"]?.value == .string("=CT-001"))
        for text in ["=cmd", "+cmd", "=HYPERLINK", "=Ashby"] {
            let found = description.found?[text] ?? []
            #expect(!found.isEmpty, "\(text) is not in the workbook")
            #expect(found.allSatisfy { $0.type == "string" }, "\(text): \(found.map(\.cell))")
        }
        for sheet in NationalWorkbook.sheetNames {
            #expect(description.layout[sheet]?.print?.fit_to_width == 1, "\(sheet)")
        }
    }
}
