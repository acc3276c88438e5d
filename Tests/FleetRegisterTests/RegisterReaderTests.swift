import FleetCore
import Foundation
import Testing

@testable import FleetRegister

@Suite("Register file: accepted forms")
struct RegisterAcceptedFormTests {
    @Test func byteOrderMarkAndCRLF() throws {
        let assets = try registerAssets("\u{FEFF}\(requiredHeader)\r\nCT-1,Ashby,General,CT,2020-01-02\r\n")
        #expect(assets.count == 1)
        #expect(assets.first?.id == "CT-1")
        #expect(assets.first?.installDate == day(2020, 1, 2))
    }

    @Test func quotedCommaAndLineBreak() throws {
        let text = """
            \(requiredHeader),notes
            CT-1,"Ashby, Barrow and Carlton",General,CT,2020-01-02,"moved in 2021
            from the old wing"
            CT-2,Ashby,General,CT,2020-01-02,
            """
        let assets = try registerAssets(text)
        #expect(assets.map(\.trust) == ["Ashby, Barrow and Carlton", "Ashby"])
        #expect(assets.first?.notes == "moved in 2021\nfrom the old wing")
    }

    @Test(arguments: [
        ("1250000", 1_250_000.0), ("\"£1,250,000\"", 1_250_000), ("£1250000.50", 1_250_000.5),
        ("GBP 900000", 900_000),
        ("\"1,250,000\"", 1_250_000),
    ])
    func money(written: String, pounds: Double) throws {
        let assets = try registerAssets("\(requiredHeader),replacement_cost_gbp\nCT-1,A,S,CT,2020-01-02,\(written)\n")
        #expect(assets.first?.replacementCostGBP == GBP(pounds))
    }

    @Test(arguments: [
        ("2020-03-15", day(2020, 3, 15)), ("15/03/2020", day(2020, 3, 15)), ("5/3/2020", day(2020, 3, 5)),
        ("2020-03", day(2020, 3, 1)), ("2020", day(2020, 7, 1)), ("45123", day(2023, 7, 16)),
        ("45123.0", day(2023, 7, 16)), ("45123.75", day(2023, 7, 16)),
    ])
    func installDate(written: String, expected: Day) throws {
        let assets = try registerAssets("\(requiredHeader)\nCT-1,A,S,CT,\(written)\n")
        #expect(assets.first?.installDate == expected)
    }

    @Test(arguments: [
        ("CT", Modality.ct), ("MRI", .mr), ("mr", .mr), ("X-ray", .xr), ("Ultrasound", .us), ("Mammography", .mg),
        ("PET/CT", .petct), ("DXA", .dexa), ("Nuclear medicine", .nm), ("Fluoroscopy", .fl), ("Cath lab", .ir),
    ])
    func modalitySpelling(written: String, expected: Modality) throws {
        let assets = try registerAssets("\(requiredHeader)\nU-1,A,S,\(written),2020-01-02\n")
        #expect(assets.first?.modality == expected)
    }

    @Test func semicolonsWithDecimalCommas() throws {
        let text = """
            asset_id;trust;site;modality;install_date;replacement_cost_gbp;service_cost_gbp_per_year
            CT-1;Ashby;General;CT;02/01/2020;1.250.000,50;95000,25
            """
        let asset = try #require(try registerAssets(text).first)
        #expect(asset.replacementCostGBP == GBP(1_250_000.5))
        #expect(asset.serviceCostGBPPerYear == GBP(95_000.25))
        #expect(asset.installDate == day(2020, 1, 2))
    }

    @Test func trailingEmptyRowsAreIgnored() throws {
        let assets = try registerAssets("\(requiredHeader)\nCT-1,A,S,CT,2020\n\n,,,,\n  ,,,,\n\n")
        #expect(assets.count == 1)
    }

    @Test func windows1252Text() throws {
        var data = Data("\(requiredHeader)\nCT-1,A,".utf8)
        data.append(contentsOf: [0x53, 0x74, 0x20, 0x4A, 0x6F, 0x68, 0x6E, 0x92, 0x73])  // St John’s in Windows-1252
        data.append(contentsOf: Array(",CT,2020\n".utf8))
        let assets = try RegisterImport.readRegister(try CSV.parse(data, file: "r.csv"), today: testToday)
        #expect(assets.first?.site == "St John\u{2019}s")
    }

    @Test func unknownColumnsAreKeptInNotes() throws {
        let text = """
            Asset ID,Trust,Site,Modality,Install Date,Notes,Room,Asset Tag
            CT-1,A,S,CT,2020,Bought with CDC money,B12,00042
            CT-2,A,S,CT,2020,,,
            CT-3,A,S,CT,2020,,C4,
            """
        let assets = try registerAssets(text)
        #expect(assets.map(\.notes) == ["Bought with CDC money\nRoom: B12\nAsset Tag: 00042", "", "Room: C4"])
    }

    @Test func optionalColumnsAndDefaults() throws {
        let text = """
            asset_id,network,trust,site,modality,class,manufacturer,model,mobile,install_date,end_of_support,criticality,status
            CT-1,North,Ashby,General,CT,CT-128,Siemens,go.Top,yes,2016-03-14,2026-03-14,5,Decommissioned
            XR-2,,Ashby,General,XR,,,,,2019,,,
            """
        let assets = try registerAssets(text)
        let first = try #require(assets.first)
        #expect(first.network == "North")
        #expect(first.equipmentClass == "CT-128")
        #expect(first.manufacturer == "Siemens")
        #expect(first.model == "go.Top")
        #expect(first.isMobile)
        #expect(first.endOfSupport == day(2026, 3, 14))
        #expect(first.criticality == 5)
        #expect(first.status == .decommissioned)
        let second = try #require(assets.last)
        #expect(second.network == nil)
        #expect(second.equipmentClass == nil)
        #expect(!second.isMobile)
        #expect(second.criticality == nil)
        #expect(second.status == .inService)
    }

    @Test func inServiceSpelledWithASpace() throws {
        let assets = try registerAssets("\(requiredHeader),status\nCT-1,A,S,CT,2020,In Service\n")
        #expect(assets.first?.status == .inService)
    }

    @Test func aListingSavedAsCSVImportsAgainUnchanged() throws {
        let original = [
            Asset(
                id: "CT-1",
                network: "North",
                trust: "Ashby, Barrow",
                site: "General",
                modality: .ct,
                equipmentClass: "CT-128",
                manufacturer: "Siemens",
                model: "X \"Pro\"",
                isMobile: true,
                installDate: day(2016, 3, 14),
                replacementCostGBP: GBP(1_250_000.5),
                serviceCostGBPPerYear: GBP(95_000),
                endOfSupport: day(2026, 3, 14),
                criticality: 4,
                status: .decommissioned,
                notes: "line one\nRoom: B12"
            ),
            makeAsset("XR-2", network: nil, modality: .xr, replacementCost: nil),
        ]
        let text = ([CSV.line(RegisterFile.columns)] + original.map { CSV.line(RegisterFile.fields(of: $0)) })
            .joined(separator: "\n")
        #expect(try registerAssets(text) == original)
    }
}

@Suite("Register file: bad input, with exact messages")
struct RegisterBadInputTests {
    @Test(arguments: [
        (
            "\(requiredHeader)\nCT-1,A,S,CT,2030-01-01\n",
            "register.csv:2: column 'install_date': value '2030-01-01' — is in the future (today is 2025-06-30); "
                + "expected the day the unit was installed"
        ),
        (
            "\(requiredHeader),end_of_support\nCT-1,A,S,CT,2015-03-01,2010-01-01\n",
            "register.csv:2: column 'end_of_support': value '2010-01-01' — is before install_date (2015-03-01); "
                + "expected a day on or after the install date"
        ),
        (
            "\(requiredHeader),status\nCT-1,A,S,CT,2015,retired\n",
            "register.csv:2: column 'status': value 'retired' — is not a known status; "
                + "expected in_service or decommissioned"
        ),
        (
            "\(requiredHeader)\nCT-1,A,S,Laser,2015\n",
            "register.csv:2: column 'modality': value 'Laser' — is not a known modality; expected one of CT, MR, XR, "
                + "US, DEXA, NM, PETCT, MG, FL, IR (or a common spelling such as MRI, X-ray, Ultrasound)"
        ),
        (
            "\(requiredHeader),replacement_cost_gbp\nCT-1,A,S,CT,2015,lots\n",
            "register.csv:2: column 'replacement_cost_gbp': value 'lots' — is not an amount of money; "
                + "expected an amount in pounds of 0 or more, such as 1250000 or £1,250,000"
        ),
        (
            "\(requiredHeader),service_cost_gbp_per_year\nCT-1,A,S,CT,2015,-5000\n",
            "register.csv:2: column 'service_cost_gbp_per_year': value '-5000' — is negative; "
                + "expected an amount in pounds of 0 or more, such as 1250000 or £1,250,000"
        ),
        (
            "\(requiredHeader),criticality\nCT-1,A,S,CT,2015,7\n",
            "register.csv:2: column 'criticality': value '7' — is out of range; expected a whole number from 1 to 5"
        ),
        (
            "\(requiredHeader),mobile\nCT-1,A,S,CT,2015,maybe\n",
            "register.csv:2: column 'mobile': value 'maybe' — is not true or false; expected true/false or yes/no"
        ),
        (
            "\(requiredHeader)\nCT-1,A,S,CT,31/02/2020\n",
            "register.csv:2: column 'install_date': value '31/02/2020' — is not a valid date; "
                + "expected a date as YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY"
        ),
        (
            "\(requiredHeader)\nCT-1,,S,CT,2015\n",
            "register.csv:2: column 'trust': value '' — is empty; expected an identifier"
        ),
        (
            "\(requiredHeader)\nCT-1,A,S,CT,2015\nCT-2,A,S,CT,2015\nCT-1,B,S,MR,2016\n",
            "register.csv:4: column 'asset_id': value 'CT-1' — appears again (first on line 2); "
                + "expected each asset_id once in a file"
        ),
        (
            "asset_id,network,trust,site,modality,install_date\nCT-1,North,A,S,CT,2015\nCT-2,South,A,S,CT,2015\n",
            "register.csv:3: column 'network': value 'South' — differs from line 2, where trust 'A' is in network "
                + "'North'; expected one network for each trust"
        ),
        (
            "asset_id,trust,modality,install_date\nCT-1,A,CT,2015\n",
            "register.csv:1: column 'site': — required column is missing; the header has 'asset_id', 'trust', "
                + "'modality', 'install_date'"
        ),
        // A trust (or network, or site) written two ways that differ only in letter case: the register's filters
        // would take them as one, a plan as two trusts buying jointly. Reported once, where the second spelling
        // first appears; the first spelling repeated, and names differing otherwise, are fine.
        (
            "\(requiredHeader)\nCT-1,Ashby,S,CT,2015\nCT-2,Ashby,S,CT,2015\nCT-3,ASHBY,S,CT,2015\n"
                + "CT-4,ASHBY,S,CT,2015\nCT-5,Ashby Two,S,CT,2015\n",
            "register.csv:4: column 'trust': value 'ASHBY' — differs from 'Ashby' (line 2) only in letter case; the "
                + "register matches names ignoring case, so a filter would take the two as one trust and a plan as "
                + "two; expected one spelling of each trust"
        ),
        (
            // Sites are their trust's: B's "general" is no trouble, A's is.
            "asset_id,network,trust,site,modality,install_date\nCT-1,North,A,General,CT,2015\n"
                + "CT-2,North,B,general,CT,2015\nCT-3,North,A,general,CT,2015\n",
            "register.csv:4: column 'site': value 'general' — differs from 'General' (line 2) only in letter case; "
                + "the register matches names ignoring case, so a filter would take the two as one site and a plan "
                + "as two; expected one spelling of each site"
        ),
    ])
    func oneProblem(file: String, message: String) {
        #expect(registerProblems(file) == [message])
    }

    @Test func everyProblemIsReportedInFileOrder() {
        let text = """
            \(requiredHeader),criticality
            CT-1,A,S,CT,2015,9
            CT-2,A,S,Laser,2015,
            CT-3,A,S,CT,2015,3
            CT-4,A,S,CT,tomorrow,0
            """
        let problems = registerProblems(text)
        #expect(problems.count == 4)
        #expect(
            problems.map { $0.split(separator: ":").prefix(2).joined(separator: ":") }
                == ["register.csv:2", "register.csv:3", "register.csv:5", "register.csv:5"]
        )
        #expect(problems.last?.contains("column 'criticality': value '0'") == true)
    }

    @Test func theInvalidInputErrorSaysNothingWasImported() throws {
        do {
            _ = try registerAssets("\(requiredHeader)\nCT-1,A,S,CT,2030\n")
            Issue.record("a future install date was accepted")
        } catch let error as InvalidInput {
            #expect(error.exitCode == .invalidInput)
            #expect(error.description.hasSuffix("1 problem in register.csv; nothing was imported from it."))
        }
    }
}

/// The readers' fast paths must give exactly what FleetCore's fields give, or step aside.
@Suite("Fast paths agree with FleetCore's fields")
struct FastPathTests {
    static let numbers = [
        "0", "00", "7", "1250000", "999999999999", "1000000000000", "12345678901234", "1,250", "1.5", "-3", "+3", "1e3",
        "٣", "１２", " 5", "5 ", "", "0x10", "£5", "4294967296",
    ]

    func expectAgreement<Value: Equatable>(
        _ inputs: [String],
        _ field: Field<Value>,
        _ fastPath: (String) -> Value?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for input in inputs {
            guard let fast = fastPath(input) else { continue }
            let general = try? field.parse(input, .decimalPoint).get()
            #expect(fast == general, "fast path for '\(input)'", sourceLocation: sourceLocation)
        }
    }

    @Test func numbers() {
        expectAgreement(Self.numbers, .money, FastPath.money)
        expectAgreement(Self.numbers, .integer(in: 1...5), { FastPath.integer($0, in: 1...5) })
        expectAgreement(Self.numbers, .integer(in: 0...10_000_000), { FastPath.integer($0, in: 0...10_000_000) })
        expectAgreement(Self.numbers, .hoursInMonth, { FastPath.hours($0, in: 0...744) })
        #expect(FastPath.money("1250000") == GBP(1_250_000))
        #expect(FastPath.integer("6", in: 1...5) == nil)
    }

    @Test func datesAndMonths() {
        let inputs = [
            "2016-03-14", "2020-02-29", "2021-02-29", "0000-01-01", "2016-3-14", "2016/03/14", "14/03/2016",
            "2016-13-01",
            "2016-03", "2016-00", "2016", "２０１６-03-14", "2016-03-14T00:00",
        ]
        expectAgreement(inputs, .day, FastPath.day)
        expectAgreement(inputs, .yearMonth, FastPath.yearMonth)
        #expect(FastPath.day("2016-03-14") == day(2016, 3, 14))
        #expect(FastPath.yearMonth("2016-03") == YearMonth(year: 2016, month: 3))
    }

    @Test func wordsAndNames() {
        let words = [
            "CT", "ct", "MR", "MRI", "PETCT", "DEXA", "true", "True", "TRUE", "yes", "no", "NO", "tRuE", "y", "1",
            "in_service", "decommissioned", "In Service", "x\u{7}y", String(repeating: "a", count: 201),
            String(repeating: "é", count: 150), "Ashby General Hospital",
        ]
        expectAgreement(words, .modality, FastPath.modality)
        expectAgreement(words, .boolean, FastPath.boolean)
        expectAgreement(words, .identifier, FastPath.identifier)
        expectAgreement(words, .text, FastPath.text)
        #expect(FastPath.identifier(String(repeating: "é", count: 150)) == nil)  // 300 bytes: the field decides
    }
}
