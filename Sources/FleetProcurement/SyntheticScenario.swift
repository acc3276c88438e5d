import FleetCore
import Foundation

/// The size and seed of a synthetic procurement scenario.
public struct SyntheticScenarioSpecification: Sendable, Hashable {
    /// Trusts in the network.
    public var trustCount: Int
    /// Units to replace over the horizon.
    public var replacementCount: Int
    /// Equipment classes (at most 12).
    public var classCount: Int
    /// Suppliers (at most 5).
    public var supplierCount: Int
    /// The first decision year.
    public var baseYear: Int
    /// Decision years.
    public var horizonYears: Int
    /// Years of service costs counted.
    public var appraisalYears: Int
    /// Whether each trust gets a capital budget for each year.
    public var hasBudgets: Bool
    /// When given, every trust's budget in every year is this many pounds (instead of the generator's budgets).
    public var flatBudgetGBP: Double?
    /// Whether every offer may also be leased or taken as a managed service, on the Catalog's illustrative terms
    /// (lease: 7 years at 18.5 % of the list price a year; MES: 15 years at 24 % a year, 30 % of it equipment).
    public var hasFundingRoutes: Bool
    /// The seed: the same specification always gives the same scenario.
    public var seed: UInt64

    /// A specification; the defaults are a ten-trust network replacing 300 units over five years.
    public init(
        trustCount: Int = 10,
        replacementCount: Int = 300,
        classCount: Int = 8,
        supplierCount: Int = 3,
        baseYear: Int = 2026,
        horizonYears: Int = 5,
        appraisalYears: Int = 10,
        hasBudgets: Bool = false,
        flatBudgetGBP: Double? = nil,
        hasFundingRoutes: Bool = false,
        seed: UInt64 = 1
    ) {
        self.trustCount = trustCount
        self.replacementCount = replacementCount
        self.classCount = classCount
        self.supplierCount = supplierCount
        self.baseYear = baseYear
        self.horizonYears = horizonYears
        self.appraisalYears = appraisalYears
        self.hasBudgets = hasBudgets
        self.flatBudgetGBP = flatBudgetGBP
        self.hasFundingRoutes = hasFundingRoutes
        self.seed = seed
    }
}

/// Deterministic synthetic procurement scenarios for tests and benchmarks, with prices and discounts in the ranges
/// of REFERENCE.md: list prices around the public figures (CT about £0.9m, MRI £1m, an X-ray room £160k), service
/// 8–12 % of the price a year, and all-units tiers that reach 8–13 % (the Capital Equipment Fund saved 13.4 %, the
/// 2008 national imaging framework up to 12 %).
public enum SyntheticScenario {
    /// A class to draw from: name, indicative list price, relative frequency among replacements, and the order
    /// sizes at which tiers start.
    private static let classes: [(name: String, priceGBP: Double, frequency: Double, tierMinimums: [Int])] = [
        ("XR-DR", 160_000, 30, [3, 6, 10, 20]),
        ("US-GEN", 60_000, 30, [3, 6, 12, 24]),
        ("CT-128", 900_000, 8, [2, 3, 5]),
        ("MR-1.5T", 1_000_000, 6, [2, 3, 5]),
        ("MG-3D", 400_000, 7, [2, 4, 6]),
        ("FL-RF", 450_000, 5, [2, 4, 6]),
        ("CT-64", 700_000, 5, [2, 3, 5]),
        ("MR-3T", 1_600_000, 3, [2, 3, 4]),
        ("DEXA", 90_000, 3, [2, 4, 6]),
        ("IR-CATH", 1_100_000, 3, [2, 3, 5]),
        ("NM-SPECT", 600_000, 2, [2, 3, 4]),
        ("PETCT", 2_200_000, 1, [2, 3]),
    ]

    /// The scenario of `specification`.
    public static func make(_ specification: SyntheticScenarioSpecification) -> Scenario {
        var random = SplitMix64(seed: specification.seed)
        let settings = ScenarioSettings(
            baseYear: specification.baseYear,
            horizonYears: specification.horizonYears,
            appraisalYears: specification.appraisalYears
        )
        let years = settings.decisionYears
        let chosen = Array(classes.prefix(max(1, min(specification.classCount, classes.count))))
        let suppliers = (0..<max(1, min(specification.supplierCount, 5))).map {
            SupplierName("Supplier \(Character(UnicodeScalar(65 + $0)!))")
        }

        var offers: [Offer] = []
        var tiers: [Tier] = []
        for equipmentClass in chosen {
            for (index, supplier) in suppliers.enumerated() {
                // Every class has at least two suppliers; a third may not offer the rarer classes.
                if index >= 2, equipmentClass.frequency < 4, Double.random(in: 0..<1, using: &random) < 0.5 { continue }
                let price =
                    (equipmentClass.priceGBP * Double.random(in: 0.92...1.08, using: &random) / 1000).rounded() * 1000
                let service = (price * Double.random(in: 0.08...0.12, using: &random) / 100).rounded() * 100
                let name = EquipmentClassName(equipmentClass.name)
                offers.append(
                    Offer(
                        supplier: supplier,
                        equipmentClass: name,
                        unitPriceGBP: GBP(price),
                        annualServiceGBP: GBP(service),
                        warrantyYears: Int.random(in: 1...2, using: &random),
                        // Drawn from nothing random, so that the scenario is otherwise the same with routes or without.
                        lease: specification.hasFundingRoutes
                            ? LeaseTerms(annualRentalGBP: GBP(price * 0.185), years: 7) : nil,
                        managedService: specification.hasFundingRoutes
                            ? ManagedServiceTerms(annualFeeGBP: GBP(price * 0.24), years: 15, equipmentShare: 0.3) : nil
                    )
                )
                // Discounts climb to 8–13 % at the top tier.
                let top = Double.random(in: 0.08...0.13, using: &random)
                let count = equipmentClass.tierMinimums.count
                for (step, minimum) in equipmentClass.tierMinimums.enumerated() {
                    let discount = (top * Double(step + 1) / Double(count) * 1000).rounded() / 1000
                    tiers.append(
                        Tier(supplier: supplier, equipmentClass: name, minimumUnits: minimum, discount: discount)
                    )
                }
            }
        }

        let trusts = (0..<max(1, specification.trustCount)).map { TrustName(String(format: "Trust %02d", $0 + 1)) }
        let trustWeights = trusts.map { ($0, Double.random(in: 0.5...1.5, using: &random)) }
        let classWeights = chosen.map { ($0, $0.frequency) }
        var replacements: [Replacement] = []
        for number in 0..<specification.replacementCount {
            let trust = random.weighted(trustWeights)
            let equipmentClass = random.weighted(classWeights)
            let preferred = Int.random(in: years, using: &random)
            let earliest = max(years.lowerBound, preferred - random.weighted([(0, 0.4), (1, 0.4), (2, 0.2)]))
            let latest = min(years.upperBound, preferred + random.weighted([(0, 0.3), (1, 0.5), (2, 0.2)]))
            // Penalty rates by priority band, as fractions of the list price a year, so units of a band group.
            let band = random.weighted([(0.04, 0.5), (0.08, 0.35), (0.15, 0.15)])
            replacements.append(
                Replacement(
                    assetID: AssetID(String(format: "SYN-%04d", number + 1)),
                    trust: trust,
                    equipmentClass: EquipmentClassName(equipmentClass.name),
                    preferredYear: preferred,
                    earliestYear: earliest,
                    latestYear: latest,
                    deferCostGBPPerYear: GBP(equipmentClass.priceGBP * band),
                    advanceCostGBPPerYear: GBP(equipmentClass.priceGBP * 0.03)
                )
            )
        }

        var budgets: [Budget] = []
        if let flat = specification.flatBudgetGBP {
            // The same capital for every trust and year, as a network often sets it.
            budgets = trusts.flatMap { trust in
                years.map { Budget(trust: trust, year: $0, capitalBudgetGBP: GBP(flat)) }
            }
        } else if specification.hasBudgets {
            // Each year's budget is 100–115 % of what the trust would pay at list price buying every unit in its
            // preferred year (so the trust alone can always meet it), and a tenth of its yearly average in a year it
            // would buy nothing: enough to stop orders being bunched freely into one year.
            let listPrice = Dictionary(chosen.map { ($0.name, $0.priceGBP * 1.08) }, uniquingKeysWith: max)
            for trust in trusts {
                let own = replacements.filter { $0.trust == trust }
                let total = own.reduce(0) { $0 + listPrice[$1.equipmentClass.rawValue]! }
                for year in years {
                    let atPreferred = own.filter { $0.preferredYear == year }
                        .reduce(0) { $0 + listPrice[$1.equipmentClass.rawValue]! }
                    let floor = total / Double(years.count) / 10
                    let amount = max(atPreferred * Double.random(in: 1.0...1.15, using: &random), floor)
                    budgets.append(
                        Budget(trust: trust, year: year, capitalBudgetGBP: GBP((amount / 10_000).rounded(.up) * 10_000))
                    )
                }
            }
        }
        return Scenario(settings: settings, replacements: replacements, offers: offers, tiers: tiers, budgets: budgets)
    }
}
