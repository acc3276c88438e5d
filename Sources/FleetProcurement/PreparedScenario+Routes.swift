import FleetCore

/// What one unit of an offer costs, scores as capital and spends from revenue under one funding route (the spec's
/// "Funding routes"), precomputed per decision year: cost and capital are linear in (1 − d) for a tier discount d.
struct RouteEconomics: Sendable {
    let route: FundingRoute
    let offer: Offer
    let settings: ScenarioSettings
    /// The part of the net present cost that the tier discount scales, by decision-year offset.
    let scaledCost: [Double]
    /// The part it does not (service after warranty), by decision-year offset.
    let fixedCost: [Double]
    /// The capital scored at list price.
    let scaledCapital: Double

    /// The routes `offer` may be paid by, in route order.
    static func all(of offer: Offer, settings: ScenarioSettings) -> [RouteEconomics] {
        offer.fundingRoutes.map { route in
            var scaled: [Double] = []
            var fixed: [Double] = []
            for year in settings.decisionYears {
                let service = settings.discountedService(
                    annualService: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    purchaseYear: year
                ).pounds
                switch route {
                case .purchase:
                    scaled.append(settings.discountFactor(year) * offer.unitPriceGBP.pounds)
                    fixed.append(service)
                case .lease:
                    let lease = offer.lease!
                    scaled.append(
                        lease.annualRentalGBP.pounds * settings.discountFactorSum(from: year, years: lease.years)
                    )
                    fixed.append(service)
                case .mes:
                    let managed = offer.managedService!
                    scaled.append(
                        managed.annualFeeGBP.pounds * settings.discountFactorSum(from: year, years: managed.years)
                    )
                    fixed.append(0)
                }
            }
            return RouteEconomics(
                route: route,
                offer: offer,
                settings: settings,
                scaledCost: scaled,
                fixedCost: fixed,
                scaledCapital: settings.capitalScored(by: offer, route: route, discount: 0)
            )
        }
    }

    /// The net present cost of one unit bought in decision year `offset` at `discount`, without timing penalty.
    func cost(offset: Int, discount: Double) -> Double { scaledCost[offset] * (1 - discount) + fixedCost[offset] }

    /// The capital scored by one unit at `discount` in its year of purchase.
    func capital(discount: Double) -> Double {
        route == .purchase ? offer.unitPriceGBP.pounds * (1 - discount) : scaledCapital * (1 - discount)
    }

    /// The revenue scored in `year` by one unit bought in `purchaseYear` at `discount`.
    func revenue(purchaseYear: Int, discount: Double, in year: Int) -> Double {
        settings.revenueScored(by: offer, route: route, purchaseYear: purchaseYear, discount: discount, in: year)
    }

    /// Cost, capital and the revenue of each of `revenueYears`, for dominance.
    func profile(offset: Int, discount: Double, revenueYears: [Int]) -> [Double] {
        let year = settings.baseYear + offset
        return [cost(offset: offset, discount: discount), capital(discount: discount)]
            + revenueYears.map { revenue(purchaseYear: year, discount: discount, in: $0) }
    }
}

/// A budget some plan could break: a trust's capital in a decision year or its revenue in an appraisal year, with
/// the classes of the units that could spend from it (the classes it ties together).
struct BindingBudget: Hashable, Sendable {
    var trust: Int
    var year: Int
    var kind: BudgetKind
    var budget: Double
    var classes: [Int]
}

extension PreparedScenario {
    /// The budgets some plan could break (see ``bindingBudgets``): a capital budget below what the trust would score
    /// that year buying in it every unit whose window holds it, each at its class's dearest capital at list price;
    /// a revenue budget below what it would spend that year if each unit that could be bought by then spent the
    /// most any offer, route and year of its window spends in it. By trust, capital before revenue, then year.
    static func bindingBudgets(
        scenario: Scenario,
        capital: [Int: [Int: Double]],
        revenue: [Int: [Int: Double]],
        classOfReplacement: [Int],
        trustOfReplacement: [Int],
        offersByClass: [[Int]],
        routes: [[RouteEconomics]]
    ) -> [BindingBudget] {
        let dearest = offersByClass.map { offers in
            offers.flatMap { offer in routes[offer].map { $0.capital(discount: 0) } }.max() ?? 0
        }
        var rows: [BindingBudget] = []
        for (trust, byYear) in capital {
            for (year, budget) in byYear {
                var most = 0.0
                var classesOfRow: Set<Int> = []
                for (index, replacement) in scenario.replacements.enumerated()
                where trustOfReplacement[index] == trust && replacement.window.contains(year) {
                    most += dearest[classOfReplacement[index]]
                    classesOfRow.insert(classOfReplacement[index])
                }
                guard most > budget + 1e-6 * max(1, budget) else { continue }
                rows.append(
                    BindingBudget(
                        trust: trust,
                        year: year,
                        kind: .capital,
                        budget: budget,
                        classes: classesOfRow.sorted()
                    )
                )
            }
        }
        for (trust, byYear) in revenue {
            for (year, budget) in byYear {
                var most = 0.0
                var classesOfRow: Set<Int> = []
                for (index, replacement) in scenario.replacements.enumerated()
                where trustOfReplacement[index] == trust && replacement.earliestYear <= year {
                    var spend = 0.0
                    for offer in offersByClass[classOfReplacement[index]] {
                        for route in routes[offer] {
                            for purchaseYear in replacement.window where purchaseYear <= year {
                                spend = max(spend, route.revenue(purchaseYear: purchaseYear, discount: 0, in: year))
                            }
                        }
                    }
                    guard spend > 0 else { continue }
                    most += spend
                    classesOfRow.insert(classOfReplacement[index])
                }
                guard most > budget + 1e-6 * max(1, budget) else { continue }
                rows.append(
                    BindingBudget(
                        trust: trust,
                        year: year,
                        kind: .revenue,
                        budget: budget,
                        classes: classesOfRow.sorted()
                    )
                )
            }
        }
        return rows.sorted { ($0.trust, $0.kind, $0.year) < ($1.trust, $1.kind, $1.year) }
    }

    /// The cost of one unit of `offer` under `route`, bought in `year` at `discount` (without timing penalty).
    func unitCost(offer: Int, route: FundingRoute, year: Int, discount: Double) -> Double {
        economics(offer, route).cost(offset: year - scenario.settings.baseYear, discount: discount)
    }

    /// The economics of `route` of `offer`, which must offer it.
    func economics(_ offer: Int, _ route: FundingRoute) -> RouteEconomics {
        routes[offer].first { $0.route == route }!
    }

    /// The cheapest route of `offer` for a unit bought in `year` at `discount` (the first in route order at a tie):
    /// without budgets every unit takes it.
    func bestRoute(offer: Int, year: Int, discount: Double) -> FundingRoute {
        let offset = year - scenario.settings.baseYear
        var best = routes[offer][0]
        for candidate in routes[offer].dropFirst()
        where candidate.cost(offset: offset, discount: discount) < best.cost(offset: offset, discount: discount) {
            best = candidate
        }
        return best.route
    }

    /// The routes of `offer` that no other of its routes dominates for a unit bought in `year` at `discount`, in
    /// route order.
    ///
    /// A route dominates another when a unit under it costs, scores as capital and spends from revenue in every year
    /// a binding revenue budget limits no more (one strictly less, or all equal and it comes first in route order).
    /// Moving a unit to a route that dominates its own keeps it in the same order, so its tier and every other
    /// unit's price stay as they were, while neither the cost nor any trust's budget use rises: with or without
    /// budgets some optimal plan uses no dominated route. The relation is transitive and has no cycle, so every
    /// dominated route is dominated by one that is not (``keptRoutes(offer:year:discount:)``).
    func undominatedRoutes(offer: Int, year: Int, discount: Double) -> [RouteEconomics] {
        guard routes[offer].count > 1 else { return routes[offer] }
        return routeDominance(offer: offer, year: year, discount: discount).undominated.map { routes[offer][$0] }
    }

    /// Each route of `offer` and the route a unit bought under it in `year` at `discount` keeps in a budgeted model:
    /// itself when no route dominates it, else the first undominated route that does (see
    /// ``undominatedRoutes(offer:year:discount:)``). Decided once for an order, then looked up for each unit.
    func keptRoutes(offer: Int, year: Int, discount: Double) -> [FundingRoute: FundingRoute] {
        guard routes[offer].count > 1 else {
            return Dictionary(uniqueKeysWithValues: routes[offer].map { ($0.route, $0.route) })
        }
        let (profiles, undominated) = routeDominance(offer: offer, year: year, discount: discount)
        return Dictionary(
            uniqueKeysWithValues: routes[offer].indices.map { own in
                let kept = undominated.first { $0 == own || Self.dominates(profiles[$0], $0, over: profiles[own], own) }
                return (routes[offer][own].route, routes[offer][kept ?? own].route)
            }
        )
    }

    /// `picks` with every unit under a route its order keeps in a budgeted model: the cheapest
    /// (``bestRoute(offer:year:discount:)``) for a trust outside `budgetedTrusts`, whose route no budget row sees;
    /// else the route that dominates its own (``keptRoutes(offer:year:discount:)``), if one does. The plan costs no
    /// more and uses no more of any budget.
    func onKeptRoutes(_ picks: [Pick], budgetedTrusts: UInt64) -> [Pick] {
        guard routes.contains(where: { $0.count > 1 }) else { return picks }
        let sizes = orderSizes(of: picks)
        // Each order's cheapest route and kept routes, decided once for all its units.
        var decided: [OrderSlotKey: (cheapest: FundingRoute, kept: [FundingRoute: FundingRoute])] = [:]
        return picks.map { pick in
            guard routes[pick.offer].count > 1 else { return pick }
            let slot = OrderSlotKey(offer: pick.offer, year: pick.year)
            if decided[slot] == nil {
                let discount = schedules[pick.offer].tier(forOrderOf: sizes[slot] ?? 1).discount
                decided[slot] = (
                    bestRoute(offer: pick.offer, year: pick.year, discount: discount),
                    keptRoutes(offer: pick.offer, year: pick.year, discount: discount)
                )
            }
            let routes = decided[slot]!
            var moved = pick
            moved.route =
                budgetedTrusts & (1 << UInt64(trustOfReplacement[pick.replacement])) == 0
                ? routes.cheapest : routes.kept[pick.route] ?? pick.route
            return moved
        }
    }

    /// Each route's profile (cost, capital, revenue in ``revenueYears``) for a unit of `offer` bought in `year` at
    /// `discount`, and the positions of the routes no other dominates, in route order.
    private func routeDominance(
        offer: Int,
        year: Int,
        discount: Double
    ) -> (
        profiles: [[Double]], undominated: [Int]
    ) {
        let offset = year - scenario.settings.baseYear
        let profiles = routes[offer].map {
            $0.profile(offset: offset, discount: discount, revenueYears: revenueYears)
        }
        let undominated = profiles.indices.filter { own in
            !profiles.indices.contains { Self.dominates(profiles[$0], $0, over: profiles[own], own) }
        }
        return (profiles, undominated)
    }

    /// Whether the profile `rival` of the route at `rivalIndex` dominates `own` of the route at `ownIndex`.
    private static func dominates(_ rival: [Double], _ rivalIndex: Int, over own: [Double], _ ownIndex: Int) -> Bool {
        guard rivalIndex != ownIndex, zip(rival, own).allSatisfy({ $0 <= $1 }) else { return false }
        return zip(rival, own).contains { $0 < $1 } || rivalIndex < ownIndex
    }

    /// The least capital one unit of `offer` can score at `discount` under any of its routes.
    func lowestCapital(offer: Int, discount: Double) -> Double {
        routes[offer].map { $0.capital(discount: discount) }.min() ?? 0
    }

    /// Capital scored by `picks` by trust position and year, and revenue scored by trust position and year (the
    /// years of the appraisal), each order priced at its tier.
    func budgetUse(of picks: [Pick]) -> (capital: [Int: [Int: Double]], revenue: [Int: [Int: Double]]) {
        let units = orderSizes(of: picks)
        var capital: [Int: [Int: Double]] = [:]
        var revenue: [Int: [Int: Double]] = [:]
        let years = scenario.settings.appraisalYearRange
        for pick in picks {
            let trust = trustOfReplacement[pick.replacement]
            let size = units[OrderSlotKey(offer: pick.offer, year: pick.year)] ?? 1
            let discount = schedules[pick.offer].tier(forOrderOf: size).discount
            let route = economics(pick.offer, pick.route)
            capital[trust, default: [:]][pick.year, default: 0] += route.capital(discount: discount)
            guard revenueBudgets[trust] != nil else { continue }
            for year in years where year >= pick.year {
                let spend = route.revenue(purchaseYear: pick.year, discount: discount, in: year)
                if spend > 0 { revenue[trust, default: [:]][year, default: 0] += spend }
            }
        }
        return (capital, revenue)
    }
}

extension BudgetKind: Comparable {
    /// Capital before revenue.
    public static func < (lhs: BudgetKind, rhs: BudgetKind) -> Bool { lhs == .capital && rhs == .revenue }
}
