import Foundation

extension Stages {
    /// `fleet report` of a national register as a user runs it (the release `fleet` beside this fleet-bench, a child
    /// process): a generated register of 200 trusts in 40 networks (`fleet generate --assets N --months 24 --seed 1`)
    /// imported into a fresh database (not timed), then the report timed — ranking, procurement for every network,
    /// the national workbook. The workbook is then recalculated in LibreOffice by scripts/xlsx-check (not timed)
    /// and its formulas that agree and disagree with their carried values are noted.
    static func nationalReport(assets: Int, scratch: URL) throws -> Measurement {
        let files = scratch.appendingPathComponent("national-report-\(assets)")
        let register = files.appendingPathComponent("register.csv").path
        let feed = files.appendingPathComponent("utilisation.csv").path
        let fleet = fleetBinary.path
        if !FileManager.default.fileExists(atPath: feed) {
            try shell(
                "'\(fleet)' generate --trusts 200 --networks 40 --assets \(assets) --months 24 --seed 1 "
                    + "--out '\(files.path)' --catalog '\(catalog.path)' >/dev/null"
            )
        }
        let work = scratch.appendingPathComponent("national-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let common = "--db '\(work.path)/national.sqlite' --catalog '\(catalog.path)'"
        for command in ["import register '\(register)'", "import utilisation '\(feed)'"] {
            let status = run("'\(fleet)' \(command) \(common) >/dev/null 2>&1")
            guard status == 0 else { throw BenchmarkFailure("`fleet \(command)` exited with \(status)") }
        }
        let book = work.appendingPathComponent("national.xlsx").path
        let start = clock.now
        let status = run("'\(fleet)' report --as-of 2026-11-01 --out '\(book)' \(common) >/dev/null 2>&1")
        let elapsed = seconds(start.duration(to: clock.now))
        guard status == 0 else { throw BenchmarkFailure("`fleet report` exited with \(status)") }
        // The peak of the imports and the report, before LibreOffice (a larger child) recalculates the workbook.
        let peak = peakKiB(children: true)
        var extra: [String: Double] = [:]
        let checker = packageRoot.appendingPathComponent("scripts/xlsx-check").path
        let checked = (try? shell("python3 '\(checker)' '\(book)' 2>/dev/null; true")) ?? ""
        if let last = checked.split(separator: "\n").last {
            let numbers = last.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count == 2 {
                extra["recalculated formulas"] = Double(numbers[0])
                extra["recalculation mismatches"] = Double(numbers[1])
            }
        }
        if let size = try? FileManager.default.attributesOfItem(atPath: book)[.size] as? NSNumber {
            extra["workbook KiB"] = size.doubleValue / 1024
        }
        return Measurement(seconds: elapsed, items: assets, peakKiB: peak, extra: extra)
    }
}
