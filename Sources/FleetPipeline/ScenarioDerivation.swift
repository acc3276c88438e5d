import FleetCore
import FleetPriority
import FleetProcurement

/// A procurement scenario derived from the ranking, with the units it left out and why.
public struct DerivedScenario: Sendable {
    /// The scenario, ready for the optimiser or for ``ScenarioFiles/write(_:to:)``.
    public var scenario: Scenario
    /// Units and budget rows that were left out, each with the reason, for the command line to report.
    public var leftOut: [String]
}

/// Derives the procurement scenario of one network (spec: `fleet scenario export`) from the replacement ranking.
///
/// - The base year is as-of's year, the first year the priority bands' windows count from; the horizon, appraisal
///   period and discount rate come from `Catalog/appraisal.toml`.
/// - A ranked unit becomes a replacement when its band's preferred year falls within the horizon (so "monitor"
///   units, preferred beyond a 5-year horizon, are left out). Its window is the band's, clipped to the horizon;
///   its costs of deferring and bringing forward a year are the priority model's.
/// - Only the offers and tiers of the classes being replaced are kept; a unit whose class no supplier offers is
///   left out and named.
/// - Budgets are kept for the scenario's trusts and decision years; other rows are named as left out.
public enum ScenarioDerivation {
    /// The scenario for `assessments` (one network's ranked units) under `catalog`, with `budgets`.
    public static func derive(
        from assessments: some Sequence<Assessment>,
        catalog: ProcurementCatalog,
        budgets: [Budget],
        asOf: Day
    ) -> DerivedScenario {
        let appraisal = catalog.appraisal
        let settings = ScenarioSettings(
            baseYear: asOf.year,
            horizonYears: appraisal.horizonYears,
            appraisalYears: appraisal.appraisalYears,
            discountRate: appraisal.discountRate
        )
        let decisionYears = settings.decisionYears
        let offeredClasses = Set(catalog.offers.map(\.equipmentClass))
        var replacements: [Replacement] = []
        var leftOut: [String] = []
        for assessment in assessments {
            let window = assessment.window
            guard decisionYears.contains(window.preferredYear) else { continue }
            guard offeredClasses.contains(assessment.equipmentClass) else {
                leftOut.append(
                    "\(assessment.assetID): no supplier in the catalog offers class \(assessment.equipmentClass); "
                        + "add an offer to \(ProcurementCatalog.offersFileName) to plan its replacement"
                )
                continue
            }
            replacements.append(
                Replacement(
                    assetID: assessment.assetID,
                    trust: assessment.trust,
                    equipmentClass: assessment.equipmentClass,
                    preferredYear: window.preferredYear,
                    earliestYear: max(window.earliestYear, decisionYears.lowerBound),
                    latestYear: min(window.latestYear, decisionYears.upperBound),
                    deferCostGBPPerYear: pennies(assessment.deferCostGBPPerYear),
                    advanceCostGBPPerYear: pennies(assessment.advanceCostGBPPerYear)
                )
            )
        }
        replacements.sort { $0.assetID < $1.assetID }
        let classes = Set(replacements.map(\.equipmentClass))
        let trusts = Set(replacements.map(\.trust))
        var keptBudgets: [Budget] = []
        for budget in budgets {
            if !trusts.contains(budget.trust) {
                leftOut.append("budget of \(budget.trust) for \(budget.year): the trust has no replacement in the plan")
            } else if !decisionYears.contains(budget.year) {
                leftOut.append(
                    "budget of \(budget.trust) for \(budget.year): outside the plan's years "
                        + "\(decisionYears.lowerBound)–\(decisionYears.upperBound)"
                )
            } else {
                keptBudgets.append(budget)
            }
        }
        let scenario = Scenario(
            settings: settings,
            replacements: replacements,
            offers: catalog.offers.filter { classes.contains($0.equipmentClass) },
            tiers: catalog.tiers.filter { classes.contains($0.equipmentClass) },
            budgets: keptBudgets
        )
        return DerivedScenario(scenario: scenario, leftOut: leftOut)
    }

    /// `amount` rounded to the penny, so the files a planner reads hold the figures the optimiser uses.
    private static func pennies(_ amount: GBP) -> GBP { GBP((amount.pounds * 100).rounded() / 100) }
}
