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
    /// The cut generators the solver may use to tighten its relaxation; none (plain branch and bound) by default.
    public var cutGenerators: CutGenerators
    /// True to run the cut generators at the root only; false (the default) to run them at the root and then at
    /// the nodes where the solver finds they pay.
    public var cutsAtRootOnly: Bool
    /// The most rounds of cuts at the root (each round runs the generators and re-solves the relaxation); nil for
    /// the solver's own limit (CBC stops early when a round gains little).
    public var maximumCutPassesAtRoot: Int?
    /// True to run a feasibility pump at the root: a heuristic that rounds the relaxation's solution and re-solves
    /// towards the nearest rounding until it reaches a plan, which can find a far better incumbent than the start
    /// when the start is poor, at the price of its rounds when the start is already good. False by default.
    public var feasibilityPump: Bool
    /// How many of the most fractional integer variables a node tries in full before it branches (strong
    /// branching), until pseudo-costs are trusted; nil for the bridge's 5. Fewer makes each node cheaper and the
    /// tree larger.
    public var strongBranchingCandidates: Int?

    /// Options with every setting given; the defaults prove optimality with no time limit.
    public init(
        timeLimitSeconds: Double? = nil,
        absoluteGap: Double = 1e-6,
        relativeGap: Double = 0,
        initialSolution: [Double]? = nil,
        cutGenerators: CutGenerators = [],
        cutsAtRootOnly: Bool = false,
        maximumCutPassesAtRoot: Int? = nil,
        feasibilityPump: Bool = false,
        strongBranchingCandidates: Int? = nil
    ) {
        self.timeLimitSeconds = timeLimitSeconds
        self.absoluteGap = absoluteGap
        self.relativeGap = relativeGap
        self.initialSolution = initialSolution
        self.cutGenerators = cutGenerators
        self.cutsAtRootOnly = cutsAtRootOnly
        self.maximumCutPassesAtRoot = maximumCutPassesAtRoot
        self.feasibilityPump = feasibilityPump
        self.strongBranchingCandidates = strongBranchingCandidates
    }
}

/// Families of valid inequalities a branch-and-cut solver may add (CBC's Cgl generators).
public struct CutGenerators: OptionSet, Sendable, Hashable {
    /// The flags, as the CBC bridge numbers them.
    public let rawValue: Int
    /// Generators from `rawValue`.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Probing: fixes and implications found by trying each binary at 0 and at 1.
    public static let probing = CutGenerators(rawValue: 1)
    /// Gomory mixed-integer cuts from the simplex tableau.
    public static let gomory = CutGenerators(rawValue: 2)
    /// Lifted covers of knapsack rows over binaries.
    public static let knapsackCover = CutGenerators(rawValue: 4)
    /// Cliques among binaries that exclude each other.
    public static let clique = CutGenerators(rawValue: 8)
    /// Mixed-integer rounding of aggregated rows.
    public static let mixedIntegerRounding = CutGenerators(rawValue: 16)
    /// Lifted flow covers of variable-upper-bound structures.
    public static let flowCover = CutGenerators(rawValue: 32)
    /// Two-step mixed-integer rounding.
    public static let twoStepMixedIntegerRounding = CutGenerators(rawValue: 64)
    /// Zero-half (Chvátal–Gomory with multipliers of ½) cuts.
    public static let zeroHalf = CutGenerators(rawValue: 128)
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
    public func solve(
        timeLimit: Double? = nil,
        using solver: some MILPSolver = CBCSolver()
    ) throws(MILPError)
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
