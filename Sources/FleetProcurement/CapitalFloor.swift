import FleetCore
import MILP

/// The least capital one trust's binding budgets (``PreparedScenario/bindingBudgets``) lack if each of its units
/// were bought at its class's lowest price that year anywhere: the least over offers of the price paid in an order
/// of every unit of the class in the scenario that may be bought that year (no coalition's order is larger, and
/// discounts never fall as orders grow). A trust's capital in a year is what its own units cost, and no order of
/// any coalition pays less per unit than that, so the floor holds in every coalition: when it is above zero, no
/// coalition with the trust can meet those budgets, and the trust, years and amounts are a lower bound on what any
/// plan overruns.
///
/// The model is small: an integer count per group of the trust's units of a class and window and per year of the
/// window, every unit bought once, and per binding budget its capital at the lowest prices less a shortfall within
/// the budget; it minimises the total shortfall.
struct CapitalFloor {
    private struct Group {
        var equipmentClass: Int
        var counts: [(year: Int, variable: Variable)]
    }

    private let scenario: PreparedScenario
    private let trust: Int
    private(set) var model = Model()
    private var groups: [Group] = []
    private var rows: [(year: Int, budget: Double)] = []
    /// The lowest price paid for a unit of each class of the component in each year, by class position and year.
    private var lowestPrice: [Int: [Int: Double]] = [:]

    /// The floor of `key`, which must be one trust's part of a budgeted component (``PreparedScenario/parts(of:)``).
    init(scenario: PreparedScenario, key: ComponentKey) {
        precondition(key.trusts.nonzeroBitCount == 1, "a capital floor is one trust's")
        self.scenario = scenario
        trust = key.trusts.trailingZeroBitCount
        for equipmentClass in key.classes {
            for year in scenario.scenario.settings.decisionYears {
                let largestOrder = scenario.replacementsByClass[equipmentClass].count {
                    scenario.scenario.replacements[$0].window.contains(year)
                }
                lowestPrice[equipmentClass, default: [:]][year] =
                    scenario.offersByClass[equipmentClass].map {
                        scenario.schedules[$0].unitPricePaid(forOrderOf: largestOrder).pounds
                    }.min() ?? 0
            }
        }
        var members: [[Int]: Int] = [:]  // class, earliest, latest → units
        for equipmentClass in key.classes {
            for replacement in scenario.replacementsByClass[equipmentClass]
            where scenario.trustOfReplacement[replacement] == trust {
                let window = scenario.scenario.replacements[replacement].window
                members[[equipmentClass, window.lowerBound, window.upperBound], default: 0] += 1
            }
        }
        for (group, units) in members.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let counts = (group[1]...group[2]).map { year in
                (
                    year,
                    model.addVariable(
                        name: "w_c\(group[0])_\(group[1])_\(group[2])_y\(year)",
                        upperBound: Double(units),
                        isInteger: true
                    )
                )
            }
            model.addConstraint(counts.map { Term(1, $0.1) }, .equal, Double(units))
            groups.append(Group(equipmentClass: group[0], counts: counts))
        }
        for row in scenario.bindingRows(of: key) {
            var terms: [Term] = []
            for group in groups {
                for count in group.counts where count.year == row.year {
                    terms.append(Term(lowestPrice[group.equipmentClass]![row.year]!, count.variable))
                }
            }
            let slack = model.addVariable(name: "shortfall_y\(row.year)", objective: 1)
            model.addConstraint(terms + [Term(-1, slack)], .lessOrEqual, row.budget)
            rows.append((row.year, row.budget))
        }
    }

    /// The shortfalls of the least-overrun assignment in `solution`, recomputed from its integral counts.
    func shortfalls(in solution: Solution) -> [BudgetShortfall] {
        rows.compactMap { row in
            var capital = 0.0
            for group in groups {
                for count in group.counts where count.year == row.year {
                    capital +=
                        lowestPrice[group.equipmentClass]![row.year]!
                        * Double(solution.integerValue(of: count.variable))
                }
            }
            guard capital > row.budget + 0.005 else { return nil }
            return BudgetShortfall(
                trust: scenario.trusts[trust],
                year: row.year,
                budgetGBP: GBP(row.budget),
                shortfallGBP: GBP(capital - row.budget)
            )
        }
    }
}
