import MILP

// Funding routes in the purchase model (the spec's "Funding routes"). With budgets, every tier of an order keeps one
// quantity per trust and route: the tier rows count all of them (tiers apply to the order's units whatever their
// route), capital rows weigh each by the capital its route scores, revenue rows by what it spends in the row's year.
// Without budgets every unit takes its offer's cheapest route at the order's tier (``PreparedScenario/unitCost``).

/// A trust's units of one funding route in one tier of an order.
struct RouteQuantity: Hashable, Comparable {
    var trust: Int
    var route: FundingRoute

    static func < (lhs: RouteQuantity, rhs: RouteQuantity) -> Bool { (lhs.trust, lhs.route) < (rhs.trust, rhs.route) }
}

extension FundingRoute {
    /// The suffix of a model variable's name: none for a purchase, so an all-purchase model reads as before.
    var suffix: String { self == .purchase ? "" : "_\(rawValue)" }
}

extension PurchaseModel {
    /// The quantities of `trust` among `quantity`, in route order.
    func quantities(_ quantity: [RouteQuantity: Variable], trust: Int) -> [Variable] {
        quantity.filter { $0.key.trust == trust }.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The capital `trust` scores in `year`: each of its quantities of the year's orders at its route's capital.
    func capitalTerms(trust: Int, year: Int) -> [Term]? {
        var terms: [Term] = []
        for order in orders where order.year == year {
            for bracket in order.brackets {
                for route in scenario.routes[order.offer] {
                    guard let quantity = bracket.quantity[RouteQuantity(trust: trust, route: route.route)] else {
                        continue
                    }
                    let capital = route.capital(discount: bracket.discount)
                    if capital != 0 { terms.append(Term(capital, quantity)) }
                }
            }
        }
        return terms
    }

    /// The revenue `trust` spends in `year`: each of its quantities of orders up to that year at what its route
    /// spends in it (service after warranty, the rental within the lease, the fee within the managed service).
    func revenueTerms(trust: Int, year: Int) -> [Term]? {
        var terms: [Term] = []
        for order in orders where order.year <= year {
            for bracket in order.brackets {
                for route in scenario.routes[order.offer] {
                    guard let quantity = bracket.quantity[RouteQuantity(trust: trust, route: route.route)] else {
                        continue
                    }
                    let spend = route.revenue(purchaseYear: order.year, discount: bracket.discount, in: year)
                    if spend != 0 { terms.append(Term(spend, quantity)) }
                }
            }
        }
        return terms
    }
}
