import FleetCore
import Foundation

// Whole-file oracles: what a register or a utilisation feed of known cells must import as, built from the cell
// oracles and SPEC.md's rules, without any of the readers' code.

/// Why the oracle refuses a file.
struct OracleRefusal: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// `Asset ID` → `asset_id`: the header names as SPEC.md writes them.
func oracleColumnName(_ name: String) -> String {
    var words: [String] = []
    var word = ""
    for character in Oracle.trimmed(name).lowercased() {
        if character.isLetter || character.isNumber {
            word.append(character)
        } else if !word.isEmpty {
            words.append(word)
            word = ""
        }
    }
    if !word.isEmpty { words.append(word) }
    return words.joined(separator: "_")
}

/// The convention of each of `columns` of `document`: the decimal point, unless `byEvidence` (a `;` file), where
/// each column's cells decide it (``Oracle/convention(ofColumn:)``).
func oracleConventions(
    _ document: CSVDocument,
    columns: [String],
    byEvidence: Bool
) -> Result<[String: Oracle.Convention], OracleRefusal> {
    var conventions: [String: Oracle.Convention] = [:]
    let names = document.header.map(oracleColumnName)
    for column in columns {
        guard byEvidence, let index = names.firstIndex(of: column) else {
            conventions[column] = .decimalPoint
            continue
        }
        let cells = document.rows.filter { !$0.allSatisfy { Oracle.trimmed($0).isEmpty } }
            .map { index < $0.count ? $0[index] : "" }
        switch Oracle.convention(ofColumn: cells) {
        case .success(let convention): conventions[column] = convention
        case .failure(let refusal): return .failure(OracleRefusal(reason: "\(column): \(refusal)"))
        }
    }
    return .success(conventions)
}

/// The assets a register of known cells holds, or why it must be refused; `numbersByEvidence` for a `;` file.
func oracleRegister(
    _ document: CSVDocument,
    today: Day = fuzzToday,
    numbersByEvidence: Bool = false
) -> Result<[Asset], OracleRefusal> {
    let known = [
        "asset_id", "network", "trust", "site", "modality", "class", "manufacturer", "model", "mobile",
        "install_date", "replacement_cost_gbp", "service_cost_gbp_per_year", "end_of_support", "criticality",
        "status", "notes",
    ]
    let names = document.header.map(oracleColumnName)
    var position: [String: Int] = [:]
    for (index, name) in names.enumerated() where !name.isEmpty {
        if position[name] != nil { return .failure(OracleRefusal(reason: "column \(name) twice")) }
        position[name] = index
    }
    for required in ["asset_id", "trust", "site", "modality", "install_date"] where position[required] == nil {
        return .failure(OracleRefusal(reason: "no column \(required)"))
    }
    let conventions: [String: Oracle.Convention]
    switch oracleConventions(
        document,
        columns: ["replacement_cost_gbp", "service_cost_gbp_per_year", "criticality"],
        byEvidence: numbersByEvidence
    ) {
    case .success(let decided): conventions = decided
    case .failure(let refusal): return .failure(refusal)
    }
    var assets: [Asset] = []
    var seen: Set<String> = []
    var networkOfTrust: [String: String] = [:]
    for (rowIndex, row) in document.rows.enumerated() {
        if row.allSatisfy({ Oracle.trimmed($0).isEmpty }) { continue }
        func cell(_ column: String) -> String { position[column].map { $0 < row.count ? row[$0] : "" } ?? "" }
        func refuse(_ column: String) -> Result<[Asset], OracleRefusal> {
            .failure(OracleRefusal(reason: "row \(rowIndex + 1) column \(column): '\(cell(column))'"))
        }
        func identifier(_ column: String, required: Bool) -> Oracle.Value { Oracle.identifier(cell(column)) }
        guard case .valid(let id) = Oracle.identifier(cell("asset_id")) else { return refuse("asset_id") }
        guard seen.insert(id).inserted else { return refuse("asset_id") }
        let network: String?
        switch Oracle.identifier(cell("network")) {
        case .valid(let value): network = value
        case .empty: network = nil
        case .invalid: return refuse("network")
        }
        guard case .valid(let trust) = Oracle.identifier(cell("trust")) else { return refuse("trust") }
        guard case .valid(let site) = Oracle.identifier(cell("site")) else { return refuse("site") }
        guard case .valid(let modalityCode) = Oracle.modality(cell("modality")),
            let modality = Modality(rawValue: modalityCode)
        else { return refuse("modality") }
        func optional(_ column: String, _ value: Oracle.Value) -> String?? {
            switch value {
            case .valid(let text): .some(text)
            case .empty: .some(nil)
            case .invalid: nil
            }
        }
        guard let equipmentClass = optional("class", Oracle.identifier(cell("class"))) else { return refuse("class") }
        guard let manufacturer = optional("manufacturer", Oracle.text(cell("manufacturer"))) else {
            return refuse("manufacturer")
        }
        guard let model = optional("model", Oracle.text(cell("model"))) else { return refuse("model") }
        guard let mobile = optional("mobile", Oracle.flag(cell("mobile"))) else { return refuse("mobile") }
        guard let installed = Oracle.day(cell("install_date")), let installDate = installed, installDate <= today
        else { return refuse("install_date") }
        guard
            let replacement = optional(
                "replacement_cost_gbp",
                Oracle.money(cell("replacement_cost_gbp"), convention: conventions["replacement_cost_gbp"]!)
            )
        else {
            return refuse("replacement_cost_gbp")
        }
        let serviceConvention = conventions["service_cost_gbp_per_year"]!
        guard
            let service = optional(
                "service_cost_gbp_per_year",
                Oracle.money(cell("service_cost_gbp_per_year"), convention: serviceConvention)
            )
        else { return refuse("service_cost_gbp_per_year") }
        guard let endOfSupport = Oracle.day(cell("end_of_support")) else { return refuse("end_of_support") }
        if let endOfSupport, endOfSupport < installDate { return refuse("end_of_support") }
        guard
            let criticality = optional(
                "criticality",
                Oracle.integer(cell("criticality"), in: 1...5, convention: conventions["criticality"]!)
            )
        else {
            return refuse("criticality")
        }
        guard let status = optional("status", Oracle.status(cell("status"))) else { return refuse("status") }
        guard let ownNotes = optional("notes", Oracle.text(cell("notes"))) else { return refuse("notes") }
        if let network {
            if let earlier = networkOfTrust[trust], earlier != network { return refuse("network") }
            networkOfTrust[trust] = network
        }
        var notes = ownNotes ?? ""
        // Unknown columns are kept in the notes (SPEC.md), a column without a name by its letter.
        for (index, name) in names.enumerated() where !known.contains(name) && index < row.count {
            let value = Oracle.trimmed(row[index])
            var title = Oracle.trimmed(document.header[index])
            if title.isEmpty { title = "Column " + columnLetters(index) }
            if !value.isEmpty { notes += (notes.isEmpty ? "" : "\n") + "\(title): \(value)" }
        }
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
                isMobile: mobile == "true",
                installDate: installDate,
                replacementCostGBP: replacement.flatMap(Double.init).map(GBP.init),
                serviceCostGBPPerYear: service.flatMap(Double.init).map(GBP.init),
                endOfSupport: endOfSupport,
                criticality: criticality.flatMap { Int($0) },
                status: status.flatMap { AssetStatus(rawValue: $0) } ?? .inService,
                notes: notes
            )
        )
    }
    return .success(assets)
}

/// The records a utilisation feed of known cells holds, or why it must be refused; `numbersByEvidence` for a `;`
/// file.
func oracleUtilisation(
    _ document: CSVDocument,
    today: Day = fuzzToday,
    numbersByEvidence: Bool = false
) -> Result<[UtilisationRecord], OracleRefusal> {
    let names = document.header.map(oracleColumnName)
    var position: [String: Int] = [:]
    for (index, name) in names.enumerated() where !name.isEmpty {
        if position[name] != nil { return .failure(OracleRefusal(reason: "column \(name) twice")) }
        position[name] = index
    }
    for required in ["asset_id", "month", "scans"] where position[required] == nil {
        return .failure(OracleRefusal(reason: "no column \(required)"))
    }
    let conventions: [String: Oracle.Convention]
    switch oracleConventions(
        document,
        columns: ["scans", "available_hours", "downtime_hours", "breakdowns", "service_cost_gbp"],
        byEvidence: numbersByEvidence
    ) {
    case .success(let decided): conventions = decided
    case .failure(let refusal): return .failure(refusal)
    }
    var records: [UtilisationRecord] = []
    var seen: Set<String> = []
    for (rowIndex, row) in document.rows.enumerated() {
        if row.allSatisfy({ Oracle.trimmed($0).isEmpty }) { continue }
        func cell(_ column: String) -> String { position[column].map { $0 < row.count ? row[$0] : "" } ?? "" }
        func refuse(_ column: String) -> Result<[UtilisationRecord], OracleRefusal> {
            .failure(OracleRefusal(reason: "row \(rowIndex + 1) column \(column): '\(cell(column))'"))
        }
        func optional(_ value: Oracle.Value) -> String?? {
            switch value {
            case .valid(let text): .some(text)
            case .empty: .some(nil)
            case .invalid: nil
            }
        }
        guard case .valid(let id) = Oracle.identifier(cell("asset_id")) else { return refuse("asset_id") }
        guard let parsedMonth = Oracle.month(cell("month")), let month = parsedMonth, month <= today.yearMonth else {
            return refuse("month")
        }
        guard
            case .valid(let scans) = Oracle.integer(
                cell("scans"),
                in: 0...10_000_000,
                convention: conventions["scans"]!
            )
        else { return refuse("scans") }
        let monthHours = Double(month.dayCount * 24)
        guard
            let available = optional(
                Oracle.decimal(cell("available_hours"), in: 0...744, convention: conventions["available_hours"]!)
            ),
            (available.flatMap(Double.init) ?? 0) <= monthHours
        else { return refuse("available_hours") }
        guard
            let downtime = optional(
                Oracle.decimal(cell("downtime_hours"), in: 0...744, convention: conventions["downtime_hours"]!)
            )
        else {
            return refuse("downtime_hours")
        }
        if let available = available.flatMap(Double.init), let downtime = downtime.flatMap(Double.init),
            downtime > available
        {
            return refuse("downtime_hours")
        }
        guard
            let breakdowns = optional(
                Oracle.integer(cell("breakdowns"), in: 0...10_000, convention: conventions["breakdowns"]!)
            )
        else {
            return refuse("breakdowns")
        }
        guard let cost = optional(Oracle.money(cell("service_cost_gbp"), convention: conventions["service_cost_gbp"]!))
        else { return refuse("service_cost_gbp") }
        guard seen.insert("\(id)\u{0}\(month)").inserted else { return refuse("month") }
        records.append(
            UtilisationRecord(
                assetID: AssetID(id),
                month: month,
                scans: Int(scans)!,
                availableHours: available.flatMap(Double.init),
                downtimeHours: downtime.flatMap(Double.init),
                breakdowns: breakdowns.flatMap { Int($0) },
                serviceCostGBP: cost.flatMap(Double.init).map(GBP.init)
            )
        )
    }
    return .success(records)
}

/// `0` → `A`, `26` → `AA`: a spreadsheet's column letters.
func columnLetters(_ index: Int) -> String {
    var number = index + 1
    var letters = ""
    while number > 0 {
        let remainder = (number - 1) % 26
        letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
        number = (number - 1) / 26
    }
    return letters
}
