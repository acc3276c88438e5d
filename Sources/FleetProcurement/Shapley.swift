import FleetCore

/// Shapley values of cooperative games (Shapley 1953): each player's average marginal contribution over every order
/// in which the players could join. Coalitions are bit masks: bit i set means player i is in.
public enum Shapley {
    /// Exact Shapley values of the game with `playerCount` players whose worth of the coalition `mask` is
    /// `worth(mask)` (the empty coalition's worth is taken as `worth(0)`). Evaluates all 2ⁿ coalitions, so keep
    /// n to about 20.
    ///
    /// φᵢ = Σ over S not containing i of |S|!·(n − |S| − 1)!/n! · (worth(S ∪ {i}) − worth(S)).
    public static func exact(playerCount: Int, worth: (UInt64) -> Double) -> [Double] {
        precondition((0...30).contains(playerCount), "exact Shapley values need at most 30 players")
        let n = playerCount
        guard n > 0 else { return [] }
        let values = (0..<(UInt64(1) << UInt64(n))).map(worth)
        // weight[s] = s!(n − s − 1)!/n!, computed as a product to stay exact in floating point for small n.
        var weight = [Double](repeating: 0, count: n)
        for size in 0..<n {
            var w = 1.0 / Double(n)
            for k in 0..<size { w *= Double(size - k) / Double(n - 1 - k) }
            weight[size] = w
        }
        var shares = [Double](repeating: 0, count: n)
        for mask in 0..<UInt64(values.count) {
            let size = mask.nonzeroBitCount
            for player in 0..<n where mask & (1 << UInt64(player)) == 0 {
                shares[player] += weight[size] * (values[Int(mask | (1 << UInt64(player)))] - values[Int(mask)])
            }
        }
        return shares
    }

    /// Random orders of `playerCount` players, drawn from `seed` (the same seed gives the same orders).
    public static func randomOrders(playerCount: Int, count: Int, seed: UInt64) -> [[Int]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Array(0..<playerCount).shuffled(using: &generator) }
    }

    /// The coalitions whose worth ``sampled(orders:worth:)`` needs: every nonempty prefix of every order.
    public static func coalitions(along orders: [[Int]]) -> Set<UInt64> {
        var masks: Set<UInt64> = []
        for order in orders {
            var mask: UInt64 = 0
            for player in order {
                mask |= 1 << UInt64(player)
                masks.insert(mask)
            }
        }
        return masks
    }

    /// Shapley values estimated from `orders` (Castro, Gómez and Tejada 2009): each player's mean marginal
    /// contribution over the orders, with its standard error (sample standard deviation ÷ √orders). The estimates
    /// add up exactly to worth(all) − worth(∅).
    public static func sampled(
        orders: [[Int]],
        worth: (UInt64) -> Double
    ) -> (
        shares: [Double], standardErrors: [Double]
    ) {
        guard let playerCount = orders.first?.count, playerCount > 0 else { return ([], []) }
        var sum = [Double](repeating: 0, count: playerCount)
        var sumOfSquares = [Double](repeating: 0, count: playerCount)
        for order in orders {
            var mask: UInt64 = 0
            var before = worth(0)
            for player in order {
                mask |= 1 << UInt64(player)
                let after = worth(mask)
                let contribution = after - before
                sum[player] += contribution
                sumOfSquares[player] += contribution * contribution
                before = after
            }
        }
        let count = Double(orders.count)
        let shares = sum.map { $0 / count }
        let errors = (0..<playerCount).map { player -> Double in
            guard orders.count > 1 else { return .infinity }
            let variance = max(0, (sumOfSquares[player] - count * shares[player] * shares[player]) / (count - 1))
            return (variance / count).squareRoot()
        }
        return (shares, errors)
    }
}
