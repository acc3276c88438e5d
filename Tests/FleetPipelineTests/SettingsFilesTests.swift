import FleetCore
import FleetPipeline
import FleetPriority
import Foundation
import Testing

/// The settings files are read here, in the pipeline; FleetPriority only parses their text.
@Suite("Settings files")
struct SettingsFilesTests {
    @Test func priorityLoadsFromTheCatalogFolder() throws {
        let loaded = try PrioritySettings.load(fromCatalog: ScenarioDerivationTests.catalogFolder)
        #expect(loaded == PrioritySettings.defaults)
    }

    @Test func aMissingPriorityFileIsAFileFailureWithExitCode2() {
        #expect {
            _ = try PrioritySettings.load(from: URL(fileURLWithPath: "/nonexistent/priority.toml"))
        } throws: { error in
            (error as? FileFailure)?.exitCode == .invalidInput
                && (error as? FileFailure)?.description.hasPrefix("/nonexistent/priority.toml: cannot be read") == true
        }
    }

    @Test func aWeightsFileIsMergedOverTheCatalogWeights() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID().uuidString).toml")
        try Data("[weights]\nage = 60\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let merged = try PrioritySettings.defaults.overridingWeights(from: url)
        #expect(merged.weights[.age] == 60)
        #expect(merged.weights[.support] == PrioritySettings.defaults.weights[.support])
    }
}
