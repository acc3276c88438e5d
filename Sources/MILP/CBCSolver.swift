import CbcBridge

/// Solves models with COIN-OR CBC 2.10 (branch and cut over the Clp simplex solver), quietly.
///
/// Each solve builds its own CBC model inside one C call and frees it before returning, so no CBC handle outlives
/// a solve and solves on separate threads share nothing. (CBC's C interface cannot be used concurrently: it solves
/// through `CbcMain1`, whose option parsing uses process-wide globals; see `Sources/CbcBridge`.)
public struct CBCSolver: MILPSolver {
    /// A CBC solver.
    public init() {}

    /// Solves `model` with CBC.
    /// - Throws: ``MILPError`` for a malformed model or when CBC fails.
    public func solve(_ model: Model, options: SolveOptions) throws(MILPError) -> Solution {
        try Self.check(model, options)
        let columnCount = model.variables.count
        let rowCount = model.constraints.count
        let objectiveSign: Double = model.sense == .minimise ? 1 : -1

        // Compressed sparse columns: count the entries of each column, then place them.
        var columnStarts = [Int32](repeating: 0, count: columnCount + 1)
        for constraint in model.constraints {
            for term in constraint.terms where term.coefficient != 0 { columnStarts[term.variable.index + 1] += 1 }
        }
        for column in 0..<columnCount { columnStarts[column + 1] += columnStarts[column] }
        let elementCount = Int(columnStarts[columnCount])
        var rowIndices = [Int32](repeating: 0, count: elementCount)
        var elements = [Double](repeating: 0, count: elementCount)
        var next = columnStarts.map(Int.init)
        var rowLower = [Double](repeating: -Self.infinity, count: rowCount)
        var rowUpper = [Double](repeating: Self.infinity, count: rowCount)
        for (row, constraint) in model.constraints.enumerated() {
            // Each row scaled by a power of two (exact in binary floating point) so that its largest coefficient
            // lies in [1, 2): CBC's absolute tolerances then mean the same in a budget row of millions of pounds as
            // in a count of units.
            let scale = Self.powerOfTwoScale(constraint.terms.lazy.map(\.coefficient), into: 1)
            for term in constraint.terms where term.coefficient != 0 {
                let column = term.variable.index
                rowIndices[next[column]] = Int32(row)
                elements[next[column]] = term.coefficient * scale
                next[column] += 1
            }
            let rhs = constraint.rhs * scale
            switch constraint.sense {
            case .lessOrEqual: rowUpper[row] = rhs
            case .greaterOrEqual: rowLower[row] = rhs
            case .equal:
                rowLower[row] = rhs
                rowUpper[row] = rhs
            }
        }
        let columnLower = model.variables.map { max($0.lowerBound, -Self.infinity) }
        let columnUpper = model.variables.map { min($0.upperBound, Self.infinity) }
        // The objective likewise, its largest coefficient in [512, 1024) (thousands of pounds for prices of about
        // a million), and the absolute gap with it.
        let objectiveScale = Self.powerOfTwoScale(model.variables.lazy.map(\.objective), into: 512)
        let objective = model.variables.map { $0.objective * objectiveSign * objectiveScale }
        let isInteger = model.variables.map { UInt8($0.isInteger ? 1 : 0) }

        var values = [Double](repeating: 0, count: columnCount)
        var result = CbcBridgeResult()
        // Cut generators at the root, then at the nodes where CBC finds they pay (frequency −1), or at the root only
        // (0, which the bridge passes to CBC as −99).
        let settings = CbcBridgeSettings(
            timeLimitSeconds: options.timeLimitSeconds ?? 0,
            absoluteGap: options.absoluteGap * objectiveScale,
            relativeGap: options.relativeGap,
            cutGenerators: Int32(options.cutGenerators.rawValue),
            cutFrequency: options.cutsAtRootOnly ? 0 : -1,
            maximumCutPassesAtRoot: Int32(clamping: options.maximumCutPassesAtRoot ?? 0),
            feasibilityPump: options.feasibilityPump ? 1 : 0,
            strongBranchingCandidates: Int32(clamping: options.strongBranchingCandidates ?? 0)
        )
        let priorities: [Int32]? =
            model.variables.contains { $0.branchingPriority != nil }
            ? model.variables.map { Int32(clamping: $0.branchingPriority ?? Self.defaultPriority) } : nil
        // A start that breaks the model is dropped rather than handed to CBC, which would take it on trust.
        let start = options.initialSolution.flatMap { model.violation(of: $0) == nil ? $0 : nil }
        // Arrays pass as pointers valid for the duration of the call; CBC copies what it keeps.
        withOptionalPointer(start) { initial in
            withOptionalPointer(priorities) { priorities in
                cbc_bridge_solve(
                    Int32(columnCount),
                    Int32(rowCount),
                    columnStarts,
                    rowIndices,
                    elements,
                    columnLower,
                    columnUpper,
                    objective,
                    isInteger,
                    rowLower,
                    rowUpper,
                    initial,
                    priorities,
                    settings,
                    &values,
                    &result
                )
            }
        }
        return try Self.solution(
            from: result,
            values: values,
            model: model,
            boundFactor: objectiveSign / objectiveScale
        )
    }

    /// The power of two that brings the largest magnitude among `values` into [lower, 2·lower); 1 when all are
    /// zero. Multiplying by a power of two is exact, so the scaled model has the same solutions.
    static func powerOfTwoScale(_ values: some Sequence<Double>, into lower: Double) -> Double {
        let largest = values.reduce(0) { max($0, abs($1)) }
        guard largest > 0, largest.isFinite else { return 1 }
        return Double(sign: .plus, exponent: lower.exponent - largest.exponent, significand: 1)
    }

    /// CBC's infinity.
    private static let infinity = 1e30
    /// CBC's branching priority for an integer variable that names none.
    private static let defaultPriority = 1000

    private func withOptionalPointer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
        guard let array else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    private static func solution(
        from result: CbcBridgeResult,
        values: [Double],
        model: Model,
        boundFactor: Double
    ) throws(MILPError) -> Solution {
        let nodes = Int(result.nodeCount)
        // Integer columns come back as 2.9999999; snap them so callers see the integers they asked for.
        var snapped = values
        for (index, definition) in model.variables.enumerated() where definition.isInteger {
            snapped[index] = values[index].rounded()
        }
        let objective = model.objectiveValue(of: snapped)
        // CBC's bound is of the scaled objective, minimised: back to the model's units and sense.
        let bound = result.bestBound * boundFactor + model.objectiveConstant
        switch result.status {
        case CbcBridgeStatusOptimal:
            return Solution(
                status: .optimal,
                objectiveValue: objective,
                bestBound: objective,
                values: snapped,
                nodeCount: nodes
            )
        case CbcBridgeStatusInfeasible:
            return Solution(status: .infeasible, objectiveValue: nil, bestBound: nil, values: [], nodeCount: nodes)
        case CbcBridgeStatusUnbounded:
            return Solution(status: .unbounded, objectiveValue: nil, bestBound: nil, values: [], nodeCount: nodes)
        case CbcBridgeStatusStoppedWithSolution:
            let gap = abs(objective - bound) / max(1, abs(objective))
            return Solution(
                status: .timeLimit(relativeGap: gap),
                objectiveValue: objective,
                bestBound: bound,
                values: snapped,
                nodeCount: nodes
            )
        case CbcBridgeStatusStoppedWithoutSolution:
            return Solution(
                status: .timeLimitWithoutSolution,
                objectiveValue: nil,
                bestBound: bound,
                values: [],
                nodeCount: nodes
            )
        default:
            let message = withUnsafeBytes(of: result.message) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw MILPError(
                .solverFailure,
                message.isEmpty ? "CBC failed" : message,
                solverStatus: [Int(result.cbcStatus), Int(result.cbcSecondaryStatus)]
            )
        }
    }

    private static func check(_ model: Model, _ options: SolveOptions) throws(MILPError) {
        guard model.variables.count < Int32.max, model.constraints.count < Int32.max else {
            throw MILPError(.invalidModel, "too many variables or constraints for CBC")
        }
        for (index, variable) in model.variables.enumerated() {
            let name = variable.name.isEmpty ? "variable \(index)" : "variable '\(variable.name)'"
            guard variable.objective.isFinite else { throw MILPError(.invalidModel, "\(name) has a non-finite cost") }
            guard !variable.lowerBound.isNaN, !variable.upperBound.isNaN, variable.lowerBound <= variable.upperBound
            else {
                throw MILPError(
                    .invalidModel,
                    "\(name) has bounds [\(variable.lowerBound), \(variable.upperBound)]"
                )
            }
        }
        for (index, constraint) in model.constraints.enumerated() {
            let name = constraint.name.isEmpty ? "constraint \(index)" : "constraint '\(constraint.name)'"
            guard constraint.rhs.isFinite, constraint.terms.allSatisfy({ $0.coefficient.isFinite }) else {
                throw MILPError(.invalidModel, "\(name) has a non-finite coefficient or right-hand side")
            }
            guard constraint.terms.allSatisfy({ $0.variable.index < model.variables.count }) else {
                throw MILPError(.invalidModel, "\(name) refers to a variable of another model")
            }
        }
        guard model.objectiveConstant.isFinite else {
            throw MILPError(.invalidModel, "the objective constant is not finite")
        }
        if let initial = options.initialSolution, initial.count != model.variables.count {
            throw MILPError(
                .invalidModel,
                "the initial solution has \(initial.count) values for \(model.variables.count) variables"
            )
        }
        if let limit = options.timeLimitSeconds, !(limit > 0) {
            throw MILPError(.invalidModel, "the time limit must be a positive number of seconds")
        }
    }
}
