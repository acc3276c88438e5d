import ArgumentParser
import FleetCore
import FleetPipeline
import Foundation

/// `fleet capacity`: demand against capacity by trust (or site, or network), modality and year.
struct CapacityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Demand against capacity by trust, site or network, modality and year, and the units short.",
        discussion: """
            demand(y) = scans in the 12 months before --as-of by the group's units of the modality (whatever their \
            status now) × (1 + growth)^(y − base year); capacity = Σ over its units in service of the class's scans \
            an hour × planned hours × target utilisation; shortfall = max(0, demand − capacity); units short = \
            ⌈shortfall ÷ one fixed addition unit's capacity⌉ (Catalog/capacity.toml, equipment-classes.csv). The \
            years are the plan's: as-of's year and the horizon of Catalog/appraisal.toml. A unit in service with no \
            feed month in the window makes its group's demand unknown (named, never taken as 0); one with some \
            months is taken at its run rate. A network's shortfall is the sum of its trusts'.
            """
    )

    @OptionGroup var asOf: AsOfOptions
    @Option(help: "Group by trust, site or network.") var by: CapacityGrouping = .trust
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var output: FormatOptions

    func run() async throws {
        try await reportingFailures { try printCapacity() }
    }

    @inline(never)
    private func printCapacity() throws {
        let folder = try catalog.folder()
        let equipment = try EquipmentCatalog.load(from: folder)
        let settings = try CapacitySettings.load(fromCatalog: folder, equipment: equipment)
        let appraisal = try AppraisalSettings.load(fromCatalog: folder)
        let store = try database.openStore()
        let snapshot = try RegisterSnapshot.load(
            from: store,
            filter: scope.filter(includesDecommissioned: true),
            asOf: asOf.day
        )
        if snapshot.assets.isEmpty { try scope.requireNamesInRegister(store) }
        if let modality = scope.filter(includesDecommissioned: true).modality, settings.modalities[modality] == nil {
            // Not an error (the register may hold such units), but an empty table needs its reason.
            let planned = settings.plannedModalities.map(\.rawValue).joined(separator: ", ")
            printError(
                "\(modality.rawValue) has no table in Catalog/capacity.toml, so its capacity is not planned "
                    + "(planned: \(planned.isEmpty ? "none" : planned))."
            )
        }
        let base = snapshot.asOf.year
        let analysis = CapacityPlanning.analyse(
            assets: snapshot.assets,
            utilisation: snapshot.utilisation,
            asOf: snapshot.asOf,
            years: base...(base + appraisal.horizonYears - 1),
            settings: settings,
            equipment: equipment,
            by: by
        )
        switch output.format {
        case .json: try printJSON(analysis.rows.map { CapacityJSONRow(row: $0, grouping: by) })
        case .csv: CapacityTable(rows: analysis.rows, grouping: by).table(forTerminal: false).print(as: .csv)
        case .table:
            print(CapacityTable(rows: analysis.rows, grouping: by).table(forTerminal: true).rendered)
            printError("Feed \(CapacityTable.assumptions(analysis, settings)).")
        }
        if !analysis.missingFeed.isEmpty {
            printError(
                "No feed in \(analysis.window.lowerBound)–\(analysis.window.upperBound) for "
                    + analysis.missingFeed.map(\.rawValue).joined(separator: ", ")
                    + ": demand unknown where they are (import their utilisation to plan it)."
            )
        }
        if !analysis.annualised.isEmpty {
            printError(
                "Taken at their run rate (scans × 12 ÷ months with a feed): "
                    + analysis.annualised.map { "\($0.0) (\($0.1) months)" }.joined(separator: ", ") + "."
            )
        }
    }
}

extension CapacityGrouping: ExpressibleByArgument {}

extension CapacityTable {
    /// What the demand and capacity rest on, after the word "feed": the feed's window, the growth a year of each
    /// modality and the target utilisation ("2025-11 to 2026-10; growth a year CT 10.0 %, …; target utilisation
    /// 85 %").
    static func assumptions(_ analysis: CapacityAnalysis, _ settings: CapacitySettings) -> String {
        "\(analysis.window.lowerBound) to \(analysis.window.upperBound); growth a year "
            + settings.plannedModalities.map { "\($0) \(fixed(settings.modalities[$0]!.growth * 100, 1)) %" }
            .joined(separator: ", ")
            + "; target utilisation \(fixed(settings.targetUtilisation * 100, 0)) %"
    }
}

/// One row of `fleet capacity --format json`: the spec's keys, with nulls where demand is unknown.
struct CapacityJSONRow: Encodable {
    var row: CapacityRow
    var grouping: CapacityGrouping

    enum Keys: String, CodingKey {
        case network, trust, site, modality, year
        case demandScans = "demand_scans"
        case capacityScans = "capacity_scans"
        case utilisation
        case shortfallScans = "shortfall_scans"
        case unitsShort = "units_short"
        case missingFeed = "missing_feed"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(row.network?.rawValue, forKey: .network)
        if grouping != .network { try container.encode(row.trust?.rawValue, forKey: .trust) }
        if grouping == .site { try container.encode(row.site?.rawValue, forKey: .site) }
        try container.encode(row.modality.rawValue, forKey: .modality)
        try container.encode(row.year, forKey: .year)
        try container.encode(row.demandScans.map(Self.scans), forKey: .demandScans)
        try container.encode(Self.scans(row.capacityScans), forKey: .capacityScans)
        try container.encode(row.utilisation.map { ($0 * 10_000).rounded() / 10_000 }, forKey: .utilisation)
        try container.encode(row.shortfallScans.map(Self.scans), forKey: .shortfallScans)
        try container.encode(row.unitsShort, forKey: .unitsShort)
        try container.encode(row.missingFeed.map(\.rawValue), forKey: .missingFeed)
    }

    /// Scans to one decimal place (demand grown by a rate is rarely whole).
    static func scans(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

/// Capacity rows as a table.
struct CapacityTable {
    var rows: [CapacityRow]
    var grouping: CapacityGrouping

    func table(forTerminal: Bool) -> TextTable {
        var columns: [TextTable.Column] = []
        switch grouping {
        case .trust: columns = [.init("trust")]
        case .site: columns = [.init("trust"), .init("site")]
        case .network: columns = [.init("network")]
        }
        columns += [
            .init("modality"), .init("year", .right), .init(forTerminal ? "demand" : "demand_scans", .right),
            .init(forTerminal ? "capacity" : "capacity_scans", .right), .init("utilisation", .right),
            .init(forTerminal ? "shortfall" : "shortfall_scans", .right), .init("units_short", .right),
        ]
        if !forTerminal { columns.append(.init("missing_feed")) }
        let unknown = forTerminal ? "no feed" : ""
        return TextTable(
            columns,
            rows: rows.map { row in
                var cells: [String] = []
                switch grouping {
                case .trust: cells = [name(row.trust?.rawValue, forTerminal)]
                case .site: cells = [name(row.trust?.rawValue, forTerminal), name(row.site?.rawValue, forTerminal)]
                case .network: cells = [name(row.network?.rawValue, forTerminal)]
                }
                cells += [
                    row.modality.rawValue, String(row.year),
                    row.demandScans.map { forTerminal ? grouped($0) : fixed($0, 1) } ?? unknown,
                    forTerminal ? grouped(row.capacityScans) : fixed(row.capacityScans, 1),
                    row.utilisation.map { forTerminal ? fixed($0 * 100, 1) + " %" : fixed($0, 4) } ?? unknown,
                    row.shortfallScans.map { forTerminal ? grouped($0) : fixed($0, 1) } ?? unknown,
                    row.unitsShort.map(String.init) ?? unknown,
                ]
                if !forTerminal { cells.append(row.missingFeed.map(\.rawValue).joined(separator: ";")) }
                return cells
            }
        )
    }

    private func name(_ text: String?, _ forTerminal: Bool) -> String {
        forTerminal ? shortened(text ?? "", to: 28) : text ?? ""
    }
}
