import FleetTestSupport
import Foundation
import Testing

@testable import WorkbookWriter

@Suite("Errors and safe writing")
struct WorkbookErrorTests {
    @Test func rowBeyondTheSheetIsTheLibrarysError() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = try Workbook(path: folder.appendingPathComponent("e.xlsx").path)
        let sheet = try workbook.addWorksheet(named: "Age profile")
        let error = try #require(throws: WorkbookError.self) { try sheet.writeNumber(1, row: 1_048_576, column: 0) }
        #expect(error.kind == .library)
        #expect(error.code == .worksheetIndexOutOfRange)
        #expect(error.message == "Worksheet row or column index out of range.")
        #expect(error.sheet == "Age profile")
        #expect(error.cell == "A1048577")
        #expect(error.description.contains("'Age profile'!A1048577"))
        #expect(error.description.contains("out of range"))

        let column = try #require(throws: WorkbookError.self) { try sheet.writeText("x", row: 0, column: 16_384) }
        #expect(column.code == .worksheetIndexOutOfRange)
        let negative = try #require(throws: WorkbookError.self) { try sheet.writeText("x", row: -1, column: 0) }
        #expect(negative.code == .worksheetIndexOutOfRange)
        try workbook.close()
    }

    @Test(arguments: [
        ("Bad[name]", LibraryErrorCode.invalidSheetNameCharacter),
        ("A name far longer than thirty-one characters", .sheetNameLengthExceeded),
        ("'quoted'", .sheetNameStartEndApostrophe),
        ("summary", .sheetNameAlreadyUsed),
    ])
    func invalidSheetNamesAreTheLibrarysErrors(name: String, code: LibraryErrorCode) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = try Workbook(path: folder.appendingPathComponent("e.xlsx").path)
        _ = try workbook.addWorksheet(named: "Summary")
        let error = try #require(throws: WorkbookError.self) { _ = try workbook.addWorksheet(named: name) }
        #expect(error.code == code)
        #expect(!error.message.isEmpty)
        #expect(error.description.contains(name))
        #expect(workbook.worksheetNames == ["Summary"])
    }

    @Test func otherRejectionsAreTyped() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workbook = try Workbook(path: folder.appendingPathComponent("e.xlsx").path)
        let sheet = try workbook.addWorksheet(named: "Sheet")
        let long = try #require(throws: WorkbookError.self) {
            try sheet.writeText(String(repeating: "x", count: 32_768), row: 0, column: 0)
        }
        #expect(long.code == .maxStringLengthExceeded)
        let date = try #require(throws: WorkbookError.self) {
            try sheet.writeDate(year: 2025, month: 2, day: 30, row: 0, column: 0)
        }
        #expect(date.kind == .invalidArgument)
        let table = try #require(throws: WorkbookError.self) {
            try sheet.addTable(
                Table(name: "Has space", columns: [TableColumn(header: "A")]),
                at: CellRange(rows: 0...3, column: 0)
            )
        }
        #expect(table.kind == .library)
        let name = try #require(throws: WorkbookError.self) {
            try workbook.defineName("1 bad name", refersTo: "=Sheet!$A$1")
        }
        #expect(name.kind == .invalidArgument)
        #expect(name.description.contains("1 bad name"))
        for bad in ["A1", "R1C1", "C", "Rate%", "Sheet!B2"] {
            #expect(throws: WorkbookError.self, "\(bad)") { try workbook.defineName(bad, refersTo: "=Sheet!$A$1") }
        }
        try workbook.defineName("Discount_rate.real", refersTo: "=Sheet!$A$1")
        try workbook.defineName("Sheet!LocalRate", refersTo: "=Sheet!$A$2")
        let chart = try #require(throws: WorkbookError.self) {
            try sheet.insertChart(Chart(.pie), row: 0, column: 0)
        }
        #expect(chart.kind == .invalidArgument)
        try workbook.close()
        let closed = try #require(throws: WorkbookError.self) { try sheet.writeNumber(1, row: 0, column: 0) }
        #expect(closed.kind == .closed)
        #expect(throws: WorkbookError.self) { try workbook.close() }
    }

    @Test func aFolderThatIsAFileIsUnwritableOutput() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let error = try #require(throws: WorkbookError.self) {
            _ = try Workbook(path: file.appendingPathComponent("out.xlsx").path)
        }
        #expect(error.kind == .unwritableOutput)
        #expect(error.message.contains("Not a directory"))
        let missing = try #require(throws: WorkbookError.self) {
            _ = try Workbook(path: folder.appendingPathComponent("missing/out.xlsx").path)
        }
        #expect(missing.kind == .unwritableOutput)
        #expect(missing.message.contains("No such file or directory"))
    }

    @Test func aFolderAtTheTargetPathIsUnwritableOutput() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.xlsx")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        let error = try #require(throws: WorkbookError.self) { _ = try Workbook(path: target.path) }
        #expect(error.kind == .unwritableOutput)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.xlsx"])
    }

    @Test func aFailedCloseLeavesTheEarlierWorkbookIntact() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.xlsx").path
        let earlier = Data("the earlier workbook".utf8)
        try earlier.write(to: URL(fileURLWithPath: target))

        let workbook = try Workbook(path: target)
        try workbook.addWorksheet(named: "Summary").writeNumber(1, row: 0, column: 0)
        // Make the assembly fail: a folder where libxlsxwriter must create its zip file. (Tests run as root, so
        // permissions cannot stop the write.)
        #expect(FileManager.default.fileExists(atPath: workbook.temporaryPath))
        try FileManager.default.removeItem(atPath: workbook.temporaryPath)
        try FileManager.default.createDirectory(atPath: workbook.temporaryPath, withIntermediateDirectories: false)
        let error = try #require(throws: WorkbookError.self) { try workbook.close() }
        #expect(error.kind == .unwritableOutput)
        #expect(error.code == .creatingXLSXFile)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == earlier)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.xlsx"])
    }

    @Test func aSuccessfulCloseReplacesTheEarlierFileAndLeavesNoTemporaryFile() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("report.xlsx").path
        try Data("the earlier workbook".utf8).write(to: URL(fileURLWithPath: target))
        let workbook = try Workbook(path: target)
        #expect(workbook.temporaryPath.hasPrefix(folder.path + "/.report.xlsx.tmp-"))
        try workbook.addWorksheet(named: "Summary").writeText("hello", row: 0, column: 0)
        try workbook.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.xlsx"])
        let described = try describeWorkbook(at: target, cells: ["Summary!A1"])
        #expect(described.cells["Summary!A1"]?.value == .string("hello"))
    }

    @Test func anAbandonedWorkbookRemovesItsTemporaryFile() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let workbook = try Workbook(path: folder.appendingPathComponent("never.xlsx").path)
            _ = try workbook.addWorksheet(named: "Summary")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
