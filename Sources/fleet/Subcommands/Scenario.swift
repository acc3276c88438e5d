import ArgumentParser
import FleetCore
import FleetPipeline
import FleetProcurement
import Foundation

/// `fleet scenario`: the procurement scenario as files a planner can read and edit.
struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Work with procurement scenario folders.",
        subcommands: [Export.self]
    )

    /// `fleet scenario export DIR`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the procurement scenario derived from the register, the ranking and the Catalog.",
            discussion: """
                Writes scenario.toml, replacements.csv, offers.csv, tiers.csv and (with --budgets) budgets.csv. \
                Each unit whose priority band prefers a year within the horizon becomes a replacement, with the \
                band's window and its costs of deferring and bringing forward a year (see `fleet rank --explain`). \
                The base year is --as-of's year; horizon, appraisal period and discount rate come from \
                Catalog/appraisal.toml. A register of several networks gets one folder per network inside DIR.
                """
        )

        @Argument(help: "The folder to write the scenario into (created if missing).") var directory: String
        @OptionGroup var asOf: AsOfOptions
        @OptionGroup var inputs: PlanningInputOptions
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var catalog: CatalogOptions

        func run() async throws {
            try await reportingFailures {
                let setup = try PlanningSetup(
                    catalog: catalog,
                    database: database,
                    scope: scope,
                    asOf: asOf.day,
                    inputs: inputs
                )
                let budgets = try setup.budgets(inputs)
                let networks = setup.planning.networks
                let root = URL(fileURLWithPath: directory, isDirectory: true)
                let folderNames = NetworkPlanning.folderNames(for: networks)
                for (network, folderName) in zip(networks, folderNames) {
                    let derived = setup.planning.scenario(
                        for: network,
                        budgets: budgets,
                        includesCapacity: inputs.capacity
                    )
                    let folder =
                        networks.count == 1 ? root : root.appendingPathComponent(folderName, isDirectory: true)
                    try ScenarioFiles.write(derived.scenario, to: folder)
                    let scenario = derived.scenario
                    let years = scenario.settings.decisionYears
                    printError(
                        "\(folder.relativePath): \(network?.rawValue ?? "units with no network"): "
                            + "\(scenario.replacements.count) replacements for \(scenario.trusts.count) trusts in "
                            + "\(years.lowerBound)–\(years.upperBound), \(scenario.offers.count) offers, "
                            + "\(scenario.tiers.count) tiers, \(scenario.budgets.count) budgets"
                    )
                    printNotes(derived.leftOut, heading: "Left out:")
                }
                if networks.isEmpty {
                    printError("The register has no units in service in scope; nothing was written.")
                }
            }
        }
    }
}
