import FleetCore
import Testing

@testable import FleetPriority

@Suite("Age profile against the COCIR rule")
struct AgeProfileTests {
    let asOf = Fixture.day("2025-06-15")

    func asset(
        _ id: String,
        _ trust: String,
        _ installed: String,
        modality: Modality = .ct,
        network: String? = "N1",
        status: AssetStatus = .inService
    ) -> Asset {
        Fixture.asset(id, trust: trust, network: network, modality: modality, installed: installed, status: status)
    }

    /// Completed years at 2025-06-15, counted by hand in the comments.
    var assets: [Asset] {
        [
            asset("A1", "Trust A", "2025-01-01"),  // 0
            asset("A2", "Trust A", "2019-06-16"),  // 5 (6th anniversary tomorrow)
            asset("A3", "Trust A", "2019-06-15"),  // 6
            asset("A4", "Trust A", "2014-06-16", modality: .mr),  // 10
            asset("A5", "Trust A", "2014-06-15", modality: .mr),  // 11
            asset("B1", "Trust B", "2020-02-29", network: nil),  // 5
            asset("B2", "Trust B", "2004-02-29", network: nil),  // 21
            asset("B3", "Trust B", "2001-01-01", status: .decommissioned),  // left out
            asset("B4", "Trust B", "2025-07-01"),  // installed after as-of: left out
        ]
    }

    @Test func countsMatchAHandCountByTrust() {
        let rows = AgeProfile.compute(assets: assets, asOf: asOf, by: .trust)
        #expect(rows.map(\.group) == ["Trust A", "Trust B", "All units"])
        #expect(rows[0].units == 5)
        #expect([rows[0].unitsAged0To5, rows[0].unitsAged6To10, rows[0].unitsAgedOver10] == [2, 2, 1])
        #expect([rows[1].unitsAged0To5, rows[1].unitsAged6To10, rows[1].unitsAgedOver10] == [1, 0, 1])
        #expect([rows[2].unitsAged0To5, rows[2].unitsAged6To10, rows[2].unitsAgedOver10] == [3, 2, 2])
        #expect(rows[2].units == 7)
        #expect(rows[0].share0To5 == 0.4)
        #expect(rows[1].shareOver10 == 0.5)
        #expect(rows.allSatisfy { !$0.meetsRule })
    }

    @Test func groupsByModalityInModalityOrderAndByNetwork() {
        let byModality = AgeProfile.compute(assets: assets, asOf: asOf, by: .modality)
        #expect(byModality.map(\.group) == ["CT", "MR", "All units"])
        #expect(byModality[1].units == 2)
        let byNetwork = AgeProfile.compute(assets: assets, asOf: asOf, by: .network)
        #expect(byNetwork.map(\.group) == ["(no network)", "N1", "All units"])
        #expect(byNetwork[0].units == 2)
    }

    @Test(arguments: [
        // 6 / 3 / 1 of 10 sits exactly on every limit: met.
        (6, 3, 1, true), (5, 4, 1, false), (6, 2, 2, false), (7, 3, 0, true), (6, 4, 0, false), (0, 0, 0, false),
        (3, 2, 0, false), (3, 1, 0, true),
    ])
    func theRuleIsJudgedExactlyAtItsLimits(young: Int, middle: Int, old: Int, meets: Bool) {
        let row = AgeProfile.Row(group: "G", unitsAged0To5: young, unitsAged6To10: middle, unitsAgedOver10: old)
        #expect(row.meetsRule == meets)
    }

    @Test func aGroupMeetingTheRuleIsFlagged() {
        let young = (0..<6).map { asset("Y\($0)", "Trust C", "2022-01-01") }
        let middle = (0..<3).map { asset("M\($0)", "Trust C", "2017-01-01") }
        let old = [asset("O0", "Trust C", "2012-01-01")]
        let rows = AgeProfile.compute(assets: young + middle + old, asOf: asOf, by: .trust)
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.meetsRule })
        #expect(rows[0].share0To5 == 0.6)
    }
}
