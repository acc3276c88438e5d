import ArgumentParser
import FleetCore
import FleetRegisterPostgres
import Foundation

/// `fleet db init|grant`: set up a shared register on PostgreSQL.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Set up a shared register on PostgreSQL: its schema, and which role writes which trust.",
        discussion: """
            Both are run by the database owner, with --db postgres://OWNER@HOST/DB. Row-level security in the \
            server then lets each role write only its trusts' assets and utilisation; every role reads all.
            """,
        subcommands: [Initialise.self, Grant.self]
    )

    /// `fleet db init`.
    struct Initialise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the register's tables and row-level security policies (run by the database owner).",
            discussion: """
                Every table is under FORCE ROW LEVEL SECURITY, so the policies bind the owner too. Imports are then \
                made by roles the owner grants trusts to (fleet db grant), never by the owner or a superuser.
                """
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try database.requirePostgres()
                printError(try PostgresBackend.initialise(database.path))
            }
        }
    }

    /// `fleet db grant ROLE --trust NAME`.
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a PostgreSQL role write one trust's assets and utilisation (run by the database owner).",
            discussion: "Run once per trust the role writes. The role must exist (CREATE ROLE name LOGIN)."
        )

        @Argument(help: "The PostgreSQL role.") var role: String
        @Option(help: "The trust, as the register names it (case ignored).") var trust: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                try database.requirePostgres()
                printError(try PostgresBackend.grant(role: role, trust: trust, at: database.path))
            }
        }
    }
}

extension DatabaseOptions {
    /// Refuses an SQLite register, which has no roles: everyone who can write the file writes every trust.
    /// - Throws: ``ValidationError`` (exit 1).
    func requirePostgres() throws {
        guard PostgresLocation.isPostgres(path) else {
            throw ValidationError(
                "fleet db works on a PostgreSQL register (--db postgres://USER@HOST/DB); '\(path)' is an SQLite file, "
                    + "which needs no setup"
            )
        }
    }
}
