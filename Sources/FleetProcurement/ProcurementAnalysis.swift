import FleetCore
import Foundation

/// How the savings of buying jointly are shared among the trusts.
public enum AllocationMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// The Shapley value of the savings game v(S) = Σ_{t∈S} cost({t}) − cost(S): each trust gets its average
    /// marginal saving over every order in which the trusts could have joined.
    case shapley
    /// In proportion to each trust's standalone cost.
    case proportional
}

/// Each trust's share of the savings under one method.
public struct SavingsAllocation: Hashable, Sendable {
    /// The method.
    public var method: AllocationMethod
    /// Each trust's share of the savings, in pounds; the shares add up to the savings.
    public var byTrust: [TrustName: GBP]
    /// For Shapley values estimated from random orders (more than ``AnalysisOptions/exactShapleyLimit`` trusts):
    /// the largest standard error of a trust's share, in pounds; nil when exact.
    public var standardErrorGBP: GBP?
    /// For estimated Shapley values: how many random orders were drawn.
    public var sampledOrders: Int?
}

/// Settings of the coalition analysis.
public struct AnalysisOptions: Sendable, Hashable {
    /// Up to this many trusts the Shapley value is exact (2ⁿ − 1 coalitions); beyond, it is estimated.
    public var exactShapleyLimit: Int
    /// Random orders drawn to estimate the Shapley value beyond the limit.
    public var sampledOrders: Int
    /// The seed of those orders: the same seed gives the same estimate.
    public var seed: UInt64
    /// Coalitions solved at once (the cores to use); nil for every active core.
    public var concurrency: Int?
    /// False to solve only the joint plan and each trust alone, for the proportional split: the coalitions the
    /// Shapley value needs are skipped and ``ProcurementAnalysis/shapley`` is nil.
    public var computesShapley: Bool

    /// Options with every setting given; by default the Shapley value exact up to 12 trusts, 200 orders beyond,
    /// seed 1, all cores.
    public init(
        exactShapleyLimit: Int = 12,
        sampledOrders: Int = 200,
        seed: UInt64 = 1,
        concurrency: Int? = nil,
        computesShapley: Bool = true
    ) {
        self.exactShapleyLimit = exactShapleyLimit
        self.sampledOrders = sampledOrders
        self.seed = seed
        self.concurrency = concurrency
        self.computesShapley = computesShapley
    }
}

/// How far a long analysis has got, for a progress line.
public struct AnalysisProgress: Sendable, Hashable {
    /// Coalitions whose cost is known.
    public var completed: Int
    /// Coalitions the analysis needs.
    public var total: Int
}

/// The network board's figures: the joint plan against each trust alone, the savings, and two fair splits of them.
public struct ProcurementAnalysis: Sendable {
    /// The trusts, in name order.
    public var trusts: [TrustName]
    /// The plan of all trusts buying together.
    public var jointPlan: Plan
    /// Each trust's plan alone.
    public var standalonePlans: [TrustName: Plan]
    /// The savings split by Shapley value; nil when the analysis was run for the proportional split only.
    public var shapley: SavingsAllocation?
    /// The savings split in proportion to standalone cost.
    public var proportional: SavingsAllocation
    /// The least certain status of all the plans the figures rest on.
    public var status: PlanStatus
    /// Coalitions whose cost was computed.
    public var coalitionsEvaluated: Int
    /// Coalitions whose plan a time limit left unproved (the joint plan and each trust alone are solved first, so
    /// these are usually only coalitions behind the Shapley split).
    public var unprovedCoalitions: Int = 0
    /// Coalitions behind the Shapley split that the time limit left without a plan meeting their budgets and without
    /// a proof that none exists (``CoalitionCost/isUnresolved``): each is counted at its cost without budgets, as a
    /// coalition that cannot meet its budgets is, and is among ``unprovedCoalitions``.
    public var unresolvedCoalitions: Int = 0

    /// The least certain status of the headline figures: the joint plan and each trust's plan alone.
    public var headlineStatus: PlanStatus {
        standalonePlans.values.reduce(jointPlan.status) { $0.combined(with: $1.status) }
    }

    /// The joint plan's cost, in pounds.
    public var jointCostGBP: GBP { jointPlan.totalCostGBP }
    /// Each trust's standalone cost, in pounds.
    public var standaloneCostByTrust: [TrustName: GBP] { standalonePlans.mapValues(\.totalCostGBP) }
    /// The sum of the standalone costs, in pounds.
    public var standaloneCostGBP: GBP { trusts.reduce(GBP.zero) { $0 + (standalonePlans[$1]?.totalCostGBP ?? .zero) } }
    /// Standalone less joint, in pounds.
    public var savingsGBP: GBP { standaloneCostGBP - jointCostGBP }

    /// The allocation of `method`; nil for the Shapley value when the analysis skipped it (see
    /// ``AnalysisOptions/computesShapley``).
    public func allocation(_ method: AllocationMethod) -> SavingsAllocation? {
        switch method {
        case .proportional: proportional
        case .shapley: shapley
        }
    }

    /// Capital paid under the joint plan (prices after tier discounts, undiscounted), in pounds.
    public var jointCapitalPaidGBP: GBP { jointPlan.capitalPaidGBP }
    /// Capital paid by every trust buying alone, in pounds.
    public var standaloneCapitalPaidGBP: GBP {
        trusts.reduce(GBP.zero) { $0 + (standalonePlans[$1]?.capitalPaidGBP ?? .zero) }
    }

    /// The budgets trusts cannot meet alone although the joint plan meets them (their standalone plans were
    /// optimised without those budgets, which understates their standalone cost and so the savings).
    public var standaloneShortfalls: [BudgetShortfall] {
        trusts.flatMap { standalonePlans[$0]?.budgetShortfalls ?? [] }
    }

    /// Optimises the joint plan, each trust's plan alone and every coalition the Shapley value needs, solving
    /// coalitions concurrently on all cores, each once every smaller coalition its start may come from is solved.
    ///
    /// When the joint plan cannot meet the budgets, the analysis stops with ``BudgetsInfeasible`` (exit 3). When
    /// the joint plan meets them but a trust alone (or a smaller coalition) cannot, that coalition's cost is
    /// optimised without the budgets it cannot meet: a conservative figure, since the true standalone cost with
    /// budgets is higher still (or undefined), so the savings are never overstated. ``standaloneShortfalls`` lists
    /// what each trust alone would lack. A coalition behind the split that the time limit leaves undecided is counted
    /// the same way (``unresolvedCoalitions``); the joint plan or a trust alone left so ends the analysis.
    /// - Parameter progress: called from worker threads after each coalition.
    /// - Throws: ``BudgetsInfeasible`` or ``ProcurementFailure``.
    public static func analyse(
        with optimizer: some ProcurementOptimizer,
        options: AnalysisOptions = AnalysisOptions(),
        progress: (@Sendable (AnalysisProgress) -> Void)? = nil
    ) async throws -> ProcurementAnalysis {
        let trusts = optimizer.trusts
        let n = trusts.count
        let everyone = Set(trusts)
        guard n > 0 else {
            let empty = try optimizer.plan(for: [])
            let none = SavingsAllocation(method: .shapley, byTrust: [:])
            return ProcurementAnalysis(
                trusts: [],
                jointPlan: empty,
                standalonePlans: [:],
                shapley: none,
                proportional: SavingsAllocation(method: .proportional, byTrust: [:]),
                status: .optimal,
                coalitionsEvaluated: 0
            )
        }
        // Budgets that the network cannot meet whatever it buys, when that shows before any search: exit 3 at once.
        if let shortfalls = try optimizer.budgetShortfallsBeforeSearch(for: everyone) {
            throw BudgetsInfeasible(trusts: trusts, shortfalls: shortfalls)
        }
        // The headline first: each trust alone (their plans merged are a feasible start for the joint plan), then
        // the joint plan, so that a time limit reached among the other coalitions leaves these proved optimal, and
        // budgets the joint plan cannot meet end the analysis (exit 3) before the other coalitions are solved.
        let alone = try trusts.map { try optimizer.cost(for: [$0]) }
        let exact = n <= options.exactShapleyLimit
        let orders =
            exact || !options.computesShapley
            ? [] : Shapley.randomOrders(playerCount: n, count: options.sampledOrders, seed: options.seed)
        let everyoneMask: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
        var needed: Set<UInt64>
        if !options.computesShapley {
            needed = [everyoneMask]
        } else if exact {
            needed = Set(1...everyoneMask)
        } else {
            needed = Shapley.coalitions(along: orders)
        }
        for player in 0..<n { needed.insert(1 << UInt64(player)) }

        // With budgets, though, the joint plan can take a third of an exact analysis (4 trusts and 120
        // replacements: 7.0 s of 17.5) while a core stands idle. So there it is solved alongside the other
        // coalitions, on a copy of the optimiser made now: it starts from each trust's plan alone, as it would have
        // here, never from a coalition that happens to be solved by then, so the plan is the same however the work
        // falls. Budgets it cannot meet still end the analysis, once the coalitions being solved then are done.
        let width = max(1, options.concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        let alongside = n >= 3 && width > 1 && options.computesShapley && exact && optimizer.hasBudgets
        let copy = alongside ? optimizer.independentCopy() : nil
        var headline: Plan?
        if copy == nil {
            headline = try jointPlan(of: trusts, optimizer)
        } else {
            needed.remove(everyoneMask)
        }
        let evaluated = try await evaluate(
            needed,
            alone: alone,
            trusts: trusts,
            optimizer: optimizer,
            jointPlan: copy.map { copy in
                { @Sendable in
                    let plan = try jointPlan(of: trusts, copy)
                    return (plan, try copy.cost(for: everyone))
                }
            },
            inDependencyOrder: exact,
            width: width,
            progress: progress
        )
        var costs = evaluated.costs
        if let separate = evaluated.jointPlan {
            headline = separate.plan
            costs[everyoneMask] = separate.cost
        }
        guard let headline else { preconditionFailure("the joint plan is solved before or alongside the others") }
        var status = headline.status
        for cost in costs.values { status = status.combined(with: cost.status) }
        let unresolved = costs.values.count(where: \.isUnresolved)
        // An undecided coalition's cost has no gap to speak of, but nothing about it is proved.
        if unresolved > 0 { status = status.combined(with: .timeLimit(relativeGap: 0)) }

        var standalonePlans: [TrustName: Plan] = [:]
        for trust in trusts { standalonePlans[trust] = try optimizer.plan(for: [trust]) }
        let standalone = (0..<n).map { costs[1 << UInt64($0)]!.costGBP.pounds }
        // The savings game: v(S) = Σ_{t∈S} cost({t}) − cost(S), with v(∅) = 0.
        let worth: (UInt64) -> Double = { mask in
            guard mask != 0 else { return 0 }
            let sumAlone = (0..<n).reduce(0.0) { mask & (1 << UInt64($1)) != 0 ? $0 + standalone[$1] : $0 }
            return sumAlone - costs[mask]!.costGBP.pounds
        }
        var shapley: SavingsAllocation?
        if !options.computesShapley {
            shapley = nil
        } else if exact {
            let shares = Shapley.exact(playerCount: n, worth: worth)
            shapley = SavingsAllocation(
                method: .shapley,
                byTrust: Dictionary(uniqueKeysWithValues: zip(trusts, shares.map(GBP.init)))
            )
        } else {
            let (shares, errors) = Shapley.sampled(orders: orders, worth: worth)
            shapley = SavingsAllocation(
                method: .shapley,
                byTrust: Dictionary(uniqueKeysWithValues: zip(trusts, shares.map(GBP.init))),
                standardErrorGBP: GBP(errors.max() ?? 0),
                sampledOrders: orders.count
            )
        }
        let totalAlone = standalone.reduce(0, +)
        let savings = totalAlone - (costs[everyoneMask]?.costGBP ?? headline.totalCostGBP).pounds
        let proportional = SavingsAllocation(
            method: .proportional,
            byTrust: Dictionary(
                uniqueKeysWithValues: zip(
                    trusts,
                    standalone.map { GBP(totalAlone > 0 ? savings * $0 / totalAlone : 0) }
                )
            )
        )
        return ProcurementAnalysis(
            trusts: trusts,
            jointPlan: headline,
            standalonePlans: standalonePlans,
            shapley: shapley,
            proportional: proportional,
            status: status,
            coalitionsEvaluated: costs.count,
            unprovedCoalitions: costs.values.count { $0.status != .optimal || $0.isUnresolved },
            unresolvedCoalitions: unresolved
        )
    }

    /// The plan of `everyone` buying together.
    /// - Throws: ``BudgetsInfeasible`` when it cannot meet the budgets.
    private static func jointPlan(of everyone: [TrustName], _ optimizer: some ProcurementOptimizer) throws -> Plan {
        let plan = try optimizer.plan(for: Set(everyone))
        if plan.isBudgetRelaxed { throw BudgetsInfeasible(trusts: everyone, shortfalls: plan.budgetShortfalls) }
        return plan
    }

    /// The cost of each coalition in `masks`, `width` at once, and the plan `jointPlan` finds (when given, the joint
    /// plan is not among `masks`), solved first among them; each trust alone costs what `alone` says.
    private static func evaluate(
        _ masks: Set<UInt64>,
        alone: [CoalitionCost],
        trusts: [TrustName],
        optimizer: some ProcurementOptimizer,
        jointPlan: (@Sendable () throws -> (plan: Plan, cost: CoalitionCost))?,
        inDependencyOrder: Bool,
        width: Int,
        progress: (@Sendable (AnalysisProgress) -> Void)?
    ) async throws -> (costs: [UInt64: CoalitionCost], jointPlan: (plan: Plan, cost: CoalitionCost)?) {
        let total = masks.count + (jointPlan == nil ? 0 : 1)
        var costs: [UInt64: CoalitionCost] = [:]
        for mask in masks where mask.nonzeroBitCount == 1 { costs[mask] = alone[mask.trailingZeroBitCount] }
        var schedule = CoalitionSchedule(
            masks.filter { $0.nonzeroBitCount > 1 },
            trustCount: trusts.count,
            inDependencyOrder: inDependencyOrder
        )
        var joint: (plan: Plan, cost: CoalitionCost)?
        try await withThrowingTaskGroup(of: FinishedWork.self) { group in
            var running = 0
            func submitReady() {
                while running < width, let mask = schedule.next() {
                    let coalition = Set(trusts.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { trusts[$0] })
                    group.addTask { .coalition(mask, try optimizer.cost(for: coalition)) }
                    running += 1
                }
            }
            if let jointPlan {
                group.addTask {
                    let (plan, cost) = try jointPlan()
                    return .jointPlan(plan, cost)
                }
                running += 1
            }
            submitReady()
            while let finished = try await group.next() {
                running -= 1
                switch finished {
                case .jointPlan(let plan, let cost):
                    joint = (plan, cost)
                case .coalition(let mask, let cost):
                    costs[mask] = cost
                    schedule.finish(mask)
                }
                progress?(AnalysisProgress(completed: costs.count + (joint == nil ? 0 : 1), total: total))
                submitReady()
            }
        }
        return (costs, joint)
    }

    /// What a task of ``evaluate(_:trusts:optimizer:jointPlan:inDependencyOrder:width:progress:)`` found.
    private enum FinishedWork: Sendable {
        case coalition(UInt64, CoalitionCost)
        case jointPlan(Plan, CoalitionCost)
    }
}

/// The order coalitions of two trusts or more are solved in. A coalition's search starts from smaller coalitions'
/// plans, so it waits for those to be solved, and its plan never depends on how the work falls on the cores:
/// - in dependency order (an exact Shapley analysis, which solves every coalition), a coalition waits for each of
///   its coalitions of one trust fewer, and so, through them, for every smaller coalition within it;
/// - otherwise (coalitions along sampled orders), for every smaller coalition given, size by size.
///
/// Among ready coalitions the largest go first: they take longest and free the most others.
struct CoalitionSchedule {
    private let inDependencyOrder: Bool
    private let trustCount: Int
    /// In dependency order, the coalitions of one trust fewer each still waits for.
    private var waitingFor: [UInt64: Int] = [:]
    /// Otherwise, the coalitions size by size, smallest first, and how many of the released size remain.
    private var sizes: [[UInt64]] = []
    private var unfinishedOfReleasedSize = 0
    /// Coalitions ready to solve, the next last.
    private var ready: [UInt64] = []

    /// The schedule of `masks` (coalitions of two trusts or more among `trustCount`).
    init(_ masks: Set<UInt64>, trustCount: Int, inDependencyOrder: Bool) {
        self.inDependencyOrder = inDependencyOrder
        self.trustCount = trustCount
        if inDependencyOrder {
            for mask in masks {
                let count = (0..<trustCount).count { trust in
                    let smaller = mask & ~(1 << UInt64(trust))
                    return smaller != mask && masks.contains(smaller)
                }
                waitingFor[mask] = count
                if count == 0 { ready.append(mask) }
            }
            sortReady()
        } else {
            sizes = Dictionary(grouping: masks, by: \.nonzeroBitCount).sorted { $0.key > $1.key }.map(\.value)
            releaseNextSize()
        }
    }

    /// The next coalition to solve, or nil when none is ready.
    mutating func next() -> UInt64? { ready.popLast() }

    /// Records that `mask` is solved, readying what waited for it.
    mutating func finish(_ mask: UInt64) {
        if inDependencyOrder {
            for trust in 0..<trustCount where mask & (1 << UInt64(trust)) == 0 {
                let larger = mask | (1 << UInt64(trust))
                // Each coalition of one trust fewer finishes once, so this reaches zero when the last of them does.
                guard let count = waitingFor[larger] else { continue }
                waitingFor[larger] = count - 1
                if count == 1 { makeReady(larger) }
            }
        } else {
            unfinishedOfReleasedSize -= 1
            if unfinishedOfReleasedSize == 0 { releaseNextSize() }
        }
    }

    private mutating func releaseNextSize() {
        guard let size = sizes.popLast() else { return }
        ready = size
        unfinishedOfReleasedSize = size.count
        sortReady()
    }

    /// Adds `mask` to the ready coalitions in their order.
    private mutating func makeReady(_ mask: UInt64) {
        var low = 0
        var high = ready.count
        while low < high {
            let middle = (low + high) / 2
            if Self.goesBefore(ready[middle], mask) { low = middle + 1 } else { high = middle }
        }
        ready.insert(mask, at: low)
    }

    private mutating func sortReady() { ready.sort(by: Self.goesBefore) }

    /// The order of ``ready``: solved later before solved sooner, so the largest coalition (then the lowest mask)
    /// is last, the next out.
    private static func goesBefore(_ first: UInt64, _ second: UInt64) -> Bool {
        (first.nonzeroBitCount, second) < (second.nonzeroBitCount, first)
    }
}

/// The joint plan cannot meet the trusts' capital budgets (exit 3).
public struct BudgetsInfeasible: FleetError, Sendable {
    /// The trusts of the plan.
    public var trusts: [TrustName]
    /// The least overruns, by trust and year, that any plan needs.
    public var shortfalls: [BudgetShortfall]

    /// A failure naming `shortfalls`.
    public init(trusts: [TrustName], shortfalls: [BudgetShortfall]) {
        self.trusts = trusts
        self.shortfalls = shortfalls
    }

    /// Exit 3: the plan is infeasible.
    public var exitCode: FleetExitCode { .infeasible }

    /// What cannot be met, by how much, and what to change.
    public var description: String {
        guard !shortfalls.isEmpty else {
            return "The budgets of \(trusts.map(\.rawValue).joined(separator: ", ")) cannot be met: no plan that buys "
                + "each replacement within its window keeps them all (the optimiser proved it), but the time limit ran "
                + "out before it sized the least overruns; allow more time (--time-limit) to see them, or raise the "
                + "budgets, widen the replacement windows, or move replacements to later years."
        }
        func total(_ kind: BudgetKind) -> GBP {
            shortfalls.reduce(GBP.zero) { $1.kind == kind ? $0 + $1.shortfallGBP : $0 }
        }
        let kinds = BudgetKind.allCases.filter { kind in shortfalls.contains { $0.kind == kind } }
        let what = kinds.map { "\(total($0)) more \($0.rawValue)" }.joined(separator: " and ")
        let budgets = kinds.map(\.rawValue).joined(separator: " and ")
        var lines = [
            "The \(budgets) budgets cannot be met: every plan that buys each replacement within its window needs at "
                + "least \(what) than the budgets allow. The smallest overruns:"
        ]
        lines += shortfalls.map { "  \($0)" }
        lines.append("Raise these budgets, widen the replacement windows, or move replacements to later years.")
        return lines.joined(separator: "\n")
    }
}
