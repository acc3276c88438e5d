import FleetCore
import FleetRegister
import Foundation
import Testing

@Suite("Utilisation feed")
struct UtilisationReaderTests {
    static let header = "asset_id,month,scans,available_hours,downtime_hours,breakdowns,service_cost_gbp"
    static let known: Set<AssetID> = ["CT-1", "MR-2"]

    func records(_ rows: String) throws -> [UtilisationRecord] {
        try RegisterImport.readUtilisation(
            try csvTable("\(Self.header)\n\(rows)", file: "feed.csv"),
            today: testToday,
            knownAssets: Self.known
        )
    }

    func problems(_ rows: String) -> [String] {
        do {
            _ = try records(rows)
            return []
        } catch let error as InvalidInput {
            return error.issues.map(\.description)
        } catch {
            return ["unexpected error: \(error)"]
        }
    }

    @Test func readsEveryColumn() throws {
        let read = try records("CT-1,2025-05,1234,400,12.5,2,\"£1,500\"\nMR-2,2025-06,0,,,,\n")
        #expect(
            read == [
                UtilisationRecord(
                    assetID: "CT-1",
                    month: YearMonth(year: 2025, month: 5)!,
                    scans: 1234,
                    availableHours: 400,
                    downtimeHours: 12.5,
                    breakdowns: 2,
                    serviceCostGBP: GBP(1500)
                ),
                UtilisationRecord(assetID: "MR-2", month: YearMonth(year: 2025, month: 6)!, scans: 0),
            ]
        )
    }

    @Test func theCurrentMonthIsAccepted() throws {
        #expect(try records("CT-1,2025-06,10,,,,\n").count == 1)
    }

    @Test(arguments: [
        (
            "XR-9,2025-05,10,,,,",
            "feed.csv:2: column 'asset_id': value 'XR-9' — is not in the register; "
                + "expected an asset_id imported first with `fleet import register`"
        ),
        (
            "CT-1,2025-07,10,,,,",
            "feed.csv:2: column 'month': value '2025-07' — is in the future (this month is 2025-06); "
                + "expected a month up to 2025-06"
        ),
        (
            "CT-1,2025-05,10,-4,,,",
            "feed.csv:2: column 'available_hours': value '-4' — is negative; "
                + "expected hours from 0 to 744 (the hours in a 31-day month)"
        ),
        (
            "CT-1,2025-05,10,,-1,,",
            "feed.csv:2: column 'downtime_hours': value '-1' — is negative; "
                + "expected hours from 0 to 744 (the hours in a 31-day month)"
        ),
        (
            "CT-1,2025-05,10,40,50,,",
            "feed.csv:2: column 'downtime_hours': value '50' — is more than available_hours (40); "
                + "expected downtime within the available hours"
        ),
        (
            "CT-1,2025-02,10,700,,,",
            "feed.csv:2: column 'available_hours': value '700' — is more than the 672 hours in 2025-02; "
                + "expected at most the hours in the month"
        ),
        (
            "CT-1,2025-05,-3,,,,",
            "feed.csv:2: column 'scans': value '-3' — is out of range; "
                + "expected a whole number of examinations from 0 to 10,000,000"
        ),
        (
            "CT-1,2025-13,3,,,,",
            "feed.csv:2: column 'month': value '2025-13' — is not a valid month; expected a month as YYYY-MM"
        ),
        (
            "CT-1,2025-05,3,,,,\nCT-1,2025-05,4,,,,",
            "feed.csv:3: column 'month': value '2025-05' — repeats asset 'CT-1' in 2025-05 (first on line 2); "
                + "expected one row for each asset and month"
        ),
    ])
    func oneProblem(rows: String, message: String) {
        #expect(problems(rows) == [message])
    }

    @Test func unknownColumnsAreNamed() throws {
        let table = try csvTable("asset_id,month,scans,Comment\nCT-1,2025-05,3,x\n", file: "feed.csv")
        #expect(RegisterImport.unknownColumns(of: table) == ["Comment"])
    }
}
