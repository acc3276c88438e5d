import CSQLite

/// The process-wide settings of SQLite that the register asks for, made once, before its first database is opened.
enum SQLiteConfiguration {
    /// Turns SQLite's memory statistics off. SQLite counts every allocation under one process-wide mutex, which two
    /// threads reading at once contend for: `fleet rank` of the national register reads its units and its feed at
    /// once, and spent some 25 ms waking the other thread. Nothing in `fleet` reads the statistics or sets a soft
    /// heap limit, which needs them. SQLite takes the setting only before it first initialises itself (after that
    /// it refuses it, harmlessly), so every store calls this before it opens a database.
    static let memoryStatisticsOff: Void = { _ = fleet_sqlite3_disable_memory_statistics() }()
}
