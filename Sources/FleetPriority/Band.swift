/// A replacement band, most urgent first. The score puts a unit in a band through the thresholds of the settings;
/// a ``BandRule`` may raise the band, never the score.
public enum Band: String, CaseIterable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Replace now: buy this year or next.
    case replaceNow = "replace_now"
    /// Replace within 2 years.
    case replaceWithin2Years = "replace_within_2_years"
    /// Plan a replacement in 3 to 5 years.
    case plan = "plan_3_to_5_years"
    /// Monitor; no replacement planned yet.
    case monitor

    /// The band as a planner reads it: `Replace now`, `Replace within 2 years`, `Plan (3–5 years)`, `Monitor`.
    public var displayName: String {
        switch self {
        case .replaceNow: "Replace now"
        case .replaceWithin2Years: "Replace within 2 years"
        case .plan: "Plan (3–5 years)"
        case .monitor: "Monitor"
        }
    }

    /// The band in running text and in the workbook (whose COUNTIF formulas match it): `replace now`,
    /// `replace within 2 years`, `plan (3–5 years)`, `monitor`.
    public var label: String { displayName.lowercased() }

    /// The band in a narrow table column: `replace now`, `within 2 years`, `plan 3–5 years`, `monitor`.
    public var shortLabel: String {
        switch self {
        case .replaceNow: "replace now"
        case .replaceWithin2Years: "within 2 years"
        case .plan: "plan 3–5 years"
        case .monitor: "monitor"
        }
    }

    /// The settings-file and JSON name, for example `replace_now`.
    public var description: String { rawValue }

    /// 0 for the most urgent band, 3 for monitor.
    public var urgencyRank: Int {
        switch self {
        case .replaceNow: 0
        case .replaceWithin2Years: 1
        case .plan: 2
        case .monitor: 3
        }
    }

    /// More urgent bands sort first: `.replaceNow < .monitor`.
    public static func < (lhs: Band, rhs: Band) -> Bool { lhs.urgencyRank < rhs.urgencyRank }

    /// The more urgent of two bands.
    public static func mostUrgent(_ lhs: Band, _ rhs: Band) -> Band { min(lhs, rhs) }
}

/// A rule that may raise a unit's band above the band its score gives (SPEC.md: "a rule may raise a band, never
/// the score"). Each rule's minimum band is set in `Catalog/priority.toml` under `[rules]`.
public enum BandRule: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Older than the class's maximum life (Catalog, CAR overall cap 15 years).
    case pastMaximumLife = "past_maximum_life"
    /// Past the manufacturer's end of support: parts and software fixes are no longer assured.
    case pastEndOfSupport = "past_end_of_support"
    /// Older than the class's expected life (Catalog; ESR 2014: over 10 years no longer state of the art).
    case pastExpectedLife = "past_expected_life"

    /// The settings-file and JSON name, for example `past_end_of_support`.
    public var description: String { rawValue }
}

/// What one band means for procurement: its score threshold, its replacement window and the timing costs the
/// procurement scenario uses (`replacements.csv`).
public struct BandSettings: Hashable, Sendable, Codable {
    /// The lowest score (0–100) that puts a unit in this band by score alone.
    public var minimumScore: Double
    /// The earliest year of the replacement window, in years after the base year (as-of's year).
    public var earliestOffsetYears: Int
    /// The preferred year, in years after the base year.
    public var preferredOffsetYears: Int
    /// The latest year, in years after the base year.
    public var latestOffsetYears: Int
    /// The extra unplanned downtime a year of deferral risks, as a share of the unit's available hours a year
    /// (costed at the lost-activity rate); part of the deferral cost.
    public var deferralDowntimeShare: Double
    /// The share of a year's straight-line capital value (replacement cost ÷ expected life) that bringing the
    /// replacement forward a year gives up.
    public var advanceFactor: Double

    /// Settings with every figure given.
    public init(
        minimumScore: Double,
        earliestOffsetYears: Int,
        preferredOffsetYears: Int,
        latestOffsetYears: Int,
        deferralDowntimeShare: Double,
        advanceFactor: Double
    ) {
        self.minimumScore = minimumScore
        self.earliestOffsetYears = earliestOffsetYears
        self.preferredOffsetYears = preferredOffsetYears
        self.latestOffsetYears = latestOffsetYears
        self.deferralDowntimeShare = deferralDowntimeShare
        self.advanceFactor = advanceFactor
    }

    /// The window in calendar years for `baseYear`.
    public func window(baseYear: Int) -> ReplacementWindow {
        ReplacementWindow(
            earliestYear: baseYear + earliestOffsetYears,
            preferredYear: baseYear + preferredOffsetYears,
            latestYear: baseYear + latestOffsetYears
        )
    }
}

/// The calendar years within which a replacement should be bought (earliest ≤ preferred ≤ latest).
public struct ReplacementWindow: Hashable, Sendable, Codable {
    /// The earliest year a purchase may fall in.
    public var earliestYear: Int
    /// The year the ranking prefers.
    public var preferredYear: Int
    /// The latest year a purchase may fall in.
    public var latestYear: Int

    /// A window with every year given.
    public init(earliestYear: Int, preferredYear: Int, latestYear: Int) {
        self.earliestYear = earliestYear
        self.preferredYear = preferredYear
        self.latestYear = latestYear
    }
}
