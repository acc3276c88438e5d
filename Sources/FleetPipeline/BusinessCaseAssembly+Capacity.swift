import FleetCore
import FleetProcurement
import FleetReport

extension BusinessCaseAssembly {
    /// The Capacity sheet's rows: each trust's demand and capacity in service by modality and decision year, as
    /// `capacity` (``CapacityPlanning``, by trust) computes them, for the trusts and modalities whose demand is
    /// known, with the cover `plan` gives each: the capacity of the fixed units it adds at the trust in that year
    /// or before, the scans the trust takes from shared mobile units, and the scans it outsources. After the last
    /// decision year, to `lastYear` (the appraisal's last), demand and capacity hold at that year's, as the
    /// scenario's shortfalls do (``ScenarioDerivation/addingCapacity(to:assets:utilisation:asOf:settings:equipment:catalog:)``).
    public static func capacityRows(
        _ capacity: CapacityAnalysis,
        plan: Plan,
        through lastYear: Int
    ) -> [CapacityCoverRow] {
        let lastDecisionYear = capacity.rows.map(\.year).max() ?? lastYear
        let held = capacity.rows.flatMap { row in
            guard row.year == lastDecisionYear, lastYear > lastDecisionYear else { return [row] }
            return [row]
                + ((lastDecisionYear + 1)...lastYear).map { year in
                    var later = row
                    later.year = year
                    return later
                }
        }
        return held.compactMap { row in
            guard let trust = row.trust, let demand = row.demandScans else { return nil }
            let fixed = plan.additions.reduce(0.0) { total, addition in
                let serves = !addition.isMobile && addition.trust == trust && addition.modality == row.modality
                return serves && addition.year <= row.year ? total + addition.capacityScansPerYear : total
            }
            let mobile = plan.mobileShares.reduce(0.0) {
                $1.trust == trust && $1.modality == row.modality && $1.year == row.year ? $0 + $1.scans : $0
            }
            let outsourced = plan.outsourcing.reduce(0.0) {
                $1.trust == trust && $1.modality == row.modality && $1.year == row.year ? $0 + $1.scans : $0
            }
            return CapacityCoverRow(
                trust: trust.rawValue,
                modality: row.modality.rawValue,
                year: row.year,
                demandScans: demand,
                capacityScans: row.capacityScans,
                addedFixedScans: fixed,
                mobileScans: mobile,
                outsourcedScans: outsourced
            )
        }
    }
}

extension NetworkPlanning {
    /// The capacity analysis of `network` by trust over `scenario`'s decision years, decommissioned units' scans
    /// counted as demand; nil when the scenario plans no shortfall or the catalog has no `capacity.toml`.
    func capacityAnalysis(of network: NetworkName?, for scenario: Scenario) -> CapacityAnalysis? {
        guard !scenario.capacity.isEmpty else { return nil }
        return capacityAnalysis(of: network, years: scenario.settings.decisionYears, by: .trust)
    }

    /// The capacity analysis of `network` over `years`, grouped `by`, decommissioned units' scans counted as demand
    /// (the snapshot must have read them); nil when the catalog has no `capacity.toml`.
    public func capacityAnalysis(
        of network: NetworkName?,
        years: ClosedRange<Int>,
        by grouping: CapacityGrouping
    ) -> CapacityAnalysis? {
        guard let capacity = procurement.capacity else { return nil }
        return CapacityPlanning.analyse(
            assets: (snapshot.assets + snapshot.decommissioned).filter { $0.network == network },
            utilisation: snapshot.utilisation,
            asOf: snapshot.asOf,
            years: years,
            settings: capacity.settings,
            equipment: capacity.equipment,
            by: grouping
        )
    }
}
