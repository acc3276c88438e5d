import FleetCore
import FleetPriority
import FleetProcurement
import FleetRegister
import FleetReport

/// Gathers the figures of every stage into the ``BusinessCase`` the workbook lays out. Nothing is computed here
/// that a stage owns: scores and bands come from the ranking, plans and shares from the procurement analysis; this
/// only reshapes them, and prices each joint order as the trusts would have bought its units alone (savings by lot).
public enum BusinessCaseAssembly {
    /// The case for one network.
    /// - Parameters:
    ///   - title: The network's name, for titles.
    ///   - register: Every unit of the network's register, decommissioned ones included.
    ///   - ranking: The ranked units in service, highest first.
    ///   - weights: The criteria weights the ranking used.
    ///   - scenario: The scenario the analysis solved.
    ///   - analysis: The joint plan, the standalone plans and the allocation.
    ///   - appraisal: VAT, optimism bias and sensitivity settings.
    public static func make(
        title: String,
        register: [Asset],
        ranking: some Collection<Assessment>,
        scenario: Scenario,
        analysis: ProcurementAnalysis,
        appraisal: AppraisalSettings,
        asOf: Day
    ) -> BusinessCase {
        let settings = scenario.settings
        let priorities = priorityRows(ranking)
        let ageRows = ageProfileRows(register, title: title, asOf: asOf)
        let cover = Dictionary(
            scenario.replacements.lazy.filter { $0.coverCostGBP > .zero }.map { ($0.assetID, $0.coverCostGBP) },
            uniquingKeysWith: { first, _ in first }
        )
        var options = analysis.trusts.compactMap { trust in
            analysis.standalonePlans[trust].map {
                option(named: trust.rawValue, isJoint: false, plan: $0, cover: cover, settings)
            }
        }
        options.append(option(named: "Joint plan", isJoint: true, plan: analysis.jointPlan, cover: cover, settings))

        let orders = orderRows(analysis.jointPlan, scenario: scenario)
        let allocation = analysis.trusts.map { trust in
            AllocationRow(
                trust: trust,
                standaloneCostGBP: analysis.standaloneCostByTrust[trust] ?? .zero,
                shapleyShareGBP: analysis.allocation(.shapley)?.byTrust[trust] ?? .zero,
                proportionalShareGBP: analysis.proportional.byTrust[trust] ?? .zero
            )
        }
        var budgets: [TrustYear: GBP] = [:]
        var revenueBudgets: [TrustYear: GBP] = [:]
        for budget in scenario.budgets {
            if let capital = budget.capitalBudgetGBP {
                budgets[TrustYear(trust: budget.trust, year: budget.year)] = capital
            }
            if let revenue = budget.revenueBudgetGBP {
                revenueBudgets[TrustYear(trust: budget.trust, year: budget.year)] = revenue
            }
        }
        // Capital paid by trust and year, as the plan computes it (Plan.capitalPaidGBP(by:in:)).
        let plan = analysis.jointPlan
        var capital: [TrustYear: GBP] = [:]
        for assignment in plan.assignments
        where capital[TrustYear(trust: assignment.trust, year: assignment.year)] == nil {
            capital[TrustYear(trust: assignment.trust, year: assignment.year)] = plan.capitalPaidGBP(
                by: assignment.trust,
                in: assignment.year
            )
        }
        // Revenue scored by trust and appraisal year, as the plan computes it (Plan.revenueGBP(by:in:settings:)).
        var revenue: [TrustYear: GBP] = [:]
        for trust in Set(plan.assignments.map(\.trust)) {
            for year in settings.appraisalYearRange {
                let amount = plan.revenueGBP(by: trust, in: year, settings: settings)
                if amount != .zero { revenue[TrustYear(trust: trust, year: year)] = amount }
            }
        }
        var businessCase = BusinessCase(
            title: title,
            asOf: asOf,
            assumptions: appraisal.assumptions(
                baseYear: settings.baseYear,
                discountRate: settings.discountRate,
                horizonYears: settings.horizonYears,
                appraisalYears: settings.appraisalYears,
                leaseDiscountRate: settings.leaseDiscountRate
            ),
            register: register,
            priorities: priorities,
            criterionNames: Criterion.allCases.map(\.rawValue),
            ageProfile: ageRows,
            options: options,
            orders: orders,
            allocation: allocation,
            allocationMethod: allocationMethod(analysis),
            budgets: budgets,
            jointCapitalByTrustYear: capital,
            solverStatus: statusText(analysis)
        )
        businessCase.revenueBudgets = revenueBudgets
        businessCase.jointRevenueByTrustYear = revenue
        return businessCase
    }

    /// The case for one network whose procurement is not planned (`fleet report --no-procurement`): its register,
    /// ranking and age profile, as ``make(title:register:ranking:scenario:analysis:appraisal:asOf:)`` gives them, and
    /// no options, orders, allocation or budgets. Its assumptions are the catalog's appraisal settings from the
    /// as-of year; no sheet of the national register workbook shows them.
    public static func withoutProcurement(
        title: String,
        register: [Asset],
        ranking: some Collection<Assessment>,
        appraisal: AppraisalSettings,
        asOf: Day
    ) -> BusinessCase {
        BusinessCase(
            title: title,
            asOf: asOf,
            assumptions: appraisal.assumptions(
                baseYear: asOf.year,
                discountRate: appraisal.discountRate,
                horizonYears: appraisal.horizonYears,
                appraisalYears: appraisal.appraisalYears
            ),
            register: register,
            priorities: priorityRows(ranking),
            criterionNames: Criterion.allCases.map(\.rawValue),
            ageProfile: ageProfileRows(register, title: title, asOf: asOf),
            options: [],
            orders: [],
            allocation: [],
            allocationMethod: "",
            budgets: [:],
            jointCapitalByTrustYear: [:],
            solverStatus: "not planned"
        )
    }

    /// The Priority sheet's rows of `ranking`, ranked from 1 in its order, with every criterion's score and weight.
    private static func priorityRows(_ ranking: some Collection<Assessment>) -> [PriorityRow] {
        let criteria = Criterion.allCases
        return ranking.enumerated().map { offset, assessment in
            PriorityRow(
                rank: offset + 1,
                assetID: assessment.assetID,
                trust: assessment.trust,
                site: assessment.site,
                modality: assessment.modality,
                equipmentClass: assessment.equipmentClass.rawValue,
                ageYears: assessment.ageYears,
                score: assessment.score,
                band: assessment.band.label,
                bandRule: assessment.bandRule?.rawValue ?? "",
                criterionScores: criteria.map { assessment.criterion($0)?.score ?? 0 },
                criterionWeights: criteria.map { assessment.criterion($0)?.weight ?? 0 }
            )
        }
    }

    /// The Age profile sheet's rows of `register`, by trust, the whole network's row titled `title`.
    private static func ageProfileRows(_ register: [Asset], title: String, asOf: Day) -> [AgeProfileRow] {
        AgeProfile.compute(assets: register, asOf: asOf, by: .trust).map { row in
            AgeProfileRow(
                group: row.group == AgeProfile.allUnitsGroup ? title : row.group,
                unitsAged0To5: row.unitsAged0To5,
                unitsAged6To10: row.unitsAged6To10,
                unitsAgedOver10: row.unitsAgedOver10
            )
        }
    }

    /// The register's last change of each unit, as the Register sheet shows it.
    public static func registerRowChanges(_ changes: [AssetID: AssetLastChange]) -> [AssetID: RegisterRowChange] {
        changes.mapValues {
            RegisterRowChange(at: $0.at, who: $0.who, file: $0.file, changedFields: $0.changedFields)
        }
    }

    /// The joint plan's orders, each with what its units would have cost bought by each trust alone (savings by
    /// lot).
    private static func orderRows(_ plan: Plan, scenario: Scenario) -> [OrderRow] {
        let schedules = scenario.priceSchedules
        return plan.orders.map { order in
            // What the order's units would have cost bought by each trust alone, in an order of its own units.
            let unitsByTrust = Dictionary(
                grouping: plan.assignments.filter {
                    $0.supplier == order.supplier && $0.equipmentClass == order.equipmentClass && $0.year == order.year
                },
                by: \.trust
            ).mapValues(\.count)
            let schedule = schedules[OfferKey(order.supplier, order.equipmentClass)]
            let alone = schedule.map { schedule in
                unitsByTrust.values.reduce(GBP.zero) { $0 + schedule.unitPricePaid(forOrderOf: $1) * Double($1) }
            }
            return OrderRow(
                supplier: order.supplier.rawValue,
                equipmentClass: order.equipmentClass.rawValue,
                year: order.year,
                units: order.units,
                listPriceGBP: order.listUnitPriceGBP,
                discount: order.discount,
                tierMinimumUnits: order.tierMinimumUnits,
                standaloneEquivalentGBP: alone
            )
        }
    }

    /// `optimal`; `optimal, Shapley split within 2.1 % (time limit)` when a time limit stopped only coalitions
    /// behind the split; else `time limit reached, within 0.4 % of the optimum`.
    /// Either of the last two adds `; 3 coalitions of the split counted without budgets (undecided)` when the time
    /// limit left coalitions without a plan meeting their budgets (``ProcurementAnalysis/unresolvedCoalitions``).
    public static func statusText(_ analysis: ProcurementAnalysis) -> String {
        let text =
            switch (analysis.headlineStatus, analysis.status) {
            case (_, .optimal): "optimal"
            case (.optimal, .timeLimit(let gap)): "optimal, Shapley split within \(percentText(gap)) (time limit)"
            case (.timeLimit, .timeLimit(let gap)): "time limit reached, within \(percentText(gap)) of the optimum"
            }
        let unresolved = analysis.unresolvedCoalitions
        guard unresolved > 0 else { return text }
        return text + "; \(unresolved) coalition\(unresolved == 1 ? "" : "s") of the split counted without budgets "
            + "(undecided)"
    }

    private static func allocationMethod(_ analysis: ProcurementAnalysis) -> String {
        let n = analysis.trusts.count
        if let orders = analysis.allocation(.shapley)?.sampledOrders {
            let error = analysis.allocation(.shapley)?.standardErrorGBP ?? .zero
            return "Shapley value estimated from \(orders) random orders of the \(n) trusts "
                + "(largest standard error of a share \(error))"
        }
        return "Shapley value, exact over all \((1 << n) - 1) coalitions of the \(n) trusts"
    }

    private static func option(
        named name: String,
        isJoint: Bool,
        plan: Plan,
        cover: [AssetID: GBP],
        _ settings: ScenarioSettings
    )
        -> OptionCashFlows
    {
        let flows = plan.cashFlows(settings: settings)
        var option = OptionCashFlows(
            name: name,
            isJoint: isJoint,
            listCapitalGBP: flows.listCapitalGBP,
            tierDiscountGBP: flows.tierDiscountGBP,
            serviceGBP: flows.serviceGBP,
            timingPenaltyGBP: flows.timingPenaltyGBP,
            optimiserCostGBP: plan.totalCostGBP
        )
        option.rentalsGBP = flows.rentalsGBP
        option.feesGBP = flows.feesGBP
        func add(_ amount: GBP, in year: Int, to flows: inout [Int: GBP]) {
            flows[year, default: .zero] = flows[year, default: .zero] + amount
        }
        // For IFRS 16, the payments whose present value is scored as capital when they start: a lease's rental, a
        // managed service's equipment share of its fee (backed out of the capital the optimiser scored, so the
        // sheet's PV at the lease discount rate gives it again).
        for assignment in plan.assignments where assignment.route != .purchase && assignment.paymentYears > 0 {
            let isManagedService = assignment.route == .mes
            let term = RightOfUseTerm(isManagedService: isManagedService, years: assignment.paymentYears)
            let factor = settings.leaseAnnuityFactor(years: assignment.paymentYears)
            let starting =
                isManagedService ? GBP(assignment.capitalScoredGBP.pounds / factor) : assignment.annualPaymentGBP
            add(starting, in: assignment.year, to: &option.rightOfUseStartsGBP[term, default: [:]])
        }
        if plan.assignments.contains(where: { $0.route != .purchase }) {
            option.capitalScoredGBP = flows.capitalScoredGBP
        }
        // Capacity cover: outsourced scans in their year, and cover hired while a site's single unit is replaced, in
        // the replacement's year, so the workbook's net present cost is the optimiser's with capacity planned.
        for scans in plan.outsourcing { add(scans.costGBP, in: scans.year, to: &option.coverGBP) }
        for assignment in plan.assignments {
            guard let hire = cover[assignment.assetID] else { continue }
            add(hire, in: assignment.year, to: &option.coverGBP)
        }
        return option
    }

    private static func percentText(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10) %"
    }
}
