import Foundation
import MILP
import Testing

/// Cut generators and the scaling CBCSolver applies must never change an optimum, only how fast it is proved.
@Suite("MILP cut generators, scaling and LP text")
struct CutAndScaleTests {
    static let everyGenerator: CutGenerators = [
        .probing, .gomory, .knapsackCover, .clique, .mixedIntegerRounding, .flowCover, .twoStepMixedIntegerRounding,
        .zeroHalf,
    ]

    /// Random 0–1 knapsacks (values and weights in the hundreds of thousands, as budgets in pounds are) solved with
    /// every cut generator, each generator alone, and none: every solve finds the brute-force optimum.
    @Test(arguments: 0..<40)
    func cutGeneratorsKeepTheOptimum(seed: Int) throws {
        var knapsack = RandomKnapsack(seed: UInt64(1000 + seed))
        knapsack.values = knapsack.values.map { $0 * 10_007 }
        knapsack.weights = knapsack.weights.map { $0 * 99_991 }
        knapsack.capacity *= 99_991
        let expected = -bruteForceKnapsack(
            values: knapsack.values,
            weights: knapsack.weights,
            capacity: knapsack.capacity
        )
        let singles = (0..<8).map { CutGenerators(rawValue: 1 << $0) }
        for generators in [[], Self.everyGenerator] + singles {
            let solution = try CBCSolver().solve(knapsack.model, options: SolveOptions(cutGenerators: generators))
            #expect(solution.status == .optimal, "generators \(generators.rawValue)")
            #expect(solution.objectiveValue == expected, "generators \(generators.rawValue)")
        }
    }

    /// The same knapsacks with the rounds of root cuts limited (one, five, the solver's own): the optimum is the same
    /// and proved, only the work to prove it changes.
    @Test(arguments: 0..<20)
    func fewerRootCutRoundsKeepTheOptimum(seed: Int) throws {
        try expectTheOptimum(
            seed: UInt64(2000 + seed),
            under: [1, 5, nil].map { rounds in
                (
                    "rounds \(String(describing: rounds))",
                    SolveOptions(
                        cutGenerators: Self.everyGenerator,
                        cutsAtRootOnly: true,
                        maximumCutPassesAtRoot: rounds
                    )
                )
            }
        )
    }

    /// The same knapsacks with the feasibility pump, from no start and from the empty knapsack: the heuristic only
    /// finds plans, so the optimum is the same and proved.
    @Test(arguments: 0..<20)
    func theFeasibilityPumpKeepsTheOptimum(seed: Int) throws {
        let knapsack = RandomKnapsack(seed: UInt64(3000 + seed))
        let empty = [Double](repeating: 0, count: knapsack.model.variables.count)
        try expectTheOptimum(
            seed: UInt64(3000 + seed),
            under: [("no start", nil), ("empty start", empty)].map { label, start in
                (
                    label,
                    SolveOptions(initialSolution: start, cutGenerators: Self.everyGenerator, feasibilityPump: true)
                )
            }
        )
    }

    /// The same knapsacks with one, two and the bridge's five strong-branching candidates a node: the tree changes,
    /// the optimum does not.
    @Test(arguments: 0..<20)
    func fewerStrongBranchingCandidatesKeepTheOptimum(seed: Int) throws {
        try expectTheOptimum(
            seed: UInt64(4000 + seed),
            under: [1, 2, nil].map { candidates in
                (
                    "candidates \(String(describing: candidates))",
                    SolveOptions(cutGenerators: Self.everyGenerator, strongBranchingCandidates: candidates)
                )
            }
        )
    }

    /// Solves the random knapsack of `seed`, its weights scaled to the hundreds of thousands as budgets in pounds
    /// are, under each of `variants` (a label and the options): each solve must be proved optimal at the optimum
    /// enumeration finds.
    private func expectTheOptimum(seed: UInt64, under variants: [(String, SolveOptions)]) throws {
        var knapsack = RandomKnapsack(seed: seed)
        knapsack.weights = knapsack.weights.map { $0 * 99_991 }
        knapsack.capacity *= 99_991
        let expected = -bruteForceKnapsack(
            values: knapsack.values,
            weights: knapsack.weights,
            capacity: knapsack.capacity
        )
        for (label, options) in variants {
            let solution = try CBCSolver().solve(knapsack.model, options: options)
            #expect(solution.status == .optimal, "\(label)")
            #expect(solution.objectiveValue == expected, "\(label)")
        }
    }

    /// A budget row in pounds beside a count row in units, with an objective in the millions: the optimum found is
    /// the one enumeration finds, with its bound and objective in the model's own units (not CBC's scaled ones).
    @Test func scaledRowsAndObjectiveReportTheModelsUnits() throws {
        var model = Model()
        let prices: [Double] = [1_234_567, 987_654, 1_500_001, 456_789]
        let costs: [Double] = [2_100_000.25, 1_900_000.5, 2_600_000.75, 1_000_000]
        let buy = costs.map { model.addVariable(upperBound: 3, isInteger: true, objective: $0) }
        model.addConstraint(buy.map { Term(1, $0) }, .equal, 5)
        model.addConstraint(zip(prices, buy).map { Term($0, $1) }, .lessOrEqual, 4_200_000)
        var best = Double.infinity
        for a in 0...3 {
            for b in 0...3 {
                for c in 0...3 {
                    for d in 0...3 where a + b + c + d == 5 {
                        let counts = [a, b, c, d].map(Double.init)
                        guard zip(prices, counts).reduce(0, { $0 + $1.0 * $1.1 }) <= 4_200_000 else { continue }
                        best = min(best, zip(costs, counts).reduce(0) { $0 + $1.0 * $1.1 })
                    }
                }
            }
        }
        for generators in [[], Self.everyGenerator] as [CutGenerators] {
            let solution = try CBCSolver().solve(model, options: SolveOptions(cutGenerators: generators))
            #expect(solution.status == .optimal)
            #expect(solution.objectiveValue == best)
            #expect(solution.bestBound == best)
        }
    }

    /// A time-limited solve reports its bound in the model's units: between the linear relaxation's value and the
    /// objective of a greedy solution (a bound left in CBC's scaled units would be thousands of times too small).
    @Test func aStoppedSolveReportsItsBoundUnscaled() throws {
        var model = Model()
        var relaxation = Model()
        var generator = LinearCongruential(seed: 7)
        let count = 60
        let values = (0..<count).map { _ in Double(100_000 + generator.next() % 900_000) }
        let weights = (0..<count).map { _ in Double(100_000 + generator.next() % 900_000) }
        let capacity = weights.reduce(0, +) / 2
        let take = values.map { model.addBinary(objective: -$0) }
        let share = values.map { relaxation.addVariable(upperBound: 1, objective: -$0) }
        model.addConstraint(zip(weights, take).map { Term($0, $1) }, .lessOrEqual, capacity)
        relaxation.addConstraint(zip(weights, share).map { Term($0, $1) }, .lessOrEqual, capacity)
        let linearBound = try #require(try relaxation.solve().objectiveValue)
        // Greedy by value per weight: a feasible solution, so no bound can be above its objective.
        var room = capacity
        var greedy = 0.0
        for item in values.indices.sorted(by: { values[$0] / weights[$0] > values[$1] / weights[$1] })
        where weights[item] <= room {
            room -= weights[item]
            greedy -= values[item]
        }
        // Taking nothing is a feasible start, so the stopped solve has a solution to report.
        let start = [Double](repeating: 0, count: count)
        let solution = try CBCSolver().solve(
            model,
            options: SolveOptions(timeLimitSeconds: 0.001, initialSolution: start)
        )
        let objective = try #require(solution.objectiveValue)
        let bound = try #require(solution.bestBound)
        #expect(bound >= linearBound - 1e-6 * abs(linearBound))
        #expect(bound <= greedy + 1e-6)
        if case .timeLimit(let gap) = solution.status {
            #expect(abs(gap - abs(objective - bound) / max(1, abs(objective))) < 1e-9)
        } else {
            #expect(bound == objective)
        }
    }

    /// The LP text names rows and columns as the model does and holds every coefficient exactly.
    @Test func lpTextKeepsNamesAndExactCoefficients() {
        var model = Model()
        let x = model.addVariable(name: "x_a", upperBound: 4, isInteger: true, objective: 1_234_567.125)
        let y = model.addVariable(name: "y_b", lowerBound: -.infinity, objective: -0.1)
        model.addConstraint([Term(987_654.321, x), Term(-1, y)], .lessOrEqual, 5e6, name: "budget_1")
        model.addConstraint([Term(1, x)], .greaterOrEqual, 1, name: "demand")
        let text = model.lpText()
        #expect(text.hasPrefix("Minimize\n obj: 1234567.125 x_a - 0.10000000000000001 y_b\n"))
        #expect(text.contains(" budget_1: 987654.321 x_a - 1 y_b <= 5000000\n"))
        #expect(text.contains(" demand: 1 x_a >= 1\n"))
        #expect(text.contains(" 0 <= x_a <= 4\n"))
        #expect(text.contains(" -inf <= y_b <= +inf\n"))
        #expect(text.contains("General\n x_a\nEnd\n"))
        // Names that are not plain identifiers give way to positions.
        var spaced = Model()
        let unit = spaced.addVariable(name: "unit count", objective: 1)
        spaced.addConstraint([Term(1, unit)], .lessOrEqual, 2, name: "row one")
        #expect(spaced.lpText().contains(" r0: 1 x0 <= 2\n"))
    }
}
