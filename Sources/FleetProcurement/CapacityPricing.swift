import FleetCore

/// Prices a plan with added units and outsourced scans by the spec's rules: each order (supplier, class, year)
/// counts its replacements and its added units, every unit paying the price of the tier the order's size earns;
/// a unit costs D(y) × price paid + its discounted service after warranty; a replacement adds its timing penalty
/// and D(y) × its cover; an outsourced scan costs D(y) × the outsourcing price.
enum CapacityPricing {
    static func plan(
        prepared: PreparedScenario,
        mask: UInt64,
        picks: [Pick],
        additions: [(trust: Int, entry: Int, offer: Int, year: Int, count: Int)],
        shares: [Int: Double],
        outsourced: [Int: Double],
        status: PlanStatus
    ) -> Plan {
        let scenario = prepared.scenario
        let settings = scenario.settings
        var units: [OrderKey: Int] = [:]
        for pick in picks {
            let offer = scenario.offers[pick.offer]
            units[OrderKey(offer.supplier, offer.equipmentClass, pick.year), default: 0] += 1
        }
        for addition in additions {
            let offer = scenario.offers[addition.offer]
            units[OrderKey(offer.supplier, offer.equipmentClass, addition.year), default: 0] += addition.count
        }
        var orders: [Order] = []
        for (key, count) in units {
            let schedule = prepared.schedule(key.offer)
            let tier = schedule.tier(forOrderOf: count)
            orders.append(
                Order(
                    supplier: key.offer.supplier,
                    equipmentClass: key.offer.equipmentClass,
                    year: key.year,
                    units: count,
                    listUnitPriceGBP: schedule.offer.unitPriceGBP,
                    discount: tier.discount,
                    tierMinimumUnits: tier.minimumUnits
                )
            )
        }
        orders.sort { ($0.supplier, $0.equipmentClass, $0.year) < ($1.supplier, $1.equipmentClass, $1.year) }
        var costs = CostComponents.zero
        var assignments: [Assignment] = []
        func assign(_ id: AssetID, trust: TrustName, offerIndex: Int, year: Int, penalty: GBP) {
            let offer = scenario.offers[offerIndex]
            let key = OrderKey(offer.supplier, offer.equipmentClass, year)
            let tier = prepared.schedules[offerIndex].tier(forOrderOf: units[key] ?? 1)
            let paid = offer.unitPriceGBP * (1 - tier.discount)
            costs.discountedCapitalGBP = costs.discountedCapitalGBP + paid * settings.discountFactor(year)
            costs.discountedServiceGBP =
                costs.discountedServiceGBP
                + settings.discountedService(
                    annualService: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    purchaseYear: year
                )
            costs.timingPenaltyGBP = costs.timingPenaltyGBP + penalty
            assignments.append(
                Assignment(
                    assetID: id,
                    trust: trust,
                    equipmentClass: offer.equipmentClass,
                    supplier: offer.supplier,
                    year: year,
                    listUnitPriceGBP: offer.unitPriceGBP,
                    discount: tier.discount,
                    unitPricePaidGBP: paid,
                    annualServiceGBP: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    timingPenaltyGBP: penalty
                )
            )
        }
        for pick in picks {
            let replacement = scenario.replacements[pick.replacement]
            assign(
                replacement.assetID,
                trust: replacement.trust,
                offerIndex: pick.offer,
                year: pick.year,
                penalty: replacement.timingPenalty(inYear: pick.year)
            )
            costs.discountedCoverGBP =
                costs.discountedCoverGBP + replacement.coverCostGBP * settings.discountFactor(pick.year)
        }
        var added: [Addition] = []
        var numbers: [String: Int] = [:]
        for addition in additions.sorted(by: { ($0.year, $0.trust, $0.offer) < ($1.year, $1.trust, $1.offer) }) {
            let entry = scenario.classes[addition.entry]
            let offer = scenario.offers[addition.offer]
            for _ in 0..<addition.count {
                let stem = "ADD-\(entry.equipmentClass)-\(addition.year)"
                numbers[stem, default: 0] += 1
                let id = AssetID("\(stem)-\(numbers[stem]!)")
                let trust = prepared.trusts[addition.trust]
                assign(id, trust: trust, offerIndex: addition.offer, year: addition.year, penalty: .zero)
                added.append(
                    Addition(
                        id: id,
                        trust: trust,
                        site: entry.isMobile ? "shared mobile" : "fixed, at the trust",
                        equipmentClass: entry.equipmentClass,
                        modality: entry.modality,
                        isMobile: entry.isMobile,
                        year: addition.year,
                        supplier: offer.supplier,
                        capacityScansPerYear: entry.capacityScansPerYear
                            * (entry.isMobile ? 1 - settings.mobileRelocationLoss : 1),
                        unitPricePaidGBP: assignments.last!.unitPricePaidGBP,
                        discountedCostAtListGBP: offer.unitPriceGBP * settings.discountFactor(addition.year)
                            + settings.discountedService(
                                annualService: offer.annualServiceGBP,
                                warrantyYears: offer.warrantyYears,
                                purchaseYear: addition.year
                            )
                    )
                )
            }
        }
        assignments.sort { $0.assetID < $1.assetID }
        let price = settings.outsourcingGBPPerScan ?? .zero
        var outsourcing: [OutsourcedScans] = []
        var mobileShares: [MobileShare] = []
        for (row, shortfall) in scenario.capacity.enumerated() {
            if let scans = outsourced[row], scans > 1e-6 {
                let scans = (scans * 1000).rounded() / 1000
                costs.discountedOutsourcingGBP =
                    costs.discountedOutsourcingGBP + price * scans * settings.discountFactor(shortfall.year)
                outsourcing.append(
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
                mobileShares.append(
                    MobileShare(
                        trust: shortfall.trust,
                        modality: shortfall.modality,
                        year: shortfall.year,
                        scans: (scans * 1000).rounded() / 1000
                    )
                )
            }
        }
        return Plan(
            trusts: prepared.trusts(in: mask),
            status: status,
            assignments: assignments,
            orders: orders,
            costs: costs,
            isBudgetRelaxed: false,
            budgetShortfalls: [],
            additions: added,
            outsourcing: outsourcing,
            mobileShares: mobileShares
        )
    }
}
