import Dispatch
import FleetCore
import Foundation

/// The replacement-priority model: scores every in-service unit on the six criteria of the spec, bands it, works
/// out its economic life, replacement window and timing costs, and ranks the fleet. Pure: no I/O.
///
/// The feed window is the 12 calendar months ending with the month before as-of's month (as-of 2025-06-15 reads
/// 2024-06 … 2025-05), so a month is never half counted. Records are taken to be unique by (asset, month), as the
/// register keeps them.
public struct PriorityModel: Sendable {
    /// The settings (weights, mappings, bands, rules, economic-life inputs).
    public let settings: PrioritySettings
    /// The equipment classes (lives, capacity, costs).
    public let catalog: EquipmentCatalog

    private let weights: [Double]
    private let economicsByClass: [EquipmentClassName: ClassEconomics]

    /// Figures of a class that do not depend on the unit, worked out once.
    struct ClassEconomics: Sendable {
        /// The annual service contract as a share of the replacement cost.
        var serviceShare: Double
        /// The default rise in operating cost a year of age, as a share of the replacement cost: the rise that
        /// puts a unit with catalog figures at its economic life at the class's expected life.
        var riseShare: Double
        /// The minimum EAC of a new unit per pound of price, without the constant part of its operating cost.
        var newUnitEACShare: Double
    }

    /// A model over `settings` and `catalog`.
    public init(settings: PrioritySettings, catalog: EquipmentCatalog) {
        self.settings = settings
        self.catalog = catalog
        weights = Criterion.allCases.map { settings.weights[$0] ?? 0 }
        let economic = settings.economicLife
        let retention = 1 - economic.decliningBalanceRate
        var byClass: [EquipmentClassName: ClassEconomics] = [:]
        var riseByLife: [Int: (Double, Double)] = [:]
        for equipmentClass in catalog.classes {
            let life = max(1, Int(equipmentClass.expectedLifeYears.rounded()))
            let (rise, eac) =
                riseByLife[life]
                ?? {
                    let rise = EconomicLifeModel.calibratedRiseShare(
                        targetYears: life, retention: retention, interestRate: economic.discountRate,
                        maximumYears: economic.maximumYears)
                    let eac = EconomicLifeModel(
                        purchasePriceGBP: 1, resaleRetentionPerYear: retention, firstYearOperatingCostGBP: rise / 2,
                        operatingCostRiseGBPPerYear: rise, interestRate: economic.discountRate
                    ).economicLife(maximumYears: economic.maximumYears).equivalentAnnualCostGBP
                    return (rise, eac)
                }()
            riseByLife[life] = (rise, eac)
            let price = equipmentClass.replacementCostGBP.pounds
            byClass[equipmentClass.name] = ClassEconomics(
                serviceShare: price > 0 ? equipmentClass.annualServiceCostGBP.pounds / price : 0, riseShare: rise,
                newUnitEACShare: eac)
        }
        economicsByClass = byClass
    }

    /// The feed window for `asOf`: the 12 calendar months ending with the month before as-of's month.
    public static func feedWindow(asOf: Day) -> ClosedRange<YearMonth> {
        asOf.yearMonth.adding(months: -12)...asOf.yearMonth.adding(months: -1)
    }

    /// Why `asset` is left out of rankings and age profiles at `asOf`, or nil when it is included: decommissioned
    /// units, and units installed after as-of (they were not part of the fleet then).
    public static func exclusionReason(for asset: Asset, asOf: Day) -> String? {
        if asset.status == .decommissioned { return "decommissioned" }
        if asset.installDate > asOf { return "installed on \(asset.installDate.iso), after as-of \(asOf.iso)" }
        return nil
    }

    /// Assesses every included unit of `assets` (see ``exclusionReason(for:asOf:)``) and returns them highest
    /// score first, ties by asset id. `utilisation` may hold records of any units, in any order; it is read once.
    /// - Throws: ``InvalidInput`` when the catalog has no class for the modality of an included unit.
    public func rank(assets: [Asset], utilisation: [UtilisationRecord], asOf: Day) throws(InvalidInput) -> [Assessment]
    {
        let included = assets.indices.filter { PriorityModel.exclusionReason(for: assets[$0], asOf: asOf) == nil }
        let classes = try resolveClasses(assets, included)
        let totals = PriorityModel.totals(
            of: assets, records: utilisation, calendar: calendar(asOf: asOf), counting: included)
        let context = Context(asOf: asOf, windowText: PriorityModel.windowText(asOf: asOf))
        let count = included.count
        let assessments = [Assessment](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            let output = DisjointOutput(base: base)
            let chunkSize = 4096
            let chunkCount = (count + chunkSize - 1) / chunkSize
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                for k in chunk * chunkSize..<min(count, (chunk + 1) * chunkSize) {
                    let index = included[k]
                    output.initialize(
                        k,
                        assessment(of: assets[index], in: classes[k], totals: totals[index], context: context))
                }
            }
            initialized = count
        }
        return PriorityModel.sorted(assessments)
    }

    /// Assesses one unit from the records of `utilisation` that belong to it (others are ignored).
    /// - Throws: ``InvalidInput`` when the catalog has no class for its modality.
    public func assess(_ asset: Asset, utilisation: [UtilisationRecord], asOf: Day) throws(InvalidInput) -> Assessment {
        let equipmentClass = try resolveClasses([asset], [0])[0]
        var totals = FeedTotals()
        let position = FeedTotals.installPosition(asset.installDate)
        let calendar = calendar(asOf: asOf)
        for record in utilisation where record.assetID == asset.id {
            totals.add(record, installPosition: position, calendar: calendar)
        }
        let context = Context(asOf: asOf, windowText: PriorityModel.windowText(asOf: asOf))
        return assessment(of: asset, in: equipmentClass, totals: totals, context: context)
    }

    /// Sorts assessments by score, highest first, then by asset id.
    public static func sorted(_ assessments: [Assessment]) -> [Assessment] {
        let scores = assessments.map(\.score)
        var order = Array(assessments.indices)
        order.sort { a, b in
            let left = scores[a], right = scores[b]
            if left != right { return left > right }
            return assessments[a].assetID < assessments[b].assetID
        }
        return order.map { assessments[$0] }
    }

    // MARK: - Passes over the inputs

    /// The output buffer of a parallel loop whose iterations write disjoint elements, each exactly once.
    private struct DisjointOutput<Element>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>

        func initialize(_ index: Int, _ value: Element) { (base + index).initialize(to: value) }
    }

    private struct Context: Sendable {
        var asOf: Day
        var windowText: String
    }

    private static func windowText(asOf: Day) -> String {
        let window = feedWindow(asOf: asOf)
        return "\(window.lowerBound)…\(window.upperBound)"
    }

    private func calendar(asOf: Day) -> FeedTotals.Calendar {
        FeedTotals.Calendar(
            windowStart: asOf.yearMonth.ordinal - 12, asOfMonth: asOf.yearMonth.ordinal,
            defaultHoursPerDay: settings.feed.defaultAvailableHoursPerDay,
            newUnitDowntimeShare: settings.economicLife.newUnitDowntimeShare)
    }

    /// The catalog class of each included unit, in `included` order.
    private func resolveClasses(_ assets: [Asset], _ included: [Int]) throws(InvalidInput) -> [EquipmentClass] {
        var classes: [EquipmentClass] = []
        classes.reserveCapacity(included.count)
        var missing: [Modality: (AssetID, Int)] = [:]
        for index in included {
            let asset = assets[index]
            if let equipmentClass = catalog.equipmentClass(for: asset) {
                classes.append(equipmentClass)
            } else {
                let seen = missing[asset.modality]
                missing[asset.modality] = (seen?.0 ?? asset.id, (seen?.1 ?? 0) + 1)
            }
        }
        guard missing.isEmpty else {
            throw InvalidInput(
                issues: missing.sorted { $0.key < $1.key }.map { modality, first in
                    InputIssue(
                        file: EquipmentCatalog.fileName, line: nil,
                        problem: "has no equipment class of modality \(modality.rawValue), needed by asset "
                            + "\(first.0)" + (first.1 > 1 ? " and \(first.1 - 1) more" : "")
                            + "; add a class for it")
                })
        }
        return classes
    }

    /// Reduces `records` to one ``FeedTotals`` per asset in a single pass. Records of one asset usually come
    /// together (a feed file, a database query), so the asset of the previous record, then the next asset, are
    /// tried before a dictionary, which is built only if needed.
    static func totals(
        of assets: [Asset], records: [UtilisationRecord], calendar: FeedTotals.Calendar, counting included: [Int]
    ) -> [FeedTotals] {
        var totals = [FeedTotals](repeating: FeedTotals(), count: assets.count)
        guard !records.isEmpty, !included.isEmpty else { return totals }
        var positions = [Double](repeating: .nan, count: assets.count)
        for index in included { positions[index] = FeedTotals.installPosition(assets[index].installDate) }
        var lookup: [AssetID: Int]?
        var last = -1
        for record in records where record.month.ordinal < calendar.asOfMonth {
            var found = -1
            if last >= 0, assets[last].id == record.assetID {
                found = last
            } else if last + 1 < assets.count, assets[last + 1].id == record.assetID {
                found = last + 1
            } else {
                if lookup == nil {
                    lookup = Dictionary(assets.indices.map { (assets[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
                }
                found = lookup?[record.assetID] ?? -1
            }
            guard found >= 0 else { continue }
            last = found
            let position = positions[found]
            guard !position.isNaN else { continue }
            totals[found].add(record, installPosition: position, calendar: calendar)
        }
        return totals
    }

    // MARK: - One unit

    private func assessment(
        of asset: Asset, in equipmentClass: EquipmentClass, totals: FeedTotals, context: Context
    ) -> Assessment {
        let asOf = context.asOf
        var notes: [String] = []
        if let named = asset.equipmentClass {
            if named != equipmentClass.name {
                notes.append(
                    "class \(named) is not in the catalog for \(asset.modality.rawValue); "
                        + "its default class \(equipmentClass.name) was used")
            }
        } else {
            notes.append(
                "no class in the register; the catalog's default for \(asset.modality.rawValue), "
                    + "\(equipmentClass.name), was used")
        }
        let expectedLife = equipmentClass.expectedLifeYears
        let maximumLife = equipmentClass.maximumLifeYears
        let ownPrice = asset.replacementCostGBP.map(\.pounds) ?? 0
        let price = ownPrice > 0 ? ownPrice : equipmentClass.replacementCostGBP.pounds
        let expectedMonths = PriorityModel.monthsInService(asset.installDate, asOf: asOf)

        // Age.
        let age = max(0, asset.installDate.fractionalYears(until: asOf))
        let isPastExpectedLife = age > expectedLife
        let isPastMaximumLife = age > maximumLife
        let ageNote: String? =
            isPastMaximumLife
            ? "past the class's maximum life (\(NumberText.fixed(maximumLife, 0)) years)"
            : isPastExpectedLife ? "past the class's expected life (\(NumberText.fixed(expectedLife, 0)) years)" : nil
        let ageCriterion = CriterionAssessment(
            name: .age, raw: age,
            score: settings.age.score(ageYears: age, expectedLifeYears: expectedLife, maximumLifeYears: maximumLife),
            weight: weights[0], note: ageNote)

        // Utilisation.
        let capacity = equipmentClass.scansPerHour * totals.availableHours
        let utilisationCriterion: CriterionAssessment
        if totals.windowMonths == 0 || capacity <= 0 {
            let why =
                totals.windowMonths == 0
                ? "no utilisation record for \(context.windowText)" : "no available hours in \(context.windowText)"
            utilisationCriterion = CriterionAssessment(
                name: .utilisation, raw: nil, score: settings.missing.utilisationScore, weight: weights[1],
                note: why + "; assumed a score of \(NumberText.fixed(settings.missing.utilisationScore, 2)) "
                    + "(neutral, [missing] utilisation_score)")
        } else {
            let raw = totals.scans / capacity
            var note: String?
            if totals.windowMonths < expectedMonths {
                note = "the feed covers \(totals.windowMonths) of \(expectedMonths) months in service; utilisation "
                    + "over those months"
            }
            if totals.defaultedAvailableMonths > 0 {
                let text =
                    "available hours missing in \(totals.defaultedAvailableMonths) month"
                    + (totals.defaultedAvailableMonths == 1 ? "" : "s") + "; "
                    + NumberText.fixed(settings.feed.defaultAvailableHoursPerDay, 1) + " hours a day assumed"
                note = note.map { $0 + "; " + text } ?? text
            }
            utilisationCriterion = CriterionAssessment(
                name: .utilisation, raw: raw, score: settings.utilisation.score(at: raw), weight: weights[1],
                note: note)
        }

        // Reliability.
        let reliabilityCriterion: CriterionAssessment
        if totals.reliabilityMonths == 0 || totals.reliabilityAvailableHours <= 0 {
            let why =
                totals.windowMonths == 0
                ? "no utilisation record for \(context.windowText)" : "no downtime hours in \(context.windowText)"
            reliabilityCriterion = CriterionAssessment(
                name: .reliability, raw: nil, score: settings.missing.reliabilityScore, weight: weights[2],
                note: why + "; assumed a score of \(NumberText.fixed(settings.missing.reliabilityScore, 2)) "
                    + "(neutral, [missing] reliability_score)")
        } else {
            let raw = min(1, max(0, 1 - totals.downtimeHours / totals.reliabilityAvailableHours))
            let note: String? =
                totals.reliabilityMonths < expectedMonths
                ? "downtime given for \(totals.reliabilityMonths) of \(expectedMonths) months in service" : nil
            reliabilityCriterion = CriterionAssessment(
                name: .reliability, raw: raw, score: settings.reliability.score(at: raw), weight: weights[2],
                note: note)
        }

        // Maintenance.
        let maintenanceCriterion: CriterionAssessment
        let priceNote: String? =
            ownPrice > 0
            ? nil : "replacement cost from the catalog (\(equipmentClass.name), \(NumberText.pounds(price)))"
        if totals.serviceMonths > 0 {
            let annual = totals.serviceCostGBP * 12 / Double(totals.serviceMonths)
            var note: String? =
                totals.serviceMonths < 12
                ? "annualised from \(totals.serviceMonths) month\(totals.serviceMonths == 1 ? "" : "s") of service cost"
                : nil
            if let priceNote { note = note.map { $0 + "; " + priceNote } ?? priceNote }
            maintenanceCriterion = CriterionAssessment(
                name: .maintenance, raw: annual / price, score: settings.maintenance.score(at: annual / price),
                weight: weights[3], note: note)
        } else if let contract = asset.serviceCostGBPPerYear, contract.pounds >= 0 {
            let raw = contract.pounds / price
            var note =
                "no service cost in the feed for \(context.windowText); the register's annual contract ("
                + NumberText.pounds(contract.pounds) + ") was used"
            if let priceNote { note += "; " + priceNote }
            maintenanceCriterion = CriterionAssessment(
                name: .maintenance, raw: raw, score: settings.maintenance.score(at: raw), weight: weights[3],
                note: note)
        } else {
            maintenanceCriterion = CriterionAssessment(
                name: .maintenance, raw: nil, score: settings.missing.maintenanceScore, weight: weights[3],
                note: "no service cost in the feed or the register; assumed a score of "
                    + NumberText.fixed(settings.missing.maintenanceScore, 2)
                    + " (neutral, [missing] maintenance_score)")
        }

        // Support.
        let supportCriterion: CriterionAssessment
        let isPastEndOfSupport: Bool
        if let end = asset.endOfSupport {
            let months = Double(asOf.days(until: end)) / PriorityModel.daysPerMonth
            isPastEndOfSupport = end < asOf
            supportCriterion = CriterionAssessment(
                name: .support, raw: months, score: settings.support.score(at: months), weight: weights[4],
                note: isPastEndOfSupport ? "support ended on \(end.iso)" : nil)
        } else {
            isPastEndOfSupport = false
            supportCriterion = CriterionAssessment(
                name: .support, raw: nil, score: settings.missing.supportScore, weight: weights[4],
                note: "end of support unknown; assumed a score of "
                    + NumberText.fixed(settings.missing.supportScore, 2)
                    + " (neutral, [missing] support_score); ask the supplier")
        }

        // Criticality.
        let criticalityCriterion: CriterionAssessment
        if let given = asset.criticality {
            let raw = min(5, max(1, given))
            criticalityCriterion = CriterionAssessment(
                name: .criticality, raw: Double(raw), score: settings.criticality.score(at: Double(raw)),
                weight: weights[5], note: raw == given ? nil : "criticality \(given) is outside 1–5; \(raw) was used")
        } else {
            let assumed = settings.missing.criticality
            criticalityCriterion = CriterionAssessment(
                name: .criticality, raw: nil, score: settings.criticality.score(at: Double(assumed)),
                weight: weights[5],
                note: "criticality not in the register; assumed \(assumed) of 5 ([missing] criticality)")
        }

        let criteria = [
            ageCriterion, utilisationCriterion, reliabilityCriterion, maintenanceCriterion, supportCriterion,
            criticalityCriterion,
        ]
        var weighted = 0.0, total = 0.0
        for criterion in criteria {
            weighted += criterion.weight * criterion.score
            total += criterion.weight
        }
        let score = total > 0 ? 100 * weighted / total : 0

        // Band and rules.
        let scoreBand = settings.band(forScore: score)
        var band = scoreBand
        var bandRule: BandRule?
        for rule in BandRule.allCases {
            guard let minimum = settings.rules[rule] else { continue }
            let fires =
                switch rule {
                case .pastMaximumLife: isPastMaximumLife
                case .pastEndOfSupport: isPastEndOfSupport
                case .pastExpectedLife: isPastExpectedLife
                }
            if fires, minimum < band {
                band = minimum
                bandRule = rule
            }
        }
        let bandSettings = settings.bands[band] ?? PrioritySettings.defaults.bands[band]!

        // Economic life, defender against challenger, timing costs.
        let economic = settings.economicLife
        let classEconomics =
            economicsByClass[equipmentClass.name]
            ?? ClassEconomics(serviceShare: 0.1, riseShare: 0.015, newUnitEACShare: 0.27)
        let lostPerHour = equipmentClass.scansPerHour * economic.lostActivityGBP(perScanOf: asset.modality)
        let hoursPerYear =
            totals.windowMonths > 0 && totals.availableHours > 0
            ? totals.availableHours * 12 / Double(totals.windowMonths) : settings.feed.defaultAvailableHoursPerYear
        let newUnitOperating = classEconomics.serviceShare * price
            + economic.newUnitDowntimeShare * hoursPerYear * lostPerHour
        var rise = classEconomics.riseShare * price
        var fitMonths = 0
        if totals.fitMonths >= economic.minimumMonthsForFit, totals.sumXX > 0 {
            let sumXY = 12 * (totals.sumXService + lostPerHour * totals.sumXDowntime)
            rise = max(0, (sumXY - newUnitOperating * totals.sumX) / totals.sumXX)
            fitMonths = totals.fitMonths
        }
        let retention = 1 - economic.decliningBalanceRate
        let rate = economic.discountRate
        let life = EconomicLifeModel(
            purchasePriceGBP: price, resaleRetentionPerYear: retention,
            firstYearOperatingCostGBP: newUnitOperating + rise / 2, operatingCostRiseGBPPerYear: rise,
            interestRate: rate
        ).economicLife(maximumYears: economic.maximumYears)
        let newUnitEAC = price * classEconomics.newUnitEACShare + newUnitOperating
        let resale = price * pow(retention, age)
        let keepOneMoreYear = resale * (1 - retention) + rate * resale + newUnitOperating + rise * (age + 0.5)
        let deferCost =
            max(0, keepOneMoreYear - newUnitEAC) + bandSettings.deferralDowntimeShare * hoursPerYear * lostPerHour
        let advanceCost = price / max(1, expectedLife) * bandSettings.advanceFactor

        return Assessment(
            assetID: asset.id, network: asset.network, trust: asset.trust, site: asset.site, modality: asset.modality,
            equipmentClass: equipmentClass.name, ageYears: age, score: score, band: band, scoreBand: scoreBand,
            bandRule: bandRule, criteria: criteria, isPastExpectedLife: isPastExpectedLife,
            isPastMaximumLife: isPastMaximumLife, isPastEndOfSupport: isPastEndOfSupport,
            expectedLifeYears: expectedLife, maximumLifeYears: maximumLife, replacementCostGBP: GBP(price),
            economicLifeYears: life.years, yearsPastEconomicLife: age - Double(life.years),
            equivalentAnnualCostGBP: GBP(life.equivalentAnnualCostGBP), newUnitEquivalentAnnualCostGBP: GBP(newUnitEAC),
            keepOneMoreYearCostGBP: GBP(keepOneMoreYear), operatingCostRiseGBPPerYear: GBP(rise),
            operatingCostFitMonths: fitMonths, window: bandSettings.window(baseYear: asOf.year),
            deferCostGBPPerYear: GBP(deferCost), advanceCostGBPPerYear: GBP(advanceCost), notes: notes)
    }

    /// The mean Gregorian month in days (365.2425 ÷ 12), for months to end of support.
    public static let daysPerMonth = 30.436875

    /// Months of the feed window from the unit's install month on.
    static func monthsInService(_ installDate: Day, asOf: Day) -> Int {
        let end = asOf.yearMonth.ordinal - 1
        let start = max(asOf.yearMonth.ordinal - 12, installDate.yearMonth.ordinal)
        return max(0, end - start + 1)
    }
}
