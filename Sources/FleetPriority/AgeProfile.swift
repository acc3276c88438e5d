import FleetCore

/// The age profile of an installed base against the COCIR "golden rules": at least 60 % of units 5 years old or
/// younger, no more than 30 % aged 6 to 10, no more than 10 % older than 10 (completed years at as-of).
public enum AgeProfile {
    /// How units are grouped.
    public enum Grouping: String, CaseIterable, Hashable, Sendable, Codable {
        /// By owning trust.
        case trust
        /// By modality code.
        case modality
        /// By imaging network; units without one form the group ``AgeProfile/noNetworkGroup``.
        case network
    }

    /// The group name of the row that counts every unit; it comes last.
    public static let allUnitsGroup = "All units"
    /// The group of units whose register row names no network.
    public static let noNetworkGroup = "(no network)"

    /// The COCIR rule as whole percentages, so that a share right on a limit is judged exactly.
    public struct Rule: Hashable, Sendable, Codable {
        /// The least share of units aged 0–5 completed years, in percent.
        public var minimumPercentAged0To5: Int
        /// The largest share aged 6–10, in percent.
        public var maximumPercentAged6To10: Int
        /// The largest share aged 11 and over, in percent.
        public var maximumPercentAgedOver10: Int

        /// A rule with every limit given.
        public init(minimumPercentAged0To5: Int, maximumPercentAged6To10: Int, maximumPercentAgedOver10: Int) {
            self.minimumPercentAged0To5 = minimumPercentAged0To5
            self.maximumPercentAged6To10 = maximumPercentAged6To10
            self.maximumPercentAgedOver10 = maximumPercentAgedOver10
        }

        /// COCIR: ≥ 60 %, ≤ 30 %, ≤ 10 %.
        public static let cocir = Rule(
            minimumPercentAged0To5: 60,
            maximumPercentAged6To10: 30,
            maximumPercentAgedOver10: 10
        )

        /// Whether counts of units by age band meet the rule; a group with no units does not.
        public func isMet(aged0To5: Int, aged6To10: Int, agedOver10: Int) -> Bool {
            let units = aged0To5 + aged6To10 + agedOver10
            guard units > 0 else { return false }
            return 100 * aged0To5 >= minimumPercentAged0To5 * units
                && 100 * aged6To10 <= maximumPercentAged6To10 * units
                && 100 * agedOver10 <= maximumPercentAgedOver10 * units
        }
    }

    /// One group's units by completed years of age, with shares as fractions (0–1) and whether it meets the rule.
    public struct Row: Hashable, Sendable, Codable {
        /// The trust, modality code or network; ``AgeProfile/allUnitsGroup`` for the total.
        public var group: String
        /// Units in the group.
        public var units: Int
        /// Units aged 0–5 completed years.
        public var unitsAged0To5: Int
        /// Units aged 6–10 completed years.
        public var unitsAged6To10: Int
        /// Units aged 11 completed years and over.
        public var unitsAgedOver10: Int
        /// The share aged 0–5 (0–1).
        public var share0To5: Double
        /// The share aged 6–10 (0–1).
        public var share6To10: Double
        /// The share aged over 10 (0–1).
        public var shareOver10: Double
        /// Whether the group meets the rule.
        public var meetsRule: Bool

        /// A row from counts; shares are 0 for an empty group.
        public init(group: String, unitsAged0To5: Int, unitsAged6To10: Int, unitsAgedOver10: Int, rule: Rule = .cocir) {
            self.group = group
            self.unitsAged0To5 = unitsAged0To5
            self.unitsAged6To10 = unitsAged6To10
            self.unitsAgedOver10 = unitsAgedOver10
            units = unitsAged0To5 + unitsAged6To10 + unitsAgedOver10
            let total = Double(max(1, units))
            share0To5 = Double(unitsAged0To5) / total
            share6To10 = Double(unitsAged6To10) / total
            shareOver10 = Double(unitsAgedOver10) / total
            meetsRule = rule.isMet(aged0To5: unitsAged0To5, aged6To10: unitsAged6To10, agedOver10: unitsAgedOver10)
        }

        /// JSON keys of `fleet age-profile --format json`.
        enum CodingKeys: String, CodingKey {
            case group
            case units
            case unitsAged0To5 = "units_0_5"
            case unitsAged6To10 = "units_6_10"
            case unitsAgedOver10 = "units_over_10"
            case share0To5 = "share_0_5"
            case share6To10 = "share_6_10"
            case shareOver10 = "share_over_10"
            case meetsRule = "meets_rule"
        }
    }

    /// The age profile of `assets` at `asOf`, one row per group (trusts and networks by name, modalities in
    /// ``Modality`` order) and a last row for all units. Units left out of rankings are left out here too
    /// (``PriorityModel/exclusionReason(for:asOf:)``: decommissioned, or installed after as-of).
    public static func compute(assets: [Asset], asOf: Day, by grouping: Grouping, rule: Rule = .cocir) -> [Row] {
        var counts: [String: (Int, Int, Int)] = [:]
        var total = (0, 0, 0)
        for asset in assets where PriorityModel.exclusionReason(for: asset, asOf: asOf) == nil {
            let group =
                switch grouping {
                case .trust: asset.trust.rawValue
                case .modality: asset.modality.rawValue
                case .network: asset.network?.rawValue ?? noNetworkGroup
                }
            var count = counts[group] ?? (0, 0, 0)
            switch asset.installDate.completedYears(until: asOf) {
            case ...5:
                count.0 += 1
                total.0 += 1
            case 6...10:
                count.1 += 1
                total.1 += 1
            default:
                count.2 += 1
                total.2 += 1
            }
            counts[group] = count
        }
        let names = counts.keys.sorted { a, b in
            if grouping == .modality, let left = Modality(rawValue: a), let right = Modality(rawValue: b) {
                return left < right
            }
            return a < b
        }
        let rows = names.map { name in
            let count = counts[name]!
            return Row(
                group: name,
                unitsAged0To5: count.0,
                unitsAged6To10: count.1,
                unitsAgedOver10: count.2,
                rule: rule
            )
        }
        return rows + [
            Row(
                group: allUnitsGroup,
                unitsAged0To5: total.0,
                unitsAged6To10: total.1,
                unitsAgedOver10: total.2,
                rule: rule
            )
        ]
    }
}
