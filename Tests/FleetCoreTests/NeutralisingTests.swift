import Foundation
import Testing

@testable import FleetCore

@Suite("CSV exports: formula-like text neutralised, and back")
struct NeutralisingTests {
    @Test(arguments: [
        ("=1+2", "'=1+2"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"), ("＝1+1", "'＝1+1"), ("＋1", "'＋1"), ("＠x", "'＠x"), ("－1", "'－1"), ("-12.5", "-12.5"),
        ("-1e5", "-1e5"), ("plain", "plain"), ("'plain", "'plain"), ("'=1", "''=1"), ("''=1", "'''=1"), ("'", "'"),
        ("", ""), ("-", "'-"),
    ])
    func neutralises(text: String, written: String) {
        #expect(CSV.neutralised(text) == written)
        #expect(CSV.removingNeutralisingMark(written) == text)
    }

    /// The pair is exact on any text: what an export writes, an import reads back as it was.
    @Test func roundTripsAnyText() {
        var state: UInt64 = 0x5EED
        let alphabet = Array("=+-@'\t\r＝＋＠－ ax1.,\"")
        for _ in 0..<20_000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for shift in stride(from: 0, to: Int(state >> 61) * 8, by: 8) {
                text.append(alphabet[Int((state >> UInt64(shift + 3)) % UInt64(alphabet.count))])
            }
            let written = CSV.neutralised(text)
            #expect(CSV.removingNeutralisingMark(written) == text, "\(text.debugDescription)")
            #expect(!CSV.isFormulaLike(written), "\(written.debugDescription) is still live")
        }
    }

    /// Read back through the CSV reader and the text field, a neutralised line gives the original values.
    @Test func aNeutralisedLineReadsBack() throws {
        let values = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "'=kept", "-2+3", "x,y"]
        let data = Data((CSV.line(["a", "b", "c", "d", "e"]) + "\n" + CSV.line(values) + "\n").utf8)
        let table = try CSV.parse(data, file: "t.csv")
        let reader = table.reader(for: table.rows[0])
        var issues = InputIssues()
        let read = ["a", "b", "c", "d", "e"].map { reader.value($0, .text, issues: &issues) }
        #expect(issues.isEmpty)
        #expect(read == values)
    }
}
