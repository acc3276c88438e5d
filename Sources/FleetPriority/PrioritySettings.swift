import FleetCore

/// Every figure of the replacement-priority model: weights, score mappings, assumptions for missing data, band
/// thresholds, windows and timing costs, band rules and the economic-life inputs. Read from
/// `Catalog/priority.toml`, where each figure carries its basis; ``defaults`` equals the shipped file.
public struct PrioritySettings: Hashable, Sendable {
    /// The settings file name inside the catalog folder.
    public static let fileName = "priority.toml"

    /// The weight of each criterion (≥ 0, total > 0); weights need not sum to 1 or 100.
    public var weights: [Criterion: Double]
    /// How the utilisation feed is read.
    public var feed: FeedSettings
    /// How age maps to a score, anchored to the class's expected and maximum life.
    public var age: AgeScoring
    /// Utilisation (fraction of capacity) → score, non-decreasing.
    public var utilisation: PiecewiseLinear
    /// Reliability (uptime fraction) → score, non-increasing.
    public var reliability: PiecewiseLinear
    /// Maintenance (service cost a year ÷ replacement cost) → score, non-decreasing.
    public var maintenance: PiecewiseLinear
    /// Support (months to end of support, negative once past) → score, non-increasing.
    public var support: PiecewiseLinear
    /// Criticality (1–5) → score, non-decreasing.
    public var criticality: PiecewiseLinear
    /// What is assumed when a criterion's data are missing.
    public var missing: MissingDataAssumptions
    /// Thresholds, windows and timing costs of each band.
    public var bands: [Band: BandSettings]
    /// The minimum band each rule imposes; a rule that is absent is off.
    public var rules: [BandRule: Band]
    /// Inputs of the economic-life and timing-cost calculations.
    public var economicLife: EconomicLifeSettings

    /// Settings with every part given; ``PrioritySettings/parse(toml:file:)`` checks a file's figures, this does
    /// not.
    public init(
        weights: [Criterion: Double],
        feed: FeedSettings,
        age: AgeScoring,
        utilisation: PiecewiseLinear,
        reliability: PiecewiseLinear,
        maintenance: PiecewiseLinear,
        support: PiecewiseLinear,
        criticality: PiecewiseLinear,
        missing: MissingDataAssumptions,
        bands: [Band: BandSettings],
        rules: [BandRule: Band],
        economicLife: EconomicLifeSettings
    ) {
        self.weights = weights
        self.feed = feed
        self.age = age
        self.utilisation = utilisation
        self.reliability = reliability
        self.maintenance = maintenance
        self.support = support
        self.criticality = criticality
        self.missing = missing
        self.bands = bands
        self.rules = rules
        self.economicLife = economicLife
    }

    /// The mapping of a criterion given by points (every criterion but age).
    public func mapping(for criterion: Criterion) -> PiecewiseLinear? {
        switch criterion {
        case .age: nil
        case .utilisation: utilisation
        case .reliability: reliability
        case .maintenance: maintenance
        case .support: support
        case .criticality: criticality
        }
    }

    /// The band a score (0–100) gives by the thresholds alone: the most urgent band whose minimum it reaches.
    public func band(forScore score: Double) -> Band {
        for band in Band.allCases where score >= (bands[band]?.minimumScore ?? .infinity) { return band }
        return .monitor
    }

    /// The settings shipped in `Catalog/priority.toml`; a test checks that the two agree.
    public static let defaults = PrioritySettings(
        weights: [.age: 30, .utilisation: 10, .reliability: 20, .maintenance: 15, .support: 15, .criticality: 10],
        feed: FeedSettings(defaultAvailableHoursPerDay: 12),
        age: AgeScoring(scoreAtHalfExpectedLife: 0.2, scoreAtExpectedLife: 0.6, scoreAtMaximumLife: 1.0),
        utilisation: PiecewiseLinear([(0.3, 0.0), (0.6, 0.5), (0.9, 1.0)]),
        reliability: PiecewiseLinear([(0.90, 1.0), (0.95, 0.5), (0.98, 0.0)]),
        maintenance: PiecewiseLinear([(0.06, 0.0), (0.10, 0.5), (0.20, 1.0)]),
        support: PiecewiseLinear([(0, 1.0), (24, 0.6), (60, 0.0)]),
        criticality: PiecewiseLinear([(1, 0.0), (5, 1.0)]),
        missing: MissingDataAssumptions(
            utilisationScore: 0.5,
            reliabilityScore: 0.5,
            maintenanceScore: 0.5,
            supportScore: 0.5,
            criticality: 3
        ),
        bands: [
            .replaceNow: BandSettings(
                minimumScore: 70,
                earliestOffsetYears: 0,
                preferredOffsetYears: 0,
                latestOffsetYears: 1,
                deferralDowntimeShare: 0.03,
                advanceFactor: 0.25
            ),
            .replaceWithin2Years: BandSettings(
                minimumScore: 55,
                earliestOffsetYears: 0,
                preferredOffsetYears: 1,
                latestOffsetYears: 2,
                deferralDowntimeShare: 0.02,
                advanceFactor: 0.5
            ),
            .plan: BandSettings(
                minimumScore: 40,
                earliestOffsetYears: 2,
                preferredOffsetYears: 3,
                latestOffsetYears: 5,
                deferralDowntimeShare: 0.01,
                advanceFactor: 0.75
            ),
            .monitor: BandSettings(
                minimumScore: 0,
                earliestOffsetYears: 4,
                preferredOffsetYears: 6,
                latestOffsetYears: 8,
                deferralDowntimeShare: 0,
                advanceFactor: 1
            ),
        ],
        rules: [.pastMaximumLife: .replaceNow, .pastEndOfSupport: .replaceWithin2Years, .pastExpectedLife: .plan],
        economicLife: EconomicLifeSettings(
            discountRate: 0.035,
            decliningBalanceRate: 0.2,
            maximumYears: 30,
            newUnitDowntimeShare: 0.02,
            minimumMonthsForFit: 6,
            lostActivityGBPPerScan: [.ct: 100, .mr: 150],
            defaultLostActivityGBPPerScan: 40
        )
    )
}

/// How the utilisation feed is read.
public struct FeedSettings: Hashable, Sendable, Codable {
    /// Hours a day a unit is taken to be available in a month whose record gives no available hours (NHS
    /// community diagnostic centre planning: 12 hours a day, 7 days a week).
    public var defaultAvailableHoursPerDay: Double

    /// Settings with every figure given.
    public init(defaultAvailableHoursPerDay: Double) { self.defaultAvailableHoursPerDay = defaultAvailableHoursPerDay }

    /// The available hours assumed for `month` when its record gives none.
    public func defaultAvailableHours(in month: YearMonth) -> Double {
        defaultAvailableHoursPerDay * Double(month.dayCount)
    }

    /// The available hours a year assumed when a unit has no feed: hours a day × 365.25.
    public var defaultAvailableHoursPerYear: Double { defaultAvailableHoursPerDay * 365.25 }
}

/// The age score: piecewise linear from 0 at installation through anchors at half the class's expected life, at
/// its expected life and at its maximum life, flat beyond (non-decreasing).
public struct AgeScoring: Hashable, Sendable, Codable {
    /// The score at half the expected life (COCIR: up to 5 years, half a 10-year life, is state of the art).
    public var scoreAtHalfExpectedLife: Double
    /// The score at the expected life (ESR 2014: over 10 years no longer state of the art).
    public var scoreAtExpectedLife: Double
    /// The score at the maximum life and beyond (CAR: overall cap 15 years).
    public var scoreAtMaximumLife: Double

    /// Scoring with every anchor given.
    public init(scoreAtHalfExpectedLife: Double, scoreAtExpectedLife: Double, scoreAtMaximumLife: Double) {
        self.scoreAtHalfExpectedLife = scoreAtHalfExpectedLife
        self.scoreAtExpectedLife = scoreAtExpectedLife
        self.scoreAtMaximumLife = scoreAtMaximumLife
    }

    /// The score of a unit `ageYears` old in a class with the given lives (years); 0 at or below age 0.
    public func score(ageYears: Double, expectedLifeYears: Double, maximumLifeYears: Double) -> Double {
        let half = expectedLifeYears / 2
        if ageYears <= 0 { return 0 }
        if ageYears >= maximumLifeYears { return scoreAtMaximumLife }
        if ageYears < half { return scoreAtHalfExpectedLife * ageYears / half }
        if ageYears < expectedLifeYears {
            return scoreAtHalfExpectedLife
                + (scoreAtExpectedLife - scoreAtHalfExpectedLife) * (ageYears - half) / (expectedLifeYears - half)
        }
        return scoreAtExpectedLife
            + (scoreAtMaximumLife - scoreAtExpectedLife) * (ageYears - expectedLifeYears)
            / (maximumLifeYears - expectedLifeYears)
    }
}

/// What the model assumes when a criterion's data are missing; every assumption is named in the criterion's
/// note, so a missing figure is never read as zero risk.
public struct MissingDataAssumptions: Hashable, Sendable, Codable {
    /// The utilisation score when the feed has no month in the window.
    public var utilisationScore: Double
    /// The reliability score when no month in the window gives downtime.
    public var reliabilityScore: Double
    /// The maintenance score when neither the feed nor the register gives a service cost.
    public var maintenanceScore: Double
    /// The support score when the end of support is unknown.
    public var supportScore: Double
    /// The criticality (1–5) assumed when the register gives none.
    public var criticality: Int

    /// Assumptions with every figure given.
    public init(
        utilisationScore: Double,
        reliabilityScore: Double,
        maintenanceScore: Double,
        supportScore: Double,
        criticality: Int
    ) {
        self.utilisationScore = utilisationScore
        self.reliabilityScore = reliabilityScore
        self.maintenanceScore = maintenanceScore
        self.supportScore = supportScore
        self.criticality = criticality
    }
}

/// Inputs of the economic-life calculation and of the deferral cost.
public struct EconomicLifeSettings: Hashable, Sendable, Codable {
    /// The real discount rate a year for equivalent annual cost (HM Treasury Green Book: 3.5 %).
    public var discountRate: Double
    /// The share of its value a unit's resale value loses each year (declining balance), so S_n = P·(1 − d)^n.
    public var decliningBalanceRate: Double
    /// The longest life, in years, the economic-life search considers for any class; each class's search also
    /// stops at its maximum life (rounded up).
    public var maximumYears: Int
    /// Unplanned downtime of a new unit as a share of its available hours (98 % uptime, the top of the common
    /// 95–98 % contract guarantees); part of a new unit's operating cost.
    public var newUnitDowntimeShare: Double
    /// The fewest months of cost history from which a unit's own operating-cost rise is fitted; below it the
    /// class's default rise is used.
    public var minimumMonthsForFit: Int
    /// Activity lost per scan not performed during downtime, in pounds, by modality.
    public var lostActivityGBPPerScan: [Modality: Double]
    /// The figure for modalities not listed, in pounds a scan.
    public var defaultLostActivityGBPPerScan: Double

    /// Settings with every figure given.
    public init(
        discountRate: Double,
        decliningBalanceRate: Double,
        maximumYears: Int,
        newUnitDowntimeShare: Double,
        minimumMonthsForFit: Int,
        lostActivityGBPPerScan: [Modality: Double],
        defaultLostActivityGBPPerScan: Double
    ) {
        self.discountRate = discountRate
        self.decliningBalanceRate = decliningBalanceRate
        self.maximumYears = maximumYears
        self.newUnitDowntimeShare = newUnitDowntimeShare
        self.minimumMonthsForFit = minimumMonthsForFit
        self.lostActivityGBPPerScan = lostActivityGBPPerScan
        self.defaultLostActivityGBPPerScan = defaultLostActivityGBPPerScan
    }

    /// Pounds of activity lost per scan not performed, for `modality`.
    public func lostActivityGBP(perScanOf modality: Modality) -> Double {
        lostActivityGBPPerScan[modality] ?? defaultLostActivityGBPPerScan
    }
}
