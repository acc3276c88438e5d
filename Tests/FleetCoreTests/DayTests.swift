import Testing

@testable import FleetCore

@Suite("Calendar days")
struct DayTests {
    @Test(arguments: [
        ("2024-02-29", "2024-02-29"), ("2023-07", "2023-07-01"), ("2015", "2015-07-01"), ("31/12/2019", "2019-12-31"),
        ("1/3/2020", "2020-03-01"), ("05.11.2018", "2018-11-05"), (" 2021-01-15 ", "2021-01-15"),
    ])
    func parsesAcceptedForms(text: String, iso: String) throws {
        #expect(try #require(Day.parse(text)).iso == iso)
    }

    @Test(arguments: ["2023-02-30", "2023-13-01", "13/13/2020", "2020/01/01x", "", "20200101", "31/04/2021", "0000"])
    func rejectsImpossibleDates(text: String) {
        #expect(Day.parse(text) == nil)
    }

    @Test func roundTripsThroughDaysSinceEpoch() {
        for offset in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(Day(daysSinceEpoch: offset).daysSinceEpoch == offset)
        }
        #expect(Day(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(Day(year: 2000, month: 3, day: 1)!.daysSinceEpoch == 11_017)
    }

    @Test(arguments: [
        ("2014-03-01", "2024-02-29", 9), ("2014-02-28", "2024-02-28", 10), ("2020-02-29", "2021-02-27", 0),
        ("2020-02-29", "2021-02-28", 1), ("2016-06-15", "2026-06-14", 9), ("2016-06-15", "2026-06-15", 10),
    ])
    func countsCompletedYearsAcrossLeapDays(start: String, end: String, years: Int) throws {
        let from = try #require(Day.parse(start))
        let to = try #require(Day.parse(end))
        #expect(from.completedYears(until: to) == years)
    }

    @Test func fractionalYearsAreExactOnAnniversaries() throws {
        let start = try #require(Day.parse("2019-03-01"))
        #expect(start.fractionalYears(until: try #require(Day.parse("2024-03-01"))) == 5)
        // 2023-03-01 to 2024-03-01 spans 366 days; 183 of them is exactly half.
        #expect(start.fractionalYears(until: try #require(Day.parse("2023-08-31"))) == 4 + 183.0 / 366.0)
    }

    @Test func parsesMonths() {
        #expect(YearMonth.parse("2024-03")?.description == "2024-03")
        #expect(YearMonth.parse("03/2024")?.description == "2024-03")
        #expect(YearMonth.parse("2024-13") == nil)
        #expect(YearMonth(year: 2024, month: 1)!.adding(months: -1).description == "2023-12")
    }
}
