import FleetTestSupport
import Foundation
import Testing

/// `fleet import` on registers as exports write them (SPEC.md, "Reading real exports").
@Suite("fleet import: real exports")
struct RealExportCommandTests {
    /// A `;` register (continental Excel) whose money column reads only as pounds grouped by commas.
    static let semicolonRegister = """
        asset_id;trust;site;modality;install_date;replacement_cost_gbp
        CT-1;Ashby;General;CT;14/03/2016;£835,000
        CT-2;Ashby;General;CT;2019-11-01;£1,250,000
        """

    /// The same with no evidence in the column: `835,000` may be 835 or 835,000.
    static let ambiguousRegister = """
        asset_id;trust;site;modality;install_date;replacement_cost_gbp
        CT-1;Ashby;General;CT;14/03/2016;835,000
        CT-2;Ashby;General;CT;2019-11-01;90000
        """

    func folder(with files: [String: String]) throws -> URL {
        let folder = try makeTemporaryDirectory()
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    func costs(in folder: URL) throws -> [String] {
        let listed = try runFleet(["register", "--format", "csv"], in: folder)
        return listed.stdout.split(separator: "\n").dropFirst().map {
            String($0.split(separator: ",", omittingEmptySubsequences: false)[10])
        }
    }

    @Test func poundsGroupedByCommasInASemicolonFileImportAsPounds() throws {
        let folder = try folder(with: ["register.csv": Self.semicolonRegister])
        let run = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(run.status == 0)
        #expect(run.stderr == "register.csv: 2 rows read, 2 inserted, 0 updated\n")
        #expect(try costs(in: folder) == ["835000", "1250000"])
    }

    @Test func anAmbiguousColumnIsRefusedAndTheUserSaysWhich() throws {
        let folder = try folder(with: ["register.csv": Self.ambiguousRegister])
        let refused = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(refused.status == 2)
        #expect(
            refused.stderr == """
                register.csv:2: column 'replacement_cost_gbp': value '835,000' — is 835000 with a decimal point but \
                835 with a decimal comma, and no value in the column shows which this file uses; import the file \
                with --decimal-point or --decimal-comma to say which, or write the figures without separators
                1 problem in register.csv; nothing was imported from it.

                """
        )
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("fleet.sqlite").path))

        #expect(try runFleet(["import", "register", "register.csv", "--decimal-point"], in: folder).status == 0)
        #expect(try costs(in: folder) == ["835000", "90000"])
        #expect(try runFleet(["import", "register", "register.csv", "--decimal-comma"], in: folder).status == 0)
        #expect(try costs(in: folder) == ["835", "90000"])

        let both = try runFleet(
            ["import", "register", "register.csv", "--decimal-comma", "--decimal-point"],
            in: folder
        )
        #expect(both.status == 1)
        #expect(both.stderr.contains("--decimal-comma and --decimal-point say opposite things; give one of them"))
    }

    @Test func exportedColumnNamesAreReadAndTheImportSaysFromWhere() throws {
        let export = """
            Asset No,Trust Name,Location,Equipment Type,Date Installed,Purchase Price,Serial No
            CT-1,Ashby,General,CT Scanner,14/03/2016,"£835,000",S-1
            US-2,Ashby,General,Ultrasound Machine,2021,48000,
            """
        let folder = try folder(with: ["export.csv": export])
        let catalog = packageRoot.appendingPathComponent("Catalog").path
        let run = try runFleet(["import", "register", "export.csv", "--catalog", catalog], in: folder)
        #expect(run.status == 0)
        #expect(
            run.stderr == """
                export.csv: columns read: asset_id ← 'Asset No', trust ← 'Trust Name', site ← 'Location', \
                modality ← 'Equipment Type', install_date ← 'Date Installed', replacement_cost_gbp ← 'Purchase Price'
                export.csv: 2 rows read, 2 inserted, 0 updated

                """
        )
        let listed = try runFleet(["register", "--format", "csv"], in: folder).stdout
        #expect(listed.contains("CT-1,,Ashby,General,CT,,,,false,2016-03-14,835000,,,,in_service,Serial No: S-1"))
        #expect(listed.contains("US-2,,Ashby,General,US,,,,false,2021-07-01,48000,,,,in_service,"))
    }

    @Test func aColumnsFileNamesOneFilesColumns() throws {
        let export = "Tag,Owner,Ward,Kind,Fitted\nCT-1,Ashby,General,CT,2016\n"
        let map = """
            [columns]
            asset_id = "Tag"
            trust = "Owner"
            site = "Ward"
            modality = "Kind"
            install_date = "Fitted"
            """
        let folder = try folder(with: [
            "export.csv": export, "map.toml": map, "bad.toml": "[columns]\nasset = \"Tag\"\n",
        ])
        let run = try runFleet(["import", "register", "export.csv", "--columns", "map.toml"], in: folder)
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("export.csv: columns read: asset_id ← 'Tag', trust ← 'Owner', site ← 'Ward', "))
        let bad = try runFleet(["import", "register", "export.csv", "--columns", "bad.toml"], in: folder)
        #expect(bad.status == 2)
        #expect(
            bad.stderr.hasPrefix("bad.toml:2: key 'columns.asset': value 'Tag' — is not a known key; expected one of ")
        )
    }
}
