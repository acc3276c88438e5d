import FleetCore
import FleetPipeline
import FleetPriority
import FleetProcurement
import FleetReport
import FleetTestSupport
import Foundation
import Testing

/// The stages joined: a scenario derived from the ranking, and the business case assembled from the analysis.
@Suite("Scenario derivation and business-case assembly")
struct ScenarioDerivationTests {
    static let catalogFolder = packageRoot.appendingPathComponent("Catalog", isDirectory: true)
    static let asOf = Day(year: 2026, month: 11, day: 1)!

    /// An old CT past its maximum life (replace now), a new ultrasound (monitor), an X-ray room past its expected
    /// life, all in one network of two trusts.
    static let assets = [
        Asset(
            id: "A-CT",
            network: "North",
            trust: "Ashby",
            site: "Ashby General",
            modality: .ct,
            equipmentClass: "CT-128",
            installDate: Day(year: 2008, month: 5, day: 1)!,
            criticality: 5
        ),
        Asset(
            id: "A-US",
            network: "North",
            trust: "Ashby",
            site: "Ashby General",
            modality: .us,
            equipmentClass: "US-GEN",
            installDate: Day(year: 2025, month: 1, day: 1)!,
            criticality: 2
        ),
        Asset(
            id: "B-XR",
            network: "North",
            trust: "Barrow",
            site: "Barrow CDC",
            modality: .xr,
            equipmentClass: "XR-DR",
            installDate: Day(year: 2013, month: 6, day: 1)!,
            endOfSupport: Day(year: 2030, month: 1, day: 1)!,
            criticality: 2
        ),
    ]

    /// The CT's last 12 months: 1,460 scans a month, 17,520 a year, just above one CT-128's 17,374.
    static let ctFeed = (0..<12).map {
        UtilisationRecord(assetID: "A-CT", month: asOf.yearMonth.adding(months: -12 + $0), scans: 1_460)
    }

    private func planning(utilisation: [UtilisationRecord] = []) throws -> NetworkPlanning {
        try NetworkPlanning(
            planning: PlanningCatalog.load(from: Self.catalogFolder),
            procurement: ProcurementCatalog.load(from: Self.catalogFolder),
            snapshot: RegisterSnapshot(assets: Self.assets, utilisation: utilisation, asOf: Self.asOf)
        )
    }

    @Test func replacementsFollowTheBandsWindowsClippedToTheHorizon() throws {
        let planning = try planning()
        let derived = planning.scenario(for: "North", budgets: [])
        let scenario = derived.scenario
        #expect(scenario.settings.baseYear == 2026)
        #expect(scenario.settings.decisionYears == 2026...2030)
        let byID = Dictionary(uniqueKeysWithValues: scenario.replacements.map { ($0.assetID, $0) })
        #expect(byID["A-US"] == nil, "a unit to monitor is not replaced within the horizon")
        let ct = try #require(byID["A-CT"])
        let ranked = try #require(planning.ranking.assessments.first { $0.assetID == "A-CT" })
        #expect(ranked.band == .replaceNow)
        #expect((ct.earliestYear, ct.preferredYear, ct.latestYear) == (2026, 2026, 2027))
        #expect(abs(ct.deferCostGBPPerYear.pounds - ranked.deferCostGBPPerYear.pounds) <= 0.005)
        for replacement in scenario.replacements {
            #expect(scenario.settings.decisionYears.contains(replacement.earliestYear))
            #expect(scenario.settings.decisionYears.contains(replacement.latestYear))
            #expect((replacement.earliestYear...replacement.latestYear).contains(replacement.preferredYear))
        }
        // Only the offers and tiers of the classes being replaced.
        #expect(Set(scenario.offers.map(\.equipmentClass)) == Set(scenario.replacements.map(\.equipmentClass)))
        try scenario.validate()
    }

    @Test func budgetsOutsideTheScenarioAreLeftOutAndNamed() throws {
        let budgets = [
            Budget(trust: "Ashby", year: 2026, capitalBudgetGBP: GBP(5_000_000)),
            Budget(trust: "Ashby", year: 2035, capitalBudgetGBP: GBP(1)),
            Budget(trust: "Nowhere", year: 2027, capitalBudgetGBP: GBP(1)),
        ]
        let derived = ScenarioDerivation.derive(
            from: try planning().ranking.assessments,
            catalog: try ProcurementCatalog.load(from: Self.catalogFolder),
            budgets: budgets,
            asOf: Self.asOf
        )
        #expect(derived.scenario.budgets == [budgets[0]])
        #expect(derived.leftOut.contains("budget of Ashby for 2035: outside the plan's years 2026–2030"))
        #expect(derived.leftOut.contains("budget of Nowhere for 2027: the trust has no replacement in the plan"))
    }

    @Test func aClassNoSupplierOffersIsLeftOutAndNamed() throws {
        var catalog = try ProcurementCatalog.load(from: Self.catalogFolder)
        catalog.offers.removeAll { $0.equipmentClass == "CT-128" }
        let derived = ScenarioDerivation.derive(
            from: try planning().ranking.assessments,
            catalog: catalog,
            budgets: [],
            asOf: Self.asOf
        )
        #expect(!derived.scenario.replacements.contains { $0.assetID == "A-CT" })
        #expect(derived.leftOut.contains { $0.hasPrefix("A-CT: no supplier in the catalog offers class CT-128") })
    }

    @Test(arguments: [
        ("../../etc", "etc"), ("Alpha/../Network", "alpha-network"),
        (
            "North West Coast Imaging Network",
            "north-west-coast-imaging-network"
        ), ("///", "network"), ("Réseau Nord", "r-seau-nord"),
    ])
    func folderNamesStayInsideTheOutputFolder(name: String, folder: String) {
        #expect(NetworkPlanning.folderName(for: NetworkName(name)) == folder)
        #expect(NetworkPlanning.folderName(for: nil) == "no-network")
    }

    /// With capacity planned too: the CT's growing shortfall is covered (outsourced scans at least), and its
    /// single-unit site hires cover while it is replaced; the appraisal counts both.
    @Test(arguments: [false, true])
    func theWorkbooksOptionsCostWhatTheOptimiserSaysWithoutBiasOrVAT(capacity: Bool) async throws {
        let planning = try planning(utilisation: capacity ? Self.ctFeed : [])
        let scenario = planning.scenario(for: "North", budgets: [], includesCapacity: capacity).scenario
        let analysis = try await NetworkPlanning.analyse(scenario, timeLimitSeconds: 60)
        if capacity {
            #expect(!analysis.jointPlan.outsourcing.isEmpty, "the case must exercise outsourced scans")
            #expect(analysis.jointPlan.costs.discountedCoverGBP > .zero, "and cover")
        }
        var appraisal = planning.procurement.appraisal
        appraisal.optimismBias = 0
        appraisal.operatingOptimismBias = 0
        appraisal.includesVAT = false
        let businessCase = BusinessCaseAssembly.make(
            title: "North",
            register: Self.assets,
            ranking: planning.ranking.assessments,
            scenario: scenario,
            analysis: analysis,
            appraisal: appraisal,
            asOf: Self.asOf
        )
        #expect(businessCase.options.count == analysis.trusts.count + 1)
        let npc = Appraisal(assumptions: businessCase.assumptions)
        for option in businessCase.options {
            #expect(
                abs(npc.netPresentCost(option) - option.optimiserCostGBP.pounds) < 1e-6
                    * option.optimiserCostGBP.pounds,
                "\(option.name)"
            )
        }
        #expect(businessCase.priorities.map(\.band).contains("replace now"), "the label the Summary's COUNTIF matches")
        #expect(businessCase.ageProfile.last?.group == "North")
        #expect(businessCase.ageProfile.last?.units == 3)
    }
}

extension ScenarioDerivationTests {
    /// A capital budget below every CT-128 price makes the CT a managed service: the workbook's options still cost
    /// what the optimiser says without bias or VAT, and the right-of-use the Appraisal works out from the payments
    /// starting each year (as its PV formulas do) is the capital the optimiser scored.
    @Test func aManagedServiceIsAppraisedByRouteAndScoresTheOptimisersCapital() async throws {
        let planning = try planning()
        let cheapest = try #require(
            planning.procurement.offers.filter { $0.equipmentClass == "CT-128" }.map(\.unitPriceGBP.pounds).min()
        )
        let budgets = (2026...2030).map {
            Budget(trust: "Ashby", year: $0, capitalBudgetGBP: GBP(0.95 * cheapest))
        }
        let scenario = planning.scenario(for: "North", budgets: budgets).scenario
        let analysis = try await NetworkPlanning.analyse(scenario, timeLimitSeconds: 60)
        let ct = try #require(analysis.jointPlan.assignments.first { $0.assetID == "A-CT" })
        #expect(ct.route != .purchase, "the budget must force the CT off purchase")
        var appraisal = planning.procurement.appraisal
        appraisal.optimismBias = 0
        appraisal.operatingOptimismBias = 0
        appraisal.includesVAT = false
        let businessCase = BusinessCaseAssembly.make(
            title: "North",
            register: Self.assets,
            ranking: planning.ranking.assessments,
            scenario: scenario,
            analysis: analysis,
            appraisal: appraisal,
            asOf: Self.asOf
        )
        let assumptions = businessCase.assumptions
        #expect(assumptions.leaseDiscountRate == scenario.settings.leaseDiscountRate)
        let npc = Appraisal(assumptions: assumptions)
        for option in businessCase.options {
            let cost = option.optimiserCostGBP.pounds
            #expect(abs(npc.netPresentCost(option) - cost) < 1e-6 * cost, "\(option.name)")
            for year in assumptions.years {
                var scored = option.capitalPaid(year).pounds
                for (term, starts) in option.rightOfUseStartsGBP {
                    scored +=
                        starts[year, default: .zero].pounds
                        * annuityDueFactor(years: term.years, rate: assumptions.leaseDiscountRate)
                }
                let expected = option.capitalScored(year).pounds
                #expect(abs(scored - expected) < 1e-6 * max(1, expected), "\(option.name) \(year)")
            }
        }
        let joint = try #require(businessCase.jointOption)
        #expect(!joint.rightOfUseStartsGBP.isEmpty)
        #expect(
            joint.capitalScored(ct.year)
                == analysis.jointPlan.cashFlows(settings: scenario.settings).capitalScoredGBP[ct.year]
        )
        #expect(
            businessCase.jointRevenueByTrustYear[TrustYear(trust: "Ashby", year: ct.year)]
                == analysis.jointPlan.revenueGBP(by: "Ashby", in: ct.year, settings: scenario.settings)
        )
    }
}

@Suite("Appraisal settings")
struct AppraisalSettingsTests {
    @Test func theShippedFileHoldsTheGreenBookFigures() throws {
        let settings = try AppraisalSettings.load(fromCatalog: ScenarioDerivationTests.catalogFolder)
        #expect(settings.discountRate == 0.035)
        #expect(settings.vatRate == 0.2)
        #expect(!settings.includesVAT)
        #expect(settings.horizonYears == 5)
        #expect(settings.sensitivity.discountRate == 0.01)
        #expect(settings.optimismBias == 0.10, "the lower bound for equipment capital")
        #expect(settings.operatingOptimismBias == 0, "the lower bound for outsourcing operating cost")
    }

    @Test func theOperatingOptimismBiasIsOptionalAndChecked() throws {
        let base = """
            discount_rate = 0.035
            vat_rate = 0.2
            include_vat = false
            optimism_bias = 0.1
            horizon_years = 5
            appraisal_years = 10
            [sensitivity]
            price = 0.1
            tier_discount = 0.5
            discount_rate = 0.01
            timing_penalty = 0.5
            """
        #expect(try AppraisalSettings.parse(toml: base, file: "appraisal.toml").operatingOptimismBias == 0)
        let set = try AppraisalSettings.parse(
            toml: "operating_optimism_bias = 0.41\n" + base,
            file: "appraisal.toml"
        )
        #expect(set.operatingOptimismBias == 0.41)
        #expect(
            set.assumptions(baseYear: 2026, discountRate: 0.035, horizonYears: 5, appraisalYears: 10)
                .operatingOptimismBias == 0.41
        )
        let error = try #require(throws: InvalidInput.self) {
            try AppraisalSettings.parse(toml: "operating_optimism_bias = -1\n" + base, file: "appraisal.toml")
        }
        #expect(error.description.contains("appraisal.toml:1: key 'operating_optimism_bias': value '-1'"))
    }

    @Test func aBadValueNamesFileLineKeyAndValue() throws {
        let text = """
            discount_rate = 0.035
            vat_rate = 0.2
            include_vat = "maybe"
            optimism_bias = 0.1
            horizon_years = 5
            appraisal_years = 10
            colour = "blue"
            [sensitivity]
            price = 0.1
            tier_discount = 0.5
            discount_rate = 0.01
            timing_penalty = 0.5
            """
        let error = try #require(throws: InvalidInput.self) {
            try AppraisalSettings.parse(toml: text, file: "appraisal.toml")
        }
        #expect(
            error.description.contains("appraisal.toml:3: key 'include_vat': value 'maybe' — expected true or false")
        )
        #expect(error.description.contains("appraisal.toml:7: key 'colour': value 'blue' — is not a known key"))
        #expect(error.description.hasSuffix("2 problems in appraisal.toml; nothing was written."))
    }
}
