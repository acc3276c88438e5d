import ArgumentParser
import FleetCore
import FleetPipeline
import FleetPriority
import FleetProcurement
import FleetRegister
import FleetReport
import FleetSynthetic
import Foundation

/// `fleet demo --national`: the national report on a generated register.
extension Demo {
    static let nationalFolder = "Reports/national-demo"
    static let nationalDatabase = "Reports/national-demo.sqlite"

    /// Generates the register and feed, imports them, ranks, plans every network and writes the national workbook,
    /// printing its headline figures.
    func runNational() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let out = self.out ?? "Reports/national-business-case-demo.xlsx"
        let folder = URL(fileURLWithPath: Self.nationalFolder, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try freshStore(default: Self.nationalDatabase)

        // 1. A synthetic national register (`fleet generate`), imported as a user would import theirs.
        let specification = SyntheticRegisterSpecification(
            trustCount: trusts,
            networkCount: networks,
            assetCount: assets,
            monthCount: 24,
            lastMonth: YearMonth(year: 2026, month: 10)!,
            seed: 1
        )
        _ = try SyntheticRegister(
            specification: specification,
            catalog: try EquipmentCatalog.load(from: catalog.folder())
        )
        .write(to: folder)
        let register = try DemoRegister.load(from: folder, into: store, today: RegisterImport.currentDay())
        let asOf = register.asOf
        print("ImagingFleet national demo: a synthetic register (\(folder.relativePath)/), as of \(asOf.iso)")
        print("")
        print(
            "Register: \(groupedThousands(register.unitsRead)) units of \(trusts) trusts in \(networks) networks; "
                + "\(groupedThousands(register.utilisationRecordsRead)) monthly utilisation records to "
                + "\(register.lastMonth)."
        )

        // 2. The national ranking, then each network planned as one coalition of its trusts.
        let planning = try NetworkPlanning(
            planning: try PlanningCatalog.load(from: catalog.folder()),
            procurement: try ProcurementCatalog.load(from: catalog.folder()),
            snapshot: try RegisterSnapshot.load(from: store, filter: .inService, asOf: asOf)
        )
        let bands = Dictionary(grouping: planning.ranking.assessments, by: \.band).mapValues(\.count)
        print(
            "Replacement priority: \(groupedThousands(planning.ranking.count)) units ranked nationally; "
                + Band.allCases.map { "\(groupedThousands(bands[$0] ?? 0)) \($0.label)" }.joined(separator: ", ")
                + "."
        )
        let national = try await NationalPlanning.plan(planning, budgets: [], timeLimitSeconds: timeLimit)

        // 3. The national workbook.
        let written = try planning.writeNationalReport(
            title: "Synthetic national register",
            register: register.assets,
            national: national,
            to: out
        )
        let figures = written.national.figures
        let totals = figures.totals
        print("")
        print(
            "Joint procurement network by network (\(figures.status)): \(groupedThousands(national.replacementCount)) "
                + "replacements, \(groupedThousands(totals.unitsToReplaceNow)) units to replace now."
        )
        print("Joint plans:      \(GBP.format(totals.jointCostGBP))")
        print("Each trust alone: \(GBP.format(totals.standaloneCostGBP))")
        print(
            "Savings:          \(GBP.format(totals.savingsGBP)) (\(fixed(100 * totals.savingsShare, 1)) % of buying alone)"
        )
        print(
            "Age profile:      \(groupedThousands(totals.unitsAgedOver10)) units over 10 years old "
                + "(\(fixed(100 * totals.shareAgedOver10, 1)) %; COCIR: at most 10 %)"
        )
        print("")
        let top = figures.networks.sorted { $0.savingsGBP > $1.savingsGBP }.prefix(5)
        print("Largest savings (of \(figures.networks.count) networks):")
        var table = TextTable([
            .init("network"), .init("trusts", .right), .init("alone", .right), .init("joint", .right),
            .init("savings", .right), .init("%", .right),
        ])
        for network in top {
            table.rows.append([
                shortened(network.name, to: 40), String(network.trusts), GBP.format(network.standaloneCostGBP),
                GBP.format(network.jointCostGBP), GBP.format(network.savingsGBP), fixed(100 * network.savingsShare, 1),
            ])
        }
        print(table.rendered)
        print("")
        print("National report: \(written.national.path)")
        printError("Done in \(secondsText(started.duration(to: clock.now))).")
    }
}
