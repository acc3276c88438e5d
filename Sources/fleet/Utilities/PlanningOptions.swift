import ArgumentParser
import FleetCore
import FleetRegister
import Foundation

/// `--network`, `--trust`, `--site`, `--modality`: which units of the register a command looks at.
struct ScopeOptions: ParsableArguments {
    @Option(help: "Only this imaging network (names match ignoring case).") var network: String?
    @Option(help: "Only this trust.") var trust: String?
    @Option(help: "Only this site.") var site: String?
    @Option(help: "Only this modality: a code (CT, MR, XR, US, DEXA, NM, PETCT, MG, FL, IR) or a common spelling.")
    var modality: String?

    func validate() throws {
        if let modality, Modality(spelling: modality) == nil {
            throw ValidationError(
                "--modality '\(modality)' is not a known modality; expected one of "
                    + Modality.allCases.map(\.rawValue).joined(separator: ", ") + " or a common spelling such as MRI."
            )
        }
    }

    /// Refuses a `--network`, `--trust` or `--site` that names nothing in the register, giving the nearest name when
    /// one is close: a misspelt name would otherwise select no unit, and the command would print an empty listing or
    /// plan and succeed. Called when the options selected no unit; names that each exist but select nothing together
    /// (a trust of another network) stand.
    /// - Throws: `ValidationError` (exit 1) naming the option and its value; the store's error when it cannot be read.
    func requireNamesInRegister(_ store: any RegisterStore) throws {
        let given: [(option: String, value: String, of: (AssetPlace) -> String?)] = [
            ("network", network, { $0.network?.rawValue }), ("trust", trust, { $0.trust.rawValue }),
            ("site", site, { $0.site.rawValue }),
        ].compactMap { option, value, of in value.map { (option, $0.trimmingWhitespace(), of) } }
        guard !given.isEmpty else { return }
        let places = try store.assetPlaces()
        for (option, value, of) in given {
            let names = Set(places.compactMap(of)).sorted()
            // As the register matches them: ignoring ASCII case.
            let folded = Spelling.asciiLowercased(value)
            guard !names.contains(where: { Spelling.asciiLowercased($0) == folded }) else { continue }
            let hint: String
            if let nearest = Spelling.nearest(to: value, among: names) {
                hint = "did you mean '\(nearest)'?"
            } else if names.isEmpty {
                hint = "the register holds no \(option == "network" ? "networks" : "units")."
            } else {
                let shown = names.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
                hint = "it holds \(names.count) (\(shown)\(names.count > 5 ? ", …" : ""))."
            }
            throw ValidationError("--\(option) '\(value)' names no \(option) of the register; \(hint)")
        }
    }

    /// The register filter these options describe.
    func filter(includesDecommissioned: Bool) -> AssetFilter {
        AssetFilter(
            network: network.map { NetworkName($0.trimmingWhitespace()) },
            trust: trust.map { TrustName($0.trimmingWhitespace()) },
            site: site.map { SiteName($0.trimmingWhitespace()) },
            modality: modality.flatMap { Modality(spelling: $0) },
            includesDecommissioned: includesDecommissioned
        )
    }
}

/// `--as-of`: the day ages and the utilisation window are taken at.
struct AsOfOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: "The day ages and the 12-month utilisation window are taken at (YYYY-MM-DD; default today)."
    )
    var asOf: String?

    func validate() throws {
        guard let asOf else { return }
        guard let day = Day.parse(asOf) else {
            throw ValidationError("--as-of '\(asOf)' is not a date; expected YYYY-MM-DD (or DD/MM/YYYY).")
        }
        // The as-of year is the scenario's base year, which a scenario file allows from 1900 to 2200.
        guard (1900...2200).contains(day.year) else {
            throw ValidationError("--as-of '\(asOf)' is out of range; expected a day from 1900-01-01 to 2200-12-31.")
        }
    }

    /// The day given, or today in the local time zone.
    var day: Day { asOf.flatMap { Day.parse($0) } ?? RegisterImport.currentDay() }
}

/// Shortens `text` to `width` characters with an ellipsis, for names in a terminal table.
func shortened(_ text: String, to width: Int) -> String {
    text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
}
