import FleetCore
import Testing

@testable import FleetPriority

@Suite("Criterion raw values, scores and notes")
struct CriteriaTests {
    let model = PriorityModel(settings: .defaults, catalog: Fixture.catalog)
    let asOf = Fixture.day("2025-06-15")
    /// The feed window for as-of 2025-06-15: 2024-06 … 2025-05.
    let window = Fixture.twelveMonths(from: "2024-06")

    func close(_ value: Double, _ expected: Double) -> Bool { abs(value - expected) < 1e-12 }

    func assess(_ asset: Asset, _ records: [UtilisationRecord], asOf: Day? = nil) throws -> Assessment {
        try model.assess(asset, utilisation: records, asOf: asOf ?? self.asOf)
    }

    @Test func theWindowIsTheTwelveMonthsBeforeAsOfsMonth() {
        let window = PriorityModel.feedWindow(asOf: asOf)
        #expect(window.lowerBound == Fixture.month("2024-06"))
        #expect(window.upperBound == Fixture.month("2025-05"))
        #expect(PriorityModel.feedWindow(asOf: Fixture.day("2024-01-01")).lowerBound == Fixture.month("2023-01"))
        #expect(PriorityModel.feedWindow(asOf: Fixture.day("2024-01-31")).upperBound == Fixture.month("2023-12"))
    }

    /// Every raw value and score worked by hand for one unit with a full year of feed.
    @Test func aFullYearOfFeedGivesTheHandComputedValues() throws {
        let asset = Fixture.asset("CT-1")
        let result = try assess(asset, Fixture.records("CT-1", months: window))
        let criteria = Dictionary(uniqueKeysWithValues: result.criteria.map { ($0.name, $0) })
        // Installed 2015-03-01: 10 completed years on 2025-03-01, then 106 of the 365 days to 2026-03-01.
        let age: Double = 10 + 106.0 / 365
        #expect(try #require(criteria[.age]?.raw) == age)
        #expect(close(criteria[.age]!.score, 0.6 + 0.4 * (age - 10) / 5))
        // 12,000 scans ÷ (4 scans an hour × 3,600 hours).
        let utilisation: Double = 12_000.0 / 14_400
        #expect(close(criteria[.utilisation]!.raw!, utilisation))
        #expect(close(criteria[.utilisation]!.score, 0.5 + 0.5 * (utilisation - 0.6) / 0.3))
        // 1 − 108 ÷ 3,600 hours.
        #expect(close(criteria[.reliability]!.raw!, 0.97))
        #expect(close(criteria[.reliability]!.score, 0.5 / 3))
        // £96,000 ÷ £900,000.
        let maintenance: Double = 96_000.0 / 900_000
        #expect(close(criteria[.maintenance]!.raw!, maintenance))
        #expect(close(criteria[.maintenance]!.score, 0.5 + 0.5 * (maintenance - 0.1) / 0.1))
        // 2025-06-15 to 2026-06-15 is 365 days.
        let months: Double = 365 / 30.436875
        #expect(close(criteria[.support]!.raw!, months))
        #expect(close(criteria[.support]!.score, 1 - 0.4 * months / 24))
        #expect(criteria[.criticality]!.raw == 4)
        #expect(criteria[.criticality]!.score == 0.75)
        #expect(result.criteria.allSatisfy { $0.note == nil || $0.name == .age })
        #expect(result.isPastExpectedLife)
        #expect(!result.isPastMaximumLife)
        #expect(result.notes.isEmpty)
    }

    @Test(
        arguments: [
            // Leap days: 29 February installs reach their anniversary on 28 February of common years.
            ("2016-02-29", "2024-02-29", 8.0),
            ("2016-02-29", "2023-02-28", 7.0),
            ("2016-02-29", "2023-03-01", 7 + 1.0 / 366),
            ("2016-02-29", "2024-02-28", 7 + 365.0 / 366),
            // A year spanning 29 February 2020 has 366 days; one that does not has 365.
            ("2019-03-01", "2020-08-31", 1 + 183.0 / 365),
            ("2020-01-01", "2020-07-02", 0.5),
            ("2019-01-01", "2019-07-02", 182.0 / 365),
            ("2015-06-15", "2025-06-15", 10.0),
        ] as [(String, String, Double)]
    )
    func ageIsExactAcrossLeapYears(installed: String, asOf: String, years: Double) throws {
        let asset = Fixture.asset("CT-1", installed: installed)
        let result = try assess(asset, [], asOf: Fixture.day(asOf))
        #expect(result.ageYears == years)
        #expect(result.criterion(.age)?.raw == years)
    }

    @Test func noFeedIsAssumedNeutralAndSaysSo() throws {
        let result = try assess(Fixture.asset("CT-1"), Fixture.records("OTHER", months: window))
        let utilisation = try #require(result.criterion(.utilisation))
        #expect(utilisation.raw == nil)
        #expect(utilisation.score == 0.5)
        #expect(utilisation.note?.contains("no utilisation record for 2024-06…2025-05") == true)
        #expect(utilisation.note?.contains("utilisation_score") == true)
        let reliability = try #require(result.criterion(.reliability))
        #expect(reliability.raw == nil)
        #expect(reliability.score == 0.5)
        #expect(reliability.note?.contains("assumed") == true)
        // The register's service contract stands in for the feed's service cost.
        let maintenance = try #require(result.criterion(.maintenance))
        #expect(maintenance.raw == 0.1)
        #expect(maintenance.note?.contains("the register's annual contract (£90,000) was used") == true)
    }

    @Test func recordsOutsideTheWindowAreNotCounted() throws {
        let before = Fixture.records("CT-1", months: ["2024-05"], scans: 99_999, downtime: 300, service: 1e6)
        let after = Fixture.records("CT-1", months: ["2025-06", "2025-07"], scans: 99_999, downtime: 300, service: 1e6)
        let result = try assess(Fixture.asset("CT-1"), before + Fixture.records("CT-1", months: window) + after)
        #expect(close(result.criterion(.utilisation)!.raw!, 12_000.0 / 14_400))
        #expect(close(result.criterion(.reliability)!.raw!, 0.97))
        #expect(close(result.criterion(.maintenance)!.raw!, 96_000.0 / 900_000))
    }

    @Test func aPartialFeedIsUsedOverItsMonthsAndSaysSo() throws {
        let months = Array(window.prefix(7))
        let records = Fixture.records("CT-1", months: months, scans: 600, available: 250, downtime: 25, service: 7000)
        let result = try assess(Fixture.asset("CT-1"), records)
        let utilisation = try #require(result.criterion(.utilisation))
        #expect(close(utilisation.raw!, 4_200.0 / (4 * 1_750)))
        #expect(utilisation.note?.contains("the feed covers 7 of 12 months in service") == true)
        #expect(close(result.criterion(.reliability)!.raw!, (1 - 175.0 / 1_750)))
        #expect(result.criterion(.reliability)!.note?.contains("7 of 12 months") == true)
        // £49,000 over 7 months is £84,000 a year.
        let maintenance = try #require(result.criterion(.maintenance))
        #expect(close(maintenance.raw!, 84_000.0 / 900_000))
        #expect(maintenance.note?.contains("annualised from 7 months") == true)
    }

    @Test func aUnitInstalledWithinTheWindowIsNotShortOfFeed() throws {
        let asset = Fixture.asset("CT-1", installed: "2025-01-10")
        let records = Fixture.records("CT-1", months: ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"])
        let result = try assess(asset, records)
        #expect(result.criterion(.utilisation)?.note == nil)
        #expect(close(result.criterion(.utilisation)!.raw!, 5_000.0 / (4 * 1_500)))
    }

    @Test func missingAvailableHoursAreTakenFromThePlanningDay() throws {
        // 2025-02 has 28 days: 12 × 28 = 336 hours assumed.
        let records = Fixture.records("CT-1", months: ["2025-02"], scans: 672, available: nil, downtime: 3.36)
        let result = try assess(Fixture.asset("CT-1"), records)
        let utilisation = try #require(result.criterion(.utilisation))
        #expect(close(utilisation.raw!, 672.0 / (4 * 336)))
        #expect(utilisation.note?.contains("available hours missing in 1 month; 12.0 hours a day assumed") == true)
        #expect(close(result.criterion(.reliability)!.raw!, 0.99))
    }

    @Test func feedWithoutDowntimeOrServiceCostFallsBack() throws {
        let records = Fixture.records("CT-1", months: window, downtime: nil, service: nil)
        let noContract = Fixture.asset("CT-1", serviceCost: nil)
        let result = try assess(noContract, records)
        #expect(result.criterion(.reliability)?.raw == nil)
        #expect(result.criterion(.reliability)?.note?.contains("no downtime hours in 2024-06…2025-05") == true)
        #expect(result.criterion(.maintenance)?.raw == nil)
        #expect(result.criterion(.maintenance)?.score == 0.5)
        #expect(result.criterion(.maintenance)?.note?.contains("no service cost in the feed or the register") == true)
    }

    @Test func theCatalogPriceStandsInForAnUnknownReplacementCost() throws {
        let asset = Fixture.asset("CT-1", replacementCost: nil)
        let result = try assess(asset, Fixture.records("CT-1", months: window))
        #expect(result.replacementCostGBP == GBP(900_000))
        #expect(
            result.criterion(.maintenance)?.note?.contains("replacement cost from the catalog (CT-128, £900,000)")
                == true
        )
    }

    @Test func supportIsMonthsToTheEndNegativeOncePastAndNilWhenUnknown() throws {
        let past = try assess(Fixture.asset("CT-1", endOfSupport: "2025-03-17"), [])
        #expect(close(past.criterion(.support)!.raw!, (-90 / 30.436875)))
        #expect(past.criterion(.support)!.score == 1)
        #expect(past.criterion(.support)!.note == "support ended on 2025-03-17")
        #expect(past.isPastEndOfSupport)
        let far = try assess(Fixture.asset("CT-1", endOfSupport: "2035-06-15"), [])
        #expect(far.criterion(.support)!.score == 0)
        #expect(!far.isPastEndOfSupport)
        let unknown = try assess(Fixture.asset("CT-1", endOfSupport: nil), [])
        #expect(unknown.criterion(.support)!.raw == nil)
        #expect(unknown.criterion(.support)!.score == 0.5)
        #expect(unknown.criterion(.support)!.note?.contains("end of support unknown") == true)
        #expect(!unknown.isPastEndOfSupport)
    }

    @Test func unknownCriticalityIsAssumedMiddleAndSaysSo() throws {
        let result = try assess(Fixture.asset("CT-1", criticality: nil), [])
        let criticality = try #require(result.criterion(.criticality))
        #expect(criticality.raw == nil)
        #expect(criticality.score == 0.5)
        #expect(criticality.note == "criticality not in the register; assumed 3 of 5 ([missing] criticality)")
    }

    @Test func aClassTheCatalogDoesNotKnowFallsBackToTheModalityDefaultWithANote() throws {
        let result = try assess(Fixture.asset("CT-1", equipmentClass: "CT-999"), [])
        #expect(result.equipmentClass == "CT-128")
        #expect(result.notes == ["class CT-999 is not in the catalog for CT; its default class CT-128 was used"])
    }

    @Test func aModalityWithoutAnyCatalogClassIsAnInputError() {
        let asset = Fixture.asset("PET-1", modality: .petct, equipmentClass: nil)
        do {
            _ = try model.rank(assets: [asset, Fixture.asset("CT-1")], utilisation: [], asOf: asOf)
            Issue.record("ranked a unit without a class")
        } catch {
            #expect(error.description.contains("no equipment class of modality PETCT, needed by asset PET-1"))
        }
    }

    @Test func theOperatingCostRiseIsFittedFromHistory() throws {
        // A history that lies exactly on a line through the new-unit cost: the fit recovers the line's rise.
        let asset = Fixture.asset("CT-1", installed: "2015-06-01")
        let lostPerHour = 4.0 * 100
        let hoursPerYear = 300.0 * 12
        let newUnit = 0.1 * 900_000 + 0.02 * hoursPerYear * lostPerHour
        let rise = 20_000.0
        var records: [UtilisationRecord] = []
        for offset in 0..<24 {
            let month = Fixture.month("2023-06").adding(months: offset)
            let age = (Double(month.ordinal - Fixture.month("2015-06").ordinal) + 0.5) / 12
            let annual = newUnit + rise * age
            records.append(
                UtilisationRecord(
                    assetID: "CT-1",
                    month: month,
                    scans: 1000,
                    availableHours: 300,
                    downtimeHours: 0,
                    serviceCostGBP: GBP(annual / 12)
                )
            )
        }
        let result = try assess(asset, records)
        #expect(result.operatingCostFitMonths == 24)
        #expect(abs(result.operatingCostRiseGBPPerYear.pounds - rise) < 1e-6)
        // A steeper rise than the class default shortens the economic life below the expected 10 years.
        #expect(result.economicLifeYears < 10)
    }

    @Test func withoutHistoryTheEconomicLifeIsTheClassExpectedLife() throws {
        let ct = try assess(Fixture.asset("CT-1"), [])
        #expect(ct.operatingCostFitMonths == 0)
        #expect(ct.economicLifeYears == 10)
        #expect(close(ct.yearsPastEconomicLife, (ct.ageYears - 10)))
        let us = try assess(Fixture.asset("US-1", modality: .us, equipmentClass: "US-GEN", replacementCost: 60_000), [])
        #expect(us.economicLifeYears == 7)
    }
}
