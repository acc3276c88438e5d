import FleetTestSupport
import Foundation
import Testing

/// `fleet report` on a register of several networks: the national workbook, `--each-network`, and
/// `fleet demo --national`.
@Suite("fleet report on a register of several networks")
struct NationalReportCommandTests {
    private func importedFolder() throws -> URL {
        let folder = try makeTemporaryDirectory()
        try PipelineCommandTests.register.write(
            to: folder.appendingPathComponent("register.csv"),
            atomically: true,
            encoding: .utf8
        )
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        let imported = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        return folder
    }

    private func number(_ description: WorkbookDescription, _ cell: String) -> Double? {
        switch description.cells[cell]?.cached {
        case .number(let value): value
        default: nil
        }
    }

    @Test func writesTheNationalWorkbookWhoseNetworksRowsAreWhatProcurePlans() throws {
        let folder = try importedFolder()
        let run = try runFleet(
            ["report", "--as-of", "2026-11-01", "--out", "national.xlsx", "--each-network", "networks"],
            in: folder
        )
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 networks"), "\(run.stderr)")
        let book = folder.appendingPathComponent("national.xlsx").path
        let recalculation = try recalculateWorkbook(at: book)
        #expect(recalculation.failed == 0, "\(recalculation.report)")

        // Each network's business case, safely named, beside it; each recalculates too.
        let written = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("networks").path
        )
        #expect(Set(written) == ["alpha-network.xlsx", "beta-network.xlsx"])
        let beta = try recalculateWorkbook(at: folder.appendingPathComponent("networks/beta-network.xlsx").path)
        #expect(beta.failed == 0, "\(beta.report)")

        // The Networks rows (5 and 6; the national row 7) hold what `fleet procure` plans for each network.
        let procure = try runFleet(["procure", "--as-of", "2026-11-01", "--format", "json"], in: folder)
        #expect(procure.status == 0, "\(procure.stderr)")
        let national = try #require(
            try JSONSerialization.jsonObject(with: Data(procure.stdout.utf8)) as? [String: Any]
        )
        let networks = try #require(national["networks"] as? [[String: Any]])
        let cells = ["A", "B", "C", "D", "E", "F", "G"].flatMap { column in (5...7).map { "Networks!\(column)\($0)" } }
        let description = try describeWorkbook(at: book, cells: cells + ["Summary!B10", "Summary!B13"])
        #expect(networks.count == 2)
        for (offset, network) in networks.enumerated() {
            let row = 5 + offset
            let summary = try #require(network["summary"] as? [String: Any])
            #expect(description.cells["Networks!A\(row)"]?.value == .string(network["network"] as? String ?? ""))
            let trusts = (summary["standalone_by_trust"] as? [String: Double])?.count
            #expect(number(description, "Networks!B\(row)") == trusts.map(Double.init))
            for (column, key) in [("E", "joint_cost_gbp"), ("F", "standalone_cost_gbp"), ("G", "savings_gbp")] {
                let planned = try #require(summary[key] as? Double)
                let shown = try #require(number(description, "Networks!\(column)\(row)"))
                #expect(abs(shown - planned) < 1e-6, "\(column)\(row): \(shown) against \(key) \(planned)")
            }
        }
        let joint = try #require(national["joint_cost_gbp"] as? Double)
        let savings = try #require(national["savings_gbp"] as? Double)
        #expect(abs((number(description, "Networks!E7") ?? 0) - joint) < 1e-6)
        #expect(abs((number(description, "Summary!B13") ?? 0) - savings) < 1e-6)
        // Every unit of the fixture is past its maximum life but the two newer CTs and the X-ray room.
        #expect(number(description, "Networks!D7") == number(description, "Summary!B10"))
        #expect(number(description, "Networks!C7") == 25)
    }

    @Test func noProcurementWritesTheRegisterSheetsWithTheFiguresOfTheFullWorkbook() throws {
        let folder = try importedFolder()
        let run = try runFleet(
            ["report", "--as-of", "2026-11-01", "--no-procurement", "--out", "register.xlsx"],
            in: folder
        )
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 networks, 4 trusts, 25 units in service"), "\(run.stderr)")
        #expect(run.stderr.contains("no procurement planned"), "\(run.stderr)")
        let book = folder.appendingPathComponent("register.xlsx").path
        let recalculation = try recalculateWorkbook(at: book)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        #expect(recalculation.passed > 20, "only \(recalculation.passed) formulas were checked")

        // The full national workbook of the same register: every register figure agrees, cell for cell.
        let full = try runFleet(["report", "--as-of", "2026-11-01", "--out", "national.xlsx"], in: folder)
        #expect(full.status == 0, "\(full.stderr)")
        let shared =
            ["A", "C", "D"].flatMap { column in (5...7).map { "Networks!\(column)\($0)" } }
            + (5...10).map { "Summary!B\($0)" } + ["'Age profile by network'!E7", "Priority!B6", "Register!A30"]
        let register = try describeWorkbook(at: book, cells: shared + ["Networks!E4", "Summary!A11"])
        let national = try describeWorkbook(at: folder.appendingPathComponent("national.xlsx").path, cells: shared)
        #expect(
            register.sheets == ["Summary", "Networks", "Register", "Priority", "Age profile by network", "Method"]
        )
        for cell in shared {
            #expect(register.cells[cell] != nil, "\(cell) is empty")
            #expect(register.cells[cell]?.value == national.cells[cell]?.value, "\(cell)")
            #expect(register.cells[cell]?.cached == national.cells[cell]?.cached, "\(cell)")
        }
        #expect(number(register, "Networks!C7") == 25)
        // No cost column on Networks, no cost line on the Summary.
        #expect(register.cells["Networks!E4"]?.type == "empty")
        #expect(register.cells["Summary!A11"]?.type == "empty")
    }

    /// Every workbook `fleet report` writes lists every unit in scope on its Register sheet, decommissioned ones too,
    /// from the one read of the register that the ranking and the plans use: the national workbook, a network's
    /// business case, and the national register workbook.
    @Test func everyReportsRegisterSheetListsTheDecommissionedUnits() throws {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        // The fixture's units in service, and one more of Carlton's, decommissioned.
        let retired = "Carlton-CT-RETIRED"
        var lines = PipelineCommandTests.register.split(separator: "\n").map(String.init)
        lines = [lines[0] + ",status"] + lines.dropFirst().map { $0 + ",in_service" }
        lines.append("\(retired),Beta Network,Carlton,Carlton General,CT,CT-64,2009-05-01,3,decommissioned")
        try (lines.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("register.csv"),
            atomically: true,
            encoding: .utf8
        )
        let imported = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        for (options, file) in [
            ([], "national.xlsx"), (["--no-procurement"], "register.xlsx"),
            (["--network", "Beta Network"], "beta.xlsx"),
            (["--network", "Alpha/../Network"], "alpha.xlsx"),
        ] {
            let run = try runFleet(["report", "--as-of", "2026-11-01", "--out", file] + options, in: folder)
            #expect(run.status == 0, "\(options): \(run.stderr)")
            if options.isEmpty || options == ["--no-procurement"] {
                #expect(run.stderr.contains("25 units in service"), "\(options): \(run.stderr)")
            }
            let book = try describeWorkbook(at: folder.appendingPathComponent(file).path, finding: [retired])
            let places = (book.found?[retired] ?? []).map(\.cell)
            if file == "alpha.xlsx" {
                #expect(places.isEmpty, "another network's unit in \(file): \(places)")
            } else {
                #expect(places.contains { $0.hasPrefix("Register!A") }, "\(file): \(places)")
                #expect(!places.contains { $0.hasPrefix("Priority!") }, "ranked in \(file): \(places)")
            }
        }
    }

    @Test func noProcurementRefusesTheOptionsOnlyProcurementReadsBeforeReadingTheRegister() throws {
        let folder = try importedFolder()
        let run = try runFleet(
            ["report", "--no-procurement", "--budgets", "absent.csv", "--capacity", "--out", "register.xlsx"],
            in: folder
        )
        #expect(run.status != 0)
        #expect(run.stderr.contains("--budgets and --capacity would have no effect"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("register.xlsx").path))
    }

    @Test func demoNationalGeneratesImportsAndWritesTheNationalWorkbook() throws {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        let run = try runFleet(
            ["demo", "--national", "--trusts", "6", "--networks", "2", "--assets", "150"],
            in: folder
        )
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Savings:"), "\(run.stdout)")
        #expect(run.stdout.contains("150 units of 6 trusts in 2 networks"), "\(run.stdout)")
        let book = folder.appendingPathComponent("Reports/national-business-case-demo.xlsx").path
        #expect(run.stdout.contains("Reports/national-business-case-demo.xlsx"))
        let recalculation = try recalculateWorkbook(at: book)
        #expect(recalculation.failed == 0, "\(recalculation.report)")
        let description = try describeWorkbook(at: book)
        #expect(description.sheets.first == "Summary")
        #expect(description.sheets.count == 8)
    }
}
