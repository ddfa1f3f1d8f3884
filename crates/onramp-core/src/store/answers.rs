//! The `answers` table: what the CSM (or the customer, or a check) entered, per field.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::time::millis;
use crate::answers::AnswerValue;
use crate::model::DraftId;
use crate::{Error, Result};

fn parse(field: &str, json: &str) -> Result<AnswerValue> {
    serde_json::from_str(json)
        .map_err(|e| Error::Storage(format!("answer `{field}` is unreadable: {e}")))
}

/// The answers of one draft, by field ID.
pub(crate) fn of(conn: &Connection, id: DraftId) -> Result<BTreeMap<String, AnswerValue>> {
    let mut stmt =
        conn.prepare_cached("SELECT field_id, value FROM answers WHERE draft_id = ?1")?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (field, json) = row?;
        let value = parse(&field, &json)?;
        out.insert(field, value);
    }
    Ok(out)
}

/// The answers of the drafts in `ids` (a JSON array of draft IDs), by draft ID: one query for a
/// page of the drafts home.
pub(crate) fn of_many(
    conn: &Connection,
    ids: &str,
) -> Result<HashMap<String, BTreeMap<String, AnswerValue>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id, field_id, value FROM answers
         WHERE draft_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([ids], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out: HashMap<String, BTreeMap<String, AnswerValue>> = HashMap::new();
    for row in rows {
        let (draft, field, json) = row?;
        let value = parse(&field, &json)?;
        out.entry(draft).or_default().insert(field, value);
    }
    Ok(out)
}

/// Stores (or, with `None`, clears) one answer. Returns the previous value.
pub(crate) fn set(
    conn: &Connection,
    id: DraftId,
    field: &str,
    value: Option<&AnswerValue>,
    now: Timestamp,
) -> Result<Option<AnswerValue>> {
    let draft_id = id.to_string();
    let old: Option<String> = conn
        .prepare_cached("SELECT value FROM answers WHERE draft_id = ?1 AND field_id = ?2")?
        .query_row(params![draft_id, field], |r| r.get(0))
        .optional()?;
    match value {
        Some(value) => {
            let json = serde_json::to_string(value).map_err(|e| Error::Storage(e.to_string()))?;
            conn.prepare_cached(
                "INSERT INTO answers (draft_id, field_id, value, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (draft_id, field_id)
                 DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )?
            .execute(params![draft_id, field, json, millis(now)])?;
        }
        None => {
            conn.prepare_cached("DELETE FROM answers WHERE draft_id = ?1 AND field_id = ?2")?
                .execute(params![draft_id, field])?;
        }
    }
    Ok(old.and_then(|j| serde_json::from_str(&j).ok()))
}
