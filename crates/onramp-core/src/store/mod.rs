//! The local SQLite database: opening it safely and keeping its schema current.

mod checkpoint;
mod migrations;

pub(crate) use checkpoint::Checkpointer;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

use jiff::Timestamp;

use crate::{Error, Result};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "onramp.db";
/// Folder next to the database for the copies taken before each migration.
pub const BACKUPS: &str = "backups";

/// Opens (creating if needed) the database at `path`, checks it, and brings its schema up to
/// date — after a backup, when there is anything to migrate.
pub fn open(path: &Path, now: Timestamp) -> Result<Connection> {
    let existed = path.exists();
    let mut conn = Connection::open(path)?;
    configure(&conn)
        .and_then(|()| integrity_problems(&conn))
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                damaged(path, &e.to_string())
            }
            _ => Error::from(e),
        })
        .and_then(|problems| match problems {
            None => Ok(()),
            Some(problems) => Err(damaged(path, &problems)),
        })?;
    if existed && migrations::pending(&conn)? {
        backup(&conn, path, now)?;
    }
    migrations::apply(&mut conn)?;
    Ok(conn)
}

/// What SQLite's integrity check finds, if anything. A damaged database is refused rather
/// than written into and made worse.
fn integrity_problems(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(5)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((problems != ["ok"]).then(|| problems.join("; ")))
}

fn damaged(path: &Path, detail: &str) -> Error {
    Error::Storage(format!(
        "the database {} is damaged ({detail}); Onramp did not change it. Restore the newest copy from its `backups` folder, or ask your team lead",
        path.display(),
    ))
}

/// Copies the database to `backups/onramp-<time>.db` next to it, as one consistent snapshot.
fn backup(conn: &Connection, path: &Path, now: Timestamp) -> Result<()> {
    let dir = path.with_file_name(BACKUPS);
    std::fs::create_dir_all(&dir)?;
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let target = dir.join(format!("onramp-{stamp}.db"));
    let target = target.to_str().ok_or_else(|| {
        Error::Storage(format!("the backup path {} is not UTF-8", target.display()))
    })?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL lets the CLI read while the window writes; NORMAL sync is durable across process
    // crashes in WAL mode, which is the failure autosave must survive.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(())
}
