import FleetCore
import Foundation
import Testing

@testable import FleetSynthetic

@Suite("Synthetic register")
struct SyntheticRegisterTests {
    private static let catalog: EquipmentCatalog = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try! EquipmentCatalog.load(from: root.appendingPathComponent("Catalog"))
    }()

    private func generate(seed: UInt64, assets: Int = 2_000) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString)")
        let specification = SyntheticRegisterSpecification(
            trustCount: 20,
            networkCount: 4,
            assetCount: assets,
            monthCount: 12,
            lastMonth: YearMonth(year: 2026, month: 10)!,
            seed: seed
        )
        try SyntheticRegister(specification: specification, catalog: Self.catalog).write(to: directory)
        return directory
    }

    @Test func sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        let first = try generate(seed: 7)
        let second = try generate(seed: 7)
        let third = try generate(seed: 8)
        for name in ["register.csv", "utilisation.csv"] {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            #expect(a == (try Data(contentsOf: second.appendingPathComponent(name))))
            #expect(a != (try Data(contentsOf: third.appendingPathComponent(name))))
        }
    }

    @Test func filesReadBackInTheSpecFormatsWithRealisticShares() throws {
        let directory = try generate(seed: 3, assets: 5_000)
        let register = try CSV.read(contentsOf: directory.appendingPathComponent("register.csv"))
        #expect(register.rows.count == 5_000)
        try register.requireColumns(["asset_id", "trust", "site", "modality", "install_date"])
        var issues = InputIssues()
        var modalities: [Modality: Int] = [:]
        var ctOverTen = 0
        var ctCount = 0
        let asOf = Day(year: 2026, month: 11, day: 1)!
        for row in register.rows {
            let reader = register.reader(for: row)
            let modality = try #require(reader.value("modality", .modality, required: true, issues: &issues))
            let installed = try #require(reader.value("install_date", .day, required: true, issues: &issues))
            modalities[modality, default: 0] += 1
            if modality == .ct {
                ctCount += 1
                if installed.completedYears(until: asOf) >= 10 { ctOverTen += 1 }
            }
        }
        #expect(issues.isEmpty)
        #expect(Set(modalities.keys) == Set(Modality.allCases))
        // CT and MRI together are about 6 % of all units; 14 % of CT are 10 years old or more (REFERENCE.md).
        let ctAndMR = Double(modalities[.ct, default: 0] + modalities[.mr, default: 0]) / 5_000
        #expect((0.04...0.08).contains(ctAndMR))
        #expect((0.07...0.22).contains(Double(ctOverTen) / Double(ctCount)))

        let feed = try CSV.read(contentsOf: directory.appendingPathComponent("utilisation.csv"))
        try feed.requireColumns(["asset_id", "month", "scans", "available_hours", "downtime_hours"])
        for row in feed.rows.prefix(2_000) {
            let reader = feed.reader(for: row)
            let available = try #require(reader.value("available_hours", .hoursInMonth, issues: &issues))
            let downtime = try #require(reader.value("downtime_hours", .hoursInMonth, issues: &issues))
            #expect(downtime <= available)
        }
        #expect(issues.isEmpty)
    }
}
