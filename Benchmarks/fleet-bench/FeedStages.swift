import FleetCore
import FleetRegister
import Foundation

extension Stages {
    /// The national register and feed (200 trusts, 40 networks, `assets` units, 24 months; generated once, not
    /// timed) and a new database holding the register alone (not timed).
    static func nationalFiles(assets: Int, scratch: URL) throws -> (files: URL, database: String) {
        let files = scratch.appendingPathComponent("national-\(assets)")
        if !FileManager.default.fileExists(atPath: files.appendingPathComponent("utilisation.csv").path) {
            try synthetic(trusts: 200, networks: 40, assets: assets, months: 24).write(to: files)
        }
        let database = scratch.appendingPathComponent("feed-\(UUID().uuidString).sqlite").path
        _ = try RegisterImport.importRegister(
            file: files.appendingPathComponent("register.csv"),
            displayName: "register.csv",
            into: try SQLiteRegisterStore(path: database),
            today: Day(year: 2026, month: 11, day: 25)!
        )
        return (files, database)
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// `RegisterImport.importUtilisation` of the national feed into a database holding its register: the figure;
    /// the notes add `fleet import utilisation` of the same feed run as a user runs it (process start, opening,
    /// commit and checkpoint included), and its second import over the first (every row updated, none changed).
    static func importFeed(assets: Int, scratch: URL) throws -> Measurement {
        let (files, database) = try nationalFiles(assets: assets, scratch: scratch)
        defer { removeDatabase(database) }
        let feed = files.appendingPathComponent("utilisation.csv")
        let today = Day(year: 2026, month: 11, day: 25)!
        let start = clock.now
        let summary = try RegisterImport.importUtilisation(
            file: feed,
            displayName: "utilisation.csv",
            into: try SQLiteRegisterStore(path: database),
            today: today
        )
        let elapsed = seconds(start.duration(to: clock.now))

        let (_, cliDatabase) = try nationalFiles(assets: assets, scratch: scratch)
        defer { removeDatabase(cliDatabase) }
        let command = "'\(fleetBinary.path)' import utilisation '\(feed.path)' --db '\(cliDatabase)' 2>/dev/null"
        let cliStart = clock.now
        try shell(command)
        let cli = seconds(cliStart.duration(to: clock.now))
        let againStart = clock.now
        try shell(command)
        let again = seconds(againStart.duration(to: clock.now))
        return Measurement(
            seconds: elapsed,
            items: summary.rowsRead,
            peakKiB: peakKiB(),
            extra: [
                "fleet import utilisation_s": cli, "the same feed again_s": again,
                "fleet import utilisation rows per second": Double(summary.rowsRead) / cli,
            ]
        )
    }

    /// `fleet rank` of the national register from its database (imported once, not timed), as a user runs it, in
    /// the table format to /dev/null: the figure; the notes give the CSV and JSON formats.
    static func rankDatabase(assets: Int, scratch: URL) throws -> Measurement {
        let (files, database) = try nationalFiles(assets: assets, scratch: scratch)
        defer { removeDatabase(database) }
        _ = try RegisterImport.importUtilisation(
            file: files.appendingPathComponent("utilisation.csv"),
            displayName: "utilisation.csv",
            into: try SQLiteRegisterStore(path: database),
            today: Day(year: 2026, month: 11, day: 25)!
        )
        let command = "'\(fleetBinary.path)' rank --as-of 2026-11-01 --db '\(database)' --catalog '\(catalog.path)'"
        var extra: [String: Double] = [:]
        var table = 0.0
        for format in ["table", "csv", "json"] {
            let start = clock.now
            try shell("\(command) --format \(format) >/dev/null 2>&1")
            let elapsed = seconds(start.duration(to: clock.now))
            if format == "table" { table = elapsed } else { extra[format + "_s"] = elapsed }
        }
        return Measurement(seconds: table, items: assets, peakKiB: peakKiB(children: true), extra: extra)
    }
}
