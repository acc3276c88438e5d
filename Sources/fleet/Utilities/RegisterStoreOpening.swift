import FleetCore
import FleetRegister
import Foundation

extension DatabaseOptions {
    /// Opens the register database that `--db` (or `FLEET_DB`) names.
    /// - Parameter creatingIfMissing: true for commands that write the register (imports); commands that only
    ///   read it refuse a missing file, so a mistyped `--db` is not read as an empty register.
    /// - Throws: ``RegisterStoreError`` (exit 4) naming the path and the reason.
    ///
    /// Never inlined: opening throws a typed error, and Swift 6.3's LLVM crashes (CoroSplit, swifterror) when such
    /// a call is inlined into an async function.
    @inline(never)
    func openStore(creatingIfMissing: Bool = false) throws -> any RegisterStore {
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
