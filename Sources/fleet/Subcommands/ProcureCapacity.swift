import FleetCore
import FleetProcurement
import Foundation

extension ProcurementReport {
    /// The joint plan's capacity cover: added units, outsourced scans by trust and year, shared mobile capacity,
    /// cover for single-unit sites, and the savings split into volume tiers and capacity sharing.
    func printCapacity() {
        guard let summary = CapacitySummary(analysis) else { return }
        let plan = analysis.jointPlan
        Swift.print("")
        let split = analysis.savingsSplit
        Swift.print(
            "Savings from volume tiers \(GBP.format(split.volumeTiersGBP.pounds)), from sharing capacity "
                + "\(GBP.format(split.capacitySharingGBP.pounds)) (the trusts' cover of their shortfalls alone less "
                + "the coalition's, added units valued at list price with their service, plus outsourcing)."
        )
        if split.capacitySharingGBP.pounds < -0.5 {
            Swift.print(
                "Sharing capacity saves nothing here: the coalition's cover costs "
                    + "\(GBP.format(-split.capacitySharingGBP.pounds)) more at list price than the trusts' alone, "
                    + "because it buys its added units from the suppliers and in the years where joint orders earn "
                    + "tier discounts; those discounts are in the volume-tier figure."
            )
        }
        if !plan.additions.isEmpty {
            Swift.print("Units added to cover shortfalls:")
            var table = TextTable([
                .init("Trust"), .init("Site"), .init("Class"), .init("Year", .right), .init("Supplier"),
                .init("Scans a year", .right), .init("Price paid", .right), .init("Route"),
            ])
            for addition in plan.additions {
                table.rows.append([
                    shortened(addition.trust.rawValue, to: 30), addition.site, addition.equipmentClass.rawValue,
                    String(addition.year), addition.supplier.rawValue, grouped(addition.capacityScansPerYear),
                    GBP.format(addition.unitPricePaidGBP.pounds), addition.route.rawValue,
                ])
            }
            table.print(as: .table)
        }
        if !plan.outsourcing.isEmpty {
            Swift.print("Scans outsourced (\(GBP.format(summary.discountedOutsourcingGBP.pounds)) discounted):")
            var table = TextTable([
                .init("Trust"), .init("Modality"), .init("Years", .right), .init("Scans", .right),
                .init("Cost", .right),
            ])
            let runs = YearRun.runs(
                plan.outsourcing.map { ($0.trust, $0.modality, $0.year, $0.scans, $0.costGBP.pounds) }
            )
            for run in runs {
                table.rows.append([
                    shortened(run.trust.rawValue, to: 30), run.modality.rawValue, run.years, run.scansText,
                    GBP.format(run.total),
                ])
            }
            table.print(as: .table)
        }
        if !plan.mobileShares.isEmpty {
            Swift.print("Scans from the shared mobile units:")
            var table = TextTable([.init("Trust"), .init("Modality"), .init("Years", .right), .init("Scans", .right)])
            for run in YearRun.runs(plan.mobileShares.map { ($0.trust, $0.modality, $0.year, $0.scans, 0) }) {
                table.rows.append([
                    shortened(run.trust.rawValue, to: 30), run.modality.rawValue, run.years, run.scansText,
                ])
            }
            table.print(as: .table)
        }
        if summary.discountedCoverGBP > .zero {
            Swift.print(
                "Cover hired while single units are replaced: \(GBP.format(summary.discountedCoverGBP.pounds)) "
                    + "discounted (in the costs above)."
            )
        }
    }
}

/// Consecutive years of one trust and modality with the same scans, printed as one row ("2030–2035", "1,730 a
/// year"): shortfalls are held from the last decision year to the end of the appraisal, so the same figure repeats
/// for every year after it.
struct YearRun {
    var trust: TrustName
    var modality: Modality
    var first: Int
    var last: Int
    var scans: Double
    /// The sum over the run's years (the cost, for outsourcing).
    var total: Double

    var years: String { first == last ? String(first) : "\(first)–\(last)" }
    var scansText: String { first == last ? grouped(scans) : "\(grouped(scans)) a year" }

    /// The runs of `rows`, in their order; a row joins the run before it when it has the same trust, modality and
    /// scans (to the scan) and the next year.
    static func runs(
        _ rows: [(trust: TrustName, modality: Modality, year: Int, scans: Double, amount: Double)]
    ) -> [YearRun] {
        var runs: [YearRun] = []
        for (trust, modality, year, scans, amount) in rows {
            if let last = runs.last, last.trust == trust, last.modality == modality, last.last + 1 == year,
                last.scans.rounded() == scans.rounded()
            {
                runs[runs.count - 1].last = year
                runs[runs.count - 1].total += amount
            } else {
                runs.append(
                    YearRun(trust: trust, modality: modality, first: year, last: year, scans: scans, total: amount)
                )
            }
        }
        return runs
    }
}
