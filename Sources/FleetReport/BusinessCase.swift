import FleetCore
import Foundation

/// Everything the business-case workbook shows, as plain values gathered from the register, the ranking and
/// the procurement result. The report module computes nothing here that another stage owns; it only lays these
/// figures out and adds the appraisal, whose formulas finance can change.
public struct BusinessCase: Sendable {
    /// The network (or region) the case is for, for titles.
    public var title: String
    /// The day the ranking and ages are taken at.
    public var asOf: Day
    /// The appraisal inputs, written to the Assumptions sheet as named cells.
    public var assumptions: AppraisalAssumptions
    /// Every unit of the register, in register order.
    public var register: [Asset]
    /// The replacement ranking, highest priority first.
    public var priorities: [PriorityRow]
    /// The names of the priority criteria, in the column order of the Priority sheet.
    public var criterionNames: [String]
    /// Age-profile rows (by trust, then the network as a whole).
    public var ageProfile: [AgeProfileRow]
    /// Cash flows of each option: each trust alone, then the joint plan.
    public var options: [OptionCashFlows]
    /// The joint plan's orders.
    public var orders: [OrderRow]
    /// Each trust's standalone cost and its share of the savings.
    public var allocation: [AllocationRow]
    /// How the Shapley shares were computed (exact, or sampled with a standard error).
    public var allocationMethod: String
    /// Capital budgets by trust and year, undiscounted; empty when the scenario has none.
    public var budgets: [TrustYear: GBP]
    /// Capital scored by each trust in each year under the joint plan (IFRS 16: prices paid and right-of-use
    /// values), undiscounted.
    public var jointCapitalByTrustYear: [TrustYear: GBP]
    /// Revenue budgets by trust and year, undiscounted; empty when the scenario has none.
    public var revenueBudgets: [TrustYear: GBP] = [:]
    /// Revenue scored by each trust in each appraisal year under the joint plan (service after warranty, lease
    /// rentals, managed-service fees), undiscounted: what a revenue budget binds.
    public var jointRevenueByTrustYear: [TrustYear: GBP] = [:]
    /// Whether the optimiser proved its plans optimal, or stopped at a time limit with a gap.
    public var solverStatus: String
    /// The last import that added or changed each unit, from the register's history; nil when the case was built
    /// without one (the Register sheet then has no history columns).
    public var lastChanges: [AssetID: RegisterRowChange]?
    /// Demand against capacity by trust, modality and year, with the joint plan's cover; empty when the case
    /// plans no capacity (the workbook then has no Capacity sheet).
    public var capacity: [CapacityCoverRow] = []

    /// A case with every part given.
    public init(
        title: String,
        asOf: Day,
        assumptions: AppraisalAssumptions,
        register: [Asset],
        priorities: [PriorityRow],
        criterionNames: [String],
        ageProfile: [AgeProfileRow],
        options: [OptionCashFlows],
        orders: [OrderRow],
        allocation: [AllocationRow],
        allocationMethod: String,
        budgets: [TrustYear: GBP],
        jointCapitalByTrustYear: [TrustYear: GBP],
        solverStatus: String
    ) {
        self.title = title
        self.asOf = asOf
        self.assumptions = assumptions
        self.register = register
        self.priorities = priorities
        self.criterionNames = criterionNames
        self.ageProfile = ageProfile
        self.options = options
        self.orders = orders
        self.allocation = allocation
        self.allocationMethod = allocationMethod
        self.budgets = budgets
        self.jointCapitalByTrustYear = jointCapitalByTrustYear
        self.solverStatus = solverStatus
    }

    /// The joint option.
    public var jointOption: OptionCashFlows? { options.first { $0.isJoint } }
    /// The standalone options, one per trust.
    public var standaloneOptions: [OptionCashFlows] { options.filter { !$0.isJoint } }
}

/// The last import that added or changed a unit of the register, as the Register sheet shows it.
public struct RegisterRowChange: Hashable, Sendable {
    /// When the import committed, in UTC, ISO 8601 to the second.
    public var at: String
    /// Who imported (database role, or operating-system user).
    public var who: String
    /// The file as the user named it; empty when the rows came from no file.
    public var file: String
    /// The register columns that import changed; empty when it added the unit.
    public var changedFields: [String]

    /// A change with every part given.
    public init(at: String, who: String, file: String, changedFields: [String]) {
        (self.at, self.who, self.file, self.changedFields) = (at, who, file, changedFields)
    }

    /// What changed, as the sheet says it: `added`, or the changed columns.
    public var summary: String { changedFields.isEmpty ? "added" : changedFields.joined(separator: ", ") }
}

/// A trust and a year, as a key for budgets and capital plans.
public struct TrustYear: Hashable, Sendable, Comparable {
    /// The trust.
    public var trust: TrustName
    /// The year.
    public var year: Int

    /// The pair.
    public init(trust: TrustName, year: Int) {
        self.trust = trust
        self.year = year
    }

    public static func < (lhs: TrustYear, rhs: TrustYear) -> Bool { (lhs.trust, lhs.year) < (rhs.trust, rhs.year) }
}

/// The appraisal's inputs (HM Treasury Green Book), each written as a named cell with its source.
public struct AppraisalAssumptions: Sendable, Hashable {
    /// The discount rate a year, as a fraction (Green Book 3.5 % for years 0–30).
    public var discountRate: Double
    /// The first year of the appraisal (year 0, not discounted).
    public var baseYear: Int
    /// Decision years in the plan.
    public var horizonYears: Int
    /// Years of costs counted in the appraisal.
    public var appraisalYears: Int
    /// VAT rate as a fraction (20 % standard rate).
    public var vatRate: Double
    /// Whether VAT is counted as a cost (1) or left out as a transfer between public bodies (0).
    public var includesVAT: Bool
    /// Optimism bias added to capital paid, as a fraction (Green Book supplementary guidance).
    public var optimismBias: Double
    /// Optimism bias added to operating (revenue) costs, as a fraction (Green Book supplementary guidance).
    public var operatingOptimismBias: Double
    /// The discount rate of IFRS 16 right-of-use values a year, as a fraction (scenario.toml's
    /// `lease_discount_rate`; the discount rate when it sets none).
    public var leaseDiscountRate: Double
    /// How far each sensitivity moves its input, as fractions (prices, tier discounts, timing penalties) and
    /// percentage points (discount rate).
    public var sensitivity: SensitivitySteps

    /// Assumptions with every figure given.
    public init(
        discountRate: Double,
        baseYear: Int,
        horizonYears: Int,
        appraisalYears: Int,
        vatRate: Double = 0.20,
        includesVAT: Bool = false,
        optimismBias: Double = 0.10,
        operatingOptimismBias: Double = 0,
        leaseDiscountRate: Double? = nil,
        sensitivity: SensitivitySteps = SensitivitySteps()
    ) {
        self.discountRate = discountRate
        self.baseYear = baseYear
        self.horizonYears = horizonYears
        self.appraisalYears = appraisalYears
        self.vatRate = vatRate
        self.includesVAT = includesVAT
        self.optimismBias = optimismBias
        self.operatingOptimismBias = operatingOptimismBias
        self.leaseDiscountRate = leaseDiscountRate ?? discountRate
        self.sensitivity = sensitivity
    }

    /// The years of the appraisal, base to base + appraisal − 1.
    public var years: [Int] { Array(baseYear..<(baseYear + max(appraisalYears, horizonYears))) }

    /// The Green Book discount factor of `year`: (1 + r)^−(year − base).
    public func discountFactor(_ year: Int, rate: Double? = nil) -> Double {
        1 / pow(1 + (rate ?? discountRate), Double(year - baseYear))
    }
}

/// How far each input moves in the sensitivity table and tornado chart.
public struct SensitivitySteps: Sendable, Hashable {
    /// Equipment prices up and down by this fraction (default 10 %).
    public var price: Double = 0.10
    /// Tier discounts up and down by this fraction of themselves (default 50 %).
    public var tierDiscount: Double = 0.50
    /// Discount rate up and down by this many percentage points, as a fraction (default 1 point).
    public var discountRate: Double = 0.01
    /// Timing penalties up and down by this fraction (default 50 %).
    public var timingPenalty: Double = 0.50

    /// The default steps.
    public init() {}
}

/// One ranked unit for the Priority sheet.
public struct PriorityRow: Sendable, Hashable {
    public var rank: Int
    public var assetID: AssetID
    public var trust: TrustName
    public var site: SiteName
    public var modality: Modality
    public var equipmentClass: String
    public var ageYears: Double
    /// Score 0–100.
    public var score: Double
    public var band: String
    /// The rule that raised the band, empty when none.
    public var bandRule: String
    /// Criterion scores in [0, 1], in ``BusinessCase/criterionNames`` order.
    public var criterionScores: [Double]
    /// Criterion weights, in the same order.
    public var criterionWeights: [Double]

    public init(
        rank: Int,
        assetID: AssetID,
        trust: TrustName,
        site: SiteName,
        modality: Modality,
        equipmentClass: String,
        ageYears: Double,
        score: Double,
        band: String,
        bandRule: String,
        criterionScores: [Double],
        criterionWeights: [Double]
    ) {
        self.rank = rank
        self.assetID = assetID
        self.trust = trust
        self.site = site
        self.modality = modality
        self.equipmentClass = equipmentClass
        self.ageYears = ageYears
        self.score = score
        self.band = band
        self.bandRule = bandRule
        self.criterionScores = criterionScores
        self.criterionWeights = criterionWeights
    }
}

/// Units of one group by completed years of age.
public struct AgeProfileRow: Sendable, Hashable {
    public var group: String
    public var unitsAged0To5: Int
    public var unitsAged6To10: Int
    public var unitsAgedOver10: Int

    public init(group: String, unitsAged0To5: Int, unitsAged6To10: Int, unitsAgedOver10: Int) {
        self.group = group
        self.unitsAged0To5 = unitsAged0To5
        self.unitsAged6To10 = unitsAged6To10
        self.unitsAgedOver10 = unitsAgedOver10
    }

    /// All units of the group.
    public var units: Int { unitsAged0To5 + unitsAged6To10 + unitsAgedOver10 }
}

/// The yearly cash flows of one option (a trust alone, or the joint plan) as the optimiser priced them.
public struct OptionCashFlows: Sendable, Hashable {
    /// `Joint plan`, or the trust's name.
    public var name: String
    /// True for the joint plan.
    public var isJoint: Bool
    /// Capital at list price by year, undiscounted.
    public var listCapitalGBP: [Int: GBP]
    /// Tier discounts by year (positive amounts), undiscounted.
    public var tierDiscountGBP: [Int: GBP]
    /// Service after warranty by year, undiscounted.
    public var serviceGBP: [Int: GBP]
    /// Lease rentals by year paid (after tier discounts), undiscounted.
    public var rentalsGBP: [Int: GBP] = [:]
    /// Managed-service fees by year paid (after tier discounts), undiscounted.
    public var feesGBP: [Int: GBP] = [:]
    /// Capacity cover by year (outsourced scans, cover hired while a single unit is replaced), undiscounted.
    public var coverGBP: [Int: GBP] = [:]
    /// The payments whose present value IFRS 16 scores as capital when they start: for each lease and managed
    /// service term, the annual rental (lease) or equipment share of the fee (MES) of the units starting each
    /// year, in pounds a year.
    public var rightOfUseStartsGBP: [RightOfUseTerm: [Int: GBP]] = [:]
    /// Capital scored by year of purchase as the optimiser scored it (prices paid and right-of-use values); nil
    /// when every unit is bought, so the capital scored is the capital paid.
    public var capitalScoredGBP: [Int: GBP]?
    /// Timing penalties by year of purchase; the spec counts them undiscounted.
    public var timingPenaltyGBP: [Int: GBP]
    /// The optimiser's objective for this option (discounted capital and service plus penalties).
    public var optimiserCostGBP: GBP

    public init(
        name: String,
        isJoint: Bool,
        listCapitalGBP: [Int: GBP],
        tierDiscountGBP: [Int: GBP],
        serviceGBP: [Int: GBP],
        timingPenaltyGBP: [Int: GBP],
        optimiserCostGBP: GBP
    ) {
        self.name = name
        self.isJoint = isJoint
        self.listCapitalGBP = listCapitalGBP
        self.tierDiscountGBP = tierDiscountGBP
        self.serviceGBP = serviceGBP
        self.timingPenaltyGBP = timingPenaltyGBP
        self.optimiserCostGBP = optimiserCostGBP
    }

    /// Capital actually paid in `year`.
    public func capitalPaid(_ year: Int) -> GBP {
        listCapitalGBP[year, default: .zero] - tierDiscountGBP[year, default: .zero]
    }

    /// Capital scored in `year` (IFRS 16): as the optimiser scored it, else the capital paid.
    public func capitalScored(_ year: Int) -> GBP {
        capitalScoredGBP.map { $0[year, default: .zero] } ?? capitalPaid(year)
    }

    /// Revenue in `year` as a revenue budget counts it: service after warranty, rentals and fees.
    public func revenueScored(_ year: Int) -> GBP {
        serviceGBP[year, default: .zero] + rentalsGBP[year, default: .zero] + feesGBP[year, default: .zero]
    }

    /// All revenue in `year`, the appraisal's revenue line: revenue scored and capacity cover.
    public func revenue(_ year: Int) -> GBP { revenueScored(year) + coverGBP[year, default: .zero] }
}

/// A lease or managed-service term whose starting payments IFRS 16 scores as a right-of-use asset.
public struct RightOfUseTerm: Hashable, Sendable, Comparable {
    /// Whether the payments are a managed service's (the equipment share of its fee) rather than lease rentals.
    public var isManagedService: Bool
    /// The term, in years.
    public var years: Int

    /// A term of `years` years, of a managed service when `isManagedService`.
    public init(isManagedService: Bool, years: Int) {
        self.isManagedService = isManagedService
        self.years = years
    }

    public static func < (lhs: RightOfUseTerm, rhs: RightOfUseTerm) -> Bool {
        (lhs.isManagedService ? 1 : 0, lhs.years) < (rhs.isManagedService ? 1 : 0, rhs.years)
    }
}

/// One order of the joint plan.
public struct OrderRow: Sendable, Hashable {
    public var supplier: String
    public var equipmentClass: String
    public var year: Int
    public var units: Int
    public var listPriceGBP: GBP
    /// The tier discount as a fraction.
    public var discount: Double
    /// The smallest order that earns the discount.
    public var tierMinimumUnits: Int
    /// What the same units would have cost bought by each trust alone at the tiers their own orders reach, for
    /// the savings by lot; nil when not known.
    public var standaloneEquivalentGBP: GBP?

    public init(
        supplier: String,
        equipmentClass: String,
        year: Int,
        units: Int,
        listPriceGBP: GBP,
        discount: Double,
        tierMinimumUnits: Int,
        standaloneEquivalentGBP: GBP? = nil
    ) {
        self.supplier = supplier
        self.equipmentClass = equipmentClass
        self.year = year
        self.units = units
        self.listPriceGBP = listPriceGBP
        self.discount = discount
        self.tierMinimumUnits = tierMinimumUnits
        self.standaloneEquivalentGBP = standaloneEquivalentGBP
    }

    /// The unit price paid.
    public var unitPriceGBP: GBP { listPriceGBP * (1 - discount) }
}

/// One trust's standalone cost and its share of the savings.
public struct AllocationRow: Sendable, Hashable {
    public var trust: TrustName
    public var standaloneCostGBP: GBP
    public var shapleyShareGBP: GBP
    public var proportionalShareGBP: GBP

    public init(trust: TrustName, standaloneCostGBP: GBP, shapleyShareGBP: GBP, proportionalShareGBP: GBP) {
        self.trust = trust
        self.standaloneCostGBP = standaloneCostGBP
        self.shapleyShareGBP = shapleyShareGBP
        self.proportionalShareGBP = proportionalShareGBP
    }
}
