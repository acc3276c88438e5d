import Dispatch
import FleetCore
import Foundation

/// One unit's utilisation records reduced to running sums in a single pass: the feed window's totals for the
/// criteria, and the sums of a least-squares fit of operating cost against age over all months before as-of.
struct FeedTotals: Sendable {
    /// Records in the feed window.
    var windowMonths = 0
    /// Scans in the window.
    var scans = 0.0
    /// Available hours in the window (the planning default where a record gives none).
    var availableHours = 0.0
    /// Window records without available hours.
    var defaultedAvailableMonths = 0
    /// Window records that give downtime.
    var reliabilityMonths = 0
    /// Available hours of those records.
    var reliabilityAvailableHours = 0.0
    /// Downtime hours of those records.
    var downtimeHours = 0.0
    /// Window records that give a service cost.
    var serviceMonths = 0
    /// Their service cost, in pounds.
    var serviceCostGBP = 0.0
    /// Months before as-of and after installation that give a service cost (the fit's observations).
    var fitMonths = 0
    /// Σ x, with x the age in years at mid-month.
    var sumX = 0.0
    /// Σ x².
    var sumXX = 0.0
    /// Σ x·s, with s the month's service cost in pounds.
    var sumXService = 0.0
    /// Σ x·d, with d the month's downtime hours (the new-unit share of available hours where not given).
    var sumXDowntime = 0.0

    /// The part of the calendar a pass reads.
    struct Calendar {
        /// The first month of the feed window (as-of's month − 12), as a `YearMonth.ordinal`.
        var windowStart: Int
        /// As-of's month; records from it on are ignored.
        var asOfMonth: Int
        /// Hours a day assumed when a record gives no available hours.
        var defaultHoursPerDay: Double
        /// Downtime share assumed for the fit when a record gives no downtime.
        var newUnitDowntimeShare: Double
    }

    /// The position of an install date in months, for ages at mid-month: its month's ordinal plus the fraction
    /// of that month already gone.
    static func installPosition(_ day: Day) -> Double {
        Double(day.yearMonth.ordinal) + Double(day.day - 1) / Double(Day.daysIn(month: day.month, year: day.year))
    }

    /// Adds one record of a unit installed at `installPosition` (see ``installPosition(_:)``).
    @inline(__always)
    mutating func add(_ record: UtilisationRecord, installPosition: Double, calendar: Calendar) {
        let month = record.month.ordinal
        guard month < calendar.asOfMonth else { return }
        let givenHours = record.availableHours.flatMap { $0 >= 0 ? $0 : nil }
        let hours = givenHours ?? calendar.defaultHoursPerDay * Double(record.month.dayCount)
        if month >= calendar.windowStart {
            windowMonths += 1
            scans += Double(max(0, record.scans))
            availableHours += hours
            if givenHours == nil { defaultedAvailableMonths += 1 }
            if let downtime = record.downtimeHours {
                reliabilityMonths += 1
                reliabilityAvailableHours += hours
                downtimeHours += max(0, downtime)
            }
            if let service = record.serviceCostGBP {
                serviceMonths += 1
                serviceCostGBP += service.pounds
            }
        }
        let age = (Double(month) + 0.5 - installPosition) / 12
        if age > 0, let service = record.serviceCostGBP {
            let downtime = record.downtimeHours.map { max(0, $0) } ?? calendar.newUnitDowntimeShare * hours
            fitMonths += 1
            sumX += age
            sumXX += age * age
            sumXService += age * service.pounds
            sumXDowntime += age * downtime
        }
    }
}

extension FeedTotals {
    /// Adds the sums of `other` (the same unit's records read elsewhere).
    mutating func merge(_ other: FeedTotals) {
        windowMonths += other.windowMonths
        scans += other.scans
        availableHours += other.availableHours
        defaultedAvailableMonths += other.defaultedAvailableMonths
        reliabilityMonths += other.reliabilityMonths
        reliabilityAvailableHours += other.reliabilityAvailableHours
        downtimeHours += other.downtimeHours
        serviceMonths += other.serviceMonths
        serviceCostGBP += other.serviceCostGBP
        fitMonths += other.fitMonths
        sumX += other.sumX
        sumXX += other.sumXX
        sumXService += other.sumXService
        sumXDowntime += other.sumXDowntime
    }
}

/// The utilisation records of a ranking reduced to one ``FeedTotals`` per unit.
///
/// The records are cut into chunks at unit boundaries and read in parallel; each chunk keeps a list of runs
/// (consecutive records of one unit). A run's unit is found by comparing with the unit of the previous run and
/// the next unit of the register, then, only if that fails, through a dictionary built once. When the records are
/// so scattered that runs are short, one sequential pass with the dictionary is used instead. Records of units
/// not in the ranking or from as-of's month on are skipped.
struct FeedIndex: Sendable {
    private struct Run {
        var asset: Int32
        var totals: FeedTotals
    }

    /// One ``FeedTotals`` per unit with records.
    private var totals: [FeedTotals] = []
    /// For each unit, its entry in `totals`, or -1 when it has no records.
    private var reference: [Int32] = []

    /// The totals of the unit at `index` of the ranked assets (empty when it has no records).
    func totals(for index: Int) -> FeedTotals {
        guard index < reference.count else { return FeedTotals() }
        let entry = reference[index]
        return entry >= 0 ? totals[Int(entry)] : FeedTotals()
    }

    /// No records for any unit.
    init() {}

    init(assets: UnsafeBufferPointer<Asset>, records: [UtilisationRecord], calendar: FeedTotals.Calendar) {
        reference = [Int32](repeating: -1, count: assets.count)
        guard !records.isEmpty, !assets.isEmpty else { return }
        records.withUnsafeBufferPointer { records in
            let bounds = FeedIndex.chunkBounds(records)
            var lookup: Lookup = .neighbours
            var outcome = FeedIndex.readChunks(assets, records, bounds, calendar, lookup: lookup)
            if outcome == nil {
                lookup = FeedIndex.isSortedByID(assets) ? .sortedIDs : .dictionary(FeedIndex.dictionary(assets))
                outcome = FeedIndex.readChunks(assets, records, bounds, calendar, lookup: lookup)
            }
            let chunks =
                outcome ?? [FeedIndex.readSequentially(assets, records, calendar, lookup: lookup.dictionary(assets))]
            totals.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
            for runs in chunks {
                for run in runs {
                    let asset = Int(run.asset)
                    let existing = reference[asset]
                    if existing < 0 {
                        reference[asset] = Int32(totals.count)
                        totals.append(run.totals)
                    } else {
                        totals[Int(existing)].merge(run.totals)
                    }
                }
            }
        }
    }

    /// Chunk boundaries over the records, moved forward so that no unit's consecutive records are split.
    private static func chunkBounds(_ records: UnsafeBufferPointer<UtilisationRecord>) -> [Int] {
        let parts = records.count < 100_000 ? 1 : 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        var bounds = [0]
        for part in 1..<parts {
            var start = max(bounds.last!, part * records.count / parts)
            while start > 0, start < records.count, records[start].assetID == records[start - 1].assetID { start += 1 }
            if start > bounds.last!, start < records.count { bounds.append(start) }
        }
        bounds.append(records.count)
        return bounds
    }

    /// How a run's unit is found when it is not the next few units of the register.
    private enum Lookup: Sendable {
        /// Not at all: reading fails, to be retried with a lookup.
        case neighbours
        /// By binary search, the register being sorted by asset id.
        case sortedIDs
        /// Through a dictionary from asset id to index.
        case dictionary([AssetID: Int32])

        /// The dictionary, built now unless this lookup holds one.
        func dictionary(_ assets: UnsafeBufferPointer<Asset>) -> [AssetID: Int32] {
            if case .dictionary(let map) = self { return map }
            return FeedIndex.dictionary(assets)
        }
    }

    private static func isSortedByID(_ assets: UnsafeBufferPointer<Asset>) -> Bool {
        for index in assets.indices.dropFirst() where !(assets[index - 1].id < assets[index].id) { return false }
        return true
    }

    private static func dictionary(_ assets: UnsafeBufferPointer<Asset>) -> [AssetID: Int32] {
        var map: [AssetID: Int32] = [:]
        map.reserveCapacity(assets.count)
        for index in assets.indices where map[assets[index].id] == nil { map[assets[index].id] = Int32(index) }
        return map
    }

    /// Reads every chunk in parallel; nil when a run's unit could not be found without `lookup` (then retry with
    /// one) or when runs are too short to be worth keeping (the caller then reads sequentially).
    private static func readChunks(
        _ assets: UnsafeBufferPointer<Asset>, _ records: UnsafeBufferPointer<UtilisationRecord>, _ bounds: [Int],
        _ calendar: FeedTotals.Calendar, lookup: Lookup
    ) -> [[Run]]? {
        let chunkCount = bounds.count - 1
        var results = [[Run]?](repeating: nil, count: chunkCount)
        results.withUnsafeMutableBufferPointer { output in
            let output = PriorityModel.UncheckedSendable(output)
            let shared = PriorityModel.UncheckedSendable((assets, records))
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                let (assets, records) = shared.value
                output.value[chunk] = readChunk(
                    assets, records, bounds[chunk]..<bounds[chunk + 1], calendar, lookup: lookup)
            }
        }
        var chunks: [[Run]] = []
        for result in results {
            guard let result else { return nil }
            chunks.append(result)
        }
        return chunks
    }

    private static func readChunk(
        _ assets: UnsafeBufferPointer<Asset>, _ records: UnsafeBufferPointer<UtilisationRecord>, _ range: Range<Int>,
        _ calendar: FeedTotals.Calendar, lookup: Lookup
    ) -> [Run]? {
        let assetBase = assets.baseAddress!
        let recordBase = records.baseAddress!
        let limit = max(1024, range.count / 3)
        var runs: [Run] = []
        var current = -1
        var currentPosition = 0.0
        var totals = FeedTotals()
        var skipped: AssetID?
        func flush() {
            if current >= 0 { runs.append(Run(asset: Int32(current), totals: totals)) }
        }
        for recordIndex in range {
            let record = recordBase + recordIndex
            guard record.pointee.month.ordinal < calendar.asOfMonth else { continue }
            if current >= 0, assetBase[current].id == record.pointee.assetID {
                totals.add(record.pointee, installPosition: currentPosition, calendar: calendar)
                continue
            }
            if let skipped, skipped == record.pointee.assetID { continue }
            flush()
            guard runs.count < limit else { return nil }
            let id = record.pointee.assetID
            var found = -1
            if current >= 0 {
                // Units without records are skipped by looking a little further along the register.
                var probe = current + 1
                let end = min(assets.count, current + 33)
                while probe < end {
                    if assetBase[probe].id == id {
                        found = probe
                        break
                    }
                    probe += 1
                }
            }
            if found < 0 {
                switch lookup {
                case .dictionary(let map):
                    found = map[id].map(Int.init) ?? -1
                case .sortedIDs:
                    var low = 0, high = assets.count
                    while low < high {
                        let middle = (low + high) / 2
                        if assetBase[middle].id < id { low = middle + 1 } else { high = middle }
                    }
                    found = low < assets.count && assetBase[low].id == id ? low : -1
                case .neighbours:
                    guard current < 0 else { return nil }
                    // The first run of a chunk: search outward from where the chunk's share of records points.
                    let guess = min(
                        assets.count - 1, Int(Double(assets.count) * Double(range.lowerBound) / Double(records.count)))
                    var distance = 0
                    while found < 0, distance < assets.count {
                        if guess + distance < assets.count, assetBase[guess + distance].id == id {
                            found = guess + distance
                        } else if distance > 0, guess - distance >= 0, assetBase[guess - distance].id == id {
                            found = guess - distance
                        }
                        distance += 1
                    }
                    if found < 0 { return nil }
                }
            }
            guard found >= 0 else {
                current = -1
                skipped = record.pointee.assetID
                continue
            }
            skipped = nil
            current = found
            totals = FeedTotals()
            currentPosition = FeedTotals.installPosition(assetBase[found].installDate)
            totals.add(record.pointee, installPosition: currentPosition, calendar: calendar)
        }
        flush()
        return runs
    }

    /// One pass with a dictionary lookup per record, for records in no useful order.
    private static func readSequentially(
        _ assets: UnsafeBufferPointer<Asset>, _ records: UnsafeBufferPointer<UtilisationRecord>,
        _ calendar: FeedTotals.Calendar, lookup: [AssetID: Int32]
    ) -> [Run] {
        var slot = [Int32](repeating: -1, count: assets.count)
        var runs: [Run] = []
        for record in records where record.month.ordinal < calendar.asOfMonth {
            guard let found = lookup[record.assetID].map(Int.init) else { continue }
            if slot[found] < 0 {
                slot[found] = Int32(runs.count)
                runs.append(Run(asset: Int32(found), totals: FeedTotals()))
            }
            let position = FeedTotals.installPosition(assets[found].installDate)
            runs[Int(slot[found])].totals.add(record, installPosition: position, calendar: calendar)
        }
        return runs
    }
}
