import ArgumentParser

// Placeholder until its issue builds it.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import a register or a utilisation feed.")
}
