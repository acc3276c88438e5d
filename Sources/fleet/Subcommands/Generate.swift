import ArgumentParser
import FleetCore
import FleetPipeline
import FleetSynthetic
import Foundation

/// `fleet generate`: a deterministic synthetic register and utilisation feed at any scale.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic synthetic register.csv and utilisation.csv (national scale and beyond).",
        discussion: """
            Refuses, before writing anything (exit 4), a feed of more than 500 million utilisation records (some 20 \
            GB: 50 times England's 20,000 units over 40 years) or files larger than the free space of --out's disk.
            """
    )

    /// The most trusts: the generator draws each unit's trust by scanning them all (England has about 200).
    static let maximumTrusts = 1_000
    /// The most utilisation records: a feed beyond this is not a test file but a fault.
    static let maximumUtilisationRecords = 500_000_000
    /// Bytes a generated row takes, rounded up from `fleet generate` with 200,000 assets (34.2 MB for the
    /// register, 7.1 MB for 196,061 utilisation records).
    static let registerRowBytes = 180.0
    static let utilisationRowBytes = 40.0

    @Option(help: "Trusts in all (England: about 200; at most 1,000).") var trusts: Int = 200
    @Option(help: "Imaging networks the trusts are grouped into (England: about 40).") var networks: Int = 40
    @Option(help: "Installed units in all (England: some 20,000).") var assets: Int = 20_000
    @Option(help: "Months of utilisation per unit.") var months: Int = 24
    @Option(help: "The last month of the feed, YYYY-MM.") var lastMonth: String = "2026-10"
    @Option(help: "The random seed; the same seed gives the same files.") var seed: UInt64 = 1
    @Option(help: "The folder to write register.csv and utilisation.csv into.") var out: String
    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        guard (1...Self.maximumTrusts).contains(trusts), networks >= 1, networks <= trusts else {
            throw ValidationError(
                "--trusts must be from 1 to \(Self.maximumTrusts) and --networks between 1 and --trusts."
            )
        }
        guard assets >= 1, assets <= 10_000_000 else { throw ValidationError("--assets must be from 1 to 10,000,000.") }
        guard (1...240).contains(months) else { throw ValidationError("--months must be from 1 to 240.") }
        guard let month = YearMonth.parse(lastMonth), (1900...2200).contains(month.year) else {
            throw ValidationError("--last-month must be YYYY-MM, in 1900 to 2200.")
        }
    }

    func run() async throws {
        try await reportingFailures {
            try checkSize()
            let equipment = try EquipmentCatalog.load(from: catalog.folder())
            let specification = SyntheticRegisterSpecification(
                trustCount: trusts,
                networkCount: networks,
                assetCount: assets,
                monthCount: months,
                lastMonth: YearMonth.parse(lastMonth)!,
                seed: seed
            )
            let written = try SyntheticRegister(specification: specification, catalog: equipment)
                .write(to: URL(fileURLWithPath: out, isDirectory: true))
            printError(
                "Wrote \(written.assets) assets and \(written.utilisationRecords) utilisation records for \(trusts) "
                    + "trusts in \(networks) networks to \(out)/register.csv and \(out)/utilisation.csv"
            )
        }
    }
}

extension Generate {
    /// Refuses a feed over ``maximumUtilisationRecords`` or files larger than the free space at `--out`.
    /// - Throws: ``GenerationTooLarge`` (exit 4).
    func checkSize() throws {
        let records = Double(assets) * Double(months)
        let bytes = Double(assets) * Self.registerRowBytes + records * Self.utilisationRowBytes
        if records > Double(Self.maximumUtilisationRecords) {
            throw GenerationTooLarge(
                reason: "\(groupedThousands(assets)) assets × \(months) months is up to \(grouped(records)) "
                    + "utilisation records (about \(ProblemSize.gigabytes(bytes))); the most fleet generate writes is "
                    + "\(groupedThousands(Self.maximumUtilisationRecords)) (50 times England's 20,000 units over 40 "
                    + "years)"
            )
        }
        // The nearest folder of --out that exists, for its disk's free space.
        var folder = URL(fileURLWithPath: out, isDirectory: true).standardizedFileURL
        while !FileManager.default.fileExists(atPath: folder.path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: folder.path)
        if let free = (attributes?[.systemFreeSize] as? NSNumber)?.doubleValue, bytes > free {
            throw GenerationTooLarge(
                reason: "it would write about \(ProblemSize.gigabytes(bytes)) into \(out), whose disk has "
                    + "\(ProblemSize.gigabytes(free)) free"
            )
        }
    }
}

/// A synthetic register too large to write (exit 4).
struct GenerationTooLarge: FleetError {
    var reason: String
    var exitCode: FleetExitCode { .failure }
    var description: String { "fleet generate: nothing was written: \(reason)." }
}
