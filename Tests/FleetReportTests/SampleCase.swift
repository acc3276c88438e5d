import FleetCore
import FleetReport
import Foundation

/// A small business case written by hand: three trusts, a few units (one with hostile text), two years of
/// orders, capital and revenue budgets for one trust; the joint plan and one trust alone lease a unit and take one
/// by managed service.
enum SampleCase {
    static let trusts: [TrustName] = ["Ashby Hospitals", "Barrow Hospitals", "Carlton Hospitals"]

    /// Names as an imported file might spell them, each of which a spreadsheet would run as a formula if it were
    /// written as one.
    static let hostileTrusts: [TrustName] = ["=Ashby Hospitals", "+Barrow Hospitals", "@Carlton Hospitals"]

    /// The sample with every imported name hostile: trusts, sites, asset IDs, classes, suppliers and the title.
    static func hostile() -> BusinessCase {
        make(
            trusts: hostileTrusts,
            sites: ["-Ashby General", "=Barrow CDC", "+Carlton West"],
            assetPrefix: "=",
            title: "-North Network & Co"
        )
    }

    static func make(
        discountRate: Double = 0.035,
        register extraAssets: [Asset] = [],
        trusts: [TrustName] = trusts,
        sites: [SiteName] = ["Ashby General", "Barrow CDC", "Carlton West"],
        assetPrefix: String = "",
        title: String = "North Network"
    ) -> BusinessCase {
        let asOf = Day(year: 2026, month: 11, day: 22)!
        var register = [
            Asset(
                id: AssetID(assetPrefix + "CT-001"),
                network: "North Network",
                trust: trusts[0],
                site: sites[0],
                modality: .ct,
                equipmentClass: "CT-128",
                manufacturer: "=HYPERLINK(\"http://evil.example\",\"click\")",
                model: "+cmd|' /C calc'!A0",
                installDate: Day(year: 2012, month: 3, day: 1)!,
                replacementCostGBP: GBP(900_000),
                endOfSupport: Day(year: 2024, month: 1, day: 1)!,
                criticality: 5,
                notes: "@SUM(1+1)\n\t=1+1"
            ),
            Asset(
                id: AssetID(assetPrefix + "MR-002"),
                network: "North Network",
                trust: trusts[1],
                site: sites[1],
                modality: .mr,
                equipmentClass: "MR-1.5T",
                isMobile: true,
                installDate: Day(year: 2019, month: 6, day: 30)!,
                criticality: 4
            ),
            Asset(
                id: AssetID(assetPrefix + "XR-003"),
                network: "North Network",
                trust: trusts[2],
                site: sites[2],
                modality: .xr,
                installDate: Day(year: 2023, month: 1, day: 15)!,
                status: .decommissioned,
                notes: "-2+3"
            ),
        ]
        register += extraAssets
        let criteria = ["age", "utilisation", "reliability", "maintenance", "support", "criticality"]
        let weights = [3.0, 1.5, 2.0, 1.5, 2.0, 1.0]
        let priorities = [
            PriorityRow(
                rank: 1,
                assetID: AssetID(assetPrefix + "CT-001"),
                trust: trusts[0],
                site: sites[0],
                modality: .ct,
                equipmentClass: "CT-128",
                ageYears: 14.7,
                score: 0,
                band: "replace now",
                bandRule: "past end of support",
                criterionScores: [1, 0.8, 0.6, 0.9, 1, 1],
                criterionWeights: weights
            ),
            PriorityRow(
                rank: 2,
                assetID: AssetID(assetPrefix + "MR-002"),
                trust: trusts[1],
                site: sites[1],
                modality: .mr,
                equipmentClass: "MR-1.5T",
                ageYears: 7.4,
                score: 0,
                band: "plan (3–5 years)",
                bandRule: "",
                criterionScores: [0.45, 0.5, 0.2, 0.3, 0.1, 0.75],
                criterionWeights: weights
            ),
        ]
        func flows(
            _ name: String,
            joint: Bool,
            scale: Double,
            discount: Double,
            routeScale: Double = 0
        ) -> OptionCashFlows {
            let list: [Int: GBP] = [2027: GBP(900_000 * scale), 2028: GBP(1_000_000 * scale)]
            let discounts: [Int: GBP] = [
                2027: GBP(900_000 * scale * discount), 2028: GBP(1_000_000 * scale * discount),
            ]
            var service: [Int: GBP] = [:]
            for year in 2028...2031 { service[year] = GBP(80_000 * scale) }
            let penalties: [Int: GBP] = [2028: GBP(25_000 * scale)]
            var option = OptionCashFlows(
                name: name,
                isJoint: joint,
                listCapitalGBP: list,
                tierDiscountGBP: discounts,
                serviceGBP: service,
                timingPenaltyGBP: penalties,
                optimiserCostGBP: .zero
            )
            if routeScale > 0 {
                // A 7-year lease from 2027 and a 15-year managed service from 2028 (30 % equipment share), paid to
                // the end of the appraisal (2031), scored as capital when they start.
                let rental = 150_000 * routeScale
                let fee = 200_000 * routeScale
                option.rentalsGBP = Dictionary(uniqueKeysWithValues: (2027...2031).map { ($0, GBP(rental)) })
                option.feesGBP = Dictionary(uniqueKeysWithValues: (2028...2031).map { ($0, GBP(fee)) })
                option.coverGBP = [2029: GBP(12_000 * routeScale)]
                option.rightOfUseStartsGBP = [
                    RightOfUseTerm(isManagedService: false, years: 7): [2027: GBP(rental)],
                    RightOfUseTerm(isManagedService: true, years: 15): [2028: GBP(0.3 * fee)],
                ]
                let factor = { (years: Int) in
                    (0..<years).reduce(0.0) { $0 + pow(1 + leaseDiscountRate, -Double($1)) }
                }
                var scored = Dictionary(uniqueKeysWithValues: list.keys.map { ($0, option.capitalPaid($0)) })
                scored[2027, default: .zero] = scored[2027, default: .zero] + GBP(rental * factor(7))
                scored[2028, default: .zero] = scored[2028, default: .zero] + GBP(0.3 * fee * factor(15))
                option.capitalScoredGBP = scored
            }
            let assumptions = AppraisalAssumptions(
                discountRate: discountRate,
                baseYear: 2026,
                horizonYears: 5,
                appraisalYears: 6
            )
            let plain = AppraisalAssumptions(
                discountRate: assumptions.discountRate,
                baseYear: 2026,
                horizonYears: 5,
                appraisalYears: 6,
                optimismBias: 0
            )
            option.optimiserCostGBP = GBP(Appraisal(assumptions: plain).netPresentCost(option))
            return option
        }
        let alone = [
            flows(trusts[0].rawValue, joint: false, scale: 1, discount: 0),
            flows(trusts[1].rawValue, joint: false, scale: 1.5, discount: 0.04, routeScale: 1.5),
            flows(trusts[2].rawValue, joint: false, scale: 0.5, discount: 0),
        ]
        let joint = flows("Joint plan", joint: true, scale: 3, discount: 0.12, routeScale: 1.4)
        let standaloneCosts = alone.map(\.optimiserCostGBP)
        let savings = standaloneCosts.reduce(.zero, +) - joint.optimiserCostGBP
        let total = standaloneCosts.reduce(.zero, +)
        let shapley = [0.30, 0.45, 0.25].map { savings * $0 }
        let allocation = trusts.indices.map { index in
            AllocationRow(
                trust: trusts[index],
                standaloneCostGBP: standaloneCosts[index],
                shapleyShareGBP: shapley[index],
                proportionalShareGBP: savings * (standaloneCosts[index].pounds / total.pounds)
            )
        }
        let orders = [
            OrderRow(
                supplier: "Albion Imaging",
                equipmentClass: "CT-128",
                year: 2027,
                units: 3,
                listPriceGBP: GBP(900_000),
                discount: 0.12,
                tierMinimumUnits: 3
            ),
            OrderRow(
                supplier: "=cmd",
                equipmentClass: "MR-1.5T",
                year: 2028,
                units: 2,
                listPriceGBP: GBP(1_000_000),
                discount: 0.04,
                tierMinimumUnits: 2
            ),
        ]
        var capital: [TrustYear: GBP] = [:]
        for (index, trust) in trusts.enumerated() {
            for year in [2027, 2028] {
                capital[TrustYear(trust: trust, year: year)] = GBP(Double(index + 1) * 100_000 * Double(year - 2026))
            }
        }
        var businessCase = BusinessCase(
            title: title,
            asOf: asOf,
            assumptions: assumptions(discountRate: discountRate),
            register: register,
            priorities: priorities,
            criterionNames: criteria,
            ageProfile: [
                AgeProfileRow(group: trusts[0].rawValue, unitsAged0To5: 0, unitsAged6To10: 0, unitsAgedOver10: 1),
                AgeProfileRow(group: trusts[1].rawValue, unitsAged0To5: 0, unitsAged6To10: 1, unitsAgedOver10: 0),
                AgeProfileRow(group: "North Network", unitsAged0To5: 0, unitsAged6To10: 1, unitsAgedOver10: 1),
            ],
            options: alone + [joint],
            orders: orders,
            allocation: allocation,
            allocationMethod: "Shapley value, exact over 8 coalitions",
            budgets: [
                TrustYear(trust: trusts[0], year: 2027): GBP(150_000),
                TrustYear(trust: trusts[0], year: 2028): GBP(150_000),
            ],
            jointCapitalByTrustYear: capital,
            solverStatus: "optimal"
        )
        businessCase.revenueBudgets = [
            TrustYear(trust: trusts[1], year: 2029): GBP(500_000),
            TrustYear(trust: trusts[1], year: 2031): GBP(900_000),
        ]
        for (index, trust) in trusts.enumerated() {
            for year in 2027...2031 {
                businessCase.jointRevenueByTrustYear[TrustYear(trust: trust, year: year)] = GBP(
                    Double(index + 1) * 90_000 * Double(year - 2026)
                )
            }
        }
        return businessCase
    }

    /// The lease discount rate of the sample, apart from its discount rate so a formula using the wrong one shows.
    static let leaseDiscountRate = 0.041

    /// The sample's appraisal assumptions at `discountRate`: optimism bias 10 % on capital, 5 % on revenue.
    static func assumptions(discountRate: Double = 0.035) -> AppraisalAssumptions {
        AppraisalAssumptions(
            discountRate: discountRate,
            baseYear: 2026,
            horizonYears: 5,
            appraisalYears: 6,
            optimismBias: 0.10,
            operatingOptimismBias: 0.05,
            leaseDiscountRate: leaseDiscountRate
        )
    }
}
