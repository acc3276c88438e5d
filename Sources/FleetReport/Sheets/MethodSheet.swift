/// The Method sheet: how each figure is computed, with its source.
enum MethodSheet: BusinessCaseSheet {
    static let name = "Method"

    static func write(in context: SheetContext) throws {
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.method)
        try sheet.title("Method and sources")
        try sheet.notes("How each figure of this workbook is computed, and where its inputs come from.")
        try sheet.wrap(column: 1, width: 120)
        try sheet.header(["Figure", "How it is computed"], row: 3)
        for (offset, entry) in entries.enumerated() {
            try sheet.text(entry.0, row: 4 + offset, column: 0, format: Style.bold)
            try sheet.text(entry.1, row: 4 + offset, column: 1)
        }
        try sheet.finish(context.page(frozenRows: 4, repeatedRows: 3...3))
    }

    static let entries: [(String, String)] = [
        (
            "Register",
            "The asset register as imported (CSV or the first sheet of an XLSX), one row per unit. Text from imported files is written as text, never as a formula. Age is in completed years at the as-of date."
        ),
        (
            "Replacement priority",
            "Each in-service unit is scored on six criteria — age against its class's expected life, utilisation (scans in the 12 months before the as-of date ÷ the class's capacity over the available hours), reliability (uptime over those months), maintenance (service cost over those months ÷ replacement cost), months to end of support, and clinical criticality. Each criterion maps to a score from 0 (no need to replace) to 1 (urgent) by the piecewise-linear mappings in Catalog/priority.toml, whose comments cite their basis (COCIR age rule; ESR 2014: over 10 years no longer state of the art; CAR life expectancies; service-contract uptime guarantees; service contracts at 8–12 % of capital a year). Score = 100 × Σ weight × criterion score ÷ Σ weight. Bands come from score thresholds; a rule (past end of support, older than the class's maximum life) can raise a band but never the score."
        ),
        (
            "Age profile",
            "Share of in-service units aged 0–5, 6–10 and over 10 completed years, by trust and for the network, against the COCIR golden rules: at least 60 % aged 0–5, at most 30 % aged 6–10, at most 10 % over 10."
        ),
        (
            "Procurement model",
            "Each replacement is bought once, from one supplier offering its class, in one year of its window. An order is a supplier, class and year across the coalition; all units in an order cost unit price × (1 − d), d the discount of the highest tier the order's size reaches. Cost of a replacement = discounted price paid + discounted service from the end of warranty to the end of the appraisal period + undiscounted timing penalties for deferring or bringing forward. Budgets cap each trust's undiscounted capital in each year. The mixed-integer programme is solved to proven optimality by COIN-OR CBC for the joint plan and for each trust alone."
        ),
        (
            "Funding routes",
            "A unit may be bought outright, leased or taken as a managed equipment service (MES) where its offer says so; tier discounts apply to the order's units whatever their route, to price, rental and fee alike. Net present cost over the appraisal: purchase, discounted price + service after warranty; lease, the discounted rentals over the lease term or to the end of the appraisal + service as for a purchase; MES, the discounted fees only (maintenance and refresh included). Capital is scored as IFRS 16 requires of the NHS from 1 April 2022: a purchase's price paid; for a lease the right-of-use asset, the present value of all the term's rentals at the lease discount rate (HM Treasury's rate for leases, set each year), rental k discounted by (1 + rate)^−k; for an MES the same for the equipment share of the fee, all in the year the unit starts. Revenue is service after warranty, rentals and fees, by year. Capital budgets bind capital scored, revenue budgets revenue. The Appraisal shows each option's capital by route — price paid (purchase), lease right-of-use and MES equipment right-of-use, each right-of-use a PV formula over the payments starting that year at the named lease discount rate — and its revenue by route (service after warranty, lease rentals, MES fees, and with capacity planned the outsourced scans and the cover hired while a single unit is replaced). Capital scored is a budget measure, not a cash cost: the cash cost is capital paid plus revenue, so each option's NPC without optimism bias and VAT equals the optimiser's. The Capital plan sets capital scored and revenue by trust and year against the capital and revenue budgets. Sources: IFRS 16 as adopted by the DHSC group accounting manual (from April 2022); HFMA on leases (typically about 7 years) and managed equipment services (10–15 years stand-alone, 15–20 with replacement clauses)."
        ),
        (
            "VAT-neutral comparison",
            "Purchase VAT on equipment for NHS healthcare use is generally not recoverable, while maintenance bought under a separate contract may be (contracted-out services) and a bundled managed service may not be. The Green Book (§5.55) compares options as if their VAT treatment were the same, so the routes are compared before VAT; the Assumptions can add VAT to the cash costs. The Green Book (§6.11) also counts residual values at the end of the appraisal; this appraisal does not, which favours routes whose payments run past its end (leases and MES started late)."
        ),
        (
            "Savings",
            "Savings = Σ each trust's optimal cost alone − the optimal joint cost. Both are net present costs at the Green Book discount rate, before optimism bias and VAT, exactly as the optimiser minimises them."
        ),
        (
            "Savings allocation",
            "Shapley value of the savings game v(S) = Σ_{t∈S} cost({t}) − cost(S): each trust's marginal saving averaged over every order in which trusts could join, computed exactly from the optimal cost of every coalition (up to 12 trusts; beyond, by sampled orders with a stated standard error). The proportional split divides the savings in proportion to standalone cost."
        ),
        (
            "Appraisal",
            "HM Treasury Green Book: discount factor (1 + r)^−(year − base year), r = 3.5 % a year for years 0–30; year 0 is not discounted. Optimism bias, Green Book supplementary guidance, two named Assumptions: on capital paid (equipment/development capital, upper bound 200 %, lower bound 10 %; the workbook uses 10 % for off-the-shelf equipment at quoted framework prices) and on revenue (outsourcing operating cost, upper bound 41 %, lower bound 0 %; the workbook uses 0 %, as service, rentals and fees are fixed by contract). With the revenue bias at 0 a lease or managed service escapes the capital bias its equipment would carry if bought; raise the revenue bias to test the route choice. VAT is left out of a public-value appraisal as a transfer; the Assumptions can count it. Timing penalties are counted undiscounted, as the optimiser counts them. NPV of joint procurement = NPC of every trust alone − NPC of the joint plan."
        ),
        (
            "Sensitivity",
            "The NPV of joint procurement with one input moved down and up by the step on the Assumptions sheet, holding both plans fixed: equipment prices (capital paid for purchases; lease rentals and MES fees are held, as the offers quote them), tier discounts (on purchases), the discount rate (percentage points) and timing penalties. The tornado chart shows the change from the base NPV."
        ),
        (
            "Sources",
            "COCIR golden rules for the installed base; European Society of Radiology (2014); Canadian Association of Radiologists life expectancies; NHS Supply Chain and published CT/MRI prices (2002–2021); NHS community diagnostic centre planning throughput; DH Capital Equipment Fund bulk buys (13.4 % saved, 2012–14); HM Treasury Green Book and its supplementary guidance on optimism bias. Catalog/ holds each figure with its source; users override any of them."
        ),
    ]
}
