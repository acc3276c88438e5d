import FleetCore
import FleetRegister
import Foundation
import GRDB
import Testing

@Suite("SQLite register store")
struct SQLiteRegisterStoreTests {
    @Test func utilisationForAnUnknownAssetIsRefusedAndNothingIsWritten() throws {
        let store = try SQLiteRegisterStore.makeInMemory()
        _ = try store.upsert(assets: [makeAsset("CT-1")])
        let before = try store.dump()
        let records = [
            UtilisationRecord(assetID: "CT-1", month: YearMonth(year: 2024, month: 1)!, scans: 5),
            UtilisationRecord(assetID: "XR-404", month: YearMonth(year: 2024, month: 1)!, scans: 5),
        ]
        #expect(throws: RegisterStoreError.self) { try store.upsert(utilisation: records) }
        #expect(try store.dump() == before)
    }

    @Test func aWriteThatFailsAtItsLastRowLeavesTheDatabaseExactlyAsItWas() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRegisterStore(path: folder.appendingPathComponent("fleet.sqlite").path)
        _ = try store.upsert(assets: (1...2_000).map { makeAsset(String(format: "A-%05d", $0)) })
        let before = try store.dump()
        // 2,999 good rows (1,000 of them updates), then one the database's own CHECK refuses.
        var batch = (1...2_999).map { makeAsset(String(format: "A-%05d", $0), site: "Moved") }
        var bad = makeAsset("A-03000")
        bad.criticality = 9
        batch.append(bad)
        #expect(throws: RegisterStoreError.self) { try store.upsert(assets: batch) }
        #expect(try store.dump() == before)
        #expect(before.contains("'A-02000'"))
        // The store is still usable after the failure.
        #expect(try store.upsert(assets: [makeAsset("A-03000")]) == UpsertSummary(inserted: 1, updated: 0))
    }

    @Test func twoStoresOnOneFileWriteAtOnceWithoutFailing() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fleet.sqlite").path
        let stores = [try SQLiteRegisterStore(path: path), try SQLiteRegisterStore(path: path)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for round in 0..<20 {
                        let assets = (0..<200).map { makeAsset("S\(index)-R\(round)-\($0)") }
                        _ = try store.upsert(assets: assets)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try stores[0].assetIDs().count == 2 * 20 * 200)
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWithThePathAndReason() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.txt").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SQLiteRegisterStore(path: path)
            Issue.record("a text file opened as a register")
        } catch {
            #expect(error.exitCode == .failure)
            #expect(error.description.hasPrefix("\(path): the register database cannot be opened ("))
            #expect(error.description.contains("not an SQLite register database"))
        }
    }

    @Test func aMissingFolderIsNamed() throws {
        let path = "/nonexistent-\(UUID().uuidString)/fleet.sqlite"
        do {
            _ = try SQLiteRegisterStore(path: path)
            Issue.record("a database opened in a missing folder")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("does not exist"))
        }
    }
}

@Suite("Imports into a store")
struct RegisterImportTests {
    @Test func aRegisterWhoseLastOf3000RowsIsBadChangesNothing() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRegisterStore(path: folder.appendingPathComponent("fleet.sqlite").path)
        let first = folder.appendingPathComponent("first.csv")
        let good = (1...2_000).map { "A-\($0),Ashby,General,CT,2015-01-01" }
        try ([requiredHeader] + good).joined(separator: "\n").write(to: first, atomically: true, encoding: .utf8)
        let summary = try RegisterImport.importRegister(
            file: first,
            displayName: "first.csv",
            into: store,
            today: testToday
        )
        #expect(summary.description == "first.csv: 2,000 rows read, 2,000 inserted, 0 updated")
        let before = try store.dump()

        let second = folder.appendingPathComponent("second.csv")
        let rows = (1...2_999).map { "A-\($0),Ashby,Annexe,MR,2016-01-01" } + ["A-3000,Ashby,Annexe,MR,2016-02-30"]
        try ([requiredHeader] + rows).joined(separator: "\n").write(to: second, atomically: true, encoding: .utf8)
        do {
            _ = try RegisterImport.importRegister(
                file: second,
                displayName: "second.csv",
                into: store,
                today: testToday
            )
            Issue.record("an invalid register was imported")
        } catch let error as InvalidInput {
            #expect(
                error.issues.map(\.description) == [
                    "second.csv:3001: column 'install_date': value '2016-02-30' — is not a valid date; "
                        + "expected a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY"
                ]
            )
        }
        #expect(try store.dump() == before)
    }

    @Test func reimportingAFileCountsUpdates() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRegisterStore.makeInMemory()
        let file = folder.appendingPathComponent("r.csv")
        try "\(requiredHeader)\nA,T,S,CT,2015\nB,T,S,CT,2015\n".write(to: file, atomically: true, encoding: .utf8)
        _ = try RegisterImport.importRegister(file: file, displayName: "r.csv", into: store, today: testToday)
        let again = try RegisterImport.importRegister(file: file, displayName: "r.csv", into: store, today: testToday)
        #expect(again.description == "r.csv: 2 rows read, 0 inserted, 2 updated")
        #expect(try store.assets(matching: .all).count == 2)
    }

    @Test func utilisationImportChecksAssetsAgainstTheStore() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRegisterStore.makeInMemory()
        _ = try store.upsert(assets: [makeAsset("CT-1")])
        let feed = folder.appendingPathComponent("feed.csv")
        try "asset_id,month,scans,note\nCT-1,2025-01,5,x\nCT-9,2025-01,5,\n".write(
            to: feed,
            atomically: true,
            encoding: .utf8
        )
        #expect(throws: InvalidInput.self) {
            try RegisterImport.importUtilisation(file: feed, displayName: "feed.csv", into: store, today: testToday)
        }
        try "asset_id,month,scans,note\nCT-1,2025-01,5,x\n".write(to: feed, atomically: true, encoding: .utf8)
        let summary = try RegisterImport.importUtilisation(
            file: feed,
            displayName: "feed.csv",
            into: store,
            today: testToday
        )
        #expect(summary.description == "feed.csv: 1 row read, 1 inserted, 0 updated (columns not imported: 'note')")
    }

    @Test func aMissingFileIsAnInputFailure() throws {
        let store = try SQLiteRegisterStore.makeInMemory()
        do {
            _ = try RegisterImport.importRegister(
                file: URL(fileURLWithPath: "/nonexistent/register.csv"),
                displayName: "register.csv",
                into: store
            )
            Issue.record("a missing file was imported")
        } catch let error as FileFailure {
            #expect(error.description == "register.csv: cannot be read (no such file)")
            #expect(error.exitCode == .invalidInput)
        }
    }

    @Test func anOldExcelWorkbookIsNamedAsSuch() {
        let data = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0])
        #expect(throws: InvalidInput.self) { try RegisterImport.readTable(data, file: "register.xls") }
        do {
            _ = try RegisterImport.readTable(data, file: "register.xls")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "register.xls: is an Excel 97–2003 workbook (.xls); expected CSV or .xlsx "
                        + "(save it as .xlsx in Excel)"
                ]
            )
        }
    }

    @Test func aFeedInAnyOrderIsStoredAsGivenAndItsHistoryKeepsTheFileOrder() throws {
        let store = try SQLiteRegisterStore.makeInMemory()
        _ = try store.upsert(assets: [makeAsset("CT-1"), makeAsset("CT-2")])
        func record(_ id: AssetID, _ month: Int, scans: Int) -> UtilisationRecord {
            UtilisationRecord(assetID: id, month: YearMonth(year: 2024, month: month)!, scans: scans)
        }
        // Out of key order, with one key twice: the later copy wins, as it updates the row the first inserted.
        let first = try store.upsert(utilisation: [
            record("CT-2", 2, scans: 1), record("CT-1", 1, scans: 2), record("CT-2", 1, scans: 3),
            record("CT-2", 2, scans: 4),
        ])
        #expect(first == UpsertSummary(inserted: 3, updated: 1))
        let second = try store.upsert(utilisation: [
            record("CT-1", 3, scans: 5), record("CT-2", 1, scans: 30), record("CT-1", 1, scans: 2),
        ])
        #expect(second == UpsertSummary(inserted: 1, updated: 2))
        let stored = try store.utilisation(from: YearMonth(ordinal: 0), through: YearMonth(year: 9999, month: 12)!)
        #expect(
            stored == [
                record("CT-1", 1, scans: 2), record("CT-1", 3, scans: 5), record("CT-2", 1, scans: 30),
                record("CT-2", 2, scans: 4),
            ]
        )
        let month = { YearMonth(year: 2024, month: $0)! }
        let history = try store.history(of: nil)
        #expect(
            history[1].changes == [
                RegisterChange(assetID: "CT-2", month: month(2)), RegisterChange(assetID: "CT-1", month: month(1)),
                RegisterChange(assetID: "CT-2", month: month(1)),
                RegisterChange(assetID: "CT-2", month: month(2), field: "scans", old: "1", new: "4"),
            ]
        )
        #expect(
            history[2].changes == [
                RegisterChange(assetID: "CT-1", month: month(3)),
                RegisterChange(assetID: "CT-2", month: month(1), field: "scans", old: "3", new: "30"),
            ]
        )
        let ct2 = try store.history(of: "CT-2")
        #expect(ct2.map(\.id) == [1, 2, 3])
        #expect(ct2[1].changes.count == 3)
        #expect(ct2[2].changes == [history[2].changes[1]])
        #expect(try store.history(of: "CT-1").map { $0.changes.count } == [1, 1, 1])
    }

    /// A history value edited by hand into one fleet never writes is named — table, row, column and value — as a
    /// value fleet cannot read, whichever of the history's tables holds it.
    @Test(arguments: [
        (
            "UPDATE register_change SET month = '20X4-13'",
            "table register_change, row CT-1: column month holds '20X4-13'"
        ),
        // The table's CHECK refuses that kind; a hand edit past it still meets the reader's own check.
        (
            "PRAGMA ignore_check_constraints = ON; UPDATE register_import SET kind = 'inventory' WHERE id = 2",
            "table register_import, row 2: column kind holds 'inventory'"
        ),
        (
            "UPDATE register_insertion SET rows = x'ff00ff'",
            "table register_insertion, row 1: column rows holds '3 bytes that are not an insertion log'"
        ),
    ])
    func aHistoryValueFleetNeverWritesIsNamed(edit: String, named: String) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fleet.sqlite").path
        let store = try SQLiteRegisterStore(path: path)
        _ = try store.upsert(assets: [makeAsset("CT-1")])
        _ = try store.upsert(utilisation: [
            UtilisationRecord(assetID: "CT-1", month: YearMonth(year: 2024, month: 1)!, scans: 10)
        ])
        _ = try store.upsert(utilisation: [
            UtilisationRecord(assetID: "CT-1", month: YearMonth(year: 2024, month: 1)!, scans: 12)
        ])
        #expect(try store.history(of: nil).count == 3)
        try DatabaseQueue(path: path).write { try $0.execute(sql: edit) }
        let error = try #require(throws: RegisterStoreError.self) { try store.history(of: nil) }
        #expect(error.description.contains("holds a value fleet cannot read"))
        #expect(error.description.contains(named), "\(error.description)")
    }

    @Test func aFeedThatFailsAtItsLastRowLeavesTheDatabaseExactlyAsItWas() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteRegisterStore(path: folder.appendingPathComponent("fleet.sqlite").path)
        _ = try store.upsert(assets: (1...250).map { makeAsset(String(format: "A-%05d", $0)) })
        _ = try store.upsert(
            utilisation: (1...250).map {
                UtilisationRecord(
                    assetID: AssetID(String(format: "A-%05d", $0)),
                    month: YearMonth(year: 2024, month: 1)!,
                    scans: 1
                )
            }
        )
        let before = try store.dump()
        // 2,999 good rows (250 of them updates), written 64 to a statement, then one the database's CHECK refuses.
        var feed: [UtilisationRecord] = []
        for month in 1...12 {
            for unit in 1...250 {
                feed.append(
                    UtilisationRecord(
                        assetID: AssetID(String(format: "A-%05d", unit)),
                        month: YearMonth(year: 2024, month: month)!,
                        scans: month
                    )
                )
            }
        }
        feed[feed.count - 1].scans = -1
        #expect(throws: RegisterStoreError.self) { try store.upsert(utilisation: feed) }
        #expect(try store.dump() == before)
    }
}
