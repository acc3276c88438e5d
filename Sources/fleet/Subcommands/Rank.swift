import ArgumentParser
import Dispatch
import FleetCore
import FleetPipeline
import FleetPriority
import Foundation

/// `fleet rank`: the replacement priority of every unit in service, highest first.
struct Rank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank units in service for replacement, with each criterion shown by --explain.",
        discussion: """
            score = 100 × Σ weight·score_i ÷ Σ weight over the criteria age, utilisation, reliability, \
            maintenance, support and criticality (Catalog/priority.toml says how each raw value maps to 0–1 and \
            why). A band rule (past end of support, past the class's maximum life) may raise the band, never the \
            score. In the table, * marks a unit past its class's expected life and ! a band raised by a rule.
            """
    )

    @OptionGroup var asOf: AsOfOptions
    @Option(help: "Show only the first N units.") var top: Int?
    @Flag(help: "Show every criterion's raw value, score, weight and note, and why the band is what it is.")
    var explain = false
    @Option(help: "A TOML file with a [weights] table merged over Catalog/priority.toml.") var weights: String?
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var output: FormatOptions

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
    }

    func run() async throws {
        try await reportingFailures { try printRanking() }
    }

    // Never inlined: the ranking throws a typed error, and Swift 6.3's LLVM crashes (CoroSplit, swifterror) when
    // such a call is inlined into an async function.
    @inline(never)
    private func printRanking() throws {
        let planning = try PlanningCatalog.load(
            from: try catalog.folder(),
            weightsOverride: weights.map { URL(fileURLWithPath: $0) }
        )
        let store = try database.openStore()
        let snapshot = try RegisterSnapshot.load(
            from: store,
            filter: scope.filter(includesDecommissioned: false),
            asOf: asOf.day
        )
        if snapshot.assets.isEmpty { try scope.requireNamesInRegister(store) }
        let ranking = try planning.priorityModel.rank(
            assets: snapshot.assets,
            utilisation: snapshot.utilisation,
            asOf: snapshot.asOf
        )
        let shown = ranking.prefix(top ?? ranking.count)
        switch output.format {
        case .json:
            try printJSON(Array(shown))
        case .csv:
            RankingTable(assessments: shown, includesCriteria: true).table.print(as: .csv)
        case .table:
            if explain {
                print(shown.map(\.explanation).joined(separator: "\n\n"))
            } else {
                print(RankingTable(assessments: shown, includesCriteria: false).rendered)
            }
            printError(
                "\(ranking.count) unit\(ranking.count == 1 ? "" : "s") in service ranked at \(snapshot.asOf.iso)"
                    + (shown.count < ranking.count ? "; the first \(shown.count) shown" : "")
            )
        }
    }
}

/// The ranking as rows: for a terminal (80 columns, names shortened) or as CSV with every criterion.
struct RankingTable<Assessments: Collection<Assessment>> {
    var assessments: Assessments
    var includesCriteria: Bool

    /// Every column, names in full: the CSV.
    var table: TextTable {
        var columns: [TextTable.Column] = [
            .init("rank", .right), .init("asset_id"), .init("trust"), .init("site"), .init("modality"),
            .init("class"), .init("age_years", .right), .init("score", .right), .init("band"), .init("band_rule"),
        ]
        if includesCriteria {
            for criterion in Criterion.allCases {
                columns += [.init("\(criterion)_raw", .right), .init("\(criterion)_score", .right)]
            }
        }
        let rows = Self.rows(of: assessments) { offset, assessment in
            var row = [
                String(offset + 1), assessment.assetID.rawValue, assessment.trust.rawValue, assessment.site.rawValue,
                assessment.modality.rawValue, assessment.equipmentClass.rawValue, fixed(assessment.ageYears, 2),
                fixed(assessment.score, 2), assessment.band.rawValue, assessment.bandRule?.rawValue ?? "",
            ]
            if includesCriteria {
                for criterion in Criterion.allCases {
                    let found = assessment.criterion(criterion)
                    row += [found?.raw.map { fixed($0, 4) } ?? "", found.map { fixed($0.score, 4) } ?? ""]
                }
            }
            return row
        }
        return TextTable(columns, rows: rows)
    }

    /// The terminal table: rank, unit, trust, modality, class, age, score and band, within 80 columns.
    var rendered: String {
        let columns: [TextTable.Column] = [
            .init("#", .right), .init("asset_id"), .init("trust"), .init("mod"), .init("class"),
            .init("age", .right), .init("score", .right), .init("band"),
        ]
        let rows = Self.rows(of: assessments) { offset, assessment in
            [
                String(offset + 1), assessment.assetID.rawValue, shortened(assessment.trust.rawValue, to: 18),
                assessment.modality.rawValue, assessment.equipmentClass.rawValue,
                fixed(assessment.ageYears, 1) + (assessment.isPastExpectedLife ? "*" : " "),
                fixed(assessment.score, 1), bandLabel(assessment),
            ]
        }
        return TextTable(columns, rows: rows).rendered
            + "\n* past the class's expected life   ! band raised by a rule (see --explain)"
    }

    /// `row(offset, assessment)` of every assessment in order, built in parallel chunks (each assessment and its
    /// figures' text is made as it is read: a national ranking is 20,000 rows).
    private static func rows(
        of assessments: Assessments,
        _ row: (Int, Assessment) -> [String]
    ) -> [[String]] {
        let positions = Array(assessments.indices)
        let count = positions.count
        let chunks = count < 2_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 4
        guard chunks > 1 else { return zip(0..<count, positions).map { row($0, assessments[$1]) } }
        var rows = [[String]](repeating: [], count: count)
        rows.withUnsafeMutableBufferPointer { output in
            withoutActuallyEscaping(row) { row in
                // Each chunk writes rows of its own; the assessments are only read.
                let shared = UncheckedShared(output: output, row: row, assessments: assessments, positions: positions)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for offset in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                        shared.output[offset] = shared.row(offset, shared.assessments[shared.positions[offset]])
                    }
                }
            }
        }
        return rows
    }

    /// What the parallel chunks of ``rows(of:_:)`` share: each writes positions of `output` of its own.
    private struct UncheckedShared: @unchecked Sendable {
        let output: UnsafeMutableBufferPointer<[String]>
        let row: (Int, Assessment) -> [String]
        let assessments: Assessments
        let positions: [Assessments.Index]
    }

    private func bandLabel(_ assessment: Assessment) -> String {
        assessment.bandRule == nil ? assessment.band.shortLabel : assessment.band.shortLabel + " !"
    }
}

/// `value` with `places` decimals, for tables and CSV (as C's `%.*f` prints it; the usual figure without a C call).
func fixed(_ value: Double, _ places: Int) -> String { printfDecimals(value, places) }
