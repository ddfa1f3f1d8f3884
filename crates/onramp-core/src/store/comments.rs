//! The `ticket_comments` table: what was written on each draft's ticket, as last read.

use rusqlite::{Connection, params};

use super::time::{from_millis, millis};
use crate::Result;
use crate::model::{DraftId, TicketComment};

/// Keeps `comment` on the draft's ticket (an edit in Jira replaces what was kept).
pub(crate) fn keep(conn: &Connection, id: DraftId, comment: &TicketComment) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_comments
           (draft_id, comment_id, author, author_id, body, public, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (draft_id, comment_id) DO UPDATE SET
           author = excluded.author, body = excluded.body, public = excluded.public",
    )?
    .execute(params![
        id.to_string(),
        comment.id,
        comment.author,
        comment.author_id,
        comment.body,
        comment.public,
        comment.created.map(millis)
    ])?;
    Ok(())
}

/// The comments on the draft's ticket, oldest first.
pub(crate) fn of(conn: &Connection, id: DraftId) -> Result<Vec<TicketComment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT comment_id, author, author_id, body, public, created_at FROM ticket_comments
         WHERE draft_id = ?1 ORDER BY created_at, comment_id",
    )?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok(TicketComment {
            id: r.get(0)?,
            author: r.get(1)?,
            author_id: r.get(2)?,
            body: r.get(3)?,
            public: r.get(4)?,
            created: r.get::<_, Option<i64>>(5)?.map(from_millis).transpose()?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
