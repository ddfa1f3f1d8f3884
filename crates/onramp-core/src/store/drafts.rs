//! The `drafts` table: a draft's identity, provider, status and times.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::answers;
use super::search;
use super::time::{from_millis, millis};
use crate::model::{Draft, DraftId, DraftQuery, DraftStatus};
use crate::playbook::Kind;
use crate::{Error, Result};

/// A new draft row, created at `created_at` (now, or on another machine for an import).
pub(crate) fn insert(
    conn: &Connection,
    id: DraftId,
    kind: Kind,
    provider_id: &str,
    created_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO drafts (id, kind, provider_id, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id.to_string(),
            kind.as_str(),
            provider_id,
            DraftStatus::Draft.as_str(),
            millis(created_at),
            millis(now)
        ],
    )?;
    Ok(())
}

/// The columns `from_row` reads, after the draft's ID.
const COLUMNS: &str = "d.id, d.kind, d.provider_id, d.status, d.status_note, d.created_at, d.updated_at, d.deleted_at";

/// A draft from a row of `COLUMNS`, with no answers yet.
fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Draft>> {
    let id: String = r.get(0)?;
    let kind: String = r.get(1)?;
    let status: String = r.get(3)?;
    let (created_at, updated_at) = (from_millis(r.get(5)?)?, from_millis(r.get(6)?)?);
    let deleted_at = r.get::<_, Option<i64>>(7)?.map(from_millis).transpose()?;
    let (provider_id, status_note) = (r.get(2)?, r.get(4)?);
    Ok((|| {
        Ok(Draft {
            id: id.parse()?,
            kind: parse_kind(&kind)?,
            provider_id,
            status: status.parse()?,
            status_note,
            deleted_at,
            created_at,
            updated_at,
            answers: std::collections::BTreeMap::new(),
        })
    })())
}

fn parse_kind(kind: &str) -> Result<Kind> {
    Kind::parse(kind).ok_or_else(|| Error::Storage(format!("unknown kind `{kind}`")))
}

fn not_found(id: DraftId) -> Error {
    Error::NotFound {
        what: "draft",
        id: id.to_string(),
    }
}

pub(crate) fn get(conn: &Connection, id: DraftId) -> Result<Draft> {
    let draft = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM drafts d WHERE d.id = ?1"))?
        .query_row([id.to_string()], from_row)
        .optional()?
        .ok_or_else(|| not_found(id))??;
    Ok(Draft {
        answers: answers::of(conn, id)?,
        ..draft
    })
}

/// Whether a draft with `id` exists here.
pub(crate) fn exists(conn: &Connection, id: DraftId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM drafts WHERE id = ?1")?
        .query_row([id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The drafts whose ID starts with `prefix` (lower-case hex and dashes), at most `limit`.
pub(crate) fn with_id_prefix(conn: &Connection, prefix: &str, limit: u32) -> Result<Vec<Draft>> {
    // Escaped for LIKE, though an ID prefix holds neither `%` nor `_`.
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM drafts WHERE id LIKE ?1 ESCAPE '\\' ORDER BY id LIMIT ?2")?
        .query_map(params![pattern, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter()
        .filter_map(|id| id.parse().ok())
        .map(|id| get(conn, id))
        .collect()
}

/// Which drafts a query selects: `?1` trash, `?2` status, `?3` FTS5 search.
const MATCHING: &str = "(d.deleted_at IS NOT NULL) = ?1
       AND (?2 IS NULL OR d.status = ?2)
       AND (?3 IS NULL OR d.id IN (SELECT draft_id FROM drafts_fts WHERE drafts_fts MATCH ?3))";

/// The drafts `query` selects, most recently changed first, with their answers; and their IDs
/// as a JSON list (see [`id_list`]) for reading what else belongs to them.
pub(crate) fn find(conn: &Connection, query: &DraftQuery) -> Result<(Vec<Draft>, String)> {
    let search = query.search.as_deref().and_then(search::query);
    // SQLite reads a negative LIMIT as none.
    let limit = query.limit.map_or(-1, i64::from);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM drafts d WHERE {MATCHING}
         ORDER BY d.updated_at DESC, d.id LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            query.trash,
            query.status.map(DraftStatus::as_str),
            search,
            limit
        ],
        from_row,
    )?;
    let mut drafts = Vec::new();
    for row in rows {
        drafts.push(row??);
    }
    // One query for all their answers, not one per draft: the home lists many.
    let ids = id_list(drafts.iter().map(|d| d.id));
    let mut answers = answers::of_many(conn, &ids)?;
    for draft in &mut drafts {
        draft.answers = answers.remove(&draft.id.to_string()).unwrap_or_default();
    }
    Ok((drafts, ids))
}

/// How many drafts `query` selects, whatever its limit.
pub(crate) fn count(conn: &Connection, query: &DraftQuery) -> Result<u32> {
    let search = query.search.as_deref().and_then(search::query);
    Ok(conn
        .prepare_cached(&format!("SELECT count(*) FROM drafts d WHERE {MATCHING}"))?
        .query_row(
            params![query.trash, query.status.map(DraftStatus::as_str), search],
            |r| r.get(0),
        )?)
}

/// Draft IDs as a JSON array, for `IN (SELECT value FROM json_each(?))`.
fn id_list(ids: impl Iterator<Item = DraftId>) -> String {
    serde_json::Value::from(ids.map(|id| id.to_string()).collect::<Vec<_>>()).to_string()
}

/// Marks the draft as changed at `now`.
pub(crate) fn touch(conn: &Connection, id: DraftId, now: Timestamp) -> Result<()> {
    let touched = conn
        .prepare_cached("UPDATE drafts SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id.to_string(), millis(now)])?;
    if touched == 0 {
        return Err(not_found(id));
    }
    Ok(())
}

/// Writes a status the life cycle decided (see `lifecycle`), with its note.
pub(crate) fn set_status(
    conn: &Connection,
    id: DraftId,
    status: DraftStatus,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached("UPDATE drafts SET status = ?2, status_note = ?3 WHERE id = ?1")?
        .execute(params![id.to_string(), status.as_str(), note])?;
    Ok(())
}

/// Moves a draft into the trash (`Some`) or back out of it (`None`).
pub(crate) fn set_deleted(conn: &Connection, id: DraftId, at: Option<Timestamp>) -> Result<()> {
    conn.execute(
        "UPDATE drafts SET deleted_at = ?2 WHERE id = ?1",
        params![id.to_string(), at.map(millis)],
    )?;
    Ok(())
}

/// Deletes a draft with its answers, history and attachments for good.
pub(crate) fn purge(conn: &Connection, id: DraftId) -> Result<()> {
    search::remove(conn, id)?;
    conn.execute("DELETE FROM drafts WHERE id = ?1", [id.to_string()])?;
    Ok(())
}
