import FleetCore
import Testing

@Suite("Thousands grouping")
struct NumberGroupingTests {
    @Test(arguments: [
        (0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (-1234, "-1,234"), (3891, "3,891"),
        (1_234_567, "1,234,567"), (-999_999_999, "-999,999,999"),
    ])
    func groupsByThousands(value: Int, text: String) {
        #expect(groupedThousands(value) == text)
    }

    @Test func theLargestWholeNumbersStillGroup() {
        #expect(groupedThousands(Int64.min) == "-9,223,372,036,854,775,808")
        #expect(groupedThousands(UInt64.max) == "18,446,744,073,709,551,615")
    }

    @Test(arguments: [
        (0.0, "£0"), (1234.5, "£1,235"), (-825_674.4, "-£825,674"), (41_468_141.0, "£41,468,141"), (-0.4, "£0"),
        (-1e-9, "£0"),
    ])
    func poundsGroupTheSameWay(pounds: Double, text: String) {
        #expect(GBP.format(pounds) == text)
    }

    @Test func poundsWithPence() {
        #expect(GBP.format(1234.567, pence: true) == "£1,234.57")
        #expect(GBP.format(-0.004, pence: true) == "£0.00")
        #expect(GBP.format(-0.005, pence: true) == "-£0.01")
    }

    @Test func theExcelSerialOriginIsTheLastDayOf1899ButOne() {
        #expect(Day.excelSerialOrigin.adding(days: 45123) == Day(year: 2023, month: 7, day: 16))
    }
}
