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
    /// coalitions concurrently on all cores (by size, so each can start from smaller coalitions' plans).
    ///
    /// When the joint plan cannot meet the budgets, the analysis stops with ``BudgetsInfeasible`` (exit 3). When
    /// the joint plan meets them but a trust alone (or a smaller coalition) cannot, that coalition's cost is
    /// optimised without the budgets it cannot meet: a conservative figure, since the true standalone cost with
    /// budgets is higher still (or undefined), so the savings are never overstated. ``standaloneShortfalls`` lists
    /// what each trust alone would lack.
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
        // The headline first: each trust alone (their plans merged are a feasible start for the joint plan), then
        // the joint plan, so that a time limit reached among the other coalitions leaves these proved optimal, and
        // budgets the joint plan cannot meet end the analysis before any other work.
        for trust in trusts { _ = try optimizer.cost(for: [trust]) }
        let headline = try optimizer.plan(for: everyone)
        if headline.isBudgetRelaxed {
            throw BudgetsInfeasible(trusts: trusts, shortfalls: headline.budgetShortfalls)
        }

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
        let costs = try await evaluate(
            needed,
            trusts: trusts,
            optimizer: optimizer,
            concurrency: options.concurrency,
            progress: progress
        )
        let joint = headline
        var status = joint.status
        for cost in costs.values { status = status.combined(with: cost.status) }

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
        let savings = totalAlone - (costs[everyoneMask]?.costGBP ?? joint.totalCostGBP).pounds
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
            jointPlan: joint,
            standalonePlans: standalonePlans,
            shapley: shapley,
            proportional: proportional,
            status: status,
            coalitionsEvaluated: costs.count,
            unprovedCoalitions: costs.values.count { $0.status != .optimal }
        )
    }

    /// The cost of each coalition in `masks`, smallest coalitions first, several at once.
    private static func evaluate(
        _ masks: Set<UInt64>,
        trusts: [TrustName],
        optimizer: some ProcurementOptimizer,
        concurrency: Int?,
        progress: (@Sendable (AnalysisProgress) -> Void)?
    ) async throws -> [UInt64: CoalitionCost] {
        let width = max(1, concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        let total = masks.count
        var costs: [UInt64: CoalitionCost] = [:]
        let bySize = Dictionary(grouping: masks, by: \.nonzeroBitCount)
        for size in bySize.keys.sorted() {
            let level = bySize[size]!.sorted()
            try await withThrowingTaskGroup(of: (UInt64, CoalitionCost).self) { group in
                var next = 0
                func submit() {
                    let mask = level[next]
                    next += 1
                    let coalition = Set(trusts.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { trusts[$0] })
                    group.addTask { (mask, try optimizer.cost(for: coalition)) }
                }
                while next < level.count && next < width { submit() }
                while let (mask, cost) = try await group.next() {
                    costs[mask] = cost
                    progress?(AnalysisProgress(completed: costs.count, total: total))
                    if next < level.count { submit() }
                }
            }
        }
        return costs
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
