import FleetCore

/// The checks a scenario must pass beyond each value being well formed: years inside the horizon, windows that
/// hold their preferred year, unique records, and files that agree with each other.
struct ScenarioValidation {
    /// The file names used in messages.
    struct FileNames {
        var settings = ScenarioFiles.settingsFile
        var replacements = ScenarioFiles.replacementsFile
        var offers = ScenarioFiles.offersFile
        var tiers = ScenarioFiles.tiersFile
        var budgets = ScenarioFiles.budgetsFile
        var capacity = ScenarioFiles.capacityFile
        var classes = ScenarioFiles.classesFile
    }

    /// The line of each record in its file, in record order, and of each setting.
    struct Lines {
        var settings: [String: Int]
        var replacements: [Int]
        var offers: [Int]
        var tiers: [Int]
        var budgets: [Int]
        var capacity: [Int] = []
        var classes: [Int] = []

        /// The lines the records have once ``ScenarioFiles/write(_:to:)`` writes them: the header on line 1.
        static func asWritten(_ scenario: Scenario) -> Lines {
            Lines(
                settings: ScenarioFiles.lineOfEachSetting(scenario.settings),
                replacements: scenario.replacements.indices.map { $0 + 2 },
                offers: scenario.offers.indices.map { $0 + 2 },
                tiers: scenario.tiers.indices.map { $0 + 2 },
                budgets: scenario.budgets.indices.map { $0 + 2 },
                capacity: scenario.capacity.indices.map { $0 + 2 },
                classes: scenario.classes.indices.map { $0 + 2 }
            )
        }
    }

    let scenario: Scenario
    let lines: Lines
    var files = FileNames()

    init(scenario: Scenario, lines: Lines, files: FileNames = FileNames()) {
        self.scenario = scenario
        self.lines = lines
        self.files = files
    }

    /// - Throws: ``InvalidInput`` with every problem, file by file in the order the files are read.
    func check() throws(InvalidInput) {
        var issues: [InputIssue] = []
        checkSettings(&issues)
        checkReplacements(&issues)
        checkOffersAndTiers(&issues)
        checkBudgets(&issues)
        checkCapacity(&issues)
        guard !issues.isEmpty else { return }
        let order = [
            files.settings, files.replacements, files.offers, files.tiers, files.budgets, files.capacity, files.classes,
        ]
        let sorted = issues.enumerated().sorted { a, b in
            let fileA = order.firstIndex(of: a.element.file) ?? 0
            let fileB = order.firstIndex(of: b.element.file) ?? 0
            return (fileA, a.element.line ?? 0, a.offset) < (fileB, b.element.line ?? 0, b.offset)
        }.map(\.element)
        throw InvalidInput(
            issues: Array(sorted.prefix(InputIssues.cap)),
            omittedCount: max(0, sorted.count - InputIssues.cap)
        )
    }

    var years: ClosedRange<Int> { scenario.settings.decisionYears }

    var yearsText: String {
        "a decision year from \(years.lowerBound) to \(years.upperBound) (base_year \(scenario.settings.baseYear), "
            + "horizon_years \(scenario.settings.horizonYears))"
    }

    private func checkSettings(_ issues: inout [InputIssue]) {
        let settings = scenario.settings
        func report(_ key: String, _ value: String, _ problem: String) {
            issues.append(
                InputIssue(file: files.settings, line: lines.settings[key], column: key, value: value, problem: problem)
            )
        }
        if !(1900...2200).contains(settings.baseYear) {
            report("base_year", String(settings.baseYear), "is not valid; expected a year from 1900 to 2200")
        }
        if !(1...50).contains(settings.horizonYears) {
            report(
                "horizon_years",
                String(settings.horizonYears),
                "is not valid; expected a whole number of years from 1 to 50"
            )
        }
        if !(1...100).contains(settings.appraisalYears) {
            report(
                "appraisal_years",
                String(settings.appraisalYears),
                "is not valid; expected a whole number of years from 1 to 100"
            )
        }
        if !(settings.discountRate >= 0 && settings.discountRate < 1) {
            report(
                "discount_rate",
                "\(settings.discountRate)",
                "is not valid; expected a fraction from 0 up to (not including) 1, such as 0.035"
            )
        }
        if let rate = settings.leaseDiscountRateSetting, !(rate >= 0 && rate < 1) {
            report(
                "lease_discount_rate",
                "\(rate)",
                "is not valid; expected a fraction from 0 up to (not including) 1, such as 0.035"
            )
        }
    }

    private func checkReplacements(_ issues: inout [InputIssue]) {
        let offeredClasses = Set(scenario.offers.map(\.equipmentClass))
        var firstLineOfAsset: [AssetID: Int] = [:]
        for (index, replacement) in scenario.replacements.enumerated() {
            let line = lines.replacements[index]
            func report(_ column: String, _ value: String, _ problem: String) {
                issues.append(
                    InputIssue(file: files.replacements, line: line, column: column, value: value, problem: problem)
                )
            }
            if let first = firstLineOfAsset[replacement.assetID] {
                report(
                    "asset_id",
                    replacement.assetID.rawValue,
                    "appears again; it was first listed on line \(first), and each unit is replaced once"
                )
            } else {
                firstLineOfAsset[replacement.assetID] = line
            }
            for (column, year) in [
                ("earliest_year", replacement.earliestYear), ("latest_year", replacement.latestYear),
                ("preferred_year", replacement.preferredYear),
            ] where !years.contains(year) {
                report(column, String(year), "is outside the scenario's decision years; expected \(yearsText)")
            }
            if replacement.earliestYear > replacement.latestYear {
                report(
                    "earliest_year",
                    String(replacement.earliestYear),
                    "is after latest_year \(replacement.latestYear); expected earliest_year ≤ latest_year"
                )
            } else if !replacement.window.contains(replacement.preferredYear) {
                report(
                    "preferred_year",
                    String(replacement.preferredYear),
                    "is outside the window \(replacement.earliestYear)–\(replacement.latestYear); expected "
                        + "earliest_year ≤ preferred_year ≤ latest_year"
                )
            }
            if !offeredClasses.contains(replacement.equipmentClass) {
                report(
                    "class",
                    replacement.equipmentClass.rawValue,
                    "is not offered by any supplier in \(files.offers); expected a class with at least one offer"
                )
            }
            for (column, amount) in [
                ("defer_cost_gbp_per_year", replacement.deferCostGBPPerYear),
                ("advance_cost_gbp_per_year", replacement.advanceCostGBPPerYear),
            ] where !(amount.pounds >= 0 && amount.pounds.isFinite) {
                report(column, "\(amount.pounds)", "is not valid; expected an amount in pounds of 0 or more")
            }
        }
    }

    private func checkOffersAndTiers(_ issues: inout [InputIssue]) {
        var firstLineOfOffer: [OfferKey: Int] = [:]
        for (index, offer) in scenario.offers.enumerated() {
            let line = lines.offers[index]
            let key = OfferKey(offer.supplier, offer.equipmentClass)
            if let first = firstLineOfOffer[key] {
                issues.append(
                    InputIssue(
                        file: files.offers,
                        line: line,
                        column: "class",
                        value: offer.equipmentClass.rawValue,
                        problem: "is offered again by \(offer.supplier) (first on line \(first)); expected one offer "
                            + "per supplier and class"
                    )
                )
            } else {
                firstLineOfOffer[key] = line
            }
            for (column, amount) in [
                ("unit_price_gbp", offer.unitPriceGBP), ("annual_service_gbp", offer.annualServiceGBP),
            ]
            where !(amount.pounds >= 0 && amount.pounds.isFinite) {
                issues.append(
                    InputIssue(
                        file: files.offers,
                        line: line,
                        column: column,
                        value: "\(amount.pounds)",
                        problem: "is not valid; expected an amount in pounds of 0 or more"
                    )
                )
            }
            checkRoutes(of: offer, line: line, &issues)
            if !(0...50).contains(offer.warrantyYears) {
                issues.append(
                    InputIssue(
                        file: files.offers,
                        line: line,
                        column: "warranty_years",
                        value: String(offer.warrantyYears),
                        problem: "is not valid; expected whole years from 0 to 50"
                    )
                )
            }
        }
        var firstLineOfTier: [TierKey: Int] = [:]
        var tiersByOffer: [OfferKey: [(tier: Tier, line: Int)]] = [:]
        for (index, tier) in scenario.tiers.enumerated() {
            let line = lines.tiers[index]
            let key = OfferKey(tier.supplier, tier.equipmentClass)
            guard firstLineOfOffer[key] != nil else {
                issues.append(
                    InputIssue(
                        file: files.tiers,
                        line: line,
                        column: "class",
                        value: tier.equipmentClass.rawValue,
                        problem: "has a tier but \(tier.supplier) makes no offer for it in \(files.offers); expected "
                            + "tiers only for offers"
                    )
                )
                continue
            }
            if !(tier.minimumUnits >= 1) {
                issues.append(
                    InputIssue(
                        file: files.tiers,
                        line: line,
                        column: "min_units",
                        value: String(tier.minimumUnits),
                        problem: "is not valid; expected a whole number of units of 1 or more"
                    )
                )
                continue
            }
            if !(tier.discount >= 0 && tier.discount < 1) {
                issues.append(
                    InputIssue(
                        file: files.tiers,
                        line: line,
                        column: "discount",
                        value: "\(tier.discount)",
                        problem: "is outside [0, 1); expected a fraction such as 0.08 for 8 %"
                    )
                )
                continue
            }
            let tierKey = TierKey(offer: key, minimumUnits: tier.minimumUnits)
            if let first = firstLineOfTier[tierKey] {
                issues.append(
                    InputIssue(
                        file: files.tiers,
                        line: line,
                        column: "min_units",
                        value: String(tier.minimumUnits),
                        problem: "repeats the tier of line \(first) for \(key); expected one discount per minimum"
                    )
                )
                continue
            }
            firstLineOfTier[tierKey] = line
            tiersByOffer[key, default: []].append((tier, line))
        }
        // All-units discounts must not fall as orders grow, or buying more would raise the price of every unit.
        for (key, tiers) in tiersByOffer {
            let sorted = tiers.sorted { $0.tier.minimumUnits < $1.tier.minimumUnits }
            var best = (discount: 0.0, minimum: 1)
            for (tier, line) in sorted {
                if tier.discount < best.discount {
                    issues.append(
                        InputIssue(
                            file: files.tiers,
                            line: line,
                            column: "discount",
                            value: "\(tier.discount)",
                            problem: "is smaller than the discount \(best.discount) for \(best.minimum) units of "
                                + "\(key); expected discounts that do not fall as orders grow"
                        )
                    )
                } else {
                    best = (tier.discount, tier.minimumUnits)
                }
            }
        }
    }

    private func checkBudgets(_ issues: inout [InputIssue]) {
        let trusts = Set(scenario.trusts)
        var firstLine: [String: Int] = [:]
        for (index, budget) in scenario.budgets.enumerated() {
            let line = lines.budgets[index]
            func report(_ column: String, _ value: String, _ problem: String) {
                issues.append(
                    InputIssue(file: files.budgets, line: line, column: column, value: value, problem: problem)
                )
            }
            if !trusts.contains(budget.trust) {
                report(
                    "trust",
                    budget.trust.rawValue,
                    scenario.capacity.isEmpty
                        ? "has no replacements in \(files.replacements); expected the name of a trust listed there"
                        : "has no replacements in \(files.replacements) and no shortfall in \(files.capacity); "
                            + "expected the name of a trust listed there"
                )
            }
            // Capital binds only in decision years, revenue in any year of the appraisal.
            let appraisal = scenario.settings.appraisalYearRange
            if !appraisal.contains(budget.year) {
                report(
                    "year",
                    String(budget.year),
                    "is outside the scenario's appraisal years; expected a year from \(appraisal.lowerBound) to "
                        + "\(appraisal.upperBound) (base_year \(scenario.settings.baseYear), appraisal_years "
                        + "\(scenario.settings.appraisalYears))"
                )
            }
            for (column, amount) in [
                ("capital_budget_gbp", budget.capitalBudgetGBP),
                (ScenarioFiles.revenueBudgetColumn, budget.revenueBudgetGBP),
            ] {
                if let amount, !(amount.pounds >= 0 && amount.pounds.isFinite) {
                    report(column, "\(amount.pounds)", "is not valid; expected an amount in pounds of 0 or more")
                }
            }
            let key = "\(budget.trust.rawValue)\u{0}\(budget.year)"
            if let first = firstLine[key] {
                report(
                    "year",
                    String(budget.year),
                    "repeats the budget of line \(first) for \(budget.trust); expected one budget per trust and year"
                )
            } else {
                firstLine[key] = line
            }
        }
    }
}

extension ScenarioValidation {
    /// The lease and managed service terms of `offer`, as the readers would check them.
    fileprivate func checkRoutes(of offer: Offer, line: Int, _ issues: inout [InputIssue]) {
        func report(_ column: String, _ value: String, _ problem: String) {
            issues.append(InputIssue(file: files.offers, line: line, column: column, value: value, problem: problem))
        }
        if let lease = offer.lease {
            if !(lease.annualRentalGBP.pounds >= 0 && lease.annualRentalGBP.pounds.isFinite) {
                report(
                    "lease_annual_gbp",
                    "\(lease.annualRentalGBP.pounds)",
                    "is not valid; expected an amount in pounds of 0 or more"
                )
            }
            if !(1...50).contains(lease.years) {
                report("lease_years", String(lease.years), "is not valid; expected whole years from 1 to 50")
            }
        }
        if let service = offer.managedService {
            if !(service.annualFeeGBP.pounds >= 0 && service.annualFeeGBP.pounds.isFinite) {
                report(
                    "mes_annual_gbp",
                    "\(service.annualFeeGBP.pounds)",
                    "is not valid; expected an amount in pounds of 0 or more"
                )
            }
            if !(1...50).contains(service.years) {
                report("mes_years", String(service.years), "is not valid; expected whole years from 1 to 50")
            }
            if !(service.equipmentShare >= 0 && service.equipmentShare <= 1) {
                report(
                    "mes_equipment_share",
                    "\(service.equipmentShare)",
                    "is not valid; expected a fraction from 0 to 1"
                )
            }
        }
        if offer.fundingRoutes.isEmpty {
            report("class", offer.equipmentClass.rawValue, "has no funding route left; expected at least one")
        }
    }
}

/// An offer and a minimum order: the key of a tier.
private struct TierKey: Hashable {
    var offer: OfferKey
    var minimumUnits: Int
}
