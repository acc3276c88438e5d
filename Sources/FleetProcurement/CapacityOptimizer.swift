import FleetCore
import Foundation
import MILP

/// The optimiser of a scenario with shortfalls to cover or sites to keep running (``CapacityModel``): each
/// coalition is one mixed-integer program, solved exactly and kept, so a Shapley analysis solves each coalition
/// once. A scenario without either is planned by ``PurchaseOptimizer``, exactly as before.
public final class CapacityOptimizer: ProcurementOptimizer, @unchecked Sendable {
    /// The trusts with replacements or shortfalls, in name order.
    public let trusts: [TrustName]
    let prepared: PreparedScenario
    private let solver: any MILPSolver
    private let deadline: ContinuousClock.Instant?
    private let timeLimitSeconds: Double?
    private let lock = NSLock()
    private var cache: [UInt64: Plan] = [:]
    /// The same scenario without shortfalls, sites or cover, whose plans start each search.
    private let replacementsOnly: PurchaseOptimizer

    /// An optimiser for `scenario` (which must have passed ``Scenario/validate()``).
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
        var plain = scenario
        plain.capacity = []
        plain.classes = []
        for index in plain.replacements.indices {
            plain.replacements[index].site = nil
            plain.replacements[index].siteUnits = nil
            plain.replacements[index].coverCostGBP = .zero
        }
        replacementsOnly = try PurchaseOptimizer(scenario: plain, solver: solver, timeLimitSeconds: timeLimitSeconds)
    }

    /// A plan to start from: the coalition's optimum without capacity or continuity, its units moved within
    /// their windows where a site would lose all its units in one year.
    private func startingPicks(_ mask: UInt64) -> [Pick]? {
        let coalition = Set(prepared.trusts(in: mask))
        guard let plan = try? replacementsOnly.plan(for: coalition), !plan.isBudgetRelaxed else { return nil }
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
        let plan = try plan(ofMask: prepared.mask(of: coalition))
        return CoalitionCost(costGBP: plan.totalCostGBP, status: plan.status, isBudgetRelaxed: plan.isBudgetRelaxed)
    }

    public func plan(for coalition: Set<TrustName>) throws -> Plan {
        try plan(ofMask: prepared.mask(of: coalition))
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
        let budgeted = prepared.budgetedTrusts & mask != 0
        var plan: Plan
        let formulation = CapacityModel(prepared: prepared, mask: mask, budgets: budgeted)
        var start = startingPicks(mask).flatMap(formulation.values(for:))
        if let merged = try mergedStart(mask, formulation),
            start.map({ formulation.model.objectiveValue(of: merged) < formulation.model.objectiveValue(of: $0) })
                ?? true
        {
            start = merged
        }
        if let solved = try solve(formulation, mask, start: start) {
            plan = solved
        } else {
            // The budgets cannot all be met: the least overruns, then the plan without budgets.
            let seeking = CapacityModel(prepared: prepared, mask: mask, budgets: true, seekingShortfalls: true)
            let solution = try run(seeking.model, mask, start: nil, budgeted: true)
            let shortfalls = seeking.shortfalls(in: solution)
            let unbudgeted = CapacityModel(prepared: prepared, mask: mask, budgets: false)
            let unbudgetedStart = startingPicks(mask).flatMap(unbudgeted.values(for:))
            guard let relaxed = try solve(unbudgeted, mask, start: unbudgetedStart) else {
                throw ProcurementFailure(
                    "No plan meets site continuity for \(describe(mask)): a site would lose all its units of a "
                        + "modality in one year (widen the replacements' windows in replacements.csv)"
                )
            }
            plan = relaxed
            plan.isBudgetRelaxed = true
            plan.budgetShortfalls = shortfalls.sorted { ($0.trust, $0.year) < ($1.trust, $1.year) }
        }
        lock.withLock { cache[mask] = plan }
        return plan
    }

    /// A start for coalition `mask`: the cheapest merge known of plans of disjoint smaller coalitions that
    /// make it up — any two solved already, or every trust's own plan (solved first) — which meets every budget and
    /// costs no more than its parts apart. The replacements-only start outsources every shortfall, far from the
    /// optimum, and CBC may find nothing better within the time limit. Without budgets too: the demo network with
    /// capacity and no budgets, 120 s, the joint plan within 1.10 % and the coalitions within 66.35 % from the
    /// replacements-only start, within 0.42 % and 6.07 % from merged ones.
    private func mergedStart(_ mask: UInt64, _ formulation: CapacityModel) throws -> [Double]? {
        guard mask.nonzeroBitCount >= 2 else { return nil }
        let members = prepared.trusts.indices.map { UInt64(1) << UInt64($0) }.filter { mask & $0 != 0 }
        for single in members { _ = try plan(ofMask: single) }
        let known = lock.withLock { cache }
        var partitions: [[UInt64]] = [members]
        for part in PreparedScenario.splits(of: mask) where known[part] != nil && known[mask & ~part] != nil {
            partitions.append([part, mask & ~part])
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
    private func run(_ model: Model, _ mask: UInt64, start: [Double]?, budgeted: Bool) throws -> Solution {
        let options = SolveOptions(
            timeLimitSeconds: remainingSeconds,
            absoluteGap: 0.01,
            relativeGap: 0,
            initialSolution: start,
            cutGenerators: [
                .probing, .gomory, .knapsackCover, .clique, .mixedIntegerRounding, .flowCover,
                .twoStepMixedIntegerRounding, .zeroHalf,
            ],
            cutsAtRootOnly: !budgeted
        )
        do {
            return try solver.solve(model, options: options)
        } catch {
            throw ProcurementFailure("The optimiser failed for \(describe(mask)): \(error)")
        }
    }

    /// The plan of `formulation`, or nil when it is infeasible.
    private func solve(_ formulation: CapacityModel, _ mask: UInt64, start: [Double]?) throws -> Plan? {
        let solution = try run(formulation.model, mask, start: start, budgeted: formulation.hasBudgetRows)
        switch solution.status {
        case .optimal, .timeLimit:
            var status = PlanStatus.optimal
            let objective = solution.objectiveValue ?? 0
            if case .timeLimit = solution.status {
                let bound = solution.bestBound ?? -.infinity
                status = .timeLimit(
                    relativeGap: bound.isFinite ? max(0, objective - bound) / max(1, abs(objective)) : 1
                )
            }
            let plan = formulation.plan(from: solution, status: status)
            let cost = plan.totalCostGBP.pounds
            guard cost <= objective + 0.01 + 1e-7 * abs(objective) else {
                throw ProcurementFailure(
                    "The optimiser's plan for \(describe(mask)) prices at £\(cost) against the model's £\(objective); "
                        + "this is a fault in the optimiser, please report it"
                )
            }
            return plan
        case .infeasible:
            return nil
        case .timeLimitWithoutSolution:
            throw ProcurementFailure(
                "No plan for \(describe(mask)) was found within the time limit of \(timeLimitSeconds ?? 0) seconds; "
                    + "allow more time (--time-limit)"
            )
        case .unbounded:
            throw ProcurementFailure("The optimiser found the plan for \(describe(mask)) unbounded; please report it")
        }
    }
}
