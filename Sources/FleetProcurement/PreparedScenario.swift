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
    /// The price schedule of each offer, by position in `scenario.offers`.
    let schedules: [PriceSchedule]
    /// Offer positions by supplier and class.
    let offerIndex: [OfferKey: Int]
    /// Budgets by trust position, then year, in pounds.
    let budgets: [Int: [Int: Double]]
    /// Trusts that have at least one budget, as a mask.
    let budgetedTrusts: UInt64
    /// The budgets some plan could break, by trust position then year: those below what the trust would pay that
    /// year buying in it every unit whose window holds it, each at its class's dearest list price. Every plan keeps
    /// the others (a price paid is never above its list price), so a model without them has the same plans.
    let bindingBudgets: [Int: [Int: Double]]
    /// The classes of each binding budget's units (those whose window holds its year), by trust then year: the only
    /// classes that budget ties together.
    let bindingBudgetClasses: [Int: [Int: [Int]]]
    /// D(y) for each decision year, by offset from the base year.
    let discountFactors: [Double]
    /// Discounted service after warranty of one unit of each offer, by offer then purchase-year offset.
    let discountedService: [[Double]]

    /// Indexes `scenario`, which must have passed validation.
    /// - Throws: ``InvalidInput`` when the scenario holds more than 64 trusts.
    init(_ scenario: Scenario) throws(InvalidInput) {
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
        offersByClass = classes.map { equipmentClass in
            scenario.offers.indices.filter { scenario.offers[$0].equipmentClass == equipmentClass }
                .sorted { scenario.offers[$0].supplier < scenario.offers[$1].supplier }
        }
        var budgets: [Int: [Int: Double]] = [:]
        var budgetedTrusts: UInt64 = 0
        for budget in scenario.budgets {
            guard let trust = trustPosition[budget.trust] else { continue }
            budgets[trust, default: [:]][budget.year] = budget.capitalBudgetGBP.pounds
            budgetedTrusts |= 1 << UInt64(trust)
        }
        self.budgets = budgets
        self.budgetedTrusts = budgetedTrusts
        let dearest = offersByClass.map { offers in
            offers.map { scenario.offers[$0].unitPriceGBP.pounds }.max() ?? 0
        }
        var bindingBudgets: [Int: [Int: Double]] = [:]
        var bindingBudgetClasses: [Int: [Int: [Int]]] = [:]
        for (trust, byYear) in budgets {
            for (year, budget) in byYear {
                var most = 0.0
                var classesOfRow: Set<Int> = []
                for (index, replacement) in scenario.replacements.enumerated()
                where trustOfReplacement[index] == trust && replacement.window.contains(year) {
                    most += dearest[classOfReplacement[index]]
                    classesOfRow.insert(classOfReplacement[index])
                }
                guard most > budget + 1e-6 * max(1, budget) else { continue }
                bindingBudgets[trust, default: [:]][year] = budget
                bindingBudgetClasses[trust, default: [:]][year] = classesOfRow.sorted()
            }
        }
        self.bindingBudgets = bindingBudgets
        self.bindingBudgetClasses = bindingBudgetClasses
        let settings = scenario.settings
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

    /// The cost in base-year pounds of one unit of `offer` bought in `year` at `discount`: its discounted price
    /// and its discounted service after warranty.
    func unitCost(offer: Int, year: Int, discount: Double) -> Double {
        let offset = year - scenario.settings.baseYear
        return discountFactors[offset] * schedules[offer].offer.unitPriceGBP.pounds * (1 - discount)
            + discountedService[offer][offset]
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

    /// Another offer of the same class that makes `tier` of `offer` in `year` needless, or nil: one whose price paid
    /// and cost per unit in an order of the tier's minimum size are both no higher (one strictly lower, or both
    /// equal and the other offer comes first).
    ///
    /// Needless because moving a whole order of `offer` at that tier to the dominating offer, in the same year,
    /// never raises a unit's cost or price: the moved units pay the other offer's price at a size at least the
    /// tier's minimum, and its own units' order only grows. No trust's capital in any year rises and the cost does
    /// not rise, so with or without budgets some optimal plan uses no dominated tier: repeating such moves ends,
    /// as each lowers total cost plus capital or (at a tie) moves units to an earlier offer.
    func dominatingOffer(of offer: Int, year: Int, tier: PriceTier) -> Int? {
        let own = unitPriceAndCost(offer: offer, year: year, units: tier.minimumUnits)
        let equipmentClass = offerClass[offer]
        // Validation keeps discounts from falling as orders grow, so the rival's price cannot rise with its order.
        for other in offersByClass[equipmentClass] where other != offer {
            let rival = unitPriceAndCost(offer: other, year: year, units: tier.minimumUnits)
            guard rival.price <= own.price, rival.cost <= own.cost else { continue }
            if rival.price < own.price || rival.cost < own.cost || other < offer { return other }
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
                    self.dominatingOffer(
                        of: order.offer,
                        year: order.year,
                        tier: self.schedules[order.offer].tier(forOrderOf: units)
                    ).map { (order, $0) }
                }).min(by: { ($0.0.offer, $0.0.year) < ($1.0.offer, $1.0.year) })
            else { return picks }
            for index in picks.indices where picks[index].offer == order.offer && picks[index].year == order.year {
                picks[index].offer = target
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
    /// The binding budgets (``bindingBudgets``) of `key`'s trusts that involve its classes, by trust and year.
    func bindingRows(of key: ComponentKey) -> [(trust: Int, year: Int, budget: Double)] {
        guard key.isBudgeted else { return [] }
        let classes = Set(key.classes)
        var rows: [(trust: Int, year: Int, budget: Double)] = []
        for trust in trusts.indices where key.trusts & (1 << UInt64(trust)) != 0 {
            for (year, classesOfRow) in (bindingBudgetClasses[trust] ?? [:]).sorted(by: { $0.key < $1.key })
            where classesOfRow.contains(where: classes.contains) {
                rows.append((trust, year, bindingBudgets[trust]![year]!))
            }
        }
        return rows
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
            for classesOfRow in (bindingBudgetClasses[trust] ?? [:]).values {
                let inKey = classesOfRow.filter { parent[$0] != nil }
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
