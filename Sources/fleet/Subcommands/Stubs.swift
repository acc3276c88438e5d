import ArgumentParser

// Placeholders for the commands later issues build; each is replaced by a file of its own.

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the demo network and run every stage.")
}
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import a register or a utilisation feed.")
}
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "List the register.")
}
struct Rank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rank units for replacement.")
}
struct AgeProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Age profile against the COCIR rule.")
}
struct Scenario: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the procurement scenario.")
}
struct Procure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Optimise joint procurement.")
}
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the business-case workbook.")
}
