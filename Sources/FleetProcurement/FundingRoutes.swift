import FleetCore
import Foundation

// The spec's "Funding routes": what one unit of an offer costs, scores as capital and spends from revenue under
// each route. Every figure here is for one unit at a tier discount d, which applies to price, rental and fee alike
// (not to service, which no tier discounts).

extension ScenarioSettings {
    /// Σ_{k=0}^{years−1} (1 + lease rate)^−k: what a payment a year for `years` years, the first now, is worth now at
    /// the lease discount rate.
    public func leaseAnnuityFactor(years: Int) -> Double { annuityDueFactor(years: years, rate: leaseDiscountRate) }

    /// Σ D(τ) for τ from `first` to min(`first` + `years` − 1, last appraisal year): the discount factors of a payment
    /// a year for `years` years from `first`, as far as the appraisal counts.
    public func discountFactorSum(from first: Int, years: Int) -> Double {
        let last = min(first + years - 1, lastAppraisalYear)
        guard years > 0, first <= last else { return 0 }
        var factors = 0.0
        for year in first...last { factors += discountFactor(year) }
        return factors
    }

    /// The net present cost in base-year pounds of one unit of `offer` under `route`, bought in `year` at tier
    /// `discount`, without its timing penalty: purchase, D(y)·price paid + service after warranty; lease, the
    /// discounted rentals over min(term, appraisal end) + service as for a purchase; MES, the discounted fees only.
    public func netPresentCost(of offer: Offer, route: FundingRoute, year: Int, discount: Double) -> Double {
        switch route {
        case .purchase:
            return discountFactor(year) * offer.unitPriceGBP.pounds * (1 - discount)
                + discountedService(
                    annualService: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    purchaseYear: year
                ).pounds
        case .lease:
            guard let lease = offer.lease else { return .infinity }
            return lease.annualRentalGBP.pounds * (1 - discount) * discountFactorSum(from: year, years: lease.years)
                + discountedService(
                    annualService: offer.annualServiceGBP,
                    warrantyYears: offer.warrantyYears,
                    purchaseYear: year
                ).pounds
        case .mes:
            guard let service = offer.managedService else { return .infinity }
            return service.annualFeeGBP.pounds * (1 - discount) * discountFactorSum(from: year, years: service.years)
        }
    }

    /// The capital scored in the year of purchase by one unit of `offer` under `route` at tier `discount` (IFRS 16):
    /// purchase, the price paid; lease, the present value of the term's rentals at the lease discount rate, rental k
    /// discounted by (1 + rate)^−k; MES, the same for the equipment share of the fee.
    public func capitalScored(by offer: Offer, route: FundingRoute, discount: Double) -> Double {
        switch route {
        case .purchase:
            return offer.unitPriceGBP.pounds * (1 - discount)
        case .lease:
            guard let lease = offer.lease else { return .infinity }
            return lease.annualRentalGBP.pounds * (1 - discount) * leaseAnnuityFactor(years: lease.years)
        case .mes:
            guard let service = offer.managedService else { return .infinity }
            return service.equipmentShare * service.annualFeeGBP.pounds * (1 - discount)
                * leaseAnnuityFactor(years: service.years)
        }
    }

    /// The revenue scored in `year` by one unit of `offer` bought in `purchaseYear` under `route` at tier
    /// `discount`: service after warranty (purchase, lease), the rental within the lease's term, the fee within the
    /// managed service's term.
    public func revenueScored(
        by offer: Offer,
        route: FundingRoute,
        purchaseYear: Int,
        discount: Double,
        in year: Int
    ) -> Double {
        guard year >= purchaseYear else { return 0 }
        let service = year >= purchaseYear + offer.warrantyYears ? offer.annualServiceGBP.pounds : 0
        switch route {
        case .purchase:
            return service
        case .lease:
            guard let lease = offer.lease else { return 0 }
            let rental = year < purchaseYear + lease.years ? lease.annualRentalGBP.pounds * (1 - discount) : 0
            return rental + service
        case .mes:
            guard let managed = offer.managedService else { return 0 }
            return year < purchaseYear + managed.years ? managed.annualFeeGBP.pounds * (1 - discount) : 0
        }
    }
}
