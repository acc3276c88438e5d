import Foundation

/// A whole number with its thousands separated by commas, as the command line and notes print counts and pounds:
/// `groupedThousands(1234567)` is `1,234,567`, `groupedThousands(-1234)` is `-1,234`.
public func groupedThousands(_ value: some BinaryInteger) -> String {
    let digits = String(value.magnitude)
    guard digits.count > 3 else { return value < 0 ? "-" + digits : digits }
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return value < 0 ? "-" + out : out
}

/// `value` with `places` decimals as C's `%.*f` prints it (the binary value rounded to nearest), for tables and
/// CSV; empty for a value that is not finite. Formats on the stack without Foundation's format parsing per call (a
/// national ranking prints some 200,000 numbers).
public func fixedDecimals(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "" }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
        let count = withVaList([Int32(places), value]) { vsnprintf(buffer.baseAddress, 64, "%.*f", $0) }
        guard count > 0, count < 64 else { return String(format: "%.\(places)f", value) }
        return String(cString: buffer.baseAddress!)
    }
}

/// `value` with `places` decimals exactly as ``fixedDecimals(_:_:)`` prints it (C's `%.*f`: the binary value
/// rounded to nearest), made without a C call for the usual figure of a ranking: a value from 0 up to 10⁹ once
/// scaled, with 1–6 places, and not within 10⁻⁵ of a tie. The scaled product is then within 10⁻⁷ of the exact one,
/// so both round to the same integer; anything else goes to `fixedDecimals`.
public func printfDecimals(_ value: Double, _ places: Int) -> String {
    guard (1...6).contains(places), value >= 0, value.sign == .plus else { return fixedDecimals(value, places) }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = value * scale
    guard scaled < 1e9 else { return fixedDecimals(value, places) }
    let whole = scaled.rounded(.down)
    let fraction = scaled - whole
    guard abs(fraction - 0.5) > 1e-5 else { return fixedDecimals(value, places) }
    var units = Int(whole) + (fraction > 0.5 ? 1 : 0)
    // Digits from the last: `places` decimals, the point, then the whole part (at least one digit).
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
        var position = 24
        for index in 0... {
            if index == places {
                position -= 1
                buffer[position] = UInt8(ascii: ".")
            }
            position -= 1
            buffer[position] = UInt8(ascii: "0") + UInt8(units % 10)
            units /= 10
            if index >= places, units == 0 { break }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[position..<24]), as: UTF8.self)
    }
}

/// A spreadsheet column's letters from its zero-based index: 0 → `A`, 25 → `Z`, 26 → `AA`, 16,383 → `XFD`.
public func spreadsheetColumnLetters(_ index: Int) -> String {
    var number = index + 1
    var letters: [Character] = []
    while number > 0 {
        let remainder = (number - 1) % 26
        letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
        number = (number - 1) / 26
    }
    return String(letters.reversed())
}
