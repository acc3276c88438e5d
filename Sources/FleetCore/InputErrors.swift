/// The exit codes of `fleet`, as the spec fixes them.
public enum FleetExitCode: Int32, Sendable {
    /// Success.
    case success = 0
    /// The command line was wrong.
    case usage = 1
    /// An input file was invalid; nothing was written.
    case invalidInput = 2
    /// The procurement plan cannot meet its constraints (budgets).
    case infeasible = 3
    /// An internal or I/O failure.
    case failure = 4
}

/// An error that knows which exit code the command line should end with.
public protocol FleetError: Error, CustomStringConvertible {
    /// The exit code for this error.
    var exitCode: FleetExitCode { get }
}

/// One problem with one value of an input file.
public struct InputIssue: Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// The 1-based physical line where the record starts; nil for a problem with the whole file.
    public var line: Int?
    /// The column's header name; nil when the problem is not one column's.
    public var column: String?
    /// The value as it stood in the file; nil when there was none to quote.
    public var value: String?
    /// What is wrong and what is expected, as one sentence fragment.
    public var problem: String

    /// An issue at `file:line`, column `column`, value `value`.
    public init(file: String, line: Int?, column: String? = nil, value: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.problem = problem
    }

    /// `file:line: column 'name': value 'x' — what is wrong and what is expected`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ":"
        if let column { text += " column '\(column)':" }
        if let value { text += " value '\(InputIssue.quoted(value))'" }
        if column != nil || value != nil { text += " —" }
        return text + " " + problem
    }

    /// A value made safe and short for a one-line message: control characters escaped, at most 80 characters.
    static func quoted(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FFFD}":
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.count > 80 ? String(out.prefix(77)) + "..." : out
    }
}

/// Every problem found in one input file; nothing from that file was written.
public struct InvalidInput: FleetError, Hashable, Sendable {
    /// The problems, in file order, at most ``InputIssues/cap`` of them.
    public var issues: [InputIssue]
    /// How many further problems were found but not kept.
    public var omittedCount: Int
    /// What the failure means for the user's data, closing the message: `nothing was written` by default,
    /// `nothing was imported from it` for an import.
    public var consequence: String

    /// A failure carrying `issues`.
    public init(issues: [InputIssue], omittedCount: Int = 0, consequence: String = "nothing was written") {
        self.issues = issues
        self.omittedCount = omittedCount
        self.consequence = consequence
    }

    /// A failure with one problem.
    public init(_ issue: InputIssue) { self.init(issues: [issue]) }

    public var exitCode: FleetExitCode { .invalidInput }

    /// One line per problem, then how many were left out, then that nothing was written.
    public var description: String {
        var lines = issues.map(\.description)
        if omittedCount > 0 { lines.append("... and \(omittedCount) more problems") }
        let files = Set(issues.map(\.file)).sorted().joined(separator: ", ")
        let count = issues.count + omittedCount
        lines.append("\(count) problem\(count == 1 ? "" : "s") in \(files); \(consequence).")
        return lines.joined(separator: "\n")
    }
}

/// Collects the problems of one file up to a cap, so a file with a wrong column does not print a million
/// lines, yet a planner sees every distinct mistake of an ordinary file at once.
public struct InputIssues: Sendable {
    /// How many problems are kept; the rest are counted.
    public static let cap = 200

    /// The problems kept so far.
    public private(set) var issues: [InputIssue] = []
    /// Problems counted but not kept.
    public private(set) var omittedCount = 0

    /// An empty collection.
    public init() {}

    /// True when no problem was found.
    public var isEmpty: Bool { issues.isEmpty }

    /// Records one problem.
    public mutating func append(_ issue: InputIssue) {
        if issues.count < Self.cap { issues.append(issue) } else { omittedCount += 1 }
    }

    /// Throws ``InvalidInput`` when any problem was found.
    /// - Throws: ``InvalidInput`` with the problems in file order.
    public func throwIfAny(consequence: String = "nothing was written") throws(InvalidInput) {
        guard issues.isEmpty else {
            throw InvalidInput(issues: sortedIssues, omittedCount: omittedCount, consequence: consequence)
        }
    }

    private var sortedIssues: [InputIssue] {
        issues.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset)
        }.map(\.element)
    }
}

/// A file that could not be read or written, with the reason the system gave.
public struct FileFailure: FleetError, Sendable {
    /// The path as the user named it.
    public var path: String
    /// What went wrong.
    public var reason: String
    /// The exit code; 4 for I/O, 2 when the file given as input is missing or unreadable.
    public var exitCode: FleetExitCode

    /// A failure for `path`.
    public init(path: String, reason: String, exitCode: FleetExitCode = .failure) {
        self.path = path
        self.reason = reason
        self.exitCode = exitCode
    }

    public var description: String { "\(path): \(reason)" }
}
