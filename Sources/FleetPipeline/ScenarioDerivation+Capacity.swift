import FleetCore
import FleetProcurement
import Foundation

extension ScenarioDerivation {
    /// `derived` with capacity cover and site continuity (spec: "Capacity and additional units", "Site
    /// continuity") from the register's `assets` and `utilisation` under `settings`:
    ///
    /// - `capacity.csv`: each trust's shortfall of each planned modality in each decision year
    ///   (``CapacityPlanning``, by trust), rounded up to a whole scan, and the last decision year's again in each
    ///   later year of the appraisal (an added unit's costs run to its end); a trust and modality whose demand is
    ///   unknown (a unit without feed) is left out and named.
    /// - `classes.csv`: for each modality short, its fixed and mobile addition classes, and the classes of its
    ///   replacements, each with one unit's capacity (scans an hour × planned hours × target utilisation).
    /// - The offers and tiers of the addition classes join the scenario's.
    /// - Each replacement of a planned modality carries its site, the site's units of the modality in service,
    ///   and where that is one unit, the cover: installation weeks × weekly mobile hire.
    /// - `scenario.toml` carries the outsourcing price a scan and the mobile relocation loss.
    public static func addingCapacity(
        to derived: DerivedScenario,
        assets: [Asset],
        utilisation: [UtilisationRecord],
        asOf: Day,
        settings: CapacitySettings,
        equipment: EquipmentCatalog,
        catalog: ProcurementCatalog
    ) -> DerivedScenario {
        var scenario = derived.scenario
        var leftOut = derived.leftOut
        let analysis = CapacityPlanning.analyse(
            assets: assets,
            utilisation: utilisation,
            asOf: asOf,
            years: scenario.settings.decisionYears,
            settings: settings,
            equipment: equipment,
            by: .trust
        )
        var unknown: Set<String> = []
        for row in analysis.rows {
            guard let trust = row.trust else { continue }
            guard let shortfall = row.shortfallScans else {
                let key = "\(trust)\u{0}\(row.modality)"
                if unknown.insert(key).inserted {
                    leftOut.append(
                        "\(row.modality) capacity of \(trust): demand unknown, no feed in "
                            + "\(analysis.window.lowerBound)–\(analysis.window.upperBound) for "
                            + row.missingFeed.map(\.rawValue).joined(separator: ", ")
                            + "; its shortfall is not planned"
                    )
                }
                continue
            }
            guard shortfall > 1e-3 else { continue }
            // Up to a whole scan, once the last bits of floating-point growth are rounded off.
            let scans = ((shortfall * 1e6).rounded() / 1e6).rounded(.up)
            // After the decision years the shortfall holds at the last one's, to the end of the appraisal: a unit
            // added costs to then, so it covers to then; demand growth is not extrapolated further.
            let years =
                row.year == scenario.settings.decisionYears.upperBound
                ? row.year...scenario.settings.appraisalYearRange.upperBound : row.year...row.year
            for year in years {
                scenario.capacity.append(
                    CapacityShortfall(trust: trust, modality: row.modality, year: year, shortfallScans: scans)
                )
            }
        }
        // Site continuity and cover, for the replacements of the planned modalities.
        var unitsAtSite: [String: Int] = [:]
        var siteOfAsset: [AssetID: Asset] = [:]
        for asset in assets {
            siteOfAsset[asset.id] = asset
            guard asset.status == .inService else { continue }
            unitsAtSite["\(asset.trust)\u{0}\(asset.site)\u{0}\(asset.modality)", default: 0] += 1
        }
        var replacementClasses: [Modality: Set<EquipmentClassName>] = [:]
        for index in scenario.replacements.indices {
            let replacement = scenario.replacements[index]
            guard let asset = siteOfAsset[replacement.assetID], let planned = settings.modalities[asset.modality]
            else { continue }
            let units = unitsAtSite["\(asset.trust)\u{0}\(asset.site)\u{0}\(asset.modality)"] ?? 1
            scenario.replacements[index].site = asset.site
            scenario.replacements[index].siteUnits = units
            scenario.replacements[index].coverCostGBP = units == 1 ? pennies(planned.coverCostGBP) : .zero
            replacementClasses[asset.modality, default: []].insert(replacement.equipmentClass)
        }
        // The classes: additions of each modality short, and the replacements' classes (site continuity needs
        // their modality).
        let short = Set(scenario.capacity.map(\.modality))
        var listed: Set<EquipmentClassName> = []
        for modality in settings.plannedModalities {
            let planned = settings.modalities[modality]!
            var names = replacementClasses[modality, default: []].sorted()
            if short.contains(modality) { names = [planned.fixedClass, planned.mobileClass] + names }
            for name in names where !listed.contains(name) {
                guard let equipmentClass = equipment.equipmentClass(named: name),
                    let capacity = settings.capacityPerUnit(
                        scansPerHour: equipmentClass.scansPerHour,
                        modality: modality
                    )
                else { continue }
                listed.insert(name)
                scenario.classes.append(
                    CapacityClass(
                        equipmentClass: name,
                        modality: modality,
                        capacityScansPerYear: capacity,
                        isMobile: short.contains(modality) && name == planned.mobileClass
                    )
                )
            }
        }
        let offered = Set(scenario.offers.map(\.equipmentClass))
        let added = Set(scenario.classes.map(\.equipmentClass)).subtracting(offered)
        scenario.offers += catalog.offers.filter { added.contains($0.equipmentClass) }
        scenario.tiers += catalog.tiers.filter { added.contains($0.equipmentClass) }
        if !scenario.capacity.isEmpty {
            scenario.settings.outsourcingGBPPerScan = settings.outsourcingGBPPerScan
            scenario.settings.mobileRelocationLoss = settings.mobileRelocationLoss
        }
        return DerivedScenario(scenario: scenario, leftOut: leftOut)
    }

    private static func pennies(_ amount: GBP) -> GBP { GBP((amount.pounds * 100).rounded() / 100) }
}

extension DerivedScenario {
    /// A derived scenario of given parts (tests, and steps that add to a derivation).
    public init(_ scenario: Scenario, leftOut: [String] = []) {
        self.scenario = scenario
        self.leftOut = leftOut
    }
}
