import ArgumentParser
import FleetCore
import FleetRegister
import Foundation

/// `fleet register`: lists the register, optionally narrowed.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "List the register.",
        discussion: """
            Assets are listed by network, trust, site and asset_id. Names match ignoring case. CSV and JSON use \
            the register file's column names, so a CSV listing can be edited and imported again.
            """
    )

    @OptionGroup var scope: ScopeOptions
    @Flag(help: "Leave out decommissioned units.") var inServiceOnly = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions

    func run() async throws {
        try await reportingFailures {
            let store = try database.openStore()
            let assets = try store.assets(matching: scope.filter(includesDecommissioned: !inServiceOnly))
            if assets.isEmpty { try scope.requireNamesInRegister(store) }
            switch output.format {
            case .json:
                try printJSON(assets.map(RegisterFile.Entry.init))
            case .csv:
                print(
                    ([CSV.line(RegisterFile.columns)] + assets.map { CSV.line(RegisterFile.fields(of: $0)) })
                        .joined(separator: "\n")
                )
            case .table:
                print(RegisterListing(assets: assets).rendered)
                printError("\(assets.count) asset\(assets.count == 1 ? "" : "s")")
            }
        }
    }
}

/// The register as a terminal table of at most ``maximumWidth`` columns: long trust and site names are
/// shortened with an ellipsis, never the identifiers or figures.
struct RegisterListing {
    static let maximumWidth = 120

    var assets: [Asset]

    var rendered: String {
        let columns: [TextTable.Column] = [
            .init("asset_id"), .init("trust"), .init("site"), .init("modality"), .init("class"),
            .init("installed"), .init("replacement", .right), .init("status"),
        ]
        var rows = assets.map { asset in
            [
                asset.id.rawValue, asset.trust.rawValue, asset.site.rawValue,
                asset.modality.rawValue, asset.equipmentClass?.rawValue ?? "",
                asset.installDate.iso, asset.replacementCostGBP?.description ?? "",
                asset.status == .inService ? "in service" : "decommissioned",
            ]
        }
        // Share what is left after the other columns (and two spaces between columns) between trust and site.
        let widths = columns.indices.map { index in rows.reduce(columns[index].title.count) { max($0, $1[index].count) }
        }
        let fixed =
            widths.enumerated().filter { $0.offset != 1 && $0.offset != 2 }.map(\.element).reduce(0, +)
            + 2 * (columns.count - 1)
        let available = max(2 * 12, Self.maximumWidth - fixed)
        if widths[1] + widths[2] > available {
            let trustWidth = min(widths[1], max(12, available - min(widths[2], available / 2)))
            let siteWidth = available - trustWidth
            rows = rows.map { row in
                var row = row
                row[1] = shortened(row[1], to: trustWidth)
                row[2] = shortened(row[2], to: siteWidth)
                return row
            }
        }
        return TextTable(columns, rows: rows).rendered
    }
}
