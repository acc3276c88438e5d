import FleetCore
import FleetPriority
import FleetProcurement
import FleetRegister
import Foundation

/// One run of the planning pipeline over a register: the catalog, the units in scope, their ranking, and per
/// network the procurement scenario and its analysis. Procurement is planned network by network (each network's
/// trusts are one coalition); a national figure is the sum over networks.
public struct NetworkPlanning: Sendable {
    /// Equipment classes and priority settings.
    public let planning: PlanningCatalog
    /// Supplier offers, tiers and appraisal settings.
    public let procurement: ProcurementCatalog
    /// The units in service in scope and their utilisation.
    public let snapshot: RegisterSnapshot
    /// Every ranked unit, highest priority first.
    public let ranking: Ranking

    /// Ranks the units of `snapshot` under `planning`.
    /// - Throws: ``InvalidInput`` when the catalog has no class for a unit's modality.
    public init(planning: PlanningCatalog, procurement: ProcurementCatalog, snapshot: RegisterSnapshot) throws {
        self.planning = planning
        self.procurement = procurement
        self.snapshot = snapshot
        ranking = try planning.priorityModel.rank(
            assets: snapshot.assets,
            utilisation: snapshot.utilisation,
            asOf: snapshot.asOf
        )
    }

    /// The networks of the units in scope, in register order (nil for units whose register row names none).
    public var networks: [NetworkName?] { snapshot.networks }

    /// The ranked units of `network`, highest priority first.
    public func assessments(in network: NetworkName?) -> [Assessment] {
        ranking.assessments.filter { $0.network == network }
    }

    /// The scenario of `network`, with the budgets of its trusts among `budgets`; with `includesCapacity` (and a
    /// catalog with `capacity.toml`), its shortfalls, addition classes and site continuity too
    /// (``ScenarioDerivation/addingCapacity(to:assets:utilisation:asOf:settings:equipment:catalog:)``).
    public func scenario(
        for network: NetworkName?,
        budgets: [Budget],
        includesCapacity: Bool = false
    ) -> DerivedScenario {
        let derived = derive(
            from: assessments(in: network),
            trusts: Set(snapshot.assets.lazy.filter { $0.network == network }.map(\.trust)),
            budgets: budgets
        )
        guard includesCapacity, let capacity = procurement.capacity else { return derived }
        return ScenarioDerivation.addingCapacity(
            to: derived,
            // Demand counts the scans of every unit of the trust, decommissioned ones too (spec: "Capacity").
            assets: (snapshot.assets + snapshot.decommissioned).filter { $0.network == network },
            utilisation: snapshot.utilisation,
            asOf: snapshot.asOf,
            settings: capacity.settings,
            equipment: capacity.equipment,
            catalog: procurement
        )
    }

    /// The scenario of ranked units `assessments` (one network's), with the budgets of `trusts` among `budgets`.
    func derive(from assessments: [Assessment], trusts: Set<TrustName>, budgets: [Budget]) -> DerivedScenario {
        ScenarioDerivation.derive(
            from: assessments,
            catalog: procurement,
            budgets: budgets.filter { trusts.contains($0.trust) },
            asOf: snapshot.asOf
        )
    }

    /// Solves `scenario`: the joint plan, each trust alone, every coalition the allocation needs.
    /// - Parameters:
    ///   - timeLimitSeconds: the time all solves may take together; plans not proved optimal by then carry a gap.
    ///   - memoryLimit: the memory the optimisation may need (``ProblemSize/memoryLimit(environment:physicalMemory:)``
    ///     by default: `FLEET_MEMORY_LIMIT_MB`, else half the machine's memory); a larger scenario is refused before
    ///     any solve.
    ///   - progress: called from worker threads after each coalition.
    /// - Throws: ``BudgetsInfeasible`` (exit 3), ``InvalidInput`` for a scenario that contradicts itself,
    ///   ``ProblemTooLarge`` and ``ProcurementFailure`` (exit 4).
    public static func analyse(
        _ scenario: Scenario,
        timeLimitSeconds: Double?,
        options: AnalysisOptions = AnalysisOptions(),
        memoryLimit: (bytes: Double, source: String) = ProblemSize.memoryLimit(),
        progress: (@Sendable (AnalysisProgress) -> Void)? = nil
    ) async throws -> ProcurementAnalysis {
        if scenario.hasCapacityOrContinuity {
            // Shortfalls to cover or sites to keep running: exact models of each coalition (CapacityModel), one for
            // each modality without budgets.
            let optimizer = try CapacityOptimizer(scenario: scenario, timeLimitSeconds: timeLimitSeconds)
            return try await ProcurementAnalysis.analyse(with: optimizer, options: options, progress: progress)
        }
        let optimizer = try PurchaseOptimizer(scenario: scenario, timeLimitSeconds: timeLimitSeconds)
        try ProblemSize(scenario: scenario, options: options).check(against: memoryLimit)
        return try await ProcurementAnalysis.analyse(with: optimizer, options: options, progress: progress)
    }

    /// Folder names for `networks`, in order: each network's ``folderName(for:)``, with `-2`, `-3`… added where
    /// two names give the same folder name (`North East` and `north-east`), so that no network's files are
    /// written over another's.
    public static func folderNames(for networks: [NetworkName?]) -> [String] {
        var used: Set<String> = []
        return networks.map { network in
            let base = folderName(for: network)
            var name = base
            var counter = 2
            while used.contains(name) {
                name = "\(base)-\(counter)"
                counter += 1
            }
            used.insert(name)
            return name
        }
    }

    /// A folder name for `network` that stays inside the folder it is made in: letters, digits and single
    /// hyphens only, so a network name such as `../../etc` cannot lead a write elsewhere.
    public static func folderName(for network: NetworkName?) -> String {
        var name = ""
        for character in (network?.rawValue ?? "no-network").lowercased() {
            if character.isLetter || character.isNumber, character.isASCII {
                name.append(character)
            } else if !name.isEmpty, name.last != "-" {
                name.append("-")
            }
        }
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? "network" : String(name.prefix(80))
    }
}
