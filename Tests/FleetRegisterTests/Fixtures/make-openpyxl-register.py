#!/usr/bin/env python3
"""Writes openpyxl-register.xlsx, the XLSX fixture of XLSXReaderTests, with openpyxl (a writer nobody here wrote).

Run from this folder: python3 make-openpyxl-register.py
"""
import datetime

import openpyxl

book = openpyxl.Workbook()
sheet = book.active
sheet.title = "Register"
sheet.append(["Asset ID", "Trust", "Site", "Modality", "Install Date", "Replacement Cost (GBP)", "Mobile",
              "Criticality", "End of support", "Room"])
sheet.append(["CT-001", "Ashby Hospitals NHS Trust", "Ashby General Hospital", "CT",
              datetime.datetime(2016, 3, 14), 1250000, False, 5, 49000.0, "B12"])
sheet.append(["MR-002", "Ashby Hospitals NHS Trust", "Ashby General Hospital", "MRI",
              datetime.datetime(2019, 11, 2), 1000000.5, True, None, None, None])
# Row 4 is left empty; row 5 has a value a register cannot read, to check line numbers.
sheet.cell(row=5, column=1, value="XR-003")
sheet.cell(row=5, column=2, value="Barrow Hospitals NHS Trust")
sheet.cell(row=5, column=3, value="Barrow General Hospital")
sheet.cell(row=5, column=4, value="X-ray")
sheet.cell(row=5, column=5, value=datetime.datetime(2012, 1, 31))
sheet.cell(row=5, column=8, value=9)
other = book.create_sheet("Lookup")
other.append(["code", "meaning"])
other.append(["CT", "Computed tomography"])
book.save("openpyxl-register.xlsx")
