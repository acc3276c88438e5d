// fleet-bench: measures ImagingFleet's stages and prints figures (never a pass or fail).
//
//   swift run -c release fleet-bench              every stage at its stated sizes, 3 runs each, medians
//   swift run -c release fleet-bench --runs 5 rank solve
//   swift run -c release fleet-bench --quick      smaller sizes, 1 run (a smoke run)
//
// Each run of a stage is a child process (`fleet-bench --stage NAME --size N`), so the peak memory it reports is
// that stage's own. Generated inputs are cached in a scratch folder between runs (not timed).
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())

let usage = """
    usage: fleet-bench [--quick] [--runs N] [--scratch DIR] [STAGE ...]

    Measures ImagingFleet's stages, each run in a child process, and prints a table of medians (never a pass or
    fail). Without STAGE names every stage runs at its stated sizes.

      --quick        smaller sizes, 1 run each (a smoke run)
      --runs N       runs of each stage (default 3, or 1 with --quick)
      --scratch DIR  where generated inputs are cached (default: the temporary folder's fleet-bench)
      -h, --help     this text

    stages: \(Stage.allCases.map(\.rawValue).joined(separator: ", "))
    """

/// The flags that take a value, and those that stand alone; anything else must be a stage name.
let valueFlags: Set<String> = ["--runs", "--scratch", "--stage", "--size"]
if arguments.contains("--help") || arguments.contains("-h") {
    print(usage)
    exit(0)
}
var index = 0
while index < arguments.count {
    let argument = arguments[index]
    if valueFlags.contains(argument) {
        guard index + 1 < arguments.count else {
            FileHandle.standardError.write(Data("fleet-bench: \(argument) needs a value\n\n\(usage)\n".utf8))
            exit(1)
        }
        index += 2
    } else if argument == "--quick" || Stage(rawValue: argument) != nil {
        index += 1
    } else {
        FileHandle.standardError.write(Data("fleet-bench: unknown argument '\(argument)'\n\n\(usage)\n".utf8))
        exit(1)
    }
}

func value(after flag: String) -> String? {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let scratch = URL(
    fileURLWithPath: value(after: "--scratch")
        ?? FileManager.default.temporaryDirectory
        .appendingPathComponent("fleet-bench").path,
    isDirectory: true
)
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)

if let name = value(after: "--stage") {
    // Child: one run of one stage, one JSON line.
    guard let stage = Stage(rawValue: name), let size = Int(value(after: "--size") ?? "0") else {
        FileHandle.standardError.write(Data("fleet-bench: unknown stage \(name)\n".utf8))
        exit(2)
    }
    let measurement = try await stage.run(size: size, scratch: scratch)
    print(String(decoding: try JSONEncoder().encode(measurement), as: UTF8.self))
    exit(0)
}

let quick = arguments.contains("--quick")
let runs: Int
if let text = value(after: "--runs") {
    guard let count = Int(text), count > 0 else {
        FileHandle.standardError.write(Data("fleet-bench: --runs takes a whole number above 0, not '\(text)'\n".utf8))
        exit(1)
    }
    runs = count
} else {
    runs = quick ? 1 : 3
}
let chosen = Set(arguments.filter { Stage(rawValue: $0) != nil })

/// The stages and sizes measured, with what each row is called and what a goal asks.
let plan: [(stage: Stage, size: Int, label: String)] =
    quick
    ? [
        (.importRegister, 20_000, "import 20,000 register rows"), (.rank, 100_000, "rank 100,000 assets"),
        (.importFeed, 2_000, "import the feed of 2,000 assets, 24 months"),
        (.rankDatabase, 2_000, "fleet rank of 2,000 assets from the database"),
        (.workbookC, 20_000, "C libxlsxwriter, 20,000 rows × 12 cells"),
        (.workbook, 20_000, "WorkbookWriter, 20,000 rows × 12 cells"),
        (.workbookPlain, 20_000, "WorkbookWriter, String and CellFormat per cell"),
        (.report, 5_000, "business-case workbook, 5,000 assets"), (.solve, 4, "4 trusts, 120 replacements"),
        (.solveBudgets, 4, "4 trusts, 120 replacements, capital budgets"),
        (.solveFlatBudgets, 2, "6 trusts, 60 replacements, £2.5m per trust-year"),
        (.infeasibleBudgets, 6, "6 trusts, 90 replacements, 12 classes, £2.0m per trust-year: fleet procure exits 3"),
        (.solveCapacity, 4, "capacity: 4 trusts, 72 replacements (demo-sized), shortfalls, mobile, continuity"),
        (.national, 5_000, "national pipeline, 5,000 assets"),
        (.nationalReport, 2_000, "fleet report, national workbook, 40 networks, 2,000 assets"),
        (.analyst, 2_000, "fleet import + rank + national register workbook vs analyst.py, 2,000 assets"),
        (.demo, 0, "fleet demo end to end"),
    ]
    : [
        (.importRegister, 20_000, "import 20,000 register rows"),
        (.importRegister, 100_000, "import 100,000 register rows (goal < 2 s)"),
        (.importFeed, 20_000, "import the national feed: 20,000 assets, 24 months (goal ≥ 1 M rows/s)"),
        (.rank, 100_000, "rank 100,000 assets"), (.rank, 1_000_000, "rank 1,000,000 assets (goal < 1 s)"),
        (.rankDatabase, 20_000, "fleet rank of the national register from its database (goal < 0.3 s)"),
        (.workbookC, 20_000, "C libxlsxwriter, 20,000 rows × 12 cells"),
        (.workbook, 20_000, "WorkbookWriter, 20,000 rows × 12 cells"),
        (.workbookPlain, 20_000, "WorkbookWriter, String and CellFormat per cell, 20,000 rows"),
        (.workbookC, 100_000, "C libxlsxwriter, 100,000 rows × 12 cells"),
        (.workbook, 100_000, "WorkbookWriter, 100,000 rows × 12 cells (goal ≤ 1.3 × C)"),
        (.workbookC, 500_000, "C libxlsxwriter, 500,000 rows × 12 cells"),
        (.workbook, 500_000, "WorkbookWriter, 500,000 rows × 12 cells (memory flat)"),
        (.report, 20_000, "business-case workbook, 20,000 assets (constant memory)"),
        (.report, 40_000, "business-case workbook, 40,000 assets (memory flat)"),
        (.solve, 4, "4 trusts, 120 replacements"), (.solve, 8, "8 trusts, 240 replacements"),
        (.solve, 10, "10 trusts, 300 replacements (goals: joint < 1 s, Shapley < 10 s)"),
        (.solve, 12, "12 trusts, 360 replacements"),
        (.solveBudgets, 4, "4 trusts, 120 replacements, capital budgets"),
        (.solveBudgets, 10, "10 trusts, 300 replacements, capital budgets (goals: joint < 10 s, Shapley < 60 s)"),
        (.solveFlatBudgets, 0, "6 trusts, 60 replacements, no budgets"),
        (.solveFlatBudgets, 1, "8 trusts, 80 replacements, no budgets"),
        (.solveFlatBudgets, 2, "6 trusts, 60 replacements, £2.5m per trust-year"),
        (.solveFlatBudgets, 3, "8 trusts, 80 replacements, £2.5m per trust-year (goal: Shapley < 5 s)"),
        (.solveFlatBudgets, 4, "6 trusts, 60 replacements, 12 classes, £2.5m per trust-year"),
        (.solveFlatBudgets, 5, "8 trusts, 80 replacements, 12 classes, £2.5m per trust-year (goal: Shapley < 5 s)"),
        (.solveFlatBudgets, 7, "8 trusts, 80 replacements, £2.5m per trust-year, funding routes (goal: Shapley < 5 s)"),
        (
            .solveFlatBudgets, 8,
            "10 trusts, 300 replacements, capital budgets, funding routes (goals: joint < 10 s, Shapley < 60 s)"
        ),
        (
            .infeasibleBudgets, 6,
            "6 trusts, 90 replacements, 12 classes, £2.0m per trust-year: fleet procure exits 3 (goal < 1 s)"
        ),
        (
            .infeasibleBudgets, 9,
            "as above with funding routes, under which the joint plan meets budgets one trust alone cannot: fleet procure"
        ),
        (
            .infeasibleBudgets, 12,
            "6 trusts, 90 replacements, 12 classes, £1.5m per trust-year, funding routes: fleet procure exits 3 (goal < 1 s)"
        ),
        (
            .infeasibleBudgets, 13,
            "capacity: 6 trusts, 90 replacements, 12 classes, £2.0m per trust-year: fleet procure exits 3 (goal < 1 s)"
        ),
        (
            .infeasibleBudgets, 14,
            "capacity: as above at £1.5m with funding routes: fleet procure exits 3 (goal < 1 s)"
        ),
        (
            .demoBudgets, 75,
            "demo network at 75 % of its budgets, which one trust alone cannot keep: fleet procure, 60 s limit"
        ),
        (.demoCapacityBudgets, 75, "capacity: as above with --capacity"),
        (
            .solveFlatBudgets, 10,
            "capacity: 8 trusts, 80 replacements, £2.5m per trust-year, exact Shapley (goal: Shapley < 5 s)"
        ),
        (
            .solveFlatBudgets, 11,
            "capacity: as above with funding routes (goal: Shapley < 5 s)"
        ),
        (.solveCapacity, 4, "capacity: 4 trusts, 72 replacements (demo-sized), shortfalls, mobile, continuity"),
        (.solveCapacity, 10, "capacity: 10 trusts, 180 replacements, shortfalls, mobile, continuity"),
        (.solveCapacityBudgets, 4, "capacity: 4 trusts, 72 replacements, as above, capital budgets"),
        (.solveCapacityBudgets, 10, "capacity: 10 trusts, 180 replacements, as above, capital budgets"),
        (.national, 20_000, "national: 200 trusts, 40 networks, 20,000 assets (goal < 60 s)"),
        (
            .nationalReport, 20_000,
            "fleet report, national workbook with procurement for 40 networks, 20,000 assets (goal < 20 s)"
        ),
        (
            .analyst, 20_000,
            "fleet import + rank + national register workbook vs analyst.py, 20,000 assets (goal ≤ 0.5×)"
        ),
        (.demo, 0, "fleet demo end to end"),
    ]

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

func format(_ value: Double, _ places: Int = 2) -> String { String(format: "%.\(places)f", value) }

func rate(_ items: Double, _ seconds: Double) -> String {
    let perSecond = items / seconds
    return perSecond >= 1e6 ? format(perSecond / 1e6, 2) + " M/s" : format(perSecond / 1e3, 1) + " k/s"
}

let machine =
    "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
    + format(Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824, 0) + " GiB"
print("fleet-bench: medians of \(runs) run\(runs == 1 ? "" : "s") each on \(machine); scratch \(scratch.path)")
print("")
print("| stage | median s | rate | peak MiB | notes |")
print("|---|---:|---:|---:|---|")
for (stage, size, label) in plan
where chosen.isEmpty || chosen.contains(stage.rawValue)
    || ((stage == .workbookC || stage == .workbookPlain) && chosen.contains(Stage.workbook.rawValue))
{
    var measurements: [Measurement] = []
    for _ in 0..<runs {
        let output = try Stages.shell(
            "'\(CommandLine.arguments[0])' --stage \(stage.rawValue) --size \(size) --scratch '\(scratch.path)'"
        )
        guard let line = output.split(separator: "\n").last,
            let measurement = try? JSONDecoder().decode(Measurement.self, from: Data(line.utf8))
        else { throw BenchmarkFailure("\(stage.rawValue) printed \(output)") }
        measurements.append(measurement)
    }
    let seconds = median(measurements.map(\.seconds))
    let peak = median(measurements.map { Double($0.peakKiB) }) / 1024
    var notes: [String] = []
    let extras = Set(measurements.flatMap(\.extra.keys)).sorted()
    for key in extras {
        let value = median(measurements.compactMap { $0.extra[key] })
        if key.hasSuffix("_s") {
            notes.append("\(key.dropLast(2)) \(format(value)) s")
        } else if key.hasSuffix("_ratio") {
            notes.append("\(key.dropLast(6)) \(format(value))×")
        } else if key.hasSuffix("_pct") {
            notes.append("\(key.dropLast(4)) \(format(value, 3)) %")
        } else {
            notes.append("\(key) \(Int(value))")
        }
    }
    let items = Double(measurements.first?.items ?? 0)
    let rateText: String
    switch stage {
    case .solve, .solveBudgets, .solveFlatBudgets, .solveCapacity, .solveCapacityBudgets:
        rateText = "\(Int(items)) coalitions"
    case .demo, .infeasibleBudgets: rateText = ""
    case .workbook, .workbookC, .workbookPlain: rateText = rate(items, seconds) + " cells"
    case .report: rateText = rate(items, seconds) + " assets"
    default: rateText = rate(items, seconds)
    }
    if stage == .solve || stage == .solveBudgets || stage == .solveFlatBudgets {
        notes.insert("full exact Shapley allocation; joint solve below", at: 0)
    }
    print("| \(label) | \(format(seconds)) | \(rateText) | \(format(peak, 0)) | \(notes.joined(separator: "; ")) |")
}
