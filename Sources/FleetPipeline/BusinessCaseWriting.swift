import FleetCore
import FleetProcurement
import FleetRegister
import FleetReport

extension NetworkPlanning {
    /// Assembles the business case of `network` from this planning's ranking and the procurement `analysis`, and
    /// writes its workbook to `path`: the step `fleet report` and `fleet demo` share.
    /// - Parameters:
    ///   - title: The network's name as the workbook's titles show it.
    ///   - register: Every unit of the network's register, decommissioned ones included.
    ///   - lastChanges: The register's history of each unit (``RegisterStore/lastChanges()``), for the Register
    ///     sheet's history columns; nil leaves them out.
    /// - Returns: what was written and the figures its sheets show.
    /// - Throws: `WorkbookError` when the workbook cannot be written (nothing is left half-written).
    public func writeBusinessCase(
        network: NetworkName?,
        title: String,
        register: [Asset],
        scenario: Scenario,
        analysis: ProcurementAnalysis,
        lastChanges: [AssetID: AssetLastChange]? = nil,
        to path: String
    ) throws -> WrittenWorkbook {
        var businessCase = BusinessCaseAssembly.make(
            title: title,
            register: register,
            ranking: assessments(in: network),
            scenario: scenario,
            analysis: analysis,
            appraisal: procurement.appraisal,
            asOf: snapshot.asOf
        )
        businessCase.lastChanges = lastChanges.map(BusinessCaseAssembly.registerRowChanges)
        if let capacity = capacityAnalysis(of: network, for: scenario) {
            businessCase.capacity = BusinessCaseAssembly.capacityRows(
                capacity,
                plan: analysis.jointPlan,
                through: scenario.settings.appraisalYearRange.upperBound
            )
        }
        return try BusinessCaseWorkbook(businessCase: businessCase).write(to: path)
    }
}
