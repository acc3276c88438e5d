import FleetCore
import Foundation
import Testing
import WorkbookWriter

@testable import FleetRegister

/// The package's Catalog folder, whose column-aliases.toml the tests read as `fleet import` does.
private let catalogAliases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Catalog/column-aliases.toml")

/// The built-in aliases.
private func builtInAliases() throws -> ColumnAliases {
    try ColumnAliases.read(
        contentsOf: catalogAliases,
        displayName: "Catalog/column-aliases.toml",
        columns: RegisterImport.aliasedColumns
    )
}

/// Options with the built-in aliases and `choices`.
private func options(sheet: String? = nil, choices: [String: String] = [:]) throws -> ImportOptions {
    ImportOptions(
        sheet: sheet,
        aliases: try builtInAliases(),
        aliasesFile: "Catalog/column-aliases.toml",
        columnChoices: choices,
        columnChoicesFile: choices.isEmpty ? nil : "map.toml"
    )
}

/// The messages of the invalid-input error `body` throws; empty when it does not throw.
private func problems(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as InvalidInput {
        return error.issues.map(\.description)
    } catch {
        return ["unexpected error: \(error)"]
    }
}

/// The messages of the invalid-input error that preparing the register file at `url` throws; empty when it reads.
private func preparationProblems(_ url: URL, _ name: String, _ options: ImportOptions) -> [String] {
    problems {
        _ = try RegisterImport.prepareTable(contentsOf: url, displayName: name, kind: "register", options: options)
    }
}

/// A workbook as an equipment system exports it: a "Read me" sheet first; then the register under a merged title
/// cell, an export-date row and a blank row, with exported column names, typed date cells (dd/mm/yyyy) and
/// currency-formatted amounts; then a third sheet.
private func writeExportWorkbook(at path: String) throws {
    let workbook = try Workbook(path: path)
    let readMe = try workbook.addWorksheet(named: "Read me")
    try readMe.writeText("Medical equipment register, exported from the asset system", row: 0, column: 0)
    try readMe.writeText("Asset No is the asset tag; costs are in pounds.", row: 1, column: 0)
    let assets = try workbook.addWorksheet(named: "Assets")
    try assets.mergeRange(CellRange(rows: 0...0, columns: 0...6), text: "Ashby Hospitals — imaging equipment")
    try assets.writeText("Exported 01/06/2025 09:12", row: 1, column: 0)
    let header = [
        "Asset No", "Trust Name", "Location", "Equipment Type", "Date Installed", "Replacement Cost (£)", "Room",
    ]
    for (column, title) in header.enumerated() { try assets.writeText(title, row: 3, column: column) }
    let date = CellFormat(numberFormat: "dd/mm/yyyy")
    let money = CellFormat(numberFormat: .gbp)
    let rows: [(String, String, String, (Int, Int, Int), Double?, String)] = [
        ("CT-001", "Ashby Hospitals NHS Trust", "Ashby General Hospital", (2016, 3, 14), 835_000, "B12"),
        ("US-002", "Ashby Hospitals NHS Trust", "Ashby Community Diagnostic Centre", (2019, 11, 1), 55_000.5, ""),
        ("XR-003", "Ashby Hospitals NHS Trust", "Ashby General Hospital", (2012, 7, 30), nil, "X1"),
    ]
    let modalities = ["CT Scanner", "Ultrasound Machine", "General X-ray Room"]
    for (offset, row) in rows.enumerated() {
        let r = 4 + offset
        try assets.writeText(row.0, row: r, column: 0)
        try assets.writeText(row.1, row: r, column: 1)
        try assets.writeText(row.2, row: r, column: 2)
        try assets.writeText(modalities[offset], row: r, column: 3)
        try assets.writeDate(year: row.3.0, month: row.3.1, day: row.3.2, row: r, column: 4, format: date)
        if let cost = row.4 { try assets.writeNumber(cost, row: r, column: 5, format: money) }
        if !row.5.isEmpty { try assets.writeText(row.5, row: r, column: 6) }
    }
    let lookup = try workbook.addWorksheet(named: "Lookup")
    try lookup.writeText("Equipment Type", row: 0, column: 0)
    try workbook.close()
}

@Suite("Real exports: sheets, header rows, column aliases (SPEC.md, Reading real exports)")
struct RealExportTests {
    @Test func aWorkbookWithTheRegisterOnItsSecondSheetUnderTitleRows() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("export.xlsx").path
        try writeExportWorkbook(at: path)
        let prepared = try RegisterImport.prepareTable(
            contentsOf: URL(fileURLWithPath: path),
            displayName: "export.xlsx",
            kind: "register",
            options: try options()
        )
        #expect(prepared.sheetDescription == "export.xlsx: read sheet 'Assets', header on row 4")
        #expect(
            prepared.sourcesDescription
                == "export.xlsx: columns read: asset_id ← 'Asset No', trust ← 'Trust Name', site ← 'Location', "
                + "modality ← 'Equipment Type', install_date ← 'Date Installed', "
                + "replacement_cost_gbp ← 'Replacement Cost (£)'"
        )
        #expect(prepared.table.rows.map(\.line) == [5, 6, 7])
        let assets = try RegisterImport.readRegister(prepared.table, today: testToday, aliases: try builtInAliases())
        #expect(assets.map(\.id) == ["CT-001", "US-002", "XR-003"])
        #expect(assets.map(\.modality) == [.ct, .us, .xr])
        #expect(assets.map(\.installDate) == [day(2016, 3, 14), day(2019, 11, 1), day(2012, 7, 30)])
        #expect(assets.map(\.replacementCostGBP) == [GBP(835_000), GBP(55_000.5), nil])
        #expect(
            assets.map(\.site.rawValue) == [
                "Ashby General Hospital", "Ashby Community Diagnostic Centre", "Ashby General Hospital",
            ]
        )
        #expect(assets.map(\.notes) == ["Room: B12", "", "Room: X1"])
    }

    /// The same forms from openpyxl (Fixtures/make-openpyxl-export.py): a merged title, an export date-time, a
    /// gap row, currency formats with pence.
    @Test func anOpenpyxlExport() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/openpyxl-export.xlsx")
        let prepared = try RegisterImport.prepareTable(
            contentsOf: url,
            displayName: "export.xlsx",
            kind: "register",
            options: try options()
        )
        #expect(prepared.sheetDescription == "export.xlsx: read sheet 'Devices', header on row 4")
        #expect(prepared.table.rows.map(\.line) == [5, 6, 8])
        let assets = try RegisterImport.readRegister(prepared.table, today: testToday, aliases: try builtInAliases())
        #expect(assets.map(\.id) == ["BGH-MR-01", "BGH-XR-04", "BGH-US-09"])
        #expect(assets.map(\.modality) == [.mr, .xr, .us])
        #expect(assets.map(\.installDate) == [day(2015, 5, 20), day(2011, 1, 31), day(2022, 10, 3)])
        #expect(assets.map(\.replacementCostGBP) == [GBP(1_100_000), GBP(95_000), GBP(52_000)])
        #expect(assets.map(\.serviceCostGBPPerYear) == [GBP(88_000.5), nil, GBP(2_600)])
        #expect(
            assets.map(\.site.rawValue) == ["Barrow General Hospital", "Barrow General Hospital", "Barrow Outpatients"]
        )
        #expect(assets.map(\.notes) == ["Serial Number: MR-5521", "", "Serial Number: US-0934"])
    }

    @Test func aSheetChosenByName() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("export.xlsx")
        try writeExportWorkbook(at: url.path)
        let chosen = try RegisterImport.prepareTable(
            contentsOf: url,
            displayName: "export.xlsx",
            kind: "register",
            options: try options(sheet: "assets")
        )
        #expect(chosen.table.rows.count == 3)
        #expect(
            preparationProblems(url, "export.xlsx", try options(sheet: "Read me")) == [
                "export.xlsx: sheet 'Read me' lacks asset_id, trust, site, modality, install_date (no row of its "
                    + "first 20 names any of them); expected a header row naming the required columns within a sheet's first "
                    + "20 rows"
            ]
        )
        #expect(
            preparationProblems(url, "export.xlsx", try options(sheet: "Register")) == [
                "export.xlsx: has no sheet 'Register'; expected one of its sheets: 'Read me', 'Assets', 'Lookup'"
            ]
        )
    }

    /// Without the aliases, no sheet has the columns: the error lists each sheet and what it lacks.
    @Test func noSheetHasTheColumns() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("export.xlsx")
        try writeExportWorkbook(at: url.path)
        let found = preparationProblems(url, "export.xlsx", ImportOptions())
        #expect(
            found == [
                "export.xlsx: sheet 'Read me' lacks asset_id, trust, site, modality, install_date (no row of its first 20 "
                    + "names any of them)",
                "export.xlsx: sheet 'Assets' lacks asset_id, trust, site, modality, install_date (no row of its first 20 "
                    + "names any of them)",
                "export.xlsx: sheet 'Lookup' lacks asset_id, trust, site, modality, install_date (no row of its first 20 "
                    + "names any of them)",
                "export.xlsx: has no sheet with the columns a register or feed needs; expected a header row naming "
                    + "the required columns within a sheet's first 20 rows, or a sheet named with --sheet NAME and "
                    + "columns named with --columns FILE",
            ]
        )
    }

    /// A header below row 20 is not looked for.
    @Test func aHeaderBelowRow20IsNotFound() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("deep.xlsx").path
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet(named: "Register")
        for row in 0..<20 { try sheet.writeText("note \(row + 1)", row: row, column: 0) }
        for (column, title) in RegisterFile.requiredColumns.enumerated() {
            try sheet.writeText(title, row: 20, column: column)
        }
        try workbook.close()
        #expect(
            preparationProblems(URL(fileURLWithPath: path), "deep.xlsx", ImportOptions(sheet: "Register")) == [
                "deep.xlsx: sheet 'Register' lacks asset_id, trust, site, modality, install_date (no row of its first 20 "
                    + "names any of them); expected a header row naming the required columns within a sheet's first 20 rows"
            ]
        )
    }

    /// A workbook's typed numbers are written plainly (`55000.5`); read with a decimal comma, `123.456` would be
    /// thousands, so the option is refused for a workbook.
    @Test func aWorkbookIsNotReadWithADecimalComma() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("export.xlsx")
        try writeExportWorkbook(at: url.path)
        var commas = try options()
        commas.numberConvention = .decimalComma
        #expect(
            preparationProblems(url, "export.xlsx", commas) == [
                "export.xlsx: is a workbook, whose numbers are typed values read as they are, so --decimal-comma "
                    + "does not apply; expected it without --decimal-comma (or a CSV export with it)"
            ]
        )
    }

    @Test func aSheetWhoseHeaderLacksAColumnSaysWhichAndWhere() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("short.xlsx").path
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet(named: "Register")
        try sheet.writeText("Register of imaging equipment", row: 0, column: 0)
        for (column, title) in ["Asset No", "Trust", "Site", "Modality"].enumerated() {
            try sheet.writeText(title, row: 1, column: column)
        }
        try workbook.close()
        #expect(
            preparationProblems(URL(fileURLWithPath: path), "short.xlsx", try options()) == [
                "short.xlsx: sheet 'Register' lacks install_date (its closest header is row 2)",
                "short.xlsx: has no sheet with the columns a register or feed needs; expected a header row naming "
                    + "the required columns within a sheet's first 20 rows, or a sheet named with --sheet NAME and "
                    + "columns named with --columns FILE",
            ]
        )
    }

    @Test func aCSVFileHasNoSheets() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("r.csv")
        try "\(requiredHeader)\nCT-1,A,S,CT,2020\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(
            preparationProblems(url, "r.csv", ImportOptions(sheet: "Assets")) == [
                "r.csv: is a CSV file, which has no sheets, so --sheet 'Assets' cannot be read from it; expected an "
                    + ".xlsx workbook with --sheet, or the CSV file without it"
            ]
        )
    }
}

@Suite("Column aliases and --columns")
struct ColumnAliasTests {
    private func prepared(_ text: String, options: ImportOptions, kind: String = "register") throws -> PreparedTable {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("export.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return try RegisterImport.prepareTable(contentsOf: url, displayName: "export.csv", kind: kind, options: options)
    }

    @Test func aliasedHeadersAndModalityValues() throws {
        let text = """
            Equipment ID,Organisation,Department,Equipment Type,Installation Date,Purchase Price,Service Cost,Serial No
            E1,Ashby,Radiology,MRI Scanner,01/02/2018,"£1,100,000",95000,S-77
            E2,Ashby,Radiology,Ultrasound Machine,2021,48000,,
            """
        let table = try prepared(text, options: try options())
        #expect(table.isRenamed)
        #expect(
            table.sources.map(\.description) == [
                "asset_id ← 'Equipment ID'", "trust ← 'Organisation'", "site ← 'Department'",
                "modality ← 'Equipment Type'", "install_date ← 'Installation Date'",
                "replacement_cost_gbp ← 'Purchase Price'", "service_cost_gbp_per_year ← 'Service Cost'",
            ]
        )
        let assets = try RegisterImport.readRegister(table.table, today: testToday, aliases: try builtInAliases())
        #expect(assets.map(\.modality) == [.mr, .us])
        #expect(assets.map(\.installDate) == [day(2018, 2, 1), day(2021, 7, 1)])
        #expect(assets.map(\.replacementCostGBP) == [GBP(1_100_000), GBP(48_000)])
        #expect(assets.map(\.serviceCostGBPPerYear) == [GBP(95_000), nil])
        #expect(assets.map(\.notes) == ["Serial No: S-77", ""])
    }

    /// A message about an aliased column names it as the file does.
    @Test func aBadValueInAnAliasedColumnIsNamedAsTheFileNamesIt() throws {
        let table = try prepared(
            "Asset No,Trust,Site,Modality,Date Installed\nCT-1,A,S,CT,soon\n",
            options: try options()
        )
        #expect(
            problems { _ = try RegisterImport.readRegister(table.table, today: testToday) } == [
                "export.csv:2: column 'Date Installed': value 'soon' — is not a valid date; expected a date as "
                    + "YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY"
            ]
        )
    }

    @Test func aColumnNamedAsFleetNamesItWinsOverAnAlias() throws {
        let table = try prepared(
            "asset_id,Asset No,trust,site,modality,install_date\nA1,T9,A,S,CT,2020\n",
            options: try options()
        )
        #expect(!table.isRenamed)
        let assets = try RegisterImport.readRegister(table.table, today: testToday)
        #expect(assets.map(\.id) == ["A1"])
        #expect(assets.first?.notes == "Asset No: T9")
    }

    @Test func twoColumnsMatchingOneColumnsAliasesAreRefusedNamingBoth() throws {
        let text = "Asset No,Trust,Location,Department,Modality,Date Installed\nCT-1,A,G,Rad,CT,2016\n"
        #expect(
            problems { _ = try prepared(text, options: try options()) } == [
                "export.csv:1: columns 'Location' and 'Department' both match site (aliases in "
                    + "Catalog/column-aliases.toml); expected one; say which with --columns FILE ([columns] site = "
                    + "\"Location\")"
            ]
        )
        let chosen = try prepared(text, options: try options(choices: ["site": "Department"]))
        let assets = try RegisterImport.readRegister(chosen.table, today: testToday)
        #expect(assets.first?.site == "Rad")
        #expect(assets.first?.notes == "Location: G")
    }

    @Test func aChosenColumnThatIsNotInTheFileIsRefused() throws {
        let text = "Asset No,Trust,Site,Modality,Date Installed\nCT-1,A,G,CT,2016\n"
        #expect(
            problems { _ = try prepared(text, options: try options(choices: ["asset_id": "Tag"])) } == [
                "export.csv:1: column 'Tag': — is named for asset_id in map.toml but is not in the header; the "
                    + "header has 'Asset No', 'Trust', 'Site', 'Modality', 'Date Installed'"
            ]
        )
    }

    @Test func aChoiceOverridesAColumnNamedAsFleetNamesIt() throws {
        let text = "asset_id,Tag,trust,site,modality,install_date\nROW-1,CT-9,A,S,CT,2020\n"
        let table = try prepared(text, options: ImportOptions(columnChoices: ["asset_id": "Tag"]))
        #expect(table.sourcesDescription.hasPrefix("export.csv: columns read: asset_id ← 'Tag', trust ← 'trust'"))
        let assets = try RegisterImport.readRegister(table.table, today: testToday)
        #expect(assets.map(\.id) == ["CT-9"])
        #expect(assets.first?.notes == "asset_id: ROW-1")
    }

    @Test func aMissingColumnSaysHowToNameIt() throws {
        #expect(
            problems {
                _ = try prepared("Tag,Trust,Site,Modality,Date Installed\nCT-1,A,G,CT,2016\n", options: try options())
            }
                == [
                    "export.csv:1: column 'asset_id': — required column is missing; the header has 'Tag', 'Trust', "
                        + "'Site', 'Modality', 'Date Installed'; name the column that holds it with --columns FILE "
                        + "([columns] asset_id = \"Header\")"
                ]
        )
    }

    @Test func theUtilisationFeedGoesByItsAliasesToo() throws {
        let feed = "Equipment ID,Period,Examinations,Downtime,Comment\nCT-1,2025-01,812,4,ok\n"
        let table = try prepared(feed, options: try options(), kind: "utilisation")
        #expect(
            table.sourcesDescription
                == "export.csv: columns read: asset_id ← 'Equipment ID', month ← 'Period', scans ← 'Examinations', "
                + "downtime_hours ← 'Downtime'"
        )
        let records = try RegisterImport.readUtilisation(table.table, today: testToday)
        #expect(records.map(\.scans) == [812])
        #expect(records.map(\.downtimeHours) == [4])
        #expect(RegisterImport.unknownColumns(of: table.table) == ["Comment"])
    }

    @Test func theBuiltInAliasesNameTheSpecsExamples() throws {
        let aliases = try builtInAliases().names(for: "register")
        #expect(aliases["asset_id"]?.contains("Asset No") == true)
        #expect(aliases["asset_id"]?.contains("Asset Number") == true)
        #expect(aliases["asset_id"]?.contains("Equipment ID") == true)
        #expect(aliases["install_date"]?.contains("Date Installed") == true)
        #expect(aliases["install_date"]?.contains("Installation Date") == true)
        #expect(aliases["site"] == ["Location", "Department", "Site Name", "Hospital", "Premises"])
        #expect(aliases["replacement_cost_gbp"]?.contains("Purchase Price") == true)
        #expect(aliases["replacement_cost_gbp"]?.contains("Replacement Cost (£)") == true)
        #expect(aliases["modality"]?.contains("Equipment Type") == true)
        let spellings = try builtInAliases()
        #expect(
            ["CT Scanner", "MRI Scanner", "Ultrasound Machine", "General X-ray Room"].map {
                spellings.modality(spelled: $0) ?? Modality(spelling: $0)
            } == [.ct, .mr, .us, .xr]
        )
    }

    @Test(arguments: [
        (
            "[register]\nasset_number = [\"Asset No\"]\n",
            "aliases.toml:2: key 'register.asset_number': value '[ 'Asset No' ]' — is not a known key; expected one of asset_id, "
        ),
        (
            "[modality]\nCAT = [\"CAT scanner\"]\n",
            "aliases.toml:2: key 'modality.CAT': value '[ 'CAT scanner' ]' — is not a known key; expected one of CT, MR"
        ),
        ("[register]\nsite = 5\n", "aliases.toml:2: key 'register.site': value '5' — expected a list of names"),
        ("[columns]\nsite = \"Location\"\n", "aliases.toml:1: key 'columns' is not a known key"),
    ])
    func badAliasFiles(text: String, message: String) {
        let found = problems {
            _ = try ColumnAliases.parse(toml: text, file: "aliases.toml", columns: RegisterImport.aliasedColumns)
        }
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(message) == true, "\(found)")
    }

    @Test func badColumnsFiles() {
        #expect(
            problems {
                _ = try ColumnAliases.parseChoices(
                    toml: "[columns]\nasset = \"Tag\"\n",
                    file: "map.toml",
                    columns: RegisterFile.columns
                )
            }.first?.hasPrefix(
                "map.toml:2: key 'columns.asset': value 'Tag' — is not a known key; expected one of asset_id, "
            ) == true
        )
        #expect(
            problems {
                _ = try ColumnAliases.parseChoices(
                    toml: "[columns]\nsite = 3\n",
                    file: "map.toml",
                    columns: RegisterFile.columns
                )
            } == ["map.toml:2: key 'columns.site': value '3' — expected the header of a column"]
        )
        #expect(
            problems {
                _ = try ColumnAliases.parseChoices(
                    toml: "site = \"Location\"\n",
                    file: "map.toml",
                    columns: RegisterFile.columns
                )
            } == [
                "map.toml: key 'columns' is missing; expected a table [columns]",
                "map.toml:1: key 'site': value 'Location' — is not a known key; expected one of columns",
            ]
        )
    }
}
