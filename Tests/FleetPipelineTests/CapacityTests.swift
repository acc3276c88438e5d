import FleetCore
import FleetPipeline
import FleetProcurement
import Foundation
import Testing

/// The formulas of "Capacity and additional units", each against a hand computation.
@Suite("Capacity")
struct CapacityTests {
    // Classes: CT-A 4 scans an hour (the fixed addition class), CT-B 3, CT-M 3.5 (mobile). Planned 5,000 hours at
    // 80 %: one CT-A gives 4 × 5,000 × 0.8 = 16,000 scans a year, one CT-B 12,000, one CT-M 14,000.
    static let equipment = EquipmentCatalog(
        classes: [
            EquipmentClass(
                name: "CT-A",
                modality: .ct,
                expectedLifeYears: 10,
                maximumLifeYears: 15,
                replacementCostGBP: GBP(900_000),
                annualServiceCostGBP: GBP(90_000),
                scansPerHour: 4,
                source: "test"
            ),
            EquipmentClass(
                name: "CT-B",
                modality: .ct,
                expectedLifeYears: 10,
                maximumLifeYears: 15,
                replacementCostGBP: GBP(700_000),
                annualServiceCostGBP: GBP(70_000),
                scansPerHour: 3,
                source: "test"
            ),
            EquipmentClass(
                name: "CT-M",
                modality: .ct,
                expectedLifeYears: 10,
                maximumLifeYears: 15,
                replacementCostGBP: GBP(1_200_000),
                annualServiceCostGBP: GBP(120_000),
                scansPerHour: 3.5,
                source: "test"
            ),
            EquipmentClass(
                name: "MR-A",
                modality: .mr,
                expectedLifeYears: 10,
                maximumLifeYears: 15,
                replacementCostGBP: GBP(1_000_000),
                annualServiceCostGBP: GBP(100_000),
                scansPerHour: 2,
                source: "test"
            ),
        ]
    )

    static let settings = CapacitySettings(
        targetUtilisation: 0.8,
        mobileRelocationLoss: 0.1,
        outsourcingGBPPerScan: GBP(95),
        modalities: [
            .ct: ModalityCapacity(
                growth: 0.1,
                plannedHoursPerYear: 5000,
                fixedClass: "CT-A",
                mobileClass: "CT-M",
                installationWeeks: 4,
                weeklyMobileHireGBP: GBP(12_000)
            )
        ]
    )

    static let asOf = Day(year: 2026, month: 11, day: 1)!

    static func unit(
        _ id: String,
        _ trust: String,
        _ site: String,
        _ equipmentClass: String,
        network: String = "N",
        modality: Modality = .ct,
        installed: Day = Day(year: 2018, month: 1, day: 1)!,
        status: AssetStatus = .inService,
        mobile: Bool = false
    ) -> Asset {
        Asset(
            id: AssetID(id),
            network: NetworkName(network),
            trust: TrustName(trust),
            site: SiteName(site),
            modality: modality,
            equipmentClass: EquipmentClassName(equipmentClass),
            isMobile: mobile,
            installDate: installed,
            status: status
        )
    }

    /// `scans` a month for each of `months` (year, month) pairs.
    static func feed(_ id: String, _ scans: Int, _ months: [(Int, Int)]) -> [UtilisationRecord] {
        months.map { UtilisationRecord(assetID: AssetID(id), month: YearMonth(year: $0.0, month: $0.1)!, scans: scans) }
    }

    /// The 12 months before as-of, 2025-11 … 2026-10.
    static let window: [(Int, Int)] = [(2025, 11), (2025, 12)] + (1...10).map { (2026, $0) }

    static let assets = [
        // T1: A1 (CT-A) and B1 (CT-B, mobile) in service; D1 decommissioned but scanning for six months.
        unit("A1", "T1", "S1", "CT-A"),
        unit("B1", "T1", "S2", "CT-B", mobile: true),
        unit("D1", "T1", "S1", "CT-B", status: .decommissioned),
        unit("MR1", "T1", "S1", "MR-A", modality: .mr),
        // T2 (network M): C1 has no feed at all; C2 was installed in August 2026.
        unit("C1", "T2", "S3", "CT-A", network: "M"),
        unit("C2", "T2", "S3", "CT-A", network: "M", installed: Day(year: 2026, month: 8, day: 5)!),
        // T3: E1 with nine months of the window.
        unit("E1", "T3", "S4", "CT-A"),
    ]

    static let utilisation: [UtilisationRecord] =
        feed("A1", 1500, window)
        + feed("A1", 99_999, [(2025, 10), (2026, 11)])  // outside the window: not read
        + feed("B1", 1000, window)
        + feed("D1", 500, Array(window.prefix(6)))
        + feed("MR1", 700, window)
        + feed("C2", 900, [(2026, 9), (2026, 10)])
        + feed("E1", 1000, Array(window.suffix(9)))

    static func analyse(_ grouping: CapacityGrouping) -> CapacityAnalysis {
        CapacityPlanning.analyse(
            assets: assets,
            utilisation: utilisation,
            asOf: asOf,
            years: 2026...2030,
            settings: settings,
            equipment: equipment,
            by: grouping
        )
    }

    @Test func capacityPerUnitIsScansAnHourTimesPlannedHoursTimesTargetUtilisation() {
        #expect(Self.settings.capacityPerUnit(scansPerHour: 4, modality: .ct) == 16_000)
        #expect(Self.settings.capacityPerUnit(scansPerHour: 3, modality: .ct) == 12_000)
        #expect(Self.settings.capacityPerUnit(scansPerHour: 2, modality: .mr) == nil)
        #expect(CapacityPlanning.addedUnitCapacity(.ct, settings: Self.settings, equipment: Self.equipment) == 16_000)
        #expect(
            CapacityPlanning.addedUnitCapacity(.ct, settings: Self.settings, equipment: Self.equipment, mobile: true)
                == 14_000
        )
    }

    @Test func demandGrowsFromTheLast12MonthsAndShortfallIsWhatCapacityCannotMeet() throws {
        let rows = Self.analyse(.trust).rows.filter { $0.trust == "T1" }
        // Demand 2026: A1 12 × 1,500 + B1 12 × 1,000 + D1 6 × 500 = 33,000 (the decommissioned unit's scans count,
        // the months outside the window do not). Capacity: A1 16,000 + B1 12,000 = 28,000 (D1 is out of service).
        // Then × 1.1 a year; units short ⌈shortfall ÷ 16,000⌉.
        let expected: [(Int, Double, Double, Int)] = [
            (2026, 33_000, 5_000, 1), (2027, 36_300, 8_300, 1), (2028, 39_930, 11_930, 1),
            (2029, 43_923, 15_923, 1), (2030, 48_315.3, 20_315.3, 2),
        ]
        #expect(rows.map(\.year) == expected.map(\.0))
        for (row, hand) in zip(rows, expected) {
            #expect(row.modality == .ct)
            #expect(row.capacityScans == 28_000)
            #expect(abs(try #require(row.demandScans) - hand.1) < 1e-6)
            #expect(abs(try #require(row.shortfallScans) - hand.2) < 1e-6)
            #expect(row.unitsShort == hand.3)
            #expect(row.missingFeed.isEmpty)
        }
        #expect(abs(try #require(rows[0].utilisation) - 33_000 / 28_000) < 1e-12)
    }

    @Test func aModalityWithoutSettingsIsNotPlanned() {
        #expect(!Self.analyse(.trust).rows.contains { $0.modality == .mr })
    }

    @Test func aUnitWithoutFeedMakesItsTrustsDemandUnknownAndIsNamed() {
        let analysis = Self.analyse(.trust)
        let rows = analysis.rows.filter { $0.trust == "T2" }
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.demandScans == nil && $0.shortfallScans == nil && $0.unitsShort == nil })
        #expect(rows.allSatisfy { $0.missingFeed == ["C1"] && $0.capacityScans == 32_000 })
        #expect(analysis.missingFeed == ["C1"])
    }

    @Test func aUnitWithPartOfTheWindowIsTakenAtItsRunRate() throws {
        let analysis = Self.analyse(.trust)
        // E1: 9 months × 1,000 → 12,000 a year, under its 16,000: no shortfall.
        let first = try #require(analysis.rows.first { $0.trust == "T3" })
        #expect(first.demandScans == 12_000)
        #expect(first.shortfallScans == 0)
        #expect(first.unitsShort == 0)
        // 2030: 12,000 × 1.1^4 = 17,569.2 → shortfall 1,569.2, one unit.
        let last = try #require(analysis.rows.last { $0.trust == "T3" })
        #expect(abs(try #require(last.shortfallScans) - 1_569.2) < 1e-6)
        #expect(last.unitsShort == 1)
        #expect(analysis.annualised.map(\.0) == ["C2", "E1"])
        #expect(analysis.annualised.map(\.1) == [2, 9])
        #expect(analysis.window == YearMonth(year: 2025, month: 11)!...YearMonth(year: 2026, month: 10)!)
    }

    @Test func siteRowsCountEachUnitAtItsSite() throws {
        let rows = Self.analyse(.site).rows.filter { $0.trust == "T1" && $0.year == 2026 }
        #expect(rows.map(\.site) == ["S1", "S2"])
        // S1: A1 18,000 + D1 3,000 against A1's 16,000; S2: the mobile B1's 12,000 against its own 12,000.
        #expect(rows[0].demandScans == 21_000)
        #expect(rows[0].capacityScans == 16_000)
        #expect(rows[0].shortfallScans == 5_000)
        #expect(rows[1].demandScans == 12_000)
        #expect(rows[1].shortfallScans == 0)
    }

    @Test func aNetworksShortfallIsTheSumOfItsTrusts() throws {
        let rows = Self.analyse(.network).rows.filter { $0.year == 2026 }
        let network = try #require(rows.first { $0.network == "N" })
        // T1 33,000 / 28,000 short 5,000; T3 12,000 / 16,000 short 0: the network's 45,000 against 44,000 is
        // short 5,000 (T3's spare capacity does not serve T1), one unit.
        #expect(network.trust == nil)
        #expect(network.demandScans == 45_000)
        #expect(network.capacityScans == 44_000)
        #expect(network.shortfallScans == 5_000)
        #expect(network.unitsShort == 1)
        let other = try #require(rows.first { $0.network == "M" })
        #expect(other.demandScans == nil)
        #expect(other.missingFeed == ["C1"])
    }

    @Test func unitsShortRoundsUpAndIsZeroWithoutAShortfall() {
        #expect(CapacityPlanning.unitsShort(0, unitCapacity: 16_000) == 0)
        #expect(CapacityPlanning.unitsShort(16_000, unitCapacity: 16_000) == 1)
        #expect(CapacityPlanning.unitsShort(16_000.5, unitCapacity: 16_000) == 2)
        #expect(CapacityPlanning.unitsShort(1, unitCapacity: 16_000) == 1)
    }

    @Test func theScenarioGainsShortfallsClassesSitesAndCover() throws {
        let assets = Self.assets + [Self.unit("A9", "T1", "S1", "CT-B")]
        let utilisation = Self.utilisation + Self.feed("A9", 0, Self.window)
        func replacement(_ id: String, _ trust: String, _ equipmentClass: String) -> Replacement {
            Replacement(
                assetID: AssetID(id),
                trust: TrustName(trust),
                equipmentClass: EquipmentClassName(equipmentClass),
                preferredYear: 2027,
                earliestYear: 2026,
                latestYear: 2028,
                deferCostGBPPerYear: GBP(1000),
                advanceCostGBPPerYear: GBP(1000)
            )
        }
        let offers = ["CT-A", "CT-B", "CT-M"].map {
            Offer(
                supplier: "Alpha",
                equipmentClass: EquipmentClassName($0),
                unitPriceGBP: GBP(1_000_000),
                annualServiceGBP: GBP(100_000),
                warrantyYears: 1
            )
        }
        let scenario = Scenario(
            settings: ScenarioSettings(baseYear: 2026, horizonYears: 5, appraisalYears: 10),
            replacements: [replacement("A1", "T1", "CT-A"), replacement("B1", "T1", "CT-B")],
            offers: Array(offers.prefix(2))
        )
        let derived = ScenarioDerivation.addingCapacity(
            to: DerivedScenario(scenario),
            assets: assets,
            utilisation: utilisation,
            asOf: Self.asOf,
            settings: Self.settings,
            equipment: Self.equipment,
            catalog: ProcurementCatalog(
                offers: offers,
                tiers: [],
                appraisal: try AppraisalSettings.load(fromCatalog: ScenarioDerivationTests.catalogFolder)
            )
        )
        let result = derived.scenario
        // T1 now has A1 and A9 at S1: 40,000 scans a year against 33,000 × 1.1^k, short 43,923 − 40,000 = 3,923
        // in 2029 and 48,315.3 − 40,000 = 8,315.3 (up to 8,316) in 2030; T3 is short 1,569.2 in 2030, up to
        // 1,570; T2's demand is unknown (C1 has no feed) and is named. The last decision year's shortfalls hold to
        // the appraisal's end (2035), as long as an added unit's costs run.
        #expect(
            result.capacity
                == [CapacityShortfall(trust: "T1", modality: .ct, year: 2029, shortfallScans: 3923)]
                + (2030...2035).map { CapacityShortfall(trust: "T1", modality: .ct, year: $0, shortfallScans: 8316) }
                + (2030...2035).map { CapacityShortfall(trust: "T3", modality: .ct, year: $0, shortfallScans: 1570) }
        )
        #expect(derived.leftOut.count == 1)
        #expect(derived.leftOut.first?.contains("CT capacity of T2: demand unknown") == true)
        #expect(derived.leftOut.first?.contains("C1") == true)
        // S1 has two CTs in service (A1, A9): no cover; S2 has only the mobile B1: 4 weeks × £12,000.
        #expect(result.replacements.map(\.site) == ["S1", "S2"])
        #expect(result.replacements.map(\.siteUnits) == [2, 1])
        #expect(result.replacements.map(\.coverCostGBP) == [.zero, GBP(48_000)])
        #expect(
            result.classes == [
                CapacityClass(equipmentClass: "CT-A", modality: .ct, capacityScansPerYear: 16_000, isMobile: false),
                CapacityClass(equipmentClass: "CT-M", modality: .ct, capacityScansPerYear: 14_000, isMobile: true),
                CapacityClass(equipmentClass: "CT-B", modality: .ct, capacityScansPerYear: 12_000, isMobile: false),
            ]
        )
        #expect(result.offers.map(\.equipmentClass) == ["CT-A", "CT-B", "CT-M"])
        #expect(result.settings.outsourcingGBPPerScan == GBP(95))
        #expect(result.settings.mobileRelocationLoss == 0.1)
        try result.validate()
    }

    // MARK: capacity.toml

    @Test func theCatalogsCapacitySettingsLoadWithTheirClasses() throws {
        let folder = ScenarioDerivationTests.catalogFolder
        let settings = try CapacitySettings.load(
            fromCatalog: folder,
            equipment: try EquipmentCatalog.load(from: folder)
        )
        #expect(settings.plannedModalities == [.ct, .mr])
        #expect(settings.targetUtilisation == 0.85)
        #expect(settings.modalities[.ct]?.fixedClass == "CT-128")
        #expect(settings.modalities[.mr]?.mobileClass == "MR-MOBILE")
        // Cover for a single-CT site: 4 weeks × £12,000.
        #expect(settings.modalities[.ct]?.coverCostGBP == GBP(48_000))
    }

    static let validText = """
        target_utilisation = 0.85
        mobile_relocation_loss = 0.14
        outsourcing_gbp_per_scan = 95

        [modality.CT]
        growth = 0.10
        planned_hours_per_year = 5110
        fixed_class = "CT-A"
        mobile_class = "CT-M"
        installation_weeks = 4
        weekly_mobile_hire_gbp = 12000
        """

    static func problems(_ text: String) -> [String] {
        do {
            _ = try CapacitySettings.parse(toml: text, file: "capacity.toml", equipment: equipment)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func validTextReads() throws {
        let settings = try CapacitySettings.parse(
            toml: Self.validText,
            file: "capacity.toml",
            equipment: Self.equipment
        )
        #expect(settings.modalities[.ct]?.plannedHoursPerYear == 5110)
        #expect(settings.outsourcingGBPPerScan == GBP(95))
    }

    @Test func badValuesAreNamedWithFileLineKeyAndValue() {
        func edited(_ old: String, _ new: String) -> [String] {
            Self.problems(Self.validText.replacingOccurrences(of: old, with: new))
        }
        #expect(
            edited("growth = 0.10", "growth = \"ten\"") == [
                "capacity.toml:6: key 'modality.CT.growth': value 'ten' — "
                    + "expected a fraction a year from -0.5 to 1, such as 0.10"
            ]
        )
        #expect(
            edited("target_utilisation = 0.85", "target_utilisation = 1.5") == [
                "capacity.toml:1: key 'target_utilisation': value '1.5' — "
                    + "expected a fraction above 0 up to 1, such as 0.85"
            ]
        )
        #expect(
            edited("\"CT-M\"", "\"MR-A\"") == [
                "capacity.toml:9: key 'modality.CT.mobile_class': value 'MR-A' — "
                    + "is a MR class; expected a CT class of equipment-classes.csv"
            ]
        )
        #expect(
            edited("\"CT-A\"", "\"CT-Z\"") == [
                "capacity.toml:8: key 'modality.CT.fixed_class': value 'CT-Z' — "
                    + "is not a class of equipment-classes.csv"
            ]
        )
        #expect(
            edited("[modality.CT]", "[modality.XX]") == [
                "capacity.toml:5: key 'modality.XX' is not a modality code; "
                    + "expected one of CT, MR, XR, US, DEXA, NM, PETCT, MG, FL, IR"
            ]
        )
        #expect(
            Self.problems(Self.validText + "\nspeed = 3\n") == [
                "capacity.toml:12: key 'modality.CT.speed': value '3' — is not a known key; expected one of "
                    + "growth, planned_hours_per_year, fixed_class, mobile_class, installation_weeks, "
                    + "weekly_mobile_hire_gbp"
            ]
        )
        #expect(
            edited("outsourcing_gbp_per_scan = 95\n", "") == [
                "capacity.toml: key 'outsourcing_gbp_per_scan' is missing; expected pounds a scan from 0 to 100,000"
            ]
        )
    }
}
