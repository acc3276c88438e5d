import Dispatch
import FleetCore
import Foundation

/// A utilisation feed read for import: its prepared table, the rows it holds, and the SHA-256 of the bytes read.
///
/// A plain CSV feed (comma-separated ASCII without quotes, as feeds are exported) is scanned on its bytes, with no
/// string or array per row: a national feed is hundreds of thousands of rows. Anything else, and any row the scan
/// does not take as it is, goes through the general reader (``RegisterImport/readUtilisation(_:today:knownAssets:)``),
/// so a file reads to the same records, and a bad one to the same messages, either way.
public struct UtilisationFeedFile: Sendable {
    /// The table as prepared for import. When the feed was scanned on its bytes, it holds the header alone (its
    /// columns, their sources and ignored columns are the file's).
    public let prepared: PreparedTable
    /// Data rows read from the file (empty rows not counted).
    public let rowsRead: Int
    /// The file as the history records it, with the SHA-256 of the bytes read.
    public let source: ImportSource
    private let data: Data
    private let options: ImportOptions
    private let scanned: ScannedFeed?

    /// Whether the byte scan read the file (tests check that plain feeds take it).
    var isScanned: Bool { scanned != nil }

    /// The columns of the table not imported.
    public var ignoredColumns: [String] { RegisterImport.unknownColumns(of: prepared.table) }

    /// Reads the feed at `url` (CSV, or a sheet of an XLSX), naming it `displayName` in messages.
    /// - Throws: ``FileFailure`` (exit 2) when the file cannot be read; ``InvalidInput`` when it is not a readable
    ///   table, as ``RegisterImport/prepareTable(contentsOf:displayName:kind:options:)`` refuses it.
    public static func read(
        contentsOf url: URL,
        displayName: String,
        options: ImportOptions
    ) throws
        -> UtilisationFeedFile
    {
        try read(contentsOf: url, displayName: displayName, options: options, handingTo: nil)
    }

    /// Reads the feed as ``read(contentsOf:displayName:options:)`` does; with `rows`, hands them its records as
    /// the byte scan reads them, and ends the hand-over on every path: scanned, or not as soon as the scan gives
    /// up (the general reader's rows are never handed).
    static func read(
        contentsOf url: URL,
        displayName: String,
        options: ImportOptions,
        handingTo rows: FeedRows?
    ) throws
        -> UtilisationFeedFile
    {
        var scannedSource: ImportSource?
        defer { rows?.finish(scanned: scannedSource) }
        let data = try RegisterImport.readData(contentsOf: url, displayName: displayName)
        // The digest on the other core while this one scans.
        let digest = DigestBox()
        let hashing = DispatchGroup()
        DispatchQueue.global().async(group: hashing) { digest.value = SHA256.hex(of: data) }
        defer { hashing.wait() }
        let source = { () -> ImportSource in
            hashing.wait()
            return ImportSource(file: displayName, sha256: digest.value)
        }
        if let (prepared, scanned) = FeedScanner.scan(data, displayName: displayName, options: options, handingTo: rows)
        {
            let source = source()
            scannedSource = source
            return UtilisationFeedFile(
                prepared: prepared,
                rowsRead: scanned.records.count,
                source: source,
                data: data,
                options: options,
                scanned: scanned
            )
        }
        // The general reader's rows are never handed: the writer need not wait for them.
        rows?.finish(scanned: nil)
        let prepared = try RegisterImport.prepareTable(
            contentsOf: url,
            displayName: displayName,
            kind: "utilisation",
            options: options
        )
        return UtilisationFeedFile(
            prepared: prepared,
            rowsRead: prepared.table.rows.count,
            source: source(),
            data: data,
            options: options,
            scanned: nil
        )
    }

    /// The feed's records, checked as ``RegisterImport/readUtilisation(_:today:knownAssets:)`` checks them, in file
    /// order.
    /// - Throws: ``InvalidInput`` naming every bad value, as that function does.
    public func records(today: Day, knownAssets: Set<AssetID>?) throws(InvalidInput) -> [UtilisationRecord] {
        guard let scanned else {
            return try RegisterImport.readUtilisation(prepared.table, today: today, knownAssets: knownAssets)
        }
        if scanned.passesChecks(today: today, knownAssets: knownAssets) { return scanned.records }
        // Something to report: the general reader says it, line by line.
        let table = try RegisterImport.importing { () throws(InvalidInput) in
            try RegisterImport.prepare(
                RegisterImport.readTable(data, file: prepared.table.file),
                sheet: nil,
                kind: "utilisation",
                options: options
            ).table
        }
        return try RegisterImport.readUtilisation(table, today: today, knownAssets: knownAssets)
    }

    private final class DigestBox: @unchecked Sendable {
        var value = ""
    }
}

/// A feed's rows as the byte scan read them: each value as the general reader reads it, before the checks that
/// need the register and the date.
struct ScannedFeed: Sendable {
    /// The records in file order.
    var records: [UtilisationRecord]
    /// The distinct assets named, in order of first appearance.
    var assets: [AssetID]
    /// The position in ``assets`` of each record's asset.
    var assetIndex: [Int32]

    /// True when no record breaks a check of ``RegisterImport/readUtilisation(_:today:knownAssets:)``: an asset
    /// not in `knownAssets`, a month after today's, more available hours than the month has, downtime over the
    /// available hours, an asset and month given twice.
    func passesChecks(today: Day, knownAssets: Set<AssetID>?) -> Bool {
        if let knownAssets, !assets.allSatisfy(knownAssets.contains) { return false }
        let currentMonth = today.yearMonth.ordinal
        var ascending = true
        var lastKey: UInt64?
        for (index, record) in records.enumerated() {
            guard Self.passesRowChecks(record, currentMonth: currentMonth) else { return false }
            let key =
                UInt64(assetIndex[index]) << 32 | UInt64(truncatingIfNeeded: record.month.ordinal) & 0xFFFF_FFFF
            if let lastKey, lastKey >= key { ascending = false }
            lastKey = key
        }
        if ascending { return true }
        // Out of order (month by month, say): a repeat is found by key.
        var seen = Set<UInt64>(minimumCapacity: records.count)
        for (index, record) in records.enumerated() {
            let key =
                UInt64(assetIndex[index]) << 32 | UInt64(truncatingIfNeeded: record.month.ordinal) & 0xFFFF_FFFF
            if !seen.insert(key).inserted { return false }
        }
        return true
    }

    /// True when `record` breaks none of the checks that need no other row: a month after `currentMonth` (an
    /// ordinal), more available hours than the month has, downtime over the available hours.
    static func passesRowChecks(_ record: UtilisationRecord, currentMonth: Int) -> Bool {
        let month = record.month
        if month.ordinal > currentMonth { return false }
        if let hours = record.availableHours, hours > Double(month.dayCount * 24) { return false }
        if let hours = record.availableHours, let downtime = record.downtimeHours, downtime > hours { return false }
        return true
    }
}
