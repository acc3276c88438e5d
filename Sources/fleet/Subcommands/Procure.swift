import ArgumentParser
import FleetCore
import FleetPipeline
import FleetProcurement
import Foundation

/// `fleet procure`: the joint plan against each trust alone, the savings, and a fair split of them.
struct Procure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Optimise joint procurement: the joint plan, each trust alone, the savings and their split.",
        discussion: """
            Reads a procurement scenario folder (scenario.toml, replacements.csv, offers.csv, tiers.csv and \
            optionally budgets.csv) — or, without --scenario, derives it from the register, the ranking and the \
            Catalog as `fleet scenario export` does — finds the cheapest joint plan and each trust's cheapest plan \
            alone, and splits the savings by Shapley value (exact up to 12 trusts, estimated beyond) or in \
            proportion to standalone cost. A register of several networks is planned network by network and the \
            national figure is their sum. Exits 3 when the capital budgets cannot be met, naming each trust, year \
            and shortfall. A scenario whose optimisation is estimated to need more memory than half this machine's \
            (or FLEET_MEMORY_LIMIT_MB megabytes, when set) is refused before any solve (exit 4).
            """
    )

    @Option(name: .long, help: "The procurement scenario folder (as `fleet scenario export` writes it).")
    var scenario: String?

    @Option(name: .long, help: "How to split the savings: shapley or proportional.")
    var allocation: AllocationMethod = .shapley

    @OptionGroup var inputs: PlanningInputOptions
    @OptionGroup var routes: RouteOptions
    @OptionGroup var asOf: AsOfOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var format: FormatOptions

    func run() async throws {
        try await reportingFailures {
            if let scenario {
                let folder = URL(fileURLWithPath: scenario, isDirectory: true)
                let scenario = try routes.restrict(try ScenarioFiles.read(from: folder))
                let analysis = try await analyse(scenario)
                switch format.format {
                case .json: try printJSON(ProcurementSummary(analysis, method: allocation, scenario: scenario))
                case .csv:
                    ProcurementReport(analysis: analysis, method: allocation).trustTable(plain: true).print(as: .csv)
                case .table: ProcurementReport(analysis: analysis, method: allocation).print(scenario: scenario)
                }
            } else {
                try await procureFromRegister()
            }
        }
    }

    /// Plans every network of the register in scope, one coalition per network.
    private func procureFromRegister() async throws {
        let setup = try PlanningSetup(
            catalog: catalog,
            database: database,
            scope: scope,
            asOf: asOf.day,
            inputs: inputs
        )
        let budgets = try setup.budgets(inputs)
        var results: [NationalProcurement.Network] = []
        for network in setup.planning.networks {
            var derived = setup.planning.scenario(for: network, budgets: budgets, includesCapacity: inputs.capacity)
            derived.scenario = try routes.restrict(derived.scenario)
            printNotes(
                derived.leftOut,
                heading: "Left out of the scenario of \(network?.rawValue ?? "units with no network"):"
            )
            results.append(
                .init(name: network, scenario: derived.scenario, analysis: try await analyse(derived.scenario))
            )
        }
        if results.count == 1, let only = results.first {
            switch format.format {
            case .json: try printJSON(ProcurementSummary(only.analysis, method: allocation, scenario: only.scenario))
            case .csv:
                ProcurementReport(analysis: only.analysis, method: allocation).trustTable(plain: true).print(as: .csv)
            case .table:
                if let network = only.name { print(network.rawValue) }
                ProcurementReport(analysis: only.analysis, method: allocation).print(scenario: only.scenario)
            }
            return
        }
        let national = NationalReport(national: NationalProcurement(networks: results), method: allocation)
        switch format.format {
        case .json: try printJSON(national)
        case .csv: national.table(plain: true).print(as: .csv)
        case .table:
            print(
                "Joint procurement network by network (each network's trusts buy together); `--network NAME` for one network's orders and shares."
            )
            print(national.table(plain: false).rendered)
        }
    }

    private func analyse(_ scenario: FleetProcurement.Scenario) async throws -> ProcurementAnalysis {
        let progress = ProgressLine(label: "Optimising coalitions")
        // The proportional split needs only the joint plan and each trust alone.
        let analysis = try await NetworkPlanning.analyse(
            scenario,
            timeLimitSeconds: inputs.timeLimit,
            options: AnalysisOptions(computesShapley: allocation == .shapley)
        ) { progress.update($0) }
        progress.finish()
        for shortfall in analysis.standaloneShortfalls {
            printError(
                "Note: \(shortfall.trust) alone cannot meet its \(shortfall.year) \(shortfall.kind.rawValue) budget (short by "
                    + "\(GBP.format(shortfall.shortfallGBP.pounds))); its standalone cost is optimised without "
                    + "that budget, which understates the savings."
            )
        }
        // A trust alone over its budgets whose least shortfalls the time limit left unsized (their search comes after
        // the Shapley split's coalitions, which may take the whole limit).
        let sized = Set(analysis.standaloneShortfalls.map(\.trust))
        for trust in analysis.trusts
        where analysis.standalonePlans[trust]?.isBudgetRelaxed == true && !sized.contains(trust) {
            printError(
                "Note: \(trust) alone cannot meet its budgets (the time limit left no time to size by how much); its "
                    + "standalone cost is optimised without them, which understates the savings."
            )
        }
        return analysis
    }
}

/// A procurement analysis as a planner reads it: headline figures, each trust's share, the joint orders.
struct ProcurementReport {
    var analysis: ProcurementAnalysis
    var method: AllocationMethod

    /// Each trust's standalone cost and share; money as `£1,234` for reading, or as plain numbers for CSV.
    func trustTable(plain: Bool = false) -> TextTable {
        let shares = analysis.allocation(method)
        let savings = analysis.savingsGBP.pounds
        let money: (Double) -> String = plain ? { String(format: "%.2f", $0) } : { GBP.format($0) }
        let percent: (Double) -> String = { value in
            guard savings > 0 else { return plain ? "" : "—" }
            return String(format: plain ? "%.4f" : "%.1f %%", 100 * value / savings)
        }
        var table = TextTable(
            plain
                ? [
                    .init("trust"), .init("standalone_cost_gbp"), .init("share_gbp"), .init("share_percent"),
                    .init("net_cost_gbp"),
                ]
                : [
                    .init("Trust"), .init("Alone", .right), .init("Share of savings", .right), .init("Share", .right),
                    .init("Alone less share", .right),
                ]
        )
        for trust in analysis.trusts {
            let alone = analysis.standaloneCostByTrust[trust]?.pounds ?? 0
            let share = shares?.byTrust[trust]?.pounds ?? 0
            table.rows.append([
                plain ? trust.rawValue : shortened(trust.rawValue, to: 44), money(alone), money(share), percent(share),
                money(alone - share),
            ])
        }
        if !plain {
            table.rows.append([
                "All trusts", money(analysis.standaloneCostGBP.pounds), money(savings), percent(savings),
                money(analysis.jointCostGBP.pounds),
            ])
        }
        return table
    }

    /// The headline, the shares and (unless `includesOrders` is false) the joint plan's orders.
    func print(scenario: FleetProcurement.Scenario, includesOrders: Bool = true) {
        let years = scenario.settings.decisionYears
        let standalone = analysis.standaloneCostGBP.pounds
        let savings = analysis.savingsGBP.pounds
        Swift.print(
            "Joint procurement of \(groupedThousands(scenario.replacements.count)) replacements by "
                + "\(analysis.trusts.count) trusts, \(years.lowerBound)–\(years.upperBound)"
        )
        switch (analysis.headlineStatus, analysis.status) {
        case (_, .optimal): Swift.print("Every plan below is proved optimal.")
        case (.optimal, .timeLimit(let gap)):
            Swift.print(
                "Time limit reached: the joint plan and each trust's plan alone are proved optimal; "
                    + "\(groupedThousands(analysis.unprovedCoalitions)) of the "
                    + "\(groupedThousands(analysis.coalitionsEvaluated)) coalitions behind the Shapley split are not "
                    + "(largest gap to the optimum \(String(format: "%.2f", 100 * gap)) %)."
            )
        case (.timeLimit(let headlineGap), .timeLimit(let gap)):
            Swift.print(
                "Time limit reached: the joint plan and each trust's plan alone are within "
                    + "\(String(format: "%.2f", 100 * headlineGap)) % of their optimum; all plans, including the "
                    + "coalitions behind the Shapley split, within \(String(format: "%.2f", 100 * gap)) %."
            )
        }
        if analysis.unresolvedCoalitions > 0 {
            Swift.print(
                "\(groupedThousands(analysis.unresolvedCoalitions)) of those coalitions found no plan meeting their "
                    + "budgets in the time, nor proved there is none: the Shapley split counts them at their cost "
                    + "without budgets, as it does coalitions that cannot meet theirs. Allow more time (--time-limit) "
                    + "to settle them."
            )
        }
        Swift.print("")
        Swift.print("Joint plan:       \(GBP.format(analysis.jointCostGBP.pounds))")
        Swift.print("Each trust alone: \(GBP.format(standalone))")
        Swift.print(
            "Savings:          \(GBP.format(savings))"
                + (standalone > 0 ? String(format: " (%.1f %% of buying alone)", 100 * savings / standalone) : "")
        )
        let capitalAlone = analysis.standaloneCapitalPaidGBP.pounds
        let capitalJoint = analysis.jointCapitalPaidGBP.pounds
        if capitalAlone > 0 {
            Swift.print(
                "Capital paid:     \(GBP.format(capitalJoint)) jointly against \(GBP.format(capitalAlone)) alone "
                    + "(\(fixed(100 * (capitalAlone - capitalJoint) / capitalAlone, 1)) % less; "
                    + "\(ProcurementBenchmark.nationalBulkBuySentence))"
            )
        }
        let coverText =
            scenario.hasCapacityOrContinuity ? ", outsourced scans and cover hired while single units are replaced" : ""
        Swift.print(
            scenario.hasFundingRoutes
                ? "Costs are discounted capital, rentals, fees and service to the end of the appraisal\(coverText) plus "
                    + "timing penalties; capital is scored as IFRS 16 does (prices paid, leases' and managed services' "
                    + "right-of-use values)."
                : "Costs are discounted capital and service to the end of the appraisal\(coverText) plus timing "
                    + "penalties."
        )
        Swift.print("")
        let shares = analysis.allocation(method)
        var methodText = method == .shapley ? "by Shapley value" : "in proportion to standalone cost"
        if let error = shares?.standardErrorGBP, let orders = shares?.sampledOrders {
            methodText += ", estimated from \(orders) random orders (standard error up to \(GBP.format(error.pounds)))"
        }
        Swift.print("Savings shared \(methodText):")
        trustTable().print(as: .table)
        printCapacity()
        guard includesOrders else { return }
        Swift.print("")
        Swift.print("Orders of the joint plan:")
        let showsRoutes = scenario.hasFundingRoutes
        var orders = TextTable(
            [
                .init("Supplier"), .init("Class"), .init("Year", .right), .init("Units", .right),
                .init("Tier from", .right),
                .init("Discount", .right), .init("Unit price", .right), .init("List price", .right),
            ] + (showsRoutes ? [.init("Route")] : [])
        )
        for order in analysis.jointPlan.orders {
            orders.rows.append(
                [
                    order.supplier.rawValue, order.equipmentClass.rawValue, String(order.year), String(order.units),
                    "\(order.tierMinimumUnits) unit\(order.tierMinimumUnits == 1 ? "" : "s")",
                    String(format: "%.1f %%", 100 * order.discount), GBP.format(order.unitPricePaidGBP.pounds),
                    GBP.format(order.listUnitPriceGBP.pounds),
                ] + (showsRoutes ? [RouteText.describe(order)] : [])
            )
        }
        orders.print(as: .table)
        printBudgetUse(scenario: scenario)
    }
}

/// Several networks' analyses and their national sum (``NationalProcurement``), as JSON and as a table.
struct NationalReport: Encodable {
    /// One network's summary, as JSON.
    struct Network: Encodable {
        var network: NationalProcurement.Network
        var method: AllocationMethod

        enum CodingKeys: String, CodingKey { case network, summary }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(network.name?.rawValue, forKey: .network)
            try container.encode(
                ProcurementSummary(network.analysis, method: method, scenario: network.scenario),
                forKey: .summary
            )
        }
    }

    var national: NationalProcurement
    var method: AllocationMethod

    enum CodingKeys: String, CodingKey {
        case status, gap, networks
        case jointCostGBP = "joint_cost_gbp"
        case standaloneCostGBP = "standalone_cost_gbp"
        case savingsGBP = "savings_gbp"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch national.status {
        case .optimal: try container.encode("optimal", forKey: .status)
        case .timeLimit(let gap):
            try container.encode("time_limit", forKey: .status)
            try container.encode(gap, forKey: .gap)
        }
        try container.encode(national.jointCostGBP, forKey: .jointCostGBP)
        try container.encode(national.standaloneCostGBP, forKey: .standaloneCostGBP)
        try container.encode(national.savingsGBP, forKey: .savingsGBP)
        try container.encode(national.networks.map { Network(network: $0, method: method) }, forKey: .networks)
    }

    /// One row per network and the national total.
    func table(plain: Bool) -> TextTable {
        let money: (GBP) -> String = plain ? { String(format: "%.2f", $0.pounds) } : { GBP.format($0.pounds) }
        var table = TextTable(
            plain
                ? [
                    .init("network"), .init("trusts"), .init("replacements"), .init("standalone_cost_gbp"),
                    .init("joint_cost_gbp"), .init("savings_gbp"),
                ]
                : [
                    .init("Network"), .init("Trusts", .right), .init("Replacements", .right), .init("Alone", .right),
                    .init("Joint", .right), .init("Savings", .right), .init("%", .right),
                ]
        )
        func percent(_ savings: GBP, _ alone: GBP) -> String {
            alone.pounds > 0 ? String(format: "%.1f", 100 * savings.pounds / alone.pounds) : "—"
        }
        for network in national.networks {
            let a = network.analysis
            var row = [
                network.name?.rawValue ?? "(no network)", String(a.trusts.count),
                String(network.scenario.replacements.count), money(a.standaloneCostGBP), money(a.jointCostGBP),
                money(a.savingsGBP),
            ]
            if !plain { row.append(percent(a.savingsGBP, a.standaloneCostGBP)) }
            table.rows.append(row)
        }
        if !plain {
            table.rows.append([
                "National", String(national.trustCount), String(national.replacementCount),
                money(national.standaloneCostGBP), money(national.jointCostGBP), money(national.savingsGBP),
                percent(national.savingsGBP, national.standaloneCostGBP),
            ])
        }
        return table
    }
}

extension AllocationMethod: ExpressibleByArgument {}

/// A one-line progress report on standard error, shown only when it is a terminal and the work takes over a second.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let start = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var shown = false

    init(label: String) { self.label = label }

    /// Reports `progress`; called from worker threads.
    func update(_ progress: AnalysisProgress) {
        guard isTerminal, ContinuousClock.now - start > .seconds(1) else { return }
        lock.withLock {
            shown = true
            let line = "\r\(label): \(groupedThousands(progress.completed)) of \(groupedThousands(progress.total))"
            FileHandle.standardError.write(Data(line.utf8))
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
