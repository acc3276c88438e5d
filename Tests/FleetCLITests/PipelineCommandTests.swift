import FleetTestSupport
import Foundation
import Testing

/// `fleet scenario export`, `fleet procure` and `fleet report` on a register of two networks, without budgets.
@Suite("fleet scenario export, procure and report from the register")
struct PipelineCommandTests {
    /// Two networks of two trusts, each trust with two CT-128 and three ultrasound units past their maximum life
    /// (so every unit is in the "replace now" band), one newer CT each, and one X-ray room of a class the catalog
    /// does not know. The network names are hostile to folder names on purpose.
    static let register: String = {
        var lines = ["asset_id,network,trust,site,modality,class,install_date,criticality"]
        let trusts = [
            ("Alpha/../Network", "Ashby"), ("Alpha/../Network", "Barrow"), ("Beta Network", "Carlton"),
            ("Beta Network", "Denby"),
        ]
        for (network, trust) in trusts {
            for n in 1...2 {
                lines.append("\(trust)-CT-\(n),\(network),\(trust),\(trust) General,CT,CT-128,2008-05-01,5")
            }
            for n in 1...3 {
                lines.append("\(trust)-US-\(n),\(network),\(trust),\(trust) General,US,US-GEN,2012-03-01,2")
            }
            lines.append("\(trust)-CT-9,\(network),\(trust),\(trust) General,CT,CT-128,2024-01-01,3")
        }
        lines.append("Ashby-XR-1,Alpha/../Network,Ashby,Ashby General,XR,XR-LEGACY,2001-01-01,2")
        return lines.joined(separator: "\n") + "\n"
    }()

    private func importedFolder() throws -> URL {
        let folder = try makeTemporaryDirectory()
        try Self.register.write(to: folder.appendingPathComponent("register.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("Catalog").path,
            withDestinationPath: packageRoot.appendingPathComponent("Catalog").path
        )
        let imported = try runFleet(["import", "register", "register.csv"], in: folder)
        #expect(imported.status == 0, "\(imported.stderr)")
        return folder
    }

    @Test func scenarioExportWritesOneSafelyNamedFolderPerNetwork() throws {
        let folder = try importedFolder()
        let run = try runFleet(["scenario", "export", "out", "--as-of", "2026-11-01"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
        #expect(Set(written) == ["alpha-network", "beta-network"], "the network name cannot lead outside out/")
        let replacements = try String(
            contentsOf: folder.appendingPathComponent("out/beta-network/replacements.csv"),
            encoding: .utf8
        )
        let lines = replacements.split(separator: "\n")
        #expect(
            lines.first
                == "asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,advance_cost_gbp_per_year"
        )
        // Ten units past their maximum life: replace now, preferred 2026, window 2026–2027.
        #expect(lines.count == 11)
        #expect(lines.dropFirst().allSatisfy { $0.contains(",2026,2026,2027,") })
        // A class the catalog does not know falls back to the modality's default class (the ranking notes it).
        let alpha = try String(
            contentsOf: folder.appendingPathComponent("out/alpha-network/replacements.csv"),
            encoding: .utf8
        )
        #expect(alpha.contains("\nAshby-XR-1,Ashby,XR-DR,2026,2026,2027,"))
        // The exported folder reads back as a scenario.
        let procure = try runFleet(["procure", "--scenario", "out/beta-network", "--format", "json"], in: folder)
        #expect(procure.status == 0, "\(procure.stderr)")
    }

    @Test func procureSumsTheNetworksAndEachEqualsItsOwnScenario() throws {
        let folder = try importedFolder()
        let run = try runFleet(["procure", "--as-of", "2026-11-01", "--format", "json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let national = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let networks = try #require(national["networks"] as? [[String: Any]])
        #expect(networks.map { $0["network"] as? String } == ["Alpha/../Network", "Beta Network"])
        let joint = networks.compactMap { ($0["summary"] as? [String: Any])?["joint_cost_gbp"] as? Double }
        let alone = networks.compactMap { ($0["summary"] as? [String: Any])?["standalone_cost_gbp"] as? Double }
        #expect(joint.count == 2 && alone.count == 2)
        #expect(abs((national["joint_cost_gbp"] as? Double ?? 0) - joint.reduce(0, +)) < 1e-6)
        #expect(abs((national["savings_gbp"] as? Double ?? 0) - (alone.reduce(0, +) - joint.reduce(0, +))) < 1e-6)
        #expect(national["status"] as? String == "optimal")

        // One network alone gives the spec's object, equal to that network's part of the national run.
        let beta = try runFleet(
            ["procure", "--as-of", "2026-11-01", "--network", "Beta Network", "--format", "json"],
            in: folder
        )
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(beta.stdout.utf8)) as? [String: Any])
        #expect(abs((summary["joint_cost_gbp"] as? Double ?? 0) - joint[1]) < 1e-6)
        let shares = try #require((summary["allocation"] as? [String: Any])?["by_trust"] as? [String: Double])
        #expect(Set(shares.keys) == ["Carlton", "Denby"])
        #expect(abs(shares.values.reduce(0, +) - (summary["savings_gbp"] as? Double ?? 0)) < 1e-6)
    }

    /// A budget row naming no trust of the register would apply to no plan: `procure`, `report` and `scenario
    /// export` refuse the file (exit 2) naming its line, column, value and the trust meant, and write nothing. A row
    /// of a trust of another network is kept when one network is planned.
    @Test func aBudgetForATrustTheRegisterDoesNotHoldIsRefused() throws {
        let folder = try importedFolder()
        try "trust,year,capital_budget_gbp\nCarlton,2027,5000000\nDenbey,2027,5000000\n".write(
            to: folder.appendingPathComponent("budgets.csv"),
            atomically: true,
            encoding: .utf8
        )
        for command in [["procure"], ["report", "--out", "case.xlsx"], ["scenario", "export", "out"]] {
            let run = try runFleet(command + ["--as-of", "2026-11-01", "--budgets", "budgets.csv"], in: folder)
            #expect(run.status == 2, "\(command): \(run.stderr)")
            #expect(
                run.stderr.contains(
                    "budgets.csv:3: column 'trust': value 'Denbey' — is not a trust of the register, so its budget "
                        + "would apply to no plan; did you mean 'Denby'?"
                ),
                "\(command): \(run.stderr)"
            )
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("case.xlsx").path))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        }
        try "trust,year,capital_budget_gbp\nCarlton,2027,5000000\nDenby,2027,5000000\n".write(
            to: folder.appendingPathComponent("budgets.csv"),
            atomically: true,
            encoding: .utf8
        )
        let alpha = try runFleet(
            ["procure", "--as-of", "2026-11-01", "--network", "Alpha/../Network", "--budgets", "budgets.csv"],
            in: folder
        )
        #expect(alpha.status == 0, "\(alpha.stderr)")
    }

    /// A `--network`, `--trust` or `--site` naming nothing in the register is a usage error (exit 1) naming the
    /// option, its value and the nearest name, in every command that takes them; before, each printed an empty
    /// listing or plan and exited 0. Names that exist but select nothing together still give an empty answer.
    @Test func aScopeNamingNothingInTheRegisterIsRefused() throws {
        let folder = try importedFolder()
        let cases: [([String], String)] = [
            (
                ["rank", "--network", "Beta Netwrk"],
                "--network 'Beta Netwrk' names no network of the register; "
                    + "did you mean 'Beta Network'?"
            ),
            (
                ["procure", "--trust", "Denbey"],
                "--trust 'Denbey' names no trust of the register; did you mean 'Denby'?"
            ),
            (["report", "--trust", "Denbey", "--out", "case.xlsx"], "did you mean 'Denby'?"),
            (["scenario", "export", "out", "--trust", "Denbey"], "did you mean 'Denby'?"),
            (["capacity", "--trust", "Denbey"], "did you mean 'Denby'?"),
            (["age-profile", "--trust", "Denbey"], "did you mean 'Denby'?"),
            (
                ["register", "--site", "Nowhere"],
                "--site 'Nowhere' names no site of the register; it holds 4 "
                    + "('Ashby General', 'Barrow General', 'Carlton General', 'Denby General')."
            ),
        ]
        for (arguments, message) in cases {
            let run = try runFleet(
                arguments + (arguments[0] == "register" ? [] : ["--as-of", "2026-11-01"]),
                in: folder
            )
            #expect(run.status == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("case.xlsx").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // Names match ignoring case, as the register matches them.
        let caseless = try runFleet(["age-profile", "--network", "beta network", "--as-of", "2026-11-01"], in: folder)
        #expect(caseless.status == 0, "\(caseless.stderr)")
        #expect(caseless.stdout.contains("Carlton"))
        // Two names that exist, selecting nothing together: an empty ranking, as before.
        let none = try runFleet(
            ["rank", "--network", "Beta Network", "--trust", "Ashby", "--as-of", "2026-11-01", "--format", "csv"],
            in: folder
        )
        #expect(none.status == 0, "\(none.stderr)")
    }

    @Test func aScenarioFolderNeedsOneNetworkAndTheNetworksWorkbookRecalculates() throws {
        let folder = try importedFolder()
        let exported = try runFleet(["scenario", "export", "out", "--as-of", "2026-11-01"], in: folder)
        #expect(exported.status == 0, "\(exported.stderr)")
        // A scenario folder is one network's: on a register of two, the report asks which.
        let both = try runFleet(
            ["report", "--as-of", "2026-11-01", "--scenario", "out/beta-network", "--out", "both.xlsx"],
            in: folder
        )
        #expect(both.status == 1)
        #expect(both.stderr.contains("--network"), "\(both.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("both.xlsx").path))

        let run = try runFleet(
            ["report", "--as-of", "2026-11-01", "--network", "Beta Network", "--out", "beta.xlsx"],
            in: folder
        )
        #expect(run.status == 0, "\(run.stderr)")
        let book = folder.appendingPathComponent("beta.xlsx").path
        let check = try runXLSXCheck([book])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains(" 0 failed"))
    }

    @Test func anUnwritableWorkbookPathExitsFour() throws {
        let folder = try importedFolder()
        let run = try runFleet(
            ["report", "--as-of", "2026-11-01", "--network", "Beta Network", "--out", "no-such-folder/x.xlsx"],
            in: folder
        )
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stderr.contains("no-such-folder"))
    }
}
