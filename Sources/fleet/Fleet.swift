import ArgumentParser
import FleetCore
import Foundation

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
            Demo.self, Import.self, RegisterCommand.self, Rank.self, AgeProfileCommand.self, ScenarioCommand.self,
            Procure.self, CapacityCommand.self,
            Report.self, Generate.self, History.self, DatabaseCommand.self,
        ]
    )

    /// Runs the command, ending a usage error with exit code 1 as the spec asks (ArgumentParser's own is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(FleetExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
