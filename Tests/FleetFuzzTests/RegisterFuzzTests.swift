import FleetCore
import FleetRegister
import Foundation
import Testing

/// A valid register with every column, quoted fields, a line break inside a value, `£` amounts, UK dates, an Excel
/// serial, non-ASCII names (all within Latin-1, so the file can be re-encoded) and an unknown column.
let registerDocument = CSVDocument(
    header: [
        "asset_id", "network", "trust", "site", "modality", "class", "manufacturer", "model", "mobile", "install_date",
        "replacement_cost_gbp", "service_cost_gbp_per_year", "end_of_support", "criticality", "status", "notes", "Room",
    ],
    rows: [
        [
            "CT-001", "North", "Ashby Hospitals NHS Trust", "Ashby General Hospital", "CT", "CT-128", "Siemens",
            "SOMATOM", "no", "14/03/2016", "£1,250,000", "85000", "2027-03-31", "4", "in_service", "Bay 2, level 1",
            "B12",
        ],
        [
            "MR-002", "North", "Ashby Hospitals NHS Trust", "Ashby Community Diagnostic Centre", "MRI", "MR-1.5T", "GE",
            "Signa", "yes", "2019-11", "950000", "", "", "", "in_service", "", "",
        ],
        [
            "XR-003", "South", "Barrow Hospitals NHS Trust", "Barrow General Hospital", "X-ray", "", "Philips", "", "",
            "2012", "90000", "4500", "", "2", "decommissioned", "line one\nline two", "",
        ],
        [
            "US-004", "South", "Barrow Hospitals NHS Trust", "Café Röntgen Clinic", "Ultrasound", "", "", "", "",
            "2021-06-01", "55000", "3000", "2031-06-01", "1", "", "", "C3",
        ],
        [
            "MG-005", "North", "Carlton NHS Trust", "Carlton Hospital", "MG", "", "Hologic", "3Dimensions", "false",
            "2018-01-15", "400000", "20000", "", "5", "in_service", "say \"hi\"", "",
        ],
        [
            "NM-006", "North", "Carlton NHS Trust", "Carlton Hospital", "NM", "", "", "", "", "45123", "600000", "", "",
            "3", "", "", "",
        ],
    ]
)

/// A valid utilisation feed with each accepted month form and an ignored column.
let utilisationDocument = CSVDocument(
    header: [
        "asset_id", "month", "scans", "available_hours", "downtime_hours", "breakdowns", "service_cost_gbp", "comment",
    ],
    rows: [
        ["CT-001", "2025-01", "1200", "400", "12.5", "1", "£2,000", "ok"],
        ["CT-001", "2025-02", "1100", "380", "0", "0", "1500", ""],
        ["MR-002", "2025-01", "800", "", "", "", "", ""],
        ["XR-003", "01/2025", "300", "200", "10", "2", "", ""],
        ["US-004", "2025-03-15", "50", "100", "100", "0", "0", ""],
    ]
)

/// The register as continental Excel exports it (`;`-separated): replacement costs with decimal commas in two
/// rows (so that one changed cell cannot take the column's evidence away), and `55.000`, which the column's
/// evidence decides; service costs and criticality with no evidence and nothing ambiguous.
let semicolonRegisterDocument: CSVDocument = {
    var document = registerDocument
    let column = document.index(of: "replacement_cost_gbp")
    for (row, value) in ["£1.250.000", "950.000,50", "90000", "55.000", "400000", "600000"].enumerated() {
        document.rows[row][column] = value
    }
    return document
}()

/// Reads `data` as a register file named `file`, as `fleet import register` does.
func readRegister(_ data: Data, file: String = "register.csv") -> ReadOutcome<[Asset]> {
    outcome { try RegisterImport.readRegister(try RegisterImport.readTable(data, file: file), today: fuzzToday) }
}

/// Reads `data` as a utilisation feed named `file`.
func readUtilisation(_ data: Data, file: String = "utilisation.csv") -> ReadOutcome<[UtilisationRecord]> {
    outcome { try RegisterImport.readUtilisation(try RegisterImport.readTable(data, file: file), today: fuzzToday) }
}

/// Tallies of how fuzz cases ended, printed so a run shows what it exercised.
final class FuzzTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func add(_ key: String) { lock.withLock { counts[key, default: 0] += 1 } }

    var summary: String {
        lock.withLock { counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
    }

    func count(_ key: String) -> Int { lock.withLock { counts[key] ?? 0 } }
}

/// Checks one read of a file whose cells the oracle knows: a success must equal the oracle's reading, a failure
/// must be a well-formed `InvalidInput` that names `line` (the line of the changed cell) when there is one.
func checkAgainstOracle<Value: Equatable>(
    _ result: ReadOutcome<[Value]>,
    oracle: Result<[Value], OracleRefusal>,
    data: Data,
    file: String,
    changedLine: Int?,
    changedColumn: String?,
    changedValue: String?,
    caseName: String,
    tally: FuzzTally,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch result {
    case .read(let values):
        switch oracle {
        case .success(let expected):
            if values == expected {
                tally.add("read as the oracle reads it")
            } else {
                let index =
                    zip(values, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(values.count, expected.count)
                let got = index < values.count ? "\(values[index])" : "nothing"
                let want = index < expected.count ? "\(expected[index])" : "nothing"
                saveFailingCase(caseName, files: [file: data])
                Issue.record(
                    "\(caseName): misread: record \(index + 1) is \(got); expected \(want)",
                    sourceLocation: sourceLocation
                )
            }
        case .failure(let refusal):
            saveFailingCase(caseName, files: [file: data])
            Issue.record("\(caseName): accepted a file the oracle refuses (\(refusal))", sourceLocation: sourceLocation)
        }
    case .invalid(let error):
        tally.add(oracle.isSuccess ? "refused what the oracle accepts (naming the cell)" : "refused as invalid")
        for problem in malformations(of: error, files: [file], lineCount: lineCount(of: data)) {
            Issue.record("\(caseName): \(problem)", sourceLocation: sourceLocation)
        }
        if let changedLine {
            let names = error.issues.contains { $0.line == changedLine || $0.problem.contains("line \(changedLine)") }
            if !names {
                saveFailingCase(caseName, files: [file: data])
                Issue.record(
                    "\(caseName): the failure does not name line \(changedLine): \(error)",
                    sourceLocation: sourceLocation
                )
            }
            if let changedColumn, let changedValue,
                let issue = error.issues.first(where: { $0.line == changedLine && $0.column == changedColumn }),
                let quoted = issue.value, quoted != Oracle.trimmed(changedValue), quoted != changedValue
            {
                Issue.record(
                    "\(caseName): the failure quotes '\(quoted)' for a cell holding '\(changedValue)'",
                    sourceLocation: sourceLocation
                )
            }
            if !oracle.isSuccess || changedColumn == nil { return }
            // The oracle accepts the file: the reader may be stricter, but only about the changed cell.
            if !error.issues.contains(where: { $0.line == changedLine }) {
                Issue.record("\(caseName): refused a valid file elsewhere: \(error)", sourceLocation: sourceLocation)
            }
        }
    case .fileFailure(let failure):
        Issue.record("\(caseName): file failure for data in memory: \(failure)", sourceLocation: sourceLocation)
    case .unexpected(let error):
        saveFailingCase(caseName, files: [file: data])
        Issue.record("\(caseName): unexpected error \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

@Suite("Fuzzing the register and utilisation readers")
struct RegisterFuzzTests {
    @Test func theSemicolonBaselinesReadAsTheOraclesSay() throws {
        let register = try #require(
            readRegister(Data(semicolonRegisterDocument.encoded(separator: ";").text.utf8)).value
        )
        #expect(register == (try oracleRegister(semicolonRegisterDocument, numbersByEvidence: true).get()))
        #expect(register.map(\.replacementCostGBP?.pounds) == [1_250_000, 950_000.5, 90_000, 55_000, 400_000, 600_000])
        // `£2,000` in the feed: a pound figure grouped by a comma is evidence of the decimal point.
        let feed = try #require(readUtilisation(Data(utilisationDocument.encoded(separator: ";").text.utf8)).value)
        #expect(feed == (try oracleUtilisation(utilisationDocument, numbersByEvidence: true).get()))
        #expect(feed.first?.serviceCostGBP == GBP(2_000))
    }

    /// One cell of a `;` register replaced: the import fails naming that cell's line, or equals the oracle's
    /// reading, where the oracle decides each number column by its own evidence.
    @Test(arguments: 0..<2) func semicolonRegisterCellMutations(shard: Int) {
        var random = FuzzRandom(seed: 0x5EED_0600 + UInt64(shard))
        let tally = FuzzTally()
        let numberColumns = ["replacement_cost_gbp", "service_cost_gbp_per_year", "criticality"].map {
            semicolonRegisterDocument.index(of: $0)
        }
        for iteration in 0..<300 {
            var document = semicolonRegisterDocument
            let row = random.int(0..<document.rows.count)
            // Mostly the number columns, where the rule is.
            let column =
                random.chance(0.7) ? random.pick(numberColumns) : random.int(0..<document.header.count)
            let value = random.chance(0.6) ? random.pick(Hostile.numbers) : random.pick(Hostile.all)
            document.rows[row][column] = value
            let (text, lines) = document.encoded(separator: ";")
            let data = Data(text.utf8)
            checkAgainstOracle(
                readRegister(data),
                oracle: oracleRegister(document, numbersByEvidence: true),
                data: data,
                file: "register.csv",
                changedLine: lines[row],
                changedColumn: document.header[column],
                changedValue: value,
                caseName: "register-semicolon-cell-\(shard)-\(iteration)",
                tally: tally
            )
        }
        print("semicolon register cell mutations, shard \(shard): \(tally.summary)")
        #expect(tally.count("read as the oracle reads it") > 50)
        #expect(tally.count("refused as invalid") > 50)
    }

    @Test func semicolonUtilisationCellMutations() {
        var random = FuzzRandom(seed: 0x5EED_0700)
        let tally = FuzzTally()
        for iteration in 0..<300 {
            var document = utilisationDocument
            let row = random.int(0..<document.rows.count)
            let column = random.int(0..<document.header.count)
            let value = random.chance(0.6) ? random.pick(Hostile.numbers) : random.pick(Hostile.all)
            document.rows[row][column] = value
            let (text, lines) = document.encoded(separator: ";")
            let data = Data(text.utf8)
            checkAgainstOracle(
                readUtilisation(data),
                oracle: oracleUtilisation(document, numbersByEvidence: true),
                data: data,
                file: "utilisation.csv",
                changedLine: lines[row],
                changedColumn: document.header[column],
                changedValue: value,
                caseName: "utilisation-semicolon-cell-\(iteration)",
                tally: tally
            )
        }
        print("semicolon utilisation cell mutations: \(tally.summary)")
        #expect(tally.count("read as the oracle reads it") > 50)
        #expect(tally.count("refused as invalid") > 50)
    }

    @Test func theBaselinesReadAsTheOraclesSay() throws {
        let register = try #require(readRegister(Data(registerDocument.encoded().text.utf8)).value)
        #expect(register == (try oracleRegister(registerDocument).get()))
        #expect(register.count == 6)
        #expect(register[3].site == SiteName("Café Röntgen Clinic"))
        #expect(register[0].notes == "Bay 2, level 1\nRoom: B12")
        let feed = try #require(readUtilisation(Data(utilisationDocument.encoded().text.utf8)).value)
        #expect(feed == (try oracleUtilisation(utilisationDocument).get()))
        #expect(feed.count == 5)
    }

    /// One cell of the register replaced by a hostile value: the import either fails naming that cell's line, or
    /// equals the oracle's reading of the whole file.
    @Test(arguments: 0..<4) func registerCellMutations(shard: Int) {
        var random = FuzzRandom(seed: 0x5EED_0100 + UInt64(shard))
        let tally = FuzzTally()
        for iteration in 0..<300 {
            var document = registerDocument
            let row = random.int(0..<document.rows.count)
            let column = random.int(0..<document.header.count)
            let value =
                random.chance(0.15)
                ? document.rows[random.int(0..<document.rows.count)][column]
                : random.pick(Hostile.all)
            document.rows[row][column] = value
            if random.chance(0.1) {  // a second change in another cell of the same row
                let other = random.int(0..<document.header.count)
                document.rows[row][other] = random.pick(Hostile.all)
            }
            let changed = document.rows[row][column]
            let (text, lines) = document.encoded()
            let data = Data(text.utf8)
            checkAgainstOracle(
                readRegister(data),
                oracle: oracleRegister(document),
                data: data,
                file: "register.csv",
                changedLine: lines[row],
                changedColumn: document.header[column],
                changedValue: changed,
                caseName: "register-cell-\(shard)-\(iteration)",
                tally: tally
            )
        }
        print("register cell mutations, shard \(shard): \(tally.summary)")
        #expect(tally.count("read as the oracle reads it") > 50)
        #expect(tally.count("refused as invalid") > 50)
    }

    @Test(arguments: 0..<2) func utilisationCellMutations(shard: Int) {
        var random = FuzzRandom(seed: 0x5EED_0200 + UInt64(shard))
        let tally = FuzzTally()
        for iteration in 0..<300 {
            var document = utilisationDocument
            let row = random.int(0..<document.rows.count)
            let column = random.int(0..<document.header.count)
            let value = random.chance(0.3) ? random.pick(Hostile.numbers + Hostile.dates) : random.pick(Hostile.all)
            document.rows[row][column] = value
            let (text, lines) = document.encoded()
            let data = Data(text.utf8)
            checkAgainstOracle(
                readUtilisation(data),
                oracle: oracleUtilisation(document),
                data: data,
                file: "utilisation.csv",
                changedLine: lines[row],
                changedColumn: document.header[column],
                changedValue: value,
                caseName: "utilisation-cell-\(shard)-\(iteration)",
                tally: tally
            )
        }
        print("utilisation cell mutations, shard \(shard): \(tally.summary)")
        #expect(tally.count("read as the oracle reads it") > 50)
        #expect(tally.count("refused as invalid") > 50)
    }

    /// Header changes: two columns swapped, a column named twice, a column renamed or dropped.
    @Test func registerColumnMutations() {
        var random = FuzzRandom(seed: 0x5EED_0300)
        let tally = FuzzTally()
        for iteration in 0..<200 {
            var document = registerDocument
            let first = random.int(0..<document.header.count)
            let second = random.int(0..<document.header.count)
            var kind = ""
            switch random.int(0..<4) {
            case 0:
                document.header.swapAt(first, second)
                kind = "swap"
            case 1:
                document.header[first] = document.header[second].uppercased()
                kind = "duplicate"
            case 2:
                document.header[first] = random.pick(["Asset ID", " asset_id ", "ASSET-ID", "x", "", "asset id 2"])
                kind = "rename"
            default:
                document.header.remove(at: first)
                for index in document.rows.indices { document.rows[index].remove(at: first) }
                kind = "drop"
            }
            let data = Data(document.encoded().text.utf8)
            let result = readRegister(data)
            checkAgainstOracle(
                result,
                oracle: oracleRegister(document),
                data: data,
                file: "register.csv",
                changedLine: nil,
                changedColumn: nil,
                changedValue: nil,
                caseName: "register-columns-\(kind)-\(iteration)",
                tally: tally
            )
            if kind == "duplicate", first != second, let error = result.invalidInput {
                #expect(error.issues.contains { $0.line == 1 })
            }
        }
        print("register column mutations: \(tally.summary)")
        #expect(tally.count("refused as invalid") > 20)
    }

    /// The same register in other encodings and line ends reads the same.
    @Test(arguments: [
        "utf16le", "utf16be", "utf16le-bom", "utf16be-bom", "latin1", "windows1252", "cr", "crlf",
        "utf8-bom", "semicolons",
    ])
    func encodingsAndLineEnds(form: String) throws {
        let text = registerDocument.encoded().text
        var expected = try oracleRegister(registerDocument).get()
        let data: Data
        switch form {
        case "utf16le": data = text.data(using: .utf16LittleEndian)!
        case "utf16be": data = text.data(using: .utf16BigEndian)!
        case "utf16le-bom": data = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        case "utf16be-bom": data = Data([0xFE, 0xFF]) + text.data(using: .utf16BigEndian)!
        case "latin1": data = text.data(using: .isoLatin1)!
        case "windows1252": data = text.data(using: .windowsCP1252)!
        case "utf8-bom": data = Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
        case "cr", "crlf":
            let end = form == "cr" ? "\r" : "\r\n"
            data = Data(text.replacingOccurrences(of: "\n", with: end).utf8)
            expected = expected.map { asset in
                var asset = asset
                // The line break inside XR-003's notes is the file's line end, whatever it is.
                asset.notes = asset.notes.replacingOccurrences(of: "one\nline", with: "one\(end)line")
                return asset
            }
        default:
            // Continental Excel: `;` between fields and decimal commas.
            var document = registerDocument
            document.rows[0][document.index(of: "replacement_cost_gbp")] = "£1.250.000"
            data = Data(document.encoded(separator: ";").text.utf8)
        }
        let result = readRegister(data)
        if case .invalid(let error) = result { Issue.record("\(form): \(error)") }
        #expect(result.value == expected, "\(form)")
    }

    /// UTF-8 text with one byte that is not UTF-8: read either way, some text would be garbled, so the import
    /// fails naming the line of that byte.
    @Test func aStrayByteInUTF8TextIsRefusedWithItsLine() throws {
        var random = FuzzRandom(seed: 0x5EED_0400)
        let (text, lines) = registerDocument.encoded()
        for _ in 0..<40 {
            let row = random.int(0..<registerDocument.rows.count)
            var bytes = [UInt8](text.utf8)
            // Insert the stray byte just after the row's first comma.
            var lineStart = 0
            var line = 1
            while line < lines[row] {
                if bytes[lineStart] == 0x0A { line += 1 }
                lineStart += 1
            }
            let comma = bytes[lineStart...].firstIndex(of: UInt8(ascii: ","))!
            bytes.insert(random.pick([0xE9, 0xA3, 0x80, 0xFF, 0xC3]), at: comma + 1)
            let error = try #require(readRegister(Data(bytes)).invalidInput)
            #expect(error.issues.first?.line == lines[row])
            #expect(error.description.contains("not UTF-8"))
        }
    }

    /// Random damage at the byte level: cut, flipped, inserted, deleted or repeated bytes, NULs, binary junk,
    /// unbalanced quotes, huge fields and lines. Whatever the damage, the reader ends in a well-formed error or
    /// a reading; a NUL is refused with its line; a file cut short keeps the rows before the cut.
    @Test(arguments: 0..<3) func registerByteMutations(shard: Int) throws {
        var random = FuzzRandom(seed: 0x5EED_0500 + UInt64(shard))
        let tally = FuzzTally()
        let baseline = [UInt8](registerDocument.encoded().text.utf8)
        let expected = try oracleRegister(registerDocument).get()
        for iteration in 0..<250 {
            var bytes = baseline
            var kind = ""
            switch random.int(0..<10) {
            case 0:
                bytes = Array(bytes.prefix(random.int(0...bytes.count)))
                kind = "truncate"
            case 1:
                for _ in 0..<random.int(1...3) {
                    bytes[random.int(0..<bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                }
                kind = "flip"
            case 2:
                bytes.insert(contentsOf: random.bytes(random.int(1...16)), at: random.int(0...bytes.count))
                kind = "junk"
            case 3:
                bytes.insert(0, at: random.int(0...bytes.count))
                kind = "nul"
            case 4:
                let start = random.int(0..<bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + random.int(1...40)))
                kind = "delete"
            case 5:
                let start = random.int(0..<bytes.count)
                let piece = bytes[start..<min(bytes.count, start + random.int(1...80))]
                bytes.insert(contentsOf: piece, at: random.int(0...bytes.count))
                kind = "repeat"
            case 6:
                // A quote at the start of a field that does not end there.
                let commas = bytes.indices.filter { bytes[$0] == UInt8(ascii: ",") }
                bytes.insert(UInt8(ascii: "\""), at: random.pick(commas) + 1)
                kind = "quote"
            case 7:
                let commas = bytes.indices.filter { bytes[$0] == UInt8(ascii: ",") }
                let size = random.pick([30_000, 33_000, 330_000, 400_000])
                bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "x"), count: size), at: random.pick(commas) + 1)
                kind = "huge-field-\(size)"
            case 8:
                let newlines = bytes.indices.filter { bytes[$0] == 0x0A }
                let junk = String(repeating: "a,", count: random.int(20...5_000))
                bytes.insert(contentsOf: Array(junk.utf8), at: random.pick(newlines))
                kind = "long-line"
            default:
                bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 }
                bytes[random.int(0..<bytes.count)] = random.pick([0x0D, 0x0A, 0x22, 0x2C, 0x3B, 0x09])
                kind = "line-ends"
            }
            let data = Data(bytes)
            let name = "register-bytes-\(kind)-\(shard)-\(iteration)"
            let result = readRegister(data)
            switch result {
            case .read(let assets):
                tally.add("\(kind) read")
                if kind == "truncate" {
                    // Every row but the last one read must be the baseline's; the last may be cut.
                    #expect(assets.count <= expected.count, "\(name)")
                    if assets.count > 1 {
                        #expect(Array(assets.dropLast()) == Array(expected.prefix(assets.count - 1)), "\(name)")
                    }
                }
                if kind == "nul" { Issue.record("\(name): a NUL byte was read as text") }
            case .invalid(let error):
                tally.add("\(kind) refused")
                for problem in malformations(of: error, files: ["register.csv"], lineCount: lineCount(of: data)) {
                    saveFailingCase(name, files: ["register.csv": data])
                    Issue.record("\(name): \(problem)")
                }
                if kind == "nul", let nul = bytes.firstIndex(of: 0), error.issues.first?.problem.contains("NUL") == true
                {
                    #expect(error.issues.first?.line == 1 + bytes[..<nul].filter { $0 == 0x0A }.count, "\(name)")
                }
                if kind == "huge-field-330000" || kind == "huge-field-400000" {
                    #expect(
                        error.description.contains("bytes long") || error.description.contains("characters long"),
                        "\(name)"
                    )
                }
            case .fileFailure(let failure):
                Issue.record("\(name): file failure \(failure)")
            case .unexpected(let error):
                saveFailingCase(name, files: ["register.csv": data])
                Issue.record("\(name): unexpected \(type(of: error)): \(error)")
            }
        }
        print("register byte mutations, shard \(shard): \(tally.summary)")
    }
}
