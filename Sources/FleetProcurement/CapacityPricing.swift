import FleetCore

/// Prices a plan with added units and outsourced scans by the spec's rules: replacements and added units are
/// priced together by ``Plan/priced(_:trusts:status:scenario:)`` (each order counts both, every unit pays the tier
/// its order's size earns under its funding route, a replacement adds its timing penalty); a replacement adds
/// D(y) × its cover, and an outsourced scan costs D(y) × the outsourcing price.
enum CapacityPricing {
    /// One unit added at (or owned by) a trust: its `classes.csv` entry, offer, year and funding route.
    struct AddedUnits {
        var trust: Int
        var entry: Int
        var offer: Int
        var year: Int
        var route: FundingRoute
    }

    /// What a plan buys and how it covers its shortfalls, before pricing: replacements bought, units added, and
    /// the scans shared from mobile units and outsourced by capacity row (position in `scenario.capacity`). Those
    /// of models of disjoint parts of a scenario add up to the plan of the whole.
    struct Purchases {
        var picks: [Pick] = []
        var additions: [AddedUnits] = []
        var shares: [Int: Double] = [:]
        var outsourced: [Int: Double] = [:]

        static func + (lhs: Purchases, rhs: Purchases) -> Purchases {
            Purchases(
                picks: lhs.picks + rhs.picks,
                additions: lhs.additions + rhs.additions,
                shares: lhs.shares.merging(rhs.shares) { $0 + $1 },
                outsourced: lhs.outsourced.merging(rhs.outsourced) { $0 + $1 }
            )
        }
    }

    /// The plan of coalition `mask` that buys `purchases`, priced by the spec's rules.
    static func plan(prepared: PreparedScenario, mask: UInt64, purchases: Purchases, status: PlanStatus) -> Plan {
        let picks = purchases.picks
        let additions = purchases.additions
        let shares = purchases.shares
        let outsourced = purchases.outsourced
        let scenario = prepared.scenario
        let settings = scenario.settings
        var choices: [(replacement: Replacement, supplier: SupplierName, year: Int, route: FundingRoute)] = picks.map {
            (scenario.replacements[$0.replacement], scenario.offers[$0.offer].supplier, $0.year, $0.route)
        }
        var added: [Addition] = []
        var numbers: [String: Int] = [:]
        for unit in additions.sorted(by: {
            ($0.year, $0.trust, $0.offer, $0.route) < ($1.year, $1.trust, $1.offer, $1.route)
        }) {
            let entry = scenario.classes[unit.entry]
            let offer = scenario.offers[unit.offer]
            let stem = "ADD-\(entry.equipmentClass)-\(unit.year)"
            numbers[stem, default: 0] += 1
            let id = AssetID("\(stem)-\(numbers[stem]!)")
            let trust = prepared.trusts[unit.trust]
            choices.append(
                (
                    Replacement(
                        assetID: id,
                        trust: trust,
                        equipmentClass: entry.equipmentClass,
                        preferredYear: unit.year,
                        earliestYear: unit.year,
                        latestYear: unit.year,
                        deferCostGBPPerYear: .zero,
                        advanceCostGBPPerYear: .zero,
                        purpose: .addition
                    ),
                    offer.supplier, unit.year, unit.route
                )
            )
            added.append(
                Addition(
                    id: id,
                    trust: trust,
                    site: entry.isMobile ? "shared mobile" : "fixed, at the trust",
                    equipmentClass: entry.equipmentClass,
                    modality: entry.modality,
                    isMobile: entry.isMobile,
                    year: unit.year,
                    supplier: offer.supplier,
                    capacityScansPerYear: entry.capacityScansPerYear
                        * (entry.isMobile ? 1 - settings.mobileRelocationLoss : 1),
                    unitPricePaidGBP: .zero,
                    discountedCostAtListGBP: GBP(
                        prepared.unitCost(offer: unit.offer, route: unit.route, year: unit.year, discount: 0)
                    ),
                    route: unit.route
                )
            )
        }
        var plan = Plan.priced(choices, trusts: prepared.trusts(in: mask), status: status, scenario: prepared)
        let paid = Dictionary(uniqueKeysWithValues: plan.assignments.map { ($0.assetID, $0.unitPricePaidGBP) })
        for index in added.indices { added[index].unitPricePaidGBP = paid[added[index].id] ?? .zero }
        for pick in picks {
            let replacement = scenario.replacements[pick.replacement]
            plan.costs.discountedCoverGBP =
                plan.costs.discountedCoverGBP + replacement.coverCostGBP * settings.discountFactor(pick.year)
        }
        let price = settings.outsourcingGBPPerScan ?? .zero
        for (row, shortfall) in scenario.capacity.enumerated() {
            if let scans = outsourced[row], scans > 1e-6 {
                let scans = (scans * 1000).rounded() / 1000
                plan.costs.discountedOutsourcingGBP =
                    plan.costs.discountedOutsourcingGBP + price * scans * settings.discountFactor(shortfall.year)
                plan.outsourcing.append(
                    OutsourcedScans(
                        trust: shortfall.trust,
                        modality: shortfall.modality,
                        year: shortfall.year,
                        scans: scans,
                        costGBP: price * scans
                    )
                )
            }
            if let scans = shares[row], scans > 1e-6 {
                plan.mobileShares.append(
                    MobileShare(
                        trust: shortfall.trust,
                        modality: shortfall.modality,
                        year: shortfall.year,
                        scans: (scans * 1000).rounded() / 1000
                    )
                )
            }
        }
        plan.additions = added
        return plan
    }
}
