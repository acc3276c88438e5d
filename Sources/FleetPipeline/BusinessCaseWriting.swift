import FleetCore
import FleetProcurement
import FleetReport

extension NetworkPlanning {
    /// Assembles the business case of `network` from this planning's ranking and the procurement `analysis`, and
    /// writes its workbook to `path`: the step `fleet report` and `fleet demo` share.
    /// - Parameters:
    ///   - title: The network's name as the workbook's titles show it.
    ///   - register: Every unit of the network's register, decommissioned ones included.
    /// - Returns: what was written and the figures its sheets show.
    /// - Throws: `WorkbookError` when the workbook cannot be written (nothing is left half-written).
    public func writeBusinessCase(
        network: NetworkName?,
        title: String,
        register: [Asset],
        scenario: Scenario,
        analysis: ProcurementAnalysis,
        to path: String
    ) throws -> WrittenWorkbook {
        let businessCase = BusinessCaseAssembly.make(
            title: title,
            register: register,
            ranking: assessments(in: network),
            scenario: scenario,
            analysis: analysis,
            appraisal: procurement.appraisal,
            asOf: snapshot.asOf
        )
        return try BusinessCaseWorkbook(businessCase: businessCase).write(to: path)
    }
}
