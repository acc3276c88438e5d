import ArgumentParser
import FleetProcurement
import Foundation

/// `--routes purchase,lease,mes`: the funding routes the optimiser may use (all that the offers have by default), so a
/// plan can be compared with buying outright.
struct RouteOptions: ParsableArguments {
    @Option(
        help: """
            The funding routes the plan may use, separated by commas: purchase, lease, mes (default: every route the \
            offers have). `--routes purchase` compares against buying outright.
            """
    )
    var routes: String?

    func validate() throws { _ = try chosen() }

    /// The routes chosen; nil for all.
    func chosen() throws -> Set<FundingRoute>? {
        guard let routes else { return nil }
        var chosen: Set<FundingRoute> = []
        for part in routes.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let route = FundingRoute(rawValue: name) else {
                throw ValidationError(
                    "--routes names '\(name)'; expected purchase, lease or mes, separated by commas."
                )
            }
            chosen.insert(route)
        }
        return chosen
    }

    /// `scenario` with only the chosen routes offered.
    /// - Throws: ``ValidationError`` (exit 1) when a class with units to buy is left with no offer.
    func restrict(_ scenario: FleetProcurement.Scenario) throws -> FleetProcurement.Scenario {
        guard let routes = try chosen() else { return scenario }
        let restricted = scenario.restricted(to: routes)
        let offered = Set(restricted.offers.map(\.equipmentClass))
        let missing = Set(scenario.replacements.map(\.equipmentClass)).subtracting(offered).sorted()
        guard missing.isEmpty else {
            throw ValidationError(
                "No offer of \(missing.map(\.rawValue).joined(separator: ", ")) can be paid by "
                    + "\(routes.sorted().map(\.rawValue).joined(separator: " or ")); widen --routes."
            )
        }
        return restricted
    }
}
