import ArgumentParser

// Placeholder until its issue builds it.
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "List the register.")
}
