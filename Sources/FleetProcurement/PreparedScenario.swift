import FleetCore

/// A scenario indexed for the optimiser: trusts, classes and offers by position, price schedules, discount factors,
/// and which trusts have replacements of which class.
struct PreparedScenario: Sendable {
    /// The most trusts one scenario may hold: coalitions are sets of trusts held as 64-bit masks.
    static let maximumTrusts = 64

    let scenario: Scenario
    /// Trusts with replacements, in name order; a trust's position is its bit in a coalition mask.
    let trusts: [TrustName]
    /// Classes with replacements, in name order.
    let classes: [EquipmentClassName]
    /// The class of each replacement, by position in `classes`.
    let classOfReplacement: [Int]
    /// The trust of each replacement, by position in `trusts`.
    let trustOfReplacement: [Int]
    /// Replacements by class, each list in asset order.
    let replacementsByClass: [[Int]]
    /// The trusts with replacements of each class, as a mask.
    let trustsOfClass: [UInt64]
    /// The offers of each class (positions in `scenario.offers`), in supplier order.
    let offersByClass: [[Int]]
    /// The class of each offer (by position in `scenario.offers`), by position in `classes`; −1 for a class
    /// without replacements.
    let offerClass: [Int]
    /// The offers of each offer's class (itself included), in supplier order: those of `offersByClass`, and for a
    /// class that only added units buy (no position in `classes`) its offers found by name.
    let classmates: [[Int]]
    /// The price schedule of each offer, by position in `scenario.offers`.
    let schedules: [PriceSchedule]
    /// Offer positions by supplier and class.
    let offerIndex: [OfferKey: Int]
    /// Capital budgets by trust position, then year, in pounds.
    let budgets: [Int: [Int: Double]]
    /// Revenue budgets by trust position, then year, in pounds.
    let revenueBudgets: [Int: [Int: Double]]
    /// Trusts that have at least one capital or revenue budget, as a mask.
    let budgetedTrusts: UInt64
    /// What one unit of each offer costs and scores under each of its routes, by offer position, in route order.
    let routes: [[RouteEconomics]]
    /// The years some binding revenue budget limits (every revenue budget's when units may be added), ascending: the
    /// years whose revenue decides dominance.
    let revenueYears: [Int]
    /// Every budget some plan could break, capital or revenue, by trust, kind and year.
    let bindingList: [BindingBudget]
    /// The capital budgets some plan could break, by trust position then year: those below what the trust would
    /// score that year buying in it every unit whose window holds it, each at its class's dearest capital at list
    /// price under any route. Every plan keeps the others (a discount never raises capital), so a model without
    /// them has the same plans. Revenue budgets likewise (``bindingList``).
    let bindingBudgets: [Int: [Int: Double]]
    /// D(y) for each decision year, by offset from the base year.
    let discountFactors: [Double]
    /// Discounted service after warranty of one unit of each offer, by offer then purchase-year offset.
    let discountedService: [[Double]]

    /// Indexes `scenario`, which must have passed validation. With `addingUnits` (capacity planning, whose plans may
    /// add units beyond the replacements) every revenue budget's year decides dominance, not only the years the
    /// replacements alone could break: the added units' spend could break the others.
    /// - Throws: ``InvalidInput`` when the scenario holds more than 64 trusts.
    init(_ scenario: Scenario, addingUnits: Bool = false) throws(InvalidInput) {
        self.scenario = scenario
        let trusts = scenario.trusts
        guard trusts.count <= Self.maximumTrusts else {
            throw InvalidInput(
                InputIssue(
                    file: ScenarioFiles.replacementsFile,
                    line: nil,
                    column: "trust",
                    problem: "names \(trusts.count) trusts; a scenario is one network's and may hold at most "
                        + "\(Self.maximumTrusts) (plan each network separately)"
                )
            )
        }
        self.trusts = trusts
        let trustPosition = Dictionary(uniqueKeysWithValues: trusts.enumerated().map { ($1, $0) })
        classes = Set(scenario.replacements.map(\.equipmentClass)).sorted()
        let classPosition = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        classOfReplacement = scenario.replacements.map { classPosition[$0.equipmentClass]! }
        trustOfReplacement = scenario.replacements.map { trustPosition[$0.trust]! }
        var byClass = [[Int]](repeating: [], count: classes.count)
        var trustsOfClass = [UInt64](repeating: 0, count: classes.count)
        for (index, replacement) in scenario.replacements.enumerated() {
            byClass[classOfReplacement[index]].append(index)
            trustsOfClass[classOfReplacement[index]] |= 1 << UInt64(trustPosition[replacement.trust]!)
        }
        replacementsByClass = byClass.map { list in
            list.sorted { scenario.replacements[$0].assetID < scenario.replacements[$1].assetID }
        }
        self.trustsOfClass = trustsOfClass
        let schedules = scenario.priceSchedules
        self.schedules = scenario.offers.map { schedules[OfferKey($0.supplier, $0.equipmentClass)]! }
        offerIndex = Dictionary(
            scenario.offers.enumerated().map { (OfferKey($1.supplier, $1.equipmentClass), $0) },
            uniquingKeysWith: { first, _ in first }
        )
        offerClass = scenario.offers.map { classPosition[$0.equipmentClass] ?? -1 }
        let offersByName = Dictionary(grouping: scenario.offers.indices) { scenario.offers[$0].equipmentClass }
            .mapValues { $0.sorted { scenario.offers[$0].supplier < scenario.offers[$1].supplier } }
        offersByClass = classes.map { offersByName[$0] ?? [] }
        classmates = scenario.offers.map { offersByName[$0.equipmentClass]! }
        var budgets: [Int: [Int: Double]] = [:]
        var revenueBudgets: [Int: [Int: Double]] = [:]
        var budgetedTrusts: UInt64 = 0
        for budget in scenario.budgets {
            guard let trust = trustPosition[budget.trust] else { continue }
            if let capital = budget.capitalBudgetGBP {
                budgets[trust, default: [:]][budget.year] = capital.pounds
                budgetedTrusts |= 1 << UInt64(trust)
            }
            if let revenue = budget.revenueBudgetGBP {
                revenueBudgets[trust, default: [:]][budget.year] = revenue.pounds
                budgetedTrusts |= 1 << UInt64(trust)
            }
        }
        self.budgets = budgets
        self.revenueBudgets = revenueBudgets
        self.budgetedTrusts = budgetedTrusts
        let settings = scenario.settings
        routes = scenario.offers.map { RouteEconomics.all(of: $0, settings: settings) }
        let binding = Self.bindingBudgets(
            scenario: scenario,
            capital: budgets,
            revenue: revenueBudgets,
            classOfReplacement: classOfReplacement,
            trustOfReplacement: trustOfReplacement,
            offersByClass: offersByClass,
            routes: routes
        )
        bindingList = binding
        var bindingBudgets: [Int: [Int: Double]] = [:]
        for row in binding where row.kind == .capital { bindingBudgets[row.trust, default: [:]][row.year] = row.budget }
        self.bindingBudgets = bindingBudgets
        revenueYears =
            addingUnits
            ? Set(revenueBudgets.values.flatMap(\.keys)).sorted()
            : Set(binding.filter { $0.kind == .revenue }.map(\.year)).sorted()
        discountFactors = settings.decisionYears.map(settings.discountFactor)
        discountedService = scenario.offers.map { offer in
            settings.decisionYears.map {
                settings.discountedService(
                    annualService: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    purchaseYear: $0
                ).pounds
            }
        }
    }

    /// The price schedule of the offer with `key`.
    func schedule(_ key: OfferKey) -> PriceSchedule { schedules[offerIndex[key]!] }

    /// The cost in base-year pounds of one unit of `offer` bought in `year` at `discount` under its cheapest route
    /// (see ``bestRoute(offer:year:discount:)``): for a purchase its discounted price and its discounted service
    /// after warranty.
    func unitCost(offer: Int, year: Int, discount: Double) -> Double {
        let offset = year - scenario.settings.baseYear
        if routes[offer].count == 1 { return routes[offer][0].cost(offset: offset, discount: discount) }
        return routes[offer].map { $0.cost(offset: offset, discount: discount) }.min() ?? .infinity
    }

    /// A cost no plan of `replacements` can beat: each unit bought in its cheapest year at the cheapest supplier's
    /// deepest discount that an order of all the class's units among `replacements` could reach (no order is
    /// larger, and validation keeps discounts from falling as orders grow), with that year's timing penalty.
    func deepestDiscountBound(of replacements: [Int]) -> Double {
        var unitsOfClass: [Int: Int] = [:]
        for replacement in replacements { unitsOfClass[classOfReplacement[replacement], default: 0] += 1 }
        var total = 0.0
        for replacement in replacements {
            let item = scenario.replacements[replacement]
            let equipmentClass = classOfReplacement[replacement]
            var cheapest = Double.infinity
            for offer in offersByClass[equipmentClass] {
                let deepest = schedules[offer].tier(forOrderOf: unitsOfClass[equipmentClass] ?? 1).discount
                for year in item.window {
                    cheapest = min(
                        cheapest,
                        unitCost(offer: offer, year: year, discount: deepest) + item.timingPenalty(inYear: year).pounds
                    )
                }
            }
            total += cheapest.isFinite ? cheapest : 0
        }
        return total
    }

    /// The price paid for one unit and its cost (see ``unitCost(offer:year:discount:)``) in an order of `units`
    /// units of `offer` bought in `year`.
    func unitPriceAndCost(offer: Int, year: Int, units: Int) -> (price: Double, cost: Double) {
        let discount = schedules[offer].tier(forOrderOf: units).discount
        return (
            schedules[offer].offer.unitPriceGBP.pounds * (1 - discount),
            unitCost(offer: offer, year: year, discount: discount)
        )
    }

    /// Whether a tier of `offer` can be dropped for `other`'s (see ``dominatingOffer(of:year:tier:)``): for each of
    /// `offer`'s routes, the first route of `other` whose cost, capital and revenue in every year a binding revenue
    /// budget limits are all no higher at `units` units (one strictly lower, or all equal and `other` comes first);
    /// nil when some route has none.
    func routeMatch(of offer: Int, by other: Int, year: Int, units: Int) -> [FundingRoute: FundingRoute]? {
        let offset = year - scenario.settings.baseYear
        let ownDiscount = schedules[offer].tier(forOrderOf: units).discount
        let rivalDiscount = schedules[other].tier(forOrderOf: units).discount
        var match: [FundingRoute: FundingRoute] = [:]
        for own in routes[offer] {
            let ownProfile = own.profile(offset: offset, discount: ownDiscount, revenueYears: revenueYears)
            let found = routes[other].first { rival in
                let rivalProfile = rival.profile(offset: offset, discount: rivalDiscount, revenueYears: revenueYears)
                guard zip(rivalProfile, ownProfile).allSatisfy({ $0 <= $1 }) else { return false }
                return zip(rivalProfile, ownProfile).contains { $0 < $1 } || other < offer
            }
            guard let found else { return nil }
            match[own.route] = found.route
        }
        return match
    }

    /// Another offer of the same class that makes `tier` of `offer` in `year` needless, or nil: one whose price paid
    /// and cost per unit in an order of the tier's minimum size are both no higher (one strictly lower, or both
    /// equal and the other offer comes first).
    ///
    /// Needless because moving a whole order of `offer` at that tier to the dominating offer, in the same year,
    /// never raises a unit's cost or price: the moved units pay the other offer's price at a size at least the
    /// tier's minimum, and its own units' order only grows. No trust's capital in any year rises and the cost does
    /// not rise, so with or without budgets some optimal plan uses no dominated tier: repeating such moves ends,
    /// as each lowers total cost plus capital or (at a tie) moves units to an earlier offer.
    ///
    /// With funding routes the same holds route by route (``routeMatch(of:by:year:units:)``): each unit moves to a
    /// route of the other offer that costs, scores as capital and spends from revenue in every budgeted year no more.
    func dominatingOffer(of offer: Int, year: Int, tier: PriceTier) -> Int? {
        dominatingRoutes(of: offer, year: year, tier: tier)?.offer
    }

    /// The offer that dominates `tier` of `offer` in `year` and the route each of `offer`'s routes moves to.
    func dominatingRoutes(
        of offer: Int,
        year: Int,
        tier: PriceTier
    ) -> (
        offer: Int, routes: [FundingRoute: FundingRoute]
    )? {
        let rivals = classmates[offer]
        if routes[offer].count == 1, routes[offer][0].route == .purchase, revenueYears.isEmpty {
            let own = unitPriceAndCost(offer: offer, year: year, units: tier.minimumUnits)
            // Validation keeps discounts from falling as orders grow, so the rival's price cannot rise with its order.
            for other in rivals
            where other != offer && routes[other].count == 1
                && routes[other][0].route == .purchase
            {
                let rival = unitPriceAndCost(offer: other, year: year, units: tier.minimumUnits)
                guard rival.price <= own.price, rival.cost <= own.cost else { continue }
                if rival.price < own.price || rival.cost < own.cost || other < offer {
                    return (other, [.purchase: .purchase])
                }
            }
        }
        for other in rivals where other != offer {
            if let match = routeMatch(of: offer, by: other, year: year, units: tier.minimumUnits) {
                return (other, match)
            }
        }
        return nil
    }

    /// `picks` with every order at a dominated tier (see ``dominatingOffer(of:year:tier:)``) moved whole to the offer
    /// that dominates it, repeatedly: a plan that costs no more and takes no more capital from any trust in any
    /// year, and uses no dominated tier.
    func withoutDominatedTiers(_ picks: [Pick]) -> [Pick] {
        var picks = picks
        // Each move empties one order; the bound on moves only guards against a fault.
        for _ in 0...(picks.count * offerClass.count + 1) {
            let sizes = orderSizes(of: picks)
            guard
                let (order, target) = sizes.lazy.compactMap({ order, units in
                    self.dominatingRoutes(
                        of: order.offer,
                        year: order.year,
                        tier: self.schedules[order.offer].tier(forOrderOf: units)
                    ).map { (order, $0) }
                }).min(by: { ($0.0.offer, $0.0.year) < ($1.0.offer, $1.0.year) })
            else { return picks }
            for index in picks.indices where picks[index].offer == order.offer && picks[index].year == order.year {
                picks[index].offer = target.offer
                picks[index].route = target.routes[picks[index].route] ?? picks[index].route
            }
        }
        return picks
    }

    /// The mask of every trust.
    var allTrusts: UInt64 { trusts.count == 64 ? ~0 : (1 << UInt64(trusts.count)) - 1 }

    /// The mask of `coalition`'s trusts (names that are not in the scenario are ignored).
    func mask(of coalition: some Sequence<TrustName>) -> UInt64 {
        var mask: UInt64 = 0
        for trust in coalition {
            if let position = trusts.firstIndex(of: trust) { mask |= 1 << UInt64(position) }
        }
        return mask
    }

    /// The trusts of `mask`, in name order.
    /// Each way to split coalition `mask` in two, once: every subset holding its lowest trust but not all of its
    /// trusts (the other part is `mask` less it); none for a single trust.
    static func splits(of mask: UInt64) -> [UInt64] {
        guard mask.nonzeroBitCount >= 2 else { return [] }
        let lowest = mask & (~mask &+ 1)
        let rest = mask & ~lowest
        var parts: [UInt64] = []
        var subset = rest
        while true {
            if subset != rest { parts.append(lowest | subset) }
            if subset == 0 { break }
            subset = (subset - 1) & rest
        }
        return parts
    }

    func trusts(in mask: UInt64) -> [TrustName] {
        trusts.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { trusts[$0] }
    }

    /// The independent parts of the problem of coalition `mask`. Orders are per supplier, class and year, so
    /// without budgets every class is a problem of its own; a trust's budgets tie together the classes it buys.
    /// With `ignoringBudgets`, every class stands alone and no budget applies.
    func components(of mask: UInt64, ignoringBudgets: Bool = false) -> [ComponentKey] {
        let present = classes.indices.filter { trustsOfClass[$0] & mask != 0 }
        let budgeted = ignoringBudgets ? 0 : budgetedTrusts & mask
        guard budgeted != 0 else {
            return present.map { ComponentKey(classes: [$0], trusts: trustsOfClass[$0] & mask, isBudgeted: false) }
        }
        // Union-find over classes, joined through each budgeted trust of the coalition.
        var parent = Array(classes.indices)
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        for trust in trusts.indices where budgeted & (1 << UInt64(trust)) != 0 {
            let ofTrust = present.filter { trustsOfClass[$0] & (1 << UInt64(trust)) != 0 }
            for other in ofTrust.dropFirst() { parent[root(other)] = root(ofTrust[0]) }
        }
        var groups: [Int: [Int]] = [:]
        for equipmentClass in present { groups[root(equipmentClass), default: []].append(equipmentClass) }
        return groups.values.map { classes in
            let trusts = classes.reduce(UInt64(0)) { $0 | trustsOfClass[$1] } & mask
            return ComponentKey(classes: classes.sorted(), trusts: trusts, isBudgeted: trusts & budgeted != 0)
        }.sorted { $0.classes[0] < $1.classes[0] }
    }
}

extension PreparedScenario {
    /// The binding budgets (``bindingList``) of `key`'s trusts that involve its classes, by trust, kind and year.
    func bindingRows(of key: ComponentKey) -> [BindingBudget] {
        guard key.isBudgeted else { return [] }
        let classes = Set(key.classes)
        return bindingList.filter { row in
            key.trusts & (1 << UInt64(row.trust)) != 0 && row.classes.contains(where: classes.contains)
        }
    }

    /// The budgeted parts (``parts(of:)``) of trust `trust`'s own budgeted components: the keys of its capital floor
    /// (``CapitalFloor``), which both optimisers solve.
    func budgetedParts(ofTrust trust: Int) -> [ComponentKey] {
        components(of: 1 << UInt64(trust)).filter(\.isBudgeted).flatMap(parts(of:)).filter(\.isBudgeted)
    }

    /// The parts `key` falls into once the budgets no plan can break are left out (see ``bindingBudgets``): classes
    /// stay together only through a binding budget whose units are of both. The parts' optima add up to the
    /// component's, and the component's budgets can be met exactly when every part's can. A part without a binding
    /// budget is one class, keyed as that class's component without budgets.
    func parts(of key: ComponentKey) -> [ComponentKey] {
        guard key.isBudgeted else { return [key] }
        var parent = Dictionary(uniqueKeysWithValues: key.classes.map { ($0, $0) })
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node]! != node { node = parent[node]! }
            return node
        }
        for trust in trusts.indices where key.trusts & (1 << UInt64(trust)) != 0 {
            for row in bindingList where row.trust == trust {
                let inKey = row.classes.filter { parent[$0] != nil }
                for other in inKey.dropFirst() { parent[root(other)] = root(inKey[0]) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for equipmentClass in key.classes { groups[root(equipmentClass), default: []].append(equipmentClass) }
        return groups.values.map { classes in
            let trusts = classes.reduce(UInt64(0)) { $0 | trustsOfClass[$1] } & key.trusts
            let part = ComponentKey(classes: classes.sorted(), trusts: trusts, isBudgeted: true)
            return bindingRows(of: part).isEmpty
                ? ComponentKey(classes: part.classes, trusts: trusts, isBudgeted: false) : part
        }.sorted { $0.classes[0] < $1.classes[0] }
    }
}

/// One independent part of a coalition's problem: some classes, the coalition's trusts that buy them, and whether
/// their budgets apply.
struct ComponentKey: Hashable, Sendable {
    /// Class positions, ascending.
    var classes: [Int]
    /// The trusts of the coalition with replacements in these classes.
    var trusts: UInt64
    /// True when some of these trusts have budgets that apply.
    var isBudgeted: Bool
}
