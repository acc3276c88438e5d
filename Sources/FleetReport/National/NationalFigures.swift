import FleetCore
import FleetPriority

/// Every figure the national workbook shows that is worked out rather than copied, computed once from the
/// networks' cases before any sheet is written: each network's line, the national totals (sums over the networks),
/// the age profile by network, capital by network and year, and each trust's share of its network's savings. The
/// sheet writers lay these values beside the formulas that recompute them; the command line prints its headline
/// from here.
public struct NationalFigures: Sendable {
    /// One network's line of the Networks sheet.
    public struct Network: Sendable {
        /// The network's name, as its case's title.
        public var name: String
        /// Trusts of the network: its coalition, or without procurement the trusts that run a unit in service.
        public var trusts: Int
        /// Units of the network's register in service.
        public var unitsInService: Int
        /// Units of the network in the `replace now` band.
        public var unitsToReplaceNow: Int
        /// The optimised joint plan's net present cost, in pounds.
        public var jointCostGBP: Double
        /// Σ each trust's optimised standalone cost, net present, in pounds.
        public var standaloneCostGBP: Double
        /// Whether every plan of the network was proved optimal.
        public var isOptimal: Bool
        /// The optimiser's status in words (`optimal`, or the gap a time limit left).
        public var status: String
        /// The network's units' offsets in ``NationalFigures/register`` (contiguous, so a formula counts them).
        let registerRows: Range<Int>
        /// The network's trusts' offsets in ``NationalFigures/trustLines``.
        let trustLines: Range<Int>
        /// The network's in-service units by age.
        let age: AgeGroupFigures
        /// The network's capital plan by its own years.
        let capital: CapitalPlanFigures

        /// Standalone less joint, in pounds.
        public var savingsGBP: Double { standaloneCostGBP - jointCostGBP }
        /// The savings as a fraction of buying alone (0 when nothing is bought alone).
        public var savingsShare: Double { standaloneCostGBP == 0 ? 0 : savingsGBP / standaloneCostGBP }
    }

    /// One trust's line of the Savings by network and trust sheet.
    struct TrustLine: Sendable {
        /// The network's offset in ``NationalFigures/networks``.
        var network: Int
        var trust: TrustName
        var standaloneCostGBP: Double
        var shapleyShareGBP: Double
        /// The Shapley share as a fraction of the network's savings.
        var shareOfNetworkSavings: Double
        /// Standalone cost less the Shapley share.
        var costAfterGBP: Double
    }

    /// The national totals: each the sum over the networks.
    public struct Totals: Sendable, Hashable {
        public var networks: Int
        public var trusts: Int
        public var unitsInService: Int
        public var unitsToReplaceNow: Int
        /// In-service units aged over 10 completed years, and their share of the in-service units.
        public var unitsAgedOver10: Int
        public var shareAgedOver10: Double
        /// Σ the networks' joint costs, in pounds.
        public var jointCostGBP: Double
        /// Σ every trust's standalone cost, in pounds.
        public var standaloneCostGBP: Double
        /// Standalone less joint, in pounds.
        public var savingsGBP: Double { standaloneCostGBP - jointCostGBP }
        /// The savings as a fraction of buying alone.
        public var savingsShare: Double { standaloneCostGBP == 0 ? 0 : savingsGBP / standaloneCostGBP }
    }

    /// Capital paid by network and year, jointly and alone, and the budgets the scenarios set.
    struct Capital: Sendable {
        /// Every year any network shows (its decision years and any later year with capital or a budget).
        var years: [Int]
        /// Joint-plan capital, a row a network.
        var joint: CapitalPlanFigures.Block
        /// Each trust alone, summed over the network's trusts.
        var alone: CapitalPlanFigures.Block
        /// Σ the network's trusts' budgets by year; nil where none of its trusts has a budget that year. Empty when
        /// no scenario set budgets.
        var budgets: [[Double?]]
        /// Σ budgets by year over the networks.
        var budgetTotals: [Double]
        var hasBudgets: Bool { !budgets.isEmpty }
    }

    /// The networks' lines, in planning order.
    public let networks: [Network]
    /// The national totals.
    public let totals: Totals
    /// `optimal` when every network's plans are; else how many networks stopped at the time limit; `not planned`
    /// when the case plans no procurement.
    public let status: String
    /// The national register: each network's units in turn, then units of no planned network.
    let register: [Asset]
    /// Every trust of every network, network by network.
    let trustLines: [TrustLine]
    /// The national age profile (the sum of the networks').
    let nationalAge: AgeGroupFigures
    /// Each ranked unit's score as the Priority sheet's formula recomputes it.
    let priorityScores: [Double]
    /// Capital by network and year.
    let capital: Capital

    /// The figures of `national`.
    public init(_ national: NationalCase) {
        var register: [Asset] = []
        register.reserveCapacity(national.networks.reduce(national.otherUnits.count) { $0 + $1.register.count })
        var trustLines: [TrustLine] = []
        var networks: [Network] = []
        for (index, businessCase) in national.networks.enumerated() {
            let allocation = AllocationFigures(businessCase)
            let firstUnit = register.count
            register += businessCase.register
            let firstTrust = trustLines.count
            let savings = allocation.savingsGBP
            for row in businessCase.allocation {
                trustLines.append(
                    TrustLine(
                        network: index,
                        trust: row.trust,
                        standaloneCostGBP: row.standaloneCostGBP.pounds,
                        shapleyShareGBP: row.shapleyShareGBP.pounds,
                        shareOfNetworkSavings: savings == 0 ? 0 : row.shapleyShareGBP.pounds / savings,
                        costAfterGBP: row.standaloneCostGBP.pounds - row.shapleyShareGBP.pounds
                    )
                )
            }
            let whole =
                businessCase.ageProfile.last
                ?? AgeProfileRow(group: "", unitsAged0To5: 0, unitsAged6To10: 0, unitsAgedOver10: 0)
            networks.append(
                Network(
                    name: businessCase.title,
                    // A case that plans procurement counts its coalition; one that plans none, the trusts that
                    // run a unit.
                    trusts: national.plansProcurement
                        ? businessCase.allocation.count
                        : Set(businessCase.register.lazy.filter { $0.status == .inService }.map(\.trust)).count,
                    unitsInService: businessCase.register.count { $0.status == .inService },
                    unitsToReplaceNow: businessCase.priorities.count { $0.band == Band.replaceNow.label },
                    jointCostGBP: allocation.jointCostGBP,
                    standaloneCostGBP: allocation.standaloneCostGBP,
                    isOptimal: businessCase.solverStatus == "optimal",
                    status: businessCase.solverStatus,
                    registerRows: firstUnit..<register.count,
                    trustLines: firstTrust..<trustLines.count,
                    age: AgeGroupFigures(
                        AgeProfileRow(
                            group: businessCase.title,
                            unitsAged0To5: whole.unitsAged0To5,
                            unitsAged6To10: whole.unitsAged6To10,
                            unitsAgedOver10: whole.unitsAgedOver10
                        )
                    ),
                    capital: CapitalPlanFigures(businessCase)
                )
            )
        }
        register += national.otherUnits
        self.register = register
        self.trustLines = trustLines
        self.networks = networks
        nationalAge = AgeGroupFigures(
            AgeProfileRow(
                group: national.title,
                unitsAged0To5: networks.reduce(0) { $0 + $1.age.row.unitsAged0To5 },
                unitsAged6To10: networks.reduce(0) { $0 + $1.age.row.unitsAged6To10 },
                unitsAgedOver10: networks.reduce(0) { $0 + $1.age.row.unitsAgedOver10 }
            )
        )
        totals = Totals(
            networks: networks.count,
            trusts: networks.reduce(0) { $0 + $1.trusts },
            unitsInService: networks.reduce(0) { $0 + $1.unitsInService },
            unitsToReplaceNow: networks.reduce(0) { $0 + $1.unitsToReplaceNow },
            unitsAgedOver10: nationalAge.row.unitsAgedOver10,
            shareAgedOver10: nationalAge.shares[2],
            jointCostGBP: networks.reduce(0) { $0 + $1.jointCostGBP },
            standaloneCostGBP: networks.reduce(0) { $0 + $1.standaloneCostGBP }
        )
        let stopped = networks.count { !$0.isOptimal }
        status =
            if !national.plansProcurement {
                "not planned"
            } else if stopped == 0 {
                "optimal"
            } else {
                "\(stopped) of \(networks.count) networks stopped at the time limit (see Networks)"
            }
        priorityScores = BusinessCaseFigures.priorityScores(
            national.priorities,
            criterionNames: national.criterionNames
        )
        capital = Self.capital(networks)
    }

    /// Capital by network over the union of the networks' years.
    private static func capital(_ networks: [Network]) -> Capital {
        let years = Array(Set(networks.flatMap(\.capital.years))).sorted()
        let column = Dictionary(uniqueKeysWithValues: years.enumerated().map { ($1, $0) })
        func spread(_ network: Network, _ amounts: [Double]) -> [Double] {
            var row = Array(repeating: 0.0, count: years.count)
            for (offset, year) in network.capital.years.enumerated() { row[column[year]!] += amounts[offset] }
            return row
        }
        let joint = networks.map { spread($0, $0.capital.joint.yearTotals) }
        let alone = networks.map { spread($0, $0.capital.alone.yearTotals) }
        var budgets: [[Double?]] = []
        var budgetTotals = Array(repeating: 0.0, count: years.count)
        if networks.contains(where: \.capital.hasBudgets) {
            budgets = networks.map { network in
                var row: [Double?] = Array(repeating: nil, count: years.count)
                guard network.capital.hasBudgets else { return row }
                for (offset, year) in network.capital.years.enumerated()
                where network.capital.budgets.contains(where: { $0[offset] != nil }) {
                    row[column[year]!] = network.capital.budgetTotals[offset]
                    budgetTotals[column[year]!] += network.capital.budgetTotals[offset]
                }
                return row
            }
        }
        return Capital(
            years: years,
            joint: CapitalPlanFigures.Block(joint, years: years.count),
            alone: CapitalPlanFigures.Block(alone, years: years.count),
            budgets: budgets,
            budgetTotals: budgetTotals
        )
    }
}
