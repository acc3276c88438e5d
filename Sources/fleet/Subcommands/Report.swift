import ArgumentParser

// Placeholder until its issue builds it.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the business-case workbook.")
}
