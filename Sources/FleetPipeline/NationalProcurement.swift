import FleetCore
import FleetPriority
import FleetProcurement
import Foundation

/// Several networks' procurement analyses and their national sum (SPEC: a national figure is the sum over the
/// networks; each network's trusts buy together, networks do not).
public struct NationalProcurement: Sendable {
    /// One network's scenario and analysis.
    public struct Network: Sendable {
        /// The network; nil for units whose register row names none.
        public var name: NetworkName?
        /// The scenario solved.
        public var scenario: Scenario
        /// The joint plan, the standalone plans and the allocation.
        public var analysis: ProcurementAnalysis

        /// A network's result.
        public init(name: NetworkName?, scenario: Scenario, analysis: ProcurementAnalysis) {
            self.name = name
            self.scenario = scenario
            self.analysis = analysis
        }
    }

    /// The networks, in planning order.
    public var networks: [Network]

    /// The networks given.
    public init(networks: [Network]) { self.networks = networks }

    /// Σ the networks' joint costs, in pounds.
    public var jointCostGBP: GBP { networks.reduce(.zero) { $0 + $1.analysis.jointCostGBP } }
    /// Σ every trust's cost alone, in pounds.
    public var standaloneCostGBP: GBP { networks.reduce(.zero) { $0 + $1.analysis.standaloneCostGBP } }
    /// Standalone less joint, in pounds.
    public var savingsGBP: GBP { standaloneCostGBP - jointCostGBP }
    /// Optimal when every network's plans are; else the largest gap.
    public var status: PlanStatus { networks.reduce(PlanStatus.optimal) { $0.combined(with: $1.analysis.status) } }
    /// Trusts over all networks.
    public var trustCount: Int { networks.reduce(0) { $0 + $1.analysis.trusts.count } }
    /// Replacements over all networks.
    public var replacementCount: Int { networks.reduce(0) { $0 + $1.scenario.replacements.count } }
}

extension NetworkPlanning {
    /// The scenario of each of `networks`, in order, as ``scenario(for:budgets:includesCapacity:)`` derives it
    /// (without capacity): the ranking's assessments are built once and grouped by network, not once per network.
    public func scenarios(for networks: [NetworkName?], budgets: [Budget]) -> [DerivedScenario] {
        let assessmentsByNetwork = Dictionary(grouping: ranking.assessments, by: \.network)
        var trustsByNetwork: [NetworkName?: Set<TrustName>] = [:]
        for asset in snapshot.assets { trustsByNetwork[asset.network, default: []].insert(asset.trust) }
        return networks.map { network in
            derive(
                from: assessmentsByNetwork[network] ?? [],
                trusts: trustsByNetwork[network] ?? [],
                budgets: budgets
            )
        }
    }
}

extension NationalProcurement {
    /// Analyses each network's scenario (``NetworkPlanning/analyse(_:timeLimitSeconds:options:memoryLimit:progress:)``)
    /// with several networks solved at once, one per core, each on one core; a single network uses every core
    /// itself. Each analysis is the same as when the networks are solved one after another: a coalition starts
    /// from smaller coalitions' plans of its own network only.
    /// - Parameters:
    ///   - networks: each network's name and scenario, in planning order (the result keeps it).
    ///   - concurrency: networks solved at once; nil for every active core.
    ///   - finished: called from worker threads as each network's analysis ends, with the number ended so far.
    /// - Throws: the error the earliest failing network in planning order throws, as solving them in order would
    ///   (no network is started after one has failed).
    public static func solve(
        _ networks: [(name: NetworkName?, scenario: Scenario)],
        timeLimitSeconds: Double?,
        concurrency: Int? = nil,
        finished: (@Sendable (Int) -> Void)? = nil
    ) async throws -> NationalProcurement {
        let width = max(1, min(concurrency ?? ProcessInfo.processInfo.activeProcessorCount, networks.count))
        // One core for each network when several run at once; every core when only one does.
        let options = AnalysisOptions(concurrency: width > 1 ? 1 : concurrency)
        var results = [Result<ProcurementAnalysis, any Error>?](repeating: nil, count: networks.count)
        try await withThrowingTaskGroup(of: (Int, Result<ProcurementAnalysis, any Error>).self) { group in
            var next = 0
            var failed = false
            func submit() {
                let index = next
                let scenario = networks[index].scenario
                next += 1
                group.addTask {
                    do {
                        let analysis = try await NetworkPlanning.analyse(
                            scenario,
                            timeLimitSeconds: timeLimitSeconds,
                            options: options
                        )
                        return (index, .success(analysis))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < networks.count && next < width { submit() }
            var ended = 0
            while let (index, result) = try await group.next() {
                results[index] = result
                ended += 1
                finished?(ended)
                if case .failure = result { failed = true }
                if !failed, next < networks.count { submit() }
            }
        }
        var solved: [Network] = []
        solved.reserveCapacity(networks.count)
        for (network, result) in zip(networks, results) {
            // Networks after a failure may not have been started: the earliest failure is thrown before them.
            guard let result else { break }
            solved.append(Network(name: network.name, scenario: network.scenario, analysis: try result.get()))
        }
        return NationalProcurement(networks: solved)
    }
}
