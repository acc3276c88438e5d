import Dispatch
import FleetCore
import Foundation

// MARK: - One unit

extension PriorityModel {
    /// How data were found for maintenance.
    enum MaintenanceSource {
        case feed
        case contract
        case missing
    }

    /// Every raw value, criterion score, the score and the band of one unit: numbers only, so that scoring a
    /// million units allocates nothing.
    struct Evaluation {
        var ageYears = 0.0
        var ageScore = 0.0
        var utilisationRaw: Double?
        var utilisationScore = 0.0
        var reliabilityRaw: Double?
        var reliabilityScore = 0.0
        var maintenanceRaw: Double?
        var maintenanceScore = 0.0
        var maintenanceSource = MaintenanceSource.missing
        var supportRaw: Double?
        var supportScore = 0.0
        var criticalityRaw: Int?
        var criticalityScore = 0.0
        var priceGBP = 0.0
        var isOwnPrice = false
        var isPastExpectedLife = false
        var isPastMaximumLife = false
        var isPastEndOfSupport = false
        var score = 0.0
        var scoreBand = Band.monitor
        var band = Band.monitor
        var bandRule: BandRule?

        /// The raw value of `criterion`, nil when its data are missing.
        func raw(of criterion: Criterion) -> Double? {
            switch criterion {
            case .age: ageYears
            case .utilisation: utilisationRaw
            case .reliability: reliabilityRaw
            case .maintenance: maintenanceRaw
            case .support: supportRaw
            case .criticality: criticalityRaw.map(Double.init)
            }
        }

        /// The score of `criterion` in [0, 1].
        func score(of criterion: Criterion) -> Double {
            switch criterion {
            case .age: ageScore
            case .utilisation: utilisationScore
            case .reliability: reliabilityScore
            case .maintenance: maintenanceScore
            case .support: supportScore
            case .criticality: criticalityScore
            }
        }
    }

    func evaluate(
        _ asset: UnsafePointer<Asset>,
        _ equipmentClass: ClassFigures,
        _ totals: FeedTotals,
        _ context: Context
    ) -> Evaluation {
        var e = Evaluation()
        let asOf = context.asOf
        let weights = tables.weights

        let ownPrice = asset.pointee.replacementCostGBP?.pounds ?? 0
        e.isOwnPrice = ownPrice > 0
        e.priceGBP = e.isOwnPrice ? ownPrice : equipmentClass.replacementCostGBP

        e.ageYears = max(0, asset.pointee.installDate.fractionalYears(until: asOf))
        e.isPastExpectedLife = e.ageYears > equipmentClass.expectedLifeYears
        e.isPastMaximumLife = e.ageYears > equipmentClass.maximumLifeYears
        e.ageScore = settings.age.score(
            ageYears: e.ageYears,
            expectedLifeYears: equipmentClass.expectedLifeYears,
            maximumLifeYears: equipmentClass.maximumLifeYears
        )

        let capacity = equipmentClass.scansPerHour * totals.availableHours
        if totals.windowMonths > 0, capacity > 0 {
            let raw = totals.scans / capacity
            e.utilisationRaw = raw
            e.utilisationScore = settings.utilisation.score(at: raw)
        } else {
            e.utilisationScore = settings.missing.utilisationScore
        }

        if totals.reliabilityMonths > 0, totals.reliabilityAvailableHours > 0 {
            let raw = min(1, max(0, 1 - totals.downtimeHours / totals.reliabilityAvailableHours))
            e.reliabilityRaw = raw
            e.reliabilityScore = settings.reliability.score(at: raw)
        } else {
            e.reliabilityScore = settings.missing.reliabilityScore
        }

        if e.priceGBP <= 0 {
            e.maintenanceScore = settings.missing.maintenanceScore
        } else if totals.serviceMonths > 0 {
            let raw = totals.serviceCostGBP * 12 / Double(totals.serviceMonths) / e.priceGBP
            e.maintenanceRaw = raw
            e.maintenanceScore = settings.maintenance.score(at: raw)
            e.maintenanceSource = .feed
        } else if let contract = asset.pointee.serviceCostGBPPerYear, contract.pounds >= 0 {
            let raw = contract.pounds / e.priceGBP
            e.maintenanceRaw = raw
            e.maintenanceScore = settings.maintenance.score(at: raw)
            e.maintenanceSource = .contract
        } else {
            e.maintenanceScore = settings.missing.maintenanceScore
        }

        if let end = asset.pointee.endOfSupport {
            let raw = Double(asOf.days(until: end)) / PriorityModel.daysPerMonth
            e.supportRaw = raw
            e.supportScore = settings.support.score(at: raw)
            e.isPastEndOfSupport = end < asOf
        } else {
            e.supportScore = settings.missing.supportScore
        }

        if let given = asset.pointee.criticality {
            let raw = min(5, max(1, given))
            e.criticalityRaw = raw
            e.criticalityScore = settings.criticality.score(at: Double(raw))
        } else {
            e.criticalityScore = settings.criticality.score(at: Double(settings.missing.criticality))
        }

        // Score = 100 × Σ weight × criterion score ÷ Σ weight, over every criterion in order.
        var weighted = 0.0
        var total = 0.0
        for criterion in tables.criteria {
            let weight = weights[criterion.ordinal]
            weighted += weight * e.score(of: criterion)
            total += weight
        }
        e.score = total > 0 ? 100 * weighted / total : 0

        e.scoreBand = tables.band(forScore: e.score)
        e.band = e.scoreBand
        for (index, rule) in BandRule.allCases.enumerated() {
            guard let minimum = tables.ruleBands[index] else { continue }
            let fires =
                switch rule {
                case .pastMaximumLife: e.isPastMaximumLife
                case .pastEndOfSupport: e.isPastEndOfSupport
                case .pastExpectedLife: e.isPastExpectedLife
                }
            if fires, minimum < e.band {
                e.band = minimum
                e.bandRule = rule
            }
        }
        return e
    }

    func assessment(
        _ asset: UnsafePointer<Asset>,
        _ classIndex: Int,
        _ totals: FeedTotals,
        _ e: Evaluation,
        _ context: Context
    ) -> Assessment {
        let equipmentClass = classes[classIndex]
        let texts = classTexts[classIndex]
        let weights = tables.weights
        let expectedMonths = PriorityModel.monthsInService(asset.pointee.installDate, asOf: context.asOf)
        var notes: [String] = []
        if let named = asset.pointee.equipmentClass {
            if named != texts.name {
                notes.append(
                    "class \(named) is not in the catalog for \(asset.pointee.modality.rawValue); "
                        + "its default class \(texts.name) was used"
                )
            }
        } else {
            notes.append(
                "no class in the register; the catalog's default for \(asset.pointee.modality.rawValue), "
                    + "\(texts.name), was used"
            )
        }

        let ageNote: String? =
            e.isPastMaximumLife
            ? texts.pastMaximumLifeNote : e.isPastExpectedLife ? texts.pastExpectedLifeNote : nil

        var utilisationNote: String?
        if e.utilisationRaw == nil {
            utilisationNote = totals.windowMonths == 0 ? context.noFeedNote : context.noHoursNote
        } else {
            if totals.windowMonths < expectedMonths {
                utilisationNote =
                    "the feed covers \(totals.windowMonths) of \(expectedMonths) months in service; utilisation "
                    + "over those months"
            }
            if totals.defaultedAvailableMonths > 0 {
                let months = totals.defaultedAvailableMonths
                let text =
                    "available hours missing in \(months) month\(months == 1 ? "" : "s")" + context.defaultHoursSuffix
                utilisationNote = utilisationNote.map { $0 + "; " + text } ?? text
            }
        }

        let reliabilityNote: String? =
            e.reliabilityRaw == nil
            ? (totals.windowMonths == 0 ? context.noFeedReliabilityNote : context.noDowntimeReliabilityNote)
            : totals.reliabilityMonths < expectedMonths
                ? "downtime given for \(totals.reliabilityMonths) of \(expectedMonths) months in service" : nil

        var maintenanceNote: String?
        switch e.maintenanceSource {
        case .feed:
            if totals.serviceMonths < 12 {
                let months = totals.serviceMonths
                maintenanceNote = "annualised from \(months) month\(months == 1 ? "" : "s") of service cost"
            }
        case .contract:
            maintenanceNote =
                context.noContractSuffix + NumberText.pounds(asset.pointee.serviceCostGBPPerYear?.pounds ?? 0)
                + ") was used"
        case .missing:
            maintenanceNote = context.noServiceCostNote
        }
        if !e.isOwnPrice, e.maintenanceSource != .missing {
            maintenanceNote = maintenanceNote.map { $0 + "; " + texts.catalogPriceNote } ?? texts.catalogPriceNote
        }

        let supportNote: String? =
            e.supportRaw == nil
            ? context.unknownSupportNote
            : e.isPastEndOfSupport ? "support ended on \(asset.pointee.endOfSupport?.iso ?? "")" : nil

        var criticalityNote: String?
        if let given = asset.pointee.criticality {
            if given != e.criticalityRaw {
                criticalityNote = "criticality \(given) is outside 1–5; \(e.criticalityRaw ?? 0) was used"
            }
        } else {
            criticalityNote = context.unknownCriticalityNote
        }

        var criteria = CriteriaStorage()
        for criterion in tables.criteria {
            let note: String? =
                switch criterion {
                case .age: ageNote
                case .utilisation: utilisationNote
                case .reliability: reliabilityNote
                case .maintenance: maintenanceNote
                case .support: supportNote
                case .criticality: criticalityNote
                }
            criteria.set(
                criterion,
                raw: e.raw(of: criterion),
                score: e.score(of: criterion),
                weight: weights[criterion.ordinal],
                note: note
            )
        }

        // Economic life, defender against challenger, timing costs (Catalog/priority.toml, [economic_life]).
        let economic = settings.economicLife
        let band = tables.bands[e.band.urgencyRank]
        let price = e.priceGBP
        let age = e.ageYears
        let lostPerHour = equipmentClass.scansPerHour * tables.lostActivityGBPPerScan[asset.pointee.modality.ordinal]
        let hoursPerYear =
            totals.windowMonths > 0 && totals.availableHours > 0
            ? totals.availableHours * 12 / Double(totals.windowMonths) : settings.feed.defaultAvailableHoursPerYear
        let newUnitOperating =
            equipmentClass.serviceShare * price + economic.newUnitDowntimeShare * hoursPerYear * lostPerHour
        var rise = equipmentClass.riseShare * price
        var fitMonths = 0
        if totals.fitMonths >= economic.minimumMonthsForFit, totals.sumXX > 0 {
            let sumXY = 12 * (totals.sumXService + lostPerHour * totals.sumXDowntime)
            rise = max(0, (sumXY - newUnitOperating * totals.sumX) / totals.sumXX)
            fitMonths = totals.fitMonths
        }
        let retention = 1 - economic.decliningBalanceRate
        let rate = economic.discountRate
        let life = EconomicLifeModel(
            purchasePriceGBP: price,
            resaleRetentionPerYear: retention,
            firstYearOperatingCostGBP: newUnitOperating + rise / 2,
            operatingCostRiseGBPPerYear: rise,
            interestRate: rate
        ).economicLife(maximumYears: equipmentClass.lifeSearchYears)
        let newUnitEAC = price * equipmentClass.newUnitEACShare + newUnitOperating
        let resale = price * pow(retention, age)
        let keepOneMoreYear = resale * (1 - retention) + rate * resale + newUnitOperating + rise * (age + 0.5)
        // Keeping a unit costs more than replacing it only once it is past its economic life; before that the
        // marginal cost is high only because the first years lose the most resale value.
        let excess = age >= Double(life.years) ? max(0, keepOneMoreYear - newUnitEAC) : 0
        let deferCost = excess + band.deferralDowntimeShare * hoursPerYear * lostPerHour
        let advanceCost = price / max(1, equipmentClass.expectedLifeYears) * band.advanceFactor

        var result = Assessment(
            assetID: asset.pointee.id,
            network: asset.pointee.network,
            trust: asset.pointee.trust,
            site: asset.pointee.site,
            modality: asset.pointee.modality,
            equipmentClass: texts.name,
            score: e.score,
            band: e.band,
            scoreBand: e.scoreBand,
            bandRule: e.bandRule,
            criteria: [],
            isPastExpectedLife: e.isPastExpectedLife,
            isPastMaximumLife: e.isPastMaximumLife,
            isPastEndOfSupport: e.isPastEndOfSupport,
            expectedLifeYears: equipmentClass.expectedLifeYears,
            maximumLifeYears: equipmentClass.maximumLifeYears,
            replacementCostGBP: GBP(price),
            economicLifeYears: life.years,
            equivalentAnnualCostGBP: GBP(life.equivalentAnnualCostGBP),
            newUnitEquivalentAnnualCostGBP: GBP(newUnitEAC),
            keepOneMoreYearCostGBP: GBP(keepOneMoreYear),
            operatingCostRiseGBPPerYear: GBP(rise),
            operatingCostFitMonths: fitMonths,
            window: band.window(baseYear: context.asOf.year),
            deferCostGBPPerYear: GBP(deferCost),
            advanceCostGBPPerYear: GBP(advanceCost),
            notes: notes
        )
        result.storedCriteria = criteria
        return result
    }

    /// Months of the feed window from the unit's install month on.
    static func monthsInService(_ installDate: Day, asOf: Day) -> Int {
        let end = asOf.yearMonth.ordinal - 1
        let start = max(asOf.yearMonth.ordinal - 12, installDate.yearMonth.ordinal)
        return max(0, end - start + 1)
    }
}
