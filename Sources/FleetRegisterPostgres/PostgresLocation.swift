import FleetCore
import Foundation

/// Where a PostgreSQL register is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, or a Unix socket's folder as
/// `postgres://USER@/DB?host=/run/postgresql` (port 5432 unless given).
public struct PostgresLocation: Hashable, Sendable {
    /// The role fleet connects as.
    public var user: String
    /// The role's password, if the server asks for one.
    public var password: String?
    /// The server's host name or address; nil with a socket folder.
    public var host: String?
    /// The folder of the server's Unix socket, when `?host=` names one.
    public var socketFolder: String?
    /// The server's port.
    public var port: Int
    /// The database.
    public var database: String

    /// Whether `text` names a PostgreSQL database rather than an SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The location `text` names.
    /// - Throws: ``InvalidInput`` (exit 2) saying what is missing, with the password hidden.
    public init(_ text: String) throws(InvalidInput) {
        let shown = Self.hidingPassword(text)
        func problem(_ reason: String) -> InvalidInput {
            InvalidInput(
                InputIssue(
                    file: shown,
                    line: nil,
                    problem: "\(reason); expected postgres://USER[:PASSWORD]@HOST[:PORT]/DB"
                )
            )
        }
        guard let components = URLComponents(string: text), Self.isPostgres(text) else {
            throw problem("is not a PostgreSQL URL")
        }
        guard let user = components.user, !user.isEmpty else { throw problem("names no user") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw problem("names no database") }
        let socket = components.queryItems?.first { $0.name == "host" }?.value
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || socket != nil else { throw problem("names no host") }
        self.user = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.host = host
        socketFolder = socket
        port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
    }

    /// The URL as the user wrote it with any password replaced by `***`, for messages.
    public static func hidingPassword(_ text: String) -> String {
        guard let scheme = text.range(of: "://"),
            let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
            let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound)
        else { return text }
        return String(text[..<colon.upperBound]) + "***" + String(text[at.lowerBound...])
    }

    /// The URL for messages: user, host or socket, port and database, never the password.
    public var description: String {
        "postgres://\(user)@\(host ?? "")\(host == nil ? "" : ":\(port)")/\(database)"
            + (socketFolder.map { "?host=\($0)" } ?? "")
    }
}
