import FleetCore
import FleetProcurement

/// How the funding routes of a plan read in tables.
enum RouteText {
    /// `purchase`, or `lease 2, mes 1` for an order whose units go by several routes.
    static func describe(_ order: Order) -> String {
        let routes = order.routeUnits
        if routes.count == 1 { return routes[0].route.rawValue }
        return routes.map { "\($0.route.rawValue) \($0.units)" }.joined(separator: ", ")
    }

    /// The plan's units by route: `40 bought, 20 leased, 12 by managed service`.
    static func counts(_ plan: Plan) -> String {
        let counts = Dictionary(grouping: plan.assignments, by: \.route).mapValues(\.count)
        let words: [FundingRoute: String] = [.purchase: "bought", .lease: "leased", .mes: "by managed service"]
        return FundingRoute.allCases.compactMap { route in
            counts[route].map { "\(groupedThousands($0)) \(words[route]!)" }
        }.joined(separator: ", ")
    }
}

extension ProcurementReport {
    /// Capital and revenue scored by the joint plan by trust and year against the budgets, when the scenario has
    /// funding routes or revenue budgets (an all-purchase plan's capital is its orders' prices, shown above).
    func printBudgetUse(scenario: FleetProcurement.Scenario) {
        guard scenario.hasFundingRoutes || scenario.hasRevenueBudgets else { return }
        let rows = BudgetUse.rows(plan: analysis.jointPlan, scenario: scenario)
        Swift.print("")
        Swift.print(
            "Capital and revenue of the joint plan by trust and year (\(RouteText.counts(analysis.jointPlan))):"
        )
        var table = TextTable([
            .init("Trust"), .init("Year", .right), .init("Capital", .right), .init("Capital budget", .right),
            .init("Revenue", .right), .init("Revenue budget", .right),
        ])
        let money: (GBP?) -> String = { $0.map { GBP.format($0.pounds) } ?? "" }
        for row in rows {
            table.rows.append([
                shortened(row.trust.rawValue, to: 44), String(row.year), money(row.capitalGBP),
                money(row.capitalBudgetGBP), money(row.revenueGBP), money(row.revenueBudgetGBP),
            ])
        }
        table.print(as: .table)
    }
}
