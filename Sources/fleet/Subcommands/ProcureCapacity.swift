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
                .init("Trust"), .init("Modality"), .init("Year", .right), .init("Scans", .right),
                .init("Cost", .right),
            ])
            for row in plan.outsourcing {
                table.rows.append([
                    shortened(row.trust.rawValue, to: 30), row.modality.rawValue, String(row.year), grouped(row.scans),
                    GBP.format(row.costGBP.pounds),
                ])
            }
            table.print(as: .table)
        }
        if !plan.mobileShares.isEmpty {
            Swift.print("Scans from the shared mobile units:")
            var table = TextTable([.init("Trust"), .init("Modality"), .init("Year", .right), .init("Scans", .right)])
            for row in plan.mobileShares {
                table.rows.append([
                    shortened(row.trust.rawValue, to: 30), row.modality.rawValue, String(row.year), grouped(row.scans),
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
