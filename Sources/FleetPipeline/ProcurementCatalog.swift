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

    /// A catalog of given parts.
    public init(offers: [Offer], tiers: [Tier], appraisal: AppraisalSettings) {
        self.offers = offers
        self.tiers = tiers
        self.appraisal = appraisal
    }

    /// Loads the three files from the catalog folder.
    /// - Throws: ``FileFailure`` for a missing file, ``InvalidInput`` naming file, line, column and value.
    public static func load(from folder: URL) throws -> ProcurementCatalog {
        ProcurementCatalog(
            offers: try ScenarioFiles.readOffers(at: folder.appendingPathComponent(offersFileName)),
            tiers: try ScenarioFiles.readTiers(at: folder.appendingPathComponent(tiersFileName)),
            appraisal: try AppraisalSettings.load(fromCatalog: folder)
        )
    }
}
