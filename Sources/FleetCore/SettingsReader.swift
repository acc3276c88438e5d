import TOMLKit

/// Finds the line of a key in TOML text, so that an error about a value names its line; TOMLKit gives lines for
/// syntax errors only. Handles `[table]` and `[[array]]` headers, bare, quoted and dotted keys; returns nil when
/// the key is not written in the text (for example a key that is missing).
package struct TOMLKeyLocator {
    private var keyLines: [[String]: Int] = [:]
    private var tableLines: [[String]: Int] = [:]

    /// Indexes every key and table header of `text`.
    package init(text: String) {
        var table: [String] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let content = TOMLKeyLocator.stripComment(rawLine).trimmingWhitespace()
            guard !content.isEmpty else { continue }
            if content.hasPrefix("[") {
                let inner = content.trimmingCharacters(in: "[]")
                table = TOMLKeyLocator.keyPath(inner)
                if tableLines[table] == nil { tableLines[table] = line }
            } else if let equals = content.firstIndex(of: "=") {
                let path = table + TOMLKeyLocator.keyPath(String(content[..<equals]))
                if keyLines[path] == nil { keyLines[path] = line }
            }
        }
    }

    /// The line where `path` is set, else the line of its table's header (or the nearest enclosing table's).
    package func line(of path: [String]) -> Int? {
        if let line = keyLines[path] ?? tableLines[path] { return line }
        var prefix = path
        while !prefix.isEmpty {
            prefix.removeLast()
            if let line = tableLines[prefix] { return line }
        }
        return nil
    }

    private static func stripComment(_ line: Substring) -> String {
        var inQuote: Character?
        var out = ""
        for character in line {
            if let quote = inQuote {
                if character == quote { inQuote = nil }
            } else if character == "\"" || character == "'" {
                inQuote = character
            } else if character == "#" {
                break
            }
            out.append(character)
        }
        return out
    }

    private static func keyPath(_ text: String) -> [String] {
        text.split(separator: ".").map { part in
            part.trimmingWhitespace().trimmingCharacters(in: "\"'")
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text.trimmingWhitespace()
    }
}

/// Reads typed values out of a parsed TOML document and collects every problem as an ``InputIssue`` that names
/// the file, the line, the key and the value. Shared by every settings file of the catalog and the scenario.
package struct SettingsReader {
    /// The file as the user knows it, for messages.
    package let file: String
    /// Where each key is written.
    package let locator: TOMLKeyLocator
    /// The problems found so far.
    package var issues = InputIssues()

    /// A reader of `text`, the contents of `file`.
    package init(file: String, text: String) {
        self.file = file
        locator = TOMLKeyLocator(text: text)
    }

    /// Parses `text`, or throws the syntax error with its line and column.
    package static func document(_ text: String, file: String) throws(InvalidInput) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let begin = error.source.begin
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: begin.line,
                    problem: "column \(begin.column): \(error.description); expected valid TOML"
                )
            )
        } catch {
            throw InvalidInput(InputIssue(file: file, line: nil, problem: "\(error); expected valid TOML"))
        }
    }

    /// Records a problem with the key at `path`, quoting `value` when there is one.
    package mutating func report(_ path: [String], value: String?, _ problem: String) {
        var text = "key '\(path.joined(separator: "."))'"
        if let value {
            text += ": value '\(SettingsReader.shortened(value))' — " + problem
        } else {
            text += problem.hasPrefix("is ") ? " " + problem : ": " + problem
        }
        issues.append(InputIssue(file: file, line: locator.line(of: path), problem: text))
    }

    /// A value as the file wrote it, for messages.
    package static func text(of value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: value.string ?? ""
        case .int: value.int.map(String.init) ?? value.debugDescription
        case .double: value.double.map { String($0) } ?? value.debugDescription
        case .bool: value.bool.map(String.init) ?? value.debugDescription
        default: value.debugDescription
        }
    }

    private static func shortened(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: " ")
        return flat.count > 80 ? String(flat.prefix(77)) + "..." : flat
    }

    /// The sub-table at `path` (its last element is the key in `parent`); reports it when missing or not a table.
    package mutating func table(in parent: TOMLTable, _ path: [String]) -> TOMLTable? {
        guard let key = path.last, let value = parent[key] else {
            report(path, value: nil, "is missing; expected a table [\(path.joined(separator: "."))]")
            return nil
        }
        guard let table = value.table else {
            report(path, value: SettingsReader.text(of: value), "expected a table [\(path.joined(separator: "."))]")
            return nil
        }
        return table
    }

    /// Reports every key of `table` (at `path`) that is not in `known`, naming the keys that are.
    package mutating func rejectUnknownKeys(in table: TOMLTable, at path: [String], known: [String]) {
        for key in table.keys where !known.contains(key) {
            let value = table[key].flatMap { $0.type == .table ? nil : SettingsReader.text(of: $0) }
            report(path + [key], value: value, "is not a known key; expected one of " + known.joined(separator: ", "))
        }
    }

    /// A number (integer or float) at `path` within `range`; reports it when missing or out of range.
    package mutating func number(
        in table: TOMLTable,
        _ path: [String],
        range: ClosedRange<Double>,
        expectation: String
    ) -> Double? {
        guard let key = path.last, let value = table[key] else {
            report(path, value: nil, "is missing; expected \(expectation)")
            return nil
        }
        return number(value, path, range: range, expectation: expectation)
    }

    /// `value` as a number within `range`, or nil after reporting it.
    package mutating func number(
        _ value: any TOMLValueConvertible,
        _ path: [String],
        range: ClosedRange<Double>,
        expectation: String
    ) -> Double? {
        let number: Double? =
            switch value.type {
            case .int: value.int.map(Double.init)
            case .double: value.double
            default: nil
            }
        guard let number, number.isFinite, range.contains(number) else {
            report(path, value: SettingsReader.text(of: value), "expected \(expectation)")
            return nil
        }
        return number
    }

    /// A whole number at `path` within `range`.
    package mutating func integer(
        in table: TOMLTable,
        _ path: [String],
        range: ClosedRange<Int>,
        expectation: String
    ) -> Int? {
        guard let key = path.last, let value = table[key] else {
            report(path, value: nil, "is missing; expected \(expectation)")
            return nil
        }
        guard value.type == .int, let number = value.int, range.contains(number) else {
            report(path, value: SettingsReader.text(of: value), "expected \(expectation)")
            return nil
        }
        return number
    }

    /// A string at `path`.
    package mutating func string(in table: TOMLTable, _ path: [String], expectation: String) -> String? {
        guard let key = path.last, let value = table[key] else {
            report(path, value: nil, "is missing; expected \(expectation)")
            return nil
        }
        guard let text = value.string else {
            report(path, value: SettingsReader.text(of: value), "expected \(expectation)")
            return nil
        }
        return text
    }

    /// A boolean (`true` or `false`) at `path`.
    package mutating func boolean(in table: TOMLTable, _ path: [String]) -> Bool? {
        guard let key = path.last, let value = table[key] else {
            report(path, value: nil, "is missing; expected true or false")
            return nil
        }
        guard value.type == .bool, let flag = value.bool else {
            report(path, value: SettingsReader.text(of: value), "expected true or false")
            return nil
        }
        return flag
    }
}
