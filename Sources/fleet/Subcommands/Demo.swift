import ArgumentParser
import FleetCore
import FleetPipeline
import FleetPriority
import FleetProcurement
import FleetRegister
import FleetReport
import Foundation

/// `fleet demo`: the whole pipeline on the bundled demo network.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the demo network into a fresh database, run every stage, write the business-case workbook.",
        discussion: """
            The demo network (Catalog/demo/) is fictional: four trusts of a North West imaging network with acute \
            sites, community diagnostic centres and mobile CT and MRI, 24 months of utilisation and capital \
            budgets. The ranking is taken at the first day after the feed's last month, so the demo prints the \
            same figures whatever today's date. Writes Reports/demo.sqlite, the scenario folder \
            Reports/demo-scenario/ and the workbook Reports/business-case-demo.xlsx (or --out).

            With --national, the demo is a synthetic national register instead (`fleet generate`: by default \
            England's scale, 200 trusts in 40 networks with 20,000 units and 24 months of utilisation to 2026-10), \
            written to Reports/national-demo/, imported into Reports/national-demo.sqlite, ranked, planned network \
            by network, and written as the national workbook Reports/national-business-case-demo.xlsx (or --out).
            """
    )

    @Option(
        help:
            "The workbook to write (default Reports/business-case-demo.xlsx, or with --national Reports/national-business-case-demo.xlsx)."
    )
    var out: String?
    @Option(help: "The demo database to build (it must not exist yet, unless it is the default, which is replaced).")
    var db: String?
    @Option(help: "Seconds the optimisation may take in all (with --national, for each network).")
    var timeLimit: Double = 120
    @Flag(help: "Demonstrate the national report on a generated register of many networks.") var national = false
    @Option(help: "With --national: trusts in all.") var trusts: Int = 200
    @Option(help: "With --national: imaging networks the trusts are grouped into.") var networks: Int = 40
    @Option(help: "With --national: installed units in all.") var assets: Int = 20_000
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var routes: RouteOptions

    static let defaultDatabase = "Reports/demo.sqlite"
    static let scenarioFolder = "Reports/demo-scenario"

    func validate() throws {
        guard national else { return }
        guard (1...Generate.maximumTrusts).contains(trusts), networks >= 1, networks <= trusts else {
            throw ValidationError(
                "--trusts must be from 1 to \(Generate.maximumTrusts) and --networks between 1 and --trusts."
            )
        }
        guard (1...200_000).contains(assets) else { throw ValidationError("--assets must be from 1 to 200,000.") }
    }

    func run() async throws {
        if national {
            try await reportingFailures { try await runNational() }
            return
        }
        let out = self.out ?? "Reports/business-case-demo.xlsx"
        try await reportingFailures {
            let clock = ContinuousClock()
            let started = clock.now
            let demo = try catalog.folder().appendingPathComponent("demo", isDirectory: true)
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: "Reports", isDirectory: true),
                withIntermediateDirectories: true
            )
            let store = try freshStore()

            // 1. The register and its utilisation feed.
            let register = try DemoRegister.load(from: demo, into: store, today: RegisterImport.currentDay())
            let everything = register.assets
            let asOf = register.asOf
            let network = register.network
            print("ImagingFleet demo: \(network?.rawValue ?? "demo network"), as of \(asOf.iso)")
            print("")
            print(
                "Register: \(register.unitsRead) units (\(everything.count { $0.status == .inService }) in service) "
                    + "of \(Set(everything.map(\.trust)).count) trusts at \(Set(everything.map(\.site)).count) sites; "
                    + "\(groupedThousands(register.utilisationRecordsRead)) monthly utilisation records to "
                    + "\(register.lastMonth)."
            )

            // 2. Replacement priority and the age profile.
            let planning = try NetworkPlanning(
                planning: try PlanningCatalog.load(from: catalog.folder()),
                procurement: try ProcurementCatalog.load(from: catalog.folder()),
                // Decommissioned units apart, for the capacity outlook's demand; the ranking reads units in service.
                snapshot: try RegisterSnapshot.load(
                    from: store,
                    filter: .inService,
                    asOf: asOf,
                    readingDecommissioned: true
                )
            )
            printPriority(planning)
            printCapacityOutlook(planning, network: network)

            // 3. The procurement scenario and the optimiser.
            let budgets = try ScenarioFiles.readBudgets(at: demo.appendingPathComponent("budgets.csv"))
            let derived = planning.scenario(for: network, budgets: budgets)
            let scenarioURL = URL(fileURLWithPath: Self.scenarioFolder, isDirectory: true)
            let scenario = try routes.restrict(derived.scenario)
            try ScenarioFiles.write(scenario, to: scenarioURL)
            printScenario(scenario, folder: scenarioURL)
            let progress = ProgressLine(label: "Optimising coalitions")
            let analysis = try await NetworkPlanning.analyse(scenario, timeLimitSeconds: timeLimit) {
                progress.update($0)
            }
            progress.finish()
            print("")
            print(
                "Joint procurement (\(BusinessCaseAssembly.statusText(analysis)), "
                    + "\(analysis.coalitionsEvaluated) coalitions solved):"
            )
            print(SavingsTable(analysis: analysis).rendered)
            try printRouteChoice(scenario, analysis)
            try await printCapacityCover(planning, network: network)

            // 4. The business-case workbook.
            let written = try planning.writeBusinessCase(
                network: network,
                title: network?.rawValue ?? "Demo network",
                register: everything,
                scenario: scenario,
                analysis: analysis,
                lastChanges: try store.lastChanges(),
                to: out
            )
            let npv = written.figures.summary.jointNetPresentValueGBP
            print("")
            print("Business case: \(written.path) (NPV of joint procurement with optimism bias \(GBP.format(npv))).")
            printError("Done in \(secondsText(started.duration(to: clock.now))).")
        }
    }

    /// What choosing the funding route saves the joint plan against buying every unit outright under the same
    /// budgets (when the offers have other routes).
    private func printRouteChoice(_ scenario: FleetProcurement.Scenario, _ analysis: ProcurementAnalysis) throws {
        guard scenario.hasFundingRoutes, scenario.offers.allSatisfy(\.offersPurchase) else { return }
        let purchaseOnly = scenario.restricted(to: [.purchase])
        let optimizer = try PurchaseOptimizer(scenario: purchaseOnly, timeLimitSeconds: timeLimit)
        let bought = try optimizer.plan(for: Set(analysis.trusts))
        let joint = analysis.jointPlan
        print("")
        guard !bought.isBudgetRelaxed else {
            print(
                "Funding routes: the joint plan has \(RouteText.counts(joint)); bought outright, the capital budgets "
                    + "could not be met at all."
            )
            return
        }
        let saved = bought.totalCostGBP.pounds - joint.totalCostGBP.pounds
        print(
            "Funding routes: the joint plan has \(RouteText.counts(joint)), capital scored "
                + "\(GBP.format(joint.capitalPaidGBP.pounds)). Bought outright under the same budgets it would cost "
                + "\(GBP.format(bought.totalCostGBP.pounds)) (capital \(GBP.format(bought.capitalPaidGBP.pounds))): "
                + "route choice saves \(GBP.format(saved)) (`--routes purchase` plans without it)."
        )
    }

    /// The band counts, the top ten and the age profile against the COCIR rule.
    private func printPriority(_ planning: NetworkPlanning) {
        let bands = Dictionary(grouping: planning.ranking.assessments, by: \.band).mapValues(\.count)
        print("")
        print(
            "Replacement priority (top 10 of \(planning.ranking.count); "
                + Band.allCases.map { "\(bands[$0] ?? 0) \($0.label)" }.joined(separator: ", ")
                + "):"
        )
        print(RankingTable(assessments: planning.ranking.prefix(10), includesCriteria: false).rendered)
        print("")
        print("Age profile against the COCIR rule (≥ 60 % aged 0–5, ≤ 30 % aged 6–10, ≤ 10 % over 10):")
        let profile = AgeProfile.compute(assets: planning.snapshot.assets, asOf: planning.snapshot.asOf, by: .trust)
        print(AgeProfileTable(rows: profile).table(forTerminal: true).rendered)
    }

    /// The network's demand against its capacity in service by modality and year over the plan's horizon, as
    /// `fleet capacity --by network` prints it.
    private func printCapacityOutlook(_ planning: NetworkPlanning, network: NetworkName?) {
        let base = planning.snapshot.asOf.year
        guard let capacity = planning.procurement.capacity,
            let analysis = planning.capacityAnalysis(
                of: network,
                years: base...(base + planning.procurement.appraisal.horizonYears - 1),
                by: .network
            ),
            analysis.rows.contains(where: { ($0.shortfallScans ?? 0) > 0 })
        else { return }
        print("")
        print(
            "Capacity outlook, demand against capacity in service "
                + "(feed \(CapacityTable.assumptions(analysis, capacity.settings))):"
        )
        print(CapacityTable(rows: analysis.rows, grouping: .network).table(forTerminal: true).rendered)
    }

    /// The cover of the outlook's shortfalls, planned with the replacements as `fleet procure --capacity` plans it
    /// but before the capital budgets: the units added, the mobile units shared, the scans outsourced, and what
    /// sharing capacity saves. The demo's own plan replaces units only, under its budgets; with them, the plan with
    /// capacity is a harder problem, not proved optimal within a demo's time (see the README), so the demo names
    /// the command that plans it.
    private func printCapacityCover(_ planning: NetworkPlanning, network: NetworkName?) async throws {
        let derived = planning.scenario(for: network, budgets: [], includesCapacity: true)
        let scenario = try routes.restrict(derived.scenario)
        guard !scenario.capacity.isEmpty else { return }
        let progress = ProgressLine(label: "Planning the cover")
        // The joint plan and each trust alone are what these lines print: the coalitions of a Shapley split are not
        // planned.
        let analysis = try await NetworkPlanning.analyse(
            scenario,
            timeLimitSeconds: timeLimit,
            options: AnalysisOptions(computesShapley: false)
        ) { progress.update($0) }
        progress.finish()
        print("")
        print(
            "Covering the shortfalls too, planned with the replacements before the capital budgets "
                + "(\(BusinessCaseAssembly.statusText(analysis))): joint plan "
                + "\(GBP.format(analysis.jointCostGBP.pounds)) against "
                + "\(GBP.format(analysis.standaloneCostGBP.pounds)) with each trust alone, savings "
                + "\(GBP.format(analysis.savingsGBP.pounds))."
        )
        ProcurementReport(analysis: analysis, method: .proportional).printCapacity()
        print(
            "`fleet procure --db \(db ?? Self.defaultDatabase) --as-of \(planning.snapshot.asOf.iso) --capacity` "
                + "prints this plan whole; with `--budgets Catalog/demo/budgets.csv` it plans the cover under the "
                + "demo's budgets, a harder problem whose plan carries its gap to the optimum when the time limit "
                + "stops it."
        )
    }

    /// One line on the scenario written to `folder`.
    private func printScenario(_ scenario: FleetProcurement.Scenario, folder: URL) {
        print("")
        print(
            "Procurement scenario (\(folder.relativePath)/): \(scenario.replacements.count) replacements in "
                + "\(scenario.settings.decisionYears.lowerBound)–\(scenario.settings.decisionYears.upperBound), "
                + "\(Set(scenario.offers.map(\.supplier)).count) suppliers, \(scenario.tiers.count) volume tiers, "
                + "capital budgets for \(Set(scenario.budgets.map(\.trust)).count) trusts."
        )
    }

    /// A new, empty demo database: the default path is replaced; a path given with --db must not exist yet, so
    /// the demo never overwrites a real register.
    func freshStore(default defaultPath: String = Self.defaultDatabase) throws -> any RegisterStore {
        let path = db ?? defaultPath
        if FileManager.default.fileExists(atPath: path) {
            guard db == nil else {
                throw ValidationError(
                    "--db \(path) already exists; the demo builds a fresh database: give a new path or remove it."
                )
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        return try SQLiteRegisterStore(path: path)
    }
}

/// Joint against alone, trust by trust: standalone cost, Shapley share of the savings and its percentage.
struct SavingsTable {
    var analysis: ProcurementAnalysis

    var rendered: String {
        let savings = analysis.savingsGBP.pounds
        var table = TextTable([
            .init("trust"), .init("alone", .right), .init("Shapley share", .right), .init("%", .right),
        ])
        for trust in analysis.trusts {
            let share = analysis.allocation(.shapley)?.byTrust[trust]?.pounds ?? 0
            table.rows.append([
                shortened(trust.rawValue, to: 40), GBP.format(analysis.standaloneCostByTrust[trust]?.pounds ?? 0),
                GBP.format(share), savings > 0 ? fixed(100 * share / savings, 1) : "—",
            ])
        }
        table.rows.append(["Each trust alone", GBP.format(analysis.standaloneCostGBP.pounds), "", ""])
        table.rows.append(["Joint plan", GBP.format(analysis.jointCostGBP.pounds), "", ""])
        table.rows.append(["Savings", GBP.format(savings), GBP.format(savings), "100.0"])
        let percent = analysis.standaloneCostGBP.pounds > 0 ? 100 * savings / analysis.standaloneCostGBP.pounds : 0
        let capitalAlone = analysis.standaloneCapitalPaidGBP.pounds
        let capitalJoint = analysis.jointCapitalPaidGBP.pounds
        let capitalSaved = capitalAlone > 0 ? 100 * (capitalAlone - capitalJoint) / capitalAlone : 0
        return table.rendered + "\n"
            + "Costs are net present costs: capital, service to the end of the appraisal, timing penalties. The savings "
            + "are \(fixed(percent, 1)) % of buying alone; capital paid falls from \(GBP.format(capitalAlone)) to "
            + "\(GBP.format(capitalJoint)) (\(fixed(capitalSaved, 1)) %; \(ProcurementBenchmark.nationalBulkBuySentence))."
    }
}
