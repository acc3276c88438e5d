import FleetCore
import Foundation

/// The appraisal settings of a procurement scenario (`scenario.toml`).
public struct ScenarioSettings: Hashable, Sendable, Codable {
    /// The HM Treasury Green Book discount rate for years 0–30: 3.5 % a year.
    public static let greenBookDiscountRate = 0.035

    /// The first decision year, year 0 of the appraisal (not discounted).
    public var baseYear: Int
    /// Decision years: a replacement is bought in one of base … base + horizon − 1.
    public var horizonYears: Int
    /// Years of service costs counted: base … base + appraisal − 1.
    public var appraisalYears: Int
    /// The discount rate a year, as a fraction (0.035 for 3.5 %).
    public var discountRate: Double
    /// What an outsourced scan costs, in pounds (before discounting); nil when the scenario sets none (it must
    /// when it has shortfalls to cover).
    public var outsourcingGBPPerScan: GBP?
    /// The share of a mobile unit's capacity lost to moving between sites, as a fraction.
    public var mobileRelocationLoss: Double
    /// The rate a lease's rentals are discounted at to value its right-of-use asset (`lease_discount_rate`, the
    /// HM Treasury rate in force); nil when not set, meaning ``discountRate``.
    public var leaseDiscountRateSetting: Double?

    /// Settings with every figure given; the discount rate defaults to the Green Book's 3.5 %, the lease discount
    /// rate to the discount rate.
    public init(
        baseYear: Int,
        horizonYears: Int,
        appraisalYears: Int,
        discountRate: Double = greenBookDiscountRate,
        leaseDiscountRate: Double? = nil,
        outsourcingGBPPerScan: GBP? = nil,
        mobileRelocationLoss: Double = 0
    ) {
        self.baseYear = baseYear
        self.horizonYears = horizonYears
        self.appraisalYears = appraisalYears
        self.discountRate = discountRate
        leaseDiscountRateSetting = leaseDiscountRate
        self.outsourcingGBPPerScan = outsourcingGBPPerScan
        self.mobileRelocationLoss = mobileRelocationLoss
    }

    /// The rate that values leases' and managed services' right-of-use assets: the setting, else the discount rate.
    public var leaseDiscountRate: Double { leaseDiscountRateSetting ?? discountRate }

    /// The appraisal years, base … base + appraisal − 1.
    public var appraisalYearRange: ClosedRange<Int> { baseYear...max(baseYear, lastAppraisalYear) }

    /// The decision years, base … base + horizon − 1.
    public var decisionYears: ClosedRange<Int> { baseYear...(baseYear + max(horizonYears, 1) - 1) }

    /// The last year whose service costs are counted, base + appraisal − 1.
    public var lastAppraisalYear: Int { baseYear + appraisalYears - 1 }

    /// The discount factor of `year`, D(y) = (1 + r)^−(y − base) (Green Book discounting, year 0 undiscounted).
    public func discountFactor(_ year: Int) -> Double { pow(1 + discountRate, -Double(year - baseYear)) }

    /// The present value in base-year pounds of `annualService` a year paid in each year from the end of the
    /// warranty of a unit bought in `purchaseYear` (purchase + warranty) to the last appraisal year.
    public func discountedService(annualService: GBP, warrantyYears: Int, purchaseYear: Int) -> GBP {
        let first = purchaseYear + warrantyYears
        guard first <= lastAppraisalYear else { return .zero }
        var factors = 0.0
        for year in first...lastAppraisalYear { factors += discountFactor(year) }
        return annualService * factors
    }
}

/// What a unit of the scenario is for: the replacement of a unit of the register, or a unit added to the fleet
/// (`replacements.csv`'s optional `purpose` column; a file without it holds replacements only).
public enum UnitPurpose: String, CaseIterable, Hashable, Sendable, Codable {
    /// It replaces the register's unit ``Replacement/assetID``.
    case replacement
    /// It adds a unit; it replaces nothing, and its ``Replacement/assetID`` is only the scenario's name for it.
    case addition
}

/// How a unit is paid for (the spec's "Funding routes"). Every offer may be bought outright; `offers.csv`'s optional
/// `lease_annual_gbp,lease_years` and `mes_annual_gbp,mes_years,mes_equipment_share` columns add the other two.
public enum FundingRoute: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    /// Bought outright: the price paid is capital in the year of purchase; service after warranty is revenue.
    case purchase
    /// An operating lease: the rentals are revenue, their present value a right-of-use asset scored as capital in
    /// the year the lease starts (IFRS 16); service after warranty is revenue as for a purchase.
    case lease
    /// A managed equipment service: one fee a year covering equipment, maintenance and refresh, all revenue; its
    /// equipment share's present value is scored as capital in the first year.
    case mes

    /// Purchase, lease, MES.
    public static func < (lhs: FundingRoute, rhs: FundingRoute) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An offer's operating lease: `rental` a year (before any tier discount) for `years` years from the year of purchase.
public struct LeaseTerms: Hashable, Sendable, Codable {
    /// The rental a year, in pounds, before any tier discount.
    public var annualRentalGBP: GBP
    /// The term in years, at least 1.
    public var years: Int

    /// Terms with every figure given.
    public init(annualRentalGBP: GBP, years: Int) {
        self.annualRentalGBP = annualRentalGBP
        self.years = years
    }
}

/// An offer's managed equipment service: `fee` a year (before any tier discount) for `years` years, of which
/// `equipmentShare` pays for the equipment.
public struct ManagedServiceTerms: Hashable, Sendable, Codable {
    /// The fee a year, in pounds, before any tier discount.
    public var annualFeeGBP: GBP
    /// The term in years, at least 1.
    public var years: Int
    /// The share of the fee that pays for the equipment, in [0, 1]: what IFRS 16 scores as a right-of-use asset.
    public var equipmentShare: Double

    /// Terms with every figure given.
    public init(annualFeeGBP: GBP, years: Int, equipmentShare: Double) {
        self.annualFeeGBP = annualFeeGBP
        self.years = years
        self.equipmentShare = equipmentShare
    }
}

/// One unit to buy (`replacements.csv`): the replacement of a unit of the register, or a unit added to it.
public struct Replacement: Hashable, Sendable, Codable {
    /// The unit's identifier in the scenario and the plan: the register's identifier of the unit being replaced,
    /// or for an added unit (see ``purpose``) a name of the scenario's own, not a unit of the register.
    public var assetID: AssetID
    /// The trust that owns it.
    public var trust: TrustName
    /// The equipment class of the replacement.
    public var equipmentClass: EquipmentClassName
    /// The year the replacement is due.
    public var preferredYear: Int
    /// The earliest year it may be bought.
    public var earliestYear: Int
    /// The latest year it may be bought.
    public var latestYear: Int
    /// What each year of buying later than preferred costs (risk, downtime, repairs), in pounds a year, undiscounted.
    public var deferCostGBPPerYear: GBP
    /// What each year of buying earlier than preferred costs (life given up), in pounds a year, undiscounted.
    public var advanceCostGBPPerYear: GBP
    /// Whether the unit replaces a unit of the register or adds one.
    public var purpose: UnitPurpose
    /// The site where the unit stands (`replacements.csv`'s optional `site`); nil when not given.
    public var site: SiteName?
    /// The site's units of the replacement's modality in service (optional `site_units`): with 2 or more, at
    /// most site_units − 1 of the site's replacements of that modality fall in one year.
    public var siteUnits: Int?
    /// The cost of cover while the unit is installed, paid in its purchase year (optional `cover_cost_gbp`;
    /// derived for a site with one unit of its modality), in pounds.
    public var coverCostGBP: GBP

    /// A replacement with every field given; `purpose` is a replacement unless said otherwise.
    public init(
        assetID: AssetID,
        trust: TrustName,
        equipmentClass: EquipmentClassName,
        preferredYear: Int,
        earliestYear: Int,
        latestYear: Int,
        deferCostGBPPerYear: GBP,
        advanceCostGBPPerYear: GBP,
        purpose: UnitPurpose = .replacement,
        site: SiteName? = nil,
        siteUnits: Int? = nil,
        coverCostGBP: GBP = .zero
    ) {
        self.purpose = purpose
        self.site = site
        self.siteUnits = siteUnits
        self.coverCostGBP = coverCostGBP
        self.assetID = assetID
        self.trust = trust
        self.equipmentClass = equipmentClass
        self.preferredYear = preferredYear
        self.earliestYear = earliestYear
        self.latestYear = latestYear
        self.deferCostGBPPerYear = deferCostGBPPerYear
        self.advanceCostGBPPerYear = advanceCostGBPPerYear
    }

    /// The register's unit this one replaces; nil for an added unit.
    public var replacedAssetID: AssetID? { purpose == .replacement ? assetID : nil }

    /// The years it may be bought in, earliest … latest.
    public var window: ClosedRange<Int> { earliestYear...max(earliestYear, latestYear) }

    /// The timing penalty of buying in `year`: defer cost × years late + advance cost × years early (undiscounted).
    public func timingPenalty(inYear year: Int) -> GBP {
        deferCostGBPPerYear * Double(max(0, year - preferredYear))
            + advanceCostGBPPerYear * Double(max(0, preferredYear - year))
    }
}

/// One supplier's offer for one equipment class (`offers.csv`).
public struct Offer: Hashable, Sendable, Codable {
    /// The supplier.
    public var supplier: SupplierName
    /// The class offered.
    public var equipmentClass: EquipmentClassName
    /// The list price of one unit, in pounds, before any tier discount.
    public var unitPriceGBP: GBP
    /// The service contract after warranty, in pounds a year.
    public var annualServiceGBP: GBP
    /// Years of service included in the price, from the year of purchase.
    public var warrantyYears: Int
    /// The offer's operating lease, if it has one.
    public var lease: LeaseTerms?
    /// The offer's managed equipment service, if it has one.
    public var managedService: ManagedServiceTerms?
    /// False when outright purchase is ruled out (``Scenario/restricted(to:)``); the files always offer it.
    public var offersPurchase: Bool

    /// An offer with every field given; it may be bought outright, and leased or taken as a managed service when
    /// those terms are given.
    public init(
        supplier: SupplierName,
        equipmentClass: EquipmentClassName,
        unitPriceGBP: GBP,
        annualServiceGBP: GBP,
        warrantyYears: Int,
        lease: LeaseTerms? = nil,
        managedService: ManagedServiceTerms? = nil,
        offersPurchase: Bool = true
    ) {
        self.supplier = supplier
        self.equipmentClass = equipmentClass
        self.unitPriceGBP = unitPriceGBP
        self.annualServiceGBP = annualServiceGBP
        self.warrantyYears = warrantyYears
        self.lease = lease
        self.managedService = managedService
        self.offersPurchase = offersPurchase
    }

    /// The ways the offer may be paid for, in the order purchase, lease, MES.
    public var fundingRoutes: [FundingRoute] {
        (offersPurchase ? [.purchase] : []) + (lease == nil ? [] : [.lease]) + (managedService == nil ? [] : [.mes])
    }

    /// The offer with only the routes of `routes`; nil when none is left.
    public func restricted(to routes: Set<FundingRoute>) -> Offer? {
        var offer = self
        offer.offersPurchase = offersPurchase && routes.contains(.purchase)
        if !routes.contains(.lease) { offer.lease = nil }
        if !routes.contains(.mes) { offer.managedService = nil }
        return offer.fundingRoutes.isEmpty ? nil : offer
    }
}

/// One all-units volume discount of an offer (`tiers.csv`): an order of at least `minimumUnits` units pays
/// `unit price × (1 − discount)` for every unit.
public struct Tier: Hashable, Sendable, Codable {
    /// The supplier.
    public var supplier: SupplierName
    /// The class.
    public var equipmentClass: EquipmentClassName
    /// The smallest order, in units, that earns the discount.
    public var minimumUnits: Int
    /// The discount as a fraction of the list price, in [0, 1).
    public var discount: Double

    /// A tier with every field given.
    public init(supplier: SupplierName, equipmentClass: EquipmentClassName, minimumUnits: Int, discount: Double) {
        self.supplier = supplier
        self.equipmentClass = equipmentClass
        self.minimumUnits = minimumUnits
        self.discount = discount
    }
}

/// A trust's capital and revenue budgets for one year (`budgets.csv`); either may be absent, meaning no limit.
public struct Budget: Hashable, Sendable, Codable {
    /// The trust.
    public var trust: TrustName
    /// The year.
    public var year: Int
    /// The most capital the trust may score in that year (prices paid, and the right-of-use value of leases and of
    /// managed services' equipment started that year), in pounds; nil for no limit.
    public var capitalBudgetGBP: GBP?
    /// The most revenue the trust may spend on equipment in that year (service after warranty, rentals, fees), in
    /// pounds; nil for no limit.
    public var revenueBudgetGBP: GBP?

    /// A budget with every field given.
    public init(trust: TrustName, year: Int, capitalBudgetGBP: GBP?, revenueBudgetGBP: GBP? = nil) {
        self.trust = trust
        self.year = year
        self.capitalBudgetGBP = capitalBudgetGBP
        self.revenueBudgetGBP = revenueBudgetGBP
    }
}

/// A procurement scenario: what is to be replaced, what suppliers offer, and the money available.
public struct Scenario: Hashable, Sendable, Codable {
    /// The appraisal settings.
    public var settings: ScenarioSettings
    /// The units to replace.
    public var replacements: [Replacement]
    /// The suppliers' offers, one per supplier and class.
    public var offers: [Offer]
    /// Volume discounts; a tier of 1 unit at no discount is implied for every offer.
    public var tiers: [Tier]
    /// Capital budgets; a trust and year without one is unconstrained. Empty when there are none.
    public var budgets: [Budget]
    /// Shortfalls to cover (`capacity.csv`); empty when the scenario plans replacements only.
    public var capacity: [CapacityShortfall]
    /// The classes' modalities and capacities (`classes.csv`); empty when there are none.
    public var classes: [CapacityClass]

    /// A scenario with every part given; see ``validate()``.
    public init(
        settings: ScenarioSettings,
        replacements: [Replacement],
        offers: [Offer],
        tiers: [Tier] = [],
        budgets: [Budget] = [],
        capacity: [CapacityShortfall] = [],
        classes: [CapacityClass] = []
    ) {
        self.settings = settings
        self.replacements = replacements
        self.offers = offers
        self.tiers = tiers
        self.budgets = budgets
        self.capacity = capacity
        self.classes = classes
    }

    /// The scenario with only the funding routes of `routes` offered (`fleet procure --routes`): offers left with
    /// no route are dropped.
    public func restricted(to routes: Set<FundingRoute>) -> Scenario {
        var scenario = self
        scenario.offers = offers.compactMap { $0.restricted(to: routes) }
        let kept = Set(scenario.offers.map { OfferKey($0.supplier, $0.equipmentClass) })
        scenario.tiers = tiers.filter { kept.contains(OfferKey($0.supplier, $0.equipmentClass)) }
        return scenario
    }

    /// True when some offer may be leased or taken as a managed service, or purchase is ruled out somewhere.
    public var hasFundingRoutes: Bool { offers.contains { $0.fundingRoutes != [.purchase] } }

    /// True when some budget limits revenue.
    public var hasRevenueBudgets: Bool { budgets.contains { $0.revenueBudgetGBP != nil } }

    /// The trusts with something to replace or a shortfall to cover, in name order.
    public var trusts: [TrustName] { Set(replacements.map(\.trust) + capacity.map(\.trust)).sorted() }

    /// The price schedule of every offer, by supplier and class.
    public var priceSchedules: [OfferKey: PriceSchedule] {
        var tiersByOffer: [OfferKey: [Tier]] = [:]
        for tier in tiers { tiersByOffer[OfferKey(tier.supplier, tier.equipmentClass), default: []].append(tier) }
        var schedules: [OfferKey: PriceSchedule] = [:]
        for offer in offers {
            let key = OfferKey(offer.supplier, offer.equipmentClass)
            schedules[key] = PriceSchedule(offer: offer, tiers: tiersByOffer[key] ?? [])
        }
        return schedules
    }

    /// Checks the scenario as ``ScenarioFiles/read(from:)`` checks its files, naming the file and the line each
    /// record would have when written (header on line 1).
    /// - Throws: ``InvalidInput`` listing every problem found.
    public func validate() throws(InvalidInput) {
        try ScenarioValidation(scenario: self, lines: .asWritten(self)).check()
    }
}

/// A supplier and a class: the key of an offer, its tiers and its orders.
public struct OfferKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The supplier.
    public var supplier: SupplierName
    /// The class.
    public var equipmentClass: EquipmentClassName

    /// The key of `supplier`'s offer for `equipmentClass`.
    public init(_ supplier: SupplierName, _ equipmentClass: EquipmentClassName) {
        self.supplier = supplier
        self.equipmentClass = equipmentClass
    }

    /// Orders by supplier, then class.
    public static func < (lhs: OfferKey, rhs: OfferKey) -> Bool {
        (lhs.supplier, lhs.equipmentClass) < (rhs.supplier, rhs.equipmentClass)
    }

    /// `supplier / class`.
    public var description: String { "\(supplier) / \(equipmentClass)" }
}
