/// A local search that makes a starting plan cheaper before a budgeted model is solved from it.
///
/// A budgeted coalition's search starts from the plans of two smaller coalitions merged, which is feasible and
/// usually within a fraction of a per cent of the optimum, but in most of a Shapley analysis's budgeted models not at
/// it (8 trusts and 80 replacements at £2.5m a trust-year: 61 of 220). Moves that one unit or one order makes alone,
/// tried in a fixed order and taken when they lower the cost and keep the budgets, close much of that: the same
/// analysis then starts 134 of its 220 models at their optimum. The search only ever lowers a plan's cost and keeps
/// the budgets, so what the solver proves is unchanged.
extension PreparedScenario {
    /// `picks` improved by single moves until none lowers the cost, each move kept only when `keepsBudgets` holds
    /// for the plan it makes:
    /// - every unit of an order to another offer of its class in the same year (under the same route);
    /// - every unit of an order to another year its units' windows share (the same offer and routes);
    /// - one unit to another offer, year in its window, or route.
    ///
    /// Moves are tried in order (orders by offer and year, units by position), so the result depends on `picks`
    /// alone. At most `passes` passes over every move.
    func locallyImproved(_ picks: [Pick], passes: Int = 8, keepsBudgets: ([Pick]) -> Bool) -> [Pick] {
        var search = StartSearch(scenario: self, picks: picks)
        for _ in 0..<passes {
            var improved = false
            for slot in search.orderSlots() {
                improved = search.moveOrderToOtherOffers(slot, keepsBudgets: keepsBudgets) || improved
            }
            for slot in search.orderSlots() {
                improved = search.moveOrderToOtherYears(slot, keepsBudgets: keepsBudgets) || improved
            }
            for position in search.picks.indices {
                improved = search.moveUnit(at: position, keepsBudgets: keepsBudgets) || improved
            }
            guard improved else { break }
        }
        return search.picks
    }
}

/// The state of ``PreparedScenario/locallyImproved(_:passes:keepsBudgets:)``: the plan, its orders and each order's
/// cost, so that a move is priced by the orders it changes alone.
private struct StartSearch {
    let scenario: PreparedScenario
    private(set) var picks: [Pick]
    /// The positions in `picks` of each order's units.
    private var members: [OrderSlotKey: [Int]] = [:]
    /// Each order's cost (price, service and route costs, without timing penalties).
    private var costs: [OrderSlotKey: Double] = [:]

    /// A move must save more than this (pounds) to be taken: less is rounding.
    private static let saving = 0.005

    init(scenario: PreparedScenario, picks: [Pick]) {
        self.scenario = scenario
        self.picks = picks
        for (position, pick) in picks.enumerated() {
            members[OrderSlotKey(offer: pick.offer, year: pick.year), default: []].append(position)
        }
        for (slot, positions) in members { costs[slot] = cost(of: slot, routes: positions.map { picks[$0].route }) }
    }

    /// The orders of the plan, by offer then year.
    func orderSlots() -> [OrderSlotKey] { members.keys.sorted { ($0.offer, $0.year) < ($1.offer, $1.year) } }

    /// The cost of an order of `slot` whose units take `routes`, one each, at the tier their number reaches.
    private func cost(of slot: OrderSlotKey, routes: [FundingRoute]) -> Double {
        guard !routes.isEmpty else { return 0 }
        let discount = scenario.schedules[slot.offer].tier(forOrderOf: routes.count).discount
        return routes.reduce(0) {
            $0 + scenario.unitCost(offer: slot.offer, route: $1, year: slot.year, discount: discount)
        }
    }

    private func penalty(_ position: Int, inYear year: Int) -> Double {
        scenario.scenario.replacements[picks[position].replacement].timingPenalty(inYear: year).pounds
    }

    private func routes(of slot: OrderSlotKey) -> [FundingRoute] { (members[slot] ?? []).map { picks[$0].route } }

    /// Every unit of `slot` to the first other offer of its class, in the same year, that lowers the cost and keeps
    /// the budgets; true when one did.
    mutating func moveOrderToOtherOffers(_ slot: OrderSlotKey, keepsBudgets: ([Pick]) -> Bool) -> Bool {
        guard let positions = members[slot] else { return false }
        let moving = routes(of: slot)
        for offer in scenario.classmates[slot.offer] where offer != slot.offer {
            let offered = Set(scenario.routes[offer].map(\.route))
            guard moving.allSatisfy(offered.contains) else { continue }
            let target = OrderSlotKey(offer: offer, year: slot.year)
            let merged = routes(of: target) + moving
            let change = cost(of: target, routes: merged) - (costs[target] ?? 0) - costs[slot, default: 0]
            guard change < -Self.saving else { continue }
            if apply(positions.map { ($0, target, picks[$0].route) }, keepsBudgets: keepsBudgets) { return true }
        }
        return false
    }

    /// Every unit of `slot` to the first other year its units' windows share, with the same offer, that lowers the
    /// cost and keeps the budgets; true when one did.
    mutating func moveOrderToOtherYears(_ slot: OrderSlotKey, keepsBudgets: ([Pick]) -> Bool) -> Bool {
        guard let positions = members[slot] else { return false }
        let windows = positions.map { scenario.scenario.replacements[picks[$0].replacement].window }
        let earliest = windows.map(\.lowerBound).max()!
        let latest = windows.map(\.upperBound).min()!
        guard earliest <= latest else { return false }
        let moving = routes(of: slot)
        for year in earliest...latest where year != slot.year {
            let target = OrderSlotKey(offer: slot.offer, year: year)
            let merged = routes(of: target) + moving
            var change = cost(of: target, routes: merged) - (costs[target] ?? 0) - costs[slot, default: 0]
            for position in positions {
                change += penalty(position, inYear: year) - penalty(position, inYear: slot.year)
            }
            guard change < -Self.saving else { continue }
            if apply(positions.map { ($0, target, picks[$0].route) }, keepsBudgets: keepsBudgets) { return true }
        }
        return false
    }

    /// The unit at `position` to the first other offer of its class, year of its window and route that lowers the
    /// cost and keeps the budgets; true when one did.
    mutating func moveUnit(at position: Int, keepsBudgets: ([Pick]) -> Bool) -> Bool {
        let pick = picks[position]
        let source = OrderSlotKey(offer: pick.offer, year: pick.year)
        var left = routes(of: source)
        left.remove(at: left.firstIndex(of: pick.route)!)
        let leftCost = cost(of: source, routes: left)
        let window = scenario.scenario.replacements[pick.replacement].window
        for offer in scenario.classmates[pick.offer] {
            for year in window {
                let target = OrderSlotKey(offer: offer, year: year)
                for route in scenario.routes[offer].map(\.route) where target != source || route != pick.route {
                    var change: Double
                    if target == source {
                        change = cost(of: source, routes: left + [route]) - costs[source, default: 0]
                    } else {
                        change =
                            leftCost + cost(of: target, routes: routes(of: target) + [route])
                            - costs[source, default: 0] - (costs[target] ?? 0)
                    }
                    change += penalty(position, inYear: year) - penalty(position, inYear: pick.year)
                    guard change < -Self.saving else { continue }
                    if apply([(position, target, route)], keepsBudgets: keepsBudgets) { return true }
                }
            }
        }
        return false
    }

    /// Makes `moves` (each a unit's position, its new order and route) when the plan they make keeps the budgets;
    /// true when it did.
    private mutating func apply(
        _ moves: [(position: Int, target: OrderSlotKey, route: FundingRoute)],
        keepsBudgets: ([Pick]) -> Bool
    ) -> Bool {
        var candidate = picks
        for move in moves {
            candidate[move.position].offer = move.target.offer
            candidate[move.position].year = move.target.year
            candidate[move.position].route = move.route
        }
        guard keepsBudgets(candidate) else { return false }
        var touched: Set<OrderSlotKey> = []
        for move in moves {
            let source = OrderSlotKey(offer: picks[move.position].offer, year: picks[move.position].year)
            members[source]?.removeAll { $0 == move.position }
            if members[source]?.isEmpty == true { members[source] = nil }
            members[move.target, default: []].append(move.position)
            touched.formUnion([source, move.target])
        }
        picks = candidate
        for slot in touched {
            if let positions = members[slot] {
                members[slot] = positions.sorted()
                costs[slot] = cost(of: slot, routes: positions.map { picks[$0].route })
            } else {
                costs[slot] = nil
            }
        }
        return true
    }
}
