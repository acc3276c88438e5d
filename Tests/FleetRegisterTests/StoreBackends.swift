import FleetCore
import FleetRegister
import Foundation
import Testing

/// The register backends every store test runs against, from one suite.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends available here: SQLite always, PostgreSQL with the Postgres trait and a test cluster.
    static var available: [StoreBackend] { PostgresTestCluster.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    /// A new, empty register of this backend, whose writes are made by a role that may write the trusts `writes`
    /// (SQLite has no roles: everyone writes everything); nil, with a note, when the backend is not available here.
    func makeStore(
        writes trusts: [String] = ["Ashby", "Barrow", "Brook", "Carlton", "Denby"]
    ) throws -> (any RegisterStore)? {
        switch self {
        case .sqlite:
            return try SQLiteRegisterStore.makeInMemory()
        case .postgres:
            return try PostgresTestCluster.makeStore(writes: trusts)
        }
    }
}

extension StoreBackend {
    /// Who the history names for the writes of ``makeStore(writes:)``: the operating-system user for SQLite, the
    /// writing role for PostgreSQL.
    var writer: String {
        switch self {
        case .sqlite:
            guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "" }
            return String(cString: name)
        case .postgres:
            return PostgresTestCluster.writerRole
        }
    }
}
