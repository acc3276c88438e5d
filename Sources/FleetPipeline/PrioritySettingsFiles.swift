import FleetCore
import FleetPriority
import Foundation

/// Where the priority settings are read from files: FleetPriority parses their text and does no I/O.
extension PrioritySettings {
    /// Reads `priority.toml` at `url`.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read; ``InvalidInput`` when it is invalid.
    public static func load(from url: URL) throws -> PrioritySettings {
        try parse(toml: SettingsFiles.readText(url), file: url.relativePath)
    }

    /// Reads `priority.toml` from a catalog folder.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read; ``InvalidInput`` when it is invalid.
    public static func load(fromCatalog catalog: URL) throws -> PrioritySettings {
        try load(from: catalog.appendingPathComponent(fileName))
    }

    /// These settings with the weights of the `--weights` file at `url` merged over them.
    /// - Throws: ``FileFailure`` (exit 2) when unreadable; ``InvalidInput`` when invalid.
    public func overridingWeights(from url: URL) throws -> PrioritySettings {
        try overridingWeights(toml: SettingsFiles.readText(url), file: url.relativePath)
    }
}

/// Reading settings files (`priority.toml`, a `--weights` file) as text for the parsers.
enum SettingsFiles {
    /// The UTF-8 text of the settings file at `url`.
    /// - Throws: ``FileFailure`` (exit 2) when it cannot be read or is not UTF-8.
    static func readText(_ url: URL) throws(FileFailure) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FileFailure(
                path: url.relativePath,
                reason: "cannot be read (\(error.localizedDescription))",
                exitCode: .invalidInput
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileFailure(path: url.relativePath, reason: "is not UTF-8 text", exitCode: .invalidInput)
        }
        return text
    }
}
