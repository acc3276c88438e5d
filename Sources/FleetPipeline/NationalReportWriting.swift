import FleetCore
import FleetPriority
import FleetProcurement
import FleetReport
import Foundation

/// The national workbook written, and each network's business case when asked for.
public struct WrittenNationalReport: Sendable {
    /// The national workbook and its figures.
    public var national: WrittenNationalWorkbook
    /// Each network's business case, in planning order; empty unless asked for.
    public var networks: [WrittenWorkbook]
}

extension NetworkPlanning {
    /// The title a network's business case and its national row carry.
    public static func title(of network: NetworkName?) -> String { network?.rawValue ?? "No network" }

    /// Assembles each network's business case from this planning's ranking and the network's procurement analysis
    /// in `national`, and writes the national workbook to `path` (``NationalWorkbook``): the step `fleet report`
    /// and `fleet demo --national` share. With `eachNetworkFolder`, also writes each network's business case there,
    /// named by ``folderNames(for:)`` (`north-east.xlsx`).
    /// - Parameters:
    ///   - title: The register's name for titles (`England`).
    ///   - register: Every unit of the register in scope, decommissioned ones included.
    /// - Returns: what was written and the figures the national sheets show.
    /// - Throws: `WorkbookError` when a workbook cannot be written; each is written to a temporary file and renamed,
    ///   so none is left half-written.
    public func writeNationalReport(
        title: String,
        register: [Asset],
        national: NationalProcurement,
        to path: String,
        eachNetworkFolder: URL? = nil
    ) throws -> WrittenNationalReport {
        let nationalCase = makeNationalCase(title: title, register: register, national: national)
        let written = try NationalWorkbook(nationalCase: nationalCase).write(to: path)
        var networks: [WrittenWorkbook] = []
        if let eachNetworkFolder {
            let names = Self.folderNames(for: national.networks.map(\.name))
            for (businessCase, name) in zip(nationalCase.networks, names) {
                let file = eachNetworkFolder.appendingPathComponent(name + ".xlsx").path
                networks.append(try BusinessCaseWorkbook(businessCase: businessCase).write(to: file))
            }
        }
        return WrittenNationalReport(national: written, networks: networks)
    }

    /// Each network's business case (as ``writeBusinessCase(network:title:register:scenario:analysis:to:)``
    /// assembles it) and the national ranking, for the national workbook.
    public func makeNationalCase(title: String, register: [Asset], national: NationalProcurement) -> NationalCase {
        // The ranking's assessments are made on each read: read them once and group them.
        let ranked = ranking.assessments
        let rankedByNetwork = Dictionary(grouping: ranked, by: \.network)
        let registerByNetwork = Dictionary(grouping: register, by: \.network)
        let cases = national.networks.map { network in
            BusinessCaseAssembly.make(
                title: Self.title(of: network.name),
                register: registerByNetwork[network.name] ?? [],
                ranking: rankedByNetwork[network.name] ?? [],
                scenario: network.scenario,
                analysis: network.analysis,
                appraisal: procurement.appraisal,
                asOf: snapshot.asOf
            )
        }
        // The national ranking: the networks' rows in the ranking's own order, ranked afresh.
        var rows: [AssetID: PriorityRow] = [:]
        rows.reserveCapacity(ranked.count)
        for businessCase in cases {
            for row in businessCase.priorities { rows[row.assetID] = row }
        }
        var priorities: [PriorityRow] = []
        priorities.reserveCapacity(ranked.count)
        for assessment in ranked {
            guard var row = rows[assessment.assetID] else { continue }
            row.rank = priorities.count + 1
            priorities.append(row)
        }
        let planned = Set(national.networks.map(\.name))
        return NationalCase(
            title: title,
            asOf: snapshot.asOf,
            networks: cases,
            priorities: priorities,
            criterionNames: Criterion.allCases.map(\.rawValue),
            otherUnits: register.filter { !planned.contains($0.network) }
        )
    }
}
