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

    /// Writes the national register workbook to `path`: the national workbook of a case that plans no procurement
    /// (`fleet report --no-procurement`): Summary, Networks, Register, Priority, Age profile by network and Method,
    /// with no plans, costs or savings. Nothing is solved.
    /// - Parameters:
    ///   - title: The register's name for titles (`England`).
    ///   - register: Every unit of the register in scope, decommissioned ones included.
    /// - Throws: `WorkbookError` when the workbook cannot be written; it is written to a temporary file and renamed.
    public func writeNationalRegister(
        title: String,
        register: [Asset],
        to path: String
    ) throws
        -> WrittenNationalWorkbook
    {
        try NationalWorkbook(nationalCase: makeRegisterCase(title: title, register: register)).write(to: path)
    }

    /// Each network's business case (as ``writeBusinessCase(network:title:register:scenario:analysis:to:)``
    /// assembles it) and the national ranking, for the national workbook.
    public func makeNationalCase(title: String, register: [Asset], national: NationalProcurement) -> NationalCase {
        nationalCase(title: title, register: register, networks: national.networks.map(\.name)) {
            index,
            register,
            ranking in
            let network = national.networks[index]
            return BusinessCaseAssembly.make(
                title: Self.title(of: network.name),
                register: register,
                ranking: ranking,
                scenario: network.scenario,
                analysis: network.analysis,
                appraisal: procurement.appraisal,
                asOf: snapshot.asOf
            )
        }
    }

    /// The national case of this planning's networks without procurement: each network's register, ranking and age
    /// profile (``BusinessCaseAssembly/withoutProcurement(title:register:ranking:appraisal:asOf:)``) and the national
    /// ranking.
    public func makeRegisterCase(title: String, register: [Asset]) -> NationalCase {
        let networks = networks
        var national = nationalCase(title: title, register: register, networks: networks) { index, register, ranking in
            BusinessCaseAssembly.withoutProcurement(
                title: Self.title(of: networks[index]),
                register: register,
                ranking: ranking,
                appraisal: procurement.appraisal,
                asOf: snapshot.asOf
            )
        }
        national.plansProcurement = false
        return national
    }

    /// The national case of `networks`, each network's case made by `caseOf` from its index in `networks`, its
    /// units of `register` and its ranked units; the national ranking is the networks' rows in the ranking's own
    /// order, ranked afresh.
    private func nationalCase(
        title: String,
        register: [Asset],
        networks: [NetworkName?],
        caseOf: (Int, [Asset], [Assessment]) -> BusinessCase
    ) -> NationalCase {
        // The ranking's assessments are made on each read: read them once and group them.
        let ranked = ranking.assessments
        let rankedByNetwork = Dictionary(grouping: ranked, by: \.network)
        let registerByNetwork = Dictionary(grouping: register, by: \.network)
        let cases = networks.enumerated().map { index, network in
            caseOf(index, registerByNetwork[network] ?? [], rankedByNetwork[network] ?? [])
        }
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
        let planned = Set(networks)
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
