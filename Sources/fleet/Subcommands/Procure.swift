import ArgumentParser
import FleetCore
import FleetProcurement
import Foundation

/// `fleet procure`: the joint plan against each trust alone, the savings, and a fair split of them.
struct Procure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Optimise joint procurement: the joint plan, each trust alone, the savings and their split.",
        discussion: """
            Reads a procurement scenario folder (scenario.toml, replacements.csv, offers.csv, tiers.csv and \
            optionally budgets.csv), finds the cheapest joint plan and each trust's cheapest plan alone, and splits \
            the savings by Shapley value (exact up to 12 trusts, estimated beyond) or in proportion to standalone \
            cost. Exits 3 when the capital budgets cannot be met, naming each trust, year and shortfall.
            """)

    @Option(name: .long, help: "The procurement scenario folder (as `fleet scenario export` writes it).")
    var scenario: String?

    @Option(name: .long, help: "How to split the savings: shapley or proportional.")
    var allocation: AllocationMethod = .shapley

    @Option(
        name: .long,
        help: "Seconds the optimisation may take in all; plans not proved optimal by then are reported with their gap.")
    var timeLimit: Double = 120

    @OptionGroup var format: FormatOptions

    func validate() throws {
        guard scenario != nil else {
            throw ValidationError(
                "--scenario DIR is required: give the folder of a procurement scenario (scenario.toml, "
                    + "replacements.csv, offers.csv, tiers.csv, budgets.csv).")
        }
        guard timeLimit > 0, timeLimit.isFinite else {
            throw ValidationError("--time-limit must be a positive number of seconds.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let folder = URL(fileURLWithPath: scenario ?? ".", isDirectory: true)
            let scenario = try ScenarioFiles.read(from: folder)
            let optimizer = try PurchaseOptimizer(scenario: scenario, timeLimitSeconds: timeLimit)
            let progress = ProgressLine(label: "Optimising coalitions")
            let analysis = try await ProcurementAnalysis.analyse(with: optimizer) { progress.update($0) }
            progress.finish()
            for shortfall in analysis.standaloneShortfalls {
                printError(
                    "Note: \(shortfall.trust) alone cannot meet its \(shortfall.year) budget (short by "
                        + "\(GBP.format(shortfall.shortfallGBP.pounds))); its standalone cost is optimised without "
                        + "that budget, which understates the savings.")
            }
            switch format.format {
            case .json: try printJSON(ProcurementSummary(analysis, method: allocation))
            case .csv: trustTable(analysis, plain: true).print(as: .csv)
            case .table: printReport(analysis, scenario: scenario)
            }
        }
    }

    /// Each trust's standalone cost and share; money as `£1,234` for reading, or as plain numbers for CSV.
    private func trustTable(_ analysis: ProcurementAnalysis, plain: Bool = false) -> TextTable {
        let shares = analysis.allocation(allocation)
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
                ])
        for trust in analysis.trusts {
            let alone = analysis.standaloneCostByTrust[trust]?.pounds ?? 0
            let share = shares.byTrust[trust]?.pounds ?? 0
            table.rows.append([trust.rawValue, money(alone), money(share), percent(share), money(alone - share)])
        }
        if !plain {
            table.rows.append([
                "All trusts", money(analysis.standaloneCostGBP.pounds), money(savings), percent(savings),
                money(analysis.jointCostGBP.pounds),
            ])
        }
        return table
    }

    private func printReport(_ analysis: ProcurementAnalysis, scenario: FleetProcurement.Scenario) {
        let years = scenario.settings.decisionYears
        let standalone = analysis.standaloneCostGBP.pounds
        let savings = analysis.savingsGBP.pounds
        print(
            "Joint procurement of \(grouped(Double(scenario.replacements.count))) replacements by "
                + "\(analysis.trusts.count) trusts, \(years.lowerBound)–\(years.upperBound)")
        switch analysis.status {
        case .optimal: print("Every plan below is proved optimal.")
        case .timeLimit(let gap):
            print(
                "Time limit reached: some plans are not proved optimal; the largest gap to the optimum is "
                    + "\(String(format: "%.2f", 100 * gap)) %.")
        }
        print("")
        print("Joint plan:       \(GBP.format(analysis.jointCostGBP.pounds))")
        print("Each trust alone: \(GBP.format(standalone))")
        print(
            "Savings:          \(GBP.format(savings))"
                + (standalone > 0 ? String(format: " (%.1f %% of buying alone)", 100 * savings / standalone) : ""))
        print("Costs are discounted capital and service to the end of the appraisal plus timing penalties.")
        print("")
        let shares = analysis.allocation(allocation)
        var method = allocation == .shapley ? "Shapley value" : "in proportion to standalone cost"
        if let error = shares.standardErrorGBP, let orders = shares.sampledOrders {
            method += ", estimated from \(orders) random orders (standard error up to \(GBP.format(error.pounds)))"
        }
        print("Savings shared by \(method):")
        trustTable(analysis).print(as: .table)
        print("")
        print("Orders of the joint plan:")
        var orders = TextTable([
            .init("Supplier"), .init("Class"), .init("Year", .right), .init("Units", .right),
            .init("Tier from", .right),
            .init("Discount", .right), .init("Unit price", .right), .init("List price", .right),
        ])
        for order in analysis.jointPlan.orders {
            orders.rows.append([
                order.supplier.rawValue, order.equipmentClass.rawValue, String(order.year), String(order.units),
                "\(order.tierMinimumUnits) unit\(order.tierMinimumUnits == 1 ? "" : "s")",
                String(format: "%.1f %%", 100 * order.discount), GBP.format(order.unitPricePaidGBP.pounds),
                GBP.format(order.listUnitPriceGBP.pounds),
            ])
        }
        orders.print(as: .table)
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
            let line = "\r\(label): \(grouped(Double(progress.completed))) of \(grouped(Double(progress.total)))"
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
