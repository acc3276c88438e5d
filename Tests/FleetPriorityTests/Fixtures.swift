import FleetCore
import Foundation

@testable import FleetPriority

/// Builders shared by the priority tests.
enum Fixture {
    /// The package root, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A small catalog with round figures for hand calculation.
    static let catalog = EquipmentCatalog(classes: [
        EquipmentClass(
            name: "CT-128",
            modality: .ct,
            expectedLifeYears: 10,
            maximumLifeYears: 15,
            replacementCostGBP: GBP(900_000),
            annualServiceCostGBP: GBP(90_000),
            scansPerHour: 4,
            source: "test"
        ),
        EquipmentClass(
            name: "MR-1.5T",
            modality: .mr,
            expectedLifeYears: 10,
            maximumLifeYears: 15,
            replacementCostGBP: GBP(1_000_000),
            annualServiceCostGBP: GBP(100_000),
            scansPerHour: 2,
            source: "test"
        ),
        EquipmentClass(
            name: "US-GEN",
            modality: .us,
            expectedLifeYears: 7,
            maximumLifeYears: 10,
            replacementCostGBP: GBP(60_000),
            annualServiceCostGBP: GBP(6_000),
            scansPerHour: 3,
            source: "test"
        ),
    ])

    /// The shipped catalog, `Catalog/equipment-classes.csv`.
    static func shippedCatalog() throws -> EquipmentCatalog {
        try EquipmentCatalog.load(from: packageRoot.appendingPathComponent("Catalog"))
    }

    static func day(_ text: String) -> Day { Day.parse(text)! }

    static func month(_ text: String) -> YearMonth { YearMonth.parse(text)! }

    /// A CT unit with every optional figure given unless overridden.
    static func asset(
        _ id: String,
        trust: String = "North Trust",
        network: String? = "North Network",
        modality: Modality = .ct,
        equipmentClass: EquipmentClassName? = "CT-128",
        installed: String = "2015-03-01",
        replacementCost: Double? = 900_000,
        serviceCost: Double? = 90_000,
        endOfSupport: String? = "2026-06-15",
        criticality: Int? = 4,
        status: AssetStatus = .inService
    ) -> Asset {
        Asset(
            id: AssetID(id),
            network: network.map { NetworkName($0) },
            trust: TrustName(trust),
            site: "General Hospital",
            modality: modality,
            equipmentClass: equipmentClass,
            installDate: day(installed),
            replacementCostGBP: replacementCost.map(GBP.init),
            serviceCostGBPPerYear: serviceCost.map(GBP.init),
            endOfSupport: endOfSupport.map(day),
            criticality: criticality,
            status: status
        )
    }

    /// Records for `months` (YYYY-MM) with the same figures each month.
    static func records(
        _ id: String,
        months: [String],
        scans: Int = 1000,
        available: Double? = 300,
        downtime: Double? = 9,
        service: Double? = 8000
    ) -> [UtilisationRecord] {
        months.map {
            UtilisationRecord(
                assetID: AssetID(id),
                month: month($0),
                scans: scans,
                availableHours: available,
                downtimeHours: downtime,
                breakdowns: nil,
                serviceCostGBP: service.map(GBP.init)
            )
        }
    }

    /// The twelve months `first` … `first + 11`.
    static func twelveMonths(from first: String) -> [String] {
        (0..<12).map { month(first).adding(months: $0).description }
    }
}
