import FleetCore
import FleetProcurement
import Testing

@Suite("Properties of prices, plans and allocations")
struct PropertyTests {
    @Test(arguments: 1...20)
    func moreUnitsNeverRaiseTheUnitPrice(seed: UInt64) {
        var random = TestRandom(seed: seed)
        let offer = Offer(
            supplier: "S",
            equipmentClass: "K",
            unitPriceGBP: GBP(random.double(50_000...2_000_000)),
            annualServiceGBP: .zero,
            warrantyYears: 1
        )
        var tiers: [Tier] = []
        var minimum = 0
        var discount = 0.0
        for _ in 0..<random.int(0...5) {
            minimum += random.int(1...6)
            discount = min(0.95, discount + random.double(0...0.05))
            tiers.append(Tier(supplier: "S", equipmentClass: "K", minimumUnits: minimum, discount: discount))
        }
        let schedule = PriceSchedule(offer: offer, tiers: tiers.shuffled(using: &random))
        #expect(schedule.tiers.first?.minimumUnits == 1)
        var previous = schedule.unitPricePaid(forOrderOf: 1)
        for units in 2...60 {
            let price = schedule.unitPricePaid(forOrderOf: units)
            #expect(price <= previous, "\(units) units cost more each than \(units - 1)")
            previous = price
        }
    }

    @Test func theHighestTierReachedAppliesToEveryUnit() {
        let offer = Offer(
            supplier: "S",
            equipmentClass: "K",
            unitPriceGBP: GBP(1000),
            annualServiceGBP: .zero,
            warrantyYears: 0
        )
        let tiers = [(3, 0.05), (5, 0.08), (10, 0.12)].map {
            Tier(supplier: "S", equipmentClass: "K", minimumUnits: $0, discount: $1)
        }
        let schedule = PriceSchedule(offer: offer, tiers: tiers)
        let expected: [Int: Double] = [1: 1000, 2: 1000, 3: 950, 4: 950, 5: 920, 9: 920, 10: 880, 50: 880]
        for (units, price) in expected { #expect(abs(schedule.unitPricePaid(forOrderOf: units).pounds - price) < 1e-9) }
        #expect(schedule.tier(forOrderOf: 7).minimumUnits == 5)
        // A tier of one unit replaces the implied list price.
        let oneUnit = PriceSchedule(
            offer: offer,
            tiers: [Tier(supplier: "S", equipmentClass: "K", minimumUnits: 1, discount: 0.02)]
        )
        #expect(oneUnit.tiers == [PriceTier(minimumUnits: 1, discount: 0.02)])
        // Another offer's tiers do not apply.
        let other = PriceSchedule(
            offer: offer,
            tiers: [Tier(supplier: "T", equipmentClass: "K", minimumUnits: 2, discount: 0.5)]
        )
        #expect(other.unitPricePaid(forOrderOf: 5) == GBP(1000))
    }

    /// Without budgets a coalition can always buy as its parts would, and merged orders only earn larger discounts:
    /// joint never costs more than alone, every trust's Shapley share is a saving, and shares add up to the savings.
    @Test(arguments: 1...4)
    func savingsAreNeverNegativeWithoutBudgetsAndSharesAddUp(seed: UInt64) async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 4, replacementCount: 40, classCount: 4, seed: seed)
        )
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let analysis = try await ProcurementAnalysis.analyse(with: optimizer)
        #expect(analysis.savingsGBP.pounds >= -0.01)
        #expect(analysis.status == .optimal)
        let trusts = optimizer.trusts
        for mask in 1..<(1 << trusts.count) {
            let coalition = Set(trusts.indices.filter { mask & (1 << $0) != 0 }.map { trusts[$0] })
            let together = try optimizer.cost(for: coalition).costGBP.pounds
            let apart = coalition.reduce(0.0) { $0 + analysis.standaloneCostByTrust[$1]!.pounds }
            #expect(together <= apart + 0.01)
        }
        let shapley = try #require(analysis.allocation(.shapley))
        for allocation in [shapley, analysis.proportional] {
            let total = allocation.byTrust.values.reduce(0) { $0 + $1.pounds }
            #expect(agree(total, analysis.savingsGBP.pounds))
        }
        #expect(shapley.standardErrorGBP == nil)
    }

    /// Beyond the exact limit the Shapley value is estimated: the estimate still adds up to the savings, states its
    /// standard error, and lies near the exact value.
    @Test func sampledShapleyBeyondTheExactLimit() async throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 5, replacementCount: 50, classCount: 4, seed: 3)
        )
        let exact = try await ProcurementAnalysis.analyse(with: try PurchaseOptimizer(scenario: scenario))
        let sampled = try await ProcurementAnalysis.analyse(
            with: try PurchaseOptimizer(scenario: scenario),
            options: AnalysisOptions(exactShapleyLimit: 4, sampledOrders: 300, seed: 11)
        )
        let sampledShapley = try #require(sampled.allocation(.shapley))
        let error = try #require(sampledShapley.standardErrorGBP).pounds
        #expect(sampledShapley.sampledOrders == 300)
        #expect(agree(sampledShapley.byTrust.values.reduce(0) { $0 + $1.pounds }, sampled.savingsGBP.pounds))
        for (trust, share) in try #require(exact.allocation(.shapley)).byTrust {
            #expect(
                abs(sampledShapley.byTrust[trust]!.pounds - share.pounds) <= 5 * error + 0.01,
                "\(trust)"
            )
        }
        #expect(agree(sampled.jointCostGBP.pounds, exact.jointCostGBP.pounds))
    }

    /// A plan's yearly cash flows, discounted as the spec discounts them, add up to its cost.
    @Test func cashFlowsRebuildThePlanCost() throws {
        let scenario = SyntheticScenario.make(
            SyntheticScenarioSpecification(trustCount: 3, replacementCount: 30, seed: 5)
        )
        let optimizer = try PurchaseOptimizer(scenario: scenario)
        let plan = try optimizer.plan(for: Set(optimizer.trusts))
        let settings = scenario.settings
        var total = 0.0
        var capitalByTrust = 0.0
        for trust in optimizer.trusts {
            let flows = plan.cashFlows(settings: settings, trust: trust)
            for (year, amount) in flows.listCapitalGBP {
                total += settings.discountFactor(year) * (amount - flows.tierDiscountGBP[year, default: .zero]).pounds
                capitalByTrust += flows.capitalPaidGBP(in: year).pounds
                #expect(agree(flows.capitalPaidGBP(in: year).pounds, plan.capitalPaidGBP(by: trust, in: year).pounds))
            }
            for (year, amount) in flows.serviceGBP {
                #expect(year <= settings.lastAppraisalYear)
                total += settings.discountFactor(year) * amount.pounds
            }
            total += flows.timingPenaltyGBP.values.reduce(0) { $0 + $1.pounds }
        }
        #expect(agree(total, plan.totalCostGBP.pounds))
        #expect(agree(capitalByTrust, plan.assignments.reduce(0) { $0 + $1.unitPricePaidGBP.pounds }))
        #expect(plan.orders.reduce(0) { $0 + $1.units } == scenario.replacements.count)
    }

    @Test func greenBookDiscountFactors() {
        let settings = ScenarioSettings(baseYear: 2026, horizonYears: 5, appraisalYears: 10)
        let published = [1.0000, 0.9662, 0.9335, 0.9019, 0.8714, 0.8420]
        for (offset, factor) in published.enumerated() {
            #expect(abs(settings.discountFactor(2026 + offset) - factor) < 5e-5)
        }
        #expect(settings.decisionYears == 2026...2030)
        // Service of £100 a year after a 2-year warranty from 2029: 2031–2035 discounted.
        let service = settings.discountedService(annualService: GBP(100), warrantyYears: 2, purchaseYear: 2029)
        let expected = (2031...2035).reduce(0.0) { $0 + 100 * settings.discountFactor($1) }
        #expect(abs(service.pounds - expected) < 1e-9)
        #expect(settings.discountedService(annualService: GBP(100), warrantyYears: 8, purchaseYear: 2030) == .zero)
    }
}
