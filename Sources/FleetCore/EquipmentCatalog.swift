import Foundation

/// Reference figures for one class of equipment, from `Catalog/equipment-classes.csv`.
public struct EquipmentClass: Hashable, Sendable, Codable {
    /// The class name, for example `CT-128`.
    public var name: EquipmentClassName
    /// Its modality.
    public var modality: Modality
    /// Expected life in years at typical use (the replacement window opens here).
    public var expectedLifeYears: Double
    /// The longest a unit of this class should stay in service, in years (a band rule fires past it).
    public var maximumLifeYears: Double
    /// Indicative replacement cost in pounds, including installation.
    public var replacementCostGBP: GBP
    /// Indicative annual service contract in pounds a year.
    public var annualServiceCostGBP: GBP
    /// Examinations an hour a unit can perform, for capacity.
    public var scansPerHour: Double
    /// The public source of these figures.
    public var source: String

    /// A class with every figure given.
    public init(
        name: EquipmentClassName,
        modality: Modality,
        expectedLifeYears: Double,
        maximumLifeYears: Double,
        replacementCostGBP: GBP,
        annualServiceCostGBP: GBP,
        scansPerHour: Double,
        source: String
    ) {
        self.name = name
        self.modality = modality
        self.expectedLifeYears = expectedLifeYears
        self.maximumLifeYears = maximumLifeYears
        self.replacementCostGBP = replacementCostGBP
        self.annualServiceCostGBP = annualServiceCostGBP
        self.scansPerHour = scansPerHour
        self.source = source
    }
}

/// The equipment classes of the catalog, looked up by name, with a default class per modality for register
/// rows that name none.
public struct EquipmentCatalog: Sendable {
    /// The catalog file name inside the catalog folder.
    public static let fileName = "equipment-classes.csv"

    /// Every class in file order.
    public let classes: [EquipmentClass]
    private let byName: [EquipmentClassName: EquipmentClass]
    private let defaultByModality: [Modality: EquipmentClass]

    /// A catalog of `classes`; the first class listed for a modality is its default.
    public init(classes: [EquipmentClass]) {
        self.classes = classes
        byName = Dictionary(classes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var defaults: [Modality: EquipmentClass] = [:]
        for equipmentClass in classes where defaults[equipmentClass.modality] == nil {
            defaults[equipmentClass.modality] = equipmentClass
        }
        defaultByModality = defaults
    }

    /// The class called `name`, or nil.
    public func equipmentClass(named name: EquipmentClassName) -> EquipmentClass? { byName[name] }

    /// The class that applies to `asset`: its own class when the catalog knows it, else the modality's
    /// default; nil only when the catalog has no class of the asset's modality.
    public func equipmentClass(for asset: Asset) -> EquipmentClass? {
        if let name = asset.equipmentClass, let known = byName[name], known.modality == asset.modality { return known }
        return defaultByModality[asset.modality]
    }

    /// The default class of `modality`.
    public func defaultClass(for modality: Modality) -> EquipmentClass? { defaultByModality[modality] }

    /// Loads `equipment-classes.csv` from the catalog folder.
    /// - Throws: ``FileFailure`` when missing, ``InvalidInput`` naming line, column and value when broken.
    public static func load(from catalog: URL) throws -> EquipmentCatalog {
        let url = catalog.appendingPathComponent(fileName)
        let table = try CSV.read(contentsOf: url, displayName: url.relativePath)
        return try parse(table)
    }

    /// Reads the classes of a parsed catalog table.
    /// - Throws: ``InvalidInput`` for a missing column, a bad value or a duplicate class.
    public static func parse(_ table: InputTable) throws(InvalidInput) -> EquipmentCatalog {
        try table.requireColumns([
            "class", "modality", "expected_life_years", "maximum_life_years", "replacement_cost_gbp",
            "annual_service_cost_gbp", "scans_per_hour", "source",
        ])
        var issues = InputIssues()
        var classes: [EquipmentClass] = []
        var seen: Set<EquipmentClassName> = []
        let years = Field<Double>.number(in: 1...40, expectation: "a number of years from 1 to 40")
        for row in table.rows {
            let reader = table.reader(for: row)
            let name = reader.value("class", .identifier, required: true, issues: &issues)
            let modality = reader.value("modality", .modality, required: true, issues: &issues)
            let expected = reader.value("expected_life_years", years, required: true, issues: &issues)
            let maximum = reader.value("maximum_life_years", years, required: true, issues: &issues)
            let price = reader.value("replacement_cost_gbp", .money, required: true, issues: &issues)
            let service = reader.value("annual_service_cost_gbp", .money, required: true, issues: &issues)
            let rate = reader.value(
                "scans_per_hour",
                .number(in: 0.01...100, expectation: "scans an hour from 0.01 to 100"),
                required: true,
                issues: &issues
            )
            let source = reader.value("source", .text, required: true, issues: &issues)
            guard let name, let modality, let expected, let maximum, let price, let service, let rate, let source
            else { continue }
            if maximum < expected {
                reader.report(
                    "maximum_life_years",
                    "is less than expected_life_years (\(expected)); expected at least that",
                    issues: &issues
                )
                continue
            }
            let className = EquipmentClassName(name)
            if !seen.insert(className).inserted {
                reader.report("class", "is listed twice; expected each class once", issues: &issues)
                continue
            }
            classes.append(
                EquipmentClass(
                    name: className,
                    modality: modality,
                    expectedLifeYears: expected,
                    maximumLifeYears: maximum,
                    replacementCostGBP: price,
                    annualServiceCostGBP: service,
                    scansPerHour: rate,
                    source: source
                )
            )
        }
        try issues.throwIfAny()
        if classes.isEmpty {
            throw InvalidInput(InputIssue(file: table.file, line: nil, problem: "lists no equipment classes"))
        }
        return EquipmentCatalog(classes: classes)
    }
}
