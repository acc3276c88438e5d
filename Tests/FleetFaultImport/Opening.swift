import FleetRegister
import FleetRegisterPostgres

/// The store `location` names, with `hooks`: PostgreSQL for a `postgres://` URL (with the Postgres trait), else
/// SQLite.
func openFaultStore(_ location: String, hooks: RegisterWriteHooks) throws -> any RegisterStore {
    if PostgresLocation.isPostgres(location) { return try PostgresBackend.openStore(location, hooks: hooks) }
    return try SQLiteRegisterStore(path: location, hooks: hooks)
}
