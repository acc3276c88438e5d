/// How a solve ended.
public enum SolutionStatus: Sendable, Hashable {
    /// The solution is optimal (within the solver's gap tolerances, see ``SolveOptions``).
    case optimal
    /// No assignment satisfies the constraints.
    case infeasible
    /// The objective improves without limit.
    case unbounded
    /// The time limit stopped the search; the solution is the best found, within `relativeGap` of optimal
    /// (|objective − bound| ÷ max(1, |objective|)).
    case timeLimit(relativeGap: Double)
    /// The time limit stopped the search before any solution was found.
    case timeLimitWithoutSolution

    /// True when the solution carries values (optimal, or stopped at the time limit with an incumbent).
    public var hasSolution: Bool {
        switch self {
        case .optimal, .timeLimit: true
        case .infeasible, .unbounded, .timeLimitWithoutSolution: false
        }
    }
}

/// The result of one solve.
public struct Solution: Sendable {
    /// How the solve ended.
    public var status: SolutionStatus
    /// The objective of the solution, including the model's constant; nil without a solution.
    public var objectiveValue: Double?
    /// The best bound on the optimal objective that the solver proved; nil when unknown.
    public var bestBound: Double?
    /// One value per variable, in column order; empty without a solution.
    public var values: [Double]
    /// Branch-and-bound nodes explored.
    public var nodeCount: Int

    /// A solution with every part given.
    public init(
        status: SolutionStatus,
        objectiveValue: Double?,
        bestBound: Double?,
        values: [Double],
        nodeCount: Int = 0
    ) {
        self.status = status
        self.objectiveValue = objectiveValue
        self.bestBound = bestBound
        self.values = values
        self.nodeCount = nodeCount
    }

    /// The value of `variable`; 0 when there is no solution.
    public subscript(variable: Variable) -> Double {
        variable.index < values.count ? values[variable.index] : 0
    }

    /// The value of an integer `variable`, rounded to the nearest integer (solvers return 2.9999999 for 3).
    public func integerValue(of variable: Variable) -> Int { Int(self[variable].rounded()) }
}
