import ArgumentParser

// Placeholder until its issue builds it.
struct Rank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rank units for replacement.")
}
