import FleetCore

/// The draws a synthetic register needs, on FleetCore's seeded generator.
extension SplitMix64 {
    /// A uniform value in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
