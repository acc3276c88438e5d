/// Settings for one solve.
public struct SolveOptions: Sendable, Hashable {
    /// Wall-clock seconds allowed; nil for no limit.
    public var timeLimitSeconds: Double?
    /// The search stops once the best solution is within this absolute amount of the proved bound, in the units of
    /// the objective. The default, 1e-6, is far below any meaningful difference for objectives in pounds.
    public var absoluteGap: Double
    /// The search stops once the best solution is within this fraction of the proved bound. Zero by default, so
    /// that "optimal" means optimal and not "within 0.01 %" as CBC's command line would accept.
    public var relativeGap: Double
    /// A feasible solution (one value per variable) the search may start from; nil for none. A start that breaks a
    /// bound, an integrality or a constraint (by more than 1e-6, relative to the right-hand side) is ignored.
    public var initialSolution: [Double]?

    /// Options with every setting given; the defaults prove optimality with no time limit.
    public init(
        timeLimitSeconds: Double? = nil, absoluteGap: Double = 1e-6, relativeGap: Double = 0,
        initialSolution: [Double]? = nil
    ) {
        self.timeLimitSeconds = timeLimitSeconds
        self.absoluteGap = absoluteGap
        self.relativeGap = relativeGap
        self.initialSolution = initialSolution
    }
}

/// A solver of mixed-integer linear programs. ``CBCSolver`` is the production one; tests may stand in another.
public protocol MILPSolver: Sendable {
    /// Solves `model`.
    /// - Throws: ``MILPError`` when the model is malformed or the solver fails (not when it is infeasible or
    ///   unbounded: those are statuses of the ``Solution``).
    func solve(_ model: Model, options: SolveOptions) throws(MILPError) -> Solution
}

extension Model {
    /// Solves the model with `solver` (CBC by default), stopping after `timeLimit` seconds when given.
    /// - Throws: ``MILPError`` when the model is malformed or the solver fails.
    public func solve(timeLimit: Double? = nil, using solver: some MILPSolver = CBCSolver()) throws(MILPError)
        -> Solution
    {
        try solver.solve(self, options: SolveOptions(timeLimitSeconds: timeLimit))
    }
}

/// Why a model could not be solved.
public struct MILPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: Sendable, Hashable {
        /// The model holds a NaN, an infinite coefficient, crossed bounds, or an initial solution of the wrong size.
        case invalidModel
        /// The solver gave up or raised an error.
        case solverFailure
    }

    /// What kind of failure.
    public var kind: Kind
    /// What went wrong, as a sentence fragment.
    public var reason: String
    /// The solver's own status codes, when it reported any (CBC: status and secondary status).
    public var solverStatus: [Int]

    /// A failure of `kind` with `reason`.
    public init(_ kind: Kind, _ reason: String, solverStatus: [Int] = []) {
        self.kind = kind
        self.reason = reason
        self.solverStatus = solverStatus
    }

    /// The failure as a sentence, with the solver's status codes.
    public var description: String {
        switch kind {
        case .invalidModel: "invalid optimisation model: \(reason)"
        case .solverFailure:
            "the MILP solver failed: \(reason)"
                + (solverStatus.isEmpty ? "" : " (status \(solverStatus.map(String.init).joined(separator: ", ")))")
        }
    }
}
