import ArgumentParser
import FleetCore
import FleetRegister
import Foundation

/// `fleet history [ASSET_ID]`: every import into the register, or every change of one asset.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every import into the register (who, when, file and SHA-256, rows and fields changed).",
        discussion: """
            Without ASSET_ID: one line per import, then every field an import changed (old → new). With ASSET_ID: \
            every change of that asset and its utilisation: the row inserted, then each field changed, with who \
            changed it, when, and from which file. Who is the PostgreSQL role, or the operating-system user of an \
            SQLite register. CSV lists the same rows as the table; JSON gives each import with its changes.
            """
    )

    @Argument(help: "Only the changes of this asset.") var assetID: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOptions

    func run() async throws {
        try await reportingFailures {
            let store = try database.openStore()
            // The listing of imports counts the rows each inserted and lists only the fields changed.
            let records = try store.history(
                of: assetID.map { AssetID($0) },
                insertions: assetID != nil || output.format == .json
            )
            if let assetID, records.isEmpty { try requireAsset(assetID, in: store) }
            if output.format == .json {
                try RegisterImportRecord.writeJSON(records) { FileHandle.standardOutput.write($0) }
                return FileHandle.standardOutput.write(Data("\n".utf8))
            }
            if assetID != nil {
                HistoryListing.changes(of: records, abbreviated: output.format == .table).print(as: output.format)
            } else {
                HistoryListing.imports(records, abbreviated: output.format == .table).print(as: output.format)
                let changed = HistoryListing.changedFields(of: records)
                if output.format == .table, !changed.rows.isEmpty {
                    print("\nChanged fields:")
                    changed.print(as: .table)
                }
            }
            if output.format == .table {
                let count = records.count == 1 ? "1 import" : "\(records.count) imports"
                printError(assetID.map { "\(count) changed \($0)" } ?? count)
            }
        }
    }
}

/// Refuses an asset id with no history that the register does not hold, giving the nearest id when one is close:
/// a misspelt id would otherwise read as an asset no import ever changed. (A unit imported before the history was
/// kept has none, and is listed as such.)
/// - Throws: `ValidationError` (exit 1); the store's error when it cannot be read.
private func requireAsset(_ assetID: String, in store: any RegisterStore) throws {
    let known = try store.assetIDs()
    guard !known.contains(AssetID(assetID)) else { return }
    let hint =
        Spelling.nearest(to: assetID, among: known.map(\.rawValue).sorted()).map { "; did you mean '\($0)'?" }
        ?? (known.isEmpty ? "; the register holds no units yet." : ".")
    throw ValidationError("'\(assetID)' is not an asset of the register\(hint)")
}

/// The history as tables.
enum HistoryListing {
    /// One row per import.
    static func imports(_ records: [RegisterImportRecord], abbreviated: Bool) -> TextTable {
        TextTable(
            [
                .init("import", .right), .init("at"), .init("who"), .init("kind"), .init("file"), .init("sha256"),
                .init("inserted", .right), .init("updated", .right), .init("fields_changed", .right),
            ],
            rows: records.map { record in
                [
                    String(record.id), record.at, record.who, record.kind.rawValue, record.file,
                    digest(record.sha256, abbreviated: abbreviated), String(record.inserted), String(record.updated),
                    String(record.changes.count { !$0.isInsertion }),
                ]
            }
        )
    }

    /// Every changed field (insertions left out: the import's line counts them).
    static func changedFields(of records: [RegisterImportRecord]) -> TextTable {
        TextTable(
            [.init("import", .right), .init("asset_id"), .init("month"), .init("field"), .init("old"), .init("new")],
            rows: records.flatMap { record in
                record.changes.filter { !$0.isInsertion }.map { change in
                    [
                        String(record.id), change.assetID.rawValue, change.month?.description ?? "",
                        change.field ?? "", change.old ?? "", change.new ?? "",
                    ]
                }
            }
        )
    }

    /// One row per change of one asset: its insertion and each field changed, with the import's who, when and file.
    static func changes(of records: [RegisterImportRecord], abbreviated: Bool) -> TextTable {
        TextTable(
            [
                .init("import", .right), .init("at"), .init("who"), .init("file"), .init("sha256"), .init("month"),
                .init("change"), .init("old"), .init("new"),
            ],
            rows: records.flatMap { record in
                record.changes.map { change in
                    [
                        String(record.id), record.at, record.who, record.file,
                        digest(record.sha256, abbreviated: abbreviated), change.month?.description ?? "",
                        change.field ?? "inserted", change.old ?? "", change.new ?? "",
                    ]
                }
            }
        )
    }

    /// The digest, shortened to 12 digits for a terminal.
    private static func digest(_ sha256: String, abbreviated: Bool) -> String {
        abbreviated && sha256.count > 12 ? String(sha256.prefix(12)) + "…" : sha256
    }
}
