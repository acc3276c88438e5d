import FleetCore

extension Plan {
    /// The cost of covering the plan's shortfalls valued without tier discounts: its added units at list price
    /// (discounted, with their service) and its outsourced scans.
    public var capacityCoverAtListGBP: GBP {
        additions.reduce(costs.discountedOutsourcingGBP) { $0 + $1.discountedCostAtListGBP }
    }

    /// Whether the plan covers shortfalls or carries cover for single-unit sites.
    public var hasCapacityCover: Bool {
        !additions.isEmpty || !outsourcing.isEmpty || !mobileShares.isEmpty || costs.discountedCoverGBP > .zero
    }
}

/// The savings of joint procurement in two parts that add up to them.
///
/// - Capacity sharing: what the trusts alone would spend covering their shortfalls (added units at list price
///   with their service, and outsourcing) less what the coalition spends on the same, valued the same way — the
///   saving of pooling mobile units (and of one unit serving where each trust alone would buy its own).
/// - Volume tiers: the rest — the tier discounts that larger joint orders earn on replacements and additions, and
///   the retiming that chases them.
public struct SavingsSplit: Hashable, Sendable, Codable {
    /// Savings from larger orders' tier discounts (and the rest that is not capacity sharing), in pounds.
    public var volumeTiersGBP: GBP
    /// Savings from sharing capacity across trusts, in pounds.
    public var capacitySharingGBP: GBP
}

extension ProcurementAnalysis {
    /// The savings split into volume tiers and capacity sharing (``SavingsSplit``).
    public var savingsSplit: SavingsSplit {
        let alone = trusts.reduce(GBP.zero) { $0 + (standalonePlans[$1]?.capacityCoverAtListGBP ?? .zero) }
        let sharing = alone - jointPlan.capacityCoverAtListGBP
        return SavingsSplit(volumeTiersGBP: savingsGBP - sharing, capacitySharingGBP: sharing)
    }
}

/// The capacity part of `fleet procure --format json`: `additions` (trust, site or "shared mobile", class, year,
/// supplier), `outsourcing` by trust and year, `mobile_shares`, the discounted cover and outsourcing costs, and
/// the savings split.
public struct CapacitySummary: Codable, Sendable, Hashable {
    /// One added unit.
    public struct AdditionSummary: Codable, Sendable, Hashable {
        public var id: String
        public var trust: String
        public var site: String
        public var equipmentClass: String
        public var modality: String
        public var year: Int
        public var supplier: String
        public var unitPriceGBP: GBP
        public var capacityScansPerYear: Double
        public var route: String

        enum CodingKeys: String, CodingKey {
            case id, trust, site, modality, year, supplier, route
            case equipmentClass = "class"
            case unitPriceGBP = "unit_price_gbp"
            case capacityScansPerYear = "capacity_scans_per_year"
        }
    }

    /// Scans of one trust, modality and year.
    public struct ScansSummary: Codable, Sendable, Hashable {
        public var trust: String
        public var modality: String
        public var year: Int
        public var scans: Double
        public var costGBP: GBP?

        enum CodingKeys: String, CodingKey {
            case trust, modality, year, scans
            case costGBP = "cost_gbp"
        }
    }

    public var additions: [AdditionSummary]
    public var outsourcing: [ScansSummary]
    public var mobileShares: [ScansSummary]
    public var discountedOutsourcingGBP: GBP
    public var discountedCoverGBP: GBP
    public var savingsFromVolumeTiersGBP: GBP
    public var savingsFromCapacitySharingGBP: GBP

    enum CodingKeys: String, CodingKey {
        case additions, outsourcing
        case mobileShares = "mobile_shares"
        case discountedOutsourcingGBP = "discounted_outsourcing_gbp"
        case discountedCoverGBP = "discounted_cover_gbp"
        case savingsFromVolumeTiersGBP = "savings_from_volume_tiers_gbp"
        case savingsFromCapacitySharingGBP = "savings_from_capacity_sharing_gbp"
    }

    /// The summary of `analysis`'s joint plan; nil when no plan of it covers capacity.
    public init?(_ analysis: ProcurementAnalysis) {
        let plan = analysis.jointPlan
        guard plan.hasCapacityCover || analysis.standalonePlans.values.contains(where: \.hasCapacityCover) else {
            return nil
        }
        additions = plan.additions.map {
            AdditionSummary(
                id: $0.id.rawValue,
                trust: $0.trust.rawValue,
                site: $0.site,
                equipmentClass: $0.equipmentClass.rawValue,
                modality: $0.modality.rawValue,
                year: $0.year,
                supplier: $0.supplier.rawValue,
                unitPriceGBP: $0.unitPricePaidGBP,
                capacityScansPerYear: $0.capacityScansPerYear,
                route: $0.route.rawValue
            )
        }
        outsourcing = plan.outsourcing.map {
            ScansSummary(
                trust: $0.trust.rawValue,
                modality: $0.modality.rawValue,
                year: $0.year,
                scans: $0.scans,
                costGBP: $0.costGBP
            )
        }
        mobileShares = plan.mobileShares.map {
            ScansSummary(trust: $0.trust.rawValue, modality: $0.modality.rawValue, year: $0.year, scans: $0.scans)
        }
        discountedOutsourcingGBP = plan.costs.discountedOutsourcingGBP
        discountedCoverGBP = plan.costs.discountedCoverGBP
        let split = analysis.savingsSplit
        savingsFromVolumeTiersGBP = split.volumeTiersGBP
        savingsFromCapacitySharingGBP = split.capacitySharingGBP
    }
}
