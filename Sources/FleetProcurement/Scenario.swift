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

    /// Settings with every figure given; the discount rate defaults to the Green Book's 3.5 %.
    public init(
        baseYear: Int,
        horizonYears: Int,
        appraisalYears: Int,
        discountRate: Double = greenBookDiscountRate,
        outsourcingGBPPerScan: GBP? = nil,
        mobileRelocationLoss: Double = 0
    ) {
        self.baseYear = baseYear
        self.horizonYears = horizonYears
        self.appraisalYears = appraisalYears
        self.discountRate = discountRate
        self.outsourcingGBPPerScan = outsourcingGBPPerScan
        self.mobileRelocationLoss = mobileRelocationLoss
    }

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

/// How an offer may be paid for (`offers.csv`'s optional `funding_routes` column, routes separated by `;`; a file
/// without it offers capital purchase only). The optimiser prices every offer as a capital purchase today.
public enum FundingRoute: String, CaseIterable, Hashable, Sendable, Codable {
    /// Bought outright from the trust's capital budget.
    case capital
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
    /// The ways the offer may be paid for, at least one, in the order the file gives them.
    public var fundingRoutes: [FundingRoute]

    /// An offer with every field given; it is a capital purchase unless `fundingRoutes` says otherwise.
    public init(
        supplier: SupplierName,
        equipmentClass: EquipmentClassName,
        unitPriceGBP: GBP,
        annualServiceGBP: GBP,
        warrantyYears: Int,
        fundingRoutes: [FundingRoute] = [.capital]
    ) {
        self.fundingRoutes = fundingRoutes
        self.supplier = supplier
        self.equipmentClass = equipmentClass
        self.unitPriceGBP = unitPriceGBP
        self.annualServiceGBP = annualServiceGBP
        self.warrantyYears = warrantyYears
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

/// A trust's capital budget for one year (`budgets.csv`).
public struct Budget: Hashable, Sendable, Codable {
    /// The trust.
    public var trust: TrustName
    /// The year.
    public var year: Int
    /// The most the trust may pay for equipment in that year (prices paid, undiscounted), in pounds.
    public var capitalBudgetGBP: GBP

    /// A budget with every field given.
    public init(trust: TrustName, year: Int, capitalBudgetGBP: GBP) {
        self.trust = trust
        self.year = year
        self.capitalBudgetGBP = capitalBudgetGBP
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
