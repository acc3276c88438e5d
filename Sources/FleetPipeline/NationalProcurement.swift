import FleetCore
import FleetProcurement

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
