/// The national Method sheet: how the national figures are made from the networks', then the business case's
/// method entries, which hold for each network.
enum NationalMethodSheet: NationalSheet {
    static let name = "Method"

    static func write(in context: NationalContext) throws {
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.method)
        try sheet.title("Method and sources")
        try sheet.notes("How each figure of this workbook is computed, and where its inputs come from.")
        try sheet.wrap(column: 1, width: 120)
        try sheet.header(["Figure", "How it is computed"], row: 3)
        let entries =
            context.nationalCase.plansProcurement
            ? entries + MethodSheet.entries
            : registerEntries + MethodSheet.entries.filter { registerMethodEntries.contains($0.0) }
        for (offset, entry) in entries.enumerated() {
            try sheet.text(entry.0, row: 4 + offset, column: 0, format: Style.bold)
            try sheet.text(entry.1, row: 4 + offset, column: 1)
        }
        try sheet.finish(context.labels.page(frozenRows: 4, repeatedRows: 3...3))
    }

    /// The business case's method entries that hold for a case that plans no procurement.
    static let registerMethodEntries: Set<String> = ["Register", "Replacement priority", "Age profile"]

    /// The national entries of a case that plans no procurement.
    static let registerEntries: [(String, String)] = [
        (
            "Networks",
            "No procurement is planned in this workbook (fleet report --no-procurement): it shows the register, the national ranking and the age profile, network by network. Trusts on the Networks sheet are those that run a unit in service. A national figure is the sum over the networks; every total on these sheets is a formula over the rows it sums. Without --no-procurement, fleet report also plans each network's joint procurement, its trusts' plans alone and the split of its savings."
        ),
        nationalRanking,
    ]

    /// How the national ranking is made: an entry of both workbooks.
    static let nationalRanking: (String, String) =
        (
            "National ranking",
            "The Priority sheet ranks every in-service unit of every network by the same model and weights, so rank 1 is the most urgent unit in the register; a network's own business case ranks its units within the network. Units to replace now on the Networks sheet are each network's units in the 'replace now' band; their sum is the Summary's count on the Priority sheet."
        )

    static let entries: [(String, String)] = [
        (
            "Networks",
            "Procurement is planned network by network: each network's trusts are one coalition that buys together, and networks do not buy together. Each network's joint plan, each of its trusts' plans alone and the Shapley split of its savings are exactly those of that network's own business case (fleet report --network NAME, or --each-network DIR). A national figure is the sum over the networks; every total on these sheets is a formula over the rows it sums."
        ),
        nationalRanking,
        (
            "Capital plan by network",
            "Capital actually paid, undiscounted, by year: each network's joint plan summed over its trusts, and each trust alone summed over the network's trusts. Budgets are the network's trusts' capital budgets summed, shown only for years in which at least one trust has one."
        ),
    ]
}
