//! The `history` table: every change to a draft, oldest first.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::time::{from_millis, millis};
use crate::answers::AnswerValue;
use crate::model::{Change, DraftId, Event, HistoryEntry, Source};
use crate::{Error, Result};

pub(crate) fn record(
    conn: &Connection,
    draft: DraftId,
    at: Timestamp,
    source: Source,
    change: Change<'_>,
) -> Result<()> {
    let json = |v: Option<&AnswerValue>| {
        v.map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Storage(e.to_string()))
    };
    conn.prepare_cached(
        "INSERT INTO history (draft_id, at, source, event, field_id, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        draft.to_string(),
        millis(at),
        source.as_str(),
        change.event.as_str(),
        change.field_id,
        json(change.old_value)?,
        json(change.new_value)?,
    ])?;
    Ok(())
}

/// The draft's history, oldest first; `label` names a field by its ID.
pub(crate) fn list(
    conn: &Connection,
    draft: DraftId,
    label: impl Fn(&str) -> Option<String>,
) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, source, event, field_id, old_value, new_value
         FROM history WHERE draft_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([draft.to_string()], |r| {
        Ok((
            from_millis(r.get(0)?)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let value = |json: Option<String>| -> Result<Option<AnswerValue>> {
        json.map(|j| {
            serde_json::from_str(&j)
                .map_err(|e| Error::Storage(format!("a history value is unreadable: {e}")))
        })
        .transpose()
    };
    let mut out = Vec::new();
    for row in rows {
        let (at, source, event, field_id, old, new) = row?;
        out.push(HistoryEntry {
            at,
            source: Source::parse(&source)?,
            event: Event::parse(&event)?,
            label: field_id.as_deref().and_then(&label),
            field_id,
            old_value: value(old)?,
            new_value: value(new)?,
        });
    }
    Ok(out)
}
