import FleetCore

/// Everything the national workbook shows, as plain values: each network's business case (as
/// ``BusinessCaseWorkbook`` would write it for that network alone) and the national ranking. Procurement is planned
/// network by network, each network's trusts one coalition, so a national figure is the sum over the networks
/// (SPEC, "National report"); nothing here is planned across networks.
public struct NationalCase: Sendable {
    /// The register's name for titles (`England`, `National register`).
    public var title: String
    /// The day the ranking and ages are taken at.
    public var asOf: Day
    /// Each network's case, in planning order; a case's title is its network's name.
    public var networks: [BusinessCase]
    /// Every ranked unit of every network, highest priority first, ranked nationally (rank 1 is the most urgent
    /// unit in the country).
    public var priorities: [PriorityRow]
    /// The names of the priority criteria, in the column order of the Priority sheet.
    public var criterionNames: [String]
    /// Units of the register that belong to no planned network (a network whose units are all decommissioned),
    /// listed on the Register sheet after the networks' units.
    public var otherUnits: [Asset]
    /// Whether each network's procurement was planned. Without it (`fleet report --no-procurement`) the cases carry
    /// the register, the ranking and the age profile only, and the workbook leaves out every sheet and column of
    /// plans and costs: it is the national register workbook.
    public var plansProcurement: Bool

    /// A national case with every part given.
    public init(
        title: String,
        asOf: Day,
        networks: [BusinessCase],
        priorities: [PriorityRow],
        criterionNames: [String],
        otherUnits: [Asset] = [],
        plansProcurement: Bool = true
    ) {
        self.title = title
        self.asOf = asOf
        self.networks = networks
        self.priorities = priorities
        self.criterionNames = criterionNames
        self.otherUnits = otherUnits
        self.plansProcurement = plansProcurement
    }
}
