//! The `settings` table: the CSM's settings as one JSON value, and this data directory's name in
//! the OS keyring.

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::{DeskListing, JiraAccount, JiraScreen, Settings};
use crate::{Error, Result};

/// The saved settings; the defaults when none are saved (or they cannot be read any more).
pub(crate) fn load(conn: &Connection) -> Result<Settings> {
    Ok(get(conn, "settings")?.unwrap_or_default())
}

pub(crate) fn save(conn: &Connection, settings: &Settings) -> Result<()> {
    put(conn, "settings", settings)
}

/// The JSON value kept under `key`; `None` when there is none, or it can no longer be read.
fn get<T: serde::de::DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let json: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

fn put(conn: &Connection, key: &str, value: &impl serde::Serialize) -> Result<()> {
    let json = serde_json::to_string(value).map_err(|e| Error::Storage(e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, json],
    )?;
    Ok(())
}

/// This data directory's name in the keyring, made once.
pub(crate) fn keyring_namespace(conn: &Connection) -> Result<String> {
    conn.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('keyring_namespace', ?1)",
        params![uuid::Uuid::new_v4().to_string()],
    )?;
    Ok(conn.query_row(
        "SELECT value FROM settings WHERE key = 'keyring_namespace'",
        [],
        |r| r.get(0),
    )?)
}

/// The project's create screen as last read (Test connection, or a send); `None` before the
/// first, or when what was kept can no longer be read.
pub(crate) fn jira_screen(conn: &Connection) -> Result<Option<JiraScreen>> {
    get(conn, "jira_screen")
}

pub(crate) fn save_jira_screen(conn: &Connection, screen: &JiraScreen) -> Result<()> {
    put(conn, "jira_screen", screen)
}

/// The CSM's Jira account as last found; `None` before the first lookup.
pub(crate) fn jira_account(conn: &Connection) -> Result<Option<JiraAccount>> {
    get(conn, "jira_account")
}

pub(crate) fn save_jira_account(conn: &Connection, account: &JiraAccount) -> Result<()> {
    put(conn, "jira_account", account)
}

/// The service desks and request types as Test connection last listed them.
pub(crate) fn jira_desks(conn: &Connection) -> Result<Vec<DeskListing>> {
    Ok(get(conn, "jira_desks")?.unwrap_or_default())
}

pub(crate) fn save_jira_desks(conn: &Connection, desks: &[DeskListing]) -> Result<()> {
    put(conn, "jira_desks", &desks)
}
