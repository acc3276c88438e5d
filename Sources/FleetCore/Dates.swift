/// A calendar day in the proleptic Gregorian calendar, with no time or time zone: install dates, end of
/// support, `--as-of`.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The year, for example 2024.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// The day `year`-`month`-`day`, or nil when no such day exists (2023-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Day 0 of an Excel serial date in the 1900 date system, 1899-12-30 (so that Lotus's phantom 1900-02-29 keeps
    /// later serials right): serial 45123 is `Day.excelSerialOrigin.adding(days: 45123)`.
    public static let excelSerialOrigin = Day(year: 1899, month: 12, day: 30)!

    /// The day that is `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        // Howard Hinnant's civil_from_days, exact for every Gregorian day.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int { Day.daysSinceEpoch(year: year, month: month, day: day) }

    /// Days since 1970-01-01 of a day of the proleptic Gregorian calendar, any year.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// True for leap years of the Gregorian calendar.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The month this day falls in.
    public var yearMonth: YearMonth { YearMonth(ordinal: year * 12 + month - 1) }

    /// The day `years` later (earlier when negative); 29 February becomes 28 February in a common year.
    ///
    /// Total: a result outside years 1–9999 (the range ``init(year:month:day:)`` accepts) is still the right day,
    /// so that date arithmetic near the ends of the calendar never traps.
    public func adding(years: Int) -> Day {
        let newYear = year + years
        let newDay = min(day, Day.daysIn(month: month, year: newYear))
        return Day(daysSinceEpoch: Day.daysSinceEpoch(year: newYear, month: month, day: newDay))
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    /// Whole days from this day to `later` (negative when `later` is earlier).
    public func days(until later: Day) -> Int { later.daysSinceEpoch - daysSinceEpoch }

    /// Completed years from this day to `later`, as a birthday counts them: the anniversary must have been
    /// reached (29 February is reached on 28 February of a common year). Negative when `later` is earlier.
    public func completedYears(until later: Day) -> Int {
        guard later >= self else { return -Day.completedYears(from: later, until: self) }
        return Day.completedYears(from: self, until: later)
    }

    private static func completedYears(from start: Day, until end: Day) -> Int {
        var years = end.year - start.year
        if start.adding(years: years) > end { years -= 1 }
        return years
    }

    /// Age in years from this day to `later` as a decimal: completed years plus the fraction of the current
    /// anniversary year that has passed, so it is exact across leap years (a year is always 1.0).
    public func fractionalYears(until later: Day) -> Double {
        let whole = completedYears(until: later)
        let lastAnniversary = adding(years: whole)
        let nextAnniversary = adding(years: whole + 1)
        let span = Double(lastAnniversary.days(until: nextAnniversary))
        return Double(whole) + Double(lastAnniversary.days(until: later)) / span
    }

    /// ISO 8601: `2024-03-31`.
    public var description: String { iso }

    /// ISO 8601: `2024-03-31`.
    public var iso: String {
        let y = String(year)
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decodes from an ISO string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: \(text)")
        }
        self = day
    }

    /// Encodes as an ISO string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    /// Parses the date forms the register accepts, or returns nil:
    /// `YYYY-MM-DD`; `YYYY-MM` (the first of the month); `YYYY` (1 July, the middle of the year, so a
    /// year-only install date is neither systematically older nor younger than the truth); `DD/MM/YYYY`
    /// and `D/M/YYYY` (UK order, also with `.` or `-` as separators). US order is never guessed.
    public static func parse(_ text: some StringProtocol) -> Day? {
        let text = text.trimmingWhitespace()
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        switch bytes.count {
        case 4:
            return number(0..<4).flatMap { Day(year: $0, month: 7, day: 1) }
        case 7 where bytes[4] == UInt8(ascii: "-"):
            guard let y = number(0..<4), let m = number(5..<7) else { return nil }
            return Day(year: y, month: m, day: 1)
        case 10 where bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-"):
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return Day(year: y, month: m, day: d)
        default:
            // UK order: D/M/YYYY with one- or two-digit day and month.
            let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { "/.-".contains($0) })
            guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count),
                (1...2).contains(parts[1].count), parts.allSatisfy(isASCIIDigits),
                let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2])
            else { return nil }
            return Day(year: y, month: m, day: d)
        }
    }
}

/// A calendar month: the period of one utilisation record.
public struct YearMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The year.
    public let year: Int
    /// The month, 1–12.
    public let month: Int

    /// The month `year`-`month`, or nil when `month` is not 1–12.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Months since January of year 0, for arithmetic.
    public var ordinal: Int { year * 12 + (month - 1) }

    /// The month with the given ``ordinal`` (any ordinal: months before year 1 or after 9999 are still months).
    public init(ordinal: Int) {
        // Floor division, so that a negative ordinal still gives a month from 1 to 12.
        let (quotient, remainder) = ordinal.quotientAndRemainder(dividingBy: 12)
        year = remainder < 0 ? quotient - 1 : quotient
        month = (remainder < 0 ? remainder + 12 : remainder) + 1
    }

    /// The month `months` later (earlier when negative).
    public func adding(months: Int) -> YearMonth { YearMonth(ordinal: ordinal + months) }

    /// The first day of the month.
    public var firstDay: Day { Day(daysSinceEpoch: Day.daysSinceEpoch(year: year, month: month, day: 1)) }

    /// The number of days in the month.
    public var dayCount: Int { Day.daysIn(month: month, year: year) }

    /// `2024-03`.
    public var description: String { month < 10 ? "\(year)-0\(month)" : "\(year)-\(month)" }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { lhs.ordinal < rhs.ordinal }

    /// Parses `YYYY-MM`, `YYYY-MM-DD` (its month), `MM/YYYY` or a UK `DD/MM/YYYY` (its month).
    public static func parse(_ text: some StringProtocol) -> YearMonth? {
        let text = text.trimmingWhitespace()
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" })
        guard parts.count != 2 || parts.allSatisfy(isASCIIDigits) else { return nil }
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) {
            return YearMonth(year: y, month: m)
        }
        if parts.count == 2, parts[1].count == 4, (1...2).contains(parts[0].count), let m = Int(parts[0]),
            let y = Int(parts[1])
        {
            return YearMonth(year: y, month: m)
        }
        guard text.count == 10, let day = Day.parse(text) else { return nil }
        return day.yearMonth
    }

    /// Decodes from `YYYY-MM`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let month = YearMonth.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a month: \(text)")
        }
        self = month
    }

    /// Encodes as `YYYY-MM`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, line ends and no-break spaces.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

/// True when `text` is one or more of the digits 0–9 and nothing else: `Int("+1")` accepts a sign, and a date's
/// parts must not.
private func isASCIIDigits(_ text: Substring) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
}
