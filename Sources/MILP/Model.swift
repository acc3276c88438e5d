/// A variable of a ``Model``, by position; valid only for the model that made it.
public struct Variable: Hashable, Sendable, Comparable {
    /// The 0-based column of the variable in its model.
    public let index: Int

    init(index: Int) { self.index = index }

    /// Orders by column.
    public static func < (lhs: Variable, rhs: Variable) -> Bool { lhs.index < rhs.index }
}

/// How a linear constraint relates its left-hand side to its right-hand side.
public enum ConstraintSense: Sendable, Hashable {
    /// Σ coefficient·variable ≤ rhs.
    case lessOrEqual
    /// Σ coefficient·variable ≥ rhs.
    case greaterOrEqual
    /// Σ coefficient·variable = rhs.
    case equal
}

/// Whether the objective is minimised or maximised.
public enum ObjectiveSense: Sendable, Hashable {
    case minimise, maximise
}

/// One linear constraint: Σ coefficient·variable (sense) rhs.
public struct Constraint: Sendable, Hashable {
    /// The terms of the left-hand side; a variable appears at most once.
    public var terms: [Term]
    /// How the left-hand side relates to `rhs`.
    public var sense: ConstraintSense
    /// The right-hand side.
    public var rhs: Double
    /// A name for messages and debugging.
    public var name: String
}

/// A coefficient times a variable.
public struct Term: Sendable, Hashable {
    /// The variable.
    public var variable: Variable
    /// Its coefficient.
    public var coefficient: Double

    /// `coefficient · variable`.
    public init(_ coefficient: Double, _ variable: Variable) {
        self.variable = variable
        self.coefficient = coefficient
    }
}

/// The definition of one variable: bounds, integrality and objective coefficient.
public struct VariableDefinition: Sendable, Hashable {
    /// A name for messages and debugging.
    public var name: String
    /// The lower bound; may be `-.infinity`.
    public var lowerBound: Double
    /// The upper bound; may be `.infinity`.
    public var upperBound: Double
    /// True when the variable must take an integer value.
    public var isInteger: Bool
    /// Its coefficient in the objective.
    public var objective: Double
    /// For an integer variable: when to branch on it, lower first; nil for the solver's default. Solvers that do not
    /// branch may ignore it.
    public var branchingPriority: Int?
}

/// A mixed-integer linear program built up variable by variable and constraint by constraint:
/// minimise (or maximise) Σ objective·x + constant subject to linear constraints and bounds.
public struct Model: Sendable {
    /// The variables in column order.
    public private(set) var variables: [VariableDefinition] = []
    /// The constraints in row order.
    public private(set) var constraints: [Constraint] = []
    /// Whether the objective is minimised (the default) or maximised.
    public var sense: ObjectiveSense
    /// A constant added to the objective value of every solution.
    public var objectiveConstant: Double = 0

    /// An empty model.
    public init(sense: ObjectiveSense = .minimise) { self.sense = sense }

    /// Adds a variable and returns it.
    public mutating func addVariable(
        name: String = "",
        lowerBound: Double = 0,
        upperBound: Double = .infinity,
        isInteger: Bool = false,
        objective: Double = 0,
        branchingPriority: Int? = nil
    ) -> Variable {
        variables.append(
            VariableDefinition(
                name: name,
                lowerBound: lowerBound,
                upperBound: upperBound,
                isInteger: isInteger,
                objective: objective,
                branchingPriority: branchingPriority
            )
        )
        return Variable(index: variables.count - 1)
    }

    /// Adds a 0–1 variable and returns it.
    public mutating func addBinary(name: String = "", objective: Double = 0, branchingPriority: Int? = nil) -> Variable
    {
        addVariable(
            name: name,
            lowerBound: 0,
            upperBound: 1,
            isInteger: true,
            objective: objective,
            branchingPriority: branchingPriority
        )
    }

    /// Adds the constraint Σ terms (sense) rhs; terms on the same variable are added together.
    public mutating func addConstraint(_ terms: [Term], _ sense: ConstraintSense, _ rhs: Double, name: String = "") {
        var merged: [Term] = []
        merged.reserveCapacity(terms.count)
        var position: [Variable: Int] = [:]
        for term in terms {
            if let index = position[term.variable] {
                merged[index].coefficient += term.coefficient
            } else {
                position[term.variable] = merged.count
                merged.append(term)
            }
        }
        constraints.append(Constraint(terms: merged, sense: sense, rhs: rhs, name: name))
    }

    /// Sets the objective coefficient of `variable`.
    public mutating func setObjective(_ coefficient: Double, for variable: Variable) {
        variables[variable.index].objective = coefficient
    }

    /// Sets every objective coefficient and the constant to zero, to state a new objective.
    public mutating func resetObjective() {
        for index in variables.indices { variables[index].objective = 0 }
        objectiveConstant = 0
    }

    /// The objective value of `values` (one per variable), including the constant.
    public func objectiveValue(of values: [Double]) -> Double {
        var total = objectiveConstant
        for (definition, value) in zip(variables, values) { total += definition.objective * value }
        return total
    }

    /// The first bound, integrality or constraint that `values` break by more than `tolerance`, or nil.
    public func violation(of values: [Double], tolerance: Double = 1e-6) -> String? {
        guard values.count == variables.count else {
            return "\(values.count) values for \(variables.count) variables"
        }
        for (index, (definition, value)) in zip(variables, values).enumerated() {
            let name = definition.name.isEmpty ? "x\(index)" : definition.name
            if value < definition.lowerBound - tolerance || value > definition.upperBound + tolerance {
                return "\(name) = \(value) is outside [\(definition.lowerBound), \(definition.upperBound)]"
            }
            if definition.isInteger, abs(value - value.rounded()) > tolerance {
                return "\(name) = \(value) is not integral"
            }
        }
        for (index, constraint) in constraints.enumerated() {
            let lhs = constraint.terms.reduce(0) { $0 + $1.coefficient * values[$1.variable.index] }
            let scale = tolerance * max(1, abs(constraint.rhs))
            let broken: Bool
            switch constraint.sense {
            case .lessOrEqual: broken = lhs > constraint.rhs + scale
            case .greaterOrEqual: broken = lhs < constraint.rhs - scale
            case .equal: broken = abs(lhs - constraint.rhs) > scale
            }
            if broken {
                let name = constraint.name.isEmpty ? "row \(index)" : constraint.name
                return "\(name): left-hand side \(lhs) against \(constraint.rhs)"
            }
        }
        return nil
    }
}
