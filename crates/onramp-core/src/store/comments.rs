//! What is written on each draft's ticket: the `ticket_comments` Jira has, as last read, and
//! the `ticket_replies` the CSM wrote in Onramp until Jira has them.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::time::{from_millis, millis};
use crate::Result;
use crate::model::{DraftId, Reply, TicketComment};

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

/// A new reply on the draft's ticket, waiting to be posted.
pub(crate) fn add_reply(
    conn: &Connection,
    id: &str,
    draft: DraftId,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_replies (id, draft_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, draft.to_string(), body, millis(now)])?;
    Ok(())
}

const REPLY: &str = "SELECT r.id, r.draft_id, s.issue_key, r.body, r.created_at, r.post_sent_at,
        r.comment_id, r.last_error, r.refused
     FROM ticket_replies r JOIN submissions s ON s.draft_id = r.draft_id";

fn reply(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reply> {
    let draft = r.get::<_, String>(1)?.parse::<DraftId>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Reply {
        id: r.get(0)?,
        draft_id: draft,
        key: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        body: r.get(3)?,
        created: from_millis(r.get(4)?)?,
        post_sent_at: r.get::<_, Option<i64>>(5)?.map(from_millis).transpose()?,
        comment_id: r.get(6)?,
        last_error: r.get(7)?,
        refused: r.get(8)?,
    })
}

fn replies_where(conn: &Connection, filter: &str, arg: Option<String>) -> Result<Vec<Reply>> {
    let mut stmt = conn.prepare_cached(&format!("{REPLY} WHERE {filter} ORDER BY r.created_at"))?;
    let rows = match arg {
        Some(arg) => stmt
            .query_map([arg], reply)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => stmt
            .query_map([], reply)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

/// Replies Jira does not have yet and may still take, oldest first.
pub(crate) fn unsent_replies(conn: &Connection) -> Result<Vec<Reply>> {
    replies_where(
        conn,
        "r.comment_id IS NULL AND r.refused = 0 AND s.issue_key IS NOT NULL",
        None,
    )
}

/// The replies written on the draft's ticket, oldest first.
pub(crate) fn replies_of(conn: &Connection, draft: DraftId) -> Result<Vec<Reply>> {
    replies_where(conn, "r.draft_id = ?1", Some(draft.to_string()))
}

/// A post of the reply goes out now.
pub(crate) fn reply_post_sent(conn: &Connection, id: &str, now: Timestamp) -> Result<()> {
    conn.prepare_cached("UPDATE ticket_replies SET post_sent_at = ?2 WHERE id = ?1")?
        .execute(params![id, millis(now)])?;
    Ok(())
}

/// Jira has the reply, as the comment `comment`.
pub(crate) fn reply_sent(conn: &Connection, id: &str, comment: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE ticket_replies SET comment_id = ?2, last_error = NULL, post_sent_at = NULL
         WHERE id = ?1",
    )?
    .execute(params![id, comment])?;
    Ok(())
}

/// The last try failed: `why`, and whether Jira refused it (then it is not tried again) or
/// nothing was posted (then no look is needed before the next post).
pub(crate) fn reply_failed(
    conn: &Connection,
    id: &str,
    why: &str,
    refused: bool,
    posted_maybe: bool,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE ticket_replies SET last_error = ?2, refused = ?3,
           post_sent_at = CASE WHEN ?4 THEN post_sent_at ELSE NULL END
         WHERE id = ?1",
    )?
    .execute(params![id, why, refused, posted_maybe])?;
    Ok(())
}
