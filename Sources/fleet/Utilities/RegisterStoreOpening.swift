import FleetCore
import FleetRegister
import FleetRegisterPostgres
import Foundation

extension DatabaseOptions {
    /// Opens the register database that `--db` (or `FLEET_DB`) names: a `postgres://` URL is the shared register on
    /// PostgreSQL, anything else an SQLite file.
    /// - Parameter creatingIfMissing: true for commands that write the register (imports); commands that only
    ///   read it refuse a missing file, so a mistyped `--db` is not read as an empty register. (A PostgreSQL register
    ///   is created by its owner with `fleet db init`.)
    /// - Throws: ``RegisterStoreError`` (exit 4) naming the path and the reason.
    ///
    /// Never inlined: opening throws a typed error, and Swift 6.3's LLVM crashes (CoroSplit, swifterror) when such
    /// a call is inlined into an async function.
    @inline(never)
    func openStore(creatingIfMissing: Bool = false) throws -> any RegisterStore {
        if PostgresLocation.isPostgres(path) { return try PostgresBackend.openStore(path) }
        if !creatingIfMissing, !FileManager.default.fileExists(atPath: path) {
            throw RegisterStoreError(
                location: path,
                failure: "cannot be opened",
                reason: "no such file; import a register first with `fleet import register FILE`, or give --db"
            )
        }
        return try SQLiteRegisterStore(path: path)
    }
}
