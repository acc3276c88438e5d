import ArgumentParser

// Placeholder until its issue builds it.
struct AgeProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Age profile against the COCIR rule.")
}
