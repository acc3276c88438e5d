import FleetCore

/// What a plan scores against one trust's budgets in one year (the spec's "Funding routes"): capital (prices paid
/// and right-of-use values, in the year a unit is bought) and revenue (service after warranty, rentals, fees).
public struct BudgetUse: Hashable, Sendable, Codable {
    /// The trust.
    public var trust: TrustName
    /// The year, one of the appraisal.
    public var year: Int
    /// Capital scored that year.
    public var capitalGBP: GBP
    /// The capital budget, if any.
    public var capitalBudgetGBP: GBP?
    /// Revenue scored that year.
    public var revenueGBP: GBP
    /// The revenue budget, if any.
    public var revenueBudgetGBP: GBP?

    /// One row per trust of `plan` and year of the appraisal, in trust then year order.
    public static func rows(plan: Plan, scenario: Scenario) -> [BudgetUse] {
        let settings = scenario.settings
        var budgets: [String: Budget] = [:]
        for budget in scenario.budgets { budgets["\(budget.trust.rawValue)\u{0}\(budget.year)"] = budget }
        return plan.trusts.flatMap { trust in
            settings.appraisalYearRange.map { year in
                let budget = budgets["\(trust.rawValue)\u{0}\(year)"]
                return BudgetUse(
                    trust: trust,
                    year: year,
                    capitalGBP: plan.capitalPaidGBP(by: trust, in: year),
                    capitalBudgetGBP: budget?.capitalBudgetGBP,
                    revenueGBP: plan.revenueGBP(by: trust, in: year, settings: settings),
                    revenueBudgetGBP: budget?.revenueBudgetGBP
                )
            }
        }
    }
}
