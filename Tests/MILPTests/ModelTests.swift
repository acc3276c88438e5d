import Foundation
import MILP
import Testing

/// Small models whose optima are known by hand or by enumeration.
@Suite("MILP models with known optima")
struct ModelTests {
    /// maximise 5x + 4y + 3z s.t. 2x + 3y + z ≤ 5, 4x + y + 2z ≤ 11, 3x + 4y + 2z ≤ 8, x, y, z ∈ ℕ: x = 2, y = 0,
    /// z = 1, value 13 (the same problem the CBC smoke test solves through the C interface).
    @Test func integerKnapsackWithThreeConstraints() throws {
        var model = Model(sense: .maximise)
        let x = model.addVariable(name: "x", upperBound: 10, isInteger: true, objective: 5)
        let y = model.addVariable(name: "y", upperBound: 10, isInteger: true, objective: 4)
        let z = model.addVariable(name: "z", upperBound: 10, isInteger: true, objective: 3)
        model.addConstraint([Term(2, x), Term(3, y), Term(1, z)], .lessOrEqual, 5)
        model.addConstraint([Term(4, x), Term(1, y), Term(2, z)], .lessOrEqual, 11)
        model.addConstraint([Term(3, x), Term(4, y), Term(2, z)], .lessOrEqual, 8)
        let solution = try model.solve()
        #expect(solution.status == .optimal)
        #expect(solution.objectiveValue == 13)
        #expect([x, y, z].map(solution.integerValue(of:)) == [2, 0, 1])
    }

    /// 0–1 knapsack, capacity 50: items (value, weight) (60, 10), (100, 20), (120, 30) → take the last two, 220.
    @Test func binaryKnapsackAsMinimisation() throws {
        var model = Model()
        let items: [(value: Double, weight: Double)] = [(60, 10), (100, 20), (120, 30)]
        let take = items.map { model.addBinary(objective: -$0.value) }
        model.addConstraint(zip(items, take).map { Term($0.weight, $1) }, .lessOrEqual, 50)
        let solution = try model.solve()
        #expect(solution.status == .optimal)
        #expect(solution.objectiveValue == -220)
        #expect(take.map(solution.integerValue(of:)) == [0, 1, 1])
    }

    @Test func infeasibleModel() throws {
        var model = Model()
        let x = model.addVariable(upperBound: 3, isInteger: true, objective: 1)
        let y = model.addVariable(upperBound: 3, isInteger: true, objective: 1)
        model.addConstraint([Term(1, x), Term(1, y)], .greaterOrEqual, 7)
        let solution = try model.solve()
        #expect(solution.status == .infeasible)
        #expect(solution.objectiveValue == nil)
        #expect(!solution.status.hasSolution)
    }

    /// x + y = 1.5 has no integer solution, though its linear relaxation has many: infeasibility only branching shows.
    @Test func integralityMakesAModelInfeasible() throws {
        var model = Model()
        let x = model.addVariable(upperBound: 5, isInteger: true, objective: 1)
        let y = model.addVariable(upperBound: 5, isInteger: true, objective: 2)
        model.addConstraint([Term(2, x), Term(2, y)], .equal, 3)
        #expect(try model.solve().status == .infeasible)
    }

    @Test func unboundedModel() throws {
        var model = Model()
        let x = model.addVariable(isInteger: true, objective: -1)
        let y = model.addVariable(upperBound: 4, isInteger: true, objective: 1)
        model.addConstraint([Term(1, x), Term(-1, y)], .greaterOrEqual, 0)
        #expect(try model.solve().status == .unbounded)
    }

    /// minimise 3a + 2b + 4c s.t. a + b + c = 10, a − b = 2, c ≥ 1.5 (continuous c, integer a, b):
    /// b = a − 2, c = 12 − 2a ≥ 1.5 → a ≤ 5; cost 3a + 2a − 4 + 48 − 8a = 44 − 3a → a = 5, b = 3, c = 2, cost 29.
    @Test func equalityConstraintsWithAContinuousVariable() throws {
        var model = Model()
        let a = model.addVariable(isInteger: true, objective: 3)
        let b = model.addVariable(isInteger: true, objective: 2)
        let c = model.addVariable(lowerBound: 1.5, objective: 4)
        model.addConstraint([Term(1, a), Term(1, b), Term(1, c)], .equal, 10)
        model.addConstraint([Term(1, a), Term(-1, b)], .equal, 2)
        let solution = try model.solve()
        #expect(solution.status == .optimal)
        #expect(abs((solution.objectiveValue ?? 0) - 29) < 1e-9)
        #expect(solution.integerValue(of: a) == 5 && solution.integerValue(of: b) == 3)
        #expect(abs(solution[c] - 2) < 1e-9)
    }

    @Test func pureLinearProgramAndObjectiveConstant() throws {
        var model = Model()
        model.objectiveConstant = 100
        let x = model.addVariable(objective: 1)
        let y = model.addVariable(objective: 1)
        model.addConstraint([Term(1, x), Term(2, y)], .greaterOrEqual, 3)
        model.addConstraint([Term(2, x), Term(1, y)], .greaterOrEqual, 3)
        let solution = try model.solve()
        #expect(solution.status == .optimal)
        #expect(abs((solution.objectiveValue ?? 0) - 102) < 1e-9)
    }

    /// Costs in pounds at the scale of a national plan (around £1e9) with a difference of £1 between the best and the
    /// next best choice: the solver's gap tolerances must not accept the worse one as "optimal".
    @Test func poundsAtNationalScaleAreOptimisedToThePound() throws {
        var model = Model()
        let units = (0..<4).map {
            model.addVariable(upperBound: 1000, isInteger: true, objective: 1_000_000 + Double($0))
        }
        let pick = (0..<4).map { _ in model.addBinary() }
        model.addConstraint(units.map { Term(1, $0) }, .equal, 999)
        for (unit, chosen) in zip(units, pick) {
            model.addConstraint([Term(1, unit), Term(-1000, chosen)], .lessOrEqual, 0)
        }
        model.addConstraint(pick.map { Term(1, $0) }, .lessOrEqual, 1)
        // Unit 0 is cheapest per unit but carries a fixed charge of £998, which leaves it £1 ahead of unit 1 over
        // 999 units: 999,000,998 against 999,000,999.
        model.setObjective(998, for: pick[0])
        let solution = try model.solve()
        #expect(solution.status == .optimal)
        #expect(solution.objectiveValue == 999_000_998)
        #expect(solution.integerValue(of: units[0]) == 999)
    }

    @Test func initialSolutionIsAcceptedAndTheOptimumStillFound() throws {
        var model = Model()
        let weights: [Double] = [12, 7, 11, 8, 9]
        let values: [Double] = [24, 13, 23, 15, 16]
        let take = values.map { model.addBinary(objective: -$0) }
        model.addConstraint(zip(weights, take).map { Term($0, $1) }, .lessOrEqual, 26)
        let poor = [0.0, 1, 0, 1, 1]  // weight 24, value 44: feasible, not optimal
        let solution = try CBCSolver().solve(model, options: SolveOptions(initialSolution: poor))
        #expect(solution.status == .optimal)
        #expect(solution.objectiveValue == -bruteForceKnapsack(values: values, weights: weights, capacity: 26))
    }

    @Test func anInfeasibleStartIsIgnored() throws {
        var model = Model()
        let weights: [Double] = [12, 7, 11, 8, 9]
        let values: [Double] = [24, 13, 23, 15, 16]
        let take = values.map { model.addBinary(objective: -$0) }
        model.addConstraint(zip(weights, take).map { Term($0, $1) }, .lessOrEqual, 26)
        let overweight = [1.0, 1, 1, 1, 1]  // value 91, weight 47: better than any feasible choice, and infeasible
        let solution = try CBCSolver().solve(model, options: SolveOptions(initialSolution: overweight))
        #expect(solution.status == .optimal)
        #expect(solution.objectiveValue == -bruteForceKnapsack(values: values, weights: weights, capacity: 26))
        #expect(model.violation(of: solution.values) == nil)
    }

    @Test func malformedModelsAreRejected() throws {
        var model = Model()
        let x = model.addVariable(objective: .nan)
        #expect(throws: MILPError.self) { try model.solve() }
        model.setObjective(1, for: x)
        model.addConstraint([Term(.infinity, x)], .lessOrEqual, 1)
        let error = #expect(throws: MILPError.self) { try model.solve() }
        #expect(error?.kind == .invalidModel)
        var crossed = Model()
        _ = crossed.addVariable(lowerBound: 2, upperBound: 1)
        #expect(throws: MILPError.self) { try crossed.solve() }
        var short = Model()
        _ = short.addVariable(objective: 1)
        #expect(throws: MILPError.self) {
            try CBCSolver().solve(short, options: SolveOptions(initialSolution: [1, 2]))
        }
    }

    /// A market-split instance (Cornuéjols and Dawande 1998): four dense equality rows over 40 binaries, notoriously
    /// hard for branch and bound, so a quarter-second limit stops it, with or without a solution in hand.
    @Test func timeLimitStopsAHardModel() throws {
        var generator = LinearCongruential(seed: 7)
        var model = Model()
        let x = (0..<40).map { _ in model.addBinary() }
        for _ in 0..<4 {
            let coefficients = (0..<40).map { _ in Double(generator.next() % 100) }
            let rhs = (coefficients.reduce(0, +) / 2).rounded(.down)
            let slackPlus = model.addVariable(objective: 1)
            let slackMinus = model.addVariable(objective: 1)
            model.addConstraint(
                zip(coefficients, x).map { Term($0, $1) } + [Term(1, slackPlus), Term(-1, slackMinus)],
                .equal,
                rhs
            )
        }
        let solution = try model.solve(timeLimit: 0.25)
        // From a feasible start (nothing chosen, every row met by its slack) the time limit returns a solution at
        // least as good as the start, however little time it leaves.
        var start = [Double](repeating: 0, count: model.variables.count)
        for constraint in model.constraints { start[constraint.terms[40].variable.index] = constraint.rhs }
        #expect(model.violation(of: start) == nil)
        let started = try CBCSolver().solve(
            model,
            options: SolveOptions(timeLimitSeconds: 0.01, initialSolution: start)
        )
        #expect(started.status.hasSolution)
        #expect(try #require(started.objectiveValue) <= model.objectiveValue(of: start))
        switch solution.status {
        case .timeLimit(let gap):
            #expect(gap > 0)
            #expect(solution.objectiveValue != nil)
            #expect(model.violation(of: solution.values) == nil)
        case .timeLimitWithoutSolution: #expect(solution.values.isEmpty)
        default: Issue.record("expected the time limit to stop the search, got \(solution.status)")
        }
    }
}

/// Separate threads solving separate models must not disturb each other (CBC's C interface does: its CbcMain1
/// shares option-parsing globals, so about one solve in fifty comes back unsolved when two threads solve at once).
@Suite("MILP concurrency")
struct ConcurrencyTests {
    @Test func manyModelsSolvedConcurrentlyMatchBruteForce() throws {
        let count = 400
        let problems = (0..<count).map { RandomKnapsack(seed: UInt64($0)) }
        let expected = problems.map {
            bruteForceKnapsack(values: $0.values, weights: $0.weights, capacity: $0.capacity)
        }
        let results = UnsafeResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { try problems[index].model.solve() })
        }
        for index in 0..<count {
            let solution = try results.get(index).get()
            #expect(solution.status == .optimal, "model \(index)")
            #expect(solution.objectiveValue == -expected[index], "model \(index)")
        }
    }
}

/// maximise Σ value·x subject to Σ weight·x ≤ capacity, x binary, written as a minimisation.
struct RandomKnapsack {
    var values: [Double]
    var weights: [Double]
    var capacity: Double

    init(seed: UInt64) {
        var generator = LinearCongruential(seed: seed)
        let size = 8 + Int(generator.next() % 8)
        values = (0..<size).map { _ in Double(1 + generator.next() % 50) }
        weights = (0..<size).map { _ in Double(1 + generator.next() % 30) }
        capacity = (weights.reduce(0, +) / 2).rounded()
    }

    var model: Model {
        var model = Model()
        let take = values.map { model.addBinary(objective: -$0) }
        model.addConstraint(zip(weights, take).map { Term($0, $1) }, .lessOrEqual, capacity)
        return model
    }
}

/// The best value of a 0–1 knapsack by trying every subset.
func bruteForceKnapsack(values: [Double], weights: [Double], capacity: Double) -> Double {
    var best = 0.0
    for mask in 0..<(1 << values.count) {
        var value = 0.0
        var weight = 0.0
        for item in values.indices where mask & (1 << item) != 0 {
            value += values[item]
            weight += weights[item]
        }
        if weight <= capacity { best = max(best, value) }
    }
    return best
}

/// Knuth's MMIX linear congruential generator: enough randomness for test models, the same on every machine.
struct LinearCongruential {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}

/// Results written by concurrent iterations, each to its own slot.
final class UnsafeResults: @unchecked Sendable {
    private var slots: [Result<Solution, any Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<Solution, any Error>) { lock.withLock { slots[index] = value } }
    func get(_ index: Int) throws -> Result<Solution, any Error> { try #require(lock.withLock { slots[index] }) }
}
