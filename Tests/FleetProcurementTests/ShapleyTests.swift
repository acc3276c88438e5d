import FleetProcurement
import Testing

@Suite("Shapley values")
struct ShapleyTests {
    /// REFERENCE.md, "Shapley value (cost games)": c(A)=88, c(B)=92, c(C)=70, c(AB)=100, c(AC)=119, c(BC)=112,
    /// c(ABC)=120 gives cost shares A 41.5, B 40.0, C 38.5.
    static let referenceCosts: [UInt64: Double] = [0: 0, 1: 88, 2: 92, 4: 70, 3: 100, 5: 119, 6: 112, 7: 120]

    @Test func publishedThreePartyCostGame() {
        let shares = Shapley.exact(playerCount: 3) { Self.referenceCosts[$0]! }
        #expect(zip(shares, [41.5, 40.0, 38.5]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// The same game as savings, v(S) = Σ c({t}) − c(S): each share of the savings is the standalone cost less the
    /// cost share, and the shares add up to 250 − 120.
    @Test func savingsGameOfThePublishedExample() {
        let alone = [88.0, 92, 70]
        let shares = Shapley.exact(playerCount: 3) { mask in
            (0..<3).reduce(0) { mask & (1 << UInt64($1)) != 0 ? $0 + alone[$1] : $0 } - Self.referenceCosts[mask]!
        }
        #expect(zip(shares, [46.5, 52.0, 31.5]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(shares.reduce(0, +) - 130) < 1e-12)
    }

    @Test(arguments: 1...10)
    func exactValuesAreEfficientSymmetricAndIgnoreNullPlayers(seed: UInt64) {
        var random = TestRandom(seed: seed)
        let n = 5
        var worth = (0..<(1 << n)).map { _ in random.double(0...100) }
        worth[0] = 0
        // Player 4 adds nothing to any coalition; players 0 and 1 are interchangeable.
        for mask in 0..<(1 << n) where mask & 16 != 0 { worth[mask] = worth[mask & ~16] }
        for mask in 0..<(1 << n) where mask & 3 == 2 { worth[mask] = worth[(mask & ~2) | 1] }
        let shares = Shapley.exact(playerCount: n) { worth[Int($0)] }
        #expect(abs(shares.reduce(0, +) - worth[(1 << n) - 1]) < 1e-9)
        #expect(abs(shares[4]) < 1e-9)
        #expect(abs(shares[0] - shares[1]) < 1e-9)
        let byDefinition = shapleyByPermutations(playerCount: n) { members in
            worth[members.reduce(0) { $0 | (1 << $1) }]
        }
        #expect(zip(shares, byDefinition).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    @Test func sampledValuesAddUpExactlyAndLieNearTheExactOnes() {
        var random = TestRandom(seed: 99)
        let n = 6
        var worth = (0..<(1 << n)).map { _ in random.double(0...100) }
        worth[0] = 0
        let exact = Shapley.exact(playerCount: n) { worth[Int($0)] }
        let orders = Shapley.randomOrders(playerCount: n, count: 4000, seed: 7)
        #expect(orders == Shapley.randomOrders(playerCount: n, count: 4000, seed: 7))
        #expect(orders != Shapley.randomOrders(playerCount: n, count: 4000, seed: 8))
        let (shares, errors) = Shapley.sampled(orders: orders) { worth[Int($0)] }
        #expect(abs(shares.reduce(0, +) - worth[(1 << n) - 1]) < 1e-9)
        for player in 0..<n {
            #expect(errors[player] > 0)
            #expect(abs(shares[player] - exact[player]) < 5 * errors[player], "player \(player)")
        }
        #expect(Shapley.coalitions(along: orders).count == (1 << n) - 1)
    }
}
