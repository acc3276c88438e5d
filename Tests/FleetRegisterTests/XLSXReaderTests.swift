import FleetCore
import FleetRegister
import Foundation
import Testing
import WorkbookWriter
import ZIPFoundation

@Suite("Register from XLSX")
struct XLSXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// openpyxl writes inline strings, booleans, date-formatted serials and a gap row (see
    /// Fixtures/make-openpyxl-register.py).
    @Test func openpyxlWorkbook() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("openpyxl-register.xlsx"))
        let table = try RegisterImport.readTable(data, file: "register.xlsx")
        #expect(table.columns.prefix(5) == ["asset_id", "trust", "site", "modality", "install_date"])
        #expect(table.rows.map(\.line) == [2, 3, 5])
        #expect(
            table.rows[0].fields == [
                "CT-001", "Ashby Hospitals NHS Trust", "Ashby General Hospital", "CT", "2016-03-14", "1250000", "false",
                "5", "49000", "B12",
            ]
        )
        #expect(table.rows[1].fields[5] == "1000000.5")
        #expect(table.rows[1].fields[6] == "true")
        do {
            _ = try RegisterImport.readRegister(table, today: testToday)
            Issue.record("criticality 9 was accepted")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "register.xlsx:5: column 'criticality': value '9' — is out of range; "
                        + "expected a whole number from 1 to 5"
                ]
            )
        }
        let assets = try RegisterImport.readRegister(
            try InputTable(file: table.file, header: table.headerAsWritten, rows: Array(table.rows.prefix(2))),
            today: testToday
        )
        #expect(assets[0].installDate == day(2016, 3, 14))
        #expect(assets[0].endOfSupport == day(2034, 2, 25))  // serial 49000, written as a plain number
        #expect(assets[0].replacementCostGBP == GBP(1_250_000))
        #expect(assets[0].notes == "Room: B12")
        #expect(assets[1].modality == .mr)
        #expect(assets[1].isMobile)
        #expect(assets[1].criticality == nil)
    }

    /// libxlsxwriter writes shared strings and dates as serials with a date format; the first sheet is read
    /// even when the file is named `.csv`.
    @Test func libxlsxwriterWorkbookNamedLikeCSV() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("register.csv").path
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet(named: "Register")
        let header = [
            "asset_id", "trust", "site", "modality", "install_date", "replacement_cost_gbp", "mobile", "notes",
        ]
        for (column, title) in header.enumerated() { try sheet.writeText(title, row: 0, column: column) }
        try sheet.writeText("CT-1", row: 1, column: 0)
        try sheet.writeText("Ashby", row: 1, column: 1)
        try sheet.writeText("General", row: 1, column: 2)
        try sheet.writeText("Computed tomography", row: 1, column: 3)
        try sheet.writeDate(year: 2016, month: 3, day: 14, row: 1, column: 4)
        try sheet.writeNumber(1_250_000, row: 1, column: 5, format: CellFormat(numberFormat: .gbp))
        try sheet.writeBoolean(true, row: 1, column: 6)
        try sheet.writeText("=HYPERLINK(\"x\")", row: 1, column: 7)
        try sheet.writeText("XR-2", row: 3, column: 0)  // row 4 of the sheet, with a gap and an empty cell
        try sheet.writeText("Ashby", row: 3, column: 1)
        try sheet.writeText("General", row: 3, column: 2)
        try sheet.writeText("X-ray", row: 3, column: 3)
        try sheet.writeDate(
            year: 2020,
            month: 2,
            day: 29,
            row: 3,
            column: 4,
            format: CellFormat(numberFormat: "dd/mm/yyyy")
        )
        let other = try workbook.addWorksheet(named: "Lookup")
        try other.writeText("something else", row: 0, column: 0)
        try workbook.close()

        let store = try SQLiteRegisterStore.makeInMemory()
        let summary = try RegisterImport.importRegister(
            file: URL(fileURLWithPath: path),
            displayName: "register.csv",
            into: store,
            today: testToday
        )
        #expect(summary.description == "register.csv: 2 rows read, 2 inserted, 0 updated")
        let assets = try store.assets(matching: .all)
        #expect(assets.map(\.id) == ["CT-1", "XR-2"])
        #expect(assets[0].installDate == day(2016, 3, 14))
        #expect(assets[0].replacementCostGBP == GBP(1_250_000))
        #expect(assets[0].isMobile)
        #expect(assets[0].notes == "=HYPERLINK(\"x\")")
        #expect(assets[0].modality == .ct)
        #expect(assets[1].installDate == day(2020, 2, 29))
        #expect(assets[1].replacementCostGBP == nil)
    }

    /// A workbook written by hand: the first sheet in workbook order is not the first file, cells without
    /// references, inline strings with runs, formula results, booleans, an error value, the 1904 date system.
    @Test func handWrittenWorkbook() throws {
        let sheet1 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            <row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>
            """
        let sheet2 = """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
            <x:row><x:c t="inlineStr"><x:is><x:t>asset_id</x:t></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c>\
            <x:c t="inlineStr"><x:is><x:t>site</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>modality</x:t></x:is></x:c>\
            <x:c t="inlineStr"><x:is><x:t>install_date</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>mobile</x:t></x:is></x:c>\
            <x:c t="inlineStr"><x:is><x:t>end_of_support</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Check</x:t></x:is></x:c></x:row>
            <x:row r="3"><x:c r="A3" t="str"><x:f>"US-"&amp;1</x:f><x:v>US-1</x:v></x:c>\
            <x:c r="B3" t="inlineStr"><x:is><x:r><x:t>Ash</x:t></x:r><x:r><x:t xml:space="preserve">by </x:t></x:r></x:is></x:c>\
            <x:c r="C3" t="s"><x:v>1</x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:t>Ultrasound</x:t></x:is></x:c>\
            <x:c r="E3" s="1"><x:v>40000</x:v></x:c><x:c r="F3" t="b"><x:v>0</x:v></x:c>\
            <x:c r="G3" t="d"><x:v>2031-05-01T00:00:00</x:v></x:c><x:c r="H3" t="e"><x:v>#N/A</x:v></x:c></x:row>
            </x:sheetData></x:worksheet>
            """
        let shared = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
            <si><t>trust</t></si><si><r><t>Gen</t></r><r><t>eral</t></r><rPh><t>ignored</t></rPh></si></sst>
            """
        let styles = """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="1"><numFmt numFmtId="164" formatCode="d\\ mmmm\\ yyyy"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>
            """
        let workbook = """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <workbookPr date1904="1"/><sheets><sheet name="Register" sheetId="2" r:id="rId2"/>\
            <sheet name="Old" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let relationships = """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
            <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
            </Relationships>
            """
        let root = """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
            </Relationships>
            """
        let data = try makeZip([
            "_rels/.rels": root, "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": relationships,
            "xl/worksheets/sheet1.xml": sheet1, "xl/worksheets/sheet2.xml": sheet2, "xl/sharedStrings.xml": shared,
            "xl/styles.xml": styles,
        ])
        let table = try RegisterImport.readTable(data, file: "book.xlsx")
        #expect(table.rows.map(\.line) == [3])
        // 40000 days after 1904-01-01 is 2013-07-07.
        #expect(
            table.rows[0].fields == [
                "US-1", "Ashby ", "General", "Ultrasound", "2013-07-07", "false", "2031-05-01", "#N/A",
            ]
        )
        let asset = try #require(try RegisterImport.readRegister(table, today: testToday).first)
        #expect(asset.trust == "Ashby")
        #expect(asset.endOfSupport == day(2031, 5, 1))
        #expect(asset.notes == "Check: #N/A")
    }

    @Test func aValueRightOfTheHeaderIsAProblem() throws {
        let sheet = """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            <row r="1"><c r="A1" t="inlineStr"><is><t>asset_id</t></is></c></row>
            <row r="2"><c r="A2" t="inlineStr"><is><t>CT-1</t></is></c><c r="C2"><v>12</v></c></row>
            </sheetData></worksheet>
            """
        let data = try makeZip(minimalWorkbook(sheet: sheet))
        #expect(throws: InvalidInput.self) { try RegisterImport.readTable(data, file: "book.xlsx") }
        do {
            _ = try RegisterImport.readTable(data, file: "book.xlsx")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "book.xlsx:2: column 'C': value '12' — is right of the last header column (A); "
                        + "expected a header name above every column with values"
                ]
            )
        }
    }

    @Test(arguments: [
        (
            Data("PK\u{3}\u{4}garbage that is no zip".utf8),
            "book.xlsx: is not a readable XLSX workbook (its ZIP container is damaged); "
                + "expected an .xlsx file saved by Excel or LibreOffice"
        ),
        (
            Data("asset_id\nCT-1\n".utf8),
            "book.xlsx: is named like a workbook but is not one (it does not start with the ZIP signature); "
                + "expected an .xlsx file saved by Excel or LibreOffice, or CSV"
        ),
    ])
    func notAWorkbook(data: Data, message: String) {
        do {
            _ = try RegisterImport.readTable(data, file: "book.xlsx")
            Issue.record("read as a table")
        } catch {
            #expect(error.issues.map(\.description) == [message])
        }
    }

    @Test func aZipWithoutAWorkbookIsNamed() throws {
        let data = try makeZip(["mimetype": "application/vnd.oasis.opendocument.spreadsheet"])
        do {
            _ = try RegisterImport.readTable(data, file: "book.ods")
            Issue.record("read as a table")
        } catch {
            #expect(error.issues.first?.problem.hasPrefix("is a ZIP file but not an XLSX workbook") == true)
        }
    }

    @Test(arguments: [("A1", 0), ("C5", 2), ("Z9", 25), ("AA10", 26), ("$AB$12", 27), ("XFD1", 16_383)])
    func cellReferences(reference: String, column: Int) throws {
        let sheet = """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            <row r="1"><c r="\(reference.replacingOccurrences(of: "$", with: ""))" t="inlineStr"><is><t>asset_id</t></is></c></row>
            </sheetData></worksheet>
            """
        let table = try RegisterImport.readTable(try makeZip(minimalWorkbook(sheet: sheet)), file: "b.xlsx")
        #expect(table.headerAsWritten.count == column + 1)
        #expect(table.headerAsWritten.last == "asset_id")
    }

    private func minimalWorkbook(sheet: String) -> [String: String] {
        [
            "xl/workbook.xml": """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
            """,
            "xl/_rels/workbook.xml.rels": """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            </Relationships>
            """,
            "xl/worksheets/sheet1.xml": sheet,
        ]
    }

    private func makeZip(_ parts: [String: String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path,
                type: .file,
                uncompressedSize: Int64(bytes.count),
                compressionMethod: .deflate,
                provider: { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) }
            )
        }
        return try #require(archive.data)
    }
}

@Suite("Register from a large XLSX")
struct LargeXLSXTests {
    /// A sheet part of over 10 MB, which libxml2 refuses when it is handed the part in one piece.
    @Test func aSheetOfOverTenMegabytes() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big.xlsx").path
        let workbook = try Workbook(path: path, constantMemory: true)
        let sheet = try workbook.addWorksheet(named: "Register")
        for (column, title) in ["asset_id", "trust", "site", "modality", "install_date", "notes"].enumerated() {
            try sheet.writeText(title, row: 0, column: column)
        }
        let note = String(repeating: "Serviced under the regional managed equipment contract. ", count: 9)
        let rowCount = 20_000
        for row in 1...rowCount {
            try sheet.writeText("U-\(row)", row: row, column: 0)
            try sheet.writeText("Ashby", row: row, column: 1)
            try sheet.writeText("General", row: row, column: 2)
            try sheet.writeText("US", row: row, column: 3)
            try sheet.writeDate(year: 2015, month: 1 + row % 12, day: 1, row: row, column: 4)
            try sheet.writeText(note, row: row, column: 5)
        }
        try workbook.close()
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let sheetSize = try #require(archive["xl/worksheets/sheet1.xml"]).uncompressedSize
        #expect(sheetSize > 10_000_000)

        let table = try RegisterImport.readTable(contentsOf: URL(fileURLWithPath: path), displayName: "big.xlsx")
        #expect(table.rows.count == rowCount)
        let assets = try RegisterImport.readRegister(table, today: testToday)
        #expect(assets.last?.id == AssetID("U-\(rowCount)"))
        #expect(assets.last?.installDate == day(2015, 1 + rowCount % 12, 1))
        #expect(assets.last?.notes == note.trimmingWhitespace())
    }
}
