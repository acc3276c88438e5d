import FleetCore
import FleetPipeline
import FleetPriority
import Foundation
import Testing

/// TOML spellings of numbers and what they denote: the canonical spelling of the same value, or nil when the token
/// denotes no finite number (or is not TOML at all).
let tomlNumberTokens: [(token: String, canonical: String?)] = [
    ("0x10", "16"), ("0o17", "15"), ("0b11", "3"), ("1_000", "1000"), ("+5", "5"), ("-0", "0"), ("-0.0", "0.0"),
    ("1e3", "1000.0"), ("5e-1", "0.5"), ("0.5", "0.5"), ("1", "1"), ("0", "0"), ("24", "24"), ("100", "100"),
    ("1e-400", "0.0"), ("nan", nil), ("+nan", nil), ("inf", nil), ("-inf", nil), ("1e309", nil), ("\"1\"", nil),
    ("2024-02-30", nil), ("2024-01-01", nil), ("true", nil), ("[1]", nil), ("{}", nil), ("9223372036854775808", nil),
    ("", nil), ("１２", nil), ("1,5", nil), ("0x", nil), ("01", nil), ("1__0", nil), ("'1'", nil),
]

/// One numeric literal of `text` outside comments, picked by `random`: its range.
private func numericLiteral(in text: String, random: inout FuzzRandom) -> Range<String.Index>? {
    let regex = try! NSRegularExpression(pattern: #"(?<=[=\[,]\s{0,3})-?[0-9][0-9_.eE+-]*"#)
    var candidates: [Range<String.Index>] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let range = NSRange(code.startIndex..<code.endIndex, in: text)
        for match in regex.matches(in: text, range: range) { candidates.append(Range(match.range, in: text)!) }
    }
    return candidates.isEmpty ? nil : random.pick(candidates)
}

/// The 1-based line of `index` in `text`.
private func line(of index: String.Index, in text: String) -> Int { text[..<index].filter { $0 == "\n" }.count + 1 }

/// Checks a settings reader against the same reader on the canonical spelling: equal readings, or a failure when
/// the canonical spelling fails too or the token denotes no number; a failure names the file and a line.
private func checkSettingsMutation<Settings: Equatable>(
    name: String,
    file: String,
    mutated: String,
    canonical: String?,
    changedLine: Int,
    read: (String) -> ReadOutcome<Settings>,
    tally: FuzzTally
) {
    let result = read(mutated)
    let expected = canonical.map(read)
    switch result {
    case .read(let settings):
        tally.add("read")
        guard let expected, case .read(let want) = expected else {
            Issue.record("\(name): accepted a value that is no valid number here")
            return
        }
        if settings != want { Issue.record("\(name): read differently from the canonical spelling") }
    case .invalid(let error):
        tally.add("refused")
        for problem in malformations(of: error, files: [file], lineCount: mutated.filter { $0 == "\n" }.count + 1) {
            Issue.record("\(name): \(problem)")
        }
        if let expected, case .read = expected {
            tally.add("refused a valid spelling")
        }
        if !error.issues.contains(where: { $0.line != nil }) { Issue.record("\(name): no line named: \(error)") }
    case .fileFailure(let failure): Issue.record("\(name): \(failure)")
    case .unexpected(let error): Issue.record("\(name): unexpected \(type(of: error)): \(error)")
    }
}

@Suite("Fuzzing the settings and catalog readers")
struct SettingsFuzzTests {
    /// The text of `Catalog/NAME`.
    static func catalogText(_ name: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("Catalog/\(name)"), encoding: .utf8)
    }

    static func readPriority(_ text: String) -> ReadOutcome<PrioritySettings> {
        outcome { try PrioritySettings.parse(toml: text, file: "priority.toml") }
    }

    static func readAppraisal(_ text: String) -> ReadOutcome<AppraisalSettings> {
        outcome { try AppraisalSettings.parse(toml: text, file: "appraisal.toml") }
    }

    @Test func theCatalogSettingsRead() throws {
        #expect(Self.readPriority(try Self.catalogText("priority.toml")).value != nil)
        #expect(Self.readAppraisal(try Self.catalogText("appraisal.toml")).value?.discountRate == 0.035)
    }

    /// One number of priority.toml or appraisal.toml replaced by a hostile token.
    @Test(arguments: ["priority", "appraisal"]) func numberMutations(file: String) throws {
        var random = FuzzRandom(seed: file == "priority" ? 0x5EED_0B00 : 0x5EED_0B01)
        let tally = FuzzTally()
        let text = try Self.catalogText("\(file).toml")
        for iteration in 0..<200 {
            let range = try #require(numericLiteral(in: text, random: &random))
            let (token, canonical) = random.pick(tomlNumberTokens)
            var mutated = text
            mutated.replaceSubrange(range, with: token)
            var canonicalText: String?
            if let canonical {
                canonicalText = text
                canonicalText!.replaceSubrange(range, with: canonical)
            }
            let name = "\(file)-toml-\(iteration)-\(token)"
            if file == "priority" {
                checkSettingsMutation(
                    name: name,
                    file: "priority.toml",
                    mutated: mutated,
                    canonical: canonicalText,
                    changedLine: line(of: range.lowerBound, in: text),
                    read: Self.readPriority,
                    tally: tally
                )
            } else {
                checkSettingsMutation(
                    name: name,
                    file: "appraisal.toml",
                    mutated: mutated,
                    canonical: canonicalText,
                    changedLine: line(of: range.lowerBound, in: text),
                    read: Self.readAppraisal,
                    tally: tally
                )
            }
        }
        print("\(file).toml number mutations: \(tally.summary)")
        #expect(tally.count("refused") > 20)
    }

    /// Byte-level damage to the TOML files, and other encodings: a well-formed failure with a line, or a read.
    @Test(arguments: ["priority", "appraisal"]) func byteMutations(file: String) throws {
        var random = FuzzRandom(seed: file == "priority" ? 0x5EED_0C00 : 0x5EED_0C01)
        let tally = FuzzTally()
        let text = try Self.catalogText("\(file).toml")
        for iteration in 0..<200 {
            var bytes = [UInt8](text.utf8)
            let kind = random.int(0..<6)
            switch kind {
            case 0...3: random.mutate(&bytes, kind: kind)
            case 4: bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 }
            default:
                let start = random.int(0..<bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + random.int(1...60)))
            }
            // What `load(from:)` does with the bytes: UTF-8 or refused as not text.
            guard let mutated = String(bytes: bytes, encoding: .utf8) else {
                tally.add("not UTF-8")
                continue
            }
            let name = "\(file)-toml-bytes-\(iteration)"
            let result: ReadOutcome<Bool> =
                file == "priority"
                ? outcome {
                    _ = try PrioritySettings.parse(toml: mutated, file: "priority.toml")
                    return true
                }
                : outcome {
                    _ = try AppraisalSettings.parse(toml: mutated, file: "appraisal.toml")
                    return true
                }
            switch result {
            case .read: tally.add("read")
            case .invalid(let error):
                tally.add("refused")
                for problem in malformations(
                    of: error,
                    files: ["\(file).toml"],
                    lineCount: lineCount(of: Data(mutated.utf8))
                ) {
                    saveFailingCase(name, files: ["\(file).toml": Data(bytes)])
                    Issue.record("\(name): \(problem)")
                }
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error):
                saveFailingCase(name, files: ["\(file).toml": Data(bytes)])
                Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("\(file).toml byte mutations: \(tally.summary)")
    }

    /// One cell of the equipment catalog replaced: the class reads with exactly that value, or the file fails
    /// naming that line.
    @Test func catalogCellMutations() throws {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Catalog/equipment-classes.csv"))
        let baseline = try CSV.parse(data, file: "equipment-classes.csv")
        let expectedCatalog = try EquipmentCatalog.parse(baseline).classes
        let document = CSVDocument(header: baseline.headerAsWritten, rows: baseline.rows.map(\.fields))
        var random = FuzzRandom(seed: 0x5EED_0D00)
        let tally = FuzzTally()
        for iteration in 0..<250 {
            var mutated = document
            let row = random.int(0..<mutated.rows.count)
            let column = random.int(0..<mutated.header.count)
            let value = random.pick(Hostile.all)
            mutated.rows[row][column] = value
            let (text, lines) = mutated.encoded()
            let name = "catalog-cell-\(iteration)"
            let result = outcome {
                try EquipmentCatalog.parse(try CSV.parse(Data(text.utf8), file: "equipment-classes.csv"))
            }
            // The class with the changed field, as the oracle reads the cell.
            var expected: [EquipmentClass]? = expectedCatalog
            let cell: Oracle.Value
            switch mutated.header[column] {
            case "class": cell = Oracle.identifier(value)
            case "modality": cell = Oracle.modality(value)
            case "expected_life_years", "maximum_life_years": cell = Oracle.decimal(value, in: 1...40)
            case "replacement_cost_gbp", "annual_service_cost_gbp": cell = Oracle.money(value)
            case "scans_per_hour": cell = Oracle.decimal(value, in: 0.01...100)
            default: cell = Oracle.text(value)
            }
            if case .valid(let read) = cell {
                var changed = expectedCatalog[row]
                switch mutated.header[column] {
                case "class": changed.name = EquipmentClassName(read)
                case "modality": changed.modality = Modality(rawValue: read)!
                case "expected_life_years": changed.expectedLifeYears = Double(read)!
                case "maximum_life_years": changed.maximumLifeYears = Double(read)!
                case "replacement_cost_gbp": changed.replacementCostGBP = GBP(Double(read)!)
                case "annual_service_cost_gbp": changed.annualServiceCostGBP = GBP(Double(read)!)
                case "scans_per_hour": changed.scansPerHour = Double(read)!
                default: changed.source = read
                }
                let isDuplicate = expectedCatalog.enumerated().contains {
                    $0.offset != row && $0.element.name == changed.name
                }
                if changed.maximumLifeYears < changed.expectedLifeYears || isDuplicate {
                    expected = nil
                } else {
                    expected![row] = changed
                }
            } else {
                expected = nil
            }
            switch result {
            case .read(let catalog):
                tally.add("read")
                if catalog.classes != expected {
                    saveFailingCase(name, files: ["equipment-classes.csv": Data(text.utf8)])
                    Issue.record("\(name): column \(mutated.header[column]) = '\(value)' misread")
                }
            case .invalid(let error):
                tally.add("refused")
                for problem in malformations(
                    of: error,
                    files: ["equipment-classes.csv"],
                    lineCount: lineCount(of: Data(text.utf8))
                ) {
                    Issue.record("\(name): \(problem)")
                }
                if !error.issues.contains(where: { $0.line == lines[row] || $0.problem.contains("line \(lines[row])") })
                {
                    Issue.record("\(name): the failure does not name line \(lines[row]): \(error)")
                }
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error): Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("catalog cell mutations: \(tally.summary)")
        #expect(tally.count("read") > 20)
    }
}
