import ArgumentParser
import FleetCore
import Foundation

/// How a command prints data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, csv, json
}

/// `--db`: the register database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "The register: an SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: $FLEET_DB, else fleet.sqlite)."
    )
    var db: String?

    /// The database path the command uses.
    var path: String {
        if let db { return db }
        if let environment = ProcessInfo.processInfo.environment["FLEET_DB"], !environment.isEmpty {
            return environment
        }
        return "fleet.sqlite"
    }
}

/// `--catalog`: the reference-data folder.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of reference data: equipment classes, weights, suppliers, tiers.")
    var catalog: String = "Catalog"

    /// The catalog folder.
    var url: URL { URL(fileURLWithPath: catalog, isDirectory: true) }

    /// The catalog folder, checked to exist: a missing one is most often fleet run from another folder than the
    /// project's, which is worth saying at once rather than naming the first catalog file that cannot be read.
    /// - Throws: ``InvalidInput`` (exit 2) naming the folder and what to do.
    func folder() throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InvalidInput(
                InputIssue(
                    file: catalog,
                    line: nil,
                    problem: "is not a folder (looked for \(url.path)); run fleet from the ImagingFleet folder, "
                        + "whose Catalog/ holds the reference data, or give --catalog DIR"
                )
            )
        }
        return url
    }
}

/// `--format`: how data is printed.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "How to print data: table, csv or json.")
    var format: OutputFormat = .table
}

/// Runs a command body, printing a failure as a sentence on stderr and ending with the spec's exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as FleetError {
        printError(error.description)
        throw ExitCode(error.exitCode.rawValue)
    } catch let error as ValidationError {
        // A usage problem found only once the inputs are read (several networks where one is needed).
        printError("Error: \(error.message)")
        throw ExitCode(FleetExitCode.usage.rawValue)
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("fleet: \(error)")
        throw ExitCode(FleetExitCode.failure.rawValue)
    }
}

/// Writes `message` and a line end to standard error.
func printError(_ message: String) {
    // Data printed so far goes out first, so that the two streams read in order when they share a terminal or file.
    fflush(nil)
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
