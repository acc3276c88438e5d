import FleetCore
import MILP

/// The mixed-integer program of one coalition when the scenario has shortfalls to cover or sites to keep running
/// (spec: "Capacity and additional units", "Site continuity"). It is formulated directly, one coalition whole,
/// beside ``PurchaseModel`` (whose groups, pools and components assume every unit is a replacement of one class):
///
/// - x[r,o,y] ∈ {0,1}: replacement r bought from offer o in year y of its window, Σ x = 1; its cost carries the
///   timing penalty and D(y) × its cover.
/// - a[t,o,y] ∈ ℤ≥0: fixed units of a `classes.csv` class (not mobile) added at trust t in year y, in service from
///   y; at most the units that t's largest shortfall of the modality from y on needs.
/// - b[t,o,y] ∈ ℤ≥0: mobile units owned by trust t (any trust of the coalition when budgets apply; without
///   budgets the owner changes nothing, so the first trust short of the modality owns them all).
/// - s[t,m,y] ≥ 0: scans t takes from the coalition's mobile units of m in year y; Σ_t s ≤ Σ b × capacity ×
///   (1 − relocation loss) over the units bought by y (mobile capacity is divisible, so the pool row is exact).
/// - u[t,m,y] ≥ 0: outsourced scans at D(y) × outsourcing price a scan.
/// - cover: Σ capacity × a (bought by y) + s + u ≥ shortfall, for every shortfall row of the coalition.
/// - Every order (offer, year) counts its replacements and additions together: a binary z_j per reachable tier
///   and quantities n[j,t] per trust, min_j·z_j ≤ Σ_t n[j,t] ≤ max_j·z_j, Σ_j z_j ≤ 1, Σ_j n[j,t] = trust t's
///   units of the order; n[j,t] costs the unit cost at tier j (D(y) × price paid + discounted service).
/// - Funding routes (spec: "Funding routes"): a trust with a budget keeps one n[j,t,route] per route its offer has,
///   each at its route's cost at tier j; a trust without one buys every unit by the cheapest route at that tier,
///   as ``PurchaseModel`` does. Replacements and added units choose routes alike.
/// - Budgets: capital scored (IFRS 16) in a decision year, Σ capital(route, tier) × n[j,t,route] ≤ the trust's
///   capital budget; revenue spent in an appraisal year (service, rentals, fees) ≤ its revenue budget.
/// - Site continuity: at a site with site_units ≥ 2 of a modality, Σ over its replacements of that modality of
///   x[·,·,y] ≤ site_units − 1 in each year.
/// A part of a scenario that, without budgets, is planned apart from the rest, as nothing but a budget ties two
/// parts: a modality, with its replacements, added classes, shortfalls and sites (an order is of one class, a
/// shortfall and a site's continuity of one modality); or a class that `classes.csv` gives no modality, whose
/// replacements only their own orders tie.
enum CapacityPart: Hashable, Comparable, Sendable {
    case modality(Modality)
    case unclassified(EquipmentClassName)

    /// The part of `equipmentClass`, given each class's modality (``Scenario/modalityOfClass``).
    init(_ equipmentClass: EquipmentClassName, modalities: [EquipmentClassName: Modality]) {
        self = modalities[equipmentClass].map(CapacityPart.modality) ?? .unclassified(equipmentClass)
    }
}

struct CapacityModel {
    /// How many of a group's members are bought from an offer in a year.
    struct Choice {
        var group: Int
        var offer: Int
        var year: Int
        var variable: Variable
    }

    struct AddedUnits {
        var trust: Int
        var entry: Int
        var offer: Int
        var year: Int
        var variable: Variable
    }

    struct BudgetRow {
        var trust: Int
        var year: Int
        var kind: BudgetKind
        var budget: Double
        var slack: Variable?
    }

    /// A trust's units of one funding route in one tier of an order.
    struct RouteUnits {
        var route: FundingRoute
        var variable: Variable
    }

    let prepared: PreparedScenario
    let mask: UInt64
    /// The part of the scenario modelled; nil for all of it.
    let part: CapacityPart?
    private(set) var model = Model()
    private(set) var choices: [Choice] = []
    /// Replacements that cost the same wherever they go: same trust, class, window, preferred year, penalty
    /// rates, cover and site (in asset order).
    private(set) var groups: [[Int]] = []
    private(set) var added: [AddedUnits] = []
    /// The share and outsourcing variables of each capacity row (by position in `scenario.capacity`).
    private(set) var shares: [Int: Variable] = [:]
    private(set) var outsourced: [Int: Variable] = [:]
    private(set) var budgetRows: [BudgetRow] = []
    /// Capacity rows after the last decision year whose cover is that of their trust's row in the last decision
    /// year (``followingRows(_:positions:)``), each with that row.
    private(set) var heldRows: [Int: Int] = [:]
    /// Each count of added units and the additions it counts.
    private var addedCounts: [(count: Variable, of: [Variable])] = []

    private struct OrderSlot: Hashable {
        var offer: Int
        var year: Int
    }

    /// The terms feeding each order, by trust, with the most units each can bring.
    private var feeds: [OrderSlot: [Int: (terms: [Term], most: Int)]] = [:]
    /// Each order's quantity variables: by bracket (its binary, minimum, maximum and discount) and trust.
    private var orderVariables:
        [OrderSlot: [(chosen: Variable?, minimum: Int, maximum: Int, discount: Double, byTrust: [Int: [RouteUnits]])]] =
            [:]
    /// Capital scored by trust, then decision year; revenue spent by trust, then appraisal year.
    private var budgetTerms: [BudgetKind: [Int: [Int: [Term]]]] = [:]
    /// Whether the model keeps budget rows (and so a variable per route for budgeted trusts).
    let hasBudgetRows: Bool

    private var scenario: Scenario { prepared.scenario }
    private var settings: ScenarioSettings { scenario.settings }

    /// The model of coalition `mask`, of `part` of the scenario only when given; with `budgets`, its trusts' budget
    /// rows (with a slack each and the total slack as the objective when `seekingShortfalls`). A part's model has
    /// the replacements, shortfalls and sites of the part alone, so keeps no budget rows.
    init(
        prepared: PreparedScenario,
        mask: UInt64,
        budgets: Bool,
        seekingShortfalls: Bool = false,
        part: CapacityPart? = nil
    ) {
        precondition(part == nil || !budgets, "budgets tie the parts of a scenario together")
        self.prepared = prepared
        self.mask = mask
        self.part = part
        hasBudgetRows = budgets
        makeReplacements()
        makeCapacityCover(ownersAnyTrust: budgets)
        makeOrders()
        if budgets { makeBudgetRows(seekingShortfalls: seekingShortfalls) }
        if seekingShortfalls {
            model.resetObjective()
            for row in budgetRows { if let slack = row.slack { model.setObjective(1, for: slack) } }
        }
    }

    private func inCoalition(_ trust: Int) -> Bool { mask & (1 << UInt64(trust)) != 0 }

    /// The most units the model's plans can add to each order (offer and year): its additions' bounds summed. A
    /// coalition's are within the whole network's (with budgets, where any trust may own the mobile units), whose
    /// shortfalls and owners include every coalition's.
    var mostAddedUnits: [OrderSlotKey: Int] {
        var most: [OrderSlotKey: Int] = [:]
        for units in added {
            most[OrderSlotKey(offer: units.offer, year: units.year), default: 0] += Int(
                model.variables[units.variable.index].upperBound
            )
        }
        return most
    }

    private var trustPosition: [TrustName: Int] {
        Dictionary(uniqueKeysWithValues: prepared.trusts.enumerated().map { ($1, $0) })
    }

    private mutating func feed(_ slot: OrderSlot, trust: Int, _ term: Term, most: Int) {
        var byTrust = feeds[slot, default: [:]]
        var entry = byTrust[trust] ?? ([], 0)
        entry.terms.append(term)
        entry.most += most
        byTrust[trust] = entry
        feeds[slot] = byTrust
    }

    // MARK: Replacements and site continuity

    private mutating func makeReplacements() {
        let modalities = scenario.modalityOfClass
        var position: [String: Int] = [:]
        var siteOfGroup: [String?] = []
        let ordered = scenario.replacements.indices.sorted {
            scenario.replacements[$0].assetID < scenario.replacements[$1].assetID
        }
        for index in ordered {
            let trust = prepared.trustOfReplacement[index]
            guard inCoalition(trust) else { continue }
            let replacement = scenario.replacements[index]
            if let part, CapacityPart(replacement.equipmentClass, modalities: modalities) != part { continue }
            var site: String?
            if let name = replacement.site, let units = replacement.siteUnits, units >= 2,
                let modality = modalities[replacement.equipmentClass]
            {
                site = "\(trust)\u{0}\(name.rawValue)\u{0}\(modality.rawValue)\u{0}\(units - 1)"
            }
            let key = [
                "\(trust)", replacement.equipmentClass.rawValue, "\(replacement.earliestYear)",
                "\(replacement.latestYear)", "\(replacement.preferredYear)",
                "\(replacement.deferCostGBPPerYear.pounds)",
                "\(replacement.advanceCostGBPPerYear.pounds)", "\(replacement.coverCostGBP.pounds)", site ?? "",
            ].joined(separator: "\u{0}")
            if let existing = position[key] {
                groups[existing].append(index)
            } else {
                position[key] = groups.count
                groups.append([index])
                siteOfGroup.append(site)
            }
        }
        var sites: [String: [Int: [Term]]] = [:]
        for (number, members) in groups.enumerated() {
            let first = members[0]
            let replacement = scenario.replacements[first]
            let trust = prepared.trustOfReplacement[first]
            var all: [Term] = []
            for offer in prepared.offersByClass[prepared.classOfReplacement[first]] {
                for year in replacement.window {
                    let objective =
                        replacement.timingPenalty(inYear: year).pounds
                        + settings.discountFactor(year) * replacement.coverCostGBP.pounds
                    let variable = model.addVariable(
                        name: "x_g\(number)_o\(offer)_y\(year)",
                        upperBound: Double(members.count),
                        isInteger: true,
                        objective: objective
                    )
                    choices.append(Choice(group: number, offer: offer, year: year, variable: variable))
                    all.append(Term(1, variable))
                    feed(OrderSlot(offer: offer, year: year), trust: trust, Term(1, variable), most: members.count)
                    if let site = siteOfGroup[number] {
                        sites[site, default: [:]][year, default: []].append(Term(1, variable))
                    }
                }
            }
            model.addConstraint(all, .equal, Double(members.count), name: "once_g\(number)")
        }
        for (key, byYear) in sites.sorted(by: { $0.key < $1.key }) {
            let limit = Int(key.split(separator: "\u{0}").last!)!
            let units = groups.indices.filter { siteOfGroup[$0] == key }.reduce(0) { $0 + groups[$1].count }
            guard units > limit else { continue }
            for (year, terms) in byYear.sorted(by: { $0.key < $1.key }) {
                model.addConstraint(terms, .lessOrEqual, Double(limit), name: "site_\(key.hashValue)_y\(year)")
            }
        }
    }

    // MARK: Capacity cover

    private mutating func makeCapacityCover(ownersAnyTrust: Bool) {
        let positions = trustPosition
        let rows = scenario.capacity.indices.filter {
            (positions[scenario.capacity[$0].trust].map(inCoalition) ?? false)
                && (part == nil || part == .modality(scenario.capacity[$0].modality))
        }
        guard !rows.isEmpty else { return }
        let price = settings.outsourcingGBPPerScan?.pounds ?? 0
        let loss = settings.mobileRelocationLoss
        // Units are bought in decision years and serve to the end of the appraisal, as their costs run.
        let years = settings.decisionYears
        // The largest shortfall from each year on, by trust and modality, and of the coalition.
        var later: [String: Double] = [:]
        var laterAll: [String: Double] = [:]
        for row in rows {
            let shortfall = scenario.capacity[row]
            let trust = positions[shortfall.trust]!
            for year in years where year <= shortfall.year {
                let key = "\(trust)\u{0}\(shortfall.modality)\u{0}\(year)"
                later[key] = max(later[key] ?? 0, shortfall.shortfallScans)
            }
        }
        var totals: [String: Double] = [:]
        for row in rows {
            let shortfall = scenario.capacity[row]
            totals["\(shortfall.modality)\u{0}\(shortfall.year)", default: 0] += shortfall.shortfallScans
        }
        for (key, total) in totals {
            let parts = key.split(separator: "\u{0}")
            let last = Int(parts[1])!
            for year in years where year <= last {
                let laterKey = "\(parts[0])\u{0}\(year)"
                laterAll[laterKey] = max(laterAll[laterKey] ?? 0, total)
            }
        }
        let modalities = Set(rows.map { scenario.capacity[$0].modality })
        var fixedTerms: [String: [Term]] = [:]  // trust, modality, year → capacity × a over units bought by then
        var mobileTerms: [String: [Term]] = [:]  // modality, year → capacity × (1 − loss) × b
        // Trust (or "mobile"), modality, decision year → the units added by then, each with its bound.
        var unitCounts: [String: [(term: Term, bound: Int)]] = [:]
        for (entryIndex, entry) in scenario.classes.enumerated() where modalities.contains(entry.modality) {
            let offers = scenario.offers.indices.filter { scenario.offers[$0].equipmentClass == entry.equipmentClass }
            if entry.isMobile {
                let owners =
                    ownersAnyTrust
                    ? prepared.trusts.indices.filter(inCoalition)
                    : [
                        rows.filter { scenario.capacity[$0].modality == entry.modality }
                            .map { positions[scenario.capacity[$0].trust]! }.min()!
                    ]
                let capacity = entry.capacityScansPerYear * (1 - loss)
                for owner in owners {
                    for offer in offers {
                        for year in years {
                            guard let most = laterAll["\(entry.modality)\u{0}\(year)"], most > 0 else { continue }
                            let bound = Int((most / capacity - 1e-9).rounded(.up))
                            let variable = model.addVariable(
                                name: "b_r\(owner)_o\(offer)_y\(year)",
                                upperBound: Double(bound),
                                isInteger: true
                            )
                            added.append(
                                AddedUnits(
                                    trust: owner,
                                    entry: entryIndex,
                                    offer: offer,
                                    year: year,
                                    variable: variable
                                )
                            )
                            feed(OrderSlot(offer: offer, year: year), trust: owner, Term(1, variable), most: bound)
                            for served in settings.appraisalYearRange where served >= year {
                                mobileTerms["\(entry.modality)\u{0}\(served)", default: []].append(
                                    Term(capacity, variable)
                                )
                            }
                            for served in years where served >= year {
                                unitCounts["mobile\u{0}\(entry.modality)\u{0}\(served)", default: []].append(
                                    (Term(1, variable), bound)
                                )
                            }
                        }
                    }
                }
            } else {
                let trusts = Set(
                    rows.filter { scenario.capacity[$0].modality == entry.modality }
                        .map { positions[scenario.capacity[$0].trust]! }
                ).sorted()
                for trust in trusts {
                    for offer in offers {
                        for year in years {
                            guard let most = later["\(trust)\u{0}\(entry.modality)\u{0}\(year)"], most > 0 else {
                                continue
                            }
                            let bound = Int((most / entry.capacityScansPerYear - 1e-9).rounded(.up))
                            let variable = model.addVariable(
                                name: "a_r\(trust)_o\(offer)_y\(year)",
                                upperBound: Double(bound),
                                isInteger: true
                            )
                            added.append(
                                AddedUnits(
                                    trust: trust,
                                    entry: entryIndex,
                                    offer: offer,
                                    year: year,
                                    variable: variable
                                )
                            )
                            feed(OrderSlot(offer: offer, year: year), trust: trust, Term(1, variable), most: bound)
                            for served in settings.appraisalYearRange where served >= year {
                                fixedTerms["\(trust)\u{0}\(entry.modality)\u{0}\(served)", default: []].append(
                                    Term(entry.capacityScansPerYear, variable)
                                )
                            }
                            for served in years where served >= year {
                                unitCounts["\(trust)\u{0}\(entry.modality)\u{0}\(served)", default: []].append(
                                    (Term(1, variable), bound)
                                )
                            }
                        }
                    }
                }
            }
        }
        // Each count of units added by a year is an integer the search branches on first, with the tiers: a
        // trust's added units are spread over classes, suppliers, years and routes, and branching on each of those
        // alone leaves a fraction of a unit in the relaxation through many nodes.
        for (key, terms) in unitCounts.sorted(by: { $0.key < $1.key }) where terms.count > 1 {
            let count = model.addVariable(
                name: "count_\(key.replacingOccurrences(of: "\u{0}", with: "_"))",
                upperBound: Double(terms.reduce(0) { $0 + $1.bound }),
                isInteger: true,
                branchingPriority: 1
            )
            model.addConstraint(terms.map(\.term) + [Term(-1, count)], .equal, 0, name: "count_\(key.hashValue)")
            addedCounts.append((count, terms.map(\.term.variable)))
        }
        let (followers, weights) = followingRows(rows, positions: positions)
        heldRows = followers
        var pooled: [String: [Term]] = [:]
        for row in rows where followers[row] == nil {
            let shortfall = scenario.capacity[row]
            let trust = positions[shortfall.trust]!
            let need = shortfall.shortfallScans
            guard need > 0 else { continue }
            let share = model.addVariable(name: "s_\(row)", upperBound: need)
            let bought = model.addVariable(
                name: "u_\(row)",
                upperBound: need,
                objective: weights[row, default: settings.discountFactor(shortfall.year)] * price
            )
            shares[row] = share
            outsourced[row] = bought
            let fixed = fixedTerms["\(trust)\u{0}\(shortfall.modality)\u{0}\(shortfall.year)"] ?? []
            model.addConstraint(fixed + [Term(1, share), Term(1, bought)], .greaterOrEqual, need, name: "cover_\(row)")
            addRoundedCover(fixed, share: share, outsourced: bought, need: need, row: row)
            pooled["\(shortfall.modality)\u{0}\(shortfall.year)", default: []].append(Term(-1, share))
        }
        for (key, terms) in pooled.sorted(by: { $0.key < $1.key }) {
            model.addConstraint(terms + (mobileTerms[key] ?? []), .greaterOrEqual, 0, name: "mobile_\(key.hashValue)")
        }
    }

    /// The rows after the last decision year that repeat it: where, for a modality, every trust of the coalition
    /// has the same shortfall in a later year as in the last decision year, that year's cover is the same problem
    /// (no unit is bought after the last decision year, so capacity no longer changes) at another discount factor,
    /// and its best cover is the last decision year's. Such a row follows its trust's row of the last decision
    /// year, which carries the sum of their discount factors; the plan gives it the same shares and outsourcing.
    /// (The derived scenario holds every shortfall after the horizon, so its later years all follow: the demo
    /// network's cover rows fall from 69 to 39.)
    /// - Returns: each following row's leading row, and each leading row's weight (Σ D(y) over it and its rows).
    private func followingRows(
        _ rows: [Int],
        positions: [TrustName: Int]
    ) -> (
        followers: [Int: Int], weights: [Int: Double]
    ) {
        let last = settings.decisionYears.upperBound
        var needs: [String: [Int: [Int: Double]]] = [:]  // modality → year → trust → shortfall
        var rowOf: [String: Int] = [:]  // trust, modality, year → row
        for row in rows {
            let shortfall = scenario.capacity[row]
            let trust = positions[shortfall.trust]!
            needs[shortfall.modality.rawValue, default: [:]][shortfall.year, default: [:]][trust] =
                shortfall.shortfallScans
            rowOf["\(trust)\u{0}\(shortfall.modality)\u{0}\(shortfall.year)"] = row
        }
        var followers: [Int: Int] = [:]
        var weights: [Int: Double] = [:]
        for row in rows {
            let shortfall = scenario.capacity[row]
            guard shortfall.year > last, let byYear = needs[shortfall.modality.rawValue], let lastNeeds = byYear[last],
                byYear[shortfall.year] == lastNeeds,
                let leader = rowOf["\(positions[shortfall.trust]!)\u{0}\(shortfall.modality)\u{0}\(last)"]
            else { continue }
            followers[row] = leader
            weights[leader, default: settings.discountFactor(last)] += settings.discountFactor(shortfall.year)
        }
        return (followers, weights)
    }

    /// The cover row rounded (a mixed-integer rounding of `fixed` + share + outsourced ≥ need): with C the largest
    /// capacity of an added fixed unit, the row implies Σ a + (share + outsourced) ÷ C ≥ need ÷ C = b, whatever mix
    /// of classes is added, and so f × Σ a + (share + outsourced) ÷ C ≥ f × ⌈b⌉ with f = b − ⌊b⌋: scans not
    /// covered by whole units are shared or outsourced, not covered by a fraction of a unit. Every plan keeps it;
    /// the relaxation of the row alone does not, and under budgets a fraction of a unit costs far less than the
    /// outsourcing its integer plans pay, and branch and bound closed that gap slowly (one demo trust alone with its
    /// budgets, cuts at the root only: 29.8 and 31.4 s without these rows, 21.1 and 16.6 s with them, paired runs).
    private mutating func addRoundedCover(
        _ fixed: [Term],
        share: Variable,
        outsourced: Variable,
        need: Double,
        row: Int
    ) {
        guard let largest = fixed.map(\.coefficient).max(), largest > 0 else { return }
        let units = need / largest
        let fraction = units - units.rounded(.down)
        guard fraction > 1e-6, fraction < 1 - 1e-6 else { return }
        let weight = fraction * largest
        model.addConstraint(
            fixed.map { Term(weight, $0.variable) } + [Term(1, share), Term(1, outsourced)],
            .greaterOrEqual,
            weight * units.rounded(.up),
            name: "cover_rounded_\(row)"
        )
    }

    // MARK: Orders and budgets

    private mutating func makeOrders() {
        for (slot, byTrust) in feeds.sorted(by: { ($0.key.offer, $0.key.year) < ($1.key.offer, $1.key.year) }) {
            let schedule = prepared.schedules[slot.offer]
            let price = schedule.offer.unitPriceGBP.pounds
            let trusts = byTrust.keys.sorted()
            let most = byTrust.values.reduce(0) { $0 + $1.most }
            // A tier another offer of the class dominates has no variables (as in ``PurchaseModel``): moving such an
            // order whole to that offer, replacements and added units alike (the same class, so the same capacity),
            // never raises a cost, a trust's capital or its revenue spent. When every tier goes, the order rows
            // below hold the order's units at none.
            let reachable = schedule.brackets.filter {
                $0.tier.minimumUnits <= most
                    && prepared.dominatingOffer(of: slot.offer, year: slot.year, tier: $0.tier) == nil
            }
            var quantities: [Int: [Term]] = [:]
            if reachable.isEmpty {
                orderVariables[slot] = []
            } else if reachable.count == 1, reachable[0].tier.minimumUnits == 1,
                (reachable[0].maximumUnits ?? most) >= most
            {
                let discount = reachable[0].tier.discount
                var byTrustVariables: [Int: [RouteUnits]] = [:]
                for trust in trusts {
                    let units = makeQuantities(
                        slot,
                        label: "n_o\(slot.offer)_y\(slot.year)_r\(trust)",
                        trust: trust,
                        discount: discount,
                        upperBound: Double(byTrust[trust]!.most)
                    )
                    byTrustVariables[trust] = units
                    quantities[trust, default: []] += units.map { Term(-1, $0.variable) }
                }
                orderVariables[slot] = [(nil, 1, most, discount, byTrustVariables)]
            } else {
                var chosen: [Term] = []
                for (number, bracket) in reachable.enumerated() {
                    let maximum = min(bracket.maximumUnits ?? most, most)
                    let binary = model.addBinary(
                        name: "z_o\(slot.offer)_y\(slot.year)_t\(number)",
                        branchingPriority: 1
                    )
                    chosen.append(Term(1, binary))
                    var total: [Term] = []
                    var byTrustVariables: [Int: [RouteUnits]] = [:]
                    for trust in trusts {
                        let units = makeQuantities(
                            slot,
                            label: "n_o\(slot.offer)_y\(slot.year)_t\(number)_r\(trust)",
                            trust: trust,
                            discount: bracket.tier.discount,
                            upperBound: Double(min(maximum, byTrust[trust]!.most))
                        )
                        total += units.map { Term(1, $0.variable) }
                        byTrustVariables[trust] = units
                        quantities[trust, default: []] += units.map { Term(-1, $0.variable) }
                    }
                    orderVariables[slot, default: []].append(
                        (binary, bracket.tier.minimumUnits, maximum, bracket.tier.discount, byTrustVariables)
                    )
                    model.addConstraint(
                        total + [Term(-Double(bracket.tier.minimumUnits), binary)],
                        .greaterOrEqual,
                        0,
                        name: "tier_min_o\(slot.offer)_y\(slot.year)_t\(number)"
                    )
                    model.addConstraint(
                        total + [Term(-Double(maximum), binary)],
                        .lessOrEqual,
                        0,
                        name: "tier_max_o\(slot.offer)_y\(slot.year)_t\(number)"
                    )
                }
                if chosen.count > 1 {
                    model.addConstraint(chosen, .lessOrEqual, 1, name: "one_tier_o\(slot.offer)_y\(slot.year)")
                }
            }
            for trust in trusts {
                model.addConstraint(
                    byTrust[trust]!.terms + quantities[trust, default: []],
                    .equal,
                    0,
                    name: "order_o\(slot.offer)_y\(slot.year)_r\(trust)"
                )
            }
        }
    }

    /// The quantity variables of `trust` in one tier of an order at `discount`: one per route of the offer when the
    /// trust has a budget the model keeps, else one for the cheapest route at that discount; each feeds the
    /// trust's capital and revenue terms.
    private mutating func makeQuantities(
        _ slot: OrderSlot,
        label: String,
        trust: Int,
        discount: Double,
        upperBound: Double
    ) -> [RouteUnits] {
        let budgeted = hasBudgetRows && prepared.budgetedTrusts & (1 << UInt64(trust)) != 0
        let routes =
            budgeted
            ? prepared.undominatedRoutes(offer: slot.offer, year: slot.year, discount: discount)
            : [
                prepared.economics(
                    slot.offer,
                    prepared.bestRoute(offer: slot.offer, year: slot.year, discount: discount)
                )
            ]
        var units: [RouteUnits] = []
        for economics in routes {
            let variable = model.addVariable(
                name: label + economics.route.suffix,
                upperBound: upperBound,
                isInteger: true,
                objective: prepared.unitCost(
                    offer: slot.offer,
                    route: economics.route,
                    year: slot.year,
                    discount: discount
                )
            )
            units.append(RouteUnits(route: economics.route, variable: variable))
            let capital = economics.capital(discount: discount)
            if capital != 0 {
                budgetTerms[.capital, default: [:]][trust, default: [:]][slot.year, default: []].append(
                    Term(capital, variable)
                )
            }
            guard prepared.revenueBudgets[trust] != nil else { continue }
            for year in settings.appraisalYearRange where year >= slot.year {
                let spend = economics.revenue(purchaseYear: slot.year, discount: discount, in: year)
                if spend != 0 {
                    budgetTerms[.revenue, default: [:]][trust, default: [:]][year, default: []].append(
                        Term(spend, variable)
                    )
                }
            }
        }
        return units
    }

    private mutating func makeBudgetRows(seekingShortfalls: Bool) {
        for kind in BudgetKind.allCases {
            let budgets = kind == .capital ? prepared.budgets : prepared.revenueBudgets
            for (trust, byYear) in budgets.sorted(by: { $0.key < $1.key }) where inCoalition(trust) {
                for (year, budget) in byYear.sorted(by: { $0.key < $1.key }) {
                    guard var terms = budgetTerms[kind]?[trust]?[year], !terms.isEmpty else { continue }
                    var slack: Variable?
                    if seekingShortfalls {
                        let variable = model.addVariable(name: "\(kind.rawValue)_shortfall_r\(trust)_y\(year)")
                        terms.append(Term(-1, variable))
                        slack = variable
                    }
                    model.addConstraint(terms, .lessOrEqual, budget, name: "\(kind.rawValue)_r\(trust)_y\(year)")
                    budgetRows.append(BudgetRow(trust: trust, year: year, kind: kind, budget: budget, slack: slack))
                }
            }
        }
    }

    // MARK: A starting plan

    /// The model's values for buying each replacement as `picks` say, adding nothing and outsourcing every
    /// shortfall; nil when that breaks a row (a budget, a site's continuity) or misses a replacement.
    func values(for picks: [Pick]) -> [Double]? {
        // Dominated tiers have no variables; the same plan with them moved costs no more and meets the same budgets.
        let picks = prepared.withoutDominatedTiers(picks)
        var values = [Double](repeating: 0, count: model.variables.count)
        var position: [String: Variable] = [:]
        for choice in choices { position["\(choice.group)_\(choice.offer)_\(choice.year)"] = choice.variable }
        var groupOf: [Int: Int] = [:]
        for (number, members) in groups.enumerated() { for member in members { groupOf[member] = number } }
        var counts: [OrderSlot: [Int: [FundingRoute: Int]]] = [:]
        for pick in picks {
            guard let group = groupOf[pick.replacement], let variable = position["\(group)_\(pick.offer)_\(pick.year)"]
            else { return nil }
            values[variable.index] += 1
            counts[OrderSlot(offer: pick.offer, year: pick.year), default: [:]][
                prepared.trustOfReplacement[pick.replacement],
                default: [:]
            ][pick.route, default: 0] += 1
        }
        guard setOrders(counts, in: &values) else { return nil }
        for (row, variable) in outsourced { values[variable.index] = scenario.capacity[row].shortfallScans }
        for (count, added) in addedCounts { values[count.index] = added.reduce(0) { $0 + values[$1.index] } }
        return model.violation(of: values) == nil ? values : nil
    }

    /// Sets each order's tier and its quantities by trust and route from `counts` (units by order, trust and route);
    /// false when an order's size fits no tier or a count has no variable. A trust without budget rows has one
    /// variable per tier, its cheapest route, which takes its units whatever route they came with.
    private func setOrders(_ counts: [OrderSlot: [Int: [FundingRoute: Int]]], in values: inout [Double]) -> Bool {
        for (slot, byTrust) in counts {
            let total = byTrust.values.reduce(0) { $0 + $1.values.reduce(0, +) }
            guard let brackets = orderVariables[slot],
                let bracket = brackets.last(where: { $0.minimum <= total && total <= $0.maximum })
            else { return false }
            if let chosen = bracket.chosen { values[chosen.index] = 1 }
            let keptRoutes = prepared.keptRoutes(offer: slot.offer, year: slot.year, discount: bracket.discount)
            for (trust, byRoute) in byTrust {
                guard let units = bracket.byTrust[trust] else { return false }
                for (route, count) in byRoute {
                    // A trust without budget rows has one variable, its cheapest route at the tier: a unit paid
                    // another way (moved off a dominated tier) takes it, costing no more. A budgeted trust's unit
                    // under a dominated route, which has no variable, takes the route that dominates it.
                    let kept = keptRoutes[route] ?? route
                    guard let unit = units.first(where: { $0.route == kept }) ?? (units.count == 1 ? units[0] : nil)
                    else { return false }
                    values[unit.variable.index] += Double(count)
                }
            }
        }
        return true
    }

    /// The model's values for `plan`, a plan of some of the coalition's trusts (smaller coalitions' plans merged):
    /// its replacements, added units, mobile shares and outsourcing as they stand, each order at the tier its merged
    /// size earns; nil when that breaks a row or names what the model lacks. Merging only enlarges orders, and
    /// discounts never fall as orders grow, so plans that meet their trusts' budgets apart meet them together.
    func values(for plan: Plan) -> [Double]? {
        var values = [Double](repeating: 0, count: model.variables.count)
        let positions = trustPosition
        let indexOfAsset = Dictionary(
            uniqueKeysWithValues: scenario.replacements.enumerated().map { ($1.assetID, $0) }
        )
        var groupOf: [Int: Int] = [:]
        for (number, members) in groups.enumerated() { for member in members { groupOf[member] = number } }
        var choiceOf: [String: Variable] = [:]
        for choice in choices { choiceOf["\(choice.group)_\(choice.offer)_\(choice.year)"] = choice.variable }
        var counts: [OrderSlot: [Int: [FundingRoute: Int]]] = [:]
        let additions = Dictionary(plan.additions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Each assignment's offer and route once orders at dominated tiers (which have no variables) have moved whole
        // to the offers that dominate them: a plan that costs no more and meets the same budgets.
        var offered: [Pick] = []
        for (number, assignment) in plan.assignments.enumerated() {
            guard let offer = prepared.offerIndex[OfferKey(assignment.supplier, assignment.equipmentClass)] else {
                return nil
            }
            offered.append(Pick(replacement: number, offer: offer, year: assignment.year, route: assignment.route))
        }
        offered = prepared.withoutDominatedTiers(offered)
        for (assignment, moved) in zip(plan.assignments, offered) {
            let offer = moved.offer
            guard var trust = positions[assignment.trust] else { return nil }
            if let addition = additions[assignment.assetID] {
                let matching = added.filter {
                    scenario.classes[$0.entry].equipmentClass == addition.equipmentClass && $0.offer == offer
                        && $0.year == addition.year
                }
                // Without budgets a mobile unit has one owner in the model, whoever bought it apart.
                guard
                    let unit = matching.first(where: { $0.trust == trust })
                        ?? (addition.isMobile && !hasBudgetRows ? matching.first : nil)
                else { return nil }
                trust = unit.trust
                values[unit.variable.index] += 1
            } else {
                guard let replacement = indexOfAsset[assignment.assetID], let group = groupOf[replacement],
                    let variable = choiceOf["\(group)_\(offer)_\(assignment.year)"]
                else { return nil }
                values[variable.index] += 1
            }
            counts[OrderSlot(offer: offer, year: assignment.year), default: [:]][trust, default: [:]][
                moved.route,
                default: 0
            ] += 1
        }
        guard setOrders(counts, in: &values) else { return nil }
        // Cover: the plan's shares (a shade less, so that the rounding of printed scans cannot overdraw the pool),
        // the fixed units added by each year, and outsourcing for the rest.
        var fixed: [String: Double] = [:]
        for addition in plan.additions where !addition.isMobile {
            for year in settings.appraisalYearRange where year >= addition.year {
                fixed["\(addition.trust)\u{0}\(addition.modality)\u{0}\(year)", default: 0] +=
                    addition.capacityScansPerYear
            }
        }
        var taken: [String: Double] = [:]
        for share in plan.mobileShares { taken["\(share.trust)\u{0}\(share.modality)\u{0}\(share.year)"] = share.scans }
        for (row, variable) in shares {
            let shortfall = scenario.capacity[row]
            let key = "\(shortfall.trust)\u{0}\(shortfall.modality)\u{0}\(shortfall.year)"
            let share = max(0, min(shortfall.shortfallScans, (taken[key] ?? 0) - 0.001))
            values[variable.index] = share
            if let bought = outsourced[row] {
                values[bought.index] = max(0, shortfall.shortfallScans - share - (fixed[key] ?? 0))
            }
        }
        for (count, added) in addedCounts { values[count.index] = added.reduce(0) { $0 + values[$1.index] } }
        return model.violation(of: values) == nil ? values : nil
    }

    // MARK: Reading a solution

    /// What `solution` buys and how it covers the shortfalls, before pricing (``CapacityPricing`` prices it).
    func purchases(from solution: Solution) -> CapacityPricing.Purchases {
        // The routes the solution gives each trust's units of each order, handed to its units in turn (units of
        // one trust in one order differ only in their timing penalties, which no route changes).
        var routesLeft: [OrderSlot: [Int: [FundingRoute]]] = [:]
        for (slot, brackets) in orderVariables {
            for bracket in brackets {
                for (trust, units) in bracket.byTrust {
                    for unit in units {
                        let count = solution.integerValue(of: unit.variable)
                        guard count > 0 else { continue }
                        routesLeft[slot, default: [:]][trust, default: []] += repeatElement(unit.route, count: count)
                    }
                }
            }
        }
        func nextRoute(_ slot: OrderSlot, trust: Int) -> FundingRoute {
            guard let route = routesLeft[slot]?[trust]?.first else { return .purchase }
            routesLeft[slot]![trust]!.removeFirst()
            return route
        }
        var picks: [Pick] = []
        var rest = groups.map { $0[...] }
        for choice in choices {
            let count = solution.integerValue(of: choice.variable)
            guard count > 0 else { continue }
            for member in rest[choice.group].prefix(count) {
                let slot = OrderSlot(offer: choice.offer, year: choice.year)
                let route = nextRoute(slot, trust: prepared.trustOfReplacement[member])
                picks.append(Pick(replacement: member, offer: choice.offer, year: choice.year, route: route))
            }
            rest[choice.group] = rest[choice.group].dropFirst(count)
        }
        var units: [CapacityPricing.AddedUnits] = []
        for unit in added {
            let count = solution.integerValue(of: unit.variable)
            for _ in 0..<count {
                let route = nextRoute(OrderSlot(offer: unit.offer, year: unit.year), trust: unit.trust)
                units.append(
                    CapacityPricing.AddedUnits(
                        trust: unit.trust,
                        entry: unit.entry,
                        offer: unit.offer,
                        year: unit.year,
                        route: route
                    )
                )
            }
        }
        var taken: [Int: Double] = [:]
        var bought: [Int: Double] = [:]
        for (row, variable) in shares { taken[row] = solution[variable] }
        for (row, variable) in outsourced { bought[row] = solution[variable] }
        for (row, leader) in heldRows {
            taken[row] = taken[leader]
            bought[row] = bought[leader]
        }
        return CapacityPricing.Purchases(picks: picks, additions: units, shares: taken, outsourced: bought)
    }

    /// The least overruns of `solution` (a model built `seekingShortfalls`), by trust and year.
    func shortfalls(in solution: Solution) -> [BudgetShortfall] {
        budgetRows.compactMap { row in
            guard let slack = row.slack, solution[slack] > 0.005 else { return nil }
            return BudgetShortfall(
                trust: prepared.trusts[row.trust],
                year: row.year,
                budgetGBP: GBP(row.budget),
                shortfallGBP: GBP(solution[slack]),
                kind: row.kind
            )
        }
    }
}
