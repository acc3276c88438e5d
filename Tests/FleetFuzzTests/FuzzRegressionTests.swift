import FleetCore
import FleetPipeline
import FleetPriority
import FleetProcurement
import FleetRegister
import Foundation
import Testing

/// One case of the regression corpus: its input and what reading it must give (see make-regressions.py).
struct RegressionCase: CustomStringConvertible, Sendable {
    var reader: String
    var input: URL
    var expectedOutcome: String
    var issues: [String]
    var contains: [String]
    var records: [String]
    var settings: String?

    var description: String { "\(reader)/\(input.lastPathComponent)" }

    /// Every case of the corpus, in name order.
    static let all: [RegressionCase] = {
        let manager = FileManager.default
        var cases: [RegressionCase] = []
        let readers = ((try? manager.contentsOfDirectory(atPath: regressionFolder.path)) ?? []).sorted()
        for reader in readers {
            let folder = regressionFolder.appendingPathComponent(reader, isDirectory: true)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            for name in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            where !name.hasSuffix(".expect") {
                let input = folder.appendingPathComponent(name)
                let stem = (name as NSString).deletingPathExtension
                guard
                    let expect = try? String(
                        contentsOf: folder.appendingPathComponent(stem + ".expect"),
                        encoding: .utf8
                    )
                else { continue }
                var item = RegressionCase(
                    reader: reader,
                    input: input,
                    expectedOutcome: "",
                    issues: [],
                    contains: [],
                    records: []
                )
                for line in expect.split(separator: "\n") where !line.hasPrefix("#") {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let key = line[..<colon]
                    let value = String(line[line.index(after: colon)...].dropFirst())
                    switch key {
                    case "outcome": item.expectedOutcome = value
                    case "issue": item.issues.append(value)
                    case "contains": item.contains.append(value)
                    case "record": item.records.append(value)
                    case "settings": item.settings = value
                    default: break
                    }
                }
                cases.append(item)
            }
        }
        return cases
    }()
}

/// Fields joined by commas, with line breaks and tabs escaped, as `.expect` files write records.
private func recordLine(_ fields: [String]) -> String {
    fields.map {
        $0.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }.joined(separator: ",")
}

/// A number as `.expect` files write it.
private func plain(_ value: Double?) -> String {
    guard let value else { return "" }
    return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

@Suite("Replaying the fuzz regression corpus")
struct FuzzRegressionTests {
    @Test func theCorpusIsThere() {
        #expect(RegressionCase.all.count >= 35)
        #expect(
            Set(RegressionCase.all.map(\.reader)).isSuperset(of: [
                "register", "utilisation", "scenario", "priority-toml",
            ])
        )
    }

    @Test(arguments: RegressionCase.all) func replay(_ item: RegressionCase) throws {
        let name = item.input.lastPathComponent
        // What reading gave: the records as `.expect` lines, or the failure.
        var records: [String] = []
        var settings: String?
        var failure: InvalidInput?
        var lineCount = 1_048_576
        func run(_ body: () throws -> Void) {
            do {
                try body()
            } catch let error as InvalidInput {
                failure = error
            } catch {
                Issue.record("\(item): \(type(of: error)): \(error)")
            }
        }
        switch item.reader {
        case "register":
            let data = try Data(contentsOf: item.input)
            if !XLSXReader.looksLikeXLSX(data) { lineCount = FleetFuzzTests.lineCount(of: data) }
            run {
                // As `fleet import register` reads it (from the file), and from the bytes in memory: the same.
                let fromFile = try RegisterImport.readRegister(
                    try RegisterImport.readTable(contentsOf: item.input, displayName: name),
                    today: fuzzToday
                )
                let fromMemory = try RegisterImport.readRegister(
                    try RegisterImport.readTable(data, file: name),
                    today: fuzzToday
                )
                #expect(fromFile == fromMemory, "\(item)")
                records = fromFile.map { recordLine(RegisterFile.fields(of: $0)) }
            }
        case "utilisation":
            let data = try Data(contentsOf: item.input)
            lineCount = FleetFuzzTests.lineCount(of: data)
            run {
                let read = try RegisterImport.readUtilisation(
                    try RegisterImport.readTable(data, file: name),
                    today: fuzzToday
                )
                records = read.map {
                    recordLine([
                        $0.assetID.rawValue, $0.month.description, String($0.scans), plain($0.availableHours),
                        plain($0.downtimeHours), $0.breakdowns.map(String.init) ?? "", plain($0.serviceCostGBP?.pounds),
                    ])
                }
            }
        case "scenario":
            run {
                let scenario = try ScenarioFiles.read(from: item.input)
                let s = scenario.settings
                settings = "\(s.baseYear),\(s.horizonYears),\(s.appraisalYears),\(plain(s.discountRate))"
            }
        case "priority-toml":
            let text = try String(contentsOf: item.input, encoding: .utf8)
            lineCount = FleetFuzzTests.lineCount(of: Data(text.utf8))
            run { _ = try PrioritySettings.parse(toml: text, file: name) }
        case "appraisal-toml":
            let text = try String(contentsOf: item.input, encoding: .utf8)
            lineCount = FleetFuzzTests.lineCount(of: Data(text.utf8))
            run { _ = try AppraisalSettings.parse(toml: text, file: name) }
        case "catalog":
            let data = try Data(contentsOf: item.input)
            lineCount = FleetFuzzTests.lineCount(of: data)
            run { _ = try EquipmentCatalog.parse(try CSV.parse(data, file: name)) }
        default:
            Issue.record("\(item): no reader called \(item.reader)")
        }

        switch item.expectedOutcome {
        case "read":
            if let failure { Issue.record("\(item) was refused: \(failure)") }
            if !item.records.isEmpty { #expect(records == item.records, "\(item)") }
            if let expected = item.settings { #expect(settings == expected, "\(item)") }
        case "refused":
            guard let failure else {
                Issue.record("\(item) was read; expected a failure")
                return
            }
            // Scenario messages name files by path: compare them by the folder's own names.
            let prefix = item.reader == "scenario" ? item.input.path + "/" : ""
            let files =
                item.reader == "scenario"
                ? Set(
                    ["scenario.toml", "replacements.csv", "offers.csv", "tiers.csv", "budgets.csv"].map { prefix + $0 }
                )
                : [name]
            for problem in malformations(of: failure, files: files, lineCount: lineCount) {
                Issue.record("\(item): \(problem)")
            }
            let descriptions = failure.issues.map {
                prefix.isEmpty ? $0.description : $0.description.replacingOccurrences(of: prefix, with: "")
            }
            for expected in item.issues where !descriptions.contains(where: { $0.hasPrefix(expected) }) {
                Issue.record("\(item): no issue starts with \"\(expected)\"; the failure was:\n\(failure)")
            }
            for text in item.contains where !failure.description.contains(text) {
                Issue.record("\(item): the message does not contain \"\(text)\":\n\(failure)")
            }
        default:
            Issue.record("\(item): no outcome in its .expect file")
        }
    }
}
