import FleetCore
import MILP

/// The supplier, year and funding route chosen for one replacement (by position in the scenario).
struct Pick: Hashable, Sendable {
    var replacement: Int
    var offer: Int
    var year: Int
    var route: FundingRoute = .purchase
}

/// The mixed-integer program of one component (see ``ComponentKey``), formulated to stay small as networks grow.
///
/// - Replacements that cost the same wherever they go (same class, window, preferred year and penalty rates, and
///   the same trust when budgets apply) form one group with an integer count per year of its window, not a binary
///   per unit and supplier: a unit's timing penalty depends on its year only.
/// - The units of a class bought in a year form a pool (one per trust when budgets apply).
///
/// Without budgets a pool buys from one supplier only, with no loss: every unit's cost (price at the order's tier
/// plus service) never rises with the order's size, so moving all of a pool's units to the supplier that is
/// cheapest at the pool's total never costs more than any split. The pool's price is then a function of its size
/// alone: along 1 … N units it falls in steps where the cheapest supplier or its tier changes. Each step σ above
/// the first gets a binary u_σ (branched on first) and a quantity q_σ with lo_σ·u_σ ≤ q_σ ≤ hi_σ·u_σ, the first
/// step a quantity alone (mixing it with a higher step never pays), Σ u_σ ≤ 1. Two families of valid
/// inequalities help the bound: at most ⌊N/M⌋ pools of a class can hold M or more units, and together they hold at
/// most the units of the ⌊N/M⌋ largest pools.
///
/// With budgets the supplier matters to each trust's capital, so every order (supplier, class, year) keeps its own
/// tiers: a binary z_t per reachable tier (branched on first) and a quantity x_t per trust, with
/// min_t·z_t ≤ Σ x_t ≤ (next min − 1)·z_t, x_t,r ≤ (what trust r can take)·z_t and Σ_t z_t ≤ 1, the disjunctive
/// form whose relaxation is the convex hull of the order's all-units price function. An order with one tier left,
/// from 1 unit, is just a quantity. Three reductions keep the model small and its relaxation tight, none losing an
/// optimum:
/// - A tier dominated in both cost and price paid by another supplier's offer at the tier's minimum size has no
///   variables (``PreparedScenario/dominatingOffer(of:year:tier:)``): moving such an order whole to that supplier
///   never raises any trust's capital or the cost. That removes about half the tiers of the synthetic scenarios.
/// - A trust takes no more units of a tier than its budget for the year pays for at that tier's price (bounds on
///   x_t,r, on the group counts at the class's deepest discount, and in the tier rows), and a tier that the
///   trusts cannot fill within those limits is out of reach. On the 10-trust synthetic scenario this raises the
///   relaxation from 0.60 % to 0.40 % below the optimum.
/// - Starting plans are moved off dominated tiers before they reach the solver
///   (``PreparedScenario/withoutDominatedTiers(_:)``), costing no more and meeting the same budgets.
///
/// Without budgets, once the binaries are fixed the rest is a network flow, so the pool quantities can stay
/// continuous (and a plan is priced by its integral group counts anyway); with budgets the budget rows break that
/// structure, so every quantity is an integer.
///
/// Minimises Σ over units of D(y)·price paid + discounted service after warranty + undiscounted timing penalty,
/// subject to each trust's capital paid per year (prices paid, undiscounted) staying within its budget.
struct PurchaseModel {
    /// Replacements that are interchangeable in this component.
    struct Group {
        var members: [Int]
        /// The trust position, or −1 when budgets do not apply and units group across trusts.
        var trust: Int
        var equipmentClass: Int
        var window: ClosedRange<Int>
        /// The count variable of each year of the window.
        var counts: [(year: Int, variable: Variable)] = []
    }

    /// The units of one class bought in one year by one trust (−1: by all, without budgets).
    struct PoolKey: Hashable {
        var trust: Int
        var equipmentClass: Int
        var year: Int
    }

    /// One tier of an order that its eligible units can reach.
    struct Bracket {
        var minimumUnits: Int
        var maximumUnits: Int
        var discount: Double
        /// The binary choosing this tier; nil when it is the order's only reachable tier.
        var chosen: Variable?
        /// The quantity bought at this tier, by trust and funding route.
        var quantity: [RouteQuantity: Variable]
    }

    /// One possible order: an offer in a year, with the tiers its eligible units can reach.
    struct OrderSlot {
        var offer: Int
        var equipmentClass: Int
        var year: Int
        var brackets: [Bracket]
    }

    /// A run of pool sizes over which one supplier's one tier is the cheapest.
    struct Segment {
        var lowerUnits: Int
        var upperUnits: Int
        var offer: Int
        var discount: Double
        /// The binary choosing this run; nil for the first run.
        var chosen: Variable?
        var quantity: Variable
    }

    /// The units of one class bought in one year, without budgets: one supplier, priced by the pool's size.
    struct Pool {
        var equipmentClass: Int
        var year: Int
        var units: Int
        var segments: [Segment]
    }

    /// A budget row: the trust position, year and kind, and the slack variable when shortfalls are sought.
    struct BudgetRow {
        var trust: Int
        var year: Int
        var budget: Double
        var slack: Variable?
        var kind: BudgetKind = .capital
    }

    let scenario: PreparedScenario
    let key: ComponentKey
    private(set) var model = Model()
    private(set) var groups: [Group] = []
    private(set) var orders: [OrderSlot] = []
    private(set) var pools: [Pool] = []
    private(set) var budgetRows: [BudgetRow] = []
    /// Units each pool may hold.
    private var poolUnits: [PoolKey: Int] = [:]
    private var groupOfReplacement: [Int: Int] = [:]
    private var orderPosition: [OrderIndex: Int] = [:]
    /// True when budget rows bound what each trust can buy (not when shortfalls are sought).
    private let hardBudgets: Bool
    /// The budgets some plan could break among the component's (``PreparedScenario/bindingRows(of:)``); the others
    /// hold whatever is bought and get no row.
    private let bindingRows: [BindingBudget]
    /// The trusts with such a budget, as a mask.
    private let bindingTrusts: UInt64

    /// The most units at `pricePaid` each that `trust`'s budget for `year` can pay for (Int.max without one).
    private func affordableUnits(trust: Int, year: Int, pricePaid: Double) -> Int {
        guard hardBudgets, trust >= 0, let budget = scenario.bindingBudgets[trust]?[year], pricePaid > 0 else {
            return .max
        }
        // The model's rows hold to a relative 1e-9 or so; a budget met to the penny must stay affordable.
        return Int(((budget + 1e-6 * max(1, budget)) / pricePaid).rounded(.down))
    }

    /// The model of `key`. With `seekingShortfalls`, each budget row gets a slack variable and the objective is the
    /// total slack: the least capital the budgets lack.
    init(scenario: PreparedScenario, key: ComponentKey, seekingShortfalls: Bool = false) {
        self.scenario = scenario
        self.key = key
        hardBudgets = key.isBudgeted && !seekingShortfalls
        bindingRows = scenario.bindingRows(of: key)
        bindingTrusts = bindingRows.reduce(0) { $0 | 1 << UInt64($1.trust) }
        makeGroups()
        if key.isBudgeted {
            makeOrders()
            makeBalances()
            makeBudgetRows(seekingShortfalls: seekingShortfalls)
        } else {
            makePools()
        }
        if seekingShortfalls {
            model.resetObjective()
            for row in budgetRows { if let slack = row.slack { model.setObjective(1, for: slack) } }
        }
    }

    /// Every replacement of the component.
    var replacementCount: Int { groupOfReplacement.count }

    private var settings: ScenarioSettings { scenario.scenario.settings }

    private mutating func makeGroups() {
        struct GroupKey: Hashable {
            var trust, equipmentClass, earliest, latest, preferred: Int
            var deferCost, advanceCost: Double
        }
        var position: [GroupKey: Int] = [:]
        for equipmentClass in key.classes {
            for replacementIndex in scenario.replacementsByClass[equipmentClass] {
                let trust = scenario.trustOfReplacement[replacementIndex]
                guard key.trusts & (1 << UInt64(trust)) != 0 else { continue }
                let replacement = scenario.scenario.replacements[replacementIndex]
                // A trust without budgets changes nothing about a unit's cost, so its units group across trusts.
                let groupTrust = key.isBudgeted && bindingTrusts & (1 << UInt64(trust)) != 0 ? trust : -1
                let groupKey = GroupKey(
                    trust: groupTrust,
                    equipmentClass: equipmentClass,
                    earliest: replacement.earliestYear,
                    latest: replacement.latestYear,
                    preferred: replacement.preferredYear,
                    deferCost: replacement.deferCostGBPPerYear.pounds,
                    advanceCost: replacement.advanceCostGBPPerYear.pounds
                )
                if let existing = position[groupKey] {
                    groups[existing].members.append(replacementIndex)
                    groupOfReplacement[replacementIndex] = existing
                } else {
                    position[groupKey] = groups.count
                    groupOfReplacement[replacementIndex] = groups.count
                    groups.append(
                        Group(
                            members: [replacementIndex],
                            trust: groupTrust,
                            equipmentClass: equipmentClass,
                            window: replacement.window
                        )
                    )
                }
            }
        }
        for index in groups.indices {
            let group = groups[index]
            let penalties = scenario.scenario.replacements[group.members[0]]
            // The least capital a unit of the class can score, at any supplier's deepest discount and any route.
            let cheapest =
                scenario.offersByClass[group.equipmentClass].map { offer in
                    scenario.lowestCapital(offer: offer, discount: scenario.schedules[offer].deepestDiscount)
                }.min() ?? 0
            for year in group.window {
                let affordable = affordableUnits(trust: group.trust, year: year, pricePaid: cheapest)
                let variable = model.addVariable(
                    name: "w_g\(index)_y\(year)",
                    upperBound: Double(min(group.members.count, affordable)),
                    isInteger: true,
                    objective: penalties.timingPenalty(inYear: year).pounds
                )
                groups[index].counts.append((year, variable))
                poolUnits[PoolKey(trust: group.trust, equipmentClass: group.equipmentClass, year: year), default: 0] +=
                    group.members.count
            }
            // Every unit of the group is bought exactly once.
            model.addConstraint(
                groups[index].counts.map { Term(1, $0.variable) },
                .equal,
                Double(group.members.count),
                name: "demand_g\(index)"
            )
        }
    }

    // MARK: Without budgets: pools priced by size

    /// The cheapest supplier and tier for a pool of `units` units of `equipmentClass` in `year`.
    private func cheapest(equipmentClass: Int, year: Int, units: Int) -> (offer: Int, discount: Double, cost: Double) {
        var best: (offer: Int, discount: Double, cost: Double)?
        for offer in scenario.offersByClass[equipmentClass] {
            let discount = scenario.schedules[offer].tier(forOrderOf: units).discount
            let cost = scenario.unitCost(offer: offer, year: year, discount: discount)
            if best == nil || cost < best!.cost { best = (offer, discount, cost) }
        }
        return best!
    }

    private mutating func makePools() {
        for (pool, units) in poolUnits.sorted(by: {
            ($0.key.equipmentClass, $0.key.year) < ($1.key.equipmentClass, $1.key.year)
        }) {
            // Runs of sizes with the same cheapest supplier and tier.
            var runs: [(lower: Int, upper: Int, offer: Int, discount: Double, cost: Double)] = []
            for size in 1...units {
                let option = cheapest(equipmentClass: pool.equipmentClass, year: pool.year, units: size)
                if let last = runs.last, last.offer == option.offer, last.discount == option.discount {
                    runs[runs.count - 1].upper = size
                } else {
                    runs.append((size, size, option.offer, option.discount, option.cost))
                }
            }
            var segments: [Segment] = []
            for (number, run) in runs.enumerated() {
                let name = "c\(pool.equipmentClass)_y\(pool.year)_s\(number)"
                let quantity = model.addVariable(name: "q_\(name)", upperBound: Double(run.upper), objective: run.cost)
                var chosen: Variable?
                if number > 0 {
                    // Once every run is chosen the rest is a network flow with integral vertices: branch on runs first.
                    let binary = model.addBinary(name: "u_\(name)", branchingPriority: 1)
                    model.addConstraint(
                        [Term(1, quantity), Term(-Double(run.lower), binary)],
                        .greaterOrEqual,
                        0,
                        name: "lo_\(name)"
                    )
                    model.addConstraint(
                        [Term(1, quantity), Term(-Double(run.upper), binary)],
                        .lessOrEqual,
                        0,
                        name: "hi_\(name)"
                    )
                    chosen = binary
                }
                segments.append(
                    Segment(
                        lowerUnits: run.lower,
                        upperUnits: run.upper,
                        offer: run.offer,
                        discount: run.discount,
                        chosen: chosen,
                        quantity: quantity
                    )
                )
            }
            if segments.count > 2 {
                model.addConstraint(
                    segments.compactMap { $0.chosen.map { Term(1, $0) } },
                    .lessOrEqual,
                    1,
                    name: "one_run_c\(pool.equipmentClass)_y\(pool.year)"
                )
            }
            var balance: [Term] = []
            for group in groups where group.equipmentClass == pool.equipmentClass {
                for count in group.counts where count.year == pool.year { balance.append(Term(1, count.variable)) }
            }
            balance += segments.map { Term(-1, $0.quantity) }
            model.addConstraint(balance, .equal, 0, name: "pool_c\(pool.equipmentClass)_y\(pool.year)")
            pools.append(Pool(equipmentClass: pool.equipmentClass, year: pool.year, units: units, segments: segments))
        }
        makeSizeLimits()
    }

    /// With N units of a class in all, at most ⌊N/M⌋ of its pools can hold M units or more, and those pools hold at
    /// most the units of the ⌊N/M⌋ largest pools.
    private mutating func makeSizeLimits() {
        for equipmentClass in key.classes {
            let classPools = pools.filter { $0.equipmentClass == equipmentClass }
            let total = groups.filter { $0.equipmentClass == equipmentClass }.reduce(0) { $0 + $1.members.count }
            let thresholds = Set(classPools.flatMap { $0.segments.dropFirst().map(\.lowerUnits) }).sorted()
            for threshold in thresholds {
                let limit = total / threshold
                var chosen: [Term] = []
                var quantities: [Term] = []
                var capacity = 0
                var sizes: [Int] = []
                for pool in classPools {
                    let large = pool.segments.dropFirst().filter { $0.lowerUnits >= threshold }
                    guard !large.isEmpty else { continue }
                    chosen += large.map { Term(1, $0.chosen!) }
                    quantities += large.map { Term(1, $0.quantity) }
                    capacity += large.map(\.upperUnits).max()!
                    sizes.append(pool.units)
                }
                guard !sizes.isEmpty else { continue }
                if limit < sizes.count {
                    model.addConstraint(
                        chosen,
                        .lessOrEqual,
                        Double(limit),
                        name: "few_large_c\(equipmentClass)_m\(threshold)"
                    )
                }
                let held = min(total, sizes.sorted(by: >).prefix(limit).reduce(0, +))
                if held < capacity {
                    model.addConstraint(
                        quantities,
                        .lessOrEqual,
                        Double(held),
                        name: "large_units_c\(equipmentClass)_m\(threshold)"
                    )
                }
            }
        }
    }

    // MARK: With budgets: every order with its tiers

    /// The pools of a class and year, by trust, with their units.
    private func pools(equipmentClass: Int, year: Int) -> [(trust: Int, units: Int)] {
        poolUnits.compactMap { pool, units in
            pool.equipmentClass == equipmentClass && pool.year == year ? (pool.trust, units) : nil
        }.sorted { $0.trust < $1.trust }
    }

    private mutating func makeOrders() {
        for equipmentClass in key.classes {
            for year in settings.decisionYears {
                let pools = pools(equipmentClass: equipmentClass, year: year)
                let units = pools.reduce(0) { $0 + $1.units }
                guard units > 0 else { continue }
                for offer in scenario.offersByClass[equipmentClass] {
                    let kept = scenario.schedules[offer].brackets.filter {
                        $0.tier.minimumUnits <= units
                            && scenario.dominatingOffer(of: offer, year: year, tier: $0.tier) == nil
                    }
                    guard !kept.isEmpty else { continue }
                    if kept.count == 1, kept[0].tier.minimumUnits == 1, (kept[0].maximumUnits ?? units) >= units {
                        addSinglePriceOrder(
                            offer: offer,
                            equipmentClass: equipmentClass,
                            year: year,
                            pools: pools,
                            discount: kept[0].tier.discount
                        )
                    } else {
                        addTieredOrder(
                            offer: offer,
                            equipmentClass: equipmentClass,
                            year: year,
                            pools: pools,
                            brackets: kept
                        )
                    }
                }
            }
        }
    }

    private mutating func addSinglePriceOrder(
        offer: Int,
        equipmentClass: Int,
        year: Int,
        pools: [(trust: Int, units: Int)],
        discount: Double
    ) {
        var quantity: [RouteQuantity: Variable] = [:]
        let keeps = routeKeeping(of: offer, year: year, at: discount)
        for route in scenario.routes[offer] {
            let cost = route.cost(offset: year - settings.baseYear, discount: discount)
            let price = route.capital(discount: discount)
            for pool in pools where keeps(route.route, pool.trust) {
                // Integer: a budget row would otherwise let a unit be split between suppliers to fit the budget.
                let bound = min(pool.units, affordableUnits(trust: pool.trust, year: year, pricePaid: price))
                quantity[RouteQuantity(trust: pool.trust, route: route.route)] = model.addVariable(
                    name: "q_o\(offer)_y\(year)_r\(pool.trust)\(route.route.suffix)",
                    upperBound: Double(bound),
                    isInteger: true,
                    objective: cost
                )
            }
        }
        let units = pools.reduce(0) { $0 + $1.units }
        orderPosition[OrderIndex(offer: offer, year: year)] = orders.count
        orders.append(
            OrderSlot(
                offer: offer,
                equipmentClass: equipmentClass,
                year: year,
                brackets: [
                    Bracket(minimumUnits: 1, maximumUnits: units, discount: discount, chosen: nil, quantity: quantity)
                ]
            )
        )
    }

    private mutating func addTieredOrder(
        offer: Int,
        equipmentClass: Int,
        year: Int,
        pools: [(trust: Int, units: Int)],
        brackets reachable: [(tier: PriceTier, maximumUnits: Int?)]
    ) {
        let index = orders.count
        let units = pools.reduce(0) { $0 + $1.units }
        var brackets: [Bracket] = []
        for (number, bracket) in reachable.enumerated() {
            // What each trust can take at this tier: its units, and what its budget can pay for.
            let price = scenario.lowestCapital(offer: offer, discount: bracket.tier.discount)
            let limits = pools.map {
                min($0.units, affordableUnits(trust: $0.trust, year: year, pricePaid: price))
            }
            let maximum = min(bracket.maximumUnits ?? units, limits.reduce(0, +))
            // A tier the trusts cannot fill or afford is out of reach.
            guard maximum >= bracket.tier.minimumUnits else { continue }
            // Once every tier is chosen the rest is a network flow with integral vertices: branch on tiers first.
            let chosen = model.addBinary(name: "z_o\(offer)_y\(year)_t\(number)", branchingPriority: 1)
            var quantity: [RouteQuantity: Variable] = [:]
            let keeps = routeKeeping(of: offer, year: year, at: bracket.tier.discount)
            for route in scenario.routes[offer] {
                let cost = route.cost(offset: year - settings.baseYear, discount: bracket.tier.discount)
                let capital = route.capital(discount: bracket.tier.discount)
                for (pool, limit) in zip(pools, limits) where keeps(route.route, pool.trust) {
                    let own = min(pool.units, affordableUnits(trust: pool.trust, year: year, pricePaid: capital))
                    quantity[RouteQuantity(trust: pool.trust, route: route.route)] = model.addVariable(
                        name: "x_o\(offer)_y\(year)_t\(number)_r\(pool.trust)\(route.route.suffix)",
                        upperBound: Double(min(maximum, limit, own)),
                        isInteger: true,
                        objective: cost
                    )
                }
            }
            let total = quantity.sorted { $0.key < $1.key }.map { Term(1, $0.value) }
            model.addConstraint(
                total + [Term(-Double(bracket.tier.minimumUnits), chosen)],
                .greaterOrEqual,
                0,
                name: "tier_min_o\(offer)_y\(year)_t\(number)"
            )
            model.addConstraint(
                total + [Term(-Double(maximum), chosen)],
                .lessOrEqual,
                0,
                name: "tier_max_o\(offer)_y\(year)_t\(number)"
            )
            for (pool, limit) in zip(pools, limits) where limit < maximum && pools.count > 1 {
                model.addConstraint(
                    quantities(quantity, trust: pool.trust).map { Term(1, $0) } + [Term(-Double(limit), chosen)],
                    .lessOrEqual,
                    0,
                    name: "tier_own_o\(offer)_y\(year)_t\(number)_r\(pool.trust)"
                )
            }
            brackets.append(
                Bracket(
                    minimumUnits: bracket.tier.minimumUnits,
                    maximumUnits: maximum,
                    discount: bracket.tier.discount,
                    chosen: chosen,
                    quantity: quantity
                )
            )
        }
        guard !brackets.isEmpty else { return }
        model.addConstraint(
            brackets.map { Term(1, $0.chosen!) },
            .lessOrEqual,
            1,
            name: "one_tier_o\(offer)_y\(year)"
        )
        orderPosition[OrderIndex(offer: offer, year: year)] = index
        orders.append(OrderSlot(offer: offer, equipmentClass: equipmentClass, year: year, brackets: brackets))
    }

    /// Whether an order of `offer` in `year` at `discount` gets a quantity of a trust's units under a route: a trust
    /// no budget row sees (−1) buys under the cheapest route only, a budgeted trust under every route no other
    /// dominates, the routes that keep themselves (``PreparedScenario/keptRoutes(offer:year:discount:)``); neither
    /// loses an optimum. Decided once for the order's tier, then asked for each route and trust.
    private func routeKeeping(of offer: Int, year: Int, at discount: Double) -> (FundingRoute, _ trust: Int) -> Bool {
        guard scenario.routes[offer].count > 1 else { return { _, _ in true } }
        let cheapest = scenario.bestRoute(offer: offer, year: year, discount: discount)
        let kept = scenario.keptRoutes(offer: offer, year: year, discount: discount)
        return { route, trust in trust < 0 ? route == cheapest : kept[route] == route }
    }

    /// What each pool takes in (its groups' counts for the year) its orders buy.
    private mutating func makeBalances() {
        for (pool, _) in poolUnits.sorted(by: {
            ($0.key.equipmentClass, $0.key.year, $0.key.trust) < ($1.key.equipmentClass, $1.key.year, $1.key.trust)
        }) {
            var terms: [Term] = []
            for group in groups where group.trust == pool.trust && group.equipmentClass == pool.equipmentClass {
                for count in group.counts where count.year == pool.year { terms.append(Term(1, count.variable)) }
            }
            for order in orders where order.equipmentClass == pool.equipmentClass && order.year == pool.year {
                for bracket in order.brackets {
                    terms += quantities(bracket.quantity, trust: pool.trust).map { Term(-1, $0) }
                }
            }
            model.addConstraint(terms, .equal, 0, name: "pool_c\(pool.equipmentClass)_y\(pool.year)_r\(pool.trust)")
        }
    }

    private mutating func makeBudgetRows(seekingShortfalls: Bool) {
        for row in bindingRows {
            let (trust, year, budget) = (row.trust, row.year, row.budget)
            let terms =
                row.kind == .capital ? capitalTerms(trust: trust, year: year) : revenueTerms(trust: trust, year: year)
            guard var terms, !terms.isEmpty else { continue }
            let name = row.kind == .capital ? "r\(trust)_y\(year)" : "revenue_r\(trust)_y\(year)"
            var slack: Variable?
            if seekingShortfalls {
                let variable = model.addVariable(name: "shortfall_\(name)")
                terms.append(Term(-1, variable))
                slack = variable
            }
            model.addConstraint(terms, .lessOrEqual, budget, name: "budget_\(name)")
            budgetRows.append(BudgetRow(trust: trust, year: year, budget: budget, slack: slack, kind: row.kind))
        }
    }

    /// The model's values for `picks` (which must cover every replacement of the component), or nil when they do
    /// not fit it or break a constraint.
    func values(for picks: [Pick]) -> [Double]? {
        // Dominated tiers and routes have no variables; the same plan with them moved costs no more and meets the same
        // budgets.
        let picks =
            key.isBudgeted
            ? scenario.onKeptRoutes(scenario.withoutDominatedTiers(picks), budgetedTrusts: bindingTrusts) : picks
        var values = [Double](repeating: 0, count: model.variables.count)
        var bought: [Int: [RouteQuantity: Double]] = [:]  // order position → trust and route → units
        var covered = 0
        for pick in picks {
            guard let groupIndex = groupOfReplacement[pick.replacement] else { continue }
            let group = groups[groupIndex]
            guard let count = group.counts.first(where: { $0.year == pick.year }) else { return nil }
            values[count.variable.index] += 1
            covered += 1
            if key.isBudgeted {
                guard let order = orderPosition[OrderIndex(offer: pick.offer, year: pick.year)] else { return nil }
                bought[order, default: [:]][RouteQuantity(trust: group.trust, route: pick.route), default: 0] += 1
            }
        }
        guard covered == replacementCount else { return nil }
        for pool in pools {
            let units = groups.filter { $0.equipmentClass == pool.equipmentClass }.reduce(0.0) { total, group in
                total + (group.counts.first { $0.year == pool.year }.map { values[$0.variable.index] } ?? 0)
            }
            guard units > 0 else { continue }
            guard
                let segment = pool.segments.first(where: {
                    Double($0.lowerUnits) <= units && units <= Double($0.upperUnits)
                })
            else { return nil }
            values[segment.quantity.index] = units
            if let chosen = segment.chosen { values[chosen.index] = 1 }
        }
        for (order, byTrust) in bought {
            let total = byTrust.values.reduce(0, +)
            guard let bracket = orders[order].brackets.last(where: { Double($0.minimumUnits) <= total }) else {
                return nil
            }
            if let chosen = bracket.chosen { values[chosen.index] = 1 }
            for (slot, units) in byTrust {
                guard let quantity = bracket.quantity[slot] else { return nil }
                values[quantity.index] = units
            }
        }
        return model.violation(of: values) == nil ? values : nil
    }

    /// The supplier and year of every replacement in `solution`. Within a pool, units go to its orders in supplier
    /// order, members in group and asset order: any matching costs the same, as price depends on the supplier and
    /// year and the penalty on the year alone.
    func picks(from solution: Solution) -> [Pick] {
        var membersByPool: [PoolKey: [Int]] = [:]
        for group in groups {
            var members = group.members[...]
            for count in group.counts {
                let units = solution.integerValue(of: count.variable)
                let pool = PoolKey(trust: group.trust, equipmentClass: group.equipmentClass, year: count.year)
                membersByPool[pool, default: []] += members.prefix(units)
                members = members.dropFirst(units)
            }
        }
        var picks: [Pick] = []
        // Pools in a fixed order: the plan's cost is summed over its picks in their order, and a dictionary's order
        // changes from run to run, so the same plan printed figures differing in their last bits between runs.
        let pools = membersByPool.sorted {
            ($0.key.equipmentClass, $0.key.year, $0.key.trust) < ($1.key.equipmentClass, $1.key.year, $1.key.trust)
        }
        if !key.isBudgeted {
            // The whole pool goes to the supplier cheapest at its size, each unit under its cheapest route.
            for (pool, members) in pools where !members.isEmpty {
                let best = cheapest(equipmentClass: pool.equipmentClass, year: pool.year, units: members.count)
                let route = scenario.bestRoute(offer: best.offer, year: pool.year, discount: best.discount)
                picks += members.map { Pick(replacement: $0, offer: best.offer, year: pool.year, route: route) }
            }
            return picks
        }
        for (pool, members) in pools {
            var rest = members[...]
            for order in orders where order.equipmentClass == pool.equipmentClass && order.year == pool.year {
                for route in scenario.routes[order.offer].map(\.route) {
                    let slot = RouteQuantity(trust: pool.trust, route: route)
                    let units = order.brackets.reduce(0) { total, bracket in
                        total + (bracket.quantity[slot].map { solution.integerValue(of: $0) } ?? 0)
                    }
                    for member in rest.prefix(units) {
                        picks.append(Pick(replacement: member, offer: order.offer, year: order.year, route: route))
                    }
                    rest = rest.dropFirst(units)
                }
            }
        }
        return picks
    }

    /// The least overruns of `solution` (a model built `seekingShortfalls`), by trust and year.
    func shortfalls(in solution: Solution) -> [BudgetShortfall] {
        budgetRows.compactMap { row in
            guard let slack = row.slack, solution[slack] > 0.005 else { return nil }
            return BudgetShortfall(
                trust: scenario.trusts[row.trust],
                year: row.year,
                budgetGBP: GBP(row.budget),
                shortfallGBP: GBP(solution[slack]),
                kind: row.kind
            )
        }
    }
}

private struct OrderIndex: Hashable {
    var offer: Int
    var year: Int
}
