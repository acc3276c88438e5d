import FleetCore
import FleetProcurement
import Foundation

/// The reference data a procurement scenario is derived from: indicative supplier offers and volume tiers
/// (`Catalog/suppliers.csv`, `Catalog/tiers.csv`) and the appraisal settings (`Catalog/appraisal.toml`).
public struct ProcurementCatalog: Sendable {
    /// The offers file inside the catalog folder.
    public static let offersFileName = "suppliers.csv"
    /// The tiers file inside the catalog folder.
    public static let tiersFileName = "tiers.csv"

    /// Every supplier offer.
    public var offers: [Offer]
    /// Every volume tier.
    public var tiers: [Tier]
    /// Discount rate, horizon, appraisal period, VAT, optimism bias, sensitivity steps.
    public var appraisal: AppraisalSettings
    /// Capacity planning (`capacity.toml`) and the equipment classes it names; nil when the catalog folder has
    /// no `capacity.toml`, and the scenario plans like-for-like replacement only.
    public var capacity: (settings: CapacitySettings, equipment: EquipmentCatalog)?

    /// A catalog of given parts.
    public init(
        offers: [Offer],
        tiers: [Tier],
        appraisal: AppraisalSettings,
        capacity: (settings: CapacitySettings, equipment: EquipmentCatalog)? = nil
    ) {
        self.offers = offers
        self.tiers = tiers
        self.appraisal = appraisal
        self.capacity = capacity
    }

    /// Loads the three files from the catalog folder, and `capacity.toml` with the equipment classes when the
    /// folder has one.
    /// - Throws: ``FileFailure`` for a missing file, ``InvalidInput`` naming file, line, column and value.
    public static func load(from folder: URL) throws -> ProcurementCatalog {
        var capacity: (CapacitySettings, EquipmentCatalog)?
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(CapacitySettings.fileName).path) {
            let equipment = try EquipmentCatalog.load(from: folder)
            capacity = (try CapacitySettings.load(fromCatalog: folder, equipment: equipment), equipment)
        }
        return ProcurementCatalog(
            offers: try ScenarioFiles.readOffers(at: folder.appendingPathComponent(offersFileName)),
            tiers: try ScenarioFiles.readTiers(at: folder.appendingPathComponent(tiersFileName)),
            appraisal: try AppraisalSettings.load(fromCatalog: folder),
            capacity: capacity
        )
    }
}
