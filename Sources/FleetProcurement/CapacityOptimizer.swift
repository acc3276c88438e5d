import FleetCore
import Foundation
import MILP

/// The optimiser of a scenario with shortfalls to cover or sites to keep running (``CapacityModel``), solved
/// exactly. A coalition with budgets is one mixed-integer program, as its budgets tie every modality together. A
/// coalition without is one program for each part of the scenario (``CapacityPart``: a modality, its replacements,
/// added classes, shortfalls and sites), whose optima add up to the coalition's; each part's plan is kept for
/// every coalition with the same trusts in that part, so a Shapley analysis solves each once. A scenario without
/// shortfalls or sites is planned by ``PurchaseOptimizer``, exactly as before.
public final class CapacityOptimizer: ProcurementOptimizer, @unchecked Sendable {
    /// The trusts with replacements or shortfalls, in name order.
    public let trusts: [TrustName]
    let prepared: PreparedScenario
    private let solver: any MILPSolver
    private let deadline: ContinuousClock.Instant?
    private let timeLimitSeconds: Double?
    private let lock = NSLock()
    private var cache: [UInt64: Plan] = [:]
    /// Each part's plans without budgets, by the trusts of the part they plan.
    private var partCache: [CapacityPart: [UInt64: Solved]] = [:]
    /// Whether each budgeted trust (by its mask) keeps its budgets with its plan without them.
    private var keepsBudgetsAlone: [UInt64: Bool] = [:]
    /// Each budgeted trust's capital floor shortfalls (``capitalFloor(ofTrust:)``), by its mask.
    private var floorCache: [UInt64: [BudgetShortfall]] = [:]
    /// The least overruns of coalitions whose budgets cannot be met (``leastOverruns(_:)``), by mask.
    private var shortfallCache: [UInt64: [BudgetShortfall]] = [:]
    /// Coalitions whose budgeted search the time limit stopped before any plan (``CoalitionCost/isUnresolved``);
    /// their cached plan is their plan without budgets.
    private var unresolved: Set<UInt64> = []
    /// Each part of the scenario, in order, with the trusts that have replacements or shortfalls in it.
    private let parts: [(part: CapacityPart, trusts: UInt64)]
    /// The part of each replacement, by position.
    private let partOfReplacement: [CapacityPart]
    /// The same scenario without shortfalls, sites or cover, whose plans start each search.
    private let replacementsOnly: PurchaseOptimizer
    /// With budgets, the most units any plan can add to each order (``CapacityModel/mostAddedUnits``): the whole
    /// network's, where any trust may own the mobile units. The capital floors order as many.
    private let mostAddedUnits: [OrderSlotKey: Int]

    /// An optimiser for `scenario` (which must have passed ``Scenario/validate()``).
    /// - Throws: ``InvalidInput`` when the scenario has more than 64 trusts.
    public init(
        scenario: Scenario,
        solver: any MILPSolver = CBCSolver(),
        timeLimitSeconds: Double? = nil
    )
        throws(InvalidInput)
    {
        prepared = try PreparedScenario(scenario, addingUnits: true)
        trusts = prepared.trusts
        self.solver = solver
        self.timeLimitSeconds = timeLimitSeconds
        deadline = timeLimitSeconds.map { ContinuousClock.now.advanced(by: .seconds($0)) }
        var plain = scenario
        plain.capacity = []
        plain.classes = []
        for index in plain.replacements.indices {
            plain.replacements[index].site = nil
            plain.replacements[index].siteUnits = nil
            plain.replacements[index].coverCostGBP = .zero
        }
        replacementsOnly = try PurchaseOptimizer(scenario: plain, solver: solver, timeLimitSeconds: timeLimitSeconds)
        let modalities = scenario.modalityOfClass
        partOfReplacement = scenario.replacements.map { CapacityPart($0.equipmentClass, modalities: modalities) }
        var trustsOfPart: [CapacityPart: UInt64] = [:]
        for (replacement, part) in partOfReplacement.enumerated() {
            trustsOfPart[part, default: 0] |= 1 << UInt64(prepared.trustOfReplacement[replacement])
        }
        for shortfall in scenario.capacity {
            trustsOfPart[.modality(shortfall.modality), default: 0] |= prepared.mask(of: [shortfall.trust])
        }
        parts = trustsOfPart.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let everyone = prepared.trusts.indices.reduce(UInt64(0)) { $0 | 1 << UInt64($1) }
        mostAddedUnits =
            prepared.budgetedTrusts == 0
            ? [:] : CapacityModel(prepared: prepared, mask: everyone, budgets: true).mostAddedUnits
    }

    private init(copying original: CapacityOptimizer) {
        trusts = original.trusts
        prepared = original.prepared
        solver = original.solver
        deadline = original.deadline
        timeLimitSeconds = original.timeLimitSeconds
        parts = original.parts
        partOfReplacement = original.partOfReplacement
        mostAddedUnits = original.mostAddedUnits
        replacementsOnly = PurchaseOptimizer(copying: original.replacementsOnly)
        (cache, partCache, keepsBudgetsAlone, floorCache, shortfallCache, unresolved) = original.lock.withLock {
            (
                original.cache, original.partCache, original.keepsBudgetsAlone, original.floorCache,
                original.shortfallCache, original.unresolved
            )
        }
    }

    /// An optimiser of the same scenario, solver and deadline that starts with what this one has solved so far (its
    /// plans of the replacements alone too) and keeps apart from it after. ``ProcurementAnalysis`` solves a budgeted
    /// joint plan on it while this one solves the other coalitions: before, the demo network with capacity cover
    /// and its budgets spent 116 of its 120 seconds on the joint plan, then gave each of the ten coalitions of two and
    /// three trusts a moment, and its Shapley split rested on plans up to 9.5 % from their optimum.
    public func independentCopy() -> (any ProcurementOptimizer)? { CapacityOptimizer(copying: self) }

    /// The trusts from which a coalition's capacity model gets the feasibility pump (see ``run(_:_:start:budgeted:)``).
    static let feasibilityPumpTrusts = 5

    /// A plan with what it buys and covers before pricing.
    private struct Solved {
        var plan: Plan
        var purchases: CapacityPricing.Purchases
    }

    /// How a search ended.
    private enum Outcome {
        case solved(Solved)
        /// No plan exists.
        case infeasible
        /// The time limit stopped the search before it found a plan or proved there is none.
        case noPlanInTime
    }

    /// A plan to start from: the coalition's optimum without capacity or continuity, its units moved within
    /// their windows where a site would lose all its units in one year.
    private func startingPicks(_ mask: UInt64) -> [Pick]? {
        let coalition = Set(prepared.trusts(in: mask))
        // Its cost first: a plan that breaks its budgets starts nothing, and asking for that plan sizes its least
        // overruns. On the demo network with capacity cover at three quarters of its budgets, that sizing for the
        // coalitions with a trust that cannot keep its own held up every other coalition for 55 of the 60 seconds.
        guard let cost = try? replacementsOnly.cost(for: coalition), !cost.isBudgetRelaxed, !cost.isUnresolved,
            let plan = try? replacementsOnly.plan(for: coalition)
        else { return nil }
        let scenario = prepared.scenario
        let indexOfAsset = Dictionary(
            uniqueKeysWithValues: scenario.replacements.enumerated().map { ($1.assetID, $0) }
        )
        var picks: [Pick] = []
        for assignment in plan.assignments {
            guard let replacement = indexOfAsset[assignment.assetID],
                let offer = prepared.offerIndex[OfferKey(assignment.supplier, assignment.equipmentClass)]
            else { return nil }
            picks.append(Pick(replacement: replacement, offer: offer, year: assignment.year, route: assignment.route))
        }
        // Site continuity: move units to the years of their windows where their site still has a unit.
        let modalities = scenario.modalityOfClass
        var bySite: [String: [Int]] = [:]
        for (position, pick) in picks.enumerated() {
            let replacement = scenario.replacements[pick.replacement]
            guard let site = replacement.site, let units = replacement.siteUnits, units >= 2,
                let modality = modalities[replacement.equipmentClass]
            else { continue }
            bySite["\(replacement.trust)\u{0}\(site)\u{0}\(modality)", default: []].append(position)
        }
        for (_, positions) in bySite {
            let limit = scenario.replacements[picks[positions[0]].replacement].siteUnits! - 1
            var perYear: [Int: Int] = [:]
            for position in positions { perYear[picks[position].year, default: 0] += 1 }
            for position in positions where perYear[picks[position].year]! > limit {
                let replacement = scenario.replacements[picks[position].replacement]
                guard
                    let year = replacement.window.sorted(by: {
                        abs($0 - replacement.preferredYear) < abs($1 - replacement.preferredYear)
                    }).first(where: { perYear[$0, default: 0] < limit })
                else { return nil }
                perYear[picks[position].year]! -= 1
                perYear[year, default: 0] += 1
                picks[position].year = year
            }
        }
        return picks
    }

    /// True when some trust has a capital budget.
    public var hasBudgets: Bool { prepared.budgetedTrusts != 0 }

    public func cost(for coalition: Set<TrustName>) throws -> CoalitionCost {
        let mask = prepared.mask(of: coalition)
        let plan = try plan(ofMask: mask)
        return CoalitionCost(
            costGBP: plan.totalCostGBP,
            status: plan.status,
            isBudgetRelaxed: plan.isBudgetRelaxed,
            isUnresolved: lock.withLock { unresolved.contains(mask) }
        )
    }

    /// - Throws: ``ProcurementFailure`` when no plan is found, or when the time limit left it unknown whether the
    ///   budgets can be met (``CoalitionCost/isUnresolved``).
    public func plan(for coalition: Set<TrustName>) throws -> Plan {
        let mask = prepared.mask(of: coalition)
        var plan = try plan(ofMask: mask)
        guard !lock.withLock({ unresolved.contains(mask) }) else { throw noPlanInTime(mask) }
        if plan.isBudgetRelaxed, plan.budgetShortfalls.isEmpty { plan.budgetShortfalls = try leastOverruns(mask) }
        return plan
    }

    /// The least overruns, by trust and year, that coalition `mask`'s budgets force, which CBC proved cannot all be
    /// met; empty when the time limit stopped the search before it found any. Within a pound: with the slack of
    /// each budget row in pounds, CBC took 28.6 s to close the last pennies of a trust alone (fleet-bench's
    /// infeasible case with capacity cover) where it took 5.5 s to come within a pound.
    private func leastOverruns(_ mask: UInt64) throws -> [BudgetShortfall] {
        if let known = lock.withLock({ shortfallCache[mask] }) { return known }
        let seeking = CapacityModel(prepared: prepared, mask: mask, budgets: true, seekingShortfalls: true)
        let solution = try run(seeking.model, mask, start: nil, budgeted: true, absoluteGap: 1)
        let shortfalls =
            solution.status.hasSolution
            ? seeking.shortfalls(in: solution).inTrustAndYearOrder : []
        lock.withLock { shortfallCache[mask] = shortfalls }
        return shortfalls
    }

    private func noPlanInTime(_ mask: UInt64) -> ProcurementFailure {
        ProcurementFailure(
            "No plan for \(describe(mask)) was found within the time limit of \(timeLimitSeconds ?? 0) seconds; "
                + "allow more time (--time-limit)"
        )
    }

    private var remainingSeconds: Double? {
        guard let deadline else { return nil }
        return max(PurchaseOptimizer.minimumSolveSeconds, (deadline - ContinuousClock.now).seconds)
    }

    private func describe(_ mask: UInt64) -> String {
        prepared.trusts(in: mask).map(\.rawValue).joined(separator: ", ")
    }

    func plan(ofMask mask: UInt64) throws -> Plan {
        if let cached = lock.withLock({ cache[mask] }) { return cached }
        let plan = try prepared.budgetedTrusts & mask == 0 ? unbudgetedPlan(mask) : budgetedPlan(mask)
        lock.withLock { cache[mask] = plan }
        return plan
    }

    /// The optimum of coalition `mask` without budgets: each part of the scenario solved apart, and their purchases
    /// priced as one plan (which costs the sum of the parts' optima: no order, shortfall or site spans two parts).
    private func unbudgetedPlan(_ mask: UInt64) throws -> Plan {
        var purchases = CapacityPricing.Purchases()
        var status = PlanStatus.optimal
        for (part, trusts) in parts where trusts & mask != 0 {
            let solved = try partPlan(part, trusts & mask)
            purchases = purchases + solved.purchases
            status = status.combined(with: solved.plan.status)
        }
        return CapacityPricing.plan(prepared: prepared, mask: mask, purchases: purchases, status: status)
    }

    /// The optimum of `part` for coalition `mask` (trusts of the part only) without budgets.
    private func partPlan(_ part: CapacityPart, _ mask: UInt64) throws -> Solved {
        if let cached = lock.withLock({ partCache[part]?[mask] }) { return cached }
        let formulation = CapacityModel(prepared: prepared, mask: mask, budgets: false, part: part)
        var start = startingPicks(mask)
            .map { picks in picks.filter { partOfReplacement[$0.replacement] == part } }
            .flatMap(formulation.values(for:))
        if let merged = try mergedStart(mask, formulation, part: part),
            start.map({ formulation.model.objectiveValue(of: merged) < formulation.model.objectiveValue(of: $0) })
                ?? true
        {
            start = merged
        }
        let solved: Solved
        switch try solve(formulation, mask, start: start) {
        case .solved(let plan): solved = plan
        case .infeasible: throw continuityFailure(mask)
        case .noPlanInTime: throw noPlanInTime(mask)
        }
        lock.withLock { partCache[part, default: [:]][mask] = solved }
        return solved
    }

    private func continuityFailure(_ mask: UInt64) -> ProcurementFailure {
        ProcurementFailure(
            "No plan meets site continuity for \(describe(mask)): a site would lose all its units of a "
                + "modality in one year (widen the replacements' windows in replacements.csv)"
        )
    }

    /// The optimum of coalition `mask`, some of whose trusts have budgets: one program of every part together.
    ///
    /// Its optimum without budgets, found part by part, is the answer when it keeps the budgets, and otherwise a
    /// bound on the optimum that the gap at a time limit counts. A trust alone always tries it; a coalition only
    /// when each of its budgeted trusts kept its budgets so alone, as where they bind the coalition's plan without
    /// them rarely keeps them and only costs time. Measured (release, paired runs of the base build): the demo
    /// network with `--capacity` and budgets ten times its own, 120 s at the time limit (4 of the 15 coalitions
    /// unproved, up to 5.93 %) before, 7.8–8.6 s proved after; fleet-bench's 4 budgeted trusts with capacity, whose
    /// budgets bind, 2.3–2.5 s before and after, 3.0–3.4 s when every coalition tried it.
    private func budgetedPlan(_ mask: UInt64) throws -> Plan {
        // Budgets that a trust's own replacements overrun even at the lowest prices any plan could pay: no coalition
        // with the trust meets them, and those overruns stand at once, as ``PurchaseOptimizer`` reports them (a
        // trust alone gets its least overruns from its own model, when its plan is asked for). On fleet-bench's
        // infeasible case with capacity cover (6 trusts, 90 replacements, £2.0m a trust-year) `fleet procure` took
        // its whole time limit (30 s, 28.6 of them sizing one trust's least overruns), then named no overrun; now
        // 0.03 s, the joint plan's floor asked first (``budgetShortfallsBeforeSearch(for:)``).
        if let floor = try floorShortfalls(mask) {
            var plan = try unbudgetedPlan(mask)
            plan.isBudgetRelaxed = true
            plan.budgetShortfalls = floor
            return plan
        }
        var unbudgeted: Plan?
        let budgeted = prepared.trusts.indices.map { UInt64(1) << UInt64($0) }.filter {
            mask & prepared.budgetedTrusts & $0 != 0
        }
        if try mask.nonzeroBitCount == 1 || budgeted.allSatisfy({ try keepsBudgetsWithoutThem($0) }) {
            let plan = try unbudgetedPlan(mask)
            if plan.status == .optimal, meetsBudgets(plan) { return plan }
            unbudgeted = plan
        }
        var plan: Plan
        let formulation = CapacityModel(prepared: prepared, mask: mask, budgets: true)
        var start = startingPicks(mask).flatMap(formulation.values(for:))
        if let merged = try mergedStart(mask, formulation, part: nil),
            start.map({ formulation.model.objectiveValue(of: merged) < formulation.model.objectiveValue(of: $0) })
                ?? true
        {
            start = merged
        }
        let bound = unbudgeted.flatMap { $0.status == .optimal ? $0.totalCostGBP.pounds : nil }
        switch try solve(formulation, mask, start: start, lowerBound: bound) {
        case .solved(let solved):
            plan = solved.plan
        case .noPlanInTime:
            // As ``PurchaseOptimizer`` does: the coalition is counted without its budgets, and marked undecided.
            plan = try unbudgeted ?? unbudgetedPlan(mask)
            plan.isBudgetRelaxed = true
            lock.withLock { _ = unresolved.insert(mask) }
        case .infeasible:
            // The budgets cannot all be met: the plan without budgets, its least overruns sized when a plan is
            // asked for (``plan(for:)``), not for a coalition's cost.
            plan = try unbudgeted ?? unbudgetedPlan(mask)
            plan.isBudgetRelaxed = true
        }
        return plan
    }

    /// The overruns a coalition of two or more trusts, `mask`, carries when the ``CapitalFloor`` of its budgeted
    /// trusts shows that it cannot meet their budgets; nil when each could meet its own at the lowest prices any plan
    /// could pay (or `mask` is one trust, whose least overruns are its own model's).
    private func floorShortfalls(_ mask: UInt64) throws -> [BudgetShortfall]? {
        guard mask.nonzeroBitCount > 1 else { return nil }
        let shortfalls = try prepared.trusts.indices.filter { mask & prepared.budgetedTrusts & (1 << UInt64($0)) != 0 }
            .flatMap(capitalFloor(ofTrust:))
        return shortfalls.isEmpty ? nil : shortfalls.inTrustAndYearOrder
    }

    public func budgetShortfallsBeforeSearch(for coalition: Set<TrustName>) throws -> [BudgetShortfall]? {
        let mask = prepared.mask(of: coalition)
        return prepared.budgetedTrusts & mask == 0 ? nil : try floorShortfalls(mask)
    }

    /// The ``CapitalFloor`` shortfalls of trust `trust`'s replacements, every order as large as the whole network's
    /// replacements and the most units its plans could add (``CapacityModel/mostAddedUnits``) make it, so that the
    /// floor holds in every coalition; decided once for each trust.
    private func capitalFloor(ofTrust trust: Int) throws -> [BudgetShortfall] {
        let single = UInt64(1) << UInt64(trust)
        if let known = lock.withLock({ floorCache[single] }) { return known }
        let shortfalls = try prepared.budgetedParts(ofTrust: trust).flatMap { part in
            try CapitalFloor(scenario: prepared, key: part, addedUnits: mostAddedUnits)
                .solvedShortfalls(by: solver, timeLimitSeconds: remainingSeconds)
        }
        lock.withLock { floorCache[single] = shortfalls }
        return shortfalls
    }

    /// True when the trust of `single` keeps its budgets with its plan without them; decided once for each trust,
    /// as every coalition with it asks.
    private func keepsBudgetsWithoutThem(_ single: UInt64) throws -> Bool {
        if let known = lock.withLock({ keepsBudgetsAlone[single] }) { return known }
        let plan = try unbudgetedPlan(single)
        let keeps = plan.status == .optimal && meetsBudgets(plan)
        lock.withLock { keepsBudgetsAlone[single] = keeps }
        return keeps
    }

    /// True when `plan` keeps every capital and revenue budget of its trusts.
    private func meetsBudgets(_ plan: Plan) -> Bool {
        BudgetUse.rows(plan: plan, scenario: prepared.scenario).allSatisfy { use in
            use.capitalGBP.pounds <= (use.capitalBudgetGBP?.pounds ?? .infinity) + 1e-6
                && use.revenueGBP.pounds <= (use.revenueBudgetGBP?.pounds ?? .infinity) + 1e-6
        }
    }

    /// A start for coalition `mask`: the cheapest merge known of plans of disjoint smaller coalitions that
    /// make it up — any two solved already, or every trust's own plan (solved first) — which meets every budget and
    /// costs no more than its parts apart. The replacements-only start outsources every shortfall, far from the
    /// optimum, and CBC may find nothing better within the time limit. Without budgets too: the demo network with
    /// capacity and no budgets, 120 s, the joint plan within 1.10 % and the coalitions within 66.35 % from the
    /// replacements-only start, within 0.42 % and 6.07 % from merged ones. With `part`, plans of that part.
    private func mergedStart(_ mask: UInt64, _ formulation: CapacityModel, part: CapacityPart?) throws -> [Double]? {
        guard mask.nonzeroBitCount >= 2 else { return nil }
        let members = prepared.trusts.indices.map { UInt64(1) << UInt64($0) }.filter { mask & $0 != 0 }
        let known: [UInt64: Plan]
        if let part {
            for single in members { _ = try partPlan(part, single) }
            known = lock.withLock { partCache[part, default: [:]].mapValues(\.plan) }
        } else {
            for single in members { _ = try plan(ofMask: single) }
            known = lock.withLock { cache }
        }
        var partitions: [[UInt64]] = [members]
        for subset in PreparedScenario.splits(of: mask) where known[subset] != nil && known[mask & ~subset] != nil {
            partitions.append([subset, mask & ~subset])
        }
        var best: (values: [Double], cost: Double)?
        for partition in partitions {
            let plans = partition.compactMap { known[$0] }
            guard plans.count == partition.count, !plans.contains(where: \.isBudgetRelaxed) else { continue }
            guard let values = formulation.values(for: Self.merged(plans)) else { continue }
            let cost = formulation.model.objectiveValue(of: values)
            if best == nil || cost < best!.cost { best = (values, cost) }
        }
        return best?.values
    }

    /// Plans of disjoint coalitions as one, their added units named apart (each part numbers its own from 1).
    private static func merged(_ plans: [Plan]) -> Plan {
        var merged = plans[0]
        for (number, other) in plans.enumerated().dropFirst() {
            var part = other
            let added = Set(part.additions.map(\.id))
            let prefix = "part\(number)-"
            for index in part.additions.indices {
                part.additions[index].id = AssetID(prefix + part.additions[index].id.rawValue)
            }
            for index in part.assignments.indices where added.contains(part.assignments[index].assetID) {
                part.assignments[index].assetID = AssetID(prefix + part.assignments[index].assetID.rawValue)
            }
            merged.assignments += part.assignments
            merged.additions += part.additions
            merged.mobileShares += part.mobileShares
            merged.outsourcing += part.outsourcing
        }
        return merged
    }

    /// Cuts at the root only without budgets; with them CBC also cuts in the tree, as often as its cuts pay:
    /// budget rows, tier disjunctions and whole added units leave relaxations that branching alone closes slowly
    /// (one demo trust alone with its capital budgets and capacity: 9,111 nodes and 16.6 s with root cuts only,
    /// 8 nodes and 0.54 s with cuts in the tree; the demo network without budgets, 31.4 s against 32.4 s).
    ///
    /// A coalition of ``feasibilityPumpTrusts`` or more also gets CBC's feasibility pump at the root: its start (the
    /// replacements' plan with every shortfall outsourced, or smaller coalitions' plans merged, which share no mobile
    /// unit between them and add what each needed alone) is further from its optimum than a small coalition's, and
    /// CBC's search improves such a start slowly. 8 trusts and 80 replacements at £2.5m a trust-year
    /// with capacity cover (fleet-bench's `solve-flat-budgets` case 10): the joint plan proved in 15 s instead of
    /// 64 (at 20 s without the pump its best plan was still 1.03 % from the bound), and 138 of its 255 coalitions
    /// left unproved in the exact Shapley value's 60 s instead of 227; 10 trusts and 180 replacements without
    /// budgets 5.0 → 3.5 s. Smaller coalitions start closer to their optimum and lose the pump's time: 4 trusts
    /// and 72 replacements 0.47 → 0.67 s with the pump everywhere, with budgets 1.57 → 1.94 s (2026-12-07).
    private func run(
        _ model: Model,
        _ mask: UInt64,
        start: [Double]?,
        budgeted: Bool,
        absoluteGap: Double = 0.01
    ) throws -> Solution {
        let options = SolveOptions(
            timeLimitSeconds: remainingSeconds,
            absoluteGap: absoluteGap,
            relativeGap: 0,
            initialSolution: start,
            cutGenerators: [
                .probing, .gomory, .knapsackCover, .clique, .mixedIntegerRounding, .flowCover,
                .twoStepMixedIntegerRounding, .zeroHalf,
            ],
            cutsAtRootOnly: !budgeted,
            feasibilityPump: mask.nonzeroBitCount >= Self.feasibilityPumpTrusts
        )
        do {
            return try solver.solve(model, options: options)
        } catch {
            throw ProcurementFailure("The optimiser failed for \(describe(mask)): \(error)")
        }
    }

    /// The plan of `formulation`, or how the search ended without one. `lowerBound`, when known, is a cost no plan
    /// of the model can beat, counted in the gap at a time limit with the solver's own bound.
    private func solve(
        _ formulation: CapacityModel,
        _ mask: UInt64,
        start: [Double]?,
        lowerBound: Double? = nil
    ) throws -> Outcome {
        let solution = try run(formulation.model, mask, start: start, budgeted: formulation.hasBudgetRows)
        switch solution.status {
        case .optimal, .timeLimit:
            var status = PlanStatus.optimal
            let objective = solution.objectiveValue ?? 0
            if case .timeLimit = solution.status {
                let bound = max(solution.bestBound ?? -.infinity, lowerBound ?? -.infinity)
                status = .timeLimit(
                    relativeGap: bound.isFinite ? max(0, objective - bound) / max(1, abs(objective)) : 1
                )
            }
            let purchases = formulation.purchases(from: solution)
            let plan = CapacityPricing.plan(prepared: prepared, mask: mask, purchases: purchases, status: status)
            let cost = plan.totalCostGBP.pounds
            guard cost <= objective + 0.01 + 1e-7 * abs(objective) else {
                throw ProcurementFailure(
                    "The optimiser's plan for \(describe(mask)) prices at £\(cost) against the model's £\(objective); "
                        + "this is a fault in the optimiser, please report it"
                )
            }
            return .solved(Solved(plan: plan, purchases: purchases))
        case .infeasible:
            return .infeasible
        case .timeLimitWithoutSolution:
            return .noPlanInTime
        case .unbounded:
            throw ProcurementFailure("The optimiser found the plan for \(describe(mask)) unbounded; please report it")
        }
    }
}
