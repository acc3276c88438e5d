import ArgumentParser

// Placeholder until its issue builds it.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the demo network and run every stage.")
}
