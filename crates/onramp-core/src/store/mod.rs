//! The storage layer: the local SQLite database and the screenshot files beside it. Every SQL
//! statement of Onramp is in this module, one file per table or concern; each reads and writes
//! the plain types of `model`. Times are kept as milliseconds (`time`).

pub(crate) mod answers;
mod checkpoint;
pub(crate) mod comments;
pub(crate) mod drafts;
pub(crate) mod history;
pub(crate) mod jira_choices;
pub(crate) mod meeting;
mod migrations;
pub(crate) mod screenshots;
pub(crate) mod search;
pub(crate) mod settings;
pub(crate) mod sso;
pub(crate) mod submissions;
mod time;
mod verify;

pub(crate) use checkpoint::Checkpointer;
pub(crate) use verify::Integrity;
pub use verify::Verify;

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode};

use crate::{Error, Result};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "onramp.db";
/// Folder next to the database for the copies taken before each migration.
pub const BACKUPS: &str = "backups";

/// The database as `open` left it.
pub(crate) struct Opened {
    pub conn: Connection,
    pub integrity: Integrity,
    /// The schema was brought up to date from an older one.
    pub migrated: bool,
}

/// Opens (creating if needed) the database at `path`, checks it as `verify` says, and brings its
/// schema up to date — after a backup, when there is anything to migrate (and only once the
/// database was found sound).
pub(crate) fn open(path: &Path, now: Timestamp, verify: Verify) -> Result<Opened> {
    let existed = path.exists();
    let mut conn = Connection::open(path)?;
    let refused = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            verify::damaged(path, &e.to_string())
        }
        _ => Error::from(e),
    };
    configure(&conn).map_err(refused)?;
    let pending = existed && migrations::pending(&conn)?;
    let integrity = if verify == Verify::Now || pending {
        if let Some(problems) = verify::problems(&conn).map_err(refused)? {
            return Err(verify::damaged(path, &problems));
        }
        Integrity::checked(path)
    } else {
        Integrity::in_background(path)?
    };
    if pending {
        backup(&conn, path, now)?;
    }
    migrations::apply(&mut conn)?;
    Ok(Opened {
        conn,
        integrity,
        migrated: pending,
    })
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
