/// A score mapping given by points (raw value, score): linear between neighbouring points, flat beyond the first
/// and the last. The settings file writes it as `points = [[raw, score], ...]`.
public struct PiecewiseLinear: Hashable, Sendable, Codable {
    /// One anchor of the mapping.
    public struct Point: Hashable, Sendable, Codable {
        /// The raw value, in the criterion's unit.
        public var raw: Double
        /// The score at `raw`, in [0, 1].
        public var score: Double

        /// The point (`raw`, `score`).
        public init(raw: Double, score: Double) {
            self.raw = raw
            self.score = score
        }
    }

    /// The anchors, raw values strictly increasing.
    public let points: [Point]

    /// A mapping through `points`; the settings parser checks that they are ordered, in [0, 1] and monotone.
    public init(points: [Point]) { self.points = points }

    /// A mapping through `(raw, score)` pairs.
    public init(_ pairs: [(Double, Double)]) { points = pairs.map { Point(raw: $0.0, score: $0.1) } }

    /// The score at `raw`: interpolated between the anchors around it, the end anchor's score beyond them.
    public func score(at raw: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 0 }
        if raw <= first.raw { return first.score }
        if raw >= last.raw { return last.score }
        var index = 1
        while points[index].raw < raw { index += 1 }
        let low = points[index - 1]
        let high = points[index]
        return low.score + (high.score - low.score) * (raw - low.raw) / (high.raw - low.raw)
    }

    /// Why the points cannot serve as a mapping for `criterion`, or nil when they can: at least two points, raw
    /// values strictly increasing and finite, scores in [0, 1], and scores that never fall as the raw value gets
    /// worse (so that a worse raw value never lowers a priority).
    public func problem(for criterion: Criterion) -> String? {
        guard points.count >= 2 else { return "needs at least two [raw, score] points" }
        for point in points {
            guard point.raw.isFinite, point.score.isFinite else { return "has a value that is not a finite number" }
            guard (0...1).contains(point.score) else { return "has a score outside 0–1" }
        }
        for (low, high) in zip(points, points.dropFirst()) {
            guard low.raw < high.raw else { return "needs raw values in strictly increasing order" }
            if criterion.worsensAsRawRises, high.score < low.score {
                return "must not fall as \(criterion) rises (a worse raw value may never lower the score)"
            }
            if !criterion.worsensAsRawRises, high.score > low.score {
                return "must not rise as \(criterion) rises (a worse raw value may never lower the score)"
            }
        }
        return nil
    }
}
