import Testing

@testable import FleetCore

@Suite("Calendar arithmetic at the ends of the calendar")
struct CalendarEdgeTests {
    /// `fleet rank --as-of 9999-12-31` trapped: an age's fractional year needs the next anniversary, in year 10000.
    @Test func agesNearTheLastYearDoNotTrap() {
        let installed = Day(year: 2020, month: 7, day: 1)!
        let end = Day(year: 9999, month: 12, day: 31)!
        #expect(installed.completedYears(until: end) == 7979)
        let age = installed.fractionalYears(until: end)
        #expect(age > 7979.4 && age < 7979.6)
        let next = end.adding(years: 1)
        #expect(next.daysSinceEpoch == end.daysSinceEpoch + 366)  // 10000 is a leap year
        #expect(Day(year: 2024, month: 2, day: 29)!.adding(years: 7977).iso == "10001-02-28")
    }

    @Test func monthsBeforeTheFirstYearAreStillMonths() {
        let january = YearMonth(year: 1, month: 1)!
        let before = january.adding(months: -1)
        #expect(before.year == 0 && before.month == 12)
        #expect(january.adding(months: -13).month == 12)
        #expect(YearMonth(ordinal: -1).month == 12)
        #expect(YearMonth(ordinal: -12).month == 1)
        #expect(before.firstDay.daysSinceEpoch == january.firstDay.daysSinceEpoch - 31)
        #expect(Day(year: 1, month: 1, day: 1)!.yearMonth == january)
    }

    @Test(arguments: ["1/1/+202", "+1/+1/2024", "1/1/ 202", "2024-+1", "+024-01", "2024-1a"])
    func signedOrPaddedPartsAreNotDates(text: String) {
        #expect(Day.parse(text) == nil)
        #expect(YearMonth.parse(text) == nil)
    }
}
