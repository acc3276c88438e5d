#!/usr/bin/env python3
"""Writes the regression corpus that FuzzRegressionTests replays: inputs that once crashed or were misread by a
reader (found by the fuzz suites in Tests/FleetFuzzTests), and a few worth keeping, each with a `.expect` file.

Run from this folder: python3 make-regressions.py

Layout: one folder per reader (register, utilisation, scenario, priority-toml, appraisal-toml, catalog); a case is
a file (or, for scenario, a folder) and NAME.expect beside it:

    # why the case is kept
    outcome: read | refused
    issue: PREFIX        (refused: some issue's description starts with PREFIX; the file is named as NAME.EXT)
    contains: TEXT       (refused: the whole message contains TEXT)
    record: FIELDS       (read: the records in order, fields joined by commas, with \r, \n and \t escaped)
    settings: B,H,A,R    (read, scenario: base_year, horizon_years, appraisal_years, discount_rate)
"""
import os
import shutil
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "asset_id,trust,site,modality,install_date,replacement_cost_gbp,model,notes"


def write(folder, name, data, expect):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    stem = name.rsplit(".", 1)[0]
    with open(os.path.join(HERE, folder, stem + ".expect"), "w", encoding="utf-8") as f:
        f.write(expect.strip() + "\n")


def register(rows):
    return HEADER + "\n" + "\n".join(rows) + "\n"


# ---- register CSV: values that were read as something nobody wrote -------------------------------------------

write("register", "money-space-between-digits.csv", register(['CT-1,T,S,CT,2020,"1 2",,']), """
# '1 2' was read as £12: spaces and apostrophes now group thousands only in groups of three
outcome: refused
issue: money-space-between-digits.csv:2: column 'replacement_cost_gbp': value '1 2'
""")
write("register", "money-tab-between-digits.csv", register(['CT-1,T,S,CT,2020,"1\t000",,']), """
# a tab inside a number was read as a thousands separator (£1,000)
outcome: refused
issue: money-tab-between-digits.csv:2: column 'replacement_cost_gbp': value '1\\t000'
""")
write("register", "money-line-break-between-digits.csv", register(['CT-1,T,S,CT,2020,"1\n000",,']), """
# a line break inside a quoted number was read as a thousands separator (£1,000)
outcome: refused
issue: money-line-break-between-digits.csv:2: column 'replacement_cost_gbp': value '1\\n000'
""")
write("register", "money-grouped-by-spaces.csv",
      register(['CT-1,T,S,CT,2020,1 250 000,,', "CT-2,T,S,CT,2020,1'000,,", 'CT-3,T,S,CT,2020,"£ 1\u00a0250",,']), """
# kept: thousands grouped by spaces, apostrophes and no-break spaces still read
outcome: read
record: CT-1,,T,S,CT,,,,false,2020-07-01,1250000,,,,in_service,
record: CT-2,,T,S,CT,,,,false,2020-07-01,1000,,,,in_service,
record: CT-3,,T,S,CT,,,,false,2020-07-01,1250,,,,in_service,
""")
SEMICOLON_HEADER = HEADER.replace(",", ";")
write("register", "semicolon-pounds-grouped-by-commas.csv",
      SEMICOLON_HEADER + "\n" + "\n".join(["CT-1;T;S;CT;2020;£835,000;;", "CT-2;T;S;CT;2020;£1,250,000;;",
                                            "CT-3;T;S;CT;2020;90000;;"]) + "\n", """
# a ';' file (continental Excel) read '£835,000' as £835, 1,000 times too small, and refused '£1,250,000': numbers
# in a ';' file are now decided per column by evidence, and a pound figure grouped by commas is evidence
outcome: read
record: CT-1,,T,S,CT,,,,false,2020-07-01,835000,,,,in_service,
record: CT-2,,T,S,CT,,,,false,2020-07-01,1250000,,,,in_service,
record: CT-3,,T,S,CT,,,,false,2020-07-01,90000,,,,in_service,
""")
write("register", "semicolon-ambiguous-thousands.csv",
      SEMICOLON_HEADER + "\n" + "\n".join(["CT-1;T;S;CT;2020;835,000;;", "CT-2;T;S;CT;2020;90000;;"]) + "\n", """
# '835,000' with nothing else in its column to say whether ',' groups thousands or is a decimal comma: refused,
# never guessed
outcome: refused
issue: semicolon-ambiguous-thousands.csv:2: column 'replacement_cost_gbp': value '835,000' — is 835000 with a decimal point but 835 with a decimal comma
contains: --decimal-point or --decimal-comma
""")
write("register", "date-signed-year.csv", register(["CT-1,T,S,CT,1/1/+202,,,"]), """
# '1/1/+202' was read as 0202-01-01: Int() accepts a sign; date parts are now digits only
outcome: refused
issue: date-signed-year.csv:2: column 'install_date': value '1/1/+202'
""")
write("register", "date-signed-serial.csv", register(["CT-1,T,S,CT,+45123,,,"]), """
# '+45123' was read as the Excel serial 45123 (2023-07-17)
outcome: refused
issue: date-signed-serial.csv:2: column 'install_date': value '+45123'
""")
write("register", "date-exponent-serial.csv", register(["CT-1,T,S,CT,4.5123e4,,,"]), """
# '4.5123e4' was read as the Excel serial 45123
outcome: refused
issue: date-exponent-serial.csv:2: column 'install_date': value '4.5123e4'
""")
write("register", "date-hexadecimal-serial.csv", register(["CT-1,T,S,CT,0xB043.0,,,"]), """
# '0xB043.0' (hexadecimal, read by Double()) was read as the Excel serial 45123
outcome: refused
issue: date-hexadecimal-serial.csv:2: column 'install_date': value '0xB043.0'
""")
write("register", "dates-that-do-not-exist.csv",
      register(["A,T,S,CT,2023-02-30,,,", "B,T,S,CT,31/02/2024,,,", "C,T,S,CT,2024-13-01,,,", "D,T,S,CT,0000-01-01,,,",
                "E,T,S,CT,１２/０１/２０２０,,,", "F,T,S,CT,2024-02-29,,,"]), """
# kept: impossible dates are refused with their line; 29 February of a leap year reads
outcome: refused
issue: dates-that-do-not-exist.csv:2: column 'install_date': value '2023-02-30'
issue: dates-that-do-not-exist.csv:3: column 'install_date': value '31/02/2024'
issue: dates-that-do-not-exist.csv:4: column 'install_date': value '2024-13-01'
issue: dates-that-do-not-exist.csv:5: column 'install_date': value '0000-01-01'
issue: dates-that-do-not-exist.csv:6: column 'install_date': value '１２/０１/２０２０'
contains: 5 problems
""")
write("register", "numbers-that-are-not-money.csv",
      register(["A,T,S,CT,2020,1e309,,", "B,T,S,CT,2020,NaN,,", "C,T,S,CT,2020,inf,,", "D,T,S,CT,2020,0x10,,",
                'E,T,S,CT,2020,"1,2,3",,', "F,T,S,CT,2020,１２３,,", "G,T,S,CT,2020,-0,,"]), """
# kept: overflow, NaN, infinity, hexadecimal, misplaced separators and full-width digits are refused; -0 reads as 0
outcome: refused
issue: numbers-that-are-not-money.csv:2: column 'replacement_cost_gbp': value '1e309'
issue: numbers-that-are-not-money.csv:3: column 'replacement_cost_gbp': value 'NaN'
issue: numbers-that-are-not-money.csv:4: column 'replacement_cost_gbp': value 'inf'
issue: numbers-that-are-not-money.csv:5: column 'replacement_cost_gbp': value '0x10'
issue: numbers-that-are-not-money.csv:6: column 'replacement_cost_gbp': value '1,2,3'
issue: numbers-that-are-not-money.csv:7: column 'replacement_cost_gbp': value '１２３'
contains: 6 problems
""")
write("register", "neutralised-text-round-trip.csv",
      register(["CT-1,T,'=1+2,CT,2020,,'-,''=x", "CT-2,T,'plain,CT,2020,,'@SUM(A1),'\t=1"]), """
# a CSV export puts ' before formula-like text; importing the export takes it off again (and only then)
outcome: read
record: CT-1,,T,=1+2,CT,,,-,false,2020-07-01,,,,,in_service,'=x
record: CT-2,,T,'plain,CT,,,@SUM(A1),false,2020-07-01,,,,,in_service,\\t=1
""")

# ---- register CSV: encodings ---------------------------------------------------------------------------------

text = register(["CT-1,Ashby,Café Röntgen,CT,2020,£900,,"])
record = "record: CT-1,,Ashby,Café Röntgen,CT,,,,false,2020-07-01,900,,,,in_service,"
write("register", "utf16le-without-bom.csv", text.encode("utf-16-le"), """
# UTF-16 without a byte-order mark was refused as binary (a NUL byte); the ASCII header gives the byte order away
outcome: read
""" + record)
write("register", "utf16be-without-bom.csv", text.encode("utf-16-be"), """
# UTF-16 big-endian without a byte-order mark
outcome: read
""" + record)
write("register", "latin1.csv", text.encode("latin-1"), """
# kept: Latin-1 (Windows-1252) text
outcome: read
""" + record)
mixed = (HEADER + "\nCT-1,Ashby,Café,CT,2020,,,\nCT-2,Ashby,S,CT,2020,,,").encode("utf-8") + b"\xe9\n"
write("register", "utf8-with-a-latin1-byte.csv", mixed, """
# UTF-8 text with one Windows-1252 byte was read as Windows-1252 throughout: 'Café' on line 2 became 'CafÃ©'
outcome: refused
issue: utf8-with-a-latin1-byte.csv:3: has a byte (0xE9) that is not UTF-8, although line 2 is UTF-8 text
""")
write("register", "nul-byte.csv", (HEADER + "\nCT-1,T,S,CT,2020,,,\nCT-2,T,S\x00,CT,2020,,,\n").encode(), """
# kept: a NUL byte is refused with its line
outcome: refused
issue: nul-byte.csv:3: contains binary data (a NUL byte)
""")
write("register", "cr-line-ends.csv", register(["CT-1,T,S,CT,2020,,,", "CT-2,T,S,MRI,2021-03,,,"]).replace("\n", "\r"), """
# kept: classic Mac line ends (CR alone)
outcome: read
record: CT-1,,T,S,CT,,,,false,2020-07-01,,,,,in_service,
record: CT-2,,T,S,MR,,,,false,2021-03-01,,,,,in_service,
""")
write("register", "unclosed-quote.csv", register(['CT-1,T,S,CT,2020,,,"open', "CT-2,T,S,CT,2020,,,"]), """
# kept: an unbalanced quote is refused with the line where the field starts
outcome: refused
issue: unclosed-quote.csv:2: has a quoted field that is never closed
""")
write("register", "huge-field.csv", register(["CT-1,T,S,CT,2020,,," + "x" * 400_000]), """
# kept: a field of 400,000 bytes is refused before it is read as text
outcome: refused
issue: huge-field.csv:2: column 'field 8': — is 400000 bytes long
""")
write("register", "duplicated-header.csv", "asset_id,trust,site,modality,install_date,Trust\nA,T,S,CT,2020,U\n", """
# kept: a column named twice is refused at line 1
outcome: refused
issue: duplicated-header.csv:1: column 'Trust': — this column appears twice in the header
""")

# ---- register XLSX -------------------------------------------------------------------------------------------

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>"""


def workbook_rels(sheet_target="worksheets/sheet1.xml"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{sheet_target}"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def shared(strings, doctype=""):
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f"""<?xml version="1.0" encoding="UTF-8"?>{doctype}
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>"""


def sheet(rows):
    """rows: list of (row attribute or None, [shared string index or None])"""
    out = []
    for number, cells in rows:
        attribute = f' r="{number}"' if number is not None else ""
        out.append(f"<row{attribute}>" + "".join(f'<c t="s"><v>{c}</v></c>' for c in cells) + "</row>")
    return """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""" + "".join(out) + \
        "</sheetData></worksheet>"


def xlsx(parts):
    path = os.path.join(HERE, "scratch.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text)
    with open(path, "rb") as f:
        data = f.read()
    os.remove(path)
    return data


STRINGS = ["asset_id", "trust", "site", "modality", "install_date", "model", "notes", "CT-1", "Ashby", "General", "CT",
           "2020-01-31"]


def register_xlsx(strings=STRINGS, rows=None, doctype="", sheet_target="worksheets/sheet1.xml"):
    rows = rows or [(1, [0, 1, 2, 3, 4, 5, 6]), (2, [7, 8, 9, 10, 11])]
    return xlsx([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
                 ("xl/_rels/workbook.xml.rels", workbook_rels(sheet_target)),
                 ("xl/sharedStrings.xml", shared(strings, doctype)), ("xl/worksheets/sheet1.xml", sheet(rows))])


good = register_xlsx()
# The central directory's record of the first entry says where its local header is (offset 42 of the record);
# pointing it past the end of the file made ZIPFoundation's in-memory archive trap (weichsel/ZIPFoundation#394).
directory = good.rfind(b"PK\x05\x06")
directory_start = struct.unpack("<I", good[directory + 16:directory + 20])[0]
damaged = bytearray(good)
damaged[directory_start + 42:directory_start + 46] = struct.pack("<I", len(good) + 1000)
write("register", "xlsx-entry-offset-past-the-end.xlsx", bytes(damaged), """
# crashed fleet (Range requires lowerBound <= upperBound in ZIPFoundation's MemoryFile): now read from a file,
# where the damaged entry ends the listing of the package and the workbook is not found
outcome: refused
issue: xlsx-entry-offset-past-the-end.xlsx: is a ZIP file but not an XLSX workbook
""")
write("register", "xlsx-escaped-characters.xlsx",
      register_xlsx(STRINGS + ["Bay 2_x000D__x000A_Level 1", "_x005F_x0041_ model"],
                    [(1, [0, 1, 2, 3, 4, 5, 6]), (2, [7, 8, 9, 10, 11, 13, 12])]), """
# Excel writes a line break in a cell as _x000D_ (ECMA-376 ST_Xstring); it was read literally
outcome: read
record: CT-1,,Ashby,General,CT,,,_x0041_ model,false,2020-01-31,,,,,in_service,Bay 2\\r\\nLevel 1
""")
write("register", "xlsx-row-number-overflow.xlsx",
      register_xlsx(rows=[(1, [0, 1, 2, 3, 4, 5, 6]), ("9223372036854775807", [7, 8, 9, 10, 11]),
                          (None, [7, 8, 9, 10, 11])]), """
# a row numbered Int.max followed by one without a number would overflow the row count (a trap)
outcome: refused
issue: xlsx-row-number-overflow.xlsx:2: has a row number '9223372036854775807'
""")
laughs = "<!DOCTYPE sst [<!ENTITY a0 \"lol\">" + "".join(
    f"<!ENTITY a{i} \"{('&a%d;' % (i - 1)) * 10}\">" for i in range(1, 10)) + "]>"
write("register", "xlsx-entity-expansion.xlsx", register_xlsx(["&a9;"] + STRINGS[1:], doctype=laughs), """
# kept: a billion-laughs entity bomb in the shared strings is refused by the XML parser, not expanded
outcome: refused
issue: xlsx-entity-expansion.xlsx: has a malformed part xl/sharedStrings.xml
""")
write("register", "xlsx-relationship-outside-the-package.xlsx",
      register_xlsx(sheet_target="../../../../../../etc/passwd"), """
# kept: a relationship pointing outside the package names no part of it; nothing outside is read
outcome: refused
issue: xlsx-relationship-outside-the-package.xlsx: has no part etc/passwd
""")

# ---- utilisation ---------------------------------------------------------------------------------------------

write("utilisation", "month-with-a-sign.csv", "asset_id,month,scans\nCT-1,2024-+1,10\nCT-1,+024-01,10\n", """
# '2024-+1' was read as January 2024 and '+024-01' as January 0024: Int() accepts a sign
outcome: refused
issue: month-with-a-sign.csv:2: column 'month': value '2024-+1'
issue: month-with-a-sign.csv:3: column 'month': value '+024-01'
""")
write("utilisation", "scans-space-between-digits.csv", 'asset_id,month,scans,breakdowns\nCT-1,2024-01,1 2,"1\n2"\n', """
# '1 2' was read as 12 scans, and '1<line break>2' as 12 breakdowns
outcome: refused
issue: scans-space-between-digits.csv:2: column 'scans': value '1 2'
issue: scans-space-between-digits.csv:2: column 'breakdowns': value '1\\n2'
""")
write("utilisation", "month-forms.csv",
      "asset_id,month,scans,available_hours,downtime_hours\nA,2024-01,1,400,12.5\nA,02/2024,2,,\nA,2024-03-15,3,,\n",
      """
# kept: YYYY-MM, MM/YYYY and a full date's month
outcome: read
record: A,2024-01,1,400,12.5,,
record: A,2024-02,2,,,,
record: A,2024-03,3,,,,
""")

# ---- scenario folders ----------------------------------------------------------------------------------------


def scenario(name, settings, replacements=None, tiers=None, expect=""):
    folder = os.path.join(HERE, "scenario", name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    files = {
        "scenario.toml": settings,
        "replacements.csv": replacements or "asset_id,trust,class,preferred_year,earliest_year,latest_year,"
                                            "defer_cost_gbp_per_year,advance_cost_gbp_per_year\n"
                                            "CT-1,Ashby,CT-128,2027,2026,2028,50000,20000\n",
        "offers.csv": "supplier,class,unit_price_gbp,annual_service_gbp,warranty_years\nSiemens,CT-128,900000,90000,2\n",
        "tiers.csv": tiers or "supplier,class,min_units,discount\nSiemens,CT-128,2,8%\n",
    }
    for file, text in files.items():
        with open(os.path.join(folder, file), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(HERE, "scenario", name + ".expect"), "w", encoding="utf-8") as f:
        f.write(expect.strip() + "\n")


SETTINGS = "base_year = 2026\nhorizon_years = 5\nappraisal_years = 10\ndiscount_rate = 0.035\n"
scenario("hexadecimal-base-year", SETTINGS.replace("2026", "0x7EA"), expect="""
# kept: TOML's hexadecimal integers are integers (0x7EA is 2026)
outcome: read
settings: 2026,5,10,0.035
""")
scenario("nan-discount-rate", SETTINGS.replace("0.035", "nan"), expect="""
# kept: NaN is a TOML float, never a rate
outcome: refused
issue: scenario.toml:4: column 'discount_rate': value 'nan'
""")
scenario("year-as-a-float", SETTINGS.replace("2026", "2026.0"), expect="""
# kept: a year must be a TOML integer
outcome: refused
issue: scenario.toml:1: column 'base_year': value '2026.0'
""")
scenario("money-space-between-digits", SETTINGS,
         replacements="asset_id,trust,class,preferred_year,earliest_year,latest_year,defer_cost_gbp_per_year,"
                      "advance_cost_gbp_per_year\nCT-1,Ashby,CT-128,2027,2026,2028,\"1 2\",20000\n",
         expect="""
# '1 2' was read as £12 a year
outcome: refused
issue: replacements.csv:2: column 'defer_cost_gbp_per_year': value '1 2'
""")

# ---- settings files ------------------------------------------------------------------------------------------

with open(os.path.join(HERE, "..", "..", "..", "..", "Catalog", "priority.toml"), encoding="utf-8") as f:
    priority = f.read()
write("priority-toml", "nan-weight.toml", priority.replace("age = 30", "age = nan"), """
# kept: NaN is a TOML float, never a weight
outcome: refused
issue: nan-weight.toml:27: key 'weights.age': value 'nan'
""")
write("priority-toml", "cr-line-ends.toml", priority.replace("\n", "\r"), """
# kept: TOML allows a CR only before a line feed; the syntax error names its line and column
outcome: refused
issue: cr-line-ends.toml:1: column 99: Error while parsing comment
""")
with open(os.path.join(HERE, "..", "..", "..", "..", "Catalog", "appraisal.toml"), encoding="utf-8") as f:
    appraisal = f.read()
write("appraisal-toml", "hexadecimal-horizon.toml", appraisal.replace("horizon_years = 5", "horizon_years = 0x5"), """
# kept: TOML's hexadecimal integers are integers
outcome: read
""")
write("appraisal-toml", "overflowing-integer.toml",
      appraisal.replace("horizon_years = 5", "horizon_years = 9223372036854775808"), """
# kept: an integer beyond 64 bits is a TOML syntax error with its line
outcome: refused
issue: overflowing-integer.toml:25:
""")

# ---- catalog -------------------------------------------------------------------------------------------------

write("catalog", "maximum-below-expected.csv",
      "class,modality,expected_life_years,maximum_life_years,replacement_cost_gbp,annual_service_cost_gbp,"
      "scans_per_hour,source\nCT-128,CT,10,8,900000,90000,4,x\nMR,MRI,10,15,1 0,100000,2,y\n", """
# kept: a maximum life below the expected life, and '1 0' as a price, are refused with their lines
outcome: refused
issue: maximum-below-expected.csv:2: column 'maximum_life_years': value '8'
issue: maximum-below-expected.csv:3: column 'replacement_cost_gbp': value '1 0'
""")
