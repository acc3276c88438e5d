import FleetCore
import FleetPipeline
import FleetPriority
import FleetProcurement
import FleetRegister
import FleetReport
import FleetSynthetic
import Foundation
import WorkbookWriter

/// What one run of one stage measured.
struct Measurement: Codable {
    /// Wall-clock seconds of the timed part.
    var seconds: Double
    /// Items the timed part handled (rows, assets, cells, coalitions).
    var items: Int
    /// Peak resident memory of the process, in KiB.
    var peakKiB: Int
    /// Further figures by name (seconds of sub-steps, counts).
    var extra: [String: Double] = [:]
}

/// The stages fleet-bench measures, each run in a child process of its own so its peak memory is its own.
enum Stage: String, CaseIterable {
    case importRegister = "import"
    case importFeed = "import-feed"
    case rankDatabase = "rank-db"
    case rank
    case workbook
    case workbookPlain = "workbook-plain"
    case workbookC = "workbook-c"
    case report
    case solve
    case solveBudgets = "solve-budgets"
    case solveFlatBudgets = "solve-flat-budgets"
    case infeasibleBudgets = "infeasible-budgets"
    case solveCapacity = "solve-capacity"
    case solveCapacityBudgets = "solve-capacity-budgets"
    case national
    case nationalReport = "national-report"
    case analyst
    case demo
    case demoBudgets = "demo-budgets"
    case demoCapacityBudgets = "demo-capacity-budgets"

    /// Runs the stage at `size` and measures it.
    func run(size: Int, scratch: URL) async throws -> Measurement {
        switch self {
        case .importRegister: try Stages.importRegister(rows: size, scratch: scratch)
        case .importFeed: try Stages.importFeed(assets: size, scratch: scratch)
        case .rankDatabase: try Stages.rankDatabase(assets: size, scratch: scratch)
        case .rank: try Stages.rank(assets: size)
        case .workbook: try Stages.workbook(rows: size, scratch: scratch)
        case .workbookPlain: try Stages.workbookPlain(rows: size, scratch: scratch)
        case .report: try await Stages.report(assets: size, scratch: scratch)
        case .workbookC: try Stages.workbookC(rows: size, scratch: scratch)
        case .solve: try await Stages.solve(trusts: size)
        case .solveBudgets: try await Stages.solve(trusts: size, budgets: true)
        case .solveCapacity: try await Stages.solveCapacity(trusts: size)
        case .solveCapacityBudgets: try await Stages.solveCapacity(trusts: size, budgets: true)
        case .solveFlatBudgets: try await Stages.solveFlatBudgets(Stages.flatBudgetCases[size])
        case .infeasibleBudgets: try Stages.infeasibleBudgets(Stages.flatBudgetCases[size], scratch: scratch)
        case .national: try await Stages.national(assets: size, scratch: scratch)
        case .nationalReport: try Stages.nationalReport(assets: size, scratch: scratch)
        case .analyst: try Stages.analyst(assets: size, scratch: scratch)
        case .demo: try Stages.demo(scratch: scratch)
        case .demoBudgets: try Stages.demoBudgets(percent: size, capacity: false, scratch: scratch)
        case .demoCapacityBudgets: try Stages.demoBudgets(percent: size, capacity: true, scratch: scratch)
        }
    }
}

enum Stages {
    static let clock = ContinuousClock()

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func peakKiB(children: Bool = false) -> Int {
        var usage = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    /// The package's folder (for Catalog/ and the C baseline), from this source file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let catalog = packageRoot.appendingPathComponent("Catalog", isDirectory: true)

    static func synthetic(trusts: Int, networks: Int, assets: Int, months: Int) throws -> SyntheticRegister {
        SyntheticRegister(
            specification: SyntheticRegisterSpecification(
                trustCount: trusts,
                networkCount: networks,
                assetCount: assets,
                monthCount: months,
                lastMonth: YearMonth(year: 2026, month: 10)!,
                seed: 7
            ),
            catalog: try EquipmentCatalog.load(from: catalog)
        )
    }

    /// `fleet import register` of a generated CSV of `rows` units into a new database file.
    static func importRegister(rows: Int, scratch: URL) throws -> Measurement {
        let files = scratch.appendingPathComponent("import-\(rows)")
        let register = files.appendingPathComponent("register.csv")
        if !FileManager.default.fileExists(atPath: register.path) {
            try synthetic(trusts: 200, networks: 40, assets: rows, months: 1).write(to: files)
        }
        let database = scratch.appendingPathComponent("import-\(rows)-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let start = clock.now
        let store = try SQLiteRegisterStore(path: database)
        let summary = try RegisterImport.importRegister(
            file: register,
            displayName: "register.csv",
            into: store,
            today: Day(year: 2026, month: 11, day: 25)!
        )
        let elapsed = seconds(start.duration(to: clock.now))
        return Measurement(seconds: elapsed, items: summary.rowsRead, peakKiB: peakKiB())
    }

    /// Ranking `assets` units with 12 months of utilisation each, generated in memory (not timed).
    static func rank(assets count: Int) throws -> Measurement {
        var registerRows: [InputTable.Row] = []
        var feedRows: [InputTable.Row] = []
        registerRows.reserveCapacity(count)
        feedRows.reserveCapacity(count * 12)
        try synthetic(trusts: 200, networks: 40, assets: count, months: 12).forEachRow(
            register: { registerRows.append(InputTable.Row(line: registerRows.count + 2, fields: $0)) },
            utilisation: { feedRows.append(InputTable.Row(line: feedRows.count + 2, fields: $0)) }
        )
        let today = Day(year: 2026, month: 11, day: 25)!
        let assets = try RegisterImport.readRegister(
            InputTable(file: "register", header: SyntheticRegister.registerColumns, rows: registerRows),
            today: today
        )
        registerRows = []
        let records = try RegisterImport.readUtilisation(
            InputTable(file: "feed", header: SyntheticRegister.utilisationColumns, rows: feedRows),
            today: today
        )
        feedRows = []
        let model = try PlanningCatalog.load(from: catalog).priorityModel
        let asOf = Day(year: 2026, month: 11, day: 1)!
        let start = clock.now
        let ranking = try model.rank(assets: assets, utilisation: records, asOf: asOf)
        let top = ranking.prefix(20).map(\.score)
        let ranked = seconds(start.duration(to: clock.now))
        let all = clock.now
        let assessments = ranking.assessments
        let built = seconds(all.duration(to: clock.now))
        precondition(top.count == min(20, assessments.count))
        return Measurement(
            seconds: ranked,
            items: assets.count,
            peakKiB: peakKiB(),
            extra: ["records": Double(records.count), "all_assessments_s": built]
        )
    }

    /// The C baseline: the same cells through libxlsxwriter from C (Benchmarks/c-baseline/write_cells.c).
    static func workbookC(rows: Int, scratch: URL) throws -> Measurement {
        let binary = scratch.appendingPathComponent("write_cells")
        if !FileManager.default.isExecutableFile(atPath: binary.path) {
            let source = packageRoot.appendingPathComponent("Benchmarks/c-baseline/write_cells.c").path
            try shell("cc -O2 -o '\(binary.path)' '\(source)' $(pkg-config --cflags --libs xlsxwriter)")
        }
        let out = scratch.appendingPathComponent("c-\(rows).xlsx").path
        let printed = try shell("'\(binary.path)' \(rows) '\(out)'").split(separator: " ")
        guard printed.count == 2, let elapsed = Double(printed[0]), let peak = Int(printed[1].trimmingWhitespace())
        else { throw BenchmarkFailure("write_cells printed \(printed)") }
        return Measurement(seconds: elapsed, items: rows * 12, peakKiB: peak)
    }

    /// The joint solve and the full exact Shapley allocation of a synthetic `trusts`-trust scenario with 30
    /// replacements a trust, without budgets or with the generator's capital budgets (which bind in some years),
    /// under a 60-second limit (as `fleet procure --time-limit 60`); `unproved` counts the coalitions it left unproved.
    static func solve(trusts: Int, budgets: Bool = false) async throws -> Measurement {
        try await solve(
            SyntheticScenario.make(
                SyntheticScenarioSpecification(trustCount: trusts, replacementCount: 30 * trusts, hasBudgets: budgets)
            )
        )
    }

    /// A synthetic scenario of `trusts` trusts (18 replacements a trust, as the demo's 72 for 4) with capacity
    /// cover (``withCapacityCover(_:)``). The joint plan and each trust alone (the proportional split: an exact
    /// Shapley value would solve every coalition) under a 60-second limit. With `budgets`, the generator's capital
    /// budgets too (as `solve-budgets`), which tie every class of a trust into one program.
    static func solveCapacity(trusts: Int, budgets: Bool = false) async throws -> Measurement {
        let scenario = withCapacityCover(
            SyntheticScenario.make(
                SyntheticScenarioSpecification(trustCount: trusts, replacementCount: 18 * trusts, hasBudgets: budgets)
            )
        )
        return try await solveCapacity(scenario, timeLimit: 60, computesShapley: false)
    }

    /// `scenario` with capacity cover: each trust short of its first class's modality (CT) by 2,500 × k scans in the
    /// k-th year after the first (varied by trust), a fixed unit of that class of 10,000 scans a year, a mobile one of
    /// 12,000 less 14 % (the first offer's terms × 1.3), outsourcing at £95 a scan, and two units of the class at each
    /// trust's first site for continuity (the first two that need not be replaced in the same year).
    static func withCapacityCover(_ scenario: Scenario) -> Scenario {
        var scenario = scenario
        let fixed = scenario.offers[0]
        scenario.offers.append(
            Offer(
                supplier: fixed.supplier,
                equipmentClass: "MOBILE",
                unitPriceGBP: fixed.unitPriceGBP * 1.3,
                annualServiceGBP: fixed.annualServiceGBP * 1.3,
                warrantyYears: fixed.warrantyYears
            )
        )
        scenario.classes = [
            CapacityClass(
                equipmentClass: fixed.equipmentClass,
                modality: .ct,
                capacityScansPerYear: 10_000,
                isMobile: false
            ),
            CapacityClass(equipmentClass: "MOBILE", modality: .ct, capacityScansPerYear: 12_000, isMobile: true),
        ]
        scenario.settings.outsourcingGBPPerScan = GBP(95)
        scenario.settings.mobileRelocationLoss = 0.14
        let years = scenario.settings.decisionYears
        for (number, trust) in scenario.trusts.enumerated() {
            for year in years where year > years.lowerBound {
                let scans = 2_500 * Double(year - years.lowerBound) * (0.6 + 0.1 * Double(number % 5))
                scenario.capacity.append(
                    CapacityShortfall(trust: trust, modality: .ct, year: year, shortfallScans: scans)
                )
            }
            let atSite = scenario.replacements.indices.filter {
                scenario.replacements[$0].trust == trust
                    && scenario.replacements[$0].equipmentClass == fixed.equipmentClass
            }
            // The first unit and the next whose replacement need not fall in the same year (two units whose windows
            // are the same single year would leave the site without the modality).
            guard let first = atSite.first,
                let second = atSite.dropFirst().first(where: {
                    let (one, other) = (scenario.replacements[first].window, scenario.replacements[$0].window)
                    return !(one == other && one.count == 1)
                })
            else { continue }
            for index in [first, second] {
                scenario.replacements[index].site = "First site"
                scenario.replacements[index].siteUnits = 2
            }
        }
        return scenario
    }

    /// The joint solve of `scenario` and its full exact Shapley allocation, each under `timeLimit` seconds.
    static func solve(_ scenario: Scenario, timeLimit: Double = 60) async throws -> Measurement {
        let joint = clock.now
        _ = try PurchaseOptimizer(scenario: scenario, timeLimitSeconds: timeLimit).plan(for: Set(scenario.trusts))
        let jointSeconds = seconds(joint.duration(to: clock.now))
        let start = clock.now
        let optimizer = try PurchaseOptimizer(scenario: scenario, timeLimitSeconds: timeLimit)
        let analysis = try await ProcurementAnalysis.analyse(with: optimizer)
        let work = optimizer.solveStatistics
        let allocation = seconds(start.duration(to: clock.now))
        return Measurement(
            seconds: allocation,
            items: analysis.coalitionsEvaluated,
            peakKiB: peakKiB(),
            extra: [
                "joint_s": jointSeconds, "replacements": Double(scenario.replacements.count),
                "unproved": Double(analysis.unprovedCoalitions),
                "largest gap_pct": 100 * analysis.status.relativeGap, "models": Double(work.modelsSolved),
                "nodes": Double(work.nodes), "solver_s": work.solverSeconds,
            ]
        )
    }

    /// Synthetic scenarios (seed 1, five decision years) whose every trust has the same capital budget in every year,
    /// the sizes issue 15 measured; `fleet-bench --stage solve-flat-budgets --size N` runs case N. With all twelve
    /// classes (PET-CT at about £2.2m among them) 6 trusts and 90 replacements cannot meet £2.0m a year; with the
    /// default eight they can.
    static let flatBudgetCases: [FlatBudgetCase] = [
        FlatBudgetCase(trusts: 6, replacements: 60, budgetGBP: nil),
        FlatBudgetCase(trusts: 8, replacements: 80, budgetGBP: nil),
        FlatBudgetCase(trusts: 6, replacements: 60, budgetGBP: 2_500_000),
        FlatBudgetCase(trusts: 8, replacements: 80, budgetGBP: 2_500_000),
        FlatBudgetCase(trusts: 6, replacements: 60, budgetGBP: 2_500_000, classCount: 12),
        FlatBudgetCase(trusts: 8, replacements: 80, budgetGBP: 2_500_000, classCount: 12),
        FlatBudgetCase(trusts: 6, replacements: 90, budgetGBP: 2_000_000, classCount: 12),
        // Cases 7 and 8: funding routes (every offer also leased or taken as a managed service) under budgets.
        FlatBudgetCase(trusts: 8, replacements: 80, budgetGBP: 2_500_000, hasFundingRoutes: true),
        FlatBudgetCase(
            trusts: 10,
            replacements: 300,
            budgetGBP: nil,
            hasFundingRoutes: true,
            hasGeneratorBudgets: true,
            timeLimit: 60
        ),
        // Case 9: case 6 with funding routes, under which the joint plan can meet the budgets that no trust alone can;
        // the stage gives it 30 seconds (see `infeasibleBudgets`).
        FlatBudgetCase(
            trusts: 6,
            replacements: 90,
            budgetGBP: 2_000_000,
            classCount: 12,
            hasFundingRoutes: true,
            timeLimit: 30
        ),
        // Cases 10 and 11: case 3 with capacity cover (``withCapacityCover(_:)``), then with funding routes as well,
        // planned by the capacity optimiser with an exact Shapley value; 60 seconds each for the joint plan and the
        // allocation (with 300, case 10's joint plan was proved in 64 s and the allocation took 251 s, 2026-12-07).
        FlatBudgetCase(trusts: 8, replacements: 80, budgetGBP: 2_500_000, hasCapacityCover: true, timeLimit: 60),
        FlatBudgetCase(
            trusts: 8,
            replacements: 80,
            budgetGBP: 2_500_000,
            hasFundingRoutes: true,
            hasCapacityCover: true,
            timeLimit: 60
        ),
        // Cases 12–14: infeasible budgets with funding routes (at £1.5m, which even the joint plan cannot meet: a
        // PET-CT's managed service alone scores about £1.9m of capital at list price), with capacity cover (case 6's
        // £2.0m), and with both (£1.5m), each as `fleet procure` runs it (see `infeasibleBudgets`).
        FlatBudgetCase(
            trusts: 6,
            replacements: 90,
            budgetGBP: 1_500_000,
            classCount: 12,
            hasFundingRoutes: true,
            timeLimit: 30
        ),
        FlatBudgetCase(
            trusts: 6,
            replacements: 90,
            budgetGBP: 2_000_000,
            classCount: 12,
            hasCapacityCover: true,
            timeLimit: 30
        ),
        FlatBudgetCase(
            trusts: 6,
            replacements: 90,
            budgetGBP: 1_500_000,
            classCount: 12,
            hasFundingRoutes: true,
            hasCapacityCover: true,
            timeLimit: 30
        ),
    ]

    struct FlatBudgetCase {
        var trusts: Int
        var replacements: Int
        var budgetGBP: Double?
        var classCount = 8
        var hasFundingRoutes = false
        /// The generator's own budgets (as `solve-budgets`) instead of a flat one.
        var hasGeneratorBudgets = false
        /// Capacity cover (``withCapacityCover(_:)``), planned by the capacity optimiser.
        var hasCapacityCover = false
        /// Seconds allowed for the joint solve and, again, for the allocation.
        var timeLimit: Double = 300

        var scenario: Scenario {
            let scenario = SyntheticScenario.make(
                SyntheticScenarioSpecification(
                    trustCount: trusts,
                    replacementCount: replacements,
                    classCount: classCount,
                    hasBudgets: hasGeneratorBudgets,
                    flatBudgetGBP: budgetGBP,
                    hasFundingRoutes: hasFundingRoutes
                )
            )
            return hasCapacityCover ? withCapacityCover(scenario) : scenario
        }
    }

    /// The joint solve and the full exact Shapley allocation of a flat-budget case, as ``solve(trusts:budgets:)`` but
    /// under the case's limit (300 seconds unless it says: the slowest took 136 s before issue 15).
    static func solveFlatBudgets(_ flat: FlatBudgetCase) async throws -> Measurement {
        flat.hasCapacityCover
            ? try await solveCapacity(flat.scenario, timeLimit: flat.timeLimit)
            : try await solve(flat.scenario, timeLimit: flat.timeLimit)
    }

    /// The joint plan of `scenario` with capacity cover and its allocation (a full exact Shapley value, or with
    /// `computesShapley` false each trust alone and the proportional split), by the capacity optimiser, each under
    /// `timeLimit` seconds.
    static func solveCapacity(
        _ scenario: Scenario,
        timeLimit: Double,
        computesShapley: Bool = true
    ) async throws -> Measurement {
        try scenario.validate()
        let joint = clock.now
        let plan = try CapacityOptimizer(scenario: scenario, timeLimitSeconds: timeLimit).plan(
            for: Set(scenario.trusts)
        )
        let jointSeconds = seconds(joint.duration(to: clock.now))
        let start = clock.now
        let optimizer = try CapacityOptimizer(scenario: scenario, timeLimitSeconds: timeLimit)
        let analysis = try await ProcurementAnalysis.analyse(
            with: optimizer,
            options: AnalysisOptions(computesShapley: computesShapley)
        )
        return Measurement(
            seconds: seconds(start.duration(to: clock.now)),
            items: analysis.coalitionsEvaluated,
            peakKiB: peakKiB(),
            extra: [
                "joint_s": jointSeconds, "replacements": Double(scenario.replacements.count),
                "unproved": Double(analysis.unprovedCoalitions), "joint gap_pct": 100 * plan.status.relativeGap,
                "largest gap_pct": 100 * analysis.status.relativeGap, "additions": Double(plan.additions.count),
                "sharing_gbp": analysis.savingsSplit.capacitySharingGBP.pounds,
            ]
        )
    }

    /// `fleet procure` on a flat-budget case whose budgets the trusts cannot meet alone, as a user runs it (the release
    /// binary beside this one), with `--time-limit 280` or the case's shorter limit: the seconds until it exits, and
    /// its exit code: 3, naming the trusts, years and shortfalls, when the joint plan cannot meet them either. Any
    /// ending is measured, not refused: with funding routes case 9's joint plan can meet them, and `fleet procure` runs
    /// out its time on the coalitions (2026-12-07). A case with capacity cover is planned with `--capacity`.
    static func infeasibleBudgets(_ flat: FlatBudgetCase, scratch: URL) throws -> Measurement {
        let folder = scratch.appendingPathComponent(
            "flat-\(flat.trusts)-\(flat.replacements)-\(Int(flat.budgetGBP ?? 0))-\(flat.classCount)"
                + (flat.hasFundingRoutes ? "-routes" : "") + (flat.hasCapacityCover ? "-capacity" : "")
        )
        try ScenarioFiles.write(flat.scenario, to: folder)
        let fleet = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fleet")
        let limit = Int(min(flat.timeLimit, 280))
        let start = clock.now
        let printed = try shell(
            "'\(fleet.path)' procure --scenario '\(folder.path)'\(flat.hasCapacityCover ? " --capacity" : "") --time-limit \(limit) 2>&1; echo \"exit $?\""
        )
        let elapsed = seconds(start.duration(to: clock.now))
        guard let last = printed.split(separator: "\n").last, last.hasPrefix("exit "),
            let code = Double(last.dropFirst(5))
        else { throw BenchmarkFailure("fleet procure printed \(printed)") }
        let shortfalls = printed.split(separator: "\n").count { $0.contains("short by") }
        return Measurement(
            seconds: elapsed,
            items: 1,
            peakKiB: peakKiB(children: true),
            extra: ["shortfalls": Double(shortfalls), "exit code": code, "time limit s": Double(limit)]
        )
    }

    /// The national pipeline on a generated register of 200 trusts in 40 networks (generation not timed): import
    /// of the register and 24 months of utilisation, ranking, a scenario per network, and each network's analysis.
    static func national(assets: Int, scratch: URL) async throws -> Measurement {
        let files = scratch.appendingPathComponent("national-\(assets)")
        if !FileManager.default.fileExists(atPath: files.appendingPathComponent("utilisation.csv").path) {
            try synthetic(trusts: 200, networks: 40, assets: assets, months: 24).write(to: files)
        }
        let database = scratch.appendingPathComponent("national-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let today = Day(year: 2026, month: 11, day: 25)!
        let start = clock.now
        let store = try SQLiteRegisterStore(path: database)
        _ = try RegisterImport.importRegister(
            file: files.appendingPathComponent("register.csv"),
            displayName: "register.csv",
            into: store,
            today: today
        )
        let fed = try RegisterImport.importUtilisation(
            file: files.appendingPathComponent("utilisation.csv"),
            displayName: "utilisation.csv",
            into: store,
            today: today
        )
        let imported = clock.now
        let planning = try NetworkPlanning(
            planning: PlanningCatalog.load(from: catalog),
            procurement: ProcurementCatalog.load(from: catalog),
            snapshot: RegisterSnapshot.load(from: store, filter: .inService, asOf: Day(year: 2026, month: 11, day: 1)!)
        )
        let ranked = clock.now
        var replacements = 0
        var coalitions = 0
        for network in planning.networks {
            let scenario = planning.scenario(for: network, budgets: []).scenario
            replacements += scenario.replacements.count
            coalitions += try await NetworkPlanning.analyse(scenario, timeLimitSeconds: 120).coalitionsEvaluated
        }
        let end = clock.now
        return Measurement(
            seconds: seconds(start.duration(to: end)),
            items: assets,
            peakKiB: peakKiB(),
            extra: [
                "import_s": seconds(start.duration(to: imported)), "rank_s": seconds(imported.duration(to: ranked)),
                "procure_s": seconds(ranked.duration(to: end)), "records": Double(fed.rowsRead),
                "networks": Double(planning.networks.count), "replacements": Double(replacements),
                "coalitions": Double(coalitions),
            ]
        )
    }

    /// `fleet demo` end to end, as a user runs it (the release binary beside this one).
    static func demo(scratch: URL) throws -> Measurement {
        let folder = scratch.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: catalog.path
        )
        let fleet = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fleet")
        let start = clock.now
        try shell("cd '\(folder.path)' && '\(fleet.path)' demo >/dev/null 2>&1")
        return Measurement(seconds: seconds(start.duration(to: clock.now)), items: 1, peakKiB: peakKiB(children: true))
    }

    /// `fleet procure` on the demo network (the register `fleet demo` writes, made once and not timed) with the
    /// demo's budgets scaled to `percent` %, as a user runs it, with `--capacity` when `capacity`, a 60 s limit and
    /// JSON output: the seconds until it exits, its exit code, the joint plan's cost and the largest gap of any plan
    /// behind the split. At 75 % one trust cannot keep its budgets alone, so no merge of smaller coalitions' plans
    /// starts the joint plan's search (see ``PurchaseOptimizer/searchesFromNoPlan(_:hasStart:)``).
    static func demoBudgets(percent: Int, capacity: Bool, scratch: URL) throws -> Measurement {
        let folder = scratch.appendingPathComponent("demo-register")
        let register = folder.appendingPathComponent("Reports/demo.sqlite")
        let fleet = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fleet")
        if !FileManager.default.fileExists(atPath: register.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent("Catalog").path,
                withDestinationPath: catalog.path
            )
            try shell("cd '\(folder.path)' && '\(fleet.path)' demo >/dev/null 2>&1")
        }
        let scaled = try ScenarioFiles.readBudgets(at: catalog.appendingPathComponent("demo/budgets.csv")).map {
            [$0.trust.rawValue, String($0.year)]
                + [$0.capitalBudgetGBP.map { String(Int(($0.pounds * Double(percent) / 100).rounded())) } ?? ""]
        }
        let budgets = folder.appendingPathComponent("budgets-\(percent).csv")
        try ([ScenarioFiles.budgetColumns] + scaled).map { CSV.line($0) + "\n" }.joined()
            .write(to: budgets, atomically: true, encoding: .utf8)
        let start = clock.now
        let printed = try shell(
            "cd '\(folder.path)' && '\(fleet.path)' procure --db Reports/demo.sqlite --as-of 2026-11-01 "
                + "--budgets '\(budgets.path)'\(capacity ? " --capacity" : "") --time-limit 60 --format json "
                + "2>/dev/null; echo \"exit $?\""
        )
        let elapsed = seconds(start.duration(to: clock.now))
        guard let exit = printed.split(separator: "\n").last, exit.hasPrefix("exit "),
            let code = Double(exit.dropFirst(5))
        else { throw BenchmarkFailure("fleet procure printed \(printed)") }
        var extra = ["exit code": code]
        let json = printed.split(separator: "\n").dropLast().joined(separator: "\n")
        if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] {
            extra["joint_gbp"] = object["joint_cost_gbp"] as? Double
            extra["largest gap_pct"] = ((object["gap"] as? Double) ?? 0) * 100
        }
        return Measurement(seconds: elapsed, items: 1, peakKiB: peakKiB(children: true), extra: extra)
    }

    /// Runs `command` with sh, returning its standard output.
    @discardableResult
    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkFailure("`\(command)` exited with \(process.terminationStatus)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Stages {
    /// The same cells as the C baseline, written as WorkbookWriter's own benchmark writes them (prepared formats,
    /// text from a reused C buffer).
    static func workbook(rows: Int, scratch: URL) throws -> Measurement {
        let result = try WorkbookWriterBenchmark.writeCells(
            rows: rows,
            path: scratch.appendingPathComponent("swift-\(rows).xlsx").path
        )
        return Measurement(seconds: result.seconds, items: rows * 12, peakKiB: result.peakResidentKilobytes)
    }

    /// The same cells through the API the report uses for ordinary cells: a `String` and a `CellFormat` value per
    /// cell.
    static func workbookPlain(rows: Int, scratch: URL) throws -> Measurement {
        let path = scratch.appendingPathComponent("swift-\(rows).xlsx").path
        let start = clock.now
        let workbook = try Workbook(path: path, constantMemory: true)
        let sheet = try workbook.addWorksheet(named: "Register")
        let money = CellFormat(numberFormat: .gbp)
        let date = CellFormat(numberFormat: .date)
        for row in 0..<rows {
            for column in 0..<6 { try sheet.writeText("R\(row)-C\(column) text value", row: row, column: column) }
            for column in 6..<11 {
                try sheet.writeNumber(Double(row * 11 + column) * 1.5, row: row, column: column, format: money)
            }
            try sheet.writeNumber(40_000 + Double(row % 9000), row: row, column: 11, format: date)
        }
        try workbook.close()
        return Measurement(seconds: seconds(start.duration(to: clock.now)), items: rows * 12, peakKiB: peakKiB())
    }
}

extension Stages {
    /// The business-case workbook of one network of `assets` units in 12 trusts: the ranking is real; procurement
    /// is the analysis of the 120 most urgent replacements with sampled Shapley values, so that the figure is the
    /// workbook's (every unit on the Register and Priority sheets), not the optimiser's. Only the writing is timed.
    static func report(assets count: Int, scratch: URL) async throws -> Measurement {
        let files = scratch.appendingPathComponent("report-\(count)")
        if !FileManager.default.fileExists(atPath: files.appendingPathComponent("utilisation.csv").path) {
            try synthetic(trusts: 12, networks: 1, assets: count, months: 24).write(to: files)
        }
        let today = Day(year: 2026, month: 11, day: 25)!
        let store = try SQLiteRegisterStore.makeInMemory()
        _ = try RegisterImport.importRegister(
            file: files.appendingPathComponent("register.csv"),
            displayName: "register.csv",
            into: store,
            today: today
        )
        _ = try RegisterImport.importUtilisation(
            file: files.appendingPathComponent("utilisation.csv"),
            displayName: "utilisation.csv",
            into: store,
            today: today
        )
        let asOf = Day(year: 2026, month: 11, day: 1)!
        let planning = try NetworkPlanning(
            planning: PlanningCatalog.load(from: catalog),
            procurement: ProcurementCatalog.load(from: catalog),
            snapshot: RegisterSnapshot.load(from: store, filter: .inService, asOf: asOf)
        )
        let network = planning.networks.first ?? nil
        var scenario = planning.scenario(for: network, budgets: []).scenario
        scenario.replacements = Array(scenario.replacements.prefix(120))
        let analysis = try await NetworkPlanning.analyse(
            scenario,
            timeLimitSeconds: 120,
            options: AnalysisOptions(exactShapleyLimit: 0, sampledOrders: 20)
        )
        let register = try store.assets(matching: .all)
        let businessCase = BusinessCaseAssembly.make(
            title: network?.rawValue ?? "Network",
            register: register,
            ranking: planning.ranking.assessments,
            scenario: scenario,
            analysis: analysis,
            appraisal: planning.procurement.appraisal,
            asOf: asOf
        )
        let before = peakKiB()
        let start = clock.now
        try BusinessCaseWorkbook(businessCase: businessCase)
            .write(to: scratch.appendingPathComponent("report-\(count).xlsx").path)
        return Measurement(
            seconds: seconds(start.duration(to: clock.now)),
            items: register.count,
            peakKiB: peakKiB(),
            extra: ["peak_before_writing_mib": Double(before) / 1024]
        )
    }
}

extension Stages {
    /// The release `fleet` beside this fleet-bench.
    static var fleetBinary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fleet")
    }

    /// The analyst's Python script (Benchmarks/analyst-baseline/analyst.py: csv + XlsxWriter) against fleet's
    /// `import register`, `import utilisation`, `rank` and national workbook, each a child process, on the same
    /// generated national register (`fleet generate --assets N --months 24 --seed 1`, not timed). The figure is
    /// fleet's time; the row's notes carry the script's, each stage's, and fleet ÷ script. Installs XlsxWriter with
    /// pip when Python lacks it. The workbook of the figure is the national register workbook
    /// (`fleet report --no-procurement`: register, ranking, age profile by network), which does what the script
    /// does; the full national workbook, which also plans every network's procurement, is timed after it and its
    /// ratio given in the notes.
    static func analyst(assets: Int, scratch: URL) throws -> Measurement {
        let files = scratch.appendingPathComponent("analyst-\(assets)")
        let register = files.appendingPathComponent("register.csv").path
        let feed = files.appendingPathComponent("utilisation.csv").path
        let fleet = fleetBinary.path
        if !FileManager.default.fileExists(atPath: feed) {
            try shell(
                "'\(fleet)' generate --trusts 200 --networks 40 --assets \(assets) --months 24 --seed 1 "
                    + "--out '\(files.path)' --catalog '\(catalog.path)' >/dev/null"
            )
        }
        if run("python3 -c 'import xlsxwriter' 2>/dev/null") != 0 {
            // A user install first; inside a virtual environment a plain one; on a system Python that PEP 668 marks
            // as managed by the distribution, a user install that says it knows.
            _ = run(
                "python3 -m pip install --quiet --user xlsxwriter >&2 || python3 -m pip install --quiet xlsxwriter >&2 "
                    + "|| python3 -m pip install --quiet --user --break-system-packages xlsxwriter >&2"
            )
            guard run("python3 -c 'import xlsxwriter' 2>/dev/null") == 0 else {
                throw BenchmarkFailure("the analyst baseline needs XlsxWriter, and `python3 -m pip install` failed")
            }
        }
        let asOf = "2026-11-25"
        let script = packageRoot.appendingPathComponent("Benchmarks/analyst-baseline/analyst.py").path
        let work = scratch.appendingPathComponent("analyst-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let classes = catalog.appendingPathComponent("equipment-classes.csv").path

        let scriptStart = clock.now
        let printed = try shell(
            "python3 '\(script)' '\(register)' '\(feed)' '\(classes)' \(asOf) '\(work.path)/analyst.xlsx'"
        )
        let scriptSeconds = seconds(scriptStart.duration(to: clock.now))
        var extra: [String: Double] = ["analyst_s": scriptSeconds]
        if let line = printed.split(separator: "\n").last,
            let stages = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        {
            for key in ["read_s", "score_s", "write_s"] {
                if let value = stages[key] as? Double { extra["analyst " + key] = value }
            }
        }

        let database = work.appendingPathComponent("national.sqlite").path
        let common = "--db '\(database)' --catalog '\(catalog.path)'"
        var fleetSeconds = 0.0
        for (name, command) in [
            ("import register", "import register '\(register)'"),
            ("import utilisation", "import utilisation '\(feed)'"),
            ("rank", "rank --as-of \(asOf)"),
        ] {
            let start = clock.now
            let status = run("'\(fleet)' \(command) \(common) >/dev/null 2>&1")
            let elapsed = seconds(start.duration(to: clock.now))
            fleetSeconds += elapsed
            extra["fleet " + name + "_s"] = elapsed
            guard status == 0 else { throw BenchmarkFailure("`fleet \(command)` exited with \(status)") }
        }
        // The national register workbook, as the script writes its workbook; then the full national workbook, every
        // network's procurement planned, for the ratio with procurement.
        var reportSeconds: [Double] = []
        for (options, file) in [("--no-procurement", "register"), ("", "national")] {
            let report = "report --as-of \(asOf) \(options) --out '\(work.path)/\(file).xlsx'"
            let start = clock.now
            let status = run("'\(fleet)' \(report) \(common) >/dev/null 2>&1")
            reportSeconds.append(seconds(start.duration(to: clock.now)))
            guard status == 0 else { throw BenchmarkFailure("`fleet \(report)` exited with \(status)") }
        }
        extra["fleet national register workbook_s"] = reportSeconds[0]
        extra["fleet national report with procurement_s"] = reportSeconds[1]
        extra["fleet ÷ analyst_ratio"] = (fleetSeconds + reportSeconds[0]) / scriptSeconds
        extra["fleet with procurement ÷ analyst_ratio"] = (fleetSeconds + reportSeconds[1]) / scriptSeconds
        return Measurement(
            seconds: fleetSeconds + reportSeconds[0],
            items: assets,
            peakKiB: peakKiB(children: true),
            extra: extra
        )
    }

    /// Runs `command` with sh, returning its exit status.
    static func run(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
