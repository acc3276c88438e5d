import FleetCore

extension RegisterImport {
    /// Reads the assets of a register table (SPEC.md, "Register file"), checking every value.
    ///
    /// Accepts modality spellings (`MRI`, `X-ray`), money with `£` and thousands separators, dates as
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `DD/MM/YYYY` or an Excel serial (`45123`, `45123.0`). An empty `mobile`
    /// reads as false and an empty `status` as in service. Columns the register does not know are kept in
    /// `notes`, one `Column: value` line each, after the `notes` column's own text.
    ///
    /// - Parameters:
    ///   - today: the current day; an install date after it is refused.
    ///   - aliases: further modality spellings (`Ultrasound Machine`), from `Catalog/column-aliases.toml`.
    /// - Returns: the assets in file order.
    /// - Throws: ``InvalidInput`` naming every bad value (file, line, column, value, what is expected):
    ///   missing required columns or values, unreadable values, an `asset_id` that appears twice, an install
    ///   date in the future, an end of support before the install date, a status other than in_service or
    ///   decommissioned, one trust named in two networks, a network, trust or site written two ways that differ only
    ///   in letter case.
    public static func readRegister(
        _ table: InputTable,
        today: Day,
        aliases: ColumnAliases = ColumnAliases()
    ) throws(InvalidInput) -> [Asset] {
        try importing { () throws(InvalidInput) in try parseRegister(table, today: today, aliases: aliases) }
    }

    private static func parseRegister(
        _ table: InputTable,
        today: Day,
        aliases: ColumnAliases
    ) throws(InvalidInput) -> [Asset] {
        try table.requireColumns(RegisterFile.requiredColumns)
        let known = Set(RegisterFile.columns)
        let extraColumns: [(index: Int, name: String)] = table.columns.indices.compactMap { index in
            guard !known.contains(table.columns[index]) else { return nil }
            let written = table.headerAsWritten[index].trimmingWhitespace()
            return (index, written.isEmpty ? "Column \(XLSXReader.columnLetters(index))" : written)
        }
        let assetID = ColumnReader("asset_id", of: table, .identifier, fastPath: FastPath.identifier)
        let networkColumn = ColumnReader("network", of: table, .identifier, fastPath: FastPath.identifier)
        let trustColumn = ColumnReader("trust", of: table, .identifier, fastPath: FastPath.identifier)
        let siteColumn = ColumnReader("site", of: table, .identifier, fastPath: FastPath.identifier)
        let modalityColumn = ColumnReader("modality", of: table, modality(aliases), fastPath: FastPath.modality)
        let classColumn = ColumnReader("class", of: table, .identifier, fastPath: FastPath.identifier)
        let manufacturerColumn = ColumnReader("manufacturer", of: table, .text, fastPath: FastPath.text)
        let modelColumn = ColumnReader("model", of: table, .text, fastPath: FastPath.text)
        let mobileColumn = ColumnReader("mobile", of: table, .boolean, fastPath: FastPath.boolean)
        let installDateColumn = ColumnReader("install_date", of: table, registerDay, fastPath: FastPath.day)
        let replacementCostColumn = ColumnReader("replacement_cost_gbp", of: table, .money, fastPath: FastPath.money)
        let serviceCostColumn = ColumnReader("service_cost_gbp_per_year", of: table, .money, fastPath: FastPath.money)
        let endOfSupportColumn = ColumnReader("end_of_support", of: table, registerDay, fastPath: FastPath.day)
        let criticalityColumn = ColumnReader(
            "criticality",
            of: table,
            .integer(in: 1...5),
            fastPath: { FastPath.integer($0, in: 1...5) }
        )
        let statusColumn = ColumnReader("status", of: table, assetStatus, fastPath: FastPath.status)
        let notesColumn = ColumnReader("notes", of: table, .text, fastPath: FastPath.text)

        var issues = InputIssues()
        var assets: [Asset] = []
        assets.reserveCapacity(table.rows.count)
        var lineOfAsset: [String: Int] = [:]
        lineOfAsset.reserveCapacity(table.rows.count)
        var networkOfTrust: [String: (network: String, line: Int)] = [:]
        var spellings = NameSpellings()

        for row in table.rows {
            let reader = table.reader(for: row)
            // Checks follow the values they concern, so a row's problems are listed in the usual column order.
            let id = assetID.value(in: row, of: table, required: true, issues: &issues)
            if let id {
                if let earlier = lineOfAsset[id] {
                    reader.report(
                        "asset_id",
                        "appears again (first on line \(earlier)); expected each asset_id once in a file",
                        issues: &issues
                    )
                } else {
                    lineOfAsset[id] = row.line
                }
            }
            let network = networkColumn.value(in: row, of: table, issues: &issues)
            let trust = trustColumn.value(in: row, of: table, required: true, issues: &issues)
            let site = siteColumn.value(in: row, of: table, required: true, issues: &issues)
            let modality = modalityColumn.value(in: row, of: table, required: true, issues: &issues)
            let equipmentClass = classColumn.value(in: row, of: table, issues: &issues)
            let manufacturer = manufacturerColumn.value(in: row, of: table, issues: &issues)
            let model = modelColumn.value(in: row, of: table, issues: &issues)
            let isMobile = mobileColumn.value(in: row, of: table, issues: &issues)
            let installDate = installDateColumn.value(in: row, of: table, required: true, issues: &issues)
            if let installDate, installDate > today {
                reader.report(
                    "install_date",
                    "is in the future (today is \(today.iso)); expected the day the unit was installed",
                    issues: &issues
                )
            }
            let replacementCost = replacementCostColumn.value(in: row, of: table, issues: &issues)
            let serviceCost = serviceCostColumn.value(in: row, of: table, issues: &issues)
            let endOfSupport = endOfSupportColumn.value(in: row, of: table, issues: &issues)
            let criticalityValue = criticalityColumn.value(in: row, of: table, issues: &issues)
            let status = statusColumn.value(in: row, of: table, issues: &issues)
            var notes = notesColumn.value(in: row, of: table, issues: &issues) ?? ""

            if let installDate, let endOfSupport, endOfSupport < installDate {
                reader.report(
                    "end_of_support",
                    "is before install_date (\(installDate.iso)); expected a day on or after the install date",
                    issues: &issues
                )
            }
            // A site is its trust's: two trusts may each have a "General".
            func checkSpelling(_ index: Int, _ column: String, _ name: String?, within scope: String) {
                guard let name, let earlier = spellings.conflict(index, name, within: scope, line: row.line) else {
                    return
                }
                reader.report(
                    column,
                    "differs from '\(earlier.spelling)' (line \(earlier.line)) only in letter case; the register "
                        + "matches names ignoring case, so a filter would take the two as one \(column) and a plan "
                        + "as two; expected one spelling of each \(column)",
                    issues: &issues
                )
            }
            checkSpelling(0, "network", network, within: "")
            checkSpelling(1, "trust", trust, within: "")
            checkSpelling(2, "site", site, within: trust ?? "")
            if let trust, let network {
                if let earlier = networkOfTrust[trust] {
                    if earlier.network != network {
                        reader.report(
                            "network",
                            "differs from line \(earlier.line), where trust '\(trust)' is in network "
                                + "'\(earlier.network)'; expected one network for each trust",
                            issues: &issues
                        )
                    }
                } else {
                    networkOfTrust[trust] = (network, row.line)
                }
            }
            for column in extraColumns where column.index < row.fields.count {
                let value = row.fields[column.index].trimmingWhitespace()
                if !value.isEmpty { notes += (notes.isEmpty ? "" : "\n") + "\(column.name): \(value)" }
            }

            guard issues.isEmpty, let id, let trust, let site, let modality, let installDate else { continue }
            assets.append(
                Asset(
                    id: AssetID(id),
                    network: network.map { NetworkName($0) },
                    trust: TrustName(trust),
                    site: SiteName(site),
                    modality: modality,
                    equipmentClass: equipmentClass.map { EquipmentClassName($0) },
                    manufacturer: manufacturer,
                    model: model,
                    isMobile: isMobile ?? false,
                    installDate: installDate,
                    replacementCostGBP: replacementCost,
                    serviceCostGBPPerYear: serviceCost,
                    endOfSupport: endOfSupport,
                    criticality: criticalityValue,
                    status: status ?? .inService,
                    notes: notes
                )
            )
        }
        try issues.throwIfAny()
        return assets
    }

    /// Refuses a register file whose import would leave the register holding a network, trust or site (within its
    /// trust) two ways that differ only in letter case, or a trust in two networks: `assets`, read from `table` by
    /// ``readRegister(_:today:aliases:)``, against `stored`, the register's assets before the import. Only the stored
    /// assets the file does not replace count, so a file that re-imports every asset of a trust may rename it.
    /// - Throws: ``InvalidInput`` naming each row's file, line, column and value, and the register's spelling.
    public static func checkNames(
        of assets: [Asset],
        in table: InputTable,
        against stored: [AssetPlace]
    ) throws(InvalidInput) {
        guard !stored.isEmpty, assets.count == table.rows.count else { return }
        struct Place: Hashable {
            var network: String?
            var trust: String
            var site: String
        }
        let replaced = Set(assets.lazy.map(\.id))
        var keptPlaces: Set<Place> = []
        for asset in stored where !replaced.contains(asset.id) {
            keptPlaces.insert(
                Place(network: asset.network?.rawValue, trust: asset.trust.rawValue, site: asset.site.rawValue)
            )
        }
        guard !keptPlaces.isEmpty else { return }
        // What the register keeps: each name by its letters with the ASCII capitals lowered (a site within its
        // trust), and each trust's network.
        func keys(_ place: Place) -> [String?] {
            let trust = Spelling.asciiLowercased(place.trust)
            return [
                place.network.map(Spelling.asciiLowercased), trust,
                trust + "\u{0}" + Spelling.asciiLowercased(place.site),
            ]
        }
        let columns = ["network", "trust", "site"]
        var kept: [[String: String]] = [[:], [:], [:]]
        var networkOfTrust: [String: String] = [:]
        for place in keptPlaces {
            let written = [place.network, place.trust, place.site]
            for (index, key) in keys(place).enumerated() { if let key { kept[index][key] = written[index] } }
            if let network = place.network { networkOfTrust[place.trust] = network }
        }
        // Each place of the file is checked at its first row, and each name reported once.
        var checked: Set<Place> = []
        var reported: Set<[String]> = []
        var issues = InputIssues()
        for (row, asset) in zip(table.rows, assets) {
            let place = Place(network: asset.network?.rawValue, trust: asset.trust.rawValue, site: asset.site.rawValue)
            guard checked.insert(place).inserted else { continue }
            let reader = table.reader(for: row)
            let written = [place.network, place.trust, place.site]
            for (index, key) in keys(place).enumerated() {
                guard let key, let name = written[index], let spelling = kept[index][key], spelling != name,
                    reported.insert([columns[index], key, name]).inserted
                else { continue }
                reader.report(
                    columns[index],
                    "differs from '\(spelling)', already in the register, only in letter case; the register matches "
                        + "names ignoring case, so a filter would take the two as one \(columns[index]) and a plan as "
                        + "two; expected the register's spelling (or every asset of that \(columns[index]) imported again)",
                    issues: &issues
                )
            }
            if let network = place.network, let earlier = networkOfTrust[place.trust], earlier != network,
                reported.insert(["network of", place.trust, network]).inserted
            {
                reader.report(
                    "network",
                    "differs from the register, where trust '\(place.trust)' is in network '\(earlier)'; expected "
                        + "one network for each trust (or every asset of the trust imported again)",
                    issues: &issues
                )
            }
        }
        try issues.throwIfAny()
    }

    /// The spellings of the names of one file, by column: the first of each name ignoring ASCII letter case (as
    /// the register's filters compare), to find a name written two ways.
    private struct NameSpellings {
        private struct Key: Hashable {
            var column: Int
            var scope: String
            var name: String
        }

        /// Names met so far, exactly as written: most rows repeat one, and skip the folding.
        private var seen: Set<Key> = []
        /// Each column's name on the row before, with its scope: rows come grouped by trust and site, and a name
        /// equal to the last one needs no look-up (a set look-up a row was a sixth of a national register's import).
        private var last: [(scope: String, name: String)] = Array(repeating: ("", ""), count: 3)
        /// The first spelling of each name with its ASCII capitals lowered, and its line.
        private var first: [Key: (spelling: String, line: Int)] = [:]

        /// The first spelling, and its line, of a `column` name within `scope` (a site's trust) that `name` writes
        /// differently only in letter case; nil when there is none.
        mutating func conflict(
            _ column: Int,
            _ name: String,
            within scope: String,
            line: Int
        ) -> (spelling: String, line: Int)? {
            if last[column].name == name, last[column].scope == scope { return nil }
            last[column] = (scope, name)
            guard seen.insert(Key(column: column, scope: scope, name: name)).inserted else { return nil }
            let key = Key(column: column, scope: scope, name: Spelling.asciiLowercased(name))
            if let earlier = first[key] { return earlier.spelling == name ? nil : earlier }
            first[key] = (name, line)
            return nil
        }
    }

    /// A register date: FleetCore's ``Field/day`` forms, plus Excel serials written with a fraction or a
    /// decimal point (`45123.0`, `45123.5` — a date with a time of day), which read as their day.
    static let registerDay: Field<Day> = {
        let day = Field<Day>.day
        return Field(expectation: day.expectation) { text, convention in
            // Only digits with one decimal point: Double(_:) would also read `4.5123e4` and hexadecimal `0xB043.0`.
            if text.contains("."), text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || (48...57).contains($0) }),
                let serial = Double(text), serial.isFinite, (20_000...80_000).contains(serial)
            {
                return day.parse(String(Int(serial.rounded(.down))), convention)
            }
            return day.parse(text, convention)
        }
    }()

    /// FleetCore's ``Field/modality``, with the further spellings of `aliases`.
    static func modality(_ aliases: ColumnAliases) -> Field<Modality> {
        let modality = Field<Modality>.modality
        guard !aliases.modalitySpellings.isEmpty else { return modality }
        return Field(expectation: modality.expectation) { text, convention in
            aliases.modality(spelled: text).map { .success($0) } ?? modality.parse(text, convention)
        }
    }

    /// `in_service` or `decommissioned`, ignoring case and with a space or hyphen for the underscore.
    static let assetStatus: Field<AssetStatus> = {
        let expectation = "in_service or decommissioned"
        return Field(expectation: expectation) { text, _ in
            let key = String(text.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
            return AssetStatus(rawValue: key).map { .success($0) }
                ?? .failure(FieldProblem("is not a known status; expected \(expectation)"))
        }
    }()
}
