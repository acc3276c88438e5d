import FleetCore
import FleetProcurement
import Foundation
import Testing

/// A valid scenario folder: two trusts, two classes, three offers, tiers as fractions and percentages, budgets.
enum ScenarioBaseline {
    static let settings = """
        # base settings
        base_year = 2026
        horizon_years = 5
        appraisal_years = 10
        discount_rate = 0.035

        """
    static let documents: [String: CSVDocument] = [
        "replacements.csv": CSVDocument(
            header: ScenarioFiles.replacementColumns,
            rows: [
                ["CT-001", "Ashby Hospitals NHS Trust", "CT-128", "2027", "2026", "2029", "50000", "20000"],
                ["CT-002", "Barrow Hospitals NHS Trust", "CT-128", "2028", "2026", "2030", "£40,000", "15000"],
                ["MR-003", "Ashby Hospitals NHS Trust", "MR-1.5T", "2026", "2026", "2028", "80000", "30000"],
                ["MR-004", "Barrow Hospitals NHS Trust", "MR-1.5T", "2029", "2027", "2030", "60000", "0"],
            ]
        ),
        "offers.csv": CSVDocument(
            header: ScenarioFiles.offerColumns,
            rows: [
                ["Siemens", "CT-128", "900000", "90000", "2"], ["GE", "CT-128", "950000", "85000", "1"],
                ["Philips", "MR-1.5T", "1000000", "100000", "2"],
            ]
        ),
        "tiers.csv": CSVDocument(
            header: ScenarioFiles.tierColumns,
            rows: [
                ["Siemens", "CT-128", "2", "0.05"], ["GE", "CT-128", "2", "8%"], ["Philips", "MR-1.5T", "2", "0.06"],
            ]
        ),
        "budgets.csv": CSVDocument(
            header: ScenarioFiles.budgetColumns,
            rows: [
                ["Ashby Hospitals NHS Trust", "2026", "5000000"], ["Barrow Hospitals NHS Trust", "2027", "3000000"],
            ]
        ),
    ]

    /// What the baseline folder holds, written out by hand.
    static let scenario = Scenario(
        settings: ScenarioSettings(baseYear: 2026, horizonYears: 5, appraisalYears: 10, discountRate: 0.035),
        replacements: [
            replacement("CT-001", "Ashby Hospitals NHS Trust", "CT-128", 2027, 2026, 2029, 50_000, 20_000),
            replacement("CT-002", "Barrow Hospitals NHS Trust", "CT-128", 2028, 2026, 2030, 40_000, 15_000),
            replacement("MR-003", "Ashby Hospitals NHS Trust", "MR-1.5T", 2026, 2026, 2028, 80_000, 30_000),
            replacement("MR-004", "Barrow Hospitals NHS Trust", "MR-1.5T", 2029, 2027, 2030, 60_000, 0),
        ],
        offers: [
            Offer(
                supplier: "Siemens",
                equipmentClass: "CT-128",
                unitPriceGBP: GBP(900_000),
                annualServiceGBP: GBP(90_000),
                warrantyYears: 2
            ),
            Offer(
                supplier: "GE",
                equipmentClass: "CT-128",
                unitPriceGBP: GBP(950_000),
                annualServiceGBP: GBP(85_000),
                warrantyYears: 1
            ),
            Offer(
                supplier: "Philips",
                equipmentClass: "MR-1.5T",
                unitPriceGBP: GBP(1_000_000),
                annualServiceGBP: GBP(100_000),
                warrantyYears: 2
            ),
        ],
        tiers: [
            Tier(supplier: "Siemens", equipmentClass: "CT-128", minimumUnits: 2, discount: 0.05),
            Tier(supplier: "GE", equipmentClass: "CT-128", minimumUnits: 2, discount: 0.08),
            Tier(supplier: "Philips", equipmentClass: "MR-1.5T", minimumUnits: 2, discount: 0.06),
        ],
        budgets: [
            Budget(trust: "Ashby Hospitals NHS Trust", year: 2026, capitalBudgetGBP: GBP(5_000_000)),
            Budget(trust: "Barrow Hospitals NHS Trust", year: 2027, capitalBudgetGBP: GBP(3_000_000)),
        ]
    )

    private static func replacement(
        _ id: String,
        _ trust: String,
        _ equipmentClass: String,
        _ preferred: Int,
        _ earliest: Int,
        _ latest: Int,
        _ deferCost: Double,
        _ advanceCost: Double
    ) -> Replacement {
        Replacement(
            assetID: AssetID(id),
            trust: TrustName(trust),
            equipmentClass: EquipmentClassName(equipmentClass),
            preferredYear: preferred,
            earliestYear: earliest,
            latestYear: latest,
            deferCostGBPPerYear: GBP(deferCost),
            advanceCostGBPPerYear: GBP(advanceCost)
        )
    }

    /// Writes a folder with `settings` and `documents` (each CSV as written by ``CSVDocument``).
    static func write(settings: Data, documents: [String: Data], to folder: URL) throws {
        try settings.write(to: folder.appendingPathComponent(ScenarioFiles.settingsFile))
        for (name, data) in documents { try data.write(to: folder.appendingPathComponent(name)) }
    }

    static var encodedDocuments: [String: Data] { documents.mapValues { Data($0.encoded().text.utf8) } }
}

/// A discount as SPEC.md's tiers.csv writes it: a fraction in [0, 1), or a percentage with `%`.
private func discountOracle(_ cell: String) -> Oracle.Value {
    var text = Oracle.trimmed(cell)
    var divisor = 1.0
    if text.hasSuffix("%") {
        text.removeLast()
        divisor = 100
    }
    guard let parsed = Oracle.number(text, currency: false) else { return .invalid }
    guard let value = parsed else { return divisor == 1 ? .empty : .invalid }
    let fraction = value / divisor
    return (0..<1).contains(fraction) ? .valid(String(fraction == 0 ? 0 : fraction)) : .invalid
}

/// The scenario with one field of one record set to `value`, or nil when `value` is not valid for the field.
private func scenario(_ base: Scenario, file: String, row: Int, column: String, value: Oracle.Value) -> Scenario?? {
    var result = base
    // A budget may be left empty: no limit that year.
    if value == .empty, file == "budgets.csv", column == "capital_budget_gbp" {
        result.budgets[row].capitalBudgetGBP = nil
        return .some(result)
    }
    guard case .valid(let text) = value else { return value == .empty ? .some(nil) : nil }
    let number = Double(text) ?? .nan
    switch (file, column) {
    case ("replacements.csv", "asset_id"): result.replacements[row].assetID = AssetID(text)
    case ("replacements.csv", "trust"): result.replacements[row].trust = TrustName(text)
    case ("replacements.csv", "class"): result.replacements[row].equipmentClass = EquipmentClassName(text)
    case ("replacements.csv", "preferred_year"): result.replacements[row].preferredYear = Int(text)!
    case ("replacements.csv", "earliest_year"): result.replacements[row].earliestYear = Int(text)!
    case ("replacements.csv", "latest_year"): result.replacements[row].latestYear = Int(text)!
    case ("replacements.csv", "defer_cost_gbp_per_year"): result.replacements[row].deferCostGBPPerYear = GBP(number)
    case ("replacements.csv", "advance_cost_gbp_per_year"):
        result.replacements[row].advanceCostGBPPerYear = GBP(number)
    case ("offers.csv", "supplier"): result.offers[row].supplier = SupplierName(text)
    case ("offers.csv", "class"): result.offers[row].equipmentClass = EquipmentClassName(text)
    case ("offers.csv", "unit_price_gbp"): result.offers[row].unitPriceGBP = GBP(number)
    case ("offers.csv", "annual_service_gbp"): result.offers[row].annualServiceGBP = GBP(number)
    case ("offers.csv", "warranty_years"): result.offers[row].warrantyYears = Int(text)!
    case ("tiers.csv", "supplier"): result.tiers[row].supplier = SupplierName(text)
    case ("tiers.csv", "class"): result.tiers[row].equipmentClass = EquipmentClassName(text)
    case ("tiers.csv", "min_units"): result.tiers[row].minimumUnits = Int(text)!
    case ("tiers.csv", "discount"): result.tiers[row].discount = number
    case ("budgets.csv", "trust"): result.budgets[row].trust = TrustName(text)
    case ("budgets.csv", "year"): result.budgets[row].year = Int(text)!
    case ("budgets.csv", "capital_budget_gbp"): result.budgets[row].capitalBudgetGBP = GBP(number)
    default: return nil
    }
    return .some(result)
}

/// What a cell of a scenario file must read as.
private func cellOracle(file: String, column: String, cell: String) -> Oracle.Value {
    switch column {
    case "asset_id", "trust", "class", "supplier": Oracle.identifier(cell)
    case "preferred_year", "earliest_year", "latest_year", "year": Oracle.integer(cell, in: 1900...2200)
    case "warranty_years": Oracle.integer(cell, in: 0...50)
    case "min_units": Oracle.integer(cell, in: 1...100_000)
    case "discount": discountOracle(cell)
    default: Oracle.money(cell)
    }
}

/// Reads the scenario folder.
private func readScenario(_ folder: URL) -> ReadOutcome<Scenario> { outcome { try ScenarioFiles.read(from: folder) } }

@Suite("Fuzzing the scenario folder reader")
struct ScenarioFuzzTests {
    @Test func theBaselineFolderReadsAsWritten() throws {
        let folder = try makeFuzzDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try ScenarioBaseline.write(
            settings: Data(ScenarioBaseline.settings.utf8),
            documents: ScenarioBaseline.encodedDocuments,
            to: folder
        )
        #expect(try ScenarioFiles.read(from: folder) == ScenarioBaseline.scenario)
    }

    /// One cell of one CSV file replaced: the folder reads with exactly that value changed (as the oracle reads it),
    /// or fails naming that file and line.
    @Test(arguments: 0..<2) func cellMutations(shard: Int) throws {
        var random = FuzzRandom(seed: 0x5EED_0900 + UInt64(shard))
        let tally = FuzzTally()
        let folder = try makeFuzzDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ScenarioBaseline.documents.keys.sorted()
        for iteration in 0..<150 {
            let file = random.pick(names)
            var document = ScenarioBaseline.documents[file]!
            let row = random.int(0..<document.rows.count)
            let column = random.int(0..<document.header.count)
            let value = random.pick(Hostile.numbers + Hostile.texts + Hostile.dates)
            document.rows[row][column] = value
            var documents = ScenarioBaseline.encodedDocuments
            let (text, lines) = document.encoded()
            documents[file] = Data(text.utf8)
            try ScenarioBaseline.write(settings: Data(ScenarioBaseline.settings.utf8), documents: documents, to: folder)
            let name = "scenario-cell-\(shard)-\(iteration)"
            let path = folder.appendingPathComponent(file).path
            let expected = scenario(
                ScenarioBaseline.scenario,
                file: file,
                row: row,
                column: document.header[column],
                value: cellOracle(file: file, column: document.header[column], cell: value)
            )
            switch readScenario(folder) {
            case .read(let read):
                tally.add("read")
                guard let expected, let expected else {
                    saveFailingCase(name, files: documents.merging([file: Data(text.utf8)]) { $1 })
                    Issue.record("\(name): \(file) column \(document.header[column]) = '\(value)' was accepted")
                    continue
                }
                if read != expected {
                    saveFailingCase(name, files: documents)
                    Issue.record("\(name): misread \(file) column \(document.header[column]) = '\(value)'")
                }
            case .invalid(let error):
                tally.add("refused")
                let files = Set(["scenario.toml"] + names).map { folder.appendingPathComponent($0).path }
                for problem in malformations(of: error, files: Set(files), lineCount: 20) {
                    Issue.record("\(name): \(problem)")
                }
                // The changed record is named, or (when the change breaks a record of another file that refers to
                // it) the other record is, saying which file it was looked for in.
                let named = error.issues.contains {
                    ($0.file == path && $0.line == lines[row]) || ($0.file != path && $0.problem.contains(path))
                }
                if !named {
                    saveFailingCase(name, files: documents)
                    Issue.record("\(name): the failure does not name \(file):\(lines[row]): \(error)")
                }
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error): Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("scenario cell mutations, shard \(shard): \(tally.summary)")
        #expect(tally.count("read") > 10)
        #expect(tally.count("refused") > 50)
    }

    /// The settings file with one value replaced by a hostile TOML token: a valid spelling of a valid value reads
    /// as that value, anything else fails naming scenario.toml.
    @Test func settingsMutations() throws {
        let folder = try makeFuzzDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // token → the number it denotes in TOML, or nil when it denotes no number.
        let tokens: [(String, Double?)] = [
            ("0x10", 16), ("1_000", 1000), ("+5", 5), ("-0", 0), ("2026", 2026), ("2026.0", 2026), ("1e3", 1000),
            ("nan", nil), ("inf", nil), ("-inf", nil), ("\"2026\"", nil), ("2026-01-01", nil), ("true", nil),
            ("[2026]", nil), ("9223372036854775808", nil), ("", nil), ("0.5", 0.5), ("5e-1", 0.5), ("0", 0),
            ("1", 1), ("0o17", 15), ("0b11", 3), ("1e309", nil), ("１２", nil), ("2026 # comment", 2026),
            ("0.035", 0.035),
        ]
        let keys = ["base_year", "horizon_years", "appraisal_years", "discount_rate"]
        let tally = FuzzTally()
        for key in keys {
            for (token, number) in tokens {
                let text = ScenarioBaseline.settings.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(key + " =") ? "\(key) = \(token)" : String($0) }.joined(separator: "\n")
                try ScenarioBaseline.write(
                    settings: Data(text.utf8),
                    documents: ScenarioBaseline.encodedDocuments,
                    to: folder
                )
                let value = token.split(separator: "#").first.map { Oracle.trimmed(String($0)) } ?? ""
                let isFloatToken = value.contains(".") || value.lowercased().contains("e") && !value.hasPrefix("0x")
                var expected = ScenarioBaseline.scenario.settings
                var valid = number != nil
                if let number {
                    switch key {
                    case "discount_rate":
                        valid = (0..<1).contains(number)
                        expected.discountRate = number
                    default:
                        // Whole numbers must be written as TOML integers.
                        valid = !isFloatToken && number == number.rounded()
                        let whole = Int(number)
                        switch key {
                        case "base_year": expected.baseYear = whole
                        case "horizon_years": expected.horizonYears = whole
                        default: expected.appraisalYears = whole
                        }
                    }
                }
                let name = "scenario-settings-\(key)-\(token)"
                switch readScenario(folder) {
                case .read(let scenario):
                    tally.add("read")
                    if !valid { Issue.record("\(name): accepted") }
                    if valid, scenario.settings != expected {
                        Issue.record("\(name): read \(scenario.settings), expected \(expected)")
                    }
                case .invalid(let error):
                    tally.add("refused")
                    let files = Set(
                        (["scenario.toml"] + ScenarioBaseline.documents.keys).map {
                            folder.appendingPathComponent($0).path
                        }
                    )
                    for problem in malformations(of: error, files: files, lineCount: 20) {
                        Issue.record("\(name): \(problem)")
                    }
                    if !valid {
                        #expect(error.issues.contains { $0.file.hasSuffix("scenario.toml") }, "\(name): \(error)")
                    }
                case .fileFailure(let failure): Issue.record("\(name): \(failure)")
                case .unexpected(let error): Issue.record("\(name): unexpected \(type(of: error)): \(error)")
                }
            }
        }
        print("scenario settings mutations: \(tally.summary)")
        #expect(tally.count("read") > 5)
    }

    /// Byte-level damage to one file of the folder: a well-formed failure naming a file of the folder, or a read.
    @Test func byteMutations() throws {
        var random = FuzzRandom(seed: 0x5EED_0A00)
        let tally = FuzzTally()
        let folder = try makeFuzzDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["scenario.toml"] + ScenarioBaseline.documents.keys.sorted()
        for iteration in 0..<200 {
            var files = ScenarioBaseline.encodedDocuments
            files["scenario.toml"] = Data(ScenarioBaseline.settings.utf8)
            let target = random.pick(names)
            var bytes = [UInt8](files[target]!)
            let kind = random.int(0..<6)
            switch kind {
            case 0...3: random.mutate(&bytes, kind: kind)
            case 4: bytes = Array(String(decoding: bytes, as: UTF8.self).data(using: .utf16LittleEndian)!)
            default: bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 }
            }
            files[target] = Data(bytes)
            try ScenarioBaseline.write(
                settings: files["scenario.toml"]!,
                documents: files.filter { $0.key != "scenario.toml" },
                to: folder
            )
            let name = "scenario-bytes-\(target)-\(iteration)"
            switch readScenario(folder) {
            case .read: tally.add("read")
            case .invalid(let error):
                tally.add("refused")
                let paths = Set(names.map { folder.appendingPathComponent($0).path })
                for problem in malformations(of: error, files: paths, lineCount: 20) {
                    saveFailingCase(name, files: files)
                    Issue.record("\(name): \(problem)")
                }
            case .fileFailure(let failure): Issue.record("\(name): \(failure)")
            case .unexpected(let error):
                saveFailingCase(name, files: files)
                Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("scenario byte mutations: \(tally.summary)")
    }
}
