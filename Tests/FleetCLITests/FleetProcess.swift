import FleetTestSupport
import Foundation

/// What one run of the `fleet` executable printed and how it ended.
struct FleetRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `fleet` executable that `swift build` put beside the test bundle.
var fleetExecutable: URL {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("fleet")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    // Fall back to the package's default build folder.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/fleet")
}

/// A `fleet` process, not yet started, for `arguments` in `directory`, with this process's environment less
/// `FLEET_DB` and with `environment` added.
func fleetProcess(_ arguments: [String], in directory: URL, environment: [String: String]) -> Process {
    let process = Process()
    process.executableURL = fleetExecutable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var merged = ProcessInfo.processInfo.environment
    merged.removeValue(forKey: "FLEET_DB")
    merged.merge(environment) { _, new in new }
    process.environment = merged
    return process
}

/// Runs `fleet` with `arguments` in `directory`, with `environment` added to this process's environment.
func runFleet(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> FleetRun {
    let process = fleetProcess(arguments, in: directory, environment: environment)
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    nonisolated(unsafe) var stdout = Data()
    let reader = DispatchQueue(label: "fleet-stdout")
    let group = DispatchGroup()
    reader.async(group: group) { stdout = (try? out.fileHandleForReading.readToEnd()) ?? Data() }
    let stderrData = (try? err.fileHandleForReading.readToEnd()) ?? Data()
    group.wait()
    process.waitUntilExit()
    return FleetRun(
        status: process.terminationStatus,
        stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderrData, as: UTF8.self)
    )
}

/// A fresh temporary folder for one test.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
