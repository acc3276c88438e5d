import FleetCore
import Foundation
import Testing

@testable import FleetRegister

/// A `;`-separated register (continental Excel) with `extra` columns after the required ones.
private func semicolonRegister(_ extraHeader: String, _ rows: [String]) -> String {
    let header = "asset_id;trust;site;modality;install_date;" + extraHeader
    let lines = rows.enumerated().map { "U-\($0.offset + 1);Ashby;General;CT;2020-01-02;\($0.element)" }
    return ([header] + lines).joined(separator: "\n") + "\n"
}

@Suite("Numbers decided by the evidence in their column (SPEC.md, Reading real exports)")
struct NumberEvidenceTests {
    @Test(arguments: [
        // (value, what it shows)
        ("835,000", NumberParsing.Evidence.ambiguous), ("1.500", .ambiguous), ("£835,000", .decimalPoint),
        ("GBP 835,000", .decimalPoint), ("-£835,000", .decimalPoint), ("1,250,000", .decimalPoint),
        ("1,234.50", .decimalPoint), ("£1,250,000", .decimalPoint), ("1.234,50", .decimalComma), ("2,5", .decimalComma),
        ("1.250.000", .decimalComma), ("£1.250.000", .decimalComma), ("£1.250", .ambiguous), ("1250000", .none),
        ("1.5", .none), ("0.08", .none), ("1 250 000", .none), ("45123.5", .none), ("1.2.3", .none), ("x,y", .none),
        // A leading 0 groups no thousands: `0,125` can only be 0.125, and `0.125` is 0.125 either way.
        ("0,125", .decimalComma), ("0.125", .none),
    ])
    func evidenceOfOneValue(value: String, expected: NumberParsing.Evidence) {
        #expect(NumberParsing.evidence(value) == expected)
    }

    /// Today's case: `£835,000` beside `£1,250,000` in a `;` file reads as pounds, not 835.
    @Test func poundFiguresGroupedByCommasInASemicolonFile() throws {
        let text = semicolonRegister("replacement_cost_gbp", ["£835,000", "£1,250,000", "90000"])
        let assets = try registerAssets(text)
        #expect(assets.map(\.replacementCostGBP) == [GBP(835_000), GBP(1_250_000), GBP(90_000)])
    }

    @Test func oneValueDecidesTheColumnAndTheOtherColumnIsDecidedByItsOwn() throws {
        let text = semicolonRegister(
            "replacement_cost_gbp;service_cost_gbp_per_year",
            ["1.250.000;85.000", "835.000;4.500,50", "950000;3000"]
        )
        let assets = try registerAssets(text)
        #expect(assets.map(\.replacementCostGBP) == [GBP(1_250_000), GBP(835_000), GBP(950_000)])
        #expect(assets.map(\.serviceCostGBPPerYear) == [GBP(85_000), GBP(4_500.5), GBP(3_000)])
    }

    @Test func decimalCommaFigures() throws {
        let text = semicolonRegister(
            "replacement_cost_gbp;service_cost_gbp_per_year;criticality",
            ["1.234,50;2,5;4", "0,75;12.345,678;2"]
        )
        let assets = try registerAssets(text)
        #expect(assets.map(\.replacementCostGBP) == [GBP(1_234.5), GBP(0.75)])
        #expect(assets.map(\.serviceCostGBPPerYear) == [GBP(2.5), GBP(12_345.678)])
        #expect(assets.map(\.criticality) == [4, 2])
    }

    @Test func aColumnThatReadsTheSameEitherWayNeedsNoEvidence() throws {
        let text = semicolonRegister("replacement_cost_gbp;notes", ["1250000;835,000 on the order", "1.5;x"])
        let assets = try registerAssets(text)
        #expect(assets.map(\.replacementCostGBP) == [GBP(1_250_000), GBP(1.5)])
        #expect(assets.first?.notes == "835,000 on the order")
    }

    @Test func anAmbiguousColumnIsRefusedNamingItOnceWithHowToResolveIt() {
        let text = semicolonRegister(
            "replacement_cost_gbp;service_cost_gbp_per_year",
            ["835,000;85.000,00", "250,000;4.500", "950000;3000"]
        )
        #expect(
            registerProblems(text) == [
                "register.csv:2: column 'replacement_cost_gbp': value '835,000' — is 835000 with a decimal point but "
                    + "835 with a decimal comma, and no value in the column shows which this file uses; import the "
                    + "file with --decimal-point or --decimal-comma to say which, or write the figures without "
                    + "separators"
            ]
        )
    }

    @Test func aColumnMixingConventionsIsRefusedNamingBothValues() {
        let text = semicolonRegister("replacement_cost_gbp", ["90000", "1,250,000", "2,5", "1.250.000"])
        #expect(
            registerProblems(text) == [
                "register.csv:3: column 'replacement_cost_gbp': value '1,250,000' — reads only with a decimal point, "
                    + "but '2,5' on line 4 reads only with a decimal comma; expected one convention in a column "
                    + "(correct the figures, or import the file with --decimal-point or --decimal-comma to say "
                    + "which, or write the figures without separators)"
            ]
        )
    }

    @Test func theUserSaysWhichConvention() throws {
        let text = semicolonRegister("replacement_cost_gbp", ["835,000", "250,000"])
        let table = try csvTable(text)
        let point = try RegisterImport.readRegister(table.readingNumbers(as: .decimalPoint), today: testToday)
        #expect(point.map(\.replacementCostGBP) == [GBP(835_000), GBP(250_000)])
        let comma = try RegisterImport.readRegister(table.readingNumbers(as: .decimalComma), today: testToday)
        #expect(comma.map(\.replacementCostGBP) == [GBP(835), GBP(250)])
    }

    /// A comma-separated file writes numbers with a decimal point, as before: `835,000` is 835,000 there.
    @Test func aCommaSeparatedFileIsUnchanged() throws {
        let text = "\(requiredHeader),replacement_cost_gbp\nCT-1,A,S,CT,2020,\"835,000\"\nCT-2,A,S,CT,2020,1.500\n"
        let assets = try registerAssets(text)
        #expect(assets.map(\.replacementCostGBP) == [GBP(835_000), GBP(1.5)])
    }

    @Test func theUtilisationFeedFollowsTheSameRule() throws {
        let feed =
            "asset_id;month;scans;available_hours;downtime_hours;service_cost_gbp\n"
            + "CT-1;2025-01;1200;400;12,5;2.000\nCT-1;2025-02;1100;380;0;1.500,00\n"
        let records = try RegisterImport.readUtilisation(try csvTable(feed, file: "feed.csv"), today: testToday)
        #expect(records.map(\.downtimeHours) == [12.5, 0])
        #expect(records.map(\.serviceCostGBP) == [GBP(2_000), GBP(1_500)])
        // `1.200` scans: 1.2 or 1,200, and no value of the column shows which (that 1.2 is not a whole number
        // is not taken as evidence).
        let ambiguous = "asset_id;month;scans\nCT-1;2025-01;1.200\nCT-1;2025-02;1100\n"
        #expect(throws: InvalidInput.self) {
            try RegisterImport.readUtilisation(try csvTable(ambiguous, file: "feed.csv"), today: testToday)
        }
        do {
            _ = try RegisterImport.readUtilisation(try csvTable(ambiguous, file: "feed.csv"), today: testToday)
        } catch let error as InvalidInput {
            #expect(
                error.issues.map(\.description).first?.hasPrefix(
                    "feed.csv:2: column 'scans': value '1.200' — is 1.2 with a decimal point but 1200 with a decimal comma"
                ) == true
            )
        }
    }
}
