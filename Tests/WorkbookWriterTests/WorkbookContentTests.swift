import FleetCore
import FleetTestSupport
import Foundation
import Testing

@testable import WorkbookWriter

/// Text from imported files that a spreadsheet would run as a formula if it were written as one.
let injectedTexts = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1+1", "-2+3", "=1+1"]

@Suite("Workbook content, read back by openpyxl and recalculated by LibreOffice")
struct WorkbookContentTests {
    /// One workbook exercising every feature, so LibreOffice runs once.
    static func writeFeatureWorkbook(to path: String) throws -> (formulaCount: Int, npv: Double) {
        let workbook = try Workbook(path: path)
        try workbook.setProperties(title: "Feature test", author: "WorkbookWriterTests")
        let percent = CellFormat(numberFormat: .percent(decimals: 1)).fill(.inputYellow)
        let money = CellFormat(numberFormat: .gbp)
        let header = CellFormat(isBold: true, fontColor: .white, fillColor: .nhsBlue, isWrapped: true)
        var formulas = 0

        // Assumptions, as named cells.
        let assumptions = try workbook.addWorksheet(named: "Assumptions")
        try assumptions.writeText("Discount rate", row: 0, column: 0)
        try assumptions.writeNumber(0.035, row: 0, column: 1, format: percent)
        try assumptions.writeText("Base year", row: 1, column: 0)
        try assumptions.writeNumber(2025, row: 1, column: 1, format: CellFormat(numberFormat: .plainInteger))
        try workbook.defineName("DiscountRate", cell: CellReference(row: 0, column: 1), sheet: "Assumptions")
        try workbook.defineName("BaseYear", cell: CellReference(row: 1, column: 1), sheet: "Assumptions")
        try assumptions.addDataValidation(
            DataValidation(.decimalBetween(0, 0.2), inputTitle: "Discount rate", inputMessage: "A fraction, 0–0.2"),
            to: CellRange(rows: 0...0, column: 1)
        )
        try assumptions.addDataValidation(
            DataValidation(.list(["Inclusive", "Exclusive"])),
            to: CellRange(rows: 2...2, column: 1)
        )
        try assumptions.setColumnWidth(24, column: 0)
        assumptions.activate()

        // A sheet whose name needs quoting, referenced from a formula.
        let quoted = try workbook.addWorksheet(named: "O'Brien's data")
        try quoted.writeNumber(21, row: 0, column: 0)
        try assumptions.writeFormula(
            "=" + CellReference(row: 0, column: 0).qualified(sheet: "O'Brien's data") + "*2",
            cachedValue: 42,
            row: 3,
            column: 1
        )
        formulas += 1

        // Cash flows: formulas with cached values, a table with a total row, charts.
        let flows = try workbook.addWorksheet(named: "Cash flows")
        let costs = [1_000_000.0, 250_000, 250_000, 300_000, 310_000]
        var presentValues: [Double] = []
        for (i, cost) in costs.enumerated() {
            let row = i + 1
            let factor = 1 / pow(1.035, Double(i))
            let year = CellFormat(numberFormat: .plainInteger)
            try flows.writeNumber(Double(2025 + i), row: row, column: 0, format: year)
            try flows.writeNumber(cost, row: row, column: 1, format: money)
            try flows.writeFormula(
                "=1/(1+DiscountRate)^(A\(row + 1)-BaseYear)",
                cachedValue: factor,
                row: row,
                column: 2,
                format: CellFormat(numberFormat: .decimal(places: 4))
            )
            try flows.writeFormula(
                "=B\(row + 1)*C\(row + 1)",
                cachedValue: cost * factor,
                row: row,
                column: 3,
                format: money
            )
            presentValues.append(cost * factor)
            formulas += 2
        }
        let total = presentValues.reduce(0, +)
        let table = Table(
            name: "CashFlows",
            columns: [
                TableColumn(header: "Year", headerFormat: header, total: .label("Total")),
                TableColumn(header: "Cost", headerFormat: header),
                TableColumn(header: "Discount factor", headerFormat: header),
                TableColumn(
                    header: "Present value",
                    headerFormat: header,
                    format: money,
                    total: .function(.sum, cachedValue: total)
                ),
            ],
            hasTotalRow: true
        )
        try flows.addTable(table, at: CellRange(rows: 0...6, columns: 0...3))
        formulas += 1  // the total row's SUBTOTAL
        let npv = costs.enumerated().reduce(0) { $0 + $1.element / pow(1.035, Double($1.offset + 1)) }
        try flows.writeText("NPV", row: 8, column: 0, format: .bold)
        try flows.writeFormula("=NPV(DiscountRate,B2:B6)", cachedValue: npv, row: 8, column: 1, format: money.bold())
        try flows.writeFormula("=IF(B9>0,\"cost\",\"saving\")", cachedText: "cost", row: 8, column: 2)
        formulas += 2
        try flows.writeDate(year: 2025, month: 4, day: 1, row: 10, column: 0)
        try flows.mergeRange(
            CellRange(row: 12, columns: 0...3),
            text: "=SUM(1,2) stays text in a merge",
            format: CellFormat(horizontalAlignment: .center)
        )
        flows.freezePanes(row: 1, column: 0)
        flows.hideGridlines()
        flows.setLandscape()
        flows.setPaper(.a4)
        flows.fitToPages(width: 1, height: 0)
        try flows.repeatRows(0...0)
        try flows.setPrintArea(CellRange(rows: 0...12, columns: 0...3))
        try flows.setFooter("&L&A&RPage &P of &N")
        flows.setTabColor(.nhsBlue)
        try flows.setColumnWidth(16, columns: 0...3)
        try flows.setRowHeight(30, row: 0)
        try flows.addConditionalFormat(
            .cellValue(.greaterThan(500_000), format: CellFormat(fillColor: .lightRed)),
            to: CellRange(rows: 1...5, column: 1)
        )
        try flows.addConditionalFormat(
            .threeColorScale(minimum: .green, midpoint: .amber, maximum: .red),
            to: CellRange(rows: 1...5, column: 2)
        )
        try flows.addConditionalFormat(.dataBar(.nhsBlue), to: CellRange(rows: 1...5, column: 3))
        try flows.addConditionalFormat(
            .formula("=$B2>$D2", format: CellFormat(fontColor: .red)),
            to: CellRange(rows: 1...5, columns: 0...3)
        )
        try flows.addConditionalFormat(.iconSet(.trafficLights3), to: CellRange(rows: 1...5, column: 0))
        let years = CellRange(rows: 1...5, column: 0)
        let costSeries = ChartSeries(
            name: "Cost",
            sheet: "Cash flows",
            categories: years,
            values: CellRange(rows: 1...5, column: 1),
            color: .nhsBlue
        )
        let pvSeries = ChartSeries(
            name: "Present value",
            sheet: "Cash flows",
            categories: years,
            values: CellRange(rows: 1...5, column: 3),
            showsValueLabels: true,
            labelNumberFormat: .gbp
        )
        try flows.insertChart(
            Chart(
                .column,
                title: "Cost by year",
                series: [costSeries, pvSeries],
                valueAxis: ChartAxis(title: "£", numberFormat: .gbp)
            ),
            row: 14,
            column: 0
        )
        var stacked = Chart(.stackedColumn, title: "Stacked", series: [costSeries, pvSeries])
        stacked.widthInPixels = 640
        try flows.insertChart(stacked, row: 14, column: 6, xOffsetInPixels: 10, yOffsetInPixels: 5)
        try flows.insertChart(
            Chart(.line, title: "Trend", series: [pvSeries], legendPosition: .none),
            row: 30,
            column: 0
        )

        // The register: text from a file stays text.
        let register = try workbook.addWorksheet(named: "Register")
        try register.writeText("Notes", row: 0, column: 0)
        try register.writeText("Cost", row: 0, column: 1)
        for (i, text) in injectedTexts.enumerated() {
            try register.writeText(text, row: i + 1, column: 0)
            try register.writeNumber(Double(i + 1) * 1000, row: i + 1, column: 1)
        }
        try register.writeBoolean(true, row: 1, column: 2)
        try register.writeBlank(row: 2, column: 2, format: CellFormat(fillColor: .lightGrey))
        let greenBook =
            "https://www.gov.uk/government/publications/"
            + "the-green-book-appraisal-and-evaluation-in-central-government"
        try register.writeLink(greenBook, text: "HM Treasury Green Book", row: 1, column: 3)
        try register.writeComment("Imported as text", row: 1, column: 0)
        try register.addTable(
            Table(name: "RegisterTable", columns: [TableColumn(header: "Notes"), TableColumn(header: "Cost")]),
            at: CellRange(rows: 0...injectedTexts.count, columns: 0...1)
        )
        let data = CellRange(rows: 1...injectedTexts.count, column: 1)
        var tornado = Chart(
            .bar,
            title: "Tornado",
            series: [
                ChartSeries(
                    name: "Low",
                    sheet: "Register",
                    categories: CellRange(rows: 1...injectedTexts.count, column: 0),
                    values: data,
                    color: .red
                ),
                ChartSeries(name: "High", sheet: "Register", values: data, color: .green),
            ]
        )
        tornado.seriesOverlapPercent = 100
        tornado.gapWidthPercent = 50
        tornado.categoryAxis = ChartAxis(isReversed: true, labelPosition: .low)
        tornado.valueAxis = ChartAxis(title: "NPV change (£)", numberFormat: .gbp)
        try register.insertChart(tornado, row: 0, column: 5)
        try register.insertChart(
            Chart(
                .pie,
                title: "Share",
                series: [
                    ChartSeries(
                        sheet: "Register",
                        categories: CellRange(rows: 1...3, column: 0),
                        values: CellRange(rows: 1...3, column: 1)
                    )
                ],
                legendPosition: .right
            ),
            row: 16,
            column: 5
        )

        try workbook.close()
        return (formulas, npv)
    }

    @Test func featureWorkbookReadsBackAndRecalculates() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("features.xlsx").path
        let (formulaCount, npv) = try Self.writeFeatureWorkbook(to: path)

        let injectedCells = (0..<injectedTexts.count).map { "Register!A\($0 + 2)" }
        let description = try describeWorkbook(
            at: path,
            cells: injectedCells + [
                "'Cash flows'!B9", "'Cash flows'!C2", "'Cash flows'!A11",
                "Register!C2", "'Cash flows'!A13", "Assumptions!B4",
            ]
        )
        #expect(description.sheets == ["Assumptions", "O'Brien's data", "Cash flows", "Register"])
        #expect(description.defined_names["DiscountRate"] == "Assumptions!$B$1")
        #expect(description.defined_names["BaseYear"] == "Assumptions!$B$2")
        #expect(description.tables.map(\.name).sorted() == ["CashFlows", "RegisterTable"])
        let cashFlows = try #require(description.tables.first { $0.name == "CashFlows" })
        #expect(cashFlows.ref == "A1:D7")
        #expect(cashFlows.columns == ["Year", "Cost", "Discount factor", "Present value"])
        #expect(cashFlows.autofilter && cashFlows.total_row)
        #expect(description.charts == ["Assumptions": 0, "O'Brien's data": 0, "Cash flows": 3, "Register": 2])
        for (cell, text) in zip(injectedCells, injectedTexts) {
            let read = try #require(description.cells[cell])
            #expect(read.type == "string", "\(cell) should hold text")
            #expect(read.value == .string(text))
        }
        #expect(description.cells["'Cash flows'!A13"]?.value == .string("=SUM(1,2) stays text in a merge"))
        #expect(description.cells["'Cash flows'!B9"]?.type == "formula")
        guard case .number(let cachedNPV)? = description.cells["'Cash flows'!B9"]?.cached else {
            Issue.record("the NPV cell has no cached number")
            return
        }
        #expect(abs(cachedNPV - npv) < 1e-6)
        #expect(description.cells["'Cash flows'!C2"]?.cached == .number(1))
        #expect(description.cells["'Cash flows'!A11"]?.type == "date")
        #expect(description.cells["Register!C2"]?.type == "boolean")
        #expect(description.cells["Assumptions!B4"]?.cached == .number(42))
        let layout = try #require(description.layout["Cash flows"])
        #expect(layout.conditional_formats == 5)
        #expect(layout.freeze_panes == "A2")
        #expect(layout.merged == ["A13:D13"])
        #expect(description.layout["Assumptions"]?.data_validations == 2)

        let recalculation = try recalculateWorkbook(at: path)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed == formulaCount, "\(recalculation.report)")
    }

    @Test func identicalFormatsAreCreatedOnce() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = try Workbook(path: folder.appendingPathComponent("formats.xlsx").path)
        let sheet = try workbook.addWorksheet(named: "Sheet")
        for row in 0..<100 {
            try sheet.writeNumber(Double(row), row: row, column: 0, format: CellFormat(numberFormat: .gbp))
            try sheet.writeNumber(Double(row), row: row, column: 1, format: CellFormat(numberFormat: .gbp).bold())
            try sheet.writeText("x", row: row, column: 2)
        }
        #expect(workbook.formatCount == 2)
        try workbook.close()
    }

    @Test func preparedFormatsPrintSetupAndChartNamesFromCells() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("prepared.xlsx").path
        let workbook = try Workbook(path: path, constantMemory: true)
        let sheet = try workbook.addWorksheet(named: "Costs")
        let money = try workbook.prepare(CellFormat(numberFormat: .gbp))
        let date = try workbook.prepare(CellFormat(numberFormat: .date))
        #expect(workbook.formatCount == 2)
        // Preparing an equal format again reuses the library's format.
        _ = try workbook.prepare(CellFormat(numberFormat: .gbp))
        #expect(workbook.formatCount == 2)
        try sheet.writeText("=Trust A", row: 0, column: 0, format: money)
        try sheet.writeNumber(1_250, row: 0, column: 1, format: money)
        try sheet.writeDate(year: 2026, month: 11, day: 1, row: 0, column: 2, format: date)
        try sheet.writeFormula("=B1*2", cachedValue: 2_500, row: 0, column: 3, format: money)
        try sheet.writeFormula("=IF(B1>0,\"yes\",\"no\")", cachedText: "yes", row: 0, column: 4, format: money)
        try "+Trust B".withCString { try sheet.writeText(cString: $0, row: 1, column: 0) }
        try sheet.writeNumber(750, row: 1, column: 1, format: money)
        // A format belongs to the workbook that prepared it.
        let other = try Workbook(path: folder.appendingPathComponent("other.xlsx").path)
        let foreign = try other.prepare(.bold)
        let misuse = #expect(throws: WorkbookError.self) {
            try sheet.writeNumber(1, row: 2, column: 0, format: foreign)
        }
        #expect(misuse?.kind == .invalidArgument)
        // A literal series name starting with '=' would be read as a reference: it is refused, a cell is not.
        var chart = Chart(.bar, title: "By trust")
        chart.series = [ChartSeries(name: "=Trust A", sheet: "Costs", values: CellRange(rows: 0...1, column: 1))]
        let refused = #expect(throws: WorkbookError.self) { try sheet.insertChart(chart, row: 4, column: 0) }
        #expect(refused?.kind == .invalidArgument)
        chart.series = [
            ChartSeries(
                nameCell: CellReference(row: 0, column: 0),
                sheet: "Costs",
                categories: CellRange(rows: 0...1, column: 0),
                values: CellRange(rows: 0...1, column: 1)
            )
        ]
        chart.titleFontSizeInPoints = 12
        chart.fontSizeInPoints = 9
        chart.categoryAxis = ChartAxis(isReversed: true, crossesAtMaximum: true)
        try sheet.insertChart(chart, row: 4, column: 0)
        try sheet.addConditionalFormat(
            .dataBar(.lightGrey, isSolid: false, minimum: 0, maximum: 2_000),
            to: CellRange(rows: 0...1, column: 1)
        )
        sheet.setLandscape()
        sheet.setPaper(.a4)
        sheet.fitToPages(width: 1, height: 0)
        sheet.setMargins(left: 0.4, right: 0.4, top: 0.6, bottom: 0.6)
        try sheet.setPageBreaks(beforeRows: [3])
        try sheet.setHeader("&L&A&RCosts && savings")
        try workbook.close()

        let description = try describeWorkbook(at: path, cells: ["Costs!A1", "Costs!A2", "Costs!C1", "Costs!D1"])
        #expect(description.cells["Costs!A1"]?.value == .string("=Trust A"))
        #expect(description.cells["Costs!A2"]?.value == .string("+Trust B"))
        #expect(description.cells["Costs!C1"]?.type == "date")
        #expect(description.cells["Costs!D1"]?.cached == .number(2_500))
        #expect(description.charts["Costs"] == 1)
        let setup = try #require(description.layout["Costs"]?.print)
        #expect(setup.orientation == "landscape")
        #expect(setup.paper_size == 9)
        #expect(setup.fit_to_page && setup.fit_to_width == 1 && setup.fit_to_height == 0)
        #expect(setup.header.contains("Costs && savings"))
        #expect(description.layout["Costs"]?.conditional_formats == 1)
        let recalculation = try recalculateWorkbook(at: path)
        #expect(recalculation.failed == 0 && recalculation.passed == 2, "\(recalculation.report)")
    }

    @Test func theBenchmarkWritesTheCellsOfTheCBaseline() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bench.xlsx").path
        let result = try WorkbookWriterBenchmark.writeCells(rows: 1_000, path: path)
        #expect(result.rows == 1_000)
        #expect(result.peakResidentKilobytes > 0)
        let description = try describeWorkbook(
            at: path,
            cells: ["Register!A1", "Register!F1000", "Register!G2", "Register!L3"]
        )
        #expect(description.cells["Register!A1"]?.value == .string("R0-C0 text value"))
        #expect(description.cells["Register!F1000"]?.value == .string("R999-C5 text value"))
        #expect(description.cells["Register!G2"]?.value == .number(Double(1 * 11 + 6) * 1.5))
        #expect(description.cells["Register!L3"]?.type == "date")
    }

    @Test(arguments: [true, false])
    func worksheetsWrittenOnTwoThreadsAtOnceKeepTheirCellsAndFormats(constantMemory: Bool) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("threads.xlsx").path
        let workbook = try Workbook(path: path, constantMemory: constantMemory, temporaryDirectory: folder.path)
        let sheets = try ["First", "Second"].map { try workbook.addWorksheet(named: $0) }
        let rows = 4_000
        // Each sheet makes formats of its own as it goes (twelve each, bold or not), so both threads make formats,
        // and the second adds conditional formats, at the same time.
        @Sendable func format(_ sheet: Int, _ row: Int) -> CellFormat {
            let k = row % 12
            return CellFormat(
                numberFormat: NumberFormat("0.\(String(repeating: "0", count: k + 1))\"s\(sheet)\""),
                isBold: k % 2 == 0
            )
        }
        @Sendable func write(_ index: Int) throws {
            let sheet = sheets[index]
            for row in 0..<rows {
                try sheet.writeNumber(Double(row), row: row, column: 0, format: format(index, row))
                try sheet.writeText("\(sheet.name) \(row)", row: row, column: 1, format: format(index, row + 5))
                try sheet.writeFormula("=A\(row + 1)*2", cachedValue: Double(row * 2), row: row, column: 2)
                if index == 1, row % 400 == 0 {
                    try sheet.addConditionalFormat(
                        .cellValue(.greaterThan(Double(row)), format: CellFormat(fillColor: Color(rgb: UInt32(row)))),
                        to: CellRange(rows: row...(row + 399), column: 0)
                    )
                }
            }
        }
        let first = BackgroundValue { Result { try write(0) } }
        try write(1)
        try first.value().get()
        try workbook.close()

        // Every 37th row (a prime, so every format of the twelve comes round) and the last.
        let sampled = Array(stride(from: 0, to: rows, by: 37)) + [rows - 1]
        let cells = ["First", "Second"].flatMap { sheet in
            sampled.flatMap { row in ["A", "B", "C"].map { "\(sheet)!\($0)\(row + 1)" } }
        }
        let description = try describeWorkbook(at: path, cells: cells)
        for (index, sheet) in ["First", "Second"].enumerated() {
            for row in sampled {
                let number = description.cells["\(sheet)!A\(row + 1)"]
                #expect(number?.value == .number(Double(row)), "\(sheet)!A\(row + 1)")
                #expect(number?.number_format == format(index, row).numberFormat?.code, "\(sheet)!A\(row + 1)")
                #expect(number?.bold == format(index, row).isBold, "\(sheet)!A\(row + 1)")
                let text = description.cells["\(sheet)!B\(row + 1)"]
                #expect(text?.value == .string("\(sheet) \(row)"))
                #expect(text?.number_format == format(index, row + 5).numberFormat?.code, "\(sheet)!B\(row + 1)")
                #expect(description.cells["\(sheet)!C\(row + 1)"]?.cached == .number(Double(row * 2)))
            }
        }
        #expect(description.layout["Second"]?.conditional_formats == rows / 400)
        #expect(description.layout["First"]?.conditional_formats == 0)
    }

    @Test func constantMemoryModeWritesALargeSheet() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("large.xlsx").path
        let workbook = try Workbook(path: path, constantMemory: true, temporaryDirectory: folder.path)
        #expect(workbook.isConstantMemory)
        let sheet = try workbook.addWorksheet(named: "Register")
        let rows = 30_000
        // Tables are not available in this mode; a header row with an autofilter is.
        let table = #expect(throws: WorkbookError.self) {
            try sheet.addTable(
                Table(name: "Big", columns: [TableColumn(header: "Asset")]),
                at: CellRange(rows: 0...rows, column: 0)
            )
        }
        #expect(table?.code == .featureNotSupported)
        for (column, header) in ["Asset", "Cost", "Double"].enumerated() {
            try sheet.writeText(header, row: 0, column: column, format: .bold)
        }
        try sheet.setAutofilter(CellRange(rows: 0...rows, columns: 0...2))
        try sheet.mergeRange(CellRange(row: 0, columns: 4...6), text: "merged in the current row")
        for row in 1...rows {
            try sheet.writeText("=CT-\(row)", row: row, column: 0)
            try sheet.writeNumber(Double(row), row: row, column: 1, format: CellFormat(numberFormat: .gbp))
            try sheet.writeFormula("=B\(row + 1)*2", cachedValue: Double(row * 2), row: row, column: 2)
        }
        // Going back to an earlier row is refused in this mode, with a hint.
        let error = #expect(throws: WorkbookError.self) { try sheet.writeNumber(1, row: 5, column: 5) }
        #expect(error?.code == .worksheetIndexOutOfRange)
        #expect(error?.message.contains("rows must be written in order") == true)
        try workbook.close()

        let description = try describeWorkbook(
            at: path,
            cells: ["Register!A1", "Register!A\(rows + 1)", "Register!B\(rows + 1)", "Register!C\(rows + 1)"]
        )
        #expect(description.cells["Register!A1"]?.value == .string("Asset"))
        #expect(description.cells["Register!A\(rows + 1)"]?.type == "string")
        #expect(description.cells["Register!A\(rows + 1)"]?.value == .string("=CT-\(rows)"))
        #expect(description.cells["Register!B\(rows + 1)"]?.value == .number(Double(rows)))
        #expect(description.cells["Register!C\(rows + 1)"]?.cached == .number(Double(rows * 2)))
        #expect(description.tables.isEmpty)
        #expect(description.layout["Register"]?.merged == ["E1:G1"])
    }
}
