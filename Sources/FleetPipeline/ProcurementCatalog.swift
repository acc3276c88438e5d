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
            offers: IllustrativeFundingRoutes.applied(
                to: try ScenarioFiles.readOffers(at: folder.appendingPathComponent(offersFileName))
            ),
            tiers: try ScenarioFiles.readTiers(at: folder.appendingPathComponent(tiersFileName)),
            appraisal: try AppraisalSettings.load(fromCatalog: folder),
            capacity: capacity
        )
    }
}

/// The lease and managed equipment service terms the Catalog's fictional suppliers offer, derived from each offer's
/// list price by stated ratios (illustrative figures, see `Catalog/README.md`). They apply only when `suppliers.csv`
/// has no lease or MES columns of its own: a user's real quotes there replace them.
public enum IllustrativeFundingRoutes {
    /// Lease term: about 7 years (HFMA).
    public static let leaseYears = 7
    /// The rental a year as a share of list price: 18.5 %, 7 rentals worth about 1.17 × the price at 3.5 % (the
    /// lessor's finance cost and margin).
    public static let leaseRentalShare = 0.185
    /// Managed equipment service term: 15 years (HFMA: 10–15 stand-alone, 15–20 with replacement clauses).
    public static let managedServiceYears = 15
    /// The fee a year as a share of list price: 24 %, covering equipment, maintenance and refresh.
    public static let managedServiceFeeShare = 0.24
    /// The share of the fee that pays for the equipment: 30 % (right-of-use 0.3 × 0.24 × 11.92 ≈ 0.86 × price).
    public static let managedServiceEquipmentShare = 0.3

    /// `offers` with these terms added, when none of them has a lease or managed service of its own.
    public static func applied(to offers: [Offer]) -> [Offer] {
        guard offers.allSatisfy({ $0.lease == nil && $0.managedService == nil }) else { return offers }
        return offers.map { offer in
            var offer = offer
            let price = offer.unitPriceGBP.pounds
            offer.lease = LeaseTerms(annualRentalGBP: GBP((price * leaseRentalShare).rounded()), years: leaseYears)
            offer.managedService = ManagedServiceTerms(
                annualFeeGBP: GBP((price * managedServiceFeeShare).rounded()),
                years: managedServiceYears,
                equipmentShare: managedServiceEquipmentShare
            )
            return offer
        }
    }
}
