import Testing

@testable import WorkbookWriter

@Suite("Cell references, number formats and dates")
struct AddressingTests {
    @Test(arguments: [
        (0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD"),
    ])
    func columnLetters(column: Int, letters: String) {
        #expect(CellReference.columnLetters(column) == letters)
        #expect(CellReference(a1: letters + "1") == CellReference(row: 0, column: column))
    }

    @Test func referencesInEveryNotation() {
        let cell = CellReference(row: 2, column: 1)
        #expect(cell.a1 == "B3")
        #expect(cell.absolute == "$B$3")
        #expect(cell.qualified(sheet: "Summary") == "Summary!$B$3")
        #expect(cell.qualified(sheet: "Age profile") == "'Age profile'!$B$3")
        #expect(cell.qualified(sheet: "O'Brien's") == "'O''Brien''s'!$B$3")
        #expect(cell.qualified(sheet: "Sheet1") == "'Sheet1'!$B$3")
        let range = CellRange(rows: 0...8, columns: 0...1)
        #expect(range.a1 == "A1:B9")
        #expect(range.absolute == "$A$1:$B$9")
        #expect(range.qualified(sheet: "Capital plan") == "'Capital plan'!$A$1:$B$9")
        #expect(range.rowCount == 9 && range.columnCount == 2)
    }

    @Test(arguments: [
        "SensitivityTierDiscount", "ABCDEFGHIJKLMNOPQRSTUVWXYZ1", "A123456789012", "", "1A", "A0", "A", "AAAA1",
        "B3:C4", "$$B3",
    ])
    func malformedA1IsRejected(text: String) {
        #expect(CellReference(a1: text) == nil)
    }

    @Test func parsesAbsoluteReferences() {
        #expect(CellReference(a1: "$XFD$1048576") == CellReference(row: 1_048_575, column: 16_383))
        #expect(CellReference(a1: "b3") == CellReference(row: 2, column: 1))
    }

    @Test func formatsDifferingInAnyOnePropertyAreDifferent() {
        let base = CellFormat()
        let changes: [(inout CellFormat) -> Void] = [
            { $0.isBold = true }, { $0.isItalic = true }, { $0.isUnderlined = true }, { $0.fontName = "Arial" },
            { $0.fontSizeInPoints = 9 }, { $0.fontColor = .red }, { $0.fillColor = .lightGrey }, { $0.border = .thin },
            { $0.topBorder = .thin }, { $0.bottomBorder = .double }, { $0.borderColor = .grey },
            { $0.horizontalAlignment = .center }, { $0.verticalAlignment = .top }, { $0.isWrapped = true },
            { $0.indentLevels = 1 }, { $0.rotationInDegrees = 45 }, { $0.numberFormat = .gbp },
            { $0.isUnlocked = true },
        ]
        for (index, change) in changes.enumerated() {
            var changed = base
            change(&changed)
            #expect(changed != base, "change \(index)")
            var again = base
            change(&again)
            #expect(changed == again && changed.hashValue == again.hashValue, "change \(index)")
        }
    }

    @Test func numberFormatHelpers() {
        #expect(NumberFormat.gbp.code == "£#,##0;[Red]-£#,##0")
        #expect(NumberFormat.gbpPence.code == "£#,##0.00;[Red]-£#,##0.00")
        #expect(NumberFormat.percent.code == "0%")
        #expect(NumberFormat.percent(decimals: 1).code == "0.0%")
        #expect(NumberFormat.percent(decimals: 2).code == "0.00%")
        #expect(NumberFormat.date.code == "yyyy-mm-dd")
        #expect(NumberFormat.integer.code == "#,##0")
        #expect(NumberFormat.decimal(places: 3).code == "#,##0.000")
    }

    // Serials checked against Excel's 1900 date system: 1900-03-01 is 61, 2025-01-01 is 45658.
    @Test(arguments: [
        (1900, 3, 1, 61.0), (1970, 1, 1, 25_569.0), (2000, 2, 29, 36_585.0), (2025, 1, 1, 45_658.0),
        (2025, 4, 1, 45_748.0), (9999, 12, 31, 2_958_465.0),
    ])
    func excelSerials(year: Int, month: Int, day: Int, serial: Double) {
        #expect(ExcelDate.serial(year: year, month: month, day: day) == serial)
    }

    @Test(arguments: [(2025, 2, 29), (2025, 13, 1), (2025, 4, 31), (1900, 2, 28), (1899, 12, 31), (2025, 0, 1)])
    func impossibleDatesHaveNoSerial(year: Int, month: Int, day: Int) {
        #expect(ExcelDate.serial(year: year, month: month, day: day) == nil)
    }
}
