#!/usr/bin/env python3
"""The script a capable analyst would write instead of fleet: the baseline fleet-bench measures against.

    analyst.py REGISTER.csv UTILISATION.csv CLASSES.csv AS_OF OUT.xlsx

Reads the register and the monthly feed with Python's csv module, totals each unit's 12 months before AS_OF
(scans, available hours, downtime hours, service cost), scores every unit in service with an additive score of
the same six criteria fleet uses (age, utilisation, reliability, maintenance, support, criticality, each mapped
linearly to [0, 1] and weighted 30/10/20/15/15/10), and writes a workbook with XlsxWriter: a Register sheet
(every column of the register) and a Priority sheet (units in service, highest score first, with each criterion).

It is deliberately plain, fast Python: one pass over each file, dictionaries keyed by asset id, no pandas. It
prints one JSON line with its own stage times so fleet-bench can show where the time goes.
"""

import csv
import json
import sys
import time
from datetime import date

import xlsxwriter

WEIGHTS = {"age": 30, "utilisation": 10, "reliability": 20, "maintenance": 15, "support": 15, "criticality": 10}


def clamp(value):
    return max(0.0, min(1.0, value))


def parse_date(text):
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return date(parts[0], parts[1], parts[2])


def months_before(as_of, count):
    """The `count` calendar months before as-of's month, as YYYY-MM strings."""
    year, month = as_of.year, as_of.month
    result = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append(f"{year:04d}-{month:02d}")
    return set(result)


def main():
    register_path, feed_path, classes_path, as_of_text, out_path = sys.argv[1:6]
    as_of = parse_date(as_of_text)
    started = time.perf_counter()

    with open(classes_path, newline="", encoding="utf-8") as f:
        classes = {row["class"]: row for row in csv.DictReader(f)}

    with open(register_path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        assets = list(reader)

    window = months_before(as_of, 12)
    totals = {}
    with open(feed_path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["month"] not in window:
                continue
            t = totals.get(row["asset_id"])
            if t is None:
                t = totals[row["asset_id"]] = [0.0, 0.0, 0.0, 0.0]
            t[0] += float(row["scans"] or 0)
            t[1] += float(row["available_hours"] or 0)
            t[2] += float(row["downtime_hours"] or 0)
            t[3] += float(row["service_cost_gbp"] or 0)
    read = time.perf_counter()

    ranked = []
    for asset in assets:
        if asset["status"] != "in_service":
            continue
        cls = classes.get(asset["class"], {})
        expected = float(cls.get("expected_life_years") or 10)
        maximum = float(cls.get("maximum_life_years") or 15)
        per_hour = float(cls.get("scans_per_hour") or 1)
        cost = float(asset["replacement_cost_gbp"] or cls.get("replacement_cost_gbp") or 1)
        age = (as_of - parse_date(asset["install_date"])).days / 365.25
        t = totals.get(asset["asset_id"], [0.0, 0.0, 0.0, 0.0])
        utilisation = t[0] / (per_hour * t[1]) if t[1] else 0.0
        uptime = 1 - t[2] / t[1] if t[1] else 1.0
        maintenance = t[3] / cost
        support_end = parse_date(asset["end_of_support"])
        support_months = (support_end - as_of).days / 30.436875 if support_end else None
        criticality = float(asset["criticality"] or 3)
        scores = {
            "age": clamp(age / maximum) if age < expected else clamp(0.6 + 0.4 * (age - expected) / (maximum - expected)),
            "utilisation": clamp((utilisation - 0.3) / 0.6),
            "reliability": clamp((0.98 - uptime) / 0.08),
            "maintenance": clamp((maintenance - 0.06) / 0.14),
            "support": 0.5 if support_months is None else clamp(1 - support_months / 60),
            "criticality": clamp((criticality - 1) / 4),
        }
        score = 100 * sum(WEIGHTS[k] * scores[k] for k in WEIGHTS) / sum(WEIGHTS.values())
        ranked.append((score, asset, age, scores))
    ranked.sort(key=lambda item: -item[0])
    scored = time.perf_counter()

    workbook = xlsxwriter.Workbook(out_path, {"constant_memory": True})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "£#,##0"})
    sheet = workbook.add_worksheet("Register")
    sheet.write_row(0, 0, header, bold)
    numeric = {"replacement_cost_gbp", "service_cost_gbp_per_year", "criticality"}
    for r, asset in enumerate(assets, start=1):
        for c, name in enumerate(header):
            value = asset[name]
            if name in numeric and value:
                sheet.write_number(r, c, float(value), money if name.endswith("gbp") or "gbp_" in name else None)
            else:
                sheet.write_string(r, c, value)
    sheet = workbook.add_worksheet("Priority")
    columns = ["rank", "asset_id", "network", "trust", "modality", "class", "age_years", "score"] + list(WEIGHTS)
    sheet.write_row(0, 0, columns, bold)
    for r, (score, asset, age, scores) in enumerate(ranked, start=1):
        sheet.write_number(r, 0, r)
        for c, name in enumerate(["asset_id", "network", "trust", "modality", "class"], start=1):
            sheet.write_string(r, c, asset[name])
        sheet.write_number(r, 6, round(age, 1))
        sheet.write_number(r, 7, round(score, 1))
        for c, name in enumerate(WEIGHTS, start=8):
            sheet.write_number(r, c, scores[name])
    workbook.close()
    written = time.perf_counter()
    print(json.dumps({
        "assets": len(assets), "ranked": len(ranked), "feed_assets": len(totals),
        "read_s": read - started, "score_s": scored - read, "write_s": written - scored, "total_s": written - started,
    }))


if __name__ == "__main__":
    main()
