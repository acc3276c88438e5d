import Testing

@testable import FleetPriority

@Suite("Economic life and equivalent annual cost")
struct EconomicLifeTests {
    /// REFERENCE.md example 1: P = 250,000; S_n = 250,000·0.8^n; O&M = 60,000 + 8,000·(n − 1); i = 10 %.
    let example1 = EconomicLifeModel(
        purchasePriceGBP: 250_000,
        resaleRetentionPerYear: 0.8,
        firstYearOperatingCostGBP: 60_000,
        operatingCostRiseGBPPerYear: 8_000,
        interestRate: 0.10
    )
    /// REFERENCE.md example 2, Newnan 13e problem 13-10: P = 50,000; S_n = 50,000·0.8^n; O&M = 3,500 +
    /// 2,000·(n − 1); i = 9 %.
    let example2 = EconomicLifeModel(
        purchasePriceGBP: 50_000,
        resaleRetentionPerYear: 0.8,
        firstYearOperatingCostGBP: 3_500,
        operatingCostRiseGBPPerYear: 2_000,
        interestRate: 0.09
    )

    static func pence(_ pounds: Double) -> Int { Int((pounds * 100).rounded()) }

    @Test func firstWorkedExampleComesOutToThePenny() {
        let life = example1.economicLife(maximumYears: 30)
        #expect(life.years == 6)
        #expect(Self.pence(life.equivalentAnnualCostGBP) == 12_669_635)
        #expect(Self.pence(example1.equivalentAnnualCostGBP(years: 6)) == 12_669_635)
        #expect(Self.pence(example1.equivalentAnnualCostGBP(years: 5)) == 12_701_209)
        #expect(Self.pence(example1.equivalentAnnualCostGBP(years: 7)) == 12_679_801)
    }

    @Test func newnanProblem13_10ComesOutToThePenny() {
        let life = example2.economicLife(maximumYears: 30)
        #expect(life.years == 4)
        #expect(Self.pence(life.equivalentAnnualCostGBP) == 1_724_011)
        #expect(Self.pence(example2.equivalentAnnualCostGBP(years: 4)) == 1_724_011)
    }

    @Test(arguments: 1...20)
    func runningSumsAgreeWithTheFormula(years: Int) {
        for model in [example1, example2] {
            let direct = model.equivalentAnnualCostGBP(years: years)
            let generic = EconomicLife.equivalentAnnualCostGBP(
                purchasePriceGBP: model.purchasePriceGBP,
                salvageValueGBP: model.salvageValueGBP(afterYears: years),
                operatingCostsGBP: (1...years).map(model.operatingCostGBP(inYear:)),
                interestRate: model.interestRate
            )
            #expect(abs(direct - generic) < 1e-6)
            // The one-pass search over lives 1…years returns the least of the direct values.
            let least = (1...years).map(model.equivalentAnnualCostGBP(years:)).min()!
            #expect(abs(model.economicLife(maximumYears: years).equivalentAnnualCostGBP - least) < 1e-6)
        }
    }

    @Test func capitalRecoveryFactorMatchesTables() {
        // (A/P, 10 %, 6) = 0.22961 and (A/P, 9 %, 4) = 0.30867 in interest tables.
        #expect(abs(EconomicLife.capitalRecoveryFactor(interestRate: 0.10, years: 6) - 0.229607) < 1e-6)
        #expect(abs(EconomicLife.capitalRecoveryFactor(interestRate: 0.09, years: 4) - 0.308669) < 1e-6)
        #expect(EconomicLife.capitalRecoveryFactor(interestRate: 0, years: 4) == 0.25)
    }

    @Test(arguments: [5, 7, 8, 10, 12, 15])
    func calibratedRisePutsTheEconomicLifeAtTheTarget(target: Int) {
        let share = EconomicLifeModel.calibratedRiseShare(
            targetYears: target,
            retention: 0.8,
            interestRate: 0.035,
            maximumYears: 30
        )
        let model = EconomicLifeModel(
            purchasePriceGBP: 700_000,
            resaleRetentionPerYear: 0.8,
            firstYearOperatingCostGBP: 70_000 + share * 350_000,
            operatingCostRiseGBPPerYear: share * 700_000,
            interestRate: 0.035
        )
        #expect(model.economicLife(maximumYears: 30).years == target)
        #expect(share > 0)
    }

    @Test func aSteeperRiseShortensTheLife() {
        var steep = example1
        steep.operatingCostRiseGBPPerYear = 20_000
        #expect(steep.economicLife(maximumYears: 30).years < example1.economicLife(maximumYears: 30).years)
    }
}
