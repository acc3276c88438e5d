import ArgumentParser
import FleetCore
import FleetPipeline
import FleetPriority
import Foundation

/// `fleet age-profile`: the share of units aged 0–5, 6–10 and over 10 years, against the COCIR rule.
struct AgeProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "age-profile",
        abstract: "Share of units aged 0–5, 6–10 and over 10 completed years, against the COCIR rule.",
        discussion: """
            COCIR's golden rules for an imaging installed base: at least 60 % of units 5 years old or younger, \
            at most 30 % aged 6–10, at most 10 % older than 10 years. Ages are completed years at --as-of; \
            decommissioned units are left out.
            """
    )

    @OptionGroup var asOf: AsOfOptions
    @Option(help: "Group by trust, modality or network.") var by: AgeProfile.Grouping = .trust
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions

    func run() async throws {
        try await reportingFailures {
            let store = try database.openStore()
            let assets = try store.assets(matching: scope.filter(includesDecommissioned: false))
            if assets.isEmpty { try scope.requireNamesInRegister(store) }
            let rows = AgeProfile.compute(assets: assets, asOf: asOf.day, by: by)
            switch output.format {
            case .json: try printJSON(rows)
            case .csv: AgeProfileTable(rows: rows).table(forTerminal: false).print(as: .csv)
            case .table:
                print(AgeProfileTable(rows: rows).table(forTerminal: true).rendered)
                let failing = rows.filter { !$0.meetsRule }.count
                print(
                    "COCIR rule: ≥ 60 % aged 0–5, ≤ 30 % aged 6–10, ≤ 10 % over 10. "
                        + "\(failing) of \(rows.count) group\(rows.count == 1 ? "" : "s") break\(failing == 1 ? "s" : "") it (✗)."
                )
            }
        }
    }
}

extension AgeProfile.Grouping: ExpressibleByArgument {}

/// Age-profile rows as a table: shares as percentages, the rule's verdict per group.
struct AgeProfileTable {
    var rows: [AgeProfile.Row]

    func table(forTerminal: Bool) -> TextTable {
        let columns: [TextTable.Column] = [
            .init("group"), .init("units", .right), .init(forTerminal ? "0–5" : "share_0_5", .right),
            .init(forTerminal ? "6–10" : "share_6_10", .right),
            .init(forTerminal ? "over 10" : "share_over_10", .right),
            .init(forTerminal ? "COCIR" : "meets_rule"),
        ]
        let percent = { (share: Double) in forTerminal ? fixed(share * 100, 1) + " %" : fixed(share, 4) }
        return TextTable(
            columns,
            rows: rows.map { row in
                [
                    forTerminal ? shortened(row.group, to: 40) : row.group, String(row.units), percent(row.share0To5),
                    percent(row.share6To10), percent(row.shareOver10),
                    forTerminal ? (row.meetsRule ? "✓ meets" : "✗ breaks") : String(row.meetsRule),
                ]
            }
        )
    }
}
