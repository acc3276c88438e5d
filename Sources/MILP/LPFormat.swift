import Foundation

extension Model {
    /// The model in CPLEX LP format, which CBC, HiGHS and most solvers read: for inspecting a model outside the
    /// program or solving it with another solver. Variables and rows keep the model's names when every name is
    /// distinct and made of letters, digits and `_` (else `x<column>` and `r<row>`); numbers are written exactly
    /// (17 significant digits), eight terms a line.
    public func lpText() -> String {
        func usable(_ names: [String]) -> Bool {
            Set(names).count == names.count
                && names.allSatisfy { name in
                    guard let first = name.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first)
                    else { return false }
                    return name.unicodeScalars.allSatisfy {
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_")
                    }
                }
        }
        let columnNames = usable(variables.map(\.name)) ? variables.map(\.name) : variables.indices.map { "x\($0)" }
        let rowNames = usable(constraints.map(\.name)) ? constraints.map(\.name) : constraints.indices.map { "r\($0)" }
        func number(_ value: Double) -> String { String(format: "%.17g", value) }
        func terms(_ list: [(Double, Int)]) -> String {
            var text = ""
            for (index, (coefficient, column)) in list.enumerated() {
                // Eight terms a line: some readers limit the length of a line.
                if index > 0, index % 8 == 0 { text += "\n  " }
                if index > 0 || coefficient < 0 { text += coefficient < 0 ? " - " : " + " }
                text += "\(number(abs(coefficient))) \(columnNames[column])"
            }
            return text.isEmpty ? "0 \(columnNames.first ?? "x0")" : text
        }
        var lines: [String] = []
        lines.append(sense == .minimise ? "Minimize" : "Maximize")
        let objective = variables.enumerated().compactMap { $1.objective != 0 ? ($1.objective, $0) : nil }
        lines.append(" obj: " + terms(objective) + (objectiveConstant != 0 ? " + \(number(objectiveConstant))" : ""))
        lines.append("Subject To")
        for (row, constraint) in constraints.enumerated() {
            let relation: String
            switch constraint.sense {
            case .lessOrEqual: relation = "<="
            case .greaterOrEqual: relation = ">="
            case .equal: relation = "="
            }
            let list = constraint.terms.map { ($0.coefficient, $0.variable.index) }
            lines.append(" \(rowNames[row]): \(terms(list)) \(relation) \(number(constraint.rhs))")
        }
        lines.append("Bounds")
        for (column, variable) in variables.enumerated() {
            let lower = variable.lowerBound == -.infinity ? "-inf" : number(variable.lowerBound)
            let upper = variable.upperBound == .infinity ? "+inf" : number(variable.upperBound)
            lines.append(" \(lower) <= \(columnNames[column]) <= \(upper)")
        }
        let integers = variables.indices.filter { variables[$0].isInteger }
        if !integers.isEmpty {
            lines.append("General")
            for chunk in stride(from: 0, to: integers.count, by: 10) {
                let names = integers[chunk..<min(chunk + 10, integers.count)].map { columnNames[$0] }
                lines.append(" " + names.joined(separator: " "))
            }
        }
        lines.append("End")
        return lines.joined(separator: "\n") + "\n"
    }
}
