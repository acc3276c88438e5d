import FleetCore
import Foundation
import Testing

@testable import FleetPriority

@Suite("Priority settings from TOML")
struct SettingsTests {
    static func shippedText() throws -> String {
        try String(
            contentsOf: Fixture.packageRoot.appendingPathComponent("Catalog/priority.toml"),
            encoding: .utf8
        )
    }

    /// The shipped text with the first line that starts with `prefix` replaced by `replacement`.
    static func shippedText(replacing prefix: String, with replacement: String) throws -> String {
        var lines = try shippedText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix(prefix) })
        lines[index] = replacement
        return lines.joined(separator: "\n")
    }

    static func lineNumber(of prefix: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(prefix) }.map { $0 + 1 }
    }

    static func failure(_ text: String, file: String = "priority.toml") -> InvalidInput? {
        do {
            _ = try PrioritySettings.parse(toml: text, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func shippedFileEqualsTheDefaults() throws {
        let parsed = try PrioritySettings.parse(toml: Self.shippedText(), file: "Catalog/priority.toml")
        #expect(parsed == PrioritySettings.defaults)
    }

    @Test func everyDefaultMappingIsValidAndMonotone() {
        for criterion in Criterion.allCases where criterion != .age {
            let mapping = PrioritySettings.defaults.mapping(for: criterion)!
            #expect(mapping.problem(for: criterion) == nil)
        }
    }

    @Test(arguments: [
        ("age = 30", "age = -3", "weights.age", "-3"),
        ("reliability = 20", "reliability = \"high\"", "weights.reliability", "high"),
        ("minimum_score = 70", "minimum_score = 170", "bands.replace_now.minimum_score", "170"),
        ("past_end_of_support = ", "past_end_of_support = \"soon\"", "rules.past_end_of_support", "soon"),
        ("discount_rate = ", "discount_rate = 0.9", "economic_life.discount_rate", "0.9"),
        ("criticality = 3", "criticality = 7", "missing.criticality", "7"),
        (
            "default_available_hours_per_day", "default_available_hours_per_day = 30",
            "feed.default_available_hours_per_day", "30"
        ),
    ])
    func aBadValueNamesTheFileLineKeyAndValue(prefix: String, replacement: String, key: String, value: String) throws {
        let text = try Self.shippedText(replacing: prefix, with: replacement)
        let error = try #require(Self.failure(text))
        let issue = try #require(error.issues.first)
        #expect(error.issues.count == 1)
        #expect(issue.file == "priority.toml")
        #expect(issue.line == Self.lineNumber(of: replacement, in: text))
        #expect(issue.description.contains("key '\(key)'"))
        #expect(issue.description.contains("value '\(value)'"))
        #expect(error.exitCode == .invalidInput)
    }

    @Test func aMappingThatFallsAsTheRawValueWorsensIsRefused() throws {
        let text = try Self.shippedText(
            replacing: "points = [[0.06",
            with: "points = [[0.06, 0.0], [0.10, 0.8], [0.20, 0.5]]"
        )
        let issue = try #require(Self.failure(text)?.issues.first)
        #expect(issue.description.contains("key 'maintenance.points'"))
        #expect(issue.description.contains("must not fall as maintenance rises"))
        #expect(issue.line == Self.lineNumber(of: "points = [[0.06", in: text))
    }

    @Test func anUnknownKeyIsRefusedWithTheKnownOnes() throws {
        let text = try Self.shippedText(replacing: "utilisation = 10", with: "utilization = 10")
        let issues = try #require(Self.failure(text)).issues.map(\.description)
        #expect(
            issues.contains { $0.contains("key 'weights.utilization': value '10'") && $0.contains("age, utilisation") }
        )
        #expect(issues.contains { $0.contains("key 'weights.utilisation' is missing") })
    }

    @Test func bandThresholdsMustFallWithUrgency() throws {
        let text = try Self.shippedText(replacing: "minimum_score = 55", with: "minimum_score = 75")
        let issue = try #require(Self.failure(text)?.issues.first)
        #expect(issue.description.contains("key 'bands.replace_now.minimum_score': value '70'"))
    }

    @Test func aSyntaxErrorGivesTheLineFromTOMLKit() throws {
        let text = try Self.shippedText(replacing: "support = 15", with: "support = = 15")
        let issue = try #require(Self.failure(text)?.issues.first)
        #expect(issue.line == Self.lineNumber(of: "support = = 15", in: text))
        #expect(issue.description.hasPrefix("priority.toml:\(issue.line!):"))
    }

    @Test func weightsOverrideMergesOverTheDefaults() throws {
        let merged = try PrioritySettings.defaults.overridingWeights(
            toml: "[weights]\nage = 50\ncriticality = 0 # not used by this trust\n",
            file: "weights.toml"
        )
        #expect(merged.weights[.age] == 50)
        #expect(merged.weights[.criticality] == 0)
        #expect(merged.weights[.reliability] == PrioritySettings.defaults.weights[.reliability])
        #expect(merged.weights[.support] == PrioritySettings.defaults.weights[.support])
        var expected = PrioritySettings.defaults
        expected.weights[.age] = 50
        expected.weights[.criticality] = 0
        #expect(merged == expected)
    }

    @Test func weightsOverrideRefusesUnknownCriteriaOtherTablesAndAZeroTotal() throws {
        #expect(throws: InvalidInput.self) {
            try PrioritySettings.defaults.overridingWeights(toml: "[weights]\ncost = 5\n", file: "w.toml")
        }
        #expect(throws: InvalidInput.self) {
            try PrioritySettings.defaults.overridingWeights(toml: "[weights]\nage = 5\n[bands]\n", file: "w.toml")
        }
        #expect(throws: InvalidInput.self) {
            try PrioritySettings.defaults.overridingWeights(toml: "age = 5\n", file: "w.toml")
        }
        let zero = Criterion.allCases.map { "\($0.rawValue) = 0" }.joined(separator: "\n")
        do {
            _ = try PrioritySettings.defaults.overridingWeights(toml: "[weights]\n" + zero, file: "w.toml")
            Issue.record("a zero total was accepted")
        } catch {
            #expect(error.description.contains("sum to 0"))
        }
        do {
            _ = try PrioritySettings.defaults.overridingWeights(toml: "[weights]\nage = -1\n", file: "w.toml")
            Issue.record("a negative weight was accepted")
        } catch {
            #expect(error.issues.first?.line == 2)
            #expect(error.description.contains("w.toml:2: key 'weights.age': value '-1'"))
        }
    }

    @Test func rulesCanBeSwitchedOff() throws {
        let text = try Self.shippedText(replacing: "past_expected_life = ", with: "past_expected_life = \"off\"")
        let settings = try PrioritySettings.parse(toml: text, file: "priority.toml")
        #expect(settings.rules[.pastExpectedLife] == nil)
        #expect(settings.rules[.pastMaximumLife] == .replaceNow)
    }
}
