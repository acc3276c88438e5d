import ArgumentParser
import FleetCore
import FleetSynthetic
import Foundation

/// `fleet generate`: a deterministic synthetic register and utilisation feed at any scale.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic synthetic register.csv and utilisation.csv (national scale and beyond).")

    @Option(help: "Trusts in all (England: about 200).") var trusts: Int = 200
    @Option(help: "Imaging networks the trusts are grouped into (England: about 40).") var networks: Int = 40
    @Option(help: "Installed units in all (England: some 20,000).") var assets: Int = 20_000
    @Option(help: "Months of utilisation per unit.") var months: Int = 24
    @Option(help: "The last month of the feed, YYYY-MM.") var lastMonth: String = "2026-10"
    @Option(help: "The random seed; the same seed gives the same files.") var seed: UInt64 = 1
    @Option(help: "The folder to write register.csv and utilisation.csv into.") var out: String
    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        guard trusts >= 1, networks >= 1, networks <= trusts else {
            throw ValidationError("--trusts must be at least 1 and --networks between 1 and --trusts.")
        }
        guard assets >= 1, assets <= 10_000_000 else { throw ValidationError("--assets must be from 1 to 10,000,000.") }
        guard (1...240).contains(months) else { throw ValidationError("--months must be from 1 to 240.") }
        guard YearMonth.parse(lastMonth) != nil else { throw ValidationError("--last-month must be YYYY-MM.") }
    }

    func run() async throws {
        try await reportingFailures {
            let equipment = try EquipmentCatalog.load(from: catalog.url)
            let specification = SyntheticRegisterSpecification(
                trustCount: trusts, networkCount: networks, assetCount: assets, monthCount: months,
                lastMonth: YearMonth.parse(lastMonth)!, seed: seed)
            let written = try SyntheticRegister(specification: specification, catalog: equipment)
                .write(to: URL(fileURLWithPath: out, isDirectory: true))
            printError(
                "Wrote \(written.assets) assets and \(written.utilisationRecords) utilisation records for \(trusts) "
                    + "trusts in \(networks) networks to \(out)/register.csv and \(out)/utilisation.csv")
        }
    }
}
