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
/// The model is small: an integer count per group of the trust's units of a class and window, per year of the
/// window and per funding route its class's offers have, every unit bought once, and per binding budget its capital
/// at the lowest prices less a shortfall within the budget; it minimises the total shortfall.
///
/// With capacity planning an order may also hold added units (spec: "an added unit ... counts in its order's tier
/// quantity"), so each order is taken as large as the scenario's replacements that may be bought that year and the
/// most units any plan could add to it (`addedUnits`): a plan's order is never larger. The added units' own capital
/// only adds to a trust's, so the floor still bounds it.
///
/// Revenue budgets get the same floor: each route's revenue in a year at the least any offer of the class spends
/// under it (the deepest discount an order could reach), so a unit's capital and revenue are each no more than any
/// coalition's plan would score for it under that route and year. When the floor is above zero the shortfalls say
/// whether capital or revenue falls short, and where.
struct CapitalFloor {
    private struct Group {
        var equipmentClass: Int
        var counts: [(year: Int, route: FundingRoute, variable: Variable)]
    }

    private let scenario: PreparedScenario
    private let trust: Int
    private(set) var model = Model()
    private var groups: [Group] = []
    private var rows: [BindingBudget] = []
    /// The lowest capital scored by a unit of each class of the component in each year under each route.
    private var lowestCapital: [Int: [Int: [FundingRoute: Double]]] = [:]
    /// The lowest revenue spent in a year by a unit of each class bought in a year under a route: class → purchase
    /// year → route → year → pounds.
    private var lowestRevenue: [Int: [Int: [FundingRoute: [Int: Double]]]] = [:]

    /// The floor of `key`, which must be one trust's part of a budgeted component (``PreparedScenario/parts(of:)``),
    /// each order (offer and year) larger by the most units a plan could add to it, when `addedUnits` has it.
    init(scenario: PreparedScenario, key: ComponentKey, addedUnits: [OrderSlotKey: Int] = [:]) {
        precondition(key.trusts.nonzeroBitCount == 1, "a capital floor is one trust's")
        self.scenario = scenario
        trust = key.trusts.trailingZeroBitCount
        let bindingRows = scenario.bindingRows(of: key)
        let revenueYears = Set(bindingRows.filter { $0.kind == .revenue }.map(\.year)).sorted()
        var routesOfClass: [Int: [FundingRoute]] = [:]
        for equipmentClass in key.classes {
            let offers = scenario.offersByClass[equipmentClass]
            routesOfClass[equipmentClass] = Set(offers.flatMap { scenario.routes[$0].map(\.route) }).sorted()
            for year in scenario.scenario.settings.decisionYears {
                let largestOrder = scenario.replacementsByClass[equipmentClass].count {
                    scenario.scenario.replacements[$0].window.contains(year)
                }
                for route in routesOfClass[equipmentClass]! {
                    var capital = Double.infinity
                    var revenue: [Int: Double] = [:]
                    for offer in offers {
                        guard let economics = scenario.routes[offer].first(where: { $0.route == route }) else {
                            continue
                        }
                        let order = largestOrder + addedUnits[OrderSlotKey(offer: offer, year: year), default: 0]
                        let discount = scenario.schedules[offer].tier(forOrderOf: order).discount
                        capital = min(capital, economics.capital(discount: discount))
                        for revenueYear in revenueYears {
                            let spend = economics.revenue(purchaseYear: year, discount: discount, in: revenueYear)
                            revenue[revenueYear] = min(revenue[revenueYear] ?? .infinity, spend)
                        }
                    }
                    lowestCapital[equipmentClass, default: [:]][year, default: [:]][route] = capital
                    lowestRevenue[equipmentClass, default: [:]][year, default: [:]][route] = revenue
                }
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
            var counts: [(year: Int, route: FundingRoute, variable: Variable)] = []
            for year in group[1]...group[2] {
                for route in routesOfClass[group[0]]! {
                    counts.append(
                        (
                            year,
                            route,
                            model.addVariable(
                                name: "w_c\(group[0])_\(group[1])_\(group[2])_y\(year)\(route.suffix)",
                                upperBound: Double(units),
                                isInteger: true
                            )
                        )
                    )
                }
            }
            model.addConstraint(counts.map { Term(1, $0.variable) }, .equal, Double(units))
            groups.append(Group(equipmentClass: group[0], counts: counts))
        }
        for row in bindingRows {
            var terms: [Term] = []
            for group in groups {
                for count in group.counts {
                    let amount = self.amount(group.equipmentClass, count.year, count.route, row)
                    if amount != 0 { terms.append(Term(amount, count.variable)) }
                }
            }
            let slack = model.addVariable(
                name: row.kind == .capital ? "shortfall_y\(row.year)" : "shortfall_revenue_y\(row.year)",
                objective: 1
            )
            model.addConstraint(terms + [Term(-1, slack)], .lessOrEqual, row.budget)
            rows.append(row)
        }
    }

    /// What a unit of `equipmentClass` bought in `year` under `route` scores against `row` at the lowest prices.
    private func amount(_ equipmentClass: Int, _ year: Int, _ route: FundingRoute, _ row: BindingBudget) -> Double {
        switch row.kind {
        case .capital: year == row.year ? lowestCapital[equipmentClass]![year]![route]! : 0
        case .revenue: year <= row.year ? lowestRevenue[equipmentClass]![year]![route]![row.year] ?? 0 : 0
        }
    }

    /// The floor's shortfalls, solved by `solver` within `timeLimitSeconds`: empty when there are none, or when the
    /// time limit stopped the (small) solve before it proved the floor.
    /// - Throws: ``ProcurementFailure`` when the solver fails.
    func solvedShortfalls(by solver: any MILPSolver, timeLimitSeconds: Double?) throws -> [BudgetShortfall] {
        let solution: Solution
        do {
            solution = try solver.solve(model, options: SolveOptions(timeLimitSeconds: timeLimitSeconds))
        } catch {
            throw ProcurementFailure(
                "The optimiser failed to bound the capital of \(scenario.trusts[trust]) (capital floor): \(error)"
            )
        }
        return solution.status == .optimal ? shortfalls(in: solution) : []
    }

    /// The shortfalls of the least-overrun assignment in `solution`, recomputed from its integral counts.
    func shortfalls(in solution: Solution) -> [BudgetShortfall] {
        rows.compactMap { row in
            var used = 0.0
            for group in groups {
                for count in group.counts {
                    used +=
                        amount(group.equipmentClass, count.year, count.route, row)
                        * Double(solution.integerValue(of: count.variable))
                }
            }
            guard used > row.budget + 0.005 else { return nil }
            return BudgetShortfall(
                trust: scenario.trusts[trust],
                year: row.year,
                budgetGBP: GBP(row.budget),
                shortfallGBP: GBP(used - row.budget),
                kind: row.kind
            )
        }
    }
}
