import FleetCore

/// One unit's replacement priority, with everything needed to defend it: each criterion's raw value, score,
/// weight and note; the band and the rule that raised it; the economic life; and the replacement window and
/// timing costs the procurement scenario uses. Encodes to the JSON of `fleet rank --format json` (snake_case).
public struct Assessment: Hashable, Sendable, Codable {
    /// The unit.
    public var assetID: AssetID
    /// Its imaging network; nil when the register names none.
    public var network: NetworkName?
    /// Its trust.
    public var trust: TrustName
    /// Its site.
    public var site: SiteName
    /// Its modality.
    public var modality: Modality
    /// The catalog class the assessment used (the unit's own, else the modality's default; see ``notes``).
    public var equipmentClass: EquipmentClassName
    /// The priority score, 0–100: 100 × Σ weight·score ÷ Σ weight over ``criteria``.
    public var score: Double
    /// The band after the rules.
    public var band: Band
    /// The band the score alone gives.
    public var scoreBand: Band
    /// The rule that raised the band above ``scoreBand``; nil when none did.
    public var bandRule: BandRule?
    /// The criteria, stored inline (see ``criteria``).
    var storedCriteria: CriteriaStorage
    /// True when older than the class's expected life.
    public var isPastExpectedLife: Bool
    /// True when older than the class's maximum life.
    public var isPastMaximumLife: Bool
    /// True when the end of support is known and before as-of.
    public var isPastEndOfSupport: Bool
    /// The class's expected life, in years.
    public var expectedLifeYears: Double
    /// The class's maximum life, in years.
    public var maximumLifeYears: Double
    /// The replacement cost used (the unit's own, else the catalog's), in pounds.
    public var replacementCostGBP: GBP
    /// The economic life of the unit, in years: the life that minimises its equivalent annual cost
    /// (``EconomicLifeModel`` with its fitted operating cost), searched up to the class's maximum life.
    public var economicLifeYears: Int
    /// The unit's equivalent annual cost at its economic life, in pounds a year.
    public var equivalentAnnualCostGBP: GBP
    /// The minimum equivalent annual cost of a new unit of the class (the challenger), in pounds a year.
    public var newUnitEquivalentAnnualCostGBP: GBP
    /// What keeping the unit one more year costs (resale value lost, interest on it, operating cost), in pounds.
    public var keepOneMoreYearCostGBP: GBP
    /// The fitted (or class default) rise in operating cost a year of age, in pounds a year.
    public var operatingCostRiseGBPPerYear: GBP
    /// Months of cost history the rise was fitted to; 0 when the class default was used.
    public var operatingCostFitMonths: Int
    /// The replacement window of the band, in calendar years.
    public var window: ReplacementWindow
    /// The cost of buying a year later than preferred, in pounds a year (≥ 0).
    public var deferCostGBPPerYear: GBP
    /// The cost of buying a year earlier than preferred, in pounds a year (≥ 0).
    public var advanceCostGBPPerYear: GBP
    /// Notes about the unit as a whole (for example a class the catalog does not know).
    public var notes: [String]

    /// An assessment with every part given; `criteria` lists each criterion once (a missing one is taken as
    /// unknown with score and weight 0). ``PriorityModel`` makes them.
    public init(
        assetID: AssetID,
        network: NetworkName?,
        trust: TrustName,
        site: SiteName,
        modality: Modality,
        equipmentClass: EquipmentClassName,
        score: Double,
        band: Band,
        scoreBand: Band,
        bandRule: BandRule?,
        criteria: [CriterionAssessment],
        isPastExpectedLife: Bool,
        isPastMaximumLife: Bool,
        isPastEndOfSupport: Bool,
        expectedLifeYears: Double,
        maximumLifeYears: Double,
        replacementCostGBP: GBP,
        economicLifeYears: Int,
        equivalentAnnualCostGBP: GBP,
        newUnitEquivalentAnnualCostGBP: GBP,
        keepOneMoreYearCostGBP: GBP,
        operatingCostRiseGBPPerYear: GBP,
        operatingCostFitMonths: Int,
        window: ReplacementWindow,
        deferCostGBPPerYear: GBP,
        advanceCostGBPPerYear: GBP,
        notes: [String]
    ) {
        self.assetID = assetID
        self.network = network
        self.trust = trust
        self.site = site
        self.modality = modality
        self.equipmentClass = equipmentClass
        self.score = score
        self.band = band
        self.scoreBand = scoreBand
        self.bandRule = bandRule
        storedCriteria = CriteriaStorage(criteria)
        self.isPastExpectedLife = isPastExpectedLife
        self.isPastMaximumLife = isPastMaximumLife
        self.isPastEndOfSupport = isPastEndOfSupport
        self.expectedLifeYears = expectedLifeYears
        self.maximumLifeYears = maximumLifeYears
        self.replacementCostGBP = replacementCostGBP
        self.economicLifeYears = economicLifeYears
        self.equivalentAnnualCostGBP = equivalentAnnualCostGBP
        self.newUnitEquivalentAnnualCostGBP = newUnitEquivalentAnnualCostGBP
        self.keepOneMoreYearCostGBP = keepOneMoreYearCostGBP
        self.operatingCostRiseGBPPerYear = operatingCostRiseGBPPerYear
        self.operatingCostFitMonths = operatingCostFitMonths
        self.window = window
        self.deferCostGBPPerYear = deferCostGBPPerYear
        self.advanceCostGBPPerYear = advanceCostGBPPerYear
        self.notes = notes
    }

    /// Every criterion, in ``Criterion`` order.
    public var criteria: [CriterionAssessment] {
        get { Criterion.allCases.map { storedCriteria[$0] } }
        set { storedCriteria = CriteriaStorage(newValue) }
    }

    /// The criterion called `name`.
    public func criterion(_ name: Criterion) -> CriterionAssessment? { storedCriteria[name] }

    /// Age at as-of in years, exact across leap years (`Day.fractionalYears(until:)`): the age criterion's raw
    /// value.
    public var ageYears: Double { storedCriteria[.age].raw ?? 0 }

    /// Age minus economic life, in years; positive once past it.
    public var yearsPastEconomicLife: Double { ageYears - Double(economicLifeYears) }

    /// The sum of the criteria's weights.
    public var totalWeight: Double { Criterion.allCases.reduce(0) { $0 + storedCriteria[$1].weight } }

    /// What `criterion` adds to the score, in points: 100 × weight × score ÷ Σ weight.
    public func contribution(of criterion: CriterionAssessment) -> Double {
        let total = totalWeight
        return total > 0 ? 100 * criterion.weight * criterion.score / total : 0
    }

    /// JSON keys, snake_case as the spec requires.
    enum CodingKeys: String, CodingKey {
        case assetID = "asset_id"
        case network
        case trust
        case site
        case modality
        case equipmentClass = "class"
        case ageYears = "age_years"
        case score
        case band
        case scoreBand = "score_band"
        case bandRule = "band_rule"
        case criteria
        case isPastExpectedLife = "is_past_expected_life"
        case isPastMaximumLife = "is_past_maximum_life"
        case isPastEndOfSupport = "is_past_end_of_support"
        case expectedLifeYears = "expected_life_years"
        case maximumLifeYears = "maximum_life_years"
        case replacementCostGBP = "replacement_cost_gbp"
        case economicLifeYears = "economic_life_years"
        case yearsPastEconomicLife = "years_past_economic_life"
        case equivalentAnnualCostGBP = "equivalent_annual_cost_gbp"
        case newUnitEquivalentAnnualCostGBP = "new_unit_equivalent_annual_cost_gbp"
        case keepOneMoreYearCostGBP = "keep_one_more_year_cost_gbp"
        case operatingCostRiseGBPPerYear = "operating_cost_rise_gbp_per_year"
        case operatingCostFitMonths = "operating_cost_fit_months"
        case earliestYear = "earliest_year"
        case preferredYear = "preferred_year"
        case latestYear = "latest_year"
        case deferCostGBPPerYear = "defer_cost_gbp_per_year"
        case advanceCostGBPPerYear = "advance_cost_gbp_per_year"
        case notes
    }

    /// Decodes the JSON of `fleet rank --format json`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        assetID = try c.decode(AssetID.self, forKey: .assetID)
        network = try c.decodeIfPresent(NetworkName.self, forKey: .network)
        trust = try c.decode(TrustName.self, forKey: .trust)
        site = try c.decode(SiteName.self, forKey: .site)
        modality = try c.decode(Modality.self, forKey: .modality)
        equipmentClass = try c.decode(EquipmentClassName.self, forKey: .equipmentClass)
        score = try c.decode(Double.self, forKey: .score)
        band = try c.decode(Band.self, forKey: .band)
        scoreBand = try c.decode(Band.self, forKey: .scoreBand)
        bandRule = try c.decodeIfPresent(BandRule.self, forKey: .bandRule)
        storedCriteria = CriteriaStorage(try c.decode([CriterionAssessment].self, forKey: .criteria))
        isPastExpectedLife = try c.decode(Bool.self, forKey: .isPastExpectedLife)
        isPastMaximumLife = try c.decode(Bool.self, forKey: .isPastMaximumLife)
        isPastEndOfSupport = try c.decode(Bool.self, forKey: .isPastEndOfSupport)
        expectedLifeYears = try c.decode(Double.self, forKey: .expectedLifeYears)
        maximumLifeYears = try c.decode(Double.self, forKey: .maximumLifeYears)
        replacementCostGBP = try c.decode(GBP.self, forKey: .replacementCostGBP)
        economicLifeYears = try c.decode(Int.self, forKey: .economicLifeYears)
        equivalentAnnualCostGBP = try c.decode(GBP.self, forKey: .equivalentAnnualCostGBP)
        newUnitEquivalentAnnualCostGBP = try c.decode(GBP.self, forKey: .newUnitEquivalentAnnualCostGBP)
        keepOneMoreYearCostGBP = try c.decode(GBP.self, forKey: .keepOneMoreYearCostGBP)
        operatingCostRiseGBPPerYear = try c.decode(GBP.self, forKey: .operatingCostRiseGBPPerYear)
        operatingCostFitMonths = try c.decode(Int.self, forKey: .operatingCostFitMonths)
        window = ReplacementWindow(
            earliestYear: try c.decode(Int.self, forKey: .earliestYear),
            preferredYear: try c.decode(Int.self, forKey: .preferredYear),
            latestYear: try c.decode(Int.self, forKey: .latestYear)
        )
        deferCostGBPPerYear = try c.decode(GBP.self, forKey: .deferCostGBPPerYear)
        advanceCostGBPPerYear = try c.decode(GBP.self, forKey: .advanceCostGBPPerYear)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }

    /// Encodes one flat object; `network` and `band_rule` are written as `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(assetID, forKey: .assetID)
        try c.encode(network, forKey: .network)
        try c.encode(trust, forKey: .trust)
        try c.encode(site, forKey: .site)
        try c.encode(modality, forKey: .modality)
        try c.encode(equipmentClass, forKey: .equipmentClass)
        try c.encode(ageYears, forKey: .ageYears)
        try c.encode(score, forKey: .score)
        try c.encode(band, forKey: .band)
        try c.encode(scoreBand, forKey: .scoreBand)
        try c.encode(bandRule, forKey: .bandRule)
        try c.encode(criteria, forKey: .criteria)
        try c.encode(isPastExpectedLife, forKey: .isPastExpectedLife)
        try c.encode(isPastMaximumLife, forKey: .isPastMaximumLife)
        try c.encode(isPastEndOfSupport, forKey: .isPastEndOfSupport)
        try c.encode(expectedLifeYears, forKey: .expectedLifeYears)
        try c.encode(maximumLifeYears, forKey: .maximumLifeYears)
        try c.encode(replacementCostGBP, forKey: .replacementCostGBP)
        try c.encode(economicLifeYears, forKey: .economicLifeYears)
        try c.encode(yearsPastEconomicLife, forKey: .yearsPastEconomicLife)
        try c.encode(equivalentAnnualCostGBP, forKey: .equivalentAnnualCostGBP)
        try c.encode(newUnitEquivalentAnnualCostGBP, forKey: .newUnitEquivalentAnnualCostGBP)
        try c.encode(keepOneMoreYearCostGBP, forKey: .keepOneMoreYearCostGBP)
        try c.encode(operatingCostRiseGBPPerYear, forKey: .operatingCostRiseGBPPerYear)
        try c.encode(operatingCostFitMonths, forKey: .operatingCostFitMonths)
        try c.encode(window.earliestYear, forKey: .earliestYear)
        try c.encode(window.preferredYear, forKey: .preferredYear)
        try c.encode(window.latestYear, forKey: .latestYear)
        try c.encode(deferCostGBPPerYear, forKey: .deferCostGBPPerYear)
        try c.encode(advanceCostGBPPerYear, forKey: .advanceCostGBPPerYear)
        try c.encode(notes, forKey: .notes)
    }
}

/// The six criteria of an assessment stored inline, so that ranking a million units makes no heap allocation per
/// unit for them.
struct CriteriaStorage: Hashable, Sendable {
    struct Stored: Hashable, Sendable {
        var raw = 0.0
        var score = 0.0
        var weight = 0.0
        var note: String?
    }

    private var age = Stored()
    private var utilisation = Stored()
    private var reliability = Stored()
    private var maintenance = Stored()
    private var support = Stored()
    private var criticality = Stored()
    /// Bit `n` set when criterion `n` (in ``Criterion`` order) has a raw value.
    private var rawPresence: UInt8 = 0

    init() {}

    init(_ criteria: [CriterionAssessment]) {
        for criterion in criteria { self[criterion.name] = criterion }
    }

    subscript(name: Criterion) -> CriterionAssessment {
        get {
            let stored = slot(name)
            let hasRaw = rawPresence & (1 << name.ordinal) != 0
            return CriterionAssessment(
                name: name,
                raw: hasRaw ? stored.raw : nil,
                score: stored.score,
                weight: stored.weight,
                note: stored.note
            )
        }
        set {
            set(name, raw: newValue.raw, score: newValue.score, weight: newValue.weight, note: newValue.note)
        }
    }

    mutating func set(_ name: Criterion, raw: Double?, score: Double, weight: Double, note: String?) {
        let stored = Stored(raw: raw ?? 0, score: score, weight: weight, note: note)
        switch name {
        case .age: age = stored
        case .utilisation: utilisation = stored
        case .reliability: reliability = stored
        case .maintenance: maintenance = stored
        case .support: support = stored
        case .criticality: criticality = stored
        }
        if raw != nil { rawPresence |= 1 << name.ordinal } else { rawPresence &= ~(1 << name.ordinal) }
    }

    private func slot(_ name: Criterion) -> Stored {
        switch name {
        case .age: age
        case .utilisation: utilisation
        case .reliability: reliability
        case .maintenance: maintenance
        case .support: support
        case .criticality: criticality
        }
    }
}

extension Criterion {
    /// The position in `Criterion.allCases`, without a search.
    var ordinal: Int {
        switch self {
        case .age: 0
        case .utilisation: 1
        case .reliability: 2
        case .maintenance: 3
        case .support: 4
        case .criticality: 5
        }
    }
}
