import ArgumentParser
import FleetCore
import FleetPipeline
import FleetProcurement
import FleetRegister
import Foundation

/// `--budgets`, `--weights`, `--time-limit`: the inputs of the planning stages beyond the register and catalog.
struct PlanningInputOptions: ParsableArguments {
    @Option(help: "A capital budgets file (trust,year,capital_budget_gbp) for the procurement scenario.")
    var budgets: String?
    @Option(help: "A TOML file with a [weights] table merged over Catalog/priority.toml.") var weights: String?
    @Option(help: "Seconds the optimisation may take in all; plans not proved optimal by then carry their gap.")
    var timeLimit: Double = 120
    @Flag(
        help: """
            Plan capacity too (Catalog/capacity.toml): each trust's shortfall by year, covered by added fixed units, \
            shared mobile units or outsourcing, and site continuity with cover where a site has one unit.
            """
    )
    var capacity = false

    func validate() throws {
        guard timeLimit > 0, timeLimit.isFinite else {
            throw ValidationError("--time-limit must be a positive number of seconds.")
        }
    }

}

/// Everything the planning commands read before they plan: catalog, register snapshot and ranking.
struct PlanningSetup {
    var planning: NetworkPlanning
    /// The register the units were read from.
    let store: any RegisterStore

    /// Loads the catalog, reads the units in service of `scope` from the database (and with `--capacity` the
    /// decommissioned ones, whose scans are demand), and ranks those in service. With `keepingEveryUnit` the snapshot
    /// also keeps the decommissioned units in scope among its ``RegisterSnapshot/units``, for a workbook's Register
    /// sheet, so that the register is read once.
    ///
    /// Never inlined: the ranking throws a typed error, and Swift 6.3's LLVM crashes (CoroSplit, swifterror) when
    /// such a call is inlined into an async function.
    @inline(never)
    init(
        catalog: CatalogOptions,
        database: DatabaseOptions,
        scope: ScopeOptions,
        asOf: Day,
        inputs: PlanningInputOptions,
        keepingEveryUnit: Bool = false
    ) throws {
        // The register first: without one, the message that matters is how to make one.
        let store = try database.openStore()
        let priority = try PlanningCatalog.load(
            from: try catalog.folder(),
            weightsOverride: inputs.weights.map { URL(fileURLWithPath: $0) }
        )
        let procurement = try ProcurementCatalog.load(from: catalog.folder())
        let snapshot = try RegisterSnapshot.load(
            from: store,
            filter: scope.filter(includesDecommissioned: false),
            asOf: asOf,
            readingDecommissioned: inputs.capacity,
            keepingEveryUnit: keepingEveryUnit
        )
        // Every unit read, in service or not.
        if snapshot.units.isEmpty { try scope.requireNamesInRegister(store) }
        planning = try NetworkPlanning(planning: priority, procurement: procurement, snapshot: snapshot)
        self.store = store
    }

    /// The rows of `--budgets`, or none, once each names a trust of the register (``BudgetFile``).
    func budgets(_ inputs: PlanningInputOptions) throws -> [Budget] {
        guard let path = inputs.budgets else { return [] }
        let snapshot = planning.snapshot
        return try BudgetFile.read(
            at: URL(fileURLWithPath: path),
            trustsInScope: Set(snapshot.assets.map(\.trust)).union(snapshot.decommissioned.map(\.trust)),
            registerTrusts: { Set(try store.assetPlaces().map(\.trust)) }
        )
    }

    /// The one network in scope, or a usage error naming the networks when there are several.
    func singleNetwork(command: String) throws -> NetworkName? {
        let networks = planning.networks
        guard networks.count <= 1 else {
            let names = networks.map { $0?.rawValue ?? "(no network)" }.joined(separator: ", ")
            throw ValidationError(
                "The register holds \(networks.count) networks (\(names)); `fleet \(command)` plans one at a time: "
                    + "choose one with --network NAME."
            )
        }
        return networks.first ?? nil
    }
}

/// Prints each line of `notes` to stderr under `heading`, at most `limit` of them.
func printNotes(_ notes: [String], heading: String, limit: Int = 10) {
    guard !notes.isEmpty else { return }
    printError(heading)
    for note in notes.prefix(limit) { printError("  - " + note) }
    if notes.count > limit { printError("  … and \(notes.count - limit) more") }
}
