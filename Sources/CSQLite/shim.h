#include <sqlite3.h>

// sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0), which Swift cannot call (sqlite3_config is variadic), as GRDB's own
// shim wraps sqlite3_config(SQLITE_CONFIG_LOG, ...).
static inline int fleet_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
