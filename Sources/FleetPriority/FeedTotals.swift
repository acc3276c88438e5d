import FleetCore

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
