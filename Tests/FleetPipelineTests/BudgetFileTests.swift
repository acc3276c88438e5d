import FleetCore
import FleetPipeline
import FleetProcurement
import FleetTestSupport
import Foundation
import Testing

/// A budgets file given with a register: a row naming no trust of the register would apply to no plan, so it is
/// refused; a row of a trust outside the networks planned is kept.
@Suite("Budgets file against the register")
struct BudgetFileTests {
    static let trusts: Set<TrustName> = [
        "Pendle Vale Hospitals NHS Trust", "Ribblesdale Teaching Hospitals NHS Foundation Trust", "Ashby", "Ashbury",
    ]

    private func write(_ text: String) throws -> URL {
        let url = try makeTemporaryDirectory().appendingPathComponent("budgets.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func aMisspeltTrustIsRefusedNamingLineColumnValueAndTheNearestTrust() throws {
        let url = try write(
            """
            trust,year,capital_budget_gbp
            Pendle Vale Hospitals NHS Trust,2027,1200000
            Pendle Vale Hospital NHS Trust,2028,1200000
            RIBBLESDALE TEACHING HOSPITALS NHS FOUNDATION TRUST,2028,900000
            Nope Trust,2029,100

            """
        )
        let error = #expect(throws: InvalidInput.self) {
            try BudgetFile.read(at: url, trustsInScope: ["Pendle Vale Hospitals NHS Trust"]) { Self.trusts }
        }
        let issues = try #require(error?.issues)
        #expect(issues.map(\.line) == [3, 4, 5])
        #expect(issues.allSatisfy { $0.column == "trust" && $0.file.hasSuffix("budgets.csv") })
        #expect(
            issues.map(\.value) == [
                "Pendle Vale Hospital NHS Trust", "RIBBLESDALE TEACHING HOSPITALS NHS FOUNDATION TRUST", "Nope Trust",
            ]
        )
        #expect(issues[0].problem.hasSuffix("did you mean 'Pendle Vale Hospitals NHS Trust'?"))
        #expect(issues[1].problem.hasSuffix("did you mean 'Ribblesdale Teaching Hospitals NHS Foundation Trust'?"))
        #expect(!issues[2].problem.contains("did you mean"))
        #expect(issues[2].problem.contains("is not a trust of the register"))
    }

    /// One file can hold a whole region's budgets: rows of the register's other trusts are kept (they apply to no
    /// network planned), and the register is read only when some row names a trust outside the scope.
    @Test func rowsOfTrustsOutsideTheScopeAreKept() throws {
        let url = try write(
            "trust,year,capital_budget_gbp\nAshby,2027,500000\nRibblesdale Teaching Hospitals NHS Foundation Trust,2027,1\n"
        )
        var reads = 0
        let budgets = try BudgetFile.read(at: url, trustsInScope: ["Ashby"]) {
            reads += 1
            return Self.trusts
        }
        #expect(budgets.map(\.trust) == ["Ashby", "Ribblesdale Teaching Hospitals NHS Foundation Trust"])
        #expect(reads == 1)
        _ = try BudgetFile.read(at: url, trustsInScope: Self.trusts) {
            reads += 1
            return []
        }
        #expect(reads == 1)
    }

    /// A name two trusts are equally near to suggests neither.
    @Test func aNameEquallyNearTwoTrustsSuggestsNeither() throws {
        let url = try write("trust,year,capital_budget_gbp\nAshbry,2027,500000\nAshbyy,2027,1\n")
        let error = #expect(throws: InvalidInput.self) {
            try BudgetFile.read(at: url, trustsInScope: []) { Self.trusts }
        }
        let issues = try #require(error?.issues)
        #expect(issues.count == 2)
        #expect(!issues[0].problem.contains("did you mean"), "Ashbry is one edit from Ashby and from Ashbury")
        #expect(issues[1].problem.hasSuffix("did you mean 'Ashby'?"))
    }
}
