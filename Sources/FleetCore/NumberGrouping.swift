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
