import FleetCore
import Foundation
import TOMLKit

/// The capacity settings of `Catalog/capacity.toml` (spec: "Capacity and additional units", "Site continuity"):
/// demand growth and planned hours per modality, the target utilisation, the classes added, the mobile units'
/// relocation loss, outsourcing's price a scan and the cover hired while a single unit is replaced.
public struct CapacitySettings: Hashable, Sendable {
    /// The file name inside the catalog folder.
    public static let fileName = "capacity.toml"

    /// The share of planned hours a unit is planned to be used, as a fraction.
    public var targetUtilisation: Double
    /// The share of a mobile unit's capacity lost to moving between sites, as a fraction.
    public var mobileRelocationLoss: Double
    /// What an outsourced scan costs, in pounds.
    public var outsourcingGBPPerScan: GBP
    /// The settings of each modality planned for capacity; a modality without any is not planned.
    public var modalities: [Modality: ModalityCapacity]

    /// Settings with every figure given.
    public init(
        targetUtilisation: Double,
        mobileRelocationLoss: Double,
        outsourcingGBPPerScan: GBP,
        modalities: [Modality: ModalityCapacity]
    ) {
        self.targetUtilisation = targetUtilisation
        self.mobileRelocationLoss = mobileRelocationLoss
        self.outsourcingGBPPerScan = outsourcingGBPPerScan
        self.modalities = modalities
    }

    /// The modalities planned for capacity, in the register's order.
    public var plannedModalities: [Modality] { Modality.allCases.filter { modalities[$0] != nil } }

    /// Scans a year one unit of a class scanning `scansPerHour` gives for `modality`: scans an hour × planned
    /// hours × target utilisation; nil when the modality is not planned.
    public func capacityPerUnit(scansPerHour: Double, modality: Modality) -> Double? {
        guard let planned = modalities[modality] else { return nil }
        return scansPerHour * planned.plannedHoursPerYear * targetUtilisation
    }

    /// Reads `capacity.toml` from a catalog folder and checks that its classes are in `equipment`.
    /// - Throws: ``FileFailure`` (exit 2) when it cannot be read, ``InvalidInput`` naming file, line, key and value.
    public static func load(fromCatalog folder: URL, equipment: EquipmentCatalog) throws -> CapacitySettings {
        let url = folder.appendingPathComponent(fileName)
        return try parse(toml: SettingsFiles.readText(url), file: url.relativePath, equipment: equipment)
    }

    /// Reads the text of a `capacity.toml`. Every key is required and unknown keys are refused; with `equipment`,
    /// each class named must be one of its classes, of the table's modality.
    /// - Throws: ``InvalidInput`` naming the file, line, key and value of every problem.
    public static func parse(
        toml text: String,
        file: String,
        equipment: EquipmentCatalog? = nil
    ) throws(InvalidInput) -> CapacitySettings {
        let document = try SettingsReader.document(text, file: file)
        var reader = SettingsReader(file: file, text: text)
        reader.rejectUnknownKeys(
            in: document,
            at: [],
            known: ["target_utilisation", "mobile_relocation_loss", "outsourcing_gbp_per_scan", "modality"]
        )
        let utilisation = reader.number(
            in: document,
            ["target_utilisation"],
            range: 0.01...1,
            expectation: "a fraction above 0 up to 1, such as 0.85"
        )
        let loss = reader.number(
            in: document,
            ["mobile_relocation_loss"],
            range: 0...0.99,
            expectation: "a fraction from 0 up to 0.99, such as 0.14"
        )
        let outsourcing = reader.number(
            in: document,
            ["outsourcing_gbp_per_scan"],
            range: 0...100_000,
            expectation: "pounds a scan from 0 to 100,000"
        )
        var modalities: [Modality: ModalityCapacity] = [:]
        if let tables = reader.table(in: document, ["modality"]) {
            for key in tables.keys.sorted() {
                let path = ["modality", key]
                guard let modality = Modality(rawValue: key) else {
                    reader.report(
                        path,
                        value: nil,
                        "is not a modality code; expected one of "
                            + Modality.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                    continue
                }
                guard let table = reader.table(in: tables, path) else { continue }
                if let read = readModality(table, path, modality, equipment, &reader) { modalities[modality] = read }
            }
        }
        try reader.issues.throwIfAny()
        guard let utilisation, let loss, let outsourcing else {
            throw InvalidInput(InputIssue(file: file, line: nil, problem: "could not be read"))
        }
        return CapacitySettings(
            targetUtilisation: utilisation,
            mobileRelocationLoss: loss,
            outsourcingGBPPerScan: GBP(outsourcing),
            modalities: modalities
        )
    }

    private static func readModality(
        _ table: TOMLTable,
        _ path: [String],
        _ modality: Modality,
        _ equipment: EquipmentCatalog?,
        _ reader: inout SettingsReader
    ) -> ModalityCapacity? {
        reader.rejectUnknownKeys(
            in: table,
            at: path,
            known: [
                "growth", "planned_hours_per_year", "fixed_class", "mobile_class", "installation_weeks",
                "weekly_mobile_hire_gbp",
            ]
        )
        let growth = reader.number(
            in: table,
            path + ["growth"],
            range: -0.5...1,
            expectation: "a fraction a year from -0.5 to 1, such as 0.10"
        )
        let hours = reader.number(
            in: table,
            path + ["planned_hours_per_year"],
            range: 1...8784,
            expectation: "hours a year from 1 to 8,784"
        )
        func className(_ key: String) -> EquipmentClassName? {
            guard let text = reader.string(in: table, path + [key], expectation: "a class of equipment-classes.csv")
            else { return nil }
            let name = EquipmentClassName(text)
            if let equipment {
                guard let known = equipment.equipmentClass(named: name) else {
                    reader.report(path + [key], value: text, "is not a class of \(EquipmentCatalog.fileName)")
                    return nil
                }
                guard known.modality == modality else {
                    reader.report(
                        path + [key],
                        value: text,
                        "is a \(known.modality) class; expected a \(modality) class of \(EquipmentCatalog.fileName)"
                    )
                    return nil
                }
            }
            return name
        }
        let fixed = className("fixed_class")
        let mobile = className("mobile_class")
        let weeks = reader.number(
            in: table,
            path + ["installation_weeks"],
            range: 0...104,
            expectation: "weeks from 0 to 104"
        )
        let hire = reader.number(
            in: table,
            path + ["weekly_mobile_hire_gbp"],
            range: 0...10_000_000,
            expectation: "pounds a week from 0 to 10,000,000"
        )
        guard let growth, let hours, let fixed, let mobile, let weeks, let hire else { return nil }
        return ModalityCapacity(
            growth: growth,
            plannedHoursPerYear: hours,
            fixedClass: fixed,
            mobileClass: mobile,
            installationWeeks: weeks,
            weeklyMobileHireGBP: GBP(hire)
        )
    }
}

/// The capacity settings of one modality (`[modality.CT]` in `capacity.toml`).
public struct ModalityCapacity: Hashable, Sendable {
    /// Demand growth a year, as a fraction (0.10 for 10 %).
    public var growth: Double
    /// Hours a unit is planned to scan in a year.
    public var plannedHoursPerYear: Double
    /// The class of a fixed unit added at a trust.
    public var fixedClass: EquipmentClassName
    /// The class of a mobile unit shared between trusts.
    public var mobileClass: EquipmentClassName
    /// Weeks a replacement keeps its unit out of use.
    public var installationWeeks: Double
    /// Hiring a mobile unit as cover, in pounds a week.
    public var weeklyMobileHireGBP: GBP

    /// Settings with every figure given.
    public init(
        growth: Double,
        plannedHoursPerYear: Double,
        fixedClass: EquipmentClassName,
        mobileClass: EquipmentClassName,
        installationWeeks: Double,
        weeklyMobileHireGBP: GBP
    ) {
        self.growth = growth
        self.plannedHoursPerYear = plannedHoursPerYear
        self.fixedClass = fixedClass
        self.mobileClass = mobileClass
        self.installationWeeks = installationWeeks
        self.weeklyMobileHireGBP = weeklyMobileHireGBP
    }

    /// The cover a replacement at a site with one unit of the modality needs: installation weeks × weekly hire.
    public var coverCostGBP: GBP { weeklyMobileHireGBP * installationWeeks }
}
