import FleetCore
import Foundation
import Testing

@testable import FleetPriority

/// A seeded synthetic fleet with every kind of gap the model must handle.
struct GeneratedFleet {
    var assets: [Asset] = []
    var records: [UtilisationRecord] = []

    init(count: Int, seed: UInt64, asOf: Day) {
        var rng = SplitMix64(seed: seed)
        let classes: [(Modality, EquipmentClassName)] = [(.ct, "CT-128"), (.mr, "MR-1.5T"), (.us, "US-GEN")]
        for number in 0..<count {
            let (modality, className) = classes[Int.random(in: 0..<classes.count, using: &rng)]
            let ageDays = Int.random(in: -200...7_500, using: &rng)
            let install = asOf.adding(days: -ageDays)
            let id = AssetID("G-\(String(number + 100_000))")
            let asset = Asset(
                id: id,
                network: Bool.random(using: &rng) ? "North" : nil,
                trust: TrustName("Trust \(Int.random(in: 1...4, using: &rng))"),
                site: "Site",
                modality: modality,
                equipmentClass: Int.random(in: 0..<10, using: &rng) == 0 ? nil : className,
                installDate: install,
                replacementCostGBP: Bool.random(using: &rng)
                    ? GBP(Double.random(in: 50_000...2_000_000, using: &rng)) : nil,
                serviceCostGBPPerYear: Bool.random(using: &rng)
                    ? GBP(Double.random(in: 5_000...200_000, using: &rng)) : nil,
                endOfSupport: Int.random(in: 0..<5, using: &rng) == 0
                    ? nil : install.adding(days: Int.random(in: 2_000...6_000, using: &rng)),
                criticality: Int.random(in: 0..<6, using: &rng) == 0 ? nil : Int.random(in: 1...5, using: &rng),
                status: Int.random(in: 0..<30, using: &rng) == 0 ? .decommissioned : .inService
            )
            assets.append(asset)
            let coverage = Int.random(in: 0..<10, using: &rng)
            guard coverage > 0 else { continue }
            for back in 1...26 where coverage > 3 || Bool.random(using: &rng) {
                let month = asOf.yearMonth.adding(months: -back)
                guard month >= install.yearMonth else { continue }
                let available = Double.random(in: 150...400, using: &rng)
                records.append(
                    UtilisationRecord(
                        assetID: id,
                        month: month,
                        scans: Int.random(in: 0...1_500, using: &rng),
                        availableHours: Int.random(in: 0..<8, using: &rng) == 0 ? nil : available,
                        downtimeHours: Int.random(in: 0..<6, using: &rng) == 0
                            ? nil : Double.random(in: 0...40, using: &rng),
                        breakdowns: nil,
                        serviceCostGBP: Int.random(in: 0..<6, using: &rng) == 0
                            ? nil : GBP(Double.random(in: 500...30_000, using: &rng))
                    )
                )
            }
        }
    }
}

@Suite("Ranking, bands, windows and explanations")
struct RankingTests {
    let model = PriorityModel(settings: .defaults, catalog: Fixture.catalog)
    let asOf = Fixture.day("2025-06-15")

    @Test func everyPrintedScoreIsTheWeightedMeanOfItsPrintedCriteria() throws {
        let fleet = GeneratedFleet(count: 400, seed: 7, asOf: asOf)
        let ranking = try model.rank(assets: fleet.assets, utilisation: fleet.records, asOf: asOf)
        let json = try JSONEncoder().encode(ranking)
        let rows = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(rows.count == ranking.count)
        for row in rows {
            let criteria = try #require(row["criteria"] as? [[String: Any]])
            #expect(criteria.map { $0["name"] as? String } == Criterion.allCases.map(\.rawValue))
            var weighted = 0.0
            var total = 0.0
            for criterion in criteria {
                let score = try #require(criterion["score"] as? Double)
                let weight = try #require(criterion["weight"] as? Double)
                #expect((0...1).contains(score))
                weighted += weight * score
                total += weight
            }
            let printed = try #require(row["score"] as? Double)
            #expect(abs(printed - 100 * weighted / total) < 1e-9)
        }
    }

    @Test func theRankingIsSortedAndLeavesOutOnlyExcludedUnits() throws {
        let fleet = GeneratedFleet(count: 400, seed: 11, asOf: asOf)
        let ranking = try model.rank(assets: fleet.assets, utilisation: fleet.records, asOf: asOf)
        let expected = fleet.assets.filter { PriorityModel.exclusionReason(for: $0, asOf: asOf) == nil }.map(\.id)
        #expect(Set(ranking.map(\.assetID)) == Set(expected))
        #expect(ranking.count == expected.count)
        #expect(fleet.assets.contains { $0.status == .decommissioned })
        #expect(fleet.assets.contains { $0.installDate > asOf })
        for (higher, lower) in zip(ranking, ranking.dropFirst()) {
            #expect(higher.score > lower.score || (higher.score == lower.score && higher.assetID < lower.assetID))
        }
        for assessment in ranking {
            #expect(assessment.deferCostGBPPerYear.pounds >= 0)
            #expect(assessment.advanceCostGBPPerYear.pounds >= 0)
            #expect(assessment.window.earliestYear <= assessment.window.preferredYear)
            #expect(assessment.window.preferredYear <= assessment.window.latestYear)
            #expect(assessment.band <= assessment.scoreBand)
        }
    }

    @Test func tiesAreBrokenByAssetID() throws {
        let assets = ["C", "A", "B"].map { Fixture.asset($0) }
        let ranking = try model.rank(assets: assets, utilisation: [], asOf: asOf)
        #expect(ranking.map(\.assetID) == ["A", "B", "C"])
    }

    /// True when two assessments agree up to rounding in the last bits of sums taken in a different order.
    static func agree(_ a: Assessment, _ b: Assessment) -> Bool {
        func close(_ x: Double?, _ y: Double?) -> Bool {
            guard let x, let y else { return x == nil && y == nil }
            return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        }
        var sameElsewhere = b
        sameElsewhere.score = a.score
        sameElsewhere.criteria = a.criteria
        for field in [
            \Assessment.equivalentAnnualCostGBP, \.keepOneMoreYearCostGBP, \.operatingCostRiseGBPPerYear,
            \.deferCostGBPPerYear, \.newUnitEquivalentAnnualCostGBP,
        ] {
            guard close(a[keyPath: field].pounds, b[keyPath: field].pounds) else { return false }
            sameElsewhere[keyPath: field] = a[keyPath: field]
        }
        return close(a.score, b.score) && sameElsewhere == a
            && zip(a.criteria, b.criteria).allSatisfy {
                close($0.raw, $1.raw) && close($0.score, $1.score) && $0.note == $1.note
            }
    }

    /// Checks that every unit of `ranking` agrees with assessing it alone (exactly when `exactly`).
    func expectAgreement(
        _ ranking: Ranking,
        _ fleet: GeneratedFleet,
        exactly: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let byID = Dictionary(uniqueKeysWithValues: fleet.assets.map { ($0.id, $0) })
        let recordsByAsset = Dictionary(grouping: fleet.records, by: \.assetID)
        for assessment in ranking.assessments {
            let alone = try model.assess(
                byID[assessment.assetID]!,
                utilisation: recordsByAsset[assessment.assetID] ?? [],
                asOf: asOf
            )
            if exactly {
                #expect(alone == assessment, sourceLocation: sourceLocation)
            } else {
                #expect(Self.agree(alone, assessment), "\(assessment.assetID)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func rankingAgreesWithAssessingEachUnitAloneWhateverTheRecordOrder() throws {
        // 6,000 units give over 100,000 records: the feed is read in parallel chunks.
        let fleet = GeneratedFleet(count: 6_000, seed: 3, asOf: asOf)
        #expect(fleet.records.count > 100_000)
        let ranking = try model.rank(assets: fleet.assets, utilisation: fleet.records, asOf: asOf)
        #expect(
            ranking.count == fleet.assets.filter { PriorityModel.exclusionReason(for: $0, asOf: asOf) == nil }.count
        )
        try expectAgreement(ranking, fleet, exactly: true)
        #expect(Array(ranking) == ranking.assessments)
        #expect((0..<ranking.count).map(ranking.assetID(at:)) == ranking.map(\.assetID))

        // Shuffled records: runs too short to keep, read in one pass with a dictionary.
        var rng = SplitMix64(seed: 99)
        var shuffled = fleet
        shuffled.records.shuffle(using: &rng)
        try expectAgreement(
            try model.rank(assets: shuffled.assets, utilisation: shuffled.records, asOf: asOf),
            shuffled,
            exactly: false
        )

        // Month by month, each month in register order (as monthly feed files arrive).
        var byMonth = fleet
        byMonth.records = fleet.records.enumerated().sorted { a, b in
            (a.element.month, a.offset) < (b.element.month, b.offset)
        }.map(\.element)
        try expectAgreement(
            try model.rank(assets: byMonth.assets, utilisation: byMonth.records, asOf: asOf),
            byMonth,
            exactly: true
        )

        // One unit in three, in register order (sorted by id): records of other units are skipped by binary search.
        var subset = fleet
        subset.assets = fleet.assets.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let subsetRanking = try model.rank(assets: subset.assets, utilisation: fleet.records, asOf: asOf)
        #expect(subsetRanking.count < ranking.count / 2)
        try expectAgreement(subsetRanking, subset, exactly: true)

        // The same units in reverse order (not sorted by id): through a dictionary.
        var reversed = subset
        reversed.assets.reverse()
        let reversedRanking = try model.rank(assets: reversed.assets, utilisation: fleet.records, asOf: asOf)
        try expectAgreement(reversedRanking, reversed, exactly: true)
        #expect(reversedRanking.assessments == subsetRanking.assessments)
    }

    /// The asset and records with one criterion made worse, or nil when that criterion has no data to worsen.
    static func worsened(
        _ criterion: Criterion,
        _ asset: Asset,
        _ records: [UtilisationRecord],
        asOf: Day,
        using rng: inout SplitMix64
    ) -> (Asset, [UtilisationRecord])? {
        var asset = asset
        var records = records
        let window = PriorityModel.feedWindow(asOf: asOf)
        switch criterion {
        case .age:
            asset.installDate = asset.installDate.adding(days: -Int.random(in: 1...3_000, using: &rng))
        case .utilisation:
            guard records.contains(where: { window.contains($0.month) }) else { return nil }
            let factor = Double.random(in: 1.05...3, using: &rng)
            for index in records.indices where window.contains(records[index].month) {
                records[index].scans = Int(Double(records[index].scans) * factor) + 1
            }
        case .reliability:
            guard records.contains(where: { window.contains($0.month) && $0.downtimeHours != nil }) else { return nil }
            for index in records.indices where window.contains(records[index].month) {
                records[index].downtimeHours = records[index].downtimeHours.map {
                    $0 + Double.random(in: 0.5...60, using: &rng)
                }
            }
        case .maintenance:
            if records.contains(where: { window.contains($0.month) && $0.serviceCostGBP != nil }) {
                for index in records.indices where window.contains(records[index].month) {
                    records[index].serviceCostGBP = records[index].serviceCostGBP.map {
                        $0 * Double.random(in: 1.05...3, using: &rng) + GBP(1)
                    }
                }
            } else if let contract = asset.serviceCostGBPPerYear {
                asset.serviceCostGBPPerYear = contract * 1.5 + GBP(1)
            } else {
                return nil
            }
        case .support:
            guard let end = asset.endOfSupport else { return nil }
            asset.endOfSupport = end.adding(days: -Int.random(in: 1...2_000, using: &rng))
        case .criticality:
            guard let level = asset.criticality, level < 5 else { return nil }
            asset.criticality = Int.random(in: (level + 1)...5, using: &rng)
        }
        return (asset, records)
    }

    @Test(arguments: Criterion.allCases)
    func worseningOneCriterionNeverLowersTheScoreOrTheBand(criterion: Criterion) throws {
        let fleet = GeneratedFleet(count: 300, seed: 2024, asOf: asOf)
        var rng = SplitMix64(seed: 5 + UInt64(Criterion.allCases.firstIndex(of: criterion)!))
        let recordsByAsset = Dictionary(grouping: fleet.records, by: \.assetID)
        var compared = 0
        var raised = 0
        for asset in fleet.assets where PriorityModel.exclusionReason(for: asset, asOf: asOf) == nil {
            let records = recordsByAsset[asset.id] ?? []
            let before = try model.assess(asset, utilisation: records, asOf: asOf)
            guard let (worse, worseRecords) = Self.worsened(criterion, asset, records, asOf: asOf, using: &rng)
            else { continue }
            let after = try model.assess(worse, utilisation: worseRecords, asOf: asOf)
            #expect(after.score >= before.score - 1e-9, "\(asset.id): \(before.score) → \(after.score)")
            #expect(after.band <= before.band, "\(asset.id): \(before.band) → \(after.band)")
            #expect(after.criterion(criterion)!.score >= before.criterion(criterion)!.score)
            compared += 1
            if after.score > before.score + 1e-9 { raised += 1 }
        }
        #expect(compared > 100)
        #expect(raised > 0)
    }

    // MARK: - Bands and rules

    /// A unit with good figures except its age and end of support.
    func unit(installed: String, endOfSupport: String, criticality: Int = 1) -> (Asset, [UtilisationRecord]) {
        let asset = Fixture.asset("U", installed: installed, endOfSupport: endOfSupport, criticality: criticality)
        let records = Fixture.records(
            "U",
            months: Fixture.twelveMonths(from: "2024-06"),
            scans: 200,
            available: 300,
            downtime: 0,
            service: 3000
        )
        return (asset, records)
    }

    @Test(
        arguments: [
            ("2009-01-01", "2035-01-01", Band.monitor, Band.replaceNow, BandRule?.some(.pastMaximumLife)),
            ("2013-01-01", "2024-01-01", .monitor, .replaceWithin2Years, .pastEndOfSupport),
            ("2014-01-01", "2035-01-01", .monitor, .plan, .pastExpectedLife),
            ("2020-01-01", "2035-01-01", .monitor, .monitor, nil),
        ] as [(String, String, Band, Band, BandRule?)]
    )
    func rulesRaiseTheBandNeverTheScore(
        installed: String,
        endOfSupport: String,
        scoreBand: Band,
        band: Band,
        rule: BandRule?
    ) throws {
        let (asset, records) = unit(installed: installed, endOfSupport: endOfSupport)
        let result = try model.assess(asset, utilisation: records, asOf: asOf)
        #expect(result.scoreBand == scoreBand)
        #expect(result.band == band)
        #expect(result.bandRule == rule)
        var noRules = PrioritySettings.defaults
        noRules.rules = [:]
        let unruled = try PriorityModel(settings: noRules, catalog: Fixture.catalog)
            .assess(asset, utilisation: records, asOf: asOf)
        #expect(unruled.score == result.score)
        #expect(unruled.band == scoreBand)
        #expect(unruled.bandRule == nil)
    }

    @Test func aRuleNamesNothingWhenTheScoreAlreadyGivesTheBand() throws {
        let asset = Fixture.asset("HOT", installed: "2009-01-01", endOfSupport: "2020-01-01", criticality: 5)
        let records = Fixture.records("HOT", months: Fixture.twelveMonths(from: "2024-06"), scans: 4000, downtime: 60)
        let result = try model.assess(asset, utilisation: records, asOf: asOf)
        #expect(result.scoreBand == .replaceNow)
        #expect(result.band == .replaceNow)
        #expect(result.bandRule == nil)
    }

    @Test(arguments: [
        (Band.replaceNow, 2025, 2025, 2026, 0.25), (.replaceWithin2Years, 2025, 2026, 2027, 0.5),
        (.plan, 2027, 2028, 2030, 0.75), (.monitor, 2029, 2031, 2033, 1.0),
    ])
    func eachBandHasItsWindowAndTimingCosts(
        band: Band,
        earliest: Int,
        preferred: Int,
        latest: Int,
        factor: Double
    )
        throws
    {
        // Thresholds moved so that this unit's score lands in `band`.
        var settings = PrioritySettings.defaults
        settings.rules = [:]
        let (asset, records) = unit(installed: "2018-01-01", endOfSupport: "2035-01-01")
        let score = try PriorityModel(settings: settings, catalog: Fixture.catalog)
            .assess(asset, utilisation: records, asOf: asOf).score
        let thresholds: [Band: Double] = [
            .replaceNow: band == .replaceNow ? score - 1 : 99,
            .replaceWithin2Years: band == .replaceWithin2Years ? score - 1 : band == .replaceNow ? score - 2 : 98,
            .plan: band == .plan ? score - 1 : band < .plan ? score - 3 : 97,
        ]
        for (name, minimum) in thresholds { settings.bands[name]!.minimumScore = minimum }
        let result = try PriorityModel(settings: settings, catalog: Fixture.catalog)
            .assess(asset, utilisation: records, asOf: asOf)
        #expect(result.band == band)
        #expect(
            result.window == ReplacementWindow(earliestYear: earliest, preferredYear: preferred, latestYear: latest)
        )
        #expect(abs(result.advanceCostGBPPerYear.pounds - 900_000 / 10 * factor) < 1e-6)
        // The deferral cost includes the band's downtime allowance: share × 3,600 hours × 4 scans × £100.
        let allowance = settings.bands[band]!.deferralDowntimeShare * 3_600 * 400
        #expect(result.deferCostGBPPerYear.pounds >= allowance - 1e-6)
    }

    @Test func anOldCostlyUnitCostsMoreToKeepThanANewOne() throws {
        let old = try model.assess(Fixture.asset("OLD", installed: "2008-01-01"), utilisation: [], asOf: asOf)
        let young = try model.assess(Fixture.asset("NEW", installed: "2022-01-01"), utilisation: [], asOf: asOf)
        #expect(old.keepOneMoreYearCostGBP > old.newUnitEquivalentAnnualCostGBP)
        #expect(young.keepOneMoreYearCostGBP < young.newUnitEquivalentAnnualCostGBP)
        #expect(old.deferCostGBPPerYear > young.deferCostGBPPerYear)
        #expect(old.yearsPastEconomicLife > 0)
        #expect(young.yearsPastEconomicLife < 0)
    }

    // MARK: - Output

    @Test func jsonCarriesTheSpecKeysWithNullsForUnknowns() throws {
        let asset = Fixture.asset("J-1", network: nil, endOfSupport: nil)
        let ranking = try model.rank(assets: [asset], utilisation: [], asOf: asOf)
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(ranking)) as? [[String: Any]]
        ).first
        let row = try #require(object)
        for key in [
            "asset_id", "trust", "site", "modality", "class", "age_years", "score", "band", "criteria", "band_rule",
            "is_past_expected_life", "economic_life_years", "years_past_economic_life", "preferred_year",
            "earliest_year", "latest_year", "defer_cost_gbp_per_year", "advance_cost_gbp_per_year",
        ] {
            #expect(row[key] != nil, "missing \(key)")
        }
        #expect(row["asset_id"] as? String == "J-1")
        #expect(row["class"] as? String == "CT-128")
        #expect(row["band"] as? String == ranking[0].band.rawValue)
        #expect(row["network"] is NSNull)
        let criteria = try #require(row["criteria"] as? [[String: Any]])
        let support = try #require(criteria.first { $0["name"] as? String == "support" })
        #expect(support["raw"] is NSNull)
        #expect(Set(support.keys) == ["name", "raw", "score", "weight", "note"])
        let decoded = try JSONDecoder().decode([Assessment].self, from: JSONEncoder().encode(ranking))
        #expect(decoded == ranking.assessments)
    }

    @Test func theExplanationShowsEveryCriterionTheBandRuleAndTheCosts() throws {
        let asset = Fixture.asset("EX-1", installed: "2009-03-01", endOfSupport: "2024-03-17", criticality: nil)
        let records = Fixture.records(
            "EX-1",
            months: Fixture.twelveMonths(from: "2024-06"),
            scans: 200,
            downtime: 0,
            service: 3000
        )
        let result = try model.assess(asset, utilisation: records, asOf: asOf)
        let text = result.explanation
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "EX-1: CT-128 (CT) at General Hospital, North Trust (North Network)")
        #expect(
            lines[1].hasPrefix(
                "Score \(NumberText.fixed(result.score, 1)) of 100; band: Replace now, raised from "
                    + "\(result.scoreBand.displayName) by rule past_maximum_life (16.3 years old"
            )
        )
        for criterion in result.criteria {
            let line = try #require(lines.first { $0.hasPrefix(criterion.name.rawValue + " ") })
            #expect(line.contains(criterion.name.describe(raw: criterion.raw)))
            #expect(line.contains(NumberText.fixed(criterion.score, 3)))
            #expect(line.contains(NumberText.fixed(result.contribution(of: criterion), 1)))
            if let note = criterion.note { #expect(line.hasSuffix(note)) }
        }
        #expect(text.contains("16.7 % of capacity"))
        #expect(text.contains("100.0 % uptime"))
        #expect(text.contains("support ended on 2024-03-17"))
        #expect(text.contains("criticality not in the register; assumed 3 of 5"))
        #expect(text.contains("Economic life: "))
        #expect(text.contains("Replacement window: 2025–2026, preferred 2025."))
        #expect(
            text.contains(
                "Bringing forward a year costs £22,500: replacement cost £900,000 ÷ expected life 10 years × 0.25 "
                    + "for the band."
            )
        )
        #expect(text.contains("Deferring a year costs \(NumberText.pounds(result.deferCostGBPPerYear.pounds)): "))
        let total = result.criteria.reduce(0) { $0 + result.contribution(of: $1) }
        #expect(abs(total - result.score) < 1e-9)
    }
}
