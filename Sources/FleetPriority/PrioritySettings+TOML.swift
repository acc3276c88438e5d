import FleetCore
import TOMLKit

extension PrioritySettings {
    /// Reads settings from the text of `priority.toml`. Every key is required and unknown keys are refused, so the
    /// file a planner reads is exactly what the ranking used.
    /// - Parameters:
    ///   - text: The TOML text.
    ///   - file: The file name as the user knows it, for messages.
    /// - Throws: ``InvalidInput`` naming the file, the line (where known), the key and the value of every problem.
    public static func parse(toml text: String, file: String) throws(InvalidInput) -> PrioritySettings {
        let document = try SettingsReader.document(text, file: file)
        var reader = SettingsReader(file: file, text: text)
        let settings = reader.settings(from: document)
        try reader.issues.throwIfAny()
        guard let settings else {
            throw InvalidInput(InputIssue(file: file, line: nil, problem: "could not be read"))
        }
        return settings
    }

    /// These settings with the weights of a `--weights` file merged over them: the file holds one `[weights]`
    /// table; the criteria it names take its weights, the others keep theirs.
    /// - Throws: ``InvalidInput`` for a syntax error, an unknown criterion, a negative weight, any table other
    ///   than `[weights]`, or weights that sum to zero after merging.
    public func overridingWeights(toml text: String, file: String) throws(InvalidInput) -> PrioritySettings {
        let document = try SettingsReader.document(text, file: file)
        var reader = SettingsReader(file: file, text: text)
        var merged = self
        reader.rejectUnknownKeys(in: document, at: [], known: ["weights"])
        if let table = reader.table(in: document, ["weights"]) {
            let partial = reader.weights(from: table, requireAll: false)
            merged.weights.merge(partial) { _, new in new }
            if reader.issues.isEmpty, merged.weights.values.reduce(0, +) <= 0 {
                reader.report(["weights"], value: nil, "the merged weights sum to 0; expected a positive total")
            }
        }
        try reader.issues.throwIfAny()
        return merged
    }
}

extension SettingsReader {
    private static let unit = "a number from 0 to 1"

    fileprivate mutating func settings(from document: TOMLTable) -> PrioritySettings? {
        let sections = [
            "weights", "feed", "age", "utilisation", "reliability", "maintenance", "support", "criticality",
            "missing", "bands", "rules", "economic_life",
        ]
        rejectUnknownKeys(in: document, at: [], known: sections)
        var weights: [Criterion: Double]?
        if let table = table(in: document, ["weights"]) {
            let read = self.weights(from: table, requireAll: true)
            if read.count == Criterion.allCases.count {
                if read.values.reduce(0, +) > 0 {
                    weights = read
                } else {
                    report(["weights"], value: nil, "the weights sum to 0; expected a positive total")
                }
            }
        }
        let feed = self.feed(document)
        let age = self.age(document)
        var mappings: [Criterion: PiecewiseLinear] = [:]
        for criterion in Criterion.allCases where criterion != .age {
            mappings[criterion] = mapping(document, criterion)
        }
        let missing = self.missing(document)
        let bands = self.bands(document)
        let rules = self.rules(document)
        let economicLife = self.economicLife(document)
        guard let weights, let feed, let age, let utilisation = mappings[.utilisation],
            let reliability = mappings[.reliability], let maintenance = mappings[.maintenance],
            let support = mappings[.support], let criticality = mappings[.criticality], let missing, let bands,
            let rules, let economicLife
        else { return nil }
        return PrioritySettings(
            weights: weights,
            feed: feed,
            age: age,
            utilisation: utilisation,
            reliability: reliability,
            maintenance: maintenance,
            support: support,
            criticality: criticality,
            missing: missing,
            bands: bands,
            rules: rules,
            economicLife: economicLife
        )
    }

    /// The weights of a `[weights]` table: every criterion when `requireAll`, else those present.
    fileprivate mutating func weights(from table: TOMLTable, requireAll: Bool) -> [Criterion: Double] {
        rejectUnknownKeys(in: table, at: ["weights"], known: Criterion.allCases.map(\.rawValue))
        var weights: [Criterion: Double] = [:]
        for criterion in Criterion.allCases where requireAll || table[criterion.rawValue] != nil {
            weights[criterion] = number(
                in: table,
                ["weights", criterion.rawValue],
                range: 0...1_000_000,
                expectation: "a weight of 0 or more"
            )
        }
        return weights
    }

    private mutating func feed(_ document: TOMLTable) -> FeedSettings? {
        guard let table = table(in: document, ["feed"]) else { return nil }
        rejectUnknownKeys(in: table, at: ["feed"], known: ["default_available_hours_per_day"])
        guard
            let hours = number(
                in: table,
                ["feed", "default_available_hours_per_day"],
                range: 0.1...24,
                expectation: "hours a day from 0.1 to 24"
            )
        else { return nil }
        return FeedSettings(defaultAvailableHoursPerDay: hours)
    }

    private mutating func age(_ document: TOMLTable) -> AgeScoring? {
        guard let table = table(in: document, ["age"]) else { return nil }
        let keys = ["score_at_half_expected_life", "score_at_expected_life", "score_at_maximum_life"]
        rejectUnknownKeys(in: table, at: ["age"], known: keys)
        let scores = keys.map { number(in: table, ["age", $0], range: 0...1, expectation: SettingsReader.unit) }
        guard let half = scores[0], let expected = scores[1], let maximum = scores[2] else { return nil }
        guard half <= expected, expected <= maximum else {
            report(
                ["age"],
                value: "\(half), \(expected), \(maximum)",
                "expected scores that never fall with age (half ≤ expected ≤ maximum life)"
            )
            return nil
        }
        return AgeScoring(scoreAtHalfExpectedLife: half, scoreAtExpectedLife: expected, scoreAtMaximumLife: maximum)
    }

    private mutating func mapping(_ document: TOMLTable, _ criterion: Criterion) -> PiecewiseLinear? {
        let name = criterion.rawValue
        guard let table = table(in: document, [name]) else { return nil }
        rejectUnknownKeys(in: table, at: [name], known: ["points"])
        let path = [name, "points"]
        guard let value = table["points"] else {
            report(path, value: nil, "is missing; expected points = [[raw, score], ...]")
            return nil
        }
        guard let array = value.array else {
            report(path, value: SettingsReader.text(of: value), "expected points = [[raw, score], ...]")
            return nil
        }
        var points: [PiecewiseLinear.Point] = []
        for element in array {
            guard let pair = element.array, pair.count == 2,
                let raw = number(pair[0], path, range: -1e9...1e9, expectation: "a number as the raw value"),
                let score = number(pair[1], path, range: 0...1, expectation: "a score from 0 to 1")
            else {
                if element.array?.count != 2 {
                    report(path, value: SettingsReader.text(of: element), "expected a [raw, score] pair")
                }
                return nil
            }
            points.append(PiecewiseLinear.Point(raw: raw, score: score))
        }
        let mapping = PiecewiseLinear(points: points)
        if let problem = mapping.problem(for: criterion) {
            report(path, value: SettingsReader.text(of: value), problem)
            return nil
        }
        return mapping
    }

    private mutating func missing(_ document: TOMLTable) -> MissingDataAssumptions? {
        guard let table = table(in: document, ["missing"]) else { return nil }
        let scoreKeys = ["utilisation_score", "reliability_score", "maintenance_score", "support_score"]
        rejectUnknownKeys(in: table, at: ["missing"], known: scoreKeys + ["criticality"])
        let scores = scoreKeys.map {
            number(in: table, ["missing", $0], range: 0...1, expectation: SettingsReader.unit)
        }
        let criticality = integer(
            in: table,
            ["missing", "criticality"],
            range: 1...5,
            expectation: "a whole number from 1 to 5"
        )
        guard let utilisation = scores[0], let reliability = scores[1], let maintenance = scores[2],
            let support = scores[3], let criticality
        else { return nil }
        return MissingDataAssumptions(
            utilisationScore: utilisation,
            reliabilityScore: reliability,
            maintenanceScore: maintenance,
            supportScore: support,
            criticality: criticality
        )
    }

    private mutating func bands(_ document: TOMLTable) -> [Band: BandSettings]? {
        guard let table = table(in: document, ["bands"]) else { return nil }
        rejectUnknownKeys(in: table, at: ["bands"], known: Band.allCases.map(\.rawValue))
        let keys = [
            "minimum_score", "earliest_year_offset", "preferred_year_offset", "latest_year_offset",
            "deferral_downtime_share", "advance_factor",
        ]
        var bands: [Band: BandSettings] = [:]
        for band in Band.allCases {
            let path = ["bands", band.rawValue]
            guard let section = self.table(in: table, path) else { continue }
            rejectUnknownKeys(in: section, at: path, known: keys)
            let offset = "a whole number of years from 0 to 30 after the base year"
            let minimum = number(in: section, path + ["minimum_score"], range: 0...100, expectation: "a score 0–100")
            let earliest = integer(in: section, path + ["earliest_year_offset"], range: 0...30, expectation: offset)
            let preferred = integer(in: section, path + ["preferred_year_offset"], range: 0...30, expectation: offset)
            let latest = integer(in: section, path + ["latest_year_offset"], range: 0...30, expectation: offset)
            let downtime = number(
                in: section,
                path + ["deferral_downtime_share"],
                range: 0...1,
                expectation: SettingsReader.unit
            )
            let advance = number(
                in: section,
                path + ["advance_factor"],
                range: 0...10,
                expectation: "a factor from 0 to 10"
            )
            guard let minimum, let earliest, let preferred, let latest, let downtime, let advance else { continue }
            guard earliest <= preferred, preferred <= latest else {
                report(
                    path,
                    value: "\(earliest), \(preferred), \(latest)",
                    "expected earliest ≤ preferred ≤ latest year offsets"
                )
                continue
            }
            if band == .monitor, minimum != 0 {
                report(
                    path + ["minimum_score"],
                    value: section["minimum_score"].map(SettingsReader.text(of:)),
                    "expected 0 (every score below plan_3_to_5_years is monitor)"
                )
                continue
            }
            bands[band] = BandSettings(
                minimumScore: minimum,
                earliestOffsetYears: earliest,
                preferredOffsetYears: preferred,
                latestOffsetYears: latest,
                deferralDowntimeShare: downtime,
                advanceFactor: advance
            )
        }
        guard bands.count == Band.allCases.count else { return nil }
        for (urgent, lesser) in zip(Band.allCases, Band.allCases.dropFirst()) {
            guard let high = bands[urgent]?.minimumScore, let low = bands[lesser]?.minimumScore, high <= low else {
                continue
            }
            report(
                ["bands", urgent.rawValue, "minimum_score"],
                value: NumberText.compact(high, 6),
                "expected more than \(lesser.rawValue)'s minimum_score (\(NumberText.compact(low, 6)))"
            )
            return nil
        }
        return bands
    }

    private mutating func rules(_ document: TOMLTable) -> [BandRule: Band]? {
        guard let table = table(in: document, ["rules"]) else { return nil }
        rejectUnknownKeys(in: table, at: ["rules"], known: BandRule.allCases.map(\.rawValue))
        let expectation = "one of " + (Band.allCases.map(\.rawValue) + ["off"]).joined(separator: ", ")
        var rules: [BandRule: Band] = [:]
        var isValid = true
        for rule in BandRule.allCases {
            let path = ["rules", rule.rawValue]
            guard let text = string(in: table, path, expectation: expectation) else {
                isValid = false
                continue
            }
            if text == "off" { continue }
            guard let band = Band(rawValue: text) else {
                report(path, value: text, "expected \(expectation)")
                isValid = false
                continue
            }
            rules[rule] = band
        }
        return isValid ? rules : nil
    }

    private mutating func economicLife(_ document: TOMLTable) -> EconomicLifeSettings? {
        let path = ["economic_life"]
        guard let table = table(in: document, path) else { return nil }
        rejectUnknownKeys(
            in: table,
            at: path,
            known: [
                "discount_rate", "declining_balance_rate", "maximum_years", "new_unit_downtime_share",
                "minimum_months_for_fit", "lost_activity_gbp_per_scan",
            ]
        )
        let rate = number(in: table, path + ["discount_rate"], range: 0...0.5, expectation: "a rate from 0 to 0.5")
        let declining = number(
            in: table,
            path + ["declining_balance_rate"],
            range: 0...0.99,
            expectation: "a rate from 0 to 0.99"
        )
        let years = integer(in: table, path + ["maximum_years"], range: 1...100, expectation: "years from 1 to 100")
        let downtime = number(
            in: table,
            path + ["new_unit_downtime_share"],
            range: 0...0.5,
            expectation: "a share from 0 to 0.5"
        )
        let months = integer(
            in: table,
            path + ["minimum_months_for_fit"],
            range: 1...600,
            expectation: "months from 1 to 600"
        )
        var lost: [Modality: Double] = [:]
        var defaultLost: Double?
        let lostPath = path + ["lost_activity_gbp_per_scan"]
        if let lostTable = self.table(in: table, lostPath) {
            for key in lostTable.keys {
                guard let value = lostTable[key] else { continue }
                let amount = number(value, lostPath + [key], range: 0...1_000_000, expectation: "pounds of 0 or more")
                if key == "default" {
                    defaultLost = amount
                } else if let modality = Modality(rawValue: key) ?? Modality(spelling: key) {
                    if let amount { lost[modality] = amount }
                } else {
                    report(
                        lostPath + [key],
                        value: SettingsReader.text(of: value),
                        "is not a modality; expected default or one of "
                            + Modality.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
            }
            if lostTable["default"] == nil {
                report(lostPath + ["default"], value: nil, "is missing; expected pounds a scan for other modalities")
            }
        }
        guard let rate, let declining, let years, let downtime, let months, let defaultLost else { return nil }
        return EconomicLifeSettings(
            discountRate: rate,
            decliningBalanceRate: declining,
            maximumYears: years,
            newUnitDowntimeShare: downtime,
            minimumMonthsForFit: months,
            lostActivityGBPPerScan: lost,
            defaultLostActivityGBPPerScan: defaultLost
        )
    }
}
