import Foundation
import Testing

@Suite("fleet import and fleet register")
struct ImportCommandTests {
    static let register = """
        asset_id,network,trust,site,modality,install_date,replacement_cost_gbp,mobile,Room
        CT-1,North,Ashby Hospitals NHS Trust,Ashby General Hospital,CT,14/03/2016,"£1,250,000",no,B12
        MR-2,North,Ashby Hospitals NHS Trust,Ashby General Hospital,MRI,2019-11,,yes,
        XR-3,South,Barrow Hospitals NHS Trust,Barrow General Hospital,X-ray,2012,90000,,
        """

    func folderWithRegister(_ text: String = register) throws -> URL {
        let folder = try makeTemporaryDirectory()
        try text.write(to: folder.appendingPathComponent("register.csv"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func importThenListAsJSON() throws {
        let folder = try folderWithRegister()
        let imported = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(imported.status == 0)
        #expect(imported.stderr == "register.csv: 3 rows read, 3 inserted, 0 updated\n")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("fleet.sqlite").path))

        let listed = try runFleet(["register", "--format", "json", "--network", "north"], in: folder)
        #expect(listed.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["asset_id"] as? String } == ["CT-1", "MR-2"])
        let first = try #require(entries.first)
        #expect(first["install_date"] as? String == "2016-03-14")
        #expect(first["replacement_cost_gbp"] as? Double == 1_250_000)
        #expect(first["mobile"] as? Bool == false)
        #expect(first["modality"] as? String == "CT")
        #expect(first["notes"] as? String == "Room: B12")
        #expect(first["end_of_support"] is NSNull)
        #expect(entries.last?["mobile"] as? Bool == true)
        #expect(
            Set(first.keys)
                == Set([
                    "asset_id", "network", "trust", "site", "modality", "class", "manufacturer", "model", "mobile",
                    "install_date", "replacement_cost_gbp", "service_cost_gbp_per_year", "end_of_support",
                    "criticality",
                    "status", "notes",
                ])
        )
    }

    @Test func aSecondFileWritingATrustAnotherWayIsRefused() throws {
        let folder = try folderWithRegister()
        #expect(try runFleet(["import", "register", "register.csv"], in: folder).status == 0)
        try "asset_id,network,trust,site,modality,install_date\nCT-9,North,ASHBY Hospitals NHS Trust,Annex,CT,2020\n"
            .write(to: folder.appendingPathComponent("more.csv"), atomically: true, encoding: .utf8)
        let refused = try runFleet(["import", "register", "more.csv"], in: folder)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.hasPrefix(
                "more.csv:2: column 'trust': value 'ASHBY Hospitals NHS Trust' — differs from 'Ashby Hospitals NHS "
                    + "Trust', already in the register, only in letter case"
            )
        )
        #expect(try runFleet(["register", "--format", "csv"], in: folder).stdout.contains("CT-9") == false)
    }

    @Test func csvListingImportsAgainAsUpdates() throws {
        let folder = try folderWithRegister()
        _ = try runFleet(["import", "register", "register.csv"], in: folder)
        let listed = try runFleet(["register", "--format", "csv"], in: folder)
        #expect(listed.status == 0)
        #expect(
            listed.stdout.hasPrefix(
                "asset_id,network,trust,site,modality,class,manufacturer,model,mobile,install_date,replacement_cost_gbp,"
                    + "service_cost_gbp_per_year,end_of_support,criticality,status,notes\n"
            )
        )
        try listed.stdout.write(to: folder.appendingPathComponent("listing.csv"), atomically: true, encoding: .utf8)
        let again = try runFleet(["import", "register", "listing.csv"], in: folder)
        #expect(again.stderr == "listing.csv: 3 rows read, 0 inserted, 3 updated\n")
        #expect(try runFleet(["register", "--format", "csv"], in: folder).stdout == listed.stdout)
    }

    @Test func tableFitsInAHundredAndTwentyColumns() throws {
        let long = (1...30).map {
            "U-\($0),Net,The Very Long Named Hospitals University NHS Foundation Trust \($0),"
                + "The Queen Elizabeth Community Diagnostic Centre at the Old Infirmary,Ultrasound,2020,55000,,"
        }
        let folder = try folderWithRegister(
            ([String(Self.register.split(separator: "\n")[0])] + long).joined(separator: "\n")
        )
        _ = try runFleet(["import", "register", "register.csv"], in: folder)
        let listed = try runFleet(["register", "--modality", "US"], in: folder)
        #expect(listed.status == 0)
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 32)
        #expect(lines.allSatisfy { $0.count <= 120 })
        #expect(lines.dropFirst(2).allSatisfy { $0.contains("£55,000") })
        #expect(listed.stderr == "30 assets\n")
    }

    @Test func aBadRegisterExitsTwoAndWritesNothing() throws {
        let folder = try folderWithRegister(Self.register + "\nCT-1,North,Ashby,General,Laser,2031-01-01,,,\n")
        let run = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(run.status == 2)
        #expect(
            run.stderr == """
                register.csv:5: column 'asset_id': value 'CT-1' — appears again (first on line 2); expected each \
                asset_id once in a file
                register.csv:5: column 'modality': value 'Laser' — is not a known modality; expected one of CT, MR, XR, \
                US, DEXA, NM, PETCT, MG, FL, IR (or a common spelling such as MRI, X-ray, Ultrasound)
                register.csv:5: column 'install_date': value '2031-01-01' — is in the future (today is \(today)); \
                expected the day the unit was installed
                3 problems in register.csv; nothing was imported from it.

                """
        )
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("fleet.sqlite").path))
    }

    @Test func aBadRegisterLeavesAnExistingDatabaseAsItWas() throws {
        let folder = try folderWithRegister()
        _ = try runFleet(["import", "register", "register.csv"], in: folder)
        let before = try runFleet(["register", "--format", "csv"], in: folder).stdout
        let changed =
            Self.register.replacingOccurrences(of: "Ashby General", with: "Moved")
            + "\nNEW-1,North,Ashby,General,CT,2020,-1,,\n"
        try changed.write(to: folder.appendingPathComponent("changed.csv"), atomically: true, encoding: .utf8)
        let run = try runFleet(["import", "register", "changed.csv"], in: folder)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("changed.csv:5: column 'replacement_cost_gbp': value '-1' — is negative;"))
        #expect(try runFleet(["register", "--format", "csv"], in: folder).stdout == before)
    }

    @Test func utilisationImport() throws {
        let folder = try folderWithRegister()
        _ = try runFleet(["import", "register", "register.csv"], in: folder)
        let feed =
            "asset_id,month,scans,available_hours,downtime_hours\nCT-1,2024-01,812,320,4\nMR-2,2024-01,301,300,0\n"
        try feed.write(to: folder.appendingPathComponent("feed.csv"), atomically: true, encoding: .utf8)
        let run = try runFleet(["import", "utilisation", "feed.csv"], in: folder)
        #expect(run.status == 0)
        #expect(run.stderr == "feed.csv: 2 rows read, 2 inserted, 0 updated\n")

        try (feed + "GONE-9,2024-01,1,,\n").write(
            to: folder.appendingPathComponent("bad.csv"),
            atomically: true,
            encoding: .utf8
        )
        let bad = try runFleet(["import", "utilisation", "bad.csv"], in: folder)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("bad.csv:4: column 'asset_id': value 'GONE-9' — is not in the register;"))
    }

    @Test func theDatabaseComesFromFLEET_DBUnlessDbIsGiven() throws {
        let folder = try folderWithRegister()
        let run = try runFleet(
            ["import", "register", "register.csv"],
            in: folder,
            environment: ["FLEET_DB": "env.sqlite"]
        )
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("env.sqlite").path))
        let listed = try runFleet(["register", "--format", "csv", "--db", "env.sqlite"], in: folder)
        #expect(listed.stdout.split(separator: "\n").count == 4)
    }

    @Test func aDatabaseThatCannotBeOpenedExitsFour() throws {
        let folder = try folderWithRegister()
        let missingFolder = try runFleet(
            ["import", "register", "register.csv", "--db", "no/such/folder/x.sqlite"],
            in: folder
        )
        #expect(missingFolder.status == 4)
        #expect(missingFolder.stderr.hasPrefix("no/such/folder/x.sqlite: the register database cannot be opened ("))
        #expect(missingFolder.stderr.contains("does not exist"))

        try "just text\n".write(to: folder.appendingPathComponent("text.sqlite"), atomically: true, encoding: .utf8)
        let notADatabase = try runFleet(["register", "--db", "text.sqlite"], in: folder)
        #expect(notADatabase.status == 4)
        #expect(notADatabase.stderr.hasPrefix("text.sqlite: the register database cannot be opened ("))

        let missing = try runFleet(["register", "--db", "nothing.sqlite"], in: folder)
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("nothing.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("nothing.sqlite").path))
    }

    @Test func aMissingInputFileExitsTwo() throws {
        let run = try runFleet(["import", "register", "nope.csv"], in: try makeTemporaryDirectory())
        #expect(run.status == 2)
        #expect(run.stderr == "nope.csv: cannot be read (no such file)\n")
    }

    @Test func anUnknownModalityFilterIsAUsageError() throws {
        let run = try runFleet(["register", "--modality", "laser"], in: try makeTemporaryDirectory())
        #expect(run.status == 1)
        #expect(run.stderr.contains("--modality 'laser' is not a known modality"))
    }

    @Test func twoImportsAtOnceBothSucceed() throws {
        let folder = try makeTemporaryDirectory()
        for name in ["a", "b"] {
            let rows = (1...3_000).map { "\(name)-\($0),Trust \(name),Site,CT,2015" }
            try (["asset_id,trust,site,modality,install_date"] + rows).joined(separator: "\n")
                .write(to: folder.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
        }
        let lock = NSLock()
        nonisolated(unsafe) var statuses: [Int: Int32] = [:]
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let run = try? runFleet(["import", "register", index == 0 ? "a.csv" : "b.csv"], in: folder)
            lock.withLock { statuses[index] = run?.status }
        }
        #expect(statuses == [0: 0, 1: 0])
        let listed = try runFleet(["register", "--format", "csv"], in: folder)
        #expect(listed.stdout.split(separator: "\n").count == 6_001)
    }

    /// Today as the binary sees it (local time), for messages that quote it.
    private var today: String {
        let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
