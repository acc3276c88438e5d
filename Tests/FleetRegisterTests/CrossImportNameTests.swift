import FleetCore
import Foundation
import Testing

@testable import FleetRegister

/// Names checked against the register, not only within one file: a second file must not leave a trust, site or
/// network written two ways that differ only in letter case, nor a trust in two networks, since the register's
/// filters match names ignoring case and a plan keeps them apart.
@Suite("Register names across imports")
struct CrossImportNameTests {
    static let header = "asset_id,network,trust,site,modality,install_date"
    static let first = """
        A1,North,Ashby,General,CT,2015
        A2,North,Ashby,General,MRI,2016
        B1,North,Brill,Main,CT,2014
        """

    /// A store holding ``first``, and a function importing more rows into it.
    func makeStore() throws -> (SQLiteRegisterStore, (String) throws -> ImportSummary) {
        let folder = try makeTemporaryDirectory()
        let store = try SQLiteRegisterStore.makeInMemory()
        let importing = { (rows: String) throws -> ImportSummary in
            let file = folder.appendingPathComponent("register.csv")
            try "\(Self.header)\n\(rows)\n".write(to: file, atomically: true, encoding: .utf8)
            return try RegisterImport.importRegister(
                file: file,
                displayName: "register.csv",
                into: store,
                today: testToday
            )
        }
        _ = try importing(Self.first)
        return (store, importing)
    }

    @Test func aNameWrittenAnotherWayIsRefusedWithTheRegistersSpellingAndNothingWritten() throws {
        let (store, importing) = try makeStore()
        let before = try store.dump()
        for (rows, expected) in [
            ("A3,North,ashby,Annex,CT,2018\nA4,North,Brill,main,CT,2018", ["2 trust ashby", "3 site main"]),
            ("C1,north,Cole,X,CT,2018", ["2 network north"]),
        ] {
            do {
                _ = try importing(rows)
                Issue.record("a name written another way was imported")
            } catch let error as InvalidInput {
                #expect(error.issues.map { "\($0.line ?? 0) \($0.column ?? "") \($0.value ?? "")" } == expected)
                #expect(error.issues[0].problem.hasPrefix("differs from '"))
                #expect(error.issues[0].problem.contains("', already in the register, only in letter case"))
            }
        }
        #expect(try store.dump() == before)
    }

    @Test func aTrustInAnotherNetworkIsRefused() throws {
        let (store, importing) = try makeStore()
        #expect(throws: InvalidInput.self) { try importing("B2,South,Brill,Main,CT,2019") }
        #expect(try store.assets(matching: .all).count == 3)
    }

    @Test func everyAssetOfATrustImportedAgainMayRenameOrMoveIt() throws {
        let (store, importing) = try makeStore()
        let renamed = try importing("A1,North,ASHBY,General,CT,2015\nA2,North,ASHBY,General,MRI,2016")
        #expect(renamed.description == "register.csv: 2 rows read, 0 inserted, 2 updated")
        _ = try importing("B1,South,Brill,Main,CT,2014")
        let places = try store.assetPlaces().sorted { $0.id < $1.id }
        #expect(
            places.map { "\($0.network?.rawValue ?? "") \($0.trust) \($0.site)" } == [
                "North ASHBY General", "North ASHBY General", "South Brill Main",
            ]
        )
    }

    @Test func theSameSpellingsAddAssets() throws {
        let (_, importing) = try makeStore()
        let summary = try importing("A3,North,Ashby,General,CT,2018\nB2,North,Brill,Annex,CT,2019")
        #expect(summary.description == "register.csv: 2 rows read, 2 inserted, 0 updated")
    }
}
