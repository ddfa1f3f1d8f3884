//! The local SQLite database: opening it safely and keeping its schema current.

mod migrations;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::Result;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "onramp.db";

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrations::apply(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL lets the CLI read while the window writes; NORMAL sync is durable across process
    // crashes in WAL mode, which is the failure autosave must survive.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(())
}
