import ArgumentParser
import FleetCore
import FleetPipeline
import FleetProcurement
import FleetRegister
import FleetReport
import Foundation

/// `fleet report`: the business-case workbook.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the business-case workbook (XLSX) for finance.",
        discussion: """
            Sheets: Summary, Assumptions, Register, Priority, Age profile, Capital plan, Joint procurement, Savings \
            allocation, Appraisal, Method. Every formula carries the value computed here and recalculates to it in \
            Excel and LibreOffice; assumptions are named cells that finance can change. Without --scenario the \
            scenario is derived from the register, the ranking and the Catalog, as `fleet scenario export` does. \
            The workbook is written to a temporary file and renamed, so a failure never leaves half a workbook. \
            A scenario whose optimisation is estimated to need more memory than half this machine's (or \
            FLEET_MEMORY_LIMIT_MB megabytes, when set) is refused before any solve (exit 4).
            """
    )

    @Option(help: "A procurement scenario folder to use instead of deriving one from the register.")
    var scenario: String?
    @Option(help: "The workbook to write (default Reports/business-case-DATE.xlsx).") var out: String?
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var inputs: PlanningInputOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalog: CatalogOptions

    func run() async throws {
        try await reportingFailures { try await writeReport() }
    }

    private func writeReport() async throws {
        let setup = try PlanningSetup(
            catalog: catalog,
            database: database,
            scope: scope,
            asOf: asOf.day,
            inputs: inputs
        )
        let network = try setup.singleNetwork(command: "report")
        let path = try outputPath()
        let budgets = try inputs.budgetRows()
        let store = try database.openStore()
        let written = try await ReportWriting.write(
            network: network,
            planning: setup.planning,
            scenarioFolder: scenario,
            budgets: budgets,
            register: store,
            scope: scope,
            timeLimitSeconds: inputs.timeLimit,
            includesCapacity: inputs.capacity,
            to: path
        )
        printError("Wrote \(written.path)")
    }

    /// `--out`, or `Reports/business-case-DATE.xlsx` (creating `Reports/` when it is missing).
    private func outputPath() throws -> String {
        if let out { return out }
        let folder = URL(fileURLWithPath: "Reports", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("business-case-\(RegisterImport.currentDay().iso).xlsx").relativePath
    }
}

/// The steps from a ranked register to a written workbook: the scenario (read or derived), the analysis, then the
/// pipeline step `fleet demo` shares (``NetworkPlanning/writeBusinessCase(network:title:register:scenario:analysis:to:)``).
enum ReportWriting {
    static func write(
        network: NetworkName?,
        planning: NetworkPlanning,
        scenarioFolder: String?,
        budgets: [Budget],
        register store: any RegisterStore,
        scope: ScopeOptions,
        timeLimitSeconds: Double,
        includesCapacity: Bool = false,
        to path: String
    ) async throws -> WrittenWorkbook {
        let scenario: FleetProcurement.Scenario
        if let scenarioFolder {
            scenario = try ScenarioFiles.read(from: URL(fileURLWithPath: scenarioFolder, isDirectory: true))
        } else {
            let derived = planning.scenario(for: network, budgets: budgets, includesCapacity: includesCapacity)
            printNotes(derived.leftOut, heading: "Left out of the scenario:")
            scenario = derived.scenario
        }
        let progress = ProgressLine(label: "Optimising coalitions")
        let analysis = try await NetworkPlanning.analyse(scenario, timeLimitSeconds: timeLimitSeconds) {
            progress.update($0)
        }
        progress.finish()
        var filter = scope.filter(includesDecommissioned: true)
        filter.network = network ?? filter.network
        let register = try store.assets(matching: filter).filter { $0.network == network }
        return try planning.writeBusinessCase(
            network: network,
            title: network?.rawValue ?? "Imaging network",
            register: register,
            scenario: scenario,
            analysis: analysis,
            to: path
        )
    }
}
