//! The `jira_choices` table: per draft, the value chosen for each Jira field Review asks.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::time::millis;
use crate::Result;
use crate::model::DraftId;

/// The draft's choices, by Jira field ID.
pub(crate) fn of(conn: &Connection, id: DraftId) -> Result<BTreeMap<String, String>> {
    let mut stmt =
        conn.prepare_cached("SELECT field_id, value FROM jira_choices WHERE draft_id = ?1")?;
    let rows = stmt.query_map([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The choices of each draft in `ids` (a JSON array of draft IDs), by draft ID: the drafts
/// home reads a page of drafts at once.
pub(crate) fn of_each(
    conn: &Connection,
    ids: &str,
) -> Result<HashMap<String, BTreeMap<String, String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id, field_id, value FROM jira_choices
         WHERE draft_id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut each: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    let mut rows = stmt.query([ids])?;
    while let Some(r) = rows.next()? {
        each.entry(r.get(0)?)
            .or_default()
            .insert(r.get(1)?, r.get(2)?);
    }
    Ok(each)
}

/// Sets (`Some`) or clears the draft's choice for `field`.
pub(crate) fn set(
    conn: &Connection,
    id: DraftId,
    field: &str,
    value: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    match value {
        Some(value) => conn.execute(
            "INSERT INTO jira_choices (draft_id, field_id, value, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (draft_id, field_id) DO UPDATE SET value = excluded.value,
               updated_at = excluded.updated_at",
            params![id.to_string(), field, value, millis(now)],
        )?,
        None => conn.execute(
            "DELETE FROM jira_choices WHERE draft_id = ?1 AND field_id = ?2",
            params![id.to_string(), field],
        )?,
    };
    Ok(())
}
