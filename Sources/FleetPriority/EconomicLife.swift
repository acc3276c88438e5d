/// The economic life of an asset: the life that minimises its equivalent annual cost (EAC), with the EAC there.
///
/// End-of-year convention (the textbook form, e.g. Newnan, *Engineering Economic Analysis*):
/// EAC(n) = (P − S_n)·(A/P, i, n) + S_n·i + (Σ_{t=1…n} O_t·(1 + i)^−t)·(A/P, i, n),
/// where P is the purchase price, S_n the resale value after n years, O_t the operating and maintenance cost of
/// year t, and (A/P, i, n) = i(1 + i)^n ÷ ((1 + i)^n − 1) the capital recovery factor.
public struct EconomicLife: Hashable, Sendable, Codable {
    /// The life in whole years that minimises the EAC (the shortest such life on a tie).
    public var years: Int
    /// The EAC at that life, in pounds a year.
    public var equivalentAnnualCostGBP: Double

    /// A result with both figures given.
    public init(years: Int, equivalentAnnualCostGBP: Double) {
        self.years = years
        self.equivalentAnnualCostGBP = equivalentAnnualCostGBP
    }

    /// The capital recovery factor (A/P, i, n) = i(1 + i)^n ÷ ((1 + i)^n − 1); 1/n when i is 0.
    public static func capitalRecoveryFactor(interestRate i: Double, years n: Int) -> Double {
        precondition(n >= 1, "a life of at least one year")
        if i == 0 { return 1 / Double(n) }
        let growth = pow(1 + i, n)
        return i * growth / (growth - 1)
    }

    /// The EAC of keeping an asset bought at `purchasePriceGBP` for `operatingCostsGBP.count` years, sold at
    /// `salvageValueGBP` at the end, with operating costs O_1…O_n paid at the end of each year.
    public static func equivalentAnnualCostGBP(
        purchasePriceGBP: Double,
        salvageValueGBP: Double,
        operatingCostsGBP: [Double],
        interestRate i: Double
    ) -> Double {
        let n = operatingCostsGBP.count
        let factor = capitalRecoveryFactor(interestRate: i, years: n)
        var presentWorth = 0.0
        var discount = 1.0
        for cost in operatingCostsGBP {
            discount /= 1 + i
            presentWorth += cost * discount
        }
        return (purchasePriceGBP - salvageValueGBP) * factor + salvageValueGBP * i + presentWorth * factor
    }

    private static func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= base }
        return result
    }
}

/// The cost model of one asset for replacement analysis: a purchase price, a resale value that declines by a
/// fixed share a year, S_n = P·r^n, and an operating cost that rises linearly with age, O_t = O_1 + g·(t − 1).
/// Both worked examples of REFERENCE.md have this form.
public struct EconomicLifeModel: Hashable, Sendable, Codable {
    /// P, in pounds.
    public var purchasePriceGBP: Double
    /// r: the share of its value the asset keeps each year (1 − the declining balance rate).
    public var resaleRetentionPerYear: Double
    /// O_1: the operating and maintenance cost of the first year, in pounds.
    public var firstYearOperatingCostGBP: Double
    /// g: how much the operating cost rises each year, in pounds a year.
    public var operatingCostRiseGBPPerYear: Double
    /// i: the interest (discount) rate a year.
    public var interestRate: Double

    /// A model with every figure given.
    public init(
        purchasePriceGBP: Double,
        resaleRetentionPerYear: Double,
        firstYearOperatingCostGBP: Double,
        operatingCostRiseGBPPerYear: Double,
        interestRate: Double
    ) {
        self.purchasePriceGBP = purchasePriceGBP
        self.resaleRetentionPerYear = resaleRetentionPerYear
        self.firstYearOperatingCostGBP = firstYearOperatingCostGBP
        self.operatingCostRiseGBPPerYear = operatingCostRiseGBPPerYear
        self.interestRate = interestRate
    }

    /// S_n = P·r^n, in pounds.
    public func salvageValueGBP(afterYears n: Int) -> Double {
        var value = purchasePriceGBP
        for _ in 0..<max(0, n) { value *= resaleRetentionPerYear }
        return value
    }

    /// O_t = O_1 + g·(t − 1), in pounds.
    public func operatingCostGBP(inYear t: Int) -> Double {
        firstYearOperatingCostGBP + operatingCostRiseGBPPerYear * Double(t - 1)
    }

    /// EAC(n), in pounds a year, by the formula of ``EconomicLife``.
    public func equivalentAnnualCostGBP(years n: Int) -> Double {
        EconomicLife.equivalentAnnualCostGBP(
            purchasePriceGBP: purchasePriceGBP,
            salvageValueGBP: salvageValueGBP(afterYears: n),
            operatingCostsGBP: (1...max(1, n)).map(operatingCostGBP(inYear:)),
            interestRate: interestRate
        )
    }

    /// The life from 1 to `maximumYears` that minimises the EAC (the shortest on a tie), computed in one pass
    /// with running sums; equal to minimising ``equivalentAnnualCostGBP(years:)``.
    public func economicLife(maximumYears: Int) -> EconomicLife {
        let i = interestRate
        let v = 1 / (1 + i)
        var discount = 1.0
        var salvage = purchasePriceGBP
        var presentWorth = 0.0
        var best = EconomicLife(years: 1, equivalentAnnualCostGBP: .infinity)
        for n in 1...max(1, maximumYears) {
            discount *= v
            salvage *= resaleRetentionPerYear
            presentWorth += (firstYearOperatingCostGBP + operatingCostRiseGBPPerYear * Double(n - 1)) * discount
            let factor = i == 0 ? 1 / Double(n) : i / (1 - discount)
            let cost = (purchasePriceGBP - salvage) * factor + salvage * i + presentWorth * factor
            if cost < best.equivalentAnnualCostGBP { best = EconomicLife(years: n, equivalentAnnualCostGBP: cost) }
        }
        return best
    }

    /// The rise in operating cost a year, as a share of the purchase price, that puts the economic life of an
    /// asset with resale retention `retention` at `targetYears` (searching lives up to `maximumYears`) at rate
    /// `interestRate`. A constant operating cost adds the same amount to every EAC, so only the rise moves the
    /// economic life; it moves it down as the rise grows, and this returns the middle of the range of rises that
    /// give `targetYears`.
    public static func calibratedRiseShare(
        targetYears: Int,
        retention: Double,
        interestRate: Double,
        maximumYears: Int
    ) -> Double {
        let target = min(max(1, targetYears), max(1, maximumYears))
        func life(_ share: Double) -> Int {
            EconomicLifeModel(
                purchasePriceGBP: 1,
                resaleRetentionPerYear: retention,
                firstYearOperatingCostGBP: 0,
                operatingCostRiseGBPPerYear: share,
                interestRate: interestRate
            ).economicLife(maximumYears: maximumYears).years
        }
        // The smallest share whose economic life is at most `years`, by bisection on [0, 10].
        func threshold(_ years: Int) -> Double? {
            guard years >= 1 else { return nil }
            var low = 0.0
            var high = 10.0
            if life(low) <= years { return 0 }
            guard life(high) <= years else { return nil }
            for _ in 0..<80 {
                let middle = (low + high) / 2
                if life(middle) <= years { high = middle } else { low = middle }
            }
            return high
        }
        let lowest = threshold(target) ?? 10
        guard let highest = threshold(target - 1) else { return lowest * 1.5 + 0.01 }
        return (lowest + highest) / 2
    }
}
