import ArgumentParser

// Placeholder until its issue builds it.
struct Procure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Optimise joint procurement.")
}
