import ArgumentParser

// Placeholder until its issue builds it.
struct Scenario: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the procurement scenario.")
}
