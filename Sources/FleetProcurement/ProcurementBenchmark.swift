/// The published figure a joint plan's savings are compared with: the Department of Health's Capital Equipment
/// Fund bulk buys of imaging equipment (2012–14) saved 13.4 % on the price of buying trust by trust.
public enum ProcurementBenchmark {
    /// The share saved by the national bulk buys, as a fraction.
    public static let nationalBulkBuySavingsShare = 0.134
    /// The comparison in running text: `national bulk buys saved 13.4 %`.
    public static let nationalBulkBuySentence = "national bulk buys saved 13.4 %"
    /// Where the figure comes from.
    public static let nationalBulkBuySource = "DH Capital Equipment Fund, 2012–14"
}
