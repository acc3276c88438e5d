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

            On a register of several networks (and without --network), writes one national workbook instead \
            (default Reports/national-business-case-DATE.xlsx): Summary, Networks (one row per network), Register, \
            Priority (the national ranking), Age profile by network, Capital plan by network, Savings by network \
            and trust, Method. Each network is planned as one coalition of its trusts, as `fleet procure` plans it; \
            national figures are sums over the networks, every total a live formula. --each-network DIR also \
            writes each network's business case into DIR (north-east.xlsx, …).

            --no-procurement writes the national register workbook instead, on a register of one network or many \
            (default Reports/national-register-DATE.xlsx): Summary, Networks, Register, Priority, Age profile by \
            network and Method, with no plans, costs or savings, and nothing solved.
            """
    )

    @Option(help: "A procurement scenario folder to use instead of deriving one from the register.")
    var scenario: String?
    @Option(
        help:
            "The workbook to write (default Reports/business-case-DATE.xlsx; national-business-case-DATE.xlsx for several networks)."
    )
    var out: String?
    @Option(help: "A folder to also write each network's business-case workbook into (created when missing).")
    var eachNetwork: String?
    @Flag(
        name: .customLong("no-procurement"),
        help: "Write the national register workbook (register, ranking, age profile by network); plan no procurement."
    )
    var withoutProcurement = false
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var inputs: PlanningInputOptions
    @OptionGroup var routes: RouteOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalog: CatalogOptions

    func run() async throws {
        try await reportingFailures { try await writeReport() }
    }

    private func writeReport() async throws {
        if withoutProcurement { try refuseProcurementOptions() }
        let setup = try PlanningSetup(
            catalog: catalog,
            database: database,
            scope: scope,
            asOf: asOf.day,
            inputs: inputs,
            // Every workbook's Register sheet lists every unit in scope, decommissioned ones too, as the snapshot
            // reads them.
            keepingEveryUnit: true
        )
        let networks = setup.planning.networks
        if withoutProcurement {
            try writeNationalRegister(setup)
            return
        }
        if networks.count > 1 {
            if scenario != nil {
                let names = networks.map { NetworkPlanning.title(of: $0) }.joined(separator: ", ")
                throw ValidationError(
                    "--scenario holds one network's scenario, but the register holds \(networks.count) networks "
                        + "(\(names)): choose its network with --network NAME."
                )
            }
            try await writeNationalReport(setup)
            return
        }
        let network = networks.first ?? nil
        let path = try outputPath(prefix: "business-case")
        let folder = try eachNetworkFolder()
        let budgets = try setup.budgets(inputs)
        let store = setup.store
        let written = try await ReportWriting.write(
            network: network,
            planning: setup.planning,
            scenarioFolder: scenario,
            budgets: budgets,
            store: store,
            timeLimitSeconds: inputs.timeLimit,
            routes: routes,
            includesCapacity: inputs.capacity,
            to: path,
            alsoTo: folder.map {
                $0.appendingPathComponent(NetworkPlanning.folderNames(for: [network])[0] + ".xlsx").path
            }
        )
        printError("Wrote \(written.path)")
        if let folder { printError("Wrote the network's business case into \(folder.relativePath)/") }
    }

    /// Plans every network in scope (each network's trusts one coalition) and writes the national workbook.
    private func writeNationalReport(_ setup: PlanningSetup) async throws {
        let path = try outputPath(prefix: "national-business-case")
        let folder = try eachNetworkFolder()
        let budgets = try setup.budgets(inputs)
        let planning = setup.planning
        let national = try await NationalPlanning.plan(
            planning,
            budgets: budgets,
            timeLimitSeconds: inputs.timeLimit
        )
        let written = try planning.writeNationalReport(
            title: "National register",
            register: planning.snapshot.units,
            national: national,
            to: path,
            eachNetworkFolder: folder
        )
        let totals = written.national.figures.totals
        printError(
            "Wrote \(written.national.path): \(totals.networks) networks, \(groupedThousands(totals.trusts)) trusts, "
                + "\(groupedThousands(totals.unitsInService)) units in service; joint plans "
                + "\(GBP.format(totals.jointCostGBP)) against \(GBP.format(totals.standaloneCostGBP)) alone, savings "
                + "\(GBP.format(totals.savingsGBP)) (\(fixed(100 * totals.savingsShare, 1)) %)."
        )
        if let folder {
            printError("Wrote \(written.networks.count) network business cases into \(folder.relativePath)/")
        }
    }

    /// With `--no-procurement`, a usage error naming the options that only procurement reads, when any is given.
    private func refuseProcurementOptions() throws {
        let procurementOptions = [
            ("--scenario", scenario != nil), ("--each-network", eachNetwork != nil),
            ("--budgets", inputs.budgets != nil), ("--capacity", inputs.capacity), ("--routes", routes.routes != nil),
        ]
        let given = procurementOptions.filter(\.1).map(\.0)
        if !given.isEmpty {
            throw ValidationError(
                "--no-procurement plans no procurement, so \(given.joined(separator: " and ")) would have no effect: "
                    + "leave \(given.count == 1 ? "it" : "them") out, or leave out --no-procurement."
            )
        }
    }

    /// Writes the national register workbook of the networks in scope (`--no-procurement`).
    private func writeNationalRegister(_ setup: PlanningSetup) throws {
        let networks = setup.planning.networks
        // One named network's workbook carries its name.
        let title = networks.count == 1 ? networks[0]?.rawValue ?? "Register" : "National register"
        let written = try setup.planning.writeNationalRegister(
            title: title,
            register: setup.planning.snapshot.units,
            to: try outputPath(prefix: "national-register")
        )
        let totals = written.figures.totals
        printError(
            "Wrote \(written.path): \(totals.networks) network\(totals.networks == 1 ? "" : "s"), "
                + "\(groupedThousands(totals.trusts)) trusts, \(groupedThousands(totals.unitsInService)) units in service, "
                + "\(groupedThousands(totals.unitsToReplaceNow)) to replace now, \(fixed(100 * totals.shareAgedOver10, 1)) % "
                + "aged over 10 years; no procurement planned."
        )
    }

    /// `--out`, or `Reports/PREFIX-DATE.xlsx` (creating `Reports/` when it is missing).
    private func outputPath(prefix: String) throws -> String {
        if let out { return out }
        let folder = URL(fileURLWithPath: "Reports", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(prefix)-\(RegisterImport.currentDay().iso).xlsx").relativePath
    }

    /// `--each-network`'s folder, created before any solve so that a folder that cannot be made fails early.
    /// - Throws: ``FileFailure`` (exit 4) when the folder cannot be created.
    private func eachNetworkFolder() throws -> URL? {
        guard let eachNetwork else { return nil }
        let folder = URL(fileURLWithPath: eachNetwork, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileFailure(
                path: eachNetwork,
                reason: "cannot be created as a folder (\(error.localizedDescription))"
            )
        }
        return folder
    }
}

/// Plans every network of a register, one coalition per network, as `fleet procure` does: the step `fleet report`
/// and `fleet demo --national` share.
enum NationalPlanning {
    static func plan(
        _ planning: NetworkPlanning,
        budgets: [Budget],
        timeLimitSeconds: Double
    ) async throws -> NationalProcurement {
        let networks = planning.networks
        let derived = planning.scenarios(for: networks, budgets: budgets)
        for (network, scenario) in zip(networks, derived) {
            printNotes(
                scenario.leftOut,
                heading: "Left out of the scenario of \(NetworkPlanning.title(of: network)):"
            )
        }
        // Networks are solved on both cores at once (each on one), in place of one network's coalitions at a time.
        let progress = NetworksProgress(total: networks.count)
        let national = try await NationalProcurement.solve(
            zip(networks, derived).map { (name: $0, scenario: $1.scenario) },
            timeLimitSeconds: timeLimitSeconds
        ) { progress.update($0) }
        progress.finish()
        return national
    }
}

/// "Optimising networks: 12 of 40" on a terminal's standard error, after the first second.
private final class NetworksProgress: @unchecked Sendable {
    private let total: Int
    private let start = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var shown = false

    init(total: Int) { self.total = total }

    /// Reports `ended` networks solved; called from worker threads.
    func update(_ ended: Int) {
        guard isTerminal, ContinuousClock.now - start > .seconds(1) else { return }
        lock.withLock {
            shown = true
            FileHandle.standardError.write(Data("\rOptimising networks: \(ended) of \(total)".utf8))
        }
    }

    /// Clears the line if it was shown.
    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            shown = false
        }
    }
}

/// The steps from a ranked register to a written workbook: the scenario (read or derived), the analysis, then the
/// pipeline step `fleet demo` shares (``NetworkPlanning/writeBusinessCase(network:title:register:scenario:analysis:to:)``).
enum ReportWriting {
    /// Writes `network`'s business case to `path` (and `copy`). Its Register sheet lists the network's units of the
    /// planning's snapshot, which must have kept every unit (``RegisterSnapshot/units``, decommissioned ones too).
    /// - Parameter store: The register, for each unit's last change.
    static func write(
        network: NetworkName?,
        planning: NetworkPlanning,
        scenarioFolder: String?,
        budgets: [Budget],
        store: any RegisterStore,
        timeLimitSeconds: Double,
        routes: RouteOptions,
        includesCapacity: Bool = false,
        to path: String,
        alsoTo copy: String? = nil
    ) async throws -> WrittenWorkbook {
        var scenario: FleetProcurement.Scenario
        if let scenarioFolder {
            scenario = try ScenarioFiles.read(from: URL(fileURLWithPath: scenarioFolder, isDirectory: true))
        } else {
            let derived = planning.scenario(for: network, budgets: budgets, includesCapacity: includesCapacity)
            printNotes(derived.leftOut, heading: "Left out of the scenario:")
            scenario = derived.scenario
        }
        scenario = try routes.restrict(scenario)
        let progress = ProgressLine(label: "Optimising coalitions")
        let analysis = try await NetworkPlanning.analyse(scenario, timeLimitSeconds: timeLimitSeconds) {
            progress.update($0)
        }
        progress.finish()
        let register = planning.snapshot.units.filter { $0.network == network }
        let lastChanges = try store.lastChanges()
        let written = try planning.writeBusinessCase(
            network: network,
            title: network?.rawValue ?? "Imaging network",
            register: register,
            scenario: scenario,
            analysis: analysis,
            lastChanges: lastChanges,
            to: path
        )
        if let copy {
            _ = try planning.writeBusinessCase(
                network: network,
                title: network?.rawValue ?? "Imaging network",
                register: register,
                scenario: scenario,
                analysis: analysis,
                lastChanges: lastChanges,
                to: copy
            )
        }
        return written
    }
}
