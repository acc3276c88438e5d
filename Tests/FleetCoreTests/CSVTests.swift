import Foundation
import Testing

@testable import FleetCore

@Suite("CSV reading")
struct CSVTests {
    private func table(_ text: String) throws -> InputTable { try CSV.parse(Data(text.utf8), file: "in.csv") }

    @Test func readsBOMCRLFQuotesAndTrailingEmptyRows() throws {
        let text =
            "\u{FEFF}Asset ID,Notes\r\nA1,\"line one\r\nline two, with comma\"\r\nA2,\"say \"\"hi\"\"\"\r\n,\r\n\r\n"
        let parsed = try table(text)
        #expect(parsed.columns == ["asset_id", "notes"])
        #expect(parsed.rows.count == 2)
        #expect(parsed.rows[0].fields[1] == "line one\r\nline two, with comma")
        #expect(parsed.rows[1].line == 4)
        #expect(parsed.rows[1].fields[1] == "say \"hi\"")
    }

    @Test func detectsSemicolonsAndDecimalCommas() throws {
        let parsed = try table("a;b\n1.250.000,50;x\n")
        #expect(parsed.numberConvention == .decimalComma)
        let reader = parsed.reader(for: parsed.rows[0])
        var issues = InputIssues()
        #expect(reader.value("a", .money, issues: &issues) == GBP(1_250_000.5))
        #expect(issues.isEmpty)
    }

    @Test func readsWindows1252PoundSign() throws {
        var data = Data("cost\n".utf8)
        data.append(contentsOf: [0xA3, 0x31, 0x30, 0x30, 0x30, 0x0A])  // £1000 in Windows-1252
        let parsed = try CSV.parse(data, file: "w.csv")
        var issues = InputIssues()
        #expect(parsed.reader(for: parsed.rows[0]).value("cost", .money, issues: &issues) == GBP(1000))
    }

    @Test func reportsAnUnclosedQuoteWithItsLine() {
        #expect(throws: InvalidInput.self) { try table("a,b\n1,2\n3,\"open\n") }
        do {
            _ = try table("a,b\n1,2\n3,\"open\n")
        } catch let error as InvalidInput {
            #expect(
                error.issues.first?.description.hasPrefix("in.csv:3: has a quoted field that is never closed") == true
            )
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        ("£1,250,000", 1_250_000.0), ("1250000", 1_250_000), ("GBP 900", 900), (" 12.5 ", 12.5), ("-0", 0),
        ("1 250 000", 1_250_000), ("1e6", 1_000_000),
    ])
    func readsMoney(text: String, pounds: Double) throws {
        #expect(Field<GBP>.money.parse(text, .decimalPoint) == .success(GBP(pounds)))
    }

    @Test(arguments: ["NaN", "inf", "1e309", "0x10", "1,25", "12abc", "£", "--5", "1.2.3", "-100"])
    func rejectsNonMoney(text: String) {
        guard case .failure = Field<GBP>.money.parse(text, .decimalPoint) else {
            Issue.record("\(text) was accepted as money")
            return
        }
    }

    @Test func neutralisesFormulasInCSVExports() {
        #expect(
            CSV.line(["=HYPERLINK(\"x\")", "-12.5", "+cmd|' /C calc'!A0", "plain"])
                == "\"'=HYPERLINK(\"\"x\"\")\",-12.5,'+cmd|' /C calc'!A0,plain"
        )
    }
}
