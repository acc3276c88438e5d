import FleetRegister

/// The store `location` names, with `hooks`: SQLite for a path, PostgreSQL for a `postgres://` URL when fleet is
/// built with the Postgres trait.
func openFaultStore(_ location: String, hooks: RegisterWriteHooks) throws -> any RegisterStore {
    try SQLiteRegisterStore(path: location, hooks: hooks)
}
