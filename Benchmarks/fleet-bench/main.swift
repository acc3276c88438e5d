// LOCAL ONLY (budgets helper): procurement timing harness; not to be committed.
import FleetCore
import FleetProcurement
import Foundation

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
let args = CommandLine.arguments
let mode = args.count > 1 ? args[1] : "demo"
let limit = args.count > 2 ? Double(args[2])! : 600
let clock = ContinuousClock()

func run(_ scenario: Scenario, label: String, jointOnly: Bool) async throws {
    try scenario.validate()
    let optimizer = try PurchaseOptimizer(scenario: scenario, timeLimitSeconds: limit)
    let t0 = clock.now
    if jointOnly {
        let cost = try optimizer.cost(for: Set(optimizer.trusts))
        print("\(label) joint: \(cost.costGBP.pounds) \(cost.status) relaxed=\(cost.isBudgetRelaxed) in \(seconds(clock.now - t0)) s")
    } else {
        let analysis = try await ProcurementAnalysis.analyse(with: optimizer)
        print("\(label) analysis: joint \(analysis.jointCostGBP.pounds) savings \(analysis.savingsGBP.pounds) \(analysis.status) coalitions \(analysis.coalitionsEvaluated) in \(seconds(clock.now - t0)) s")
        for t in analysis.trusts { print("  \(t): \(analysis.shapley.byTrust[t]!.pounds)") }
    }
    print("  stats: \(optimizer.solveStatistics)")
}

switch mode {
case "demo", "demo-joint":
    let scenario = try ScenarioFiles.read(from: URL(fileURLWithPath: args.count > 3 ? args[3] : "demo-scenario"))
    try await run(scenario, label: "demo", jointOnly: mode == "demo-joint")
case "syn", "syn-joint":
    let trusts = args.count > 3 ? Int(args[3])! : 10
    let seed = args.count > 4 ? UInt64(args[4])! : 1
    let scenario = SyntheticScenario.make(
        SyntheticScenarioSpecification(trustCount: trusts, replacementCount: trusts * 30, hasBudgets: true, seed: seed))
    try await run(scenario, label: "syn\(trusts)/\(seed)", jointOnly: mode == "syn-joint")
case "nob":
    var scenario = args.count > 3 && args[3].hasPrefix("/") ? try ScenarioFiles.read(from: URL(fileURLWithPath: args[3])) : SyntheticScenario.make(
        SyntheticScenarioSpecification(trustCount: 10, replacementCount: 300, hasBudgets: true, seed: 1))
    scenario.budgets = []
    try await run(scenario, label: "unbudgeted", jointOnly: true)
case "export":
    let trusts = Int(args[3])!
    let seed = UInt64(args[4])!
    let scenario = SyntheticScenario.make(
        SyntheticScenarioSpecification(trustCount: trusts, replacementCount: trusts * 30, hasBudgets: true, seed: seed))
    try ScenarioFiles.write(scenario, to: URL(fileURLWithPath: args[5]))
default: print("modes: demo demo-joint syn syn-joint")
}
