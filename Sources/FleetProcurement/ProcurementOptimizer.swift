import FleetCore
import Foundation
import MILP

/// Finds the cheapest plan for any coalition of a scenario's trusts. Outright purchase is ``PurchaseOptimizer``;
/// other procurement routes (lease, managed service) can stand behind the same interface.
public protocol ProcurementOptimizer: Sendable {
    /// The trusts of the scenario, in name order.
    var trusts: [TrustName] { get }

    /// True when some trust has a capital budget, so a plan may be unable to meet them.
    var hasBudgets: Bool { get }

    /// The cost of the cheapest plan for `coalition`: the figure coalition games need, without the plan.
    /// - Throws: ``ProcurementFailure`` when no plan is found.
    func cost(for coalition: Set<TrustName>) throws -> CoalitionCost

    /// The cheapest plan for `coalition`. When the coalition's budgets cannot all be met, the plan is optimised
    /// without the budgets it cannot meet and says so (``Plan/isBudgetRelaxed``, ``Plan/budgetShortfalls``).
    /// - Throws: ``ProcurementFailure`` when no plan is found.
    func plan(for coalition: Set<TrustName>) throws -> Plan

    /// An optimiser of the same scenario, solver and deadline that knows what this one has solved so far and from
    /// then on solves apart from it, or nil when there is none (the default). What it finds depends on what this
    /// optimiser had solved when copied and what the copy is asked, never on what this one solves meanwhile:
    /// ``ProcurementAnalysis`` solves the joint plan on it while this one solves the coalitions of the Shapley split.
    func independentCopy() -> (any ProcurementOptimizer)?

    /// The overruns that show, before any search, that `coalition`'s budgets cannot be met, exactly as its plan
    /// would carry them (``Plan/budgetShortfalls``); nil when that takes a search, or when they can be met.
    /// ``ProcurementAnalysis`` asks it of the joint plan first, so that such budgets end the analysis (exit 3) before
    /// any coalition is solved.
    func budgetShortfallsBeforeSearch(for coalition: Set<TrustName>) throws -> [BudgetShortfall]?
}

extension ProcurementOptimizer {
    /// None: the analysis solves the joint plan before the other coalitions.
    public func independentCopy() -> (any ProcurementOptimizer)? { nil }

    /// Nil: deciding takes a search (``PurchaseOptimizer`` decides a network's budgeted parts apart, each at once
    /// where its capital floor shows it, so its joint plan is quick to find out of reach).
    public func budgetShortfallsBeforeSearch(for coalition: Set<TrustName>) throws -> [BudgetShortfall]? { nil }
}

/// The cost of a coalition's cheapest plan and how sure it is.
public struct CoalitionCost: Hashable, Sendable {
    /// The cost in pounds (discounted capital and service plus timing penalties).
    public var costGBP: GBP
    /// Proved optimal, or within a gap at the time limit.
    public var status: PlanStatus
    /// True when budgets that cannot be met were left out (see ``ProcurementOptimizer/plan(for:)``).
    public var isBudgetRelaxed: Bool
    /// True when the time limit ended before any plan meeting the coalition's budgets was found or the budgets were
    /// proved out of reach: the cost is then the coalition's without the budgets (`isBudgetRelaxed`), as for
    /// budgets it cannot meet, and a lower bound on its cost if it can.
    public var isUnresolved: Bool

    /// A cost with every part given.
    public init(costGBP: GBP, status: PlanStatus, isBudgetRelaxed: Bool, isUnresolved: Bool = false) {
        self.costGBP = costGBP
        self.status = status
        self.isBudgetRelaxed = isBudgetRelaxed
        self.isUnresolved = isUnresolved
    }
}

/// Why no plan could be produced.
public struct ProcurementFailure: FleetError, Sendable {
    /// What went wrong, as a sentence.
    public var reason: String

    /// A failure for `reason`.
    public init(_ reason: String) { self.reason = reason }

    /// Exit 4: an internal failure.
    public var exitCode: FleetExitCode { .failure }
    /// The reason, as a sentence.
    public var description: String { reason }
}

/// Outright purchase: every replacement bought once, from one supplier offering its class, in a year of its window,
/// orders per supplier, class and year priced by all-units tiers (the spec's "The optimisation problem"), solved
/// exactly as a mixed-integer program (see ``PurchaseModel``).
///
/// The problem splits into independent components: without budgets every class is its own problem; a trust's
/// budgets tie together the classes it buys. Each component's optimum is kept, keyed by its classes and the trusts
/// that buy them, so the coalitions of a Shapley value share every component they have in common; and a
/// component's solve starts from the plans of two smaller coalitions merged, which are feasible (merged orders only
/// earn larger discounts) and often optimal.
public final class PurchaseOptimizer: ProcurementOptimizer, @unchecked Sendable {
    /// The trusts with replacements, in name order.
    public let trusts: [TrustName]
    let prepared: PreparedScenario
    private let solver: any MILPSolver
    private let timeLimitSeconds: Double?
    private let deadline: ContinuousClock.Instant?
    // Guards the caches; solves run outside it.
    private let lock = NSLock()
    private var cache: [ComponentKey: ComponentResult] = [:]
    /// The parts of budgeted components (``PreparedScenario/parts(of:)``): nil for a part whose budgets cannot be met.
    private var partCache: [ComponentKey: ComponentResult?] = [:]
    /// ``CapitalFloor`` shortfalls of each trust's parts alone.
    private var floorCache: [ComponentKey: [BudgetShortfall]] = [:]
    private var shortfallCache: [ComponentKey: [BudgetShortfall]] = [:]
    /// The work done, shared with the optimiser's copies.
    private let work: WorkCount

    /// Counts of the work done so far.
    public struct SolveStatistics: Sendable, Hashable {
        /// Mixed-integer programs solved.
        public var modelsSolved = 0
        /// Of those, how many started from a merged plan of smaller coalitions.
        public var warmStarts = 0
        /// Branch-and-bound nodes in all.
        public var nodes = 0
        /// Variables of the largest model solved.
        public var largestModelVariables = 0
        /// Seconds spent formulating models and their starting plans, summed over threads.
        public var formulationSeconds = 0.0
        /// Seconds spent in the solver, summed over threads.
        public var solverSeconds = 0.0
        /// Parts of budgeted components found infeasible by a trust's capital floor, without a search.
        public var partsBelowCapitalFloor = 0
    }

    /// ``SolveStatistics`` counted by an optimiser and its copies.
    private final class WorkCount: @unchecked Sendable {
        private let lock = NSLock()
        private var statistics = SolveStatistics()

        var value: SolveStatistics { lock.withLock { statistics } }

        func add(_ change: (inout SolveStatistics) -> Void) { lock.withLock { change(&statistics) } }
    }

    /// The least time a solve gets once the time limit has passed: enough to return the plan it starts from.
    static let minimumSolveSeconds = 0.05

    /// An optimiser for `scenario` (which must have passed ``Scenario/validate()``), solving with `solver`.
    /// - Parameter timeLimitSeconds: the wall-clock seconds, counted from now, that all solves together may take
    ///   (nil for no limit). Each solve gets what remains; once nothing remains each still gets a moment to return
    ///   the plan it starts from, marked with its gap to the optimum.
    /// - Throws: ``InvalidInput`` when the scenario has more than 64 trusts.
    public init(
        scenario: Scenario,
        solver: any MILPSolver = CBCSolver(),
        timeLimitSeconds: Double? = nil
    )
        throws(InvalidInput)
    {
        prepared = try PreparedScenario(scenario)
        trusts = prepared.trusts
        self.solver = solver
        self.timeLimitSeconds = timeLimitSeconds
        deadline = timeLimitSeconds.map { ContinuousClock.now.advanced(by: .seconds($0)) }
        work = WorkCount()
    }

    /// A copy of `original` (see ``independentCopy()``).
    init(copying original: PurchaseOptimizer) {
        prepared = original.prepared
        trusts = original.trusts
        solver = original.solver
        timeLimitSeconds = original.timeLimitSeconds
        deadline = original.deadline
        work = original.work
        (cache, partCache, floorCache, shortfallCache) = original.lock.withLock {
            (original.cache, original.partCache, original.floorCache, original.shortfallCache)
        }
    }

    /// An optimiser of the same scenario, solver and deadline that starts with what this one has solved so far and
    /// keeps apart from it after, its work counted in this one's ``solveStatistics``.
    public func independentCopy() -> (any ProcurementOptimizer)? { PurchaseOptimizer(copying: self) }

    /// True once the time limit has passed.
    private var isPastDeadline: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    /// The gap between a plan's cost and a bound on the optimum, as a fraction of the cost.
    private static func gap(_ cost: Double, _ bound: Double) -> Double { max(0, cost - bound) / max(1, abs(cost)) }

    /// The seconds the next solve may take, or nil for no limit.
    private var remainingSeconds: Double? {
        guard let deadline else { return nil }
        return max(Self.minimumSolveSeconds, (deadline - ContinuousClock.now).seconds)
    }

    /// True when some trust has a capital budget.
    public var hasBudgets: Bool { prepared.budgetedTrusts != 0 }

    /// The work done so far, by this optimiser and its copies.
    public var solveStatistics: SolveStatistics { work.value }

    /// The cost of `coalition`'s cheapest plan, from the components it shares with coalitions already solved.
    /// - Throws: ``ProcurementFailure`` when no plan is found.
    public func cost(for coalition: Set<TrustName>) throws -> CoalitionCost {
        try cost(ofMask: prepared.mask(of: coalition))
    }

    /// The cost of the coalition whose trusts are the set bits of `mask` (bit i for `trusts[i]`).
    func cost(ofMask mask: UInt64) throws -> CoalitionCost {
        var total = 0.0
        var status = PlanStatus.optimal
        var relaxed = false
        var unresolved = false
        for key in prepared.components(of: mask) {
            let result = try component(key)
            total += result.costGBP
            status = status.combined(with: result.status)
            relaxed = relaxed || result.isBudgetRelaxed
            unresolved = unresolved || result.isUnresolved
        }
        return CoalitionCost(costGBP: GBP(total), status: status, isBudgetRelaxed: relaxed, isUnresolved: unresolved)
    }

    /// The cheapest plan for `coalition`, with the least budget shortfalls when its budgets cannot be met.
    /// - Throws: ``ProcurementFailure`` when no plan is found, or when the time limit left it unknown whether the
    ///   budgets can be met (``CoalitionCost/isUnresolved``).
    public func plan(for coalition: Set<TrustName>) throws -> Plan {
        let mask = prepared.mask(of: coalition)
        var picks: [Pick] = []
        var status = PlanStatus.optimal
        var shortfalls: [BudgetShortfall] = []
        var relaxed = false
        for key in prepared.components(of: mask) {
            let result = try component(key)
            guard !result.isUnresolved else {
                throw ProcurementFailure(
                    "No plan for \(describe(key)) that meets the budgets was found within the time limit of "
                        + "\(timeLimitSeconds ?? 0) seconds, nor were its budgets proved out of reach; allow more time "
                        + "(--time-limit)"
                )
            }
            picks += result.picks
            status = status.combined(with: result.status)
            if result.isBudgetRelaxed {
                relaxed = true
                shortfalls += try self.shortfalls(key)
            }
        }
        let replacements = prepared.scenario.replacements
        let offers = prepared.scenario.offers
        var plan = Plan.priced(
            picks.map { (replacements[$0.replacement], offers[$0.offer].supplier, $0.year, $0.route) },
            trusts: prepared.trusts(in: mask),
            status: status,
            scenario: prepared
        )
        plan.isBudgetRelaxed = relaxed
        plan.budgetShortfalls = shortfalls.inTrustAndYearOrder
        return plan
    }

    // MARK: Components

    private struct ComponentResult: Sendable {
        var picks: [Pick]
        var costGBP: Double
        var status: PlanStatus
        var isBudgetRelaxed: Bool
        /// See ``CoalitionCost/isUnresolved``; a budgeted part's solve marks it so with no picks.
        var isUnresolved = false

        /// What a budgeted solve that the time limit stopped before any plan returns.
        static let unresolved = ComponentResult(
            picks: [],
            costGBP: 0,
            status: .optimal,
            isBudgetRelaxed: false,
            isUnresolved: true
        )
    }

    private func component(_ key: ComponentKey) throws -> ComponentResult {
        if let cached = lock.withLock({ cache[key] }) { return cached }
        let result: ComponentResult
        if key.isBudgeted {
            // Without its budgets the component splits into classes, each quick to solve; that optimum bounds the
            // budgeted one from below, is the answer when it happens to meet the budgets, and is what the trusts
            // would pay (over budget) when the budgets cannot be met.
            let unbudgeted = try withoutBudgets(key)
            let solved: ComponentResult?
            if unbudgeted.status == .optimal, meetsBudgets(unbudgeted.picks, key: key) {
                solved = unbudgeted
            } else {
                solved = try solveParts(of: key)
            }
            if let solved, !solved.isUnresolved {
                result = solved
            } else {
                // Budgets it cannot meet, or that the time limit left undecided: counted without them.
                result = ComponentResult(
                    picks: unbudgeted.picks,
                    costGBP: unbudgeted.costGBP,
                    status: unbudgeted.status,
                    isBudgetRelaxed: true,
                    isUnresolved: solved?.isUnresolved ?? false
                )
            }
        } else {
            guard let solved = try solve(key, lowerBound: nil) else {
                throw ProcurementFailure(
                    "The optimiser found no plan for \(describe(key)), which has no budgets to break"
                )
            }
            result = solved
        }
        lock.withLock { cache[key] = result }
        return result
    }

    /// The optimum of budgeted component `key` as the sum of its parts' (``PreparedScenario/parts(of:)``); nil when
    /// some part's budgets cannot be met, ``ComponentResult/unresolved`` when the time limit left a part undecided.
    private func solveParts(of key: ComponentKey) throws -> ComponentResult? {
        var combined = ComponentResult(picks: [], costGBP: 0, status: .optimal, isBudgetRelaxed: false)
        for part in prepared.parts(of: key) {
            guard let solved = part.isBudgeted ? try budgetedPart(part) : try component(part) else { return nil }
            guard !solved.isUnresolved else { return solved }
            combined.picks += solved.picks
            combined.costGBP += solved.costGBP
            combined.status = combined.status.combined(with: solved.status)
        }
        return combined
    }

    /// The optimum of a part of a budgeted component (whose every budget some plan could break); nil when its
    /// budgets cannot be met, ``ComponentResult/unresolved`` when the time limit left that undecided.
    private func budgetedPart(_ key: ComponentKey) throws -> ComponentResult? {
        if let cached = lock.withLock({ partCache[key] }) { return cached }
        let unbudgeted = try withoutBudgets(key)
        let result: ComponentResult?
        if unbudgeted.status == .optimal, meetsBudgets(unbudgeted.picks, key: key) {
            result = unbudgeted
        } else if try !capitalFloorShortfalls(of: key).isEmpty {
            work.add { $0.partsBelowCapitalFloor += 1 }
            result = nil
        } else {
            result = try solve(key, lowerBound: unbudgeted.status == .optimal ? unbudgeted.costGBP : nil)
        }
        lock.withLock { partCache[key] = result }
        return result
    }

    /// What the budgets of `key` (a part of a budgeted component) lack at the least, by the ``CapitalFloor`` of each
    /// of its trusts' parts alone that lies within it; empty when every trust could meet them at the lowest prices.
    private func capitalFloorShortfalls(of key: ComponentKey) throws -> [BudgetShortfall] {
        let classes = Set(key.classes)
        var shortfalls: [BudgetShortfall] = []
        for trust in prepared.trusts.indices where key.trusts & (1 << UInt64(trust)) != 0 {
            for part in prepared.budgetedParts(ofTrust: trust) where classes.contains(part.classes[0]) {
                shortfalls += try capitalFloor(part)
            }
        }
        return shortfalls
    }

    /// The ``CapitalFloor`` shortfalls of one trust's part alone; empty when none, or when the time limit stopped
    /// the (small) solve before it proved the floor.
    private func capitalFloor(_ key: ComponentKey) throws -> [BudgetShortfall] {
        if let cached = lock.withLock({ floorCache[key] }) { return cached }
        let shortfalls = try CapitalFloor(scenario: prepared, key: key)
            .solvedShortfalls(by: solver, timeLimitSeconds: remainingSeconds)
        lock.withLock { floorCache[key] = shortfalls }
        return shortfalls
    }

    /// The optimum of `key`'s trusts and classes without budgets, class by class.
    private func withoutBudgets(_ key: ComponentKey) throws -> ComponentResult {
        var combined = ComponentResult(picks: [], costGBP: 0, status: .optimal, isBudgetRelaxed: false)
        for part in prepared.components(of: key.trusts, ignoringBudgets: true)
        where key.classes.contains(part.classes[0]) {
            let unbudgeted = try component(part)
            combined.picks += unbudgeted.picks
            combined.costGBP += unbudgeted.costGBP
            combined.status = combined.status.combined(with: unbudgeted.status)
        }
        return combined
    }

    /// The replacements of `key`'s trusts and classes.
    private func replacements(of key: ComponentKey) -> [Int] {
        key.classes.flatMap { equipmentClass in
            prepared.replacementsByClass[equipmentClass].filter {
                key.trusts & (1 << UInt64(prepared.trustOfReplacement[$0])) != 0
            }
        }
    }

    /// How many replacements `key`'s trusts and classes have.
    private func replacementCount(of key: ComponentKey) -> Int { replacements(of: key).count }

    /// True when `picks` keep every budget of `key`'s trusts.
    private func meetsBudgets(_ picks: [Pick], key: ComponentKey) -> Bool {
        let (capital, revenue) = prepared.budgetUse(of: picks)
        for trust in prepared.trusts.indices where key.trusts & (1 << UInt64(trust)) != 0 {
            for (year, budget) in prepared.budgets[trust] ?? [:] where (capital[trust]?[year] ?? 0) > budget + 1e-6 {
                return false
            }
            for (year, budget) in prepared.revenueBudgets[trust] ?? [:]
            where (revenue[trust]?[year] ?? 0) > budget + 1e-6 {
                return false
            }
        }
        return true
    }

    /// The cut generators for `key`'s model: every one of CBC's with budgets, where the tiered orders' relaxation
    /// leaves gaps that branching alone closes slowly (the demo network's joint plan: 6 s plain, 1 s with cuts);
    /// none without budgets, whose models are small and solve in milliseconds by branching on their size runs.
    ///
    /// Probing, knapsack covers, cliques and flow covers alone make the Shapley analysis of 8 trusts and 80
    /// replacements at £2.5m a trust-year cheaper (28.0 s of CPU to 16.8 s, same optima), but leave the joint plan of
    /// the generator's 4 trusts and 120 replacements with budgets unproved after 60 s (3.7 s with all eight): the
    /// larger models need Gomory and the roundings.
    ///
    /// Whether a generator can cut off an optimum was checked against exhaustive enumeration on 1,200 small
    /// scenarios with budgets that bind (see the optimality tests), with rows and objective scaled by CBCSolver.
    static func cutGenerators(for key: ComponentKey) -> CutGenerators {
        key.isBudgeted
            ? [
                .probing, .gomory, .knapsackCover, .clique, .mixedIntegerRounding, .flowCover,
                .twoStepMixedIntegerRounding, .zeroHalf,
            ] : []
    }

    /// The rounds of root cuts a budgeted model gets: one when it is small and sparse, else five. A small model's
    /// search tree is small, and every later round costs more (re-solving a relaxation grown by the first round's
    /// cuts, probing again) than the nodes it saves. Measured (release, CPU seconds of fleet-bench's joint solve and
    /// Shapley analysis, paired runs at load 3.9–4.4): 8 trusts and 80 replacements at £2.5m a trust-year 18.6 and
    /// 18.4 with 5 rounds, 12.4 and 11.8 with one (1,423 nodes → 3,773, the same optima, every coalition proved);
    /// with funding routes 20.4 → 14.3. Two rounds give the same 1,423 nodes as 5 (17.6 s): the second round is where
    /// the time goes.
    ///
    /// Larger models lose by it: fleet-bench's 4 trusts and 120 replacements with the generator's budgets took 23.4
    /// and 23.7 CPU s with 5 rounds everywhere, 25.1 and 25.1 with one (nodes 5,605 → 12,144), so models of more than
    /// ``fewRootCutsLimit`` replacements keep 5. So do models with ``denseReplacementsPerTrust`` replacements a trust
    /// or more, whose orders are large enough for the tiers to matter: the demo network (72 replacements of 4 trusts,
    /// routes, 138 tiers) took 7.0 s to plan with one round and 3.6 s with five (2026-12-06, load 1.2), while 8/80 (10
    /// a trust) keeps its one. Counted in replacements, not variables: funding routes triple the quantities without
    /// enlarging the tiers, and 8/80 with routes took 18.1 with 5 rounds for its models above 800 variables against
    /// 13.7 with one everywhere.
    ///
    /// A search from no plan (`fromNoPlan`, ``searchesFromNoPlan(_:hasStart:)``) gets five whatever its size: such a
    /// coalition is often infeasible, and more rounds prove that at the root. fleet-bench's case 9 (6 trusts, 90
    /// replacements, funding routes, £2.0m a trust-year) has a coalition of 4 trusts that cannot meet its budgets:
    /// with one round CBC searched 35,000 nodes for 40 s and left it undecided; with five it is proved infeasible at
    /// the root in 0.1 s (HiGHS: in its presolve). The analysis then ends with no coalition undecided and 5 of its 63
    /// unproved, not 7 (largest gap 13.14 → 12.39 %), at its 30 s (2026-12-08).
    static func rootCutRounds(replacements: Int, trusts: Int, fromNoPlan: Bool = false) -> Int {
        fromNoPlan || replacements > fewRootCutsLimit || replacements >= denseReplacementsPerTrust * max(1, trusts)
            ? 5 : 1
    }

    /// Candidates a node of a budgeted model tries by strong branching, not the bridge's 5: its nodes are many and
    /// cheap, and trying fewer saves more than the few nodes it adds. Paired runs, in turn, 2026-12-07 (5 → 2):
    /// 8 trusts and 80 replacements at £2.5m a trust-year 4.33–4.49 → 4.15–4.37 s (nodes 3,177 → 3,139), with
    /// funding routes 3.71–3.79 → 3.52–3.62 s, 4 trusts and 120 replacements under the generator's budgets
    /// 5.54–5.65 → 5.23–5.30 s, `fleet demo` 4.8–5.0 → 3.8 s; 6 trusts and 60 replacements unchanged (0.61–0.64
    /// s), 12 classes 1.41 → 1.44–1.51 s. The capacity optimiser keeps 5 (10 trusts and 180 replacements took 3.2
    /// → 3.5 s with 2).
    static let budgetedStrongBranching = 2

    /// True when `key`'s search starts from no plan: a budgeted coalition of two or more trusts, some trust of which
    /// breaks its budgets alone, so that no merge of smaller coalitions' plans keeps them, though the coalition's
    /// joint orders may. Such a search gets CBC's feasibility pump at the root, and five rounds of root cuts whatever
    /// its size (``rootCutRounds(replacements:trusts:fromNoPlan:)``). Without a plan to start from, CBC found its
    /// first by branching alone, late: the demo network at three quarters of its budgets (one trust cannot keep its
    /// own) planned its joint plan 0.26 % from the optimum when the 60 s ran out, its first plan found after 25 s
    /// (the same model solved outside fleet); with the pump that plan is proved in 10 s and the whole analysis takes
    /// 12.8–13.3 s; at 80 % 52.6 → 14.6 s (2026-12-08; fleet-bench's `demo-budgets`). Where a start exists neither
    /// applies, and a trust alone is small. The pump costs something elsewhere: fleet-bench's 6 trusts and 90
    /// replacements with funding routes at £2.0m a trust-year (`infeasible-budgets` case 9, no trust able to keep
    /// its budgets alone) proves its joint plan in 6.1 s, not 4.6, and its coalitions that cannot meet their budgets
    /// take hundredths of a second more.
    static func searchesFromNoPlan(_ key: ComponentKey, hasStart: Bool) -> Bool {
        key.isBudgeted && !hasStart && key.trusts.nonzeroBitCount > 1
    }

    /// The most replacements of a budgeted model that gets a single round of root cuts.
    static let fewRootCutsLimit = 100

    /// Replacements a trust from which a budgeted model gets five rounds of root cuts, whatever its size.
    static let denseReplacementsPerTrust = 15

    /// The optimum of one component; nil when its budgets cannot be met, ``ComponentResult/unresolved`` when the
    /// time limit stopped a budgeted search before it found a plan or proved there is none. `lowerBound`, when
    /// known, is a cost no plan of the component can beat (its optimum without budgets), used for the gap at a time
    /// limit.
    private func solve(_ key: ComponentKey, lowerBound: Double?) throws -> ComponentResult? {
        let clock = ContinuousClock()
        let began = clock.now
        let startingPicks = try warmStart(for: key)
        if let startingPicks, isPastDeadline, startingPicks.count == replacementCount(of: key),
            meetsBudgets(startingPicks, key: key)
        {
            // Out of time: the merged plan of smaller coalitions stands, with its gap to the best bound known (the
            // optimum without budgets, or every unit at its deepest discount), so that the time limit holds
            // however many coalitions remain.
            let cost = prepared.cost(of: startingPicks)
            let bound = max(lowerBound ?? -.infinity, prepared.deepestDiscountBound(of: replacements(of: key)))
            return ComponentResult(
                picks: startingPicks,
                costGBP: cost,
                status: .timeLimit(relativeGap: Self.gap(cost, bound)),
                isBudgetRelaxed: false
            )
        }
        let formulation = PurchaseModel(scenario: prepared, key: key)
        guard formulation.replacementCount > 0 else {
            return ComponentResult(picks: [], costGBP: 0, status: .optimal, isBudgetRelaxed: false)
        }
        let start = startingPicks.flatMap(formulation.values(for:))
        let fromNoPlan = Self.searchesFromNoPlan(key, hasStart: start != nil)
        let formulated = clock.now
        let options = SolveOptions(
            timeLimitSeconds: remainingSeconds,
            absoluteGap: 0.01,
            relativeGap: 0,
            initialSolution: start,
            cutGenerators: Self.cutGenerators(for: key),
            // The budgeted parts of a Shapley analysis are hundreds of small models: cuts at their nodes cost more
            // than they save (8 trusts and 80 replacements at £2.5m a trust-year: 15.7 s with them, 9.6 s without).
            cutsAtRootOnly: true,
            maximumCutPassesAtRoot: key.isBudgeted
                ? Self.rootCutRounds(
                    replacements: formulation.replacementCount,
                    trusts: key.trusts.nonzeroBitCount,
                    fromNoPlan: fromNoPlan
                )
                : nil,
            feasibilityPump: fromNoPlan,
            strongBranchingCandidates: key.isBudgeted ? Self.budgetedStrongBranching : nil
        )
        let solution: Solution
        do {
            solution = try solver.solve(formulation.model, options: options)
        } catch {
            throw ProcurementFailure("The optimiser failed for \(describe(key)): \(error)")
        }
        let solved = clock.now
        work.add { statistics in
            statistics.modelsSolved += 1
            statistics.warmStarts += start == nil ? 0 : 1
            statistics.nodes += solution.nodeCount
            statistics.largestModelVariables = max(statistics.largestModelVariables, formulation.model.variables.count)
            statistics.formulationSeconds += (formulated - began).seconds
            statistics.solverSeconds += (solved - formulated).seconds
        }
        switch solution.status {
        case .optimal, .timeLimit:
            let picks = formulation.picks(from: solution)
            let cost = prepared.cost(of: picks)
            let objective = solution.objectiveValue ?? cost
            // The plan priced by the spec's rules must cost what the model said it would.
            // (It may cost less: a time-limited solution can pay a pool's units above the price its size earns.)
            guard picks.count == formulation.replacementCount, cost <= objective + 0.01 + 1e-7 * abs(objective)
            else {
                throw ProcurementFailure(
                    "The optimiser's plan for \(describe(key)) prices at £\(cost) against the model's £\(objective); "
                        + "this is a fault in the optimiser, please report it"
                )
            }
            var status = PlanStatus.optimal
            if case .timeLimit = solution.status {
                let bound = max(solution.bestBound ?? -.infinity, lowerBound ?? -.infinity)
                status = .timeLimit(relativeGap: bound.isFinite ? Self.gap(cost, bound) : 1)
            }
            return ComponentResult(picks: picks, costGBP: cost, status: status, isBudgetRelaxed: false)
        case .infeasible where key.isBudgeted:
            return nil
        case .timeLimitWithoutSolution where key.isBudgeted:
            // Past the time limit a coalition behind the Shapley split whose smaller coalitions give it no start
            // (some of them cannot meet their budgets) gets a moment, may find no plan in it, and would otherwise
            // end the whole analysis after its limit with nothing to show. The caller decides what that means.
            return .unresolved
        case .timeLimitWithoutSolution:
            throw ProcurementFailure(
                "No plan for \(describe(key)) was found within the time limit of \(timeLimitSeconds ?? 0) seconds; "
                    + "allow more time (--time-limit)"
            )
        case .infeasible, .unbounded:
            throw ProcurementFailure(
                "The optimiser found the plan for \(describe(key)) \(solution.status); this is a fault in the "
                    + "optimiser, please report it"
            )
        }
    }

    /// A plan to start `key`'s search from: ``mergedPlan(for:)``, and with budgets that plan made cheaper by single
    /// moves that keep them (``PreparedScenario/locallyImproved(_:passes:keepsBudgets:)``). Without budgets the
    /// models solve in milliseconds from any start.
    ///
    /// The moves are worth their time where the budgets bind: on 8 trusts and 80 replacements at £2.5m a trust-year
    /// (fleet-bench's `solve-flat-budgets` case 3) 134 of the 220 budgeted models then start at their optimum, not
    /// 61, and the joint plan and exact Shapley value take 3.9 s, not 4.6 (7.3 s of solver time, not 8.8; the moves
    /// add 0.05 s).
    private func warmStart(for key: ComponentKey) throws -> [Pick]? {
        guard let merged = try mergedPlan(for: key) else { return nil }
        guard key.isBudgeted else { return merged }
        return prepared.locallyImproved(merged) { meetsBudgets($0, key: key) }
    }

    /// The cheapest, among those known, of the plans of two disjoint smaller coalitions that make up `key`'s trusts,
    /// merged. Such a plan is feasible (merged orders only earn larger discounts, so no trust's capital rises) and
    /// costs no more than the two apart. With budgets every split is tried up to ``everySplitLimit`` trusts, beyond
    /// it each trust and each pair of trusts against the rest; without, each trust against the rest.
    private func mergedPlan(for key: ComponentKey) throws -> [Pick]? {
        let count = key.trusts.nonzeroBitCount
        guard count >= 2 else { return nil }
        let classes = Set(key.classes)
        let members = prepared.trusts.indices.filter { key.trusts & (1 << UInt64($0)) != 0 }.map {
            UInt64(1) << UInt64($0)
        }
        var known: [UInt64: [Pick]?] = [:]
        func picks(_ mask: UInt64) -> [Pick]? {
            if let cached = known[mask] { return cached }
            let found = cachedPicks(of: mask, classes: classes, budgeted: key.isBudgeted)
            known[mask] = found
            return found
        }
        var splits = members
        if !key.isBudgeted {
            // Models without budgets solve in milliseconds: each trust against the rest is enough.
        } else if count <= Self.everySplitLimit {
            splits = PreparedScenario.splits(of: key.trusts)
        } else {
            for (index, first) in members.enumerated() {
                for second in members[(index + 1)...] { splits.append(first | second) }
            }
        }
        var best: (picks: [Pick], cost: Double)?
        for part in splits {
            guard let own = picks(part), let others = picks(key.trusts & ~part) else { continue }
            let merged = own + others
            let cost = prepared.cost(of: merged)
            if best == nil || cost < best!.cost { best = (merged, cost) }
        }
        if best == nil {
            // No smaller coalition solved yet (the joint plan comes first when there are budgets, and a plan asked
            // for alone has no coalitions before it): the trusts' own plans merged, which meet the budgets whenever
            // each trust meets its own. Each trust alone is a small model, solved here when it is not known yet:
            // the demo network's purchase-only joint plan took 6.6 s from no start, 2.6 s this way.
            var merged: [Pick] = []
            for single in members {
                if picks(single) == nil {
                    for part in prepared.components(of: single) where part.classes.contains(where: classes.contains) {
                        _ = try component(part)
                    }
                }
                guard let alone = picks(single) ?? cachedPicks(of: single, classes: classes, budgeted: key.isBudgeted)
                else { return nil }
                merged += alone
            }
            return merged
        }
        return best?.picks
    }

    /// Up to this many trusts a coalition's start is sought among every split into two smaller coalitions (3ⁿ merges
    /// over a Shapley analysis's coalitions).
    static let everySplitLimit = 8

    /// The known plan of coalition `mask` for `classes`: its components among them, optimised with budgets when
    /// `budgeted` (the components of a smaller coalition nest inside those of a larger one) or class by class
    /// without; nil when one is not known yet or broke its budgets.
    private func cachedPicks(of mask: UInt64, classes: Set<Int>, budgeted: Bool) -> [Pick]? {
        lock.withLock {
            var picks: [Pick] = []
            for key in prepared.components(of: mask, ignoringBudgets: !budgeted)
            where key.classes.contains(where: classes.contains) {
                if let result = cache[key], !result.isBudgetRelaxed {
                    picks += result.picks
                    continue
                }
                // A component whose other parts broke their budgets may still hold a plan of the parts needed.
                guard key.isBudgeted else { return nil }
                for part in prepared.parts(of: key) where part.classes.contains(where: classes.contains) {
                    guard let result = part.isBudgeted ? partCache[part] ?? nil : cache[part], !result.isUnresolved
                    else { return nil }
                    picks += result.picks
                }
            }
            // A plan of a component restricted to some of its classes meets the budgets of those classes.
            return picks.filter { classes.contains(prepared.classOfReplacement[$0.replacement]) }
        }
    }

    /// The least overruns that `key`'s budgets force: those of its parts that cannot meet theirs (the parts share no
    /// budget, so their least overruns add up to the component's).
    private func shortfalls(_ key: ComponentKey) throws -> [BudgetShortfall] {
        var shortfalls: [BudgetShortfall] = []
        for part in prepared.parts(of: key) where part.isBudgeted {
            guard try budgetedPart(part) == nil else { continue }
            // Where the capital floor shows that a coalition's budgets cannot be met, its overruns (which every plan
            // exceeds) stand, at once; else, and for a trust alone, the least overruns of the part itself.
            let floor = part.trusts.nonzeroBitCount > 1 ? try capitalFloorShortfalls(of: part) : []
            shortfalls += floor.isEmpty ? try partShortfalls(part) : floor
        }
        return shortfalls
    }

    /// The least overruns that the budgets of `key`, a part of a budgeted component, force.
    private func partShortfalls(_ key: ComponentKey) throws -> [BudgetShortfall] {
        if let cached = lock.withLock({ shortfallCache[key] }) { return cached }
        let formulation = PurchaseModel(scenario: prepared, key: key, seekingShortfalls: true)
        let solution: Solution
        do {
            solution = try solver.solve(
                formulation.model,
                options: SolveOptions(
                    timeLimitSeconds: remainingSeconds,
                    absoluteGap: 0.01,
                    cutGenerators: Self.cutGenerators(for: key)
                )
            )
        } catch {
            throw ProcurementFailure("The optimiser failed to size the budget shortfalls of \(describe(key)): \(error)")
        }
        let shortfalls = solution.status.hasSolution ? formulation.shortfalls(in: solution) : []
        lock.withLock { shortfallCache[key] = shortfalls }
        return shortfalls
    }

    private func describe(_ key: ComponentKey) -> String {
        let trusts = prepared.trusts(in: key.trusts).map(\.rawValue).joined(separator: ", ")
        let classes = key.classes.map { prepared.classes[$0].rawValue }.joined(separator: ", ")
        return "\(trusts) (\(classes))"
    }
}

extension PreparedScenario {
    /// The cost of `picks` by the spec's rules, in pounds: per order its tier's price, then discounted price,
    /// discounted service and undiscounted timing penalty per unit.
    func cost(of picks: [Pick]) -> Double {
        let units = orderSizes(of: picks)
        var total = 0.0
        for pick in picks {
            let count = units[OrderSlotKey(offer: pick.offer, year: pick.year)] ?? 1
            let discount = schedules[pick.offer].tier(forOrderOf: count).discount
            total += unitCost(offer: pick.offer, route: pick.route, year: pick.year, discount: discount)
            total += scenario.replacements[pick.replacement].timingPenalty(inYear: pick.year).pounds
        }
        return total
    }

    /// The units of each order (offer and year) of `picks`.
    func orderSizes(of picks: [Pick]) -> [OrderSlotKey: Int] {
        var units: [OrderSlotKey: Int] = [:]
        for pick in picks { units[OrderSlotKey(offer: pick.offer, year: pick.year), default: 0] += 1 }
        return units
    }
}

/// An offer (by position) and a year: one order.
struct OrderSlotKey: Hashable {
    var offer: Int
    var year: Int
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
