import FleetCore

/// The checks of capacity cover and site continuity: `capacity.csv`, `classes.csv`, the capacity settings of
/// `scenario.toml` and the site columns of `replacements.csv`.
extension ScenarioValidation {
    func checkCapacity(_ issues: inout [InputIssue]) {
        checkCapacitySettings(&issues)
        checkSites(&issues)
        checkShortfalls(&issues)
        checkClasses(&issues)
    }

    private func checkCapacitySettings(_ issues: inout [InputIssue]) {
        let settings = scenario.settings
        if let price = settings.outsourcingGBPPerScan, !(price.pounds >= 0 && price.pounds.isFinite) {
            issues.append(
                InputIssue(
                    file: files.settings,
                    line: lines.settings["outsourcing_gbp_per_scan"],
                    column: "outsourcing_gbp_per_scan",
                    value: "\(price.pounds)",
                    problem: "is not valid; expected pounds a scan from 0 to 100,000"
                )
            )
        }
        if !(settings.mobileRelocationLoss >= 0 && settings.mobileRelocationLoss <= 0.99) {
            issues.append(
                InputIssue(
                    file: files.settings,
                    line: lines.settings["mobile_relocation_loss"],
                    column: "mobile_relocation_loss",
                    value: "\(settings.mobileRelocationLoss)",
                    problem: "is not valid; expected a fraction from 0 up to 0.99, such as 0.14"
                )
            )
        }
        if !scenario.capacity.isEmpty, settings.outsourcingGBPPerScan == nil {
            issues.append(
                InputIssue(
                    file: files.settings,
                    line: nil,
                    column: "outsourcing_gbp_per_scan",
                    problem: "is missing; expected pounds a scan, which \(files.capacity)'s shortfalls need "
                        + "(a scan no unit gives is bought from an outsourcing provider)"
                )
            )
        }
    }

    private func checkSites(_ issues: inout [InputIssue]) {
        let modalities = scenario.modalityOfClass
        var firstOfSite: [String: (units: Int, line: Int)] = [:]
        for (index, replacement) in scenario.replacements.enumerated() {
            let line = lines.replacements[index]
            func report(_ column: String, _ value: String, _ problem: String) {
                issues.append(
                    InputIssue(file: files.replacements, line: line, column: column, value: value, problem: problem)
                )
            }
            if !(replacement.coverCostGBP.pounds >= 0 && replacement.coverCostGBP.pounds.isFinite) {
                report("cover_cost_gbp", "\(replacement.coverCostGBP.pounds)", "is not valid; expected 0 or more")
            }
            guard let units = replacement.siteUnits else { continue }
            guard units >= 1 else {
                report("site_units", String(units), "is not valid; expected a whole number of units of 1 or more")
                continue
            }
            guard let site = replacement.site else {
                report(
                    "site_units",
                    String(units),
                    "is given without a site; expected the site's name in the site column"
                )
                continue
            }
            guard units >= 2 else { continue }
            guard let modality = modalities[replacement.equipmentClass] else {
                report(
                    "class",
                    replacement.equipmentClass.rawValue,
                    "is not in \(files.classes); expected its modality there, which site continuity "
                        + "(site_units \(units)) needs"
                )
                continue
            }
            let key = "\(replacement.trust.rawValue)\u{0}\(site.rawValue)\u{0}\(modality.rawValue)"
            if let first = firstOfSite[key], first.units != units {
                report(
                    "site_units",
                    String(units),
                    "differs from the \(first.units) of line \(first.line) for \(site) (\(modality)); expected one "
                        + "count of the site's units of a modality"
                )
            } else if firstOfSite[key] == nil {
                firstOfSite[key] = (units, line)
            }
        }
    }

    private func checkShortfalls(_ issues: inout [InputIssue]) {
        var firstLine: [String: Int] = [:]
        for (index, shortfall) in scenario.capacity.enumerated() {
            let line = lines.capacity[index]
            func report(_ column: String, _ value: String, _ problem: String) {
                issues.append(
                    InputIssue(file: files.capacity, line: line, column: column, value: value, problem: problem)
                )
            }
            // A unit bought in a decision year costs to the end of the appraisal, so its shortfalls may run there.
            let appraisal = scenario.settings.appraisalYearRange
            if !appraisal.contains(shortfall.year) {
                report(
                    "year",
                    String(shortfall.year),
                    "is outside the scenario's appraisal years; expected a year from \(appraisal.lowerBound) to "
                        + "\(appraisal.upperBound) (base_year \(scenario.settings.baseYear), appraisal_years "
                        + "\(scenario.settings.appraisalYears))"
                )
            }
            if !(shortfall.shortfallScans >= 0 && shortfall.shortfallScans.isFinite) {
                report("shortfall_scans", "\(shortfall.shortfallScans)", "is not valid; expected 0 or more scans")
            }
            let key = "\(shortfall.trust.rawValue)\u{0}\(shortfall.modality.rawValue)\u{0}\(shortfall.year)"
            if let first = firstLine[key] {
                report(
                    "year",
                    String(shortfall.year),
                    "repeats the shortfall of line \(first) for \(shortfall.trust) (\(shortfall.modality)); expected "
                        + "one row per trust, modality and year"
                )
            } else {
                firstLine[key] = line
            }
        }
    }

    private func checkClasses(_ issues: inout [InputIssue]) {
        var firstLine: [EquipmentClassName: Int] = [:]
        for (index, entry) in scenario.classes.enumerated() {
            let line = lines.classes[index]
            if let first = firstLine[entry.equipmentClass] {
                issues.append(
                    InputIssue(
                        file: files.classes,
                        line: line,
                        column: "class",
                        value: entry.equipmentClass.rawValue,
                        problem: "appears again (first on line \(first)); expected one row per class"
                    )
                )
            } else {
                firstLine[entry.equipmentClass] = line
            }
            if !(entry.capacityScansPerYear > 0 && entry.capacityScansPerYear.isFinite) {
                issues.append(
                    InputIssue(
                        file: files.classes,
                        line: line,
                        column: "capacity_scans_per_year",
                        value: "\(entry.capacityScansPerYear)",
                        problem: "is not valid; expected scans a year above 0"
                    )
                )
            }
        }
    }
}
