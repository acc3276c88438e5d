import FleetCore

/// Number formatting for notes and explanations without Foundation, so that ranking a million units does not
/// spend its time in `String(format:)`.
enum NumberText {
    /// `value` rounded half away from zero to `decimals` places (0–6), thousands separated: `fixed(1234.56, 1)`
    /// is `1,234.6`; a value that rounds to zero prints without a sign.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "—" : (value > 0 ? "∞" : "-∞") }
        let places = max(0, min(6, decimals))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return String(value) }
        let units = Int64(scaled)
        let isNegative = value < 0 && units != 0
        let divisor = Int64(scale)
        let whole = units / divisor
        var text = (isNegative ? "-" : "") + groupedThousands(whole)
        if places > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    /// `value` with at most `decimals` places and no trailing zeros: `compact(30, 2)` is `30`, `compact(12.5, 2)`
    /// is `12.5`.
    static func compact(_ value: Double, _ decimals: Int) -> String {
        var text = fixed(value, decimals)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Pounds to the whole pound with separators: `£1,234,568`.
    static func pounds(_ value: Double) -> String {
        guard value.isFinite else { return "£—" }
        let rounded = Int64(value.rounded())
        return (rounded < 0 ? "-£" : "£") + groupedThousands(rounded.magnitude > 0 ? Int64(rounded.magnitude) : 0)
    }

    /// A fraction as a percentage with `decimals` places: `percent(0.9512, 1)` is `95.1 %`.
    static func percent(_ fraction: Double, _ decimals: Int) -> String { fixed(fraction * 100, decimals) + " %" }
}
