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

/// The utilisation records of a ranking reduced to one ``FeedTotals`` per unit, in two parallel passes.
///
/// First the unit of every record is found, over chunks of records in parallel: by comparing with the unit of the
/// previous record and the next few units of the register (which finds them at once when records come grouped by
/// unit, or month by month in register order), else by binary search when the register is sorted by asset id,
/// else through a dictionary built only if needed (records in random order cost a dictionary lookup each). Then each core adds up the records of one range of units, in
/// record order, so a unit's sums come out exactly as reading its records one by one would give them. Records of
/// units not in the ranking, and records from as-of's month on, are skipped.
struct FeedIndex: Sendable {
    /// One ``FeedTotals`` per unit of the register; empty when there are no records.
    private var totals: [FeedTotals] = []

    /// No records for any unit.
    init() {}

    /// The totals of the unit at `index` of the ranked assets (empty when it has no records).
    func totals(for index: Int) -> FeedTotals { index < totals.count ? totals[index] : FeedTotals() }

    init(assets: UnsafeBufferPointer<Asset>, records: [UtilisationRecord], calendar: FeedTotals.Calendar) {
        guard !records.isEmpty, !assets.isEmpty else { return }
        let assetCount = assets.count
        var sums = [FeedTotals](repeating: FeedTotals(), count: assetCount)
        var positions = [Double](repeating: 0, count: assetCount)
        positions.withUnsafeMutableBufferPointer { output in
            let shared = PriorityModel.UncheckedSendable((assets, output))
            PriorityModel.parallelChunks(assetCount) { range in
                let (assets, output) = shared.value
                for index in range { output[index] = FeedTotals.installPosition(assets[index].installDate) }
            }
        }
        let installPositions = positions
        records.withUnsafeBufferPointer { records in
            let units = FeedIndex.unitOfEachRecord(assets, records, calendar)
            let parts = records.count < 50_000 ? 1 : max(1, ProcessInfo.processInfo.activeProcessorCount)
            sums.withUnsafeMutableBufferPointer { output in
                let shared = PriorityModel.UncheckedSendable((records, output))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let (records, output) = shared.value
                    let low = Int32(part * assetCount / parts)
                    let high = Int32((part + 1) * assetCount / parts)
                    for recordIndex in units.indices {
                        let unit = units[recordIndex]
                        guard unit >= low, unit < high else { continue }
                        output[Int(unit)].add(
                            records[recordIndex],
                            installPosition: installPositions[Int(unit)],
                            calendar: calendar
                        )
                    }
                }
            }
        }
        totals = sums
    }

    /// How a record's unit is found when it is not the previous record's or one of the next few of the register.
    private enum Lookup: Sendable {
        /// Not at all: the pass fails, to be run again with a dictionary.
        case neighbours
        /// By binary search, the register being sorted by asset id.
        case sortedIDs
        /// Through a dictionary from asset id to index.
        case dictionary([AssetID: Int32])
    }

    /// The index in `assets` of every record's unit; -1 for records to skip.
    private static func unitOfEachRecord(
        _ assets: UnsafeBufferPointer<Asset>,
        _ records: UnsafeBufferPointer<UtilisationRecord>,
        _ calendar: FeedTotals.Calendar
    ) -> [Int32] {
        var units = [Int32](repeating: -1, count: records.count)
        let parts = records.count < 50_000 ? 1 : 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        var lookup: Lookup = isSortedByID(assets) ? .sortedIDs : .neighbours
        while true {
            var failed = false
            let currentLookup = lookup
            units.withUnsafeMutableBufferPointer { output in
                var outcomes = [Bool](repeating: true, count: parts)
                outcomes.withUnsafeMutableBufferPointer { outcomes in
                    let shared = PriorityModel.UncheckedSendable((assets, records, output, outcomes))
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let (assets, records, output, outcomes) = shared.value
                        let range = part * records.count / parts..<(part + 1) * records.count / parts
                        outcomes[part] = findUnits(assets, records, range, calendar, currentLookup, into: output)
                    }
                }
                failed = outcomes.contains(false)
            }
            guard failed else { return units }
            lookup = .dictionary(dictionary(assets))
        }
    }

    /// Finds the units of `records[range]` into `output`; false when a unit could not be found without a
    /// dictionary, or when binary searches are so frequent that a dictionary would be cheaper.
    private static func findUnits(
        _ assets: UnsafeBufferPointer<Asset>,
        _ records: UnsafeBufferPointer<UtilisationRecord>,
        _ range: Range<Int>,
        _ calendar: FeedTotals.Calendar,
        _ lookup: Lookup,
        into output: UnsafeMutableBufferPointer<Int32>
    ) -> Bool {
        guard let assetBase = assets.baseAddress, let recordBase = records.baseAddress else { return true }
        let count = assets.count
        var last = -1
        var lastID: AssetID?
        var unknown: AssetID?
        // Binary searches beyond this many mean records in no useful order: a dictionary is cheaper.
        var searchBudget = max(1024, range.count / 16)
        var windowMisses = 0
        for recordIndex in range {
            let record = recordBase + recordIndex
            guard record.pointee.month.ordinal < calendar.asOfMonth else { continue }
            let id = record.pointee.assetID
            if let lastID, lastID == id {
                output[recordIndex] = Int32(last)
                continue
            }
            if let unknown, unknown == id { continue }
            var found = -1
            if last >= 0, windowMisses < 16 {
                // Units without records, or months that start again at the top of the register, are found by
                // looking a little further along, then back at the start; after 16 misses in a row the records
                // are taken to be in no such order and the look is skipped until they are again.
                var probe = last + 1
                let end = min(count, last + 33)
                while probe < end {
                    if assetBase[probe].id == id {
                        found = probe
                        break
                    }
                    probe += 1
                }
                if found < 0, assetBase[0].id == id { found = 0 }
                windowMisses = found < 0 ? windowMisses + 1 : 0
            }
            if found < 0 {
                switch lookup {
                case .dictionary(let map):
                    found = map[id].map(Int.init) ?? -1
                case .sortedIDs:
                    searchBudget -= 1
                    if searchBudget < 0 { return false }
                    var low = 0
                    var high = count
                    while low < high {
                        let middle = (low + high) / 2
                        if assetBase[middle].id < id { low = middle + 1 } else { high = middle }
                    }
                    found = low < count && assetBase[low].id == id ? low : -1
                case .neighbours:
                    guard last < 0 else { return false }
                    // The first record of a chunk: search outward from where its share of the records points.
                    let guess = min(count - 1, Int(Double(count) * Double(range.lowerBound) / Double(records.count)))
                    var distance = 0
                    while found < 0, distance < count {
                        if guess + distance < count, assetBase[guess + distance].id == id {
                            found = guess + distance
                        } else if distance > 0, guess - distance >= 0, assetBase[guess - distance].id == id {
                            found = guess - distance
                        }
                        distance += 1
                    }
                    if found < 0 { return false }
                }
            }
            guard found >= 0 else {
                unknown = id
                continue
            }
            unknown = nil
            if found == last + 1 { windowMisses = 0 }
            last = found
            lastID = id
            output[recordIndex] = Int32(found)
        }
        return true
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
}
