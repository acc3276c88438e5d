import FleetCore
import Testing

/// The ranking's numbers printed without a C call, against C's `%.*f` (FleetCore's `fixedDecimals`).
@Suite("Fixed decimals as C prints them")
struct PrintfDecimalsTests {
    @Test func everyValueAndPlacesPrintsAsCDoes() {
        var random = SplitMix64(seed: 16)
        let magnitudes = [1.0, 10, 100, 1_000, 100_000, 10_000_000, 1e9, 1e12]
        for index in 0..<400_000 {
            let magnitude = magnitudes[index % magnitudes.count]
            let value = Double(random.next() >> 11) / Double(1 << 53) * magnitude
            let places = 1 + index % 4
            #expect(printfDecimals(value, places) == fixedDecimals(value, places), "\(value) to \(places)")
        }
    }

    @Test func tiesZerosAndEdgesPrintAsCDoes() {
        let values: [Double] = [
            0, -0.0, 0.005, 0.015, 0.025, 0.125, 0.375, 2.675, 1.005, 0.05, 0.45, 0.55, 9.995, 99.995, 0.999_999_9,
            1e-9, 0.000_049_999, 0.5, 1.5, 2.5, 1e8, 999_999.995, -1.25, -0.004, .nan, .infinity, -.infinity,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        for value in values {
            for places in 0...7 {
                #expect(printfDecimals(value, places) == fixedDecimals(value, places), "\(value) to \(places)")
            }
        }
    }
}
