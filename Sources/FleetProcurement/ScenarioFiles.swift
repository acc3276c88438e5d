import FleetCore
import Foundation
import TOMLKit

/// Reads and writes a procurement scenario folder: `scenario.toml`, `replacements.csv`, `offers.csv`, `tiers.csv`
/// and, when there are budgets, `budgets.csv` (the spec's "Procurement scenario").
public enum ScenarioFiles {
    /// The settings file.
    public static let settingsFile = "scenario.toml"
    /// The replacements file.
    public static let replacementsFile = "replacements.csv"
    /// The offers file.
    public static let offersFile = "offers.csv"
    /// The tiers file.
    public static let tiersFile = "tiers.csv"
    /// The optional budgets file.
    public static let budgetsFile = "budgets.csv"
    /// The optional file of shortfalls to cover.
    public static let capacityFile = "capacity.csv"
    /// The optional file of classes' modalities and capacities.
    public static let classesFile = "classes.csv"

    /// The header of each CSV file, in the order written.
    public static let replacementColumns = [
        "asset_id", "trust", "class", "preferred_year", "earliest_year", "latest_year", "defer_cost_gbp_per_year",
        "advance_cost_gbp_per_year",
    ]
    /// The columns of `offers.csv`.
    public static let offerColumns = ["supplier", "class", "unit_price_gbp", "annual_service_gbp", "warranty_years"]
    /// The optional column of `replacements.csv` saying whether a unit replaces one of the register or adds one
    /// (``UnitPurpose``); written only when a scenario holds an added unit.
    public static let purposeColumn = "purpose"
    /// The optional columns of `offers.csv` for an operating lease (``LeaseTerms``), both or neither in a row;
    /// written only when an offer has a lease.
    public static let leaseColumns = ["lease_annual_gbp", "lease_years"]
    /// The optional columns of `offers.csv` for a managed equipment service (``ManagedServiceTerms``), all or none
    /// in a row; written only when an offer has one.
    public static let managedServiceColumns = ["mes_annual_gbp", "mes_years", "mes_equipment_share"]
    /// The columns of `tiers.csv`.
    public static let tierColumns = ["supplier", "class", "min_units", "discount"]
    /// The columns of `budgets.csv`; the budget cells may be empty (no limit that year).
    public static let budgetColumns = ["trust", "year", "capital_budget_gbp"]
    /// The columns of `capacity.csv`.
    public static let capacityColumns = ["trust", "modality", "year", "shortfall_scans"]
    /// The columns of `classes.csv`.
    public static let classColumns = ["class", "modality", "capacity_scans_per_year", "mobile"]
    /// The optional columns of `replacements.csv` for site continuity and cover, written only when a replacement
    /// names its site.
    public static let siteColumns = ["site", "site_units", "cover_cost_gbp"]
    /// The optional column of `budgets.csv` limiting revenue; written only when a budget has one.
    public static let revenueBudgetColumn = "revenue_budget_gbp"

    /// Reads and checks the scenario in `directory`.
    /// - Throws: ``FileFailure`` (exit 2) when the folder or a required file is missing or unreadable;
    ///   ``InvalidInput`` (exit 2) naming file, line, column and value for every malformed value, and the records
    ///   that contradict each other across files.
    public static func read(from directory: URL) throws -> Scenario {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw FileFailure(
                path: directory.relativePath,
                reason: "is not a scenario folder (it does not exist or is a file)",
                exitCode: .invalidInput
            )
        }
        let (settings, settingsLines) = try readSettings(at: directory.appendingPathComponent(settingsFile))
        let (replacements, replacementLines) = try readTable(
            directory,
            replacementsFile,
            replacementColumns,
            parse: parseReplacement
        )
        let (offers, offerLines) = try readTable(directory, offersFile, offerColumns, parse: parseOffer)
        let (tiers, tierLines) = try readTable(directory, tiersFile, tierColumns, parse: parseTier)
        let (budgets, budgetLines) = try readOptionalTable(directory, budgetsFile, budgetColumns, parse: parseBudget)
        let (capacity, capacityLines) = try readOptionalTable(
            directory,
            capacityFile,
            capacityColumns,
            parse: parseShortfall
        )
        let (classes, classLines) = try readOptionalTable(directory, classesFile, classColumns, parse: parseClass)
        let scenario = Scenario(
            settings: settings,
            replacements: replacements,
            offers: offers,
            tiers: tiers,
            budgets: budgets,
            capacity: capacity,
            classes: classes
        )
        let names = ScenarioValidation.FileNames(
            settings: name(directory, settingsFile),
            replacements: name(directory, replacementsFile),
            offers: name(directory, offersFile),
            tiers: name(directory, tiersFile),
            budgets: name(directory, budgetsFile),
            capacity: name(directory, capacityFile),
            classes: name(directory, classesFile)
        )
        let lines = ScenarioValidation.Lines(
            settings: settingsLines,
            replacements: replacementLines,
            offers: offerLines,
            tiers: tierLines,
            budgets: budgetLines,
            capacity: capacityLines,
            classes: classLines
        )
        try ScenarioValidation(scenario: scenario, lines: lines, files: names).check()
        return scenario
    }

    /// Writes `scenario` into `directory` (created if missing), one file at a time through a temporary file, so a
    /// reader never sees half a file. `budgets.csv` is written only when there are budgets, and an old one is
    /// removed when there are none.
    /// - Throws: ``FileFailure`` when a file cannot be written.
    public static func write(_ scenario: Scenario, to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileFailure(path: directory.relativePath, reason: "cannot be created (\(error.localizedDescription))")
        }
        try LineWriter.write(
            settingsLines(scenario.settings).map(\.text),
            to: directory.appendingPathComponent(settingsFile)
        )
        // The optional columns only when a record needs them, so a scenario of replacements bought with capital
        // is written exactly as before they existed.
        let writesPurpose = scenario.replacements.contains { $0.purpose != .replacement }
        let writesSites = scenario.replacements.contains {
            $0.site != nil || $0.siteUnits != nil || $0.coverCostGBP != .zero
        }
        try writeTable(
            directory,
            replacementsFile,
            replacementColumns + (writesPurpose ? [purposeColumn] : []) + (writesSites ? siteColumns : []),
            scenario.replacements.map {
                [
                    $0.assetID.rawValue, $0.trust.rawValue, $0.equipmentClass.rawValue, String($0.preferredYear),
                    String($0.earliestYear), String($0.latestYear), plain($0.deferCostGBPPerYear.pounds),
                    plain($0.advanceCostGBPPerYear.pounds),
                ] + (writesPurpose ? [$0.purpose.rawValue] : [])
                    + (writesSites
                        ? [$0.site?.rawValue ?? "", $0.siteUnits.map(String.init) ?? "", plain($0.coverCostGBP.pounds)]
                        : [])
            }
        )
        let writesLease = scenario.offers.contains { $0.lease != nil }
        let writesService = scenario.offers.contains { $0.managedService != nil }
        try writeTable(
            directory,
            offersFile,
            offerColumns + (writesLease ? leaseColumns : []) + (writesService ? managedServiceColumns : []),
            scenario.offers.map { offer in
                var row = [
                    offer.supplier.rawValue, offer.equipmentClass.rawValue, plain(offer.unitPriceGBP.pounds),
                    plain(offer.annualServiceGBP.pounds), String(offer.warrantyYears),
                ]
                if writesLease {
                    row += offer.lease.map { [plain($0.annualRentalGBP.pounds), String($0.years)] } ?? ["", ""]
                }
                if writesService {
                    row +=
                        offer.managedService.map {
                            [plain($0.annualFeeGBP.pounds), String($0.years), plain($0.equipmentShare)]
                        } ?? ["", "", ""]
                }
                return row
            }
        )
        try writeTable(
            directory,
            tiersFile,
            tierColumns,
            scenario.tiers.map {
                [$0.supplier.rawValue, $0.equipmentClass.rawValue, String($0.minimumUnits), plain($0.discount)]
            }
        )
        let writesRevenue = scenario.hasRevenueBudgets
        try writeOptionalTable(
            directory,
            budgetsFile,
            budgetColumns + (writesRevenue ? [revenueBudgetColumn] : []),
            scenario.budgets.map {
                [$0.trust.rawValue, String($0.year), $0.capitalBudgetGBP.map { plain($0.pounds) } ?? ""]
                    + (writesRevenue ? [$0.revenueBudgetGBP.map { plain($0.pounds) } ?? ""] : [])
            }
        )
        try writeOptionalTable(
            directory,
            capacityFile,
            capacityColumns,
            scenario.capacity.map {
                [$0.trust.rawValue, $0.modality.rawValue, String($0.year), plain($0.shortfallScans)]
            }
        )
        try writeOptionalTable(
            directory,
            classesFile,
            classColumns,
            scenario.classes.map {
                [
                    $0.equipmentClass.rawValue, $0.modality.rawValue, plain($0.capacityScansPerYear),
                    $0.isMobile ? "true" : "false",
                ]
            }
        )
    }

    /// One line of `scenario.toml` as ``write(_:to:)`` writes it: a comment, or a key and its value.
    enum SettingsLine: Equatable {
        case comment(String)
        case setting(key: String, value: String)

        /// The line as written.
        var text: String {
            switch self {
            case .comment(let text): "# \(text)"
            case .setting(let key, let value): "\(key) = \(value)"
            }
        }
    }

    /// The lines of `scenario.toml` for `settings`, in the order they are written: the lease discount rate and the
    /// capacity settings only when set. The one list that both the writer and the line numbers of a scenario built
    /// in memory (``lineOfEachSetting(_:)``) come from.
    static func settingsLines(_ settings: ScenarioSettings) -> [SettingsLine] {
        var lines: [SettingsLine] = [
            .comment("Procurement scenario: decision years base_year to base_year + horizon_years - 1; service costs"),
            .comment("counted for base_year to base_year + appraisal_years - 1; discount_rate a year as a fraction"),
            .comment("(0.035 is the HM Treasury Green Book rate)."),
            .setting(key: "base_year", value: String(settings.baseYear)),
            .setting(key: "horizon_years", value: String(settings.horizonYears)),
            .setting(key: "appraisal_years", value: String(settings.appraisalYears)),
            .setting(key: "discount_rate", value: plain(settings.discountRate)),
        ]
        if let rate = settings.leaseDiscountRateSetting {
            lines.append(
                .comment("The rate that values leases' right-of-use assets (IFRS 16; the HM Treasury rate in force).")
            )
            lines.append(.setting(key: "lease_discount_rate", value: plain(rate)))
        }
        if settings.outsourcingGBPPerScan != nil || settings.mobileRelocationLoss != 0 {
            lines.append(
                .comment(
                    "Capacity cover: an outsourced scan's price in pounds (discounted like any cost of its year), and the"
                )
            )
            lines.append(.comment("share of a mobile unit's capacity lost to moving between sites."))
            if let price = settings.outsourcingGBPPerScan {
                lines.append(.setting(key: "outsourcing_gbp_per_scan", value: plain(price.pounds)))
            }
            lines.append(.setting(key: "mobile_relocation_loss", value: plain(settings.mobileRelocationLoss)))
        }
        return lines
    }

    /// The line (from 1) of each key of `scenario.toml` as ``write(_:to:)`` writes `settings`.
    static func lineOfEachSetting(_ settings: ScenarioSettings) -> [String: Int] {
        var lines: [String: Int] = [:]
        for (index, line) in settingsLines(settings).enumerated() {
            if case .setting(let key, _) = line { lines[key] = index + 1 }
        }
        return lines
    }

    /// Writes an optional table when it has rows, and removes an old copy when it has none.
    private static func writeOptionalTable(
        _ directory: URL,
        _ file: String,
        _ header: [String],
        _ rows: [[String]]
    ) throws {
        let url = directory.appendingPathComponent(file)
        guard rows.isEmpty else { return try writeTable(directory, file, header, rows) }
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw FileFailure(path: url.relativePath, reason: "cannot be removed (\(error.localizedDescription))")
        }
    }

    // MARK: Writing

    private static func writeTable(_ directory: URL, _ file: String, _ header: [String], _ rows: [[String]]) throws {
        // Planners open these files in a spreadsheet: a name that looks like a formula gets the neutralising `'`,
        // which the readers (FleetCore's identifier field) take off again, so the name reads back as it was.
        try LineWriter.write(
            [CSV.line(header)] + rows.map { CSV.line($0) },
            to: directory.appendingPathComponent(file)
        )
    }

    /// A number as the readers accept it and without loss: whole numbers without a decimal point, others in
    /// Swift's shortest round-trip form.
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    // MARK: Reading

    /// Reads a file of supplier offers in the `offers.csv` format (other columns, such as a catalog's `source`,
    /// are left alone): `Catalog/suppliers.csv` is one.
    /// - Throws: ``FileFailure`` (exit 2) when missing, ``InvalidInput`` naming line, column and value.
    public static func readOffers(at url: URL) throws -> [Offer] {
        try readTable(url.deletingLastPathComponent(), url.lastPathComponent, offerColumns, parse: parseOffer).0
    }

    /// Reads a file of volume tiers in the `tiers.csv` format: `Catalog/tiers.csv` is one.
    /// - Throws: ``FileFailure`` (exit 2) when missing, ``InvalidInput`` naming line, column and value.
    public static func readTiers(at url: URL) throws -> [Tier] {
        try readTable(url.deletingLastPathComponent(), url.lastPathComponent, tierColumns, parse: parseTier).0
    }

    /// Reads a file of capital budgets in the `budgets.csv` format.
    /// - Throws: ``FileFailure`` (exit 2) when missing, ``InvalidInput`` naming line, column and value.
    public static func readBudgets(at url: URL) throws -> [Budget] { try readBudgetRows(at: url).budgets }

    /// Reads a file of capital budgets in the `budgets.csv` format, with the line of each row and the file's name
    /// as messages give it.
    /// - Throws: ``FileFailure`` (exit 2) when missing, ``InvalidInput`` naming line, column and value.
    public static func readBudgetRows(at url: URL) throws -> (budgets: [Budget], lines: [Int], file: String) {
        let directory = url.deletingLastPathComponent()
        let (budgets, lines) = try readTable(directory, url.lastPathComponent, budgetColumns, parse: parseBudget)
        return (budgets, lines, name(directory, url.lastPathComponent))
    }

    private static func name(_ directory: URL, _ file: String) -> String {
        directory.appendingPathComponent(file).relativePath
    }

    private static func readTable<Record>(
        _ directory: URL,
        _ file: String,
        _ columns: [String],
        parse: (FieldReader, inout InputIssues) -> Record?
    ) throws -> ([Record], [Int]) {
        let url = directory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileFailure(
                path: url.relativePath,
                reason: "is missing; expected a CSV file with the header \(columns.joined(separator: ","))",
                exitCode: .invalidInput
            )
        }
        let table = try CSV.read(contentsOf: url, displayName: url.relativePath)
        try table.requireColumns(columns)
        // Other columns (a planner's notes) are left alone.
        var issues = InputIssues()
        var records: [Record] = []
        var lines: [Int] = []
        for row in table.rows {
            if let record = parse(table.reader(for: row), &issues) {
                records.append(record)
                lines.append(row.line)
            }
        }
        try issues.throwIfAny()
        return (records, lines)
    }

    /// Reads a table that a scenario may leave out: none when its file is missing.
    private static func readOptionalTable<Record>(
        _ directory: URL,
        _ file: String,
        _ columns: [String],
        parse: (FieldReader, inout InputIssues) -> Record?
    ) throws -> ([Record], [Int]) {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) else {
            return ([], [])
        }
        return try readTable(directory, file, columns, parse: parse)
    }

    private static let year = Field<Int>.integer(in: 1900...2200, expectation: "a year from 1900 to 2200")

    private static func parseReplacement(_ reader: FieldReader, _ issues: inout InputIssues) -> Replacement? {
        let id = reader.value("asset_id", .identifier, required: true, issues: &issues)
        let trust = reader.value("trust", .identifier, required: true, issues: &issues)
        let equipmentClass = reader.value("class", .identifier, required: true, issues: &issues)
        let preferred = reader.value("preferred_year", year, required: true, issues: &issues)
        let earliest = reader.value("earliest_year", year, required: true, issues: &issues)
        let latest = reader.value("latest_year", year, required: true, issues: &issues)
        let deferCost = reader.value("defer_cost_gbp_per_year", .money, required: true, issues: &issues)
        let advanceCost = reader.value("advance_cost_gbp_per_year", .money, required: true, issues: &issues)
        let purpose = reader.value(purposeColumn, purposeField, issues: &issues) ?? .replacement
        let site = reader.value("site", .identifier, issues: &issues)
        let siteUnits = reader.value(
            "site_units",
            .integer(in: 1...1000, expectation: "a whole number of units from 1 to 1,000"),
            issues: &issues
        )
        let cover = reader.value("cover_cost_gbp", .money, issues: &issues) ?? .zero
        guard let id, let trust, let equipmentClass, let preferred, let earliest, let latest, let deferCost,
            let advanceCost
        else { return nil }
        return Replacement(
            assetID: AssetID(id),
            trust: TrustName(trust),
            equipmentClass: EquipmentClassName(equipmentClass),
            preferredYear: preferred,
            earliestYear: earliest,
            latestYear: latest,
            deferCostGBPPerYear: deferCost,
            advanceCostGBPPerYear: advanceCost,
            purpose: purpose,
            site: site.map { SiteName($0) },
            siteUnits: siteUnits,
            coverCostGBP: cover
        )
    }

    /// A modality code or a common spelling (`CT`, `MRI`).
    private static let modalityField: Field<Modality> = {
        let expectation = "a modality code (" + Modality.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        return Field(expectation: expectation) { text, _ in
            Modality(spelling: text).map { .success($0) }
                ?? .failure(FieldProblem("is not a modality; expected \(expectation)"))
        }
    }()

    /// `true` or `false` (also yes/no, 1/0), in any case.
    private static let flagField: Field<Bool> = {
        let expectation = "true or false"
        return Field(expectation: expectation) { text, _ in
            switch text.lowercased() {
            case "true", "yes", "1": .success(true)
            case "false", "no", "0": .success(false)
            default: .failure(FieldProblem("is not true or false; expected \(expectation)"))
            }
        }
    }()

    private static let scansField = Field<Double>.number(
        in: 0...100_000_000,
        expectation: "a number of scans from 0 to 100,000,000"
    )

    private static func parseShortfall(_ reader: FieldReader, _ issues: inout InputIssues) -> CapacityShortfall? {
        let trust = reader.value("trust", .identifier, required: true, issues: &issues)
        let modality = reader.value("modality", modalityField, required: true, issues: &issues)
        let shortfallYear = reader.value("year", year, required: true, issues: &issues)
        let scans = reader.value("shortfall_scans", scansField, required: true, issues: &issues)
        guard let trust, let modality, let shortfallYear, let scans else { return nil }
        return CapacityShortfall(
            trust: TrustName(trust),
            modality: modality,
            year: shortfallYear,
            shortfallScans: scans
        )
    }

    private static func parseClass(_ reader: FieldReader, _ issues: inout InputIssues) -> CapacityClass? {
        let equipmentClass = reader.value("class", .identifier, required: true, issues: &issues)
        let modality = reader.value("modality", modalityField, required: true, issues: &issues)
        let capacity = reader.value(
            "capacity_scans_per_year",
            .number(in: 1...10_000_000, expectation: "scans a year from 1 to 10,000,000"),
            required: true,
            issues: &issues
        )
        let mobile = reader.value("mobile", flagField, required: true, issues: &issues)
        guard let equipmentClass, let modality, let capacity, let mobile else { return nil }
        return CapacityClass(
            equipmentClass: EquipmentClassName(equipmentClass),
            modality: modality,
            capacityScansPerYear: capacity,
            isMobile: mobile
        )
    }

    /// `replacement` or `addition`, in any case.
    private static let purposeField: Field<UnitPurpose> = {
        let expectation = UnitPurpose.allCases.map(\.rawValue).joined(separator: " or ")
        return Field(expectation: expectation) { text, _ in
            UnitPurpose(rawValue: text.lowercased()).map { .success($0) }
                ?? .failure(FieldProblem("is not a unit purpose; expected \(expectation)"))
        }
    }()

    private static func parseOffer(_ reader: FieldReader, _ issues: inout InputIssues) -> Offer? {
        let supplier = reader.value("supplier", .identifier, required: true, issues: &issues)
        let equipmentClass = reader.value("class", .identifier, required: true, issues: &issues)
        let price = reader.value("unit_price_gbp", .money, required: true, issues: &issues)
        let service = reader.value("annual_service_gbp", .money, required: true, issues: &issues)
        let warranty = reader.value(
            "warranty_years",
            .integer(in: 0...50, expectation: "whole years from 0 to 50"),
            required: true,
            issues: &issues
        )
        let lease = parseLease(reader, &issues)
        let managedService = parseManagedService(reader, &issues)
        guard let supplier, let equipmentClass, let price, let service, let warranty, let lease, let managedService
        else { return nil }
        return Offer(
            supplier: SupplierName(supplier),
            equipmentClass: EquipmentClassName(equipmentClass),
            unitPriceGBP: price,
            annualServiceGBP: service,
            warrantyYears: warranty,
            lease: lease,
            managedService: managedService
        )
    }

    private static let termYears = Field<Int>.integer(in: 1...50, expectation: "whole years from 1 to 50")

    /// The share of a fee, a fraction in [0, 1] or a percentage with `%`.
    private static let shareField: Field<Double> = {
        let expectation = "a fraction from 0 to 1, such as 0.6, or a percentage such as 60%"
        return Field(expectation: expectation, readsNumbers: true) { text, convention in
            var body = text
            var scale = 1.0
            if body.hasSuffix("%") {
                body.removeLast()
                scale = 0.01
            }
            guard let value = NumberParsing.parse(body, convention: convention, allowCurrency: false) else {
                return .failure(FieldProblem("is not a number; expected \(expectation)"))
            }
            let share = value * scale
            guard share >= 0, share <= 1 else {
                return .failure(FieldProblem("is outside [0, 1]; expected \(expectation)"))
            }
            return .success(share == 0 ? 0 : share)
        }
    }()

    /// Reports each of `columns` that is empty while another of them is filled; true when all or none are filled.
    private static func allOrNone(
        _ columns: [String],
        _ what: String,
        _ reader: FieldReader,
        _ issues: inout InputIssues
    ) -> Bool {
        let filled = columns.filter { reader.text($0) != nil }
        guard !filled.isEmpty, filled.count < columns.count else { return true }
        for column in columns where reader.text(column) == nil && reader.table.hasColumn(column) {
            reader.report(
                column,
                "is empty while \(filled.joined(separator: ", ")) is given; expected all of "
                    + "\(columns.joined(separator: ", ")) for \(what), or none",
                issues: &issues
            )
        }
        for column in columns where !reader.table.hasColumn(column) {
            reader.report(
                filled[0],
                "is given without a column \(column); expected all of \(columns.joined(separator: ", ")) for \(what)",
                issues: &issues
            )
        }
        return false
    }

    /// The lease of an offer's row: `.some(nil)` for none, nil (with an issue) when malformed.
    private static func parseLease(_ reader: FieldReader, _ issues: inout InputIssues) -> LeaseTerms?? {
        let rental = reader.value(leaseColumns[0], .money, issues: &issues)
        let years = reader.value(leaseColumns[1], termYears, issues: &issues)
        let complete = allOrNone(leaseColumns, "a lease", reader, &issues)
        let filled = leaseColumns.contains { reader.text($0) != nil }
        guard filled else { return .some(nil) }
        guard complete, let rental, let years else { return nil }
        return .some(LeaseTerms(annualRentalGBP: rental, years: years))
    }

    /// The managed equipment service of an offer's row: `.some(nil)` for none, nil (with an issue) when malformed.
    private static func parseManagedService(
        _ reader: FieldReader,
        _ issues: inout InputIssues
    ) -> ManagedServiceTerms?? {
        let fee = reader.value(managedServiceColumns[0], .money, issues: &issues)
        let years = reader.value(managedServiceColumns[1], termYears, issues: &issues)
        let share = reader.value(managedServiceColumns[2], shareField, issues: &issues)
        let complete = allOrNone(managedServiceColumns, "a managed equipment service", reader, &issues)
        let filled = managedServiceColumns.contains { reader.text($0) != nil }
        guard filled else { return .some(nil) }
        guard complete, let fee, let years, let share else { return nil }
        return .some(ManagedServiceTerms(annualFeeGBP: fee, years: years, equipmentShare: share))
    }

    private static func parseTier(_ reader: FieldReader, _ issues: inout InputIssues) -> Tier? {
        let supplier = reader.value("supplier", .identifier, required: true, issues: &issues)
        let equipmentClass = reader.value("class", .identifier, required: true, issues: &issues)
        let minimum = reader.value(
            "min_units",
            .integer(in: 1...100_000, expectation: "a whole number of units from 1 to 100,000"),
            required: true,
            issues: &issues
        )
        let discount = reader.value("discount", .discountFraction, required: true, issues: &issues)
        guard let supplier, let equipmentClass, let minimum, let discount else { return nil }
        return Tier(
            supplier: SupplierName(supplier),
            equipmentClass: EquipmentClassName(equipmentClass),
            minimumUnits: minimum,
            discount: discount
        )
    }

    private static func parseBudget(_ reader: FieldReader, _ issues: inout InputIssues) -> Budget? {
        let trust = reader.value("trust", .identifier, required: true, issues: &issues)
        let budgetYear = reader.value("year", year, required: true, issues: &issues)
        // Either budget may be empty: no limit that year.
        let capital = reader.value("capital_budget_gbp", .money, issues: &issues)
        let revenue = reader.value(revenueBudgetColumn, .money, issues: &issues)
        let malformed = ["capital_budget_gbp", revenueBudgetColumn].contains {
            reader.text($0) != nil && ($0 == revenueBudgetColumn ? revenue == nil : capital == nil)
        }
        guard let trust, let budgetYear, !malformed else { return nil }
        return Budget(
            trust: TrustName(trust),
            year: budgetYear,
            capitalBudgetGBP: capital,
            revenueBudgetGBP: revenue
        )
    }

    private static func readSettings(at url: URL) throws -> (ScenarioSettings, [String: Int]) {
        let file = url.relativePath
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileFailure(
                path: file,
                reason: "is missing; expected base_year, horizon_years, appraisal_years and discount_rate",
                exitCode: .invalidInput
            )
        }
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw FileFailure(
                path: file,
                reason: "cannot be read (\(error.localizedDescription))",
                exitCode: .invalidInput
            )
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw InvalidInput(
                InputIssue(
                    file: file,
                    line: error.source.begin.line,
                    problem: "is not valid TOML at column \(error.source.begin.column) (\(error.description))"
                )
            )
        }
        var issues = InputIssues()
        let known = [
            "base_year", "horizon_years", "appraisal_years", "discount_rate", "lease_discount_rate",
            "outsourcing_gbp_per_scan", "mobile_relocation_loss",
        ]
        let lines = keyLines(text, keys: Set(table.keys).union(known))
        for key in table.keys where !known.contains(key) {
            issues.append(
                InputIssue(
                    file: file,
                    line: lines[key],
                    column: key,
                    value: table[key]?.debugDescription,
                    problem: "is not a scenario setting; expected only \(known.joined(separator: ", "))"
                )
            )
        }
        func integer(_ key: String, _ range: ClosedRange<Int>, _ expectation: String) -> Int? {
            guard let value = table[key] else {
                issues.append(
                    InputIssue(file: file, line: nil, column: key, problem: "is missing; expected \(expectation)")
                )
                return nil
            }
            guard let number = value.int, range.contains(number) else {
                issues.append(
                    InputIssue(
                        file: file,
                        line: lines[key],
                        column: key,
                        value: value.debugDescription,
                        problem: "is not valid; expected \(expectation)"
                    )
                )
                return nil
            }
            return number
        }
        let baseYear = integer("base_year", 1900...2200, "a year from 1900 to 2200")
        let horizon = integer("horizon_years", 1...50, "a whole number of years from 1 to 50")
        let appraisal = integer("appraisal_years", 1...100, "a whole number of years from 1 to 100")
        func rate(_ key: String) -> Double? {
            guard let value = table[key] else { return nil }
            if let number = value.double ?? value.int.map(Double.init), number >= 0, number < 1 { return number }
            issues.append(
                InputIssue(
                    file: file,
                    line: lines[key],
                    column: key,
                    value: value.debugDescription,
                    problem: "is not valid; expected a fraction from 0 up to (not including) 1, such as 0.035"
                )
            )
            return nil
        }
        func fraction(_ key: String, _ range: ClosedRange<Double>, _ expectation: String) -> Double? {
            guard let value = table[key] else { return nil }
            guard let number = value.double ?? value.int.map(Double.init), number.isFinite, range.contains(number)
            else {
                issues.append(
                    InputIssue(
                        file: file,
                        line: lines[key],
                        column: key,
                        value: value.debugDescription,
                        problem: "is not valid; expected \(expectation)"
                    )
                )
                return nil
            }
            return number
        }
        let outsourcing = fraction("outsourcing_gbp_per_scan", 0...100_000, "pounds a scan from 0 to 100,000")
        let loss = fraction("mobile_relocation_loss", 0...0.99, "a fraction from 0 up to 0.99, such as 0.14")
        let discountRate = rate("discount_rate") ?? ScenarioSettings.greenBookDiscountRate
        let leaseRate = rate("lease_discount_rate")
        try issues.throwIfAny()
        guard let baseYear, let horizon, let appraisal else { throw InvalidInput(issues: issues.issues) }
        return (
            ScenarioSettings(
                baseYear: baseYear,
                horizonYears: horizon,
                appraisalYears: appraisal,
                discountRate: discountRate,
                leaseDiscountRate: leaseRate,
                outsourcingGBPPerScan: outsourcing.map(GBP.init),
                mobileRelocationLoss: loss ?? 0
            ),
            lines
        )
    }

    /// The line where each of `keys` is set at the top level of `text`, for those it sets.
    private static func keyLines(_ text: String, keys: Set<String>) -> [String: Int] {
        let locator = TOMLKeyLocator(text: text)
        return Dictionary(uniqueKeysWithValues: keys.compactMap { key in locator.line(of: [key]).map { (key, $0) } })
    }
}

extension Field where Value == Double {
    /// A discount as a fraction in [0, 1) (0.08), or as a percentage with a `%` sign (8%).
    static var discountFraction: Field<Double> {
        let expectation = "a fraction from 0 up to (not including) 1, such as 0.08, or a percentage such as 8%"
        return Field(expectation: expectation) { text, convention in
            var body = text
            var scale = 1.0
            if body.hasSuffix("%") {
                body.removeLast()
                scale = 0.01
            }
            guard let value = NumberParsing.parse(body, convention: convention, allowCurrency: false) else {
                return .failure(FieldProblem("is not a number; expected \(expectation)"))
            }
            let fraction = value * scale
            guard fraction >= 0, fraction < 1 else {
                return .failure(FieldProblem("is outside [0, 1); expected \(expectation)"))
            }
            return .success(fraction == 0 ? 0 : fraction)
        }
    }
}
