import FleetCore
import FleetRegister
import Foundation

/// The day the tests treat as today, so that "in the future" is fixed.
let testToday = Day(year: 2025, month: 6, day: 30)!

/// A table parsed from CSV text, as a user's file would be.
func csvTable(_ text: String, file: String = "register.csv") throws -> InputTable {
    try CSV.parse(Data(text.utf8), file: file)
}

/// The register read from CSV text.
func registerAssets(_ text: String, file: String = "register.csv") throws -> [Asset] {
    try RegisterImport.readRegister(try csvTable(text, file: file), today: testToday)
}

/// The messages of the invalid-input error that reading `text` as a register throws; empty when it reads.
func registerProblems(_ text: String, file: String = "register.csv") -> [String] {
    do {
        _ = try registerAssets(text, file: file)
        return []
    } catch let error as InvalidInput {
        return error.issues.map(\.description)
    } catch {
        return ["unexpected error: \(error)"]
    }
}

/// A day that must exist.
func day(_ year: Int, _ month: Int, _ day: Int) -> Day { Day(year: year, month: month, day: day)! }

/// A small asset for store tests.
func makeAsset(
    _ id: String,
    network: String? = "North",
    trust: String = "Ashby",
    site: String = "General",
    modality: Modality = .ct,
    installed: Day = day(2015, 1, 1),
    status: AssetStatus = .inService,
    replacementCost: Double? = 900_000,
    notes: String = ""
) -> Asset {
    Asset(
        id: AssetID(id),
        network: network.map { NetworkName($0) },
        trust: TrustName(trust),
        site: SiteName(site),
        modality: modality,
        installDate: installed,
        replacementCostGBP: replacementCost.map { GBP($0) },
        status: status,
        notes: notes
    )
}

/// A fresh temporary folder.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-register-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The register header with every required column.
let requiredHeader = "asset_id,trust,site,modality,install_date"
