/// A criterion of the replacement-priority model (SPEC.md, `fleet rank`), in the order the spec lists them.
public enum Criterion: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Age in years at as-of.
    case age
    /// Scans in the feed window ÷ the class's capacity over the available hours.
    case utilisation
    /// Uptime fraction over the feed window: 1 − downtime ÷ available hours.
    case reliability
    /// Service cost over the feed window ÷ replacement cost (a year's worth).
    case maintenance
    /// Months to end of support; negative once past.
    case support
    /// Clinical criticality, 1 (low) to 5 (sole unit for a critical pathway).
    case criticality

    /// The name as the spec and the settings file write it.
    public var description: String { rawValue }

    /// The unit of the raw value, for explanations: `years`, `of capacity`...
    public var rawUnit: String {
        switch self {
        case .age: "years"
        case .utilisation: "of capacity"
        case .reliability: "uptime"
        case .maintenance: "of replacement cost a year"
        case .support: "months of support left"
        case .criticality: "of 5"
        }
    }

    /// Whether a larger raw value means a more urgent replacement (age, utilisation, maintenance, criticality) or
    /// a less urgent one (reliability, support); every mapping must respect it.
    public var worsensAsRawRises: Bool {
        switch self {
        case .age, .utilisation, .maintenance, .criticality: true
        case .reliability, .support: false
        }
    }

    /// The raw value as a planner reads it, with its unit: `12.4 years`, `72.0 % of capacity`, `-3.5 months of
    /// support left`; `unknown` for nil.
    public func describe(raw: Double?) -> String {
        guard let raw else { return "unknown" }
        switch self {
        case .age: return NumberText.fixed(raw, 1) + " years"
        case .utilisation: return NumberText.percent(raw, 1) + " of capacity"
        case .reliability: return NumberText.percent(raw, 1) + " uptime"
        case .maintenance: return NumberText.percent(raw, 1) + " of replacement cost a year"
        case .support:
            return raw < 0
                ? NumberText.fixed(raw, 1) + " months (support ended)" : NumberText.fixed(raw, 1) + " months left"
        case .criticality: return NumberText.fixed(raw, 0) + " of 5"
        }
    }
}

/// One criterion of one unit's assessment: its raw value, its score in [0, 1], its weight and a note that says
/// what was assumed when data were missing.
public struct CriterionAssessment: Hashable, Sendable, Codable {
    /// The criterion.
    public var name: Criterion
    /// The raw value in the criterion's unit (``Criterion/rawUnit``); nil when the data are missing (the note
    /// says what was assumed instead).
    public var raw: Double?
    /// The criterion score in [0, 1]; 1 is the most urgent.
    public var score: Double
    /// The weight from the settings (weights need not sum to 1; the score divides by their total).
    public var weight: Double
    /// What was assumed or worth knowing about the raw value; nil when there is nothing to add.
    public var note: String?

    /// A criterion with every part given.
    public init(name: Criterion, raw: Double?, score: Double, weight: Double, note: String? = nil) {
        self.name = name
        self.raw = raw
        self.score = score
        self.weight = weight
        self.note = note
    }

    /// JSON keys; `raw` and `note` are written as `null` when absent.
    enum CodingKeys: String, CodingKey {
        case name
        case raw
        case score
        case weight
        case note
    }

    /// Decodes from the JSON shape of `fleet rank --format json`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(Criterion.self, forKey: .name)
        raw = try container.decodeIfPresent(Double.self, forKey: .raw)
        score = try container.decode(Double.self, forKey: .score)
        weight = try container.decode(Double.self, forKey: .weight)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    /// Encodes `{name, raw, score, weight, note}` with explicit nulls.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(raw, forKey: .raw)
        try container.encode(score, forKey: .score)
        try container.encode(weight, forKey: .weight)
        try container.encode(note, forKey: .note)
    }
}
