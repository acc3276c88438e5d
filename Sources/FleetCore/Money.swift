import Foundation

/// An amount of money in pounds sterling.
///
/// Held as a `Double` because the figures it carries are discounted and multiplied by tier discounts;
/// reports round to the penny only when they print.
public struct GBP: Hashable, Comparable, Sendable, Codable, AdditiveArithmetic, CustomStringConvertible {
    /// The amount in pounds.
    public var pounds: Double

    /// An amount of `pounds`.
    public init(_ pounds: Double) { self.pounds = pounds }

    /// No money.
    public static let zero = GBP(0)

    /// Decodes from a plain JSON number.
    public init(from decoder: any Decoder) throws {
        pounds = try decoder.singleValueContainer().decode(Double.self)
    }

    /// Encodes as a plain JSON number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pounds)
    }

    public static func + (lhs: GBP, rhs: GBP) -> GBP { GBP(lhs.pounds + rhs.pounds) }
    public static func - (lhs: GBP, rhs: GBP) -> GBP { GBP(lhs.pounds - rhs.pounds) }
    public static func * (lhs: GBP, factor: Double) -> GBP { GBP(lhs.pounds * factor) }
    public static func * (factor: Double, rhs: GBP) -> GBP { GBP(rhs.pounds * factor) }
    public static func / (lhs: GBP, divisor: Double) -> GBP { GBP(lhs.pounds / divisor) }
    public static prefix func - (amount: GBP) -> GBP { GBP(-amount.pounds) }
    public static func < (lhs: GBP, rhs: GBP) -> Bool { lhs.pounds < rhs.pounds }

    /// The amount as a planner reads it: `£1,234,568` (whole pounds, thousands separated).
    public var description: String { Self.format(pounds) }

    /// Formats `pounds` as `£1,234,568`, or to the penny as `£1,234,567.89` when `pence` is true.
    public static func format(_ pounds: Double, pence: Bool = false) -> String {
        guard pounds.isFinite else { return "£—" }
        let scaled = (abs(pounds) * (pence ? 100 : 1)).rounded()
        // An amount that rounds to nothing has no sign: -0.4 is "£0", not "-£0".
        let negative = pounds < 0 && scaled > 0
        let whole = pence ? (scaled / 100).rounded(.down) : scaled
        // Beyond Int64 (no real sum of money) the pounds are written without separators rather than trapping.
        let digits = whole < 9.0e18 ? groupedThousands(Int64(whole)) : String(format: "%.0f", whole)
        var text = (negative ? "-£" : "£") + digits
        if pence {
            text += String(format: ".%02d", Int(scaled.truncatingRemainder(dividingBy: 100)))
        }
        return text
    }
}

/// Σ_{k=0}^{years−1} (1 + rate)^−k: what a payment of one pound a year for `years` years, the first now, is worth now
/// (an annuity due; the IFRS 16 right-of-use value of a lease's rentals at its discount rate, the spreadsheet's
/// PV(rate, years, −1, 0, 1)); 0 for no years.
public func annuityDueFactor(years: Int, rate: Double) -> Double {
    guard years > 0 else { return 0 }
    var factor = 0.0
    for k in 0..<years { factor += pow(1 + rate, -Double(k)) }
    return factor
}
