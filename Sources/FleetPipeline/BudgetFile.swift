import FleetCore
import FleetProcurement
import FleetRegister
import Foundation

/// A budgets file given to the planning commands with a register (`--budgets FILE`).
///
/// Each network's scenario takes the rows of its own trusts, so a row naming no trust of the register would simply
/// never apply: a misspelt trust would leave its budget out of every plan while the plans still read "proved
/// optimal". Such rows are refused. A row of a trust outside the networks planned (`--network`) is not a mistake (one
/// file can hold a whole region's budgets) and is kept, to apply to no plan.
public enum BudgetFile {
    /// The rows of the file at `url`, once each names a trust of the register.
    /// - Parameters:
    ///   - trustsInScope: the trusts of the units planned, which most rows name.
    ///   - registerTrusts: every trust of the register, read only when some row names a trust outside the scope.
    /// - Throws: ``FileFailure`` (exit 2) when the file is missing, ``InvalidInput`` naming line, column and value of
    ///   each row that is not well formed or names no trust of the register (with the nearest name when one is
    ///   close), and the store's error (exit 4) when the register cannot be read.
    public static func read(
        at url: URL,
        trustsInScope: Set<TrustName>,
        registerTrusts: () throws -> Set<TrustName>
    ) throws -> [Budget] {
        let file = try ScenarioFiles.readBudgetRows(at: url)
        let outside = file.budgets.indices.filter { !trustsInScope.contains(file.budgets[$0].trust) }
        guard !outside.isEmpty else { return file.budgets }
        let known = try registerTrusts()
        let unknown = outside.filter { !known.contains(file.budgets[$0].trust) }
        guard !unknown.isEmpty else { return file.budgets }
        let names = known.sorted()
        let issues = unknown.map { index in
            let trust = file.budgets[index].trust.rawValue
            let hint =
                Spelling.nearest(to: trust, among: names.map(\.rawValue)).map { "; did you mean '\($0)'?" }
                ?? (names.isEmpty
                    ? "; the register holds no units yet"
                    : "; expected a trust's name as the register gives it, such as '\(names[0].rawValue)'")
            return InputIssue(
                file: file.file,
                line: file.lines[index],
                column: "trust",
                value: trust,
                problem: "is not a trust of the register, so its budget would apply to no plan" + hint
            )
        }
        throw InvalidInput(
            issues: Array(issues.prefix(InputIssues.cap)),
            omittedCount: max(0, issues.count - InputIssues.cap)
        )
    }
}
