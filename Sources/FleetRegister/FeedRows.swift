import FleetCore
import Foundation

/// A feed's records handed from the thread that scans the file to the thread that writes them, in chunks, so that
/// SQLite writes the first rows while the rest are still being scanned (``SQLiteRegisterStore`` and
/// ``RegisterImport/importUtilisation(file:displayName:into:today:options:)``).
///
/// The scanning side hands chunks in file order and ends with ``finish(scanned:)``; it also packs each row's insertion
/// into the ``InsertionLog`` the history keeps, should the writer insert them all. The writing side takes chunks
/// with ``next()`` until it returns nil, then reads ``ending``; a writer that gives up calls ``abandon()``, after
/// which chunks handed are dropped.
final class FeedRows: @unchecked Sendable {
    /// How the scan ended.
    enum Ending {
        /// Every row was scanned and handed: the file, and the insertions of all its rows in file order.
        case scanned(ImportSource, InsertionLog)
        /// The scan gave up (the general reader must read the file) or the file could not be read; any rows
        /// handed are not the file's whole content.
        case notScanned
    }

    /// Rows a chunk holds (a multiple of ``SQLiteBulk/rowsPerStatement``).
    static let chunkSize = 8192

    private let condition = NSCondition()
    private var chunks: [[UtilisationRecord]] = []
    private var taken = 0
    private var end: Ending?
    private var abandoned = false
    /// The scanning side's: insertions packed so far, and how many rows were handed.
    private var log = InsertionLog()
    private var handed = 0

    /// Hands the next `rows` of the file (scanning side).
    func hand(_ rows: [UtilisationRecord]) {
        condition.lock()
        let kept = !abandoned
        condition.unlock()
        guard kept else { return }
        for record in rows {
            log.append(position: handed, assetID: record.assetID, month: record.month)
            handed += 1
        }
        condition.lock()
        if !abandoned { chunks.append(rows) }
        condition.signal()
        condition.unlock()
    }

    /// Ends the hand-over (scanning side): with the file's source when every row was scanned and handed. Only the
    /// first call counts.
    func finish(scanned source: ImportSource?) {
        condition.lock()
        if end == nil { end = source.map { .scanned($0, log) } ?? .notScanned }
        condition.signal()
        condition.unlock()
    }

    /// The next chunk (writing side), waiting for it; nil once the scan has ended and every chunk was taken.
    func next() -> [UtilisationRecord]? {
        condition.lock()
        defer { condition.unlock() }
        while taken == chunks.count, end == nil { condition.wait() }
        guard taken < chunks.count else { return nil }
        let chunk = chunks[taken]
        chunks[taken] = []
        taken += 1
        return chunk
    }

    /// How the scan ended (writing side), once ``next()`` has returned nil.
    var ending: Ending {
        condition.lock()
        defer { condition.unlock() }
        return end ?? .notScanned
    }

    /// Stops keeping chunks (writing side): the writer has given up on them.
    func abandon() {
        condition.lock()
        abandoned = true
        chunks = []
        taken = 0
        condition.unlock()
    }
}
