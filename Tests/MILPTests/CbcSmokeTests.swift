import CCbc
import Testing

/// Calls COIN-OR CBC through its C API directly, so a broken install shows at once, before any layer of ours.
@Suite("CBC smoke test")
struct CbcSmokeTests {
    /// maximise 5x + 4y + 3z subject to 2x + 3y + z ≤ 5, 4x + y + 2z ≤ 11, 3x + 4y + 2z ≤ 8, x, y, z ∈ {0, 1, 2, …}.
    /// By enumeration the optimum is x = 2, y = 0, z = 1 with value 13.
    @Test func solvesASmallKnownIntegerProgram() throws {
        let model = try #require(Cbc_newModel())
        defer { Cbc_deleteModel(model) }
        Cbc_setLogLevel(model, 0)
        let columnStarts: [CoinBigIndex] = [0, 3, 6, 9]
        let rowIndices: [Int32] = [0, 1, 2, 0, 1, 2, 0, 1, 2]
        let coefficients: [Double] = [2, 4, 3, 3, 1, 4, 1, 2, 2]
        let lower: [Double] = [0, 0, 0]
        let upper: [Double] = [10, 10, 10]
        let objective: [Double] = [5, 4, 3]
        let rowLower: [Double] = [-1e30, -1e30, -1e30]
        let rowUpper: [Double] = [5, 11, 8]
        Cbc_loadProblem(
            model,
            3,
            3,
            columnStarts,
            rowIndices,
            coefficients,
            lower,
            upper,
            objective,
            rowLower,
            rowUpper
        )
        for column in 0..<3 { Cbc_setInteger(model, Int32(column)) }
        Cbc_setObjSense(model, -1)
        _ = Cbc_solve(model)
        #expect(Cbc_isProvenOptimal(model) != 0)
        #expect(abs(Cbc_getObjValue(model) - 13) < 1e-9)
        let solution = try #require(Cbc_getColSolution(model))
        #expect((0..<3).map { solution[$0].rounded() } == [2, 0, 1])
    }
}
