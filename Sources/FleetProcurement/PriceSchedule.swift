import FleetCore

/// One step of a price schedule: orders of at least `minimumUnits` units get `discount` off every unit.
public struct PriceTier: Hashable, Sendable, Codable {
    /// The smallest order that earns the discount, in units.
    public var minimumUnits: Int
    /// The discount as a fraction of the list price.
    public var discount: Double

    /// A step at `minimumUnits` with `discount`.
    public init(minimumUnits: Int, discount: Double) {
        self.minimumUnits = minimumUnits
        self.discount = discount
    }
}

/// What one unit of an offer costs in an order of a given size, under all-units volume discounts: every unit of an
/// order of q units pays `unit price × (1 − d)`, where d is the discount of the highest tier with
/// `minimum units ≤ q`; a tier of 1 unit at no discount is implied unless the offer has its own 1-unit tier.
public struct PriceSchedule: Hashable, Sendable {
    /// The offer.
    public let offer: Offer
    /// The tiers in ascending order of minimum units; the first is at 1 unit.
    public let tiers: [PriceTier]

    /// The schedule of `offer` with `tiers` (those of other offers are ignored).
    public init(offer: Offer, tiers: [Tier]) {
        var byMinimum: [Int: Double] = [:]
        for tier in tiers where tier.supplier == offer.supplier && tier.equipmentClass == offer.equipmentClass {
            // Duplicates (which validation rejects) keep the larger discount.
            let minimum = max(1, tier.minimumUnits)
            byMinimum[minimum] = max(byMinimum[minimum] ?? tier.discount, tier.discount)
        }
        if byMinimum[1] == nil { byMinimum[1] = 0 }
        self.offer = offer
        self.tiers = byMinimum.sorted { $0.key < $1.key }.map { PriceTier(minimumUnits: $0.key, discount: $0.value) }
    }

    /// The largest discount of any tier.
    public var deepestDiscount: Double { tiers.map(\.discount).max() ?? 0 }

    /// The tier that applies to an order of `units` units (at least 1).
    public func tier(forOrderOf units: Int) -> PriceTier {
        tiers.last { $0.minimumUnits <= max(units, 1) } ?? tiers[0]
    }

    /// The price paid for each unit of an order of `units` units, in pounds.
    public func unitPricePaid(forOrderOf units: Int) -> GBP {
        offer.unitPriceGBP * (1 - tier(forOrderOf: units).discount)
    }

    /// The ranges of order size over which each tier applies: tier i covers minimumUnits_i … minimumUnits_{i+1} − 1
    /// (the last is open-ended, nil).
    public var brackets: [(tier: PriceTier, maximumUnits: Int?)] {
        tiers.enumerated().map { index, tier in
            (tier, index + 1 < tiers.count ? tiers[index + 1].minimumUnits - 1 : nil)
        }
    }
}
