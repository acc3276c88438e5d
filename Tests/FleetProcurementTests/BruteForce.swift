import FleetCore
import FleetProcurement
import Foundation

/// Knuth's MMIX linear congruential generator: test scenarios that are the same on every machine.
struct TestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x632B_E59B_D9B4_E019 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func double(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() % 1_000_001) / 1_000_000 * (range.upperBound - range.lowerBound)
    }
    mutating func chance(_ p: Double) -> Bool { double(0...1) < p }
}

/// Small random scenarios for exhaustive checks: 2–3 trusts, 3–6 replacements (or `replacementCount`), 1–2 classes,
/// 2 suppliers, 2–3 years, up to three tiers per offer, and (optionally) budgets from loose to impossible; windows
/// are narrowed so that the joint plan has at most `optionCap` assignments to try.
func smallScenario(
    seed: UInt64,
    budgets: Bool,
    replacementCount: ClosedRange<Int> = 3...6,
    optionCap: Int = 20_000,
    supplierCount: Int = 2,
    trustCount: ClosedRange<Int> = 2...3
) -> Scenario {
    var random = TestRandom(seed: seed)
    let horizon = random.int(2...3)
    let settings = ScenarioSettings(baseYear: 2026, horizonYears: horizon, appraisalYears: horizon + random.int(0...3))
    let years = settings.decisionYears
    let classes = (1...random.int(1...2)).map { EquipmentClassName("K\($0)") }
    let suppliers = (1...supplierCount).map { SupplierName("S\($0)") }
    var offers: [Offer] = []
    var tiers: [Tier] = []
    for equipmentClass in classes {
        for (index, supplier) in suppliers.enumerated() where index == 0 || random.chance(0.8) {
            offers.append(
                Offer(
                    supplier: supplier,
                    equipmentClass: equipmentClass,
                    unitPriceGBP: GBP(Double(random.int(80...120)) * 1000),
                    annualServiceGBP: GBP(Double(random.int(5...15)) * 1000),
                    warrantyYears: random.int(0...2)
                )
            )
            var minimum = 1
            var discount = 0.0
            for _ in 0..<random.int(0...3) {
                minimum += random.int(1...2)
                discount += random.double(0.02...0.06)
                tiers.append(
                    Tier(
                        supplier: supplier,
                        equipmentClass: equipmentClass,
                        minimumUnits: minimum,
                        discount: (discount * 1000).rounded() / 1000
                    )
                )
            }
        }
    }
    let trusts = (1...random.int(trustCount)).map { TrustName("T\($0)") }
    var replacements: [Replacement] = []
    var optionCount = 1
    for number in 1...random.int(replacementCount) {
        let equipmentClass = classes[random.int(0...(classes.count - 1))]
        var earliest = random.int(years)
        var latest = random.int(earliest...years.upperBound)
        let suppliersOfClass = offers.filter { $0.equipmentClass == equipmentClass }.count
        // Keep the enumeration small: at most `optionCap` assignments for the joint plan.
        while optionCount * suppliersOfClass * (latest - earliest + 1) > optionCap, latest > earliest { latest -= 1 }
        if optionCount * suppliersOfClass > optionCap { earliest = latest }
        optionCount *= suppliersOfClass * (latest - earliest + 1)
        replacements.append(
            Replacement(
                assetID: AssetID("A\(number)"),
                trust: trusts[random.int(0...(trusts.count - 1))],
                equipmentClass: equipmentClass,
                preferredYear: random.int(earliest...latest),
                earliestYear: earliest,
                latestYear: latest,
                deferCostGBPPerYear: GBP(Double(random.int(0...20)) * 1000),
                advanceCostGBPPerYear: GBP(Double(random.int(0...20)) * 1000)
            )
        )
    }
    var budgetList: [Budget] = []
    if budgets {
        for trust in Set(replacements.map(\.trust)).sorted() where random.chance(0.8) {
            for year in years where random.chance(0.7) {
                // From impossible (nothing) through binding to loose: 0 to 3 list prices.
                budgetList.append(
                    Budget(trust: trust, year: year, capitalBudgetGBP: GBP(Double(random.int(0...30)) * 10_000))
                )
            }
        }
    }
    return Scenario(settings: settings, replacements: replacements, offers: offers, tiers: tiers, budgets: budgetList)
}

/// A small scenario with three suppliers whose budgets bind: each trust's budget in a year is 80–110 % of what its
/// units preferred in that year cost at the dearest list price (a year without any gets 0–1 such unit's price), so
/// the cheapest plans must shift units between years, pick suppliers for their capital, or cannot meet them.
func bindingBudgetScenario(seed: UInt64, trustCount: ClosedRange<Int> = 2...3) -> Scenario {
    var scenario = smallScenario(
        seed: seed,
        budgets: false,
        replacementCount: 4...7,
        optionCap: 40_000,
        supplierCount: 3,
        trustCount: trustCount
    )
    var random = TestRandom(seed: seed ^ 0xB0D6_E7)
    let dearest = Dictionary(
        scenario.offers.map { ($0.equipmentClass, $0.unitPriceGBP.pounds) },
        uniquingKeysWith: max
    )
    for trust in Set(scenario.replacements.map(\.trust)).sorted() where random.chance(0.9) {
        let own = scenario.replacements.filter { $0.trust == trust }
        for year in scenario.settings.decisionYears {
            let preferred = own.filter { $0.preferredYear == year }.reduce(0) { $0 + dearest[$1.equipmentClass]! }
            let amount =
                preferred > 0
                ? preferred * random.double(0.8...1.1) : Double(random.int(0...1)) * (dearest.values.max() ?? 0)
            scenario.budgets.append(
                Budget(trust: trust, year: year, capitalBudgetGBP: GBP((amount / 1000).rounded() * 1000))
            )
        }
    }
    return scenario
}

/// A small scenario whose budgets are of three kinds, drawn per trust and year: ones no plan can break (above every
/// unit that may be bought that year at the dearest list price), ones that bind (70–110 % of the dearest list price
/// of the units preferred that year), and ones short of what the units that must be bought that year cost at the
/// cheapest list price, which no coalition can meet. Two classes where the draw gives them, so that budgets tie some
/// classes together and leave others apart.
func mixedBudgetScenario(seed: UInt64) -> Scenario {
    var scenario = smallScenario(
        seed: seed,
        budgets: false,
        replacementCount: 4...7,
        optionCap: 30_000,
        supplierCount: 2 + Int(seed % 2)
    )
    var random = TestRandom(seed: seed ^ 0x5EED_F1)
    let prices = Dictionary(grouping: scenario.offers, by: \.equipmentClass).mapValues { $0.map(\.unitPriceGBP.pounds) }
    for trust in Set(scenario.replacements.map(\.trust)).sorted() where random.chance(0.9) {
        let own = scenario.replacements.filter { $0.trust == trust }
        for year in scenario.settings.decisionYears where random.chance(0.8) {
            let dearest = { (units: [Replacement]) in units.reduce(0) { $0 + prices[$1.equipmentClass]!.max()! } }
            let amount: Double
            switch random.int(0...3) {
            case 0: amount = dearest(own.filter { $0.window.contains(year) }) + Double(random.int(0...50)) * 1000
            case 1, 2: amount = dearest(own.filter { $0.preferredYear == year }) * random.double(0.7...1.1)
            default:
                let forced = own.filter { $0.window == year...year }
                amount = forced.reduce(0) { $0 + prices[$1.equipmentClass]!.min()! } * random.double(0.5...0.95)
            }
            scenario.budgets.append(
                Budget(trust: trust, year: year, capitalBudgetGBP: GBP((amount / 1000).rounded() * 1000))
            )
        }
    }
    return scenario
}

/// A small scenario with funding routes: offers that may also be leased or taken as a managed service (rentals and
/// fees drawn around what buying costs a year, terms that end inside or beyond the appraisal), tiers that count
/// every route's units, a lease discount rate of its own or none, and budgets of capital (decision years) and of
/// revenue (any appraisal year), either left empty in a row, drawn from loose to impossible.
func routeScenario(
    seed: UInt64,
    replacementCount: ClosedRange<Int> = 2...4,
    optionCap: Int = 30_000,
    trustCount: ClosedRange<Int> = 2...3
) -> Scenario {
    var scenario = smallScenario(
        seed: seed,
        budgets: false,
        replacementCount: replacementCount,
        optionCap: optionCap / 9,
        supplierCount: 2,
        trustCount: trustCount
    )
    var random = TestRandom(seed: seed ^ 0x20_07E5)
    if random.chance(0.5) {
        let settings = scenario.settings
        scenario.settings = ScenarioSettings(
            baseYear: settings.baseYear,
            horizonYears: settings.horizonYears,
            appraisalYears: settings.appraisalYears,
            discountRate: settings.discountRate,
            leaseDiscountRate: Double(random.int(0...60)) / 1000
        )
    }
    for index in scenario.offers.indices {
        let price = scenario.offers[index].unitPriceGBP.pounds
        if random.chance(0.7) {
            scenario.offers[index].lease = LeaseTerms(
                annualRentalGBP: GBP((price * random.double(0.15...0.35) / 100).rounded() * 100),
                years: random.int(1...6)
            )
        }
        if random.chance(0.6) {
            scenario.offers[index].managedService = ManagedServiceTerms(
                annualFeeGBP: GBP((price * random.double(0.15...0.4) / 100).rounded() * 100),
                years: random.int(2...8),
                equipmentShare: Double(random.int(0...10)) / 10
            )
        }
    }
    let prices = Dictionary(grouping: scenario.offers, by: \.equipmentClass).mapValues { $0.map(\.unitPriceGBP.pounds) }
    let settings = scenario.settings
    for trust in Set(scenario.replacements.map(\.trust)).sorted() where random.chance(0.85) {
        let own = scenario.replacements.filter { $0.trust == trust }
        for year in settings.baseYear...(settings.baseYear + settings.appraisalYears - 1) where random.chance(0.7) {
            var capital: GBP?
            if settings.decisionYears.contains(year), random.chance(0.7) {
                let preferred = own.filter { $0.preferredYear == year }.reduce(0) {
                    $0 + prices[$1.equipmentClass]!.max()!
                }
                capital = GBP((preferred * random.double(0...1.1) / 1000).rounded() * 1000)
            }
            var revenue: GBP?
            if random.chance(0.5) {
                let before = own.filter { $0.earliestYear <= year }.count
                revenue = GBP(Double(before) * Double(random.int(0...40)) * 1000)
            }
            guard capital != nil || revenue != nil else { continue }
            scenario.budgets.append(
                Budget(trust: trust, year: year, capitalBudgetGBP: capital, revenueBudgetGBP: revenue)
            )
        }
    }
    return scenario
}

/// The spec's optimisation problem solved by trying every assignment: written from the spec, sharing no code with
/// the optimiser beyond the scenario types.
struct BruteForce {
    let scenario: Scenario

    /// The unit price paid in an order of `units` units of `supplier`'s `equipmentClass`: the discount of the highest
    /// tier with minimum ≤ units, none below the first tier.
    func pricePaid(_ supplier: SupplierName, _ equipmentClass: EquipmentClassName, units: Int) -> Double {
        let offer = scenario.offers.first { $0.supplier == supplier && $0.equipmentClass == equipmentClass }!
        let applicable = scenario.tiers.filter {
            $0.supplier == supplier && $0.equipmentClass == equipmentClass && $0.minimumUnits <= units
        }
        let discount = applicable.max { $0.minimumUnits < $1.minimumUnits }?.discount ?? 0
        return offer.unitPriceGBP.pounds * (1 - discount)
    }

    func factor(_ year: Int) -> Double {
        1 / pow(1 + scenario.settings.discountRate, Double(year - scenario.settings.baseYear))
    }

    /// The cost of buying each of `replacements` from the supplier, in the year and under the funding route given
    /// (purchase when not given), or nil when a capital or revenue budget of `budgeted` trusts is broken.
    func cost(
        _ replacements: [Replacement],
        _ choices: [(supplier: SupplierName, year: Int)],
        budgeted: Set<TrustName>
    ) -> Double? {
        cost(replacements, choices.map { ($0.supplier, $0.year, FundingRoute.purchase) }, budgeted: budgeted)
    }

    /// Σ D(τ) over τ = first … min(first + years − 1, last appraisal year).
    func factors(from first: Int, years: Int) -> Double {
        let last = scenario.settings.baseYear + scenario.settings.appraisalYears - 1
        var total = 0.0
        var year = first
        while year <= min(first + years - 1, last) {
            total += factor(year)
            year += 1
        }
        return total
    }

    /// The present value now of a payment a year for `years` years, the first now, at the lease discount rate.
    func rightOfUse(years: Int) -> Double {
        let rate = scenario.settings.leaseDiscountRateSetting ?? scenario.settings.discountRate
        return (0..<years).reduce(0.0) { $0 + 1 / pow(1 + rate, Double($1)) }
    }

    /// As ``cost(_:_:budgeted:)-(_,[(SupplierName,Int)],_)`` with each unit's funding route given.
    func cost(
        _ replacements: [Replacement],
        _ choices: [(supplier: SupplierName, year: Int, route: FundingRoute)],
        budgeted: Set<TrustName>
    ) -> Double? {
        var units: [String: Int] = [:]
        func orderKey(_ index: Int) -> String {
            "\(choices[index].supplier.rawValue)|\(replacements[index].equipmentClass.rawValue)|\(choices[index].year)"
        }
        for index in replacements.indices { units[orderKey(index), default: 0] += 1 }
        var total = 0.0
        var capital: [String: Double] = [:]
        var revenue: [String: Double] = [:]
        let last = scenario.settings.baseYear + scenario.settings.appraisalYears - 1
        for (index, replacement) in replacements.enumerated() {
            let (supplier, year, route) = choices[index]
            let offer = scenario.offers.first {
                $0.supplier == supplier && $0.equipmentClass == replacement.equipmentClass
            }!
            let paid = pricePaid(supplier, replacement.equipmentClass, units: units[orderKey(index)]!)
            // The order's tier discount, which applies to rental and fee alike.
            let share = paid / offer.unitPriceGBP.pounds
            let trust = replacement.trust.rawValue
            var paysService = true
            switch route {
            case .purchase:
                total += factor(year) * paid
                capital["\(trust)|\(year)", default: 0] += paid
            case .lease:
                let rental = offer.lease!.annualRentalGBP.pounds * share
                let term = offer.lease!.years
                total += rental * factors(from: year, years: term)
                capital["\(trust)|\(year)", default: 0] += rental * rightOfUse(years: term)
                for paid in year..<(year + term) { revenue["\(trust)|\(paid)", default: 0] += rental }
            case .mes:
                let fee = offer.managedService!.annualFeeGBP.pounds * share
                let term = offer.managedService!.years
                total += fee * factors(from: year, years: term)
                capital["\(trust)|\(year)", default: 0] +=
                    offer.managedService!.equipmentShare * fee * rightOfUse(years: term)
                for paid in year..<(year + term) { revenue["\(trust)|\(paid)", default: 0] += fee }
                paysService = false
            }
            if paysService, year + offer.warrantyYears <= last {
                for serviceYear in (year + offer.warrantyYears)...last {
                    total += factor(serviceYear) * offer.annualServiceGBP.pounds
                    revenue["\(trust)|\(serviceYear)", default: 0] += offer.annualServiceGBP.pounds
                }
            }
            total += replacement.deferCostGBPPerYear.pounds * Double(max(0, year - replacement.preferredYear))
            total += replacement.advanceCostGBPPerYear.pounds * Double(max(0, replacement.preferredYear - year))
        }
        for budget in scenario.budgets where budgeted.contains(budget.trust) {
            let key = "\(budget.trust.rawValue)|\(budget.year)"
            if let limit = budget.capitalBudgetGBP, capital[key, default: 0] > limit.pounds + 1e-6 { return nil }
            if let limit = budget.revenueBudgetGBP, revenue[key, default: 0] > limit.pounds + 1e-6 { return nil }
        }
        return total
    }

    /// The least cost of `replacements` over every assignment, or nil when every assignment breaks a budget.
    func optimum(_ replacements: [Replacement], budgeted: Set<TrustName>) -> Double? {
        let options = replacements.map { replacement in
            scenario.offers.filter { $0.equipmentClass == replacement.equipmentClass }.flatMap { offer in
                replacement.window.flatMap { year in
                    var routes: [FundingRoute] = offer.offersPurchase ? [.purchase] : []
                    if offer.lease != nil { routes.append(.lease) }
                    if offer.managedService != nil { routes.append(.mes) }
                    return routes.map { (supplier: offer.supplier, year: year, route: $0) }
                }
            }
        }
        var best: Double?
        var position = [Int](repeating: 0, count: replacements.count)
        while true {
            let choices = position.enumerated().map { options[$0.offset][$0.element] }
            if let cost = cost(replacements, choices, budgeted: budgeted), best == nil || cost < best! { best = cost }
            var digit = 0
            while digit < position.count {
                position[digit] += 1
                if position[digit] < options[digit].count { break }
                position[digit] = 0
                digit += 1
            }
            if digit == position.count { break }
        }
        return replacements.isEmpty ? 0 : best
    }

    /// The cost of `coalition` as the optimiser defines it: the classes its budgeted trusts tie together are
    /// optimised with their budgets; a group whose budgets cannot be met is optimised without them (and `relaxed`).
    func coalitionCost(_ coalition: Set<TrustName>) -> (cost: Double, relaxed: Bool) {
        let members = scenario.replacements.filter { coalition.contains($0.trust) }
        let budgeted = Set(
            scenario.budgets.filter { $0.capitalBudgetGBP != nil || $0.revenueBudgetGBP != nil }.map(\.trust)
        ).intersection(coalition)
        // Classes joined through budgeted trusts, by repeated merging.
        var groups = Set(members.map(\.equipmentClass)).map { Set([$0]) }
        for trust in budgeted {
            let own = Set(members.filter { $0.trust == trust }.map(\.equipmentClass))
            let touching = groups.filter { !$0.isDisjoint(with: own) }
            groups.removeAll { !$0.isDisjoint(with: own) }
            groups.append(touching.reduce(into: Set<EquipmentClassName>()) { $0.formUnion($1) })
        }
        var total = 0.0
        var relaxed = false
        for classes in groups where !classes.isEmpty {
            let part = members.filter { classes.contains($0.equipmentClass) }
            if let cost = optimum(part, budgeted: budgeted) {
                total += cost
            } else {
                relaxed = true
                for equipmentClass in classes {
                    total += optimum(part.filter { $0.equipmentClass == equipmentClass }, budgeted: [])!
                }
            }
        }
        return (total, relaxed)
    }
}

/// Shapley values by averaging marginal contributions over every order of the players (n! of them): the
/// definition itself, independent of the subset formula the library uses.
func shapleyByPermutations(playerCount: Int, worth: (Set<Int>) -> Double) -> [Double] {
    var shares = [Double](repeating: 0, count: playerCount)
    var count = 0
    func permute(_ order: [Int], _ rest: [Int]) {
        guard !rest.isEmpty else {
            var coalition = Set<Int>()
            var before = worth(coalition)
            for player in order {
                coalition.insert(player)
                let after = worth(coalition)
                shares[player] += after - before
                before = after
            }
            count += 1
            return
        }
        for (index, player) in rest.enumerated() {
            var remaining = rest
            remaining.remove(at: index)
            permute(order + [player], remaining)
        }
    }
    permute([], Array(0..<playerCount))
    return shares.map { $0 / Double(count) }
}

/// True when `a` and `b` agree to a relative 1e-6 (or within a penny).
func agree(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= max(0.01, 1e-6 * max(abs(a), abs(b))) }
