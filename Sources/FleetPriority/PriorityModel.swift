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

    let tables: Tables
    /// The figures of each catalog class, in catalog order: plain numbers, so that the parallel loops copy them
    /// without touching reference counts.
    let classes: [ClassFigures]
    /// The names and notes of each catalog class, in catalog order.
    let classTexts: [ClassTexts]

    /// A model over `settings` and `catalog`.
    public init(settings: PrioritySettings, catalog: EquipmentCatalog) {
        self.settings = settings
        self.catalog = catalog
        tables = Tables(settings: settings, catalog: catalog)
        let contexts = ClassFigures.make(catalog: catalog, settings: settings)
        classes = contexts.map(\.0)
        classTexts = contexts.map(\.1)
    }

    /// The mean Gregorian month in days (365.2425 ÷ 12), for months to end of support.
    public static let daysPerMonth = 30.436875

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

    /// Ranks every included unit of `assets` (see ``exclusionReason(for:asOf:)``): highest score first, ties by
    /// asset id. The result is a collection of ``Assessment``s built when read (``Ranking``), so that the top of a
    /// national ranking is ready without building a million explanations; ``Ranking/assessments`` builds them all.
    ///
    /// `utilisation` may hold records of any units in any order. It is read once, in parallel chunks, and fastest
    /// when each unit's records come together (as a feed file or a query ordered by asset gives them); records
    /// scattered at random fall back to a slower single pass with a dictionary. Scores are computed in parallel
    /// and ordered by a radix sort.
    /// - Throws: ``InvalidInput`` when the catalog has no class for the modality of an included unit.
    public func rank(assets: [Asset], utilisation: [UtilisationRecord], asOf: Day) throws(InvalidInput) -> Ranking {
        let context = Context(asOf: asOf, settings: settings)
        let count = assets.count
        let (feed, classIndex, order) = try assets.withUnsafeBufferPointer {
            buffer throws(InvalidInput) -> (FeedIndex, [Int32], [Int32]) in
            guard let assetBase = buffer.baseAddress else { return (FeedIndex(), [], []) }
            let feed = FeedIndex(assets: buffer, records: utilisation, calendar: context.calendar)
            // Classes and scores of every unit, in parallel; excluded units get class -1, unknown modalities -2.
            var classIndex = [Int32](repeating: -1, count: count)
            var scores = [Double](repeating: 0, count: count)
            classIndex.withUnsafeMutableBufferPointer { classOutput in
                scores.withUnsafeMutableBufferPointer { scoreOutput in
                    let classOutput = UncheckedSendable(classOutput)
                    let scoreOutput = UncheckedSendable(scoreOutput)
                    PriorityModel.parallelChunks(count) { range in
                        var cache = ClassCache()
                        for index in range {
                            let asset = assetBase + index
                            guard asset.pointee.status == .inService, asset.pointee.installDate <= asOf else {
                                continue
                            }
                            let found = resolveClass(of: asset, cache: &cache)
                            classOutput.value[index] = found
                            guard found >= 0 else { continue }
                            scoreOutput.value[index] =
                                evaluate(asset, classes[Int(found)], feed.totals(for: index), context).score
                        }
                    }
                }
            }
            var included: [Int32] = []
            included.reserveCapacity(count)
            var missing: [Modality: (AssetID, Int)] = [:]
            for index in 0..<count {
                let found = classIndex[index]
                if found >= 0 {
                    included.append(Int32(index))
                } else if found == -2 {
                    let modality = buffer[index].modality
                    let seen = missing[modality]
                    missing[modality] = (seen?.0 ?? buffer[index].id, (seen?.1 ?? 0) + 1)
                }
            }
            guard missing.isEmpty else { throw PriorityModel.missingClasses(missing) }
            let order = PriorityModel.descendingOrder(of: included.map { scores[Int($0)] }) { a, b in
                assetBase[Int(included[a])].id < assetBase[Int(included[b])].id
            }
            return (feed, classIndex, order.map { included[Int($0)] })
        }
        return Ranking(
            model: self,
            context: context,
            assets: assets,
            feed: feed,
            classIndex: classIndex,
            order: order
        )
    }

    /// Builds the assessment of the unit at `index` of `assets` (a ``Ranking`` calls it).
    func assessment(
        ofAssetAt index: Int,
        in assets: UnsafeBufferPointer<Asset>,
        classIndex: Int32,
        feed: FeedIndex,
        context: Context
    ) -> Assessment {
        let asset = assets.baseAddress! + index
        let totals = feed.totals(for: index)
        let evaluation = evaluate(asset, classes[Int(classIndex)], totals, context)
        return assessment(asset, Int(classIndex), totals, evaluation, context)
    }

    /// Positions 0..<scores.count ordered by score descending, then by `isOrderedBefore` on ties: a stable LSD
    /// radix sort on the scores' bit patterns (16 bits a pass, passes where every score shares the digit
    /// skipped), then each run of equal scores sorted with `isOrderedBefore`.
    static func descendingOrder(of scores: [Double], tieBreak isOrderedBefore: (Int, Int) -> Bool) -> [Int32] {
        let count = scores.count
        // For non-negative doubles the bit pattern grows with the value; its complement sorts them descending.
        var keys = scores.map { ~(($0 == 0 || $0.isNaN ? 0.0 : max(0, $0)).bitPattern) }
        var order = (0..<count).map(Int32.init)
        var spareKeys = [UInt64](repeating: 0, count: count)
        var spareOrder = [Int32](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 65_536)
        for shift in stride(from: 0, to: 64, by: 16) {
            for bucket in counts.indices { counts[bucket] = 0 }
            for key in keys { counts[Int((key >> UInt64(shift)) & 0xFFFF)] += 1 }
            if counts.contains(count) { continue }
            var total = 0
            for bucket in counts.indices {
                let n = counts[bucket]
                counts[bucket] = total
                total += n
            }
            for position in 0..<count {
                let key = keys[position]
                let bucket = Int((key >> UInt64(shift)) & 0xFFFF)
                spareKeys[counts[bucket]] = key
                spareOrder[counts[bucket]] = order[position]
                counts[bucket] += 1
            }
            swap(&keys, &spareKeys)
            swap(&order, &spareOrder)
        }
        var start = 0
        while start < count {
            var end = start + 1
            while end < count, keys[end] == keys[start] { end += 1 }
            if end - start > 1 { order[start..<end].sort { isOrderedBefore(Int($0), Int($1)) } }
            start = end
        }
        return order
    }

    /// Assesses one unit from the records of `utilisation` that belong to it (others are ignored). It gives what
    /// ``rank(assets:utilisation:asOf:)`` gives for the unit, whether or not the unit would be excluded there.
    /// - Throws: ``InvalidInput`` when the catalog has no class for its modality.
    public func assess(_ asset: Asset, utilisation: [UtilisationRecord], asOf: Day) throws(InvalidInput) -> Assessment {
        let context = Context(asOf: asOf, settings: settings)
        return try withUnsafePointer(to: asset) { pointer throws(InvalidInput) -> Assessment in
            var cache = ClassCache()
            let found = resolveClass(of: pointer, cache: &cache)
            guard found >= 0 else { throw PriorityModel.missingClasses([asset.modality: (asset.id, 1)]) }
            var totals = FeedTotals()
            let position = FeedTotals.installPosition(asset.installDate)
            for record in utilisation where record.assetID == asset.id {
                totals.add(record, installPosition: position, calendar: context.calendar)
            }
            let evaluation = evaluate(pointer, classes[Int(found)], totals, context)
            return assessment(pointer, Int(found), totals, evaluation, context)
        }
    }

    /// The last class matched, so that runs of units of one class skip the search.
    struct ClassCache {
        var name: EquipmentClassName?
        var modality = Modality.ct
        var index: Int32 = -1
    }

    /// The catalog class of `asset`: its own when the catalog knows it for its modality, else the modality's
    /// default (as ``EquipmentCatalog/equipmentClass(for:)``); -2 when the catalog has no class of its modality.
    func resolveClass(of asset: UnsafePointer<Asset>, cache: inout ClassCache) -> Int32 {
        let modality = asset.pointee.modality
        if let named = asset.pointee.equipmentClass {
            if cache.index >= 0, modality == cache.modality, named == cache.name { return cache.index }
            if let match = classes.indices.first(where: {
                classTexts[$0].name == named && classes[$0].modality == modality
            }) {
                cache = ClassCache(name: named, modality: modality, index: Int32(match))
                return Int32(match)
            }
        }
        let fallback = tables.defaultClassByModality[modality.ordinal]
        return fallback >= 0 ? fallback : -2
    }

    /// The error for modalities the catalog has no class of: the first unit that needed one, and how many did.
    static func missingClasses(_ missing: [Modality: (AssetID, Int)]) -> InvalidInput {
        InvalidInput(
            issues: missing.sorted { $0.key < $1.key }.map { modality, first in
                InputIssue(
                    file: EquipmentCatalog.fileName,
                    line: nil,
                    problem: "has no equipment class of modality \(modality.rawValue), needed by asset "
                        + "\(first.0)" + (first.1 > 1 ? " and \(first.1 - 1) more" : "") + "; add a class for it"
                )
            }
        )
    }
}

// MARK: - Precomputed tables

extension PriorityModel {
    /// Settings turned into arrays indexed by ordinals, so the per-unit code does no dictionary lookups.
    struct Tables: Sendable {
        /// The criteria in ``Criterion`` order, kept so the per-unit loops do not build `allCases` each time.
        var criteria: [Criterion]
        /// Each criterion's weight, indexed by ``Criterion/ordinal``.
        var weights: [Double]
        var lostActivityGBPPerScan: [Double]
        var bands: [BandSettings]
        var minimumScores: [Double]
        var ruleBands: [Band?]
        var defaultClassByModality: [Int32]

        init(settings: PrioritySettings, catalog: EquipmentCatalog) {
            criteria = Criterion.allCases
            weights = criteria.map { settings.weights[$0] ?? 0 }
            lostActivityGBPPerScan = Modality.allCases.map { settings.economicLife.lostActivityGBP(perScanOf: $0) }
            bands = Band.allCases.map { settings.bands[$0] ?? PrioritySettings.defaults.bands[$0]! }
            minimumScores = Band.allCases.map {
                $0 == .monitor ? -.infinity : (settings.bands[$0]?.minimumScore ?? .infinity)
            }
            ruleBands = BandRule.allCases.map { settings.rules[$0] }
            defaultClassByModality = Modality.allCases.map { modality in
                catalog.classes.firstIndex { $0.modality == modality }.map(Int32.init) ?? -1
            }
        }

        func band(forScore score: Double) -> Band {
            for (index, band) in Band.allCases.enumerated() where score >= minimumScores[index] { return band }
            return .monitor
        }
    }

    /// The name of a catalog class and the notes that mention it, written once.
    struct ClassTexts: Sendable {
        var name: EquipmentClassName
        var pastExpectedLifeNote: String
        var pastMaximumLifeNote: String
        var catalogPriceNote: String
    }

    /// A catalog class's figures with everything the per-unit code needs worked out once.
    struct ClassFigures: Sendable {
        var modality: Modality
        var expectedLifeYears: Double
        var maximumLifeYears: Double
        var replacementCostGBP: Double
        var scansPerHour: Double
        /// The annual service contract as a share of the replacement cost.
        var serviceShare: Double
        /// The default rise in operating cost a year of age, as a share of the replacement cost: the rise that
        /// puts a unit with catalog figures at its economic life at the class's expected life.
        var riseShare: Double
        /// The minimum EAC of a new unit per pound of price, without the constant part of its operating cost.
        var newUnitEACShare: Double
        /// The longest life the economic-life search considers: the class's maximum life (rounded up), within
        /// the settings' `maximum_years`.
        var lifeSearchYears: Int

        static func make(catalog: EquipmentCatalog, settings: PrioritySettings) -> [(ClassFigures, ClassTexts)] {
            let economic = settings.economicLife
            let retention = 1 - economic.decliningBalanceRate
            var calibrated: [[Int]: (Double, Double)] = [:]
            return catalog.classes.map { equipmentClass in
                let search = max(1, min(economic.maximumYears, Int(equipmentClass.maximumLifeYears.rounded(.up))))
                let target = min(search, max(1, Int(equipmentClass.expectedLifeYears.rounded())))
                let key = [target, search]
                let (rise, eac) =
                    calibrated[key]
                    ?? {
                        let rise = EconomicLifeModel.calibratedRiseShare(
                            targetYears: target,
                            retention: retention,
                            interestRate: economic.discountRate,
                            maximumYears: search
                        )
                        let eac = EconomicLifeModel(
                            purchasePriceGBP: 1,
                            resaleRetentionPerYear: retention,
                            firstYearOperatingCostGBP: rise / 2,
                            operatingCostRiseGBPPerYear: rise,
                            interestRate: economic.discountRate
                        ).economicLife(maximumYears: search).equivalentAnnualCostGBP
                        return (rise, eac)
                    }()
                calibrated[key] = (rise, eac)
                let price = equipmentClass.replacementCostGBP.pounds
                let figures = ClassFigures(
                    modality: equipmentClass.modality,
                    expectedLifeYears: equipmentClass.expectedLifeYears,
                    maximumLifeYears: equipmentClass.maximumLifeYears,
                    replacementCostGBP: price,
                    scansPerHour: equipmentClass.scansPerHour,
                    serviceShare: price > 0 ? equipmentClass.annualServiceCostGBP.pounds / price : 0,
                    riseShare: rise,
                    newUnitEACShare: eac,
                    lifeSearchYears: search
                )
                let expected = NumberText.fixed(equipmentClass.expectedLifeYears, 0)
                let maximum = NumberText.fixed(equipmentClass.maximumLifeYears, 0)
                let texts = ClassTexts(
                    name: equipmentClass.name,
                    pastExpectedLifeNote: "past the class's expected life (\(expected) years)",
                    pastMaximumLifeNote: "past the class's maximum life (\(maximum) years)",
                    catalogPriceNote:
                        "replacement cost from the catalog (\(equipmentClass.name), \(NumberText.pounds(price)))"
                )
                return (figures, texts)
            }
        }
    }

    /// What one ranking shares: as-of, the feed calendar and the notes that do not depend on the unit.
    struct Context: Sendable {
        var asOf: Day
        var calendar: FeedTotals.Calendar
        var noFeedNote: String
        var noHoursNote: String
        var noDowntimeReliabilityNote: String
        var noFeedReliabilityNote: String
        var noServiceCostNote: String
        var noContractSuffix: String
        var unknownSupportNote: String
        var unknownCriticalityNote: String
        var defaultHoursSuffix: String
        var windowText: String

        init(asOf: Day, settings: PrioritySettings) {
            self.asOf = asOf
            calendar = FeedTotals.Calendar(
                windowStart: asOf.yearMonth.ordinal - 12,
                asOfMonth: asOf.yearMonth.ordinal,
                defaultHoursPerDay: settings.feed.defaultAvailableHoursPerDay,
                newUnitDowntimeShare: settings.economicLife.newUnitDowntimeShare
            )
            let window = PriorityModel.feedWindow(asOf: asOf)
            windowText = "\(window.lowerBound)…\(window.upperBound)"
            let missing = settings.missing
            func assumed(_ score: Double, _ key: String) -> String {
                "; assumed a score of \(NumberText.fixed(score, 2)) (neutral, [missing] \(key))"
            }
            noFeedNote =
                "no utilisation record for \(windowText)" + assumed(missing.utilisationScore, "utilisation_score")
            noHoursNote = "no available hours in \(windowText)" + assumed(missing.utilisationScore, "utilisation_score")
            noFeedReliabilityNote =
                "no utilisation record for \(windowText)" + assumed(missing.reliabilityScore, "reliability_score")
            noDowntimeReliabilityNote =
                "no downtime hours in \(windowText)" + assumed(missing.reliabilityScore, "reliability_score")
            noServiceCostNote =
                "no service cost in the feed or the register" + assumed(missing.maintenanceScore, "maintenance_score")
            noContractSuffix = "no service cost in the feed for \(windowText); the register's annual contract ("
            unknownSupportNote =
                "end of support unknown" + assumed(missing.supportScore, "support_score") + "; ask the supplier"
            unknownCriticalityNote =
                "criticality not in the register; assumed \(missing.criticality) of 5 ([missing] criticality)"
            defaultHoursSuffix =
                "; \(NumberText.fixed(settings.feed.defaultAvailableHoursPerDay, 1)) hours a day assumed"
        }
    }

    /// The output buffer of a parallel loop whose iterations write disjoint elements, each exactly once.
    struct DisjointOutput<Element>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>

        func initialize(_ index: Int, _ value: Element) { (base + index).initialize(to: value) }
    }

    /// Runs `body` over 0..<count split into ranges spread over the cores; each range goes to one call.
    static func parallelChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
        let chunkSize = 16_384
        let chunks = (count + chunkSize - 1) / chunkSize
        guard chunks > 1 else {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                shared.value(chunk * chunkSize..<min(count, (chunk + 1) * chunkSize))
            }
        }
    }

    /// A value handed to parallel loops whose callers guarantee that no two iterations write the same element and
    /// that nothing else is written while they run.
    struct UncheckedSendable<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}

extension Modality {
    /// The position in `Modality.allCases`, without a search.
    var ordinal: Int {
        switch self {
        case .ct: 0
        case .mr: 1
        case .xr: 2
        case .us: 3
        case .dexa: 4
        case .nm: 5
        case .petct: 6
        case .mg: 7
        case .fl: 8
        case .ir: 9
        }
    }
}
