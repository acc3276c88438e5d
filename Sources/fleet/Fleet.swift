import ArgumentParser
import FleetCore

/// `fleet`: capital planning for a diagnostic imaging network.
@main
struct Fleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Capital planning for a diagnostic imaging network: register, replacement priority, "
            + "joint procurement and the business-case workbook.",
        discussion: """
            Exit codes: 0 success, 1 usage, 2 invalid input (nothing written), 3 infeasible plan, \
            4 internal or I/O failure.
            """,
        subcommands: [
            Demo.self, Import.self, RegisterCommand.self, Rank.self, AgeProfile.self, Scenario.self, Procure.self,
            Report.self,
        ]
    )
}
