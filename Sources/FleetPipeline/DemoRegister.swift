import FleetCore
import FleetRegister
import Foundation

/// The demo network's register and utilisation feed (`Catalog/demo/`) imported into a store, with the as-of date
/// the demo takes from the feed: the first day after its last month, so the demo prints the same figures any day.
public struct DemoRegister: Sendable {
    /// Rows of `register.csv` read.
    public var unitsRead: Int
    /// Rows of `utilisation.csv` read.
    public var utilisationRecordsRead: Int
    /// Every unit of the register, decommissioned ones included.
    public var assets: [Asset]
    /// The last month of the feed.
    public var lastMonth: YearMonth

    /// The day the ranking is taken at: the first day after the feed's last month.
    public var asOf: Day { lastMonth.adding(months: 1).firstDay }
    /// The demo's network (its units all belong to one).
    public var network: NetworkName? { assets.first?.network }

    /// Imports `register.csv` and `utilisation.csv` of `folder` into `store`.
    /// - Throws: the import's errors (exit 2 for bad input); ``FileFailure`` when the feed holds no record.
    public static func load(from folder: URL, into store: any RegisterStore, today: Day) throws -> DemoRegister {
        let registerFile = folder.appendingPathComponent("register.csv")
        let feedFile = folder.appendingPathComponent("utilisation.csv")
        let imported = try RegisterImport.importRegister(
            file: registerFile,
            displayName: registerFile.relativePath,
            into: store,
            today: today
        )
        let fed = try RegisterImport.importUtilisation(
            file: feedFile,
            displayName: feedFile.relativePath,
            into: store,
            today: today
        )
        let feed = try store.utilisation(from: YearMonth(year: 1, month: 1)!, through: today.yearMonth)
        guard let lastMonth = feed.map(\.month).max() else {
            throw FileFailure(path: feedFile.relativePath, reason: "holds no utilisation records")
        }
        return DemoRegister(
            unitsRead: imported.rowsRead,
            utilisationRecordsRead: fed.rowsRead,
            assets: try store.assets(matching: .all),
            lastMonth: lastMonth
        )
    }
}
