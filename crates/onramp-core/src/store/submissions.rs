//! The outbox: the `submissions` table and the steps each submission has finished.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::time::{from_millis, millis};
use crate::Result;
use crate::model::{
    DraftId, Progress, StatusCategory, StatusSync, Submission, SubmissionState, TicketState,
    TrackedTicket,
};

pub(crate) fn queue(conn: &Connection, id: DraftId, now: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT INTO submissions (draft_id, state, next_attempt_at, updated_at)
         VALUES (?1, 'queued', ?2, ?2)
         ON CONFLICT (draft_id) DO UPDATE SET
           state = CASE WHEN state = 'done' THEN 'done' ELSE 'queued' END,
           next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at",
        params![id.to_string(), millis(now)],
    )?;
    Ok(())
}

/// Where a draft's ticket stands, as the drafts home shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ticket {
    pub key: Option<String>,
    pub status: Option<String>,
    pub category: Option<StatusCategory>,
    pub resolution: Option<String>,
    pub gone: bool,
    /// When it last changed: in Jira, as last read, or else in the outbox.
    pub since: Option<Timestamp>,
}

/// The tickets of the drafts in `ids` (a JSON array of draft IDs), by draft ID: one query for
/// a page of the drafts home.
pub(crate) fn tickets_of(
    conn: &Connection,
    ids: &str,
) -> Result<std::collections::HashMap<String, Ticket>> {
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id, issue_key, jira_status, jira_category, jira_resolution,
                ticket_gone_at IS NOT NULL, coalesce(jira_updated_at, updated_at)
         FROM submissions WHERE draft_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([ids], |r| {
        Ok((
            r.get(0)?,
            Ticket {
                key: r.get(1)?,
                status: r.get(2)?,
                category: r
                    .get::<_, Option<String>>(3)?
                    .as_deref()
                    .map(StatusCategory::parse),
                resolution: r.get(4)?,
                gone: r.get(5)?,
                since: r.get::<_, Option<i64>>(6)?.map(from_millis).transpose()?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The draft's submission at `now` (whether someone holds a claim to send it then).
pub(crate) fn get(conn: &Connection, id: DraftId, now: Timestamp) -> Result<Option<Progress>> {
    let row = conn
        .query_row(
            "SELECT s.state, s.issue_key, s.attempts, s.next_attempt_at, s.last_error,
                    s.create_sent_at, s.watcher_added, s.jira_status, d.status,
                    s.claimed_until IS NOT NULL AND s.claimed_until > ?2, s.warning,
                    s.jira_category, s.jira_resolution, s.ticket_gone_at
             FROM submissions s JOIN drafts d ON d.id = s.draft_id WHERE s.draft_id = ?1",
            params![id.to_string(), millis(now)],
            |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, u32>(2)?,
                        from_millis(r.get(3)?)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<i64>>(5)?.map(from_millis).transpose()?,
                        r.get::<_, bool>(6)?,
                    ),
                    (
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, String>(8)?,
                        r.get::<_, bool>(9)?,
                        r.get::<_, Option<String>>(10)?,
                        r.get::<_, Option<String>>(11)?,
                        r.get::<_, Option<String>>(12)?,
                        r.get::<_, Option<i64>>(13)?.map(from_millis).transpose()?,
                    ),
                ))
            },
        )
        .optional()?;
    let Some((
        (state, issue_key, attempts, next_attempt_at, last_error, create_sent_at, watcher),
        (jira_status, draft_status, sending, warning, category, resolution, gone),
    )) = row
    else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare_cached("SELECT slot_id FROM submission_uploads WHERE draft_id = ?1")?;
    let uploaded = stmt
        .query_map([id.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Progress {
        submission: Submission {
            draft_id: id,
            state: SubmissionState::parse(&state),
            issue_key,
            attempts,
            next_attempt_at,
            last_error,
            jira_status,
            jira_category: category.as_deref().map(StatusCategory::parse),
            jira_resolution: resolution,
            ticket_gone_since: gone,
            sending,
            warning,
            draft_status: draft_status.parse()?,
        },
        create_sent_at,
        watcher_added: watcher,
        uploaded,
    }))
}

/// Claims the queued submission for `owner` until `until`, unless another owner's claim still
/// holds at `now`; whether it is `owner`'s now. One statement, so two processes cannot both win.
pub(crate) fn claim(
    conn: &Connection,
    id: DraftId,
    owner: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<bool> {
    let claimed = conn
        .prepare_cached(
            "UPDATE submissions SET claimed_by = ?2, claimed_until = ?4
             WHERE draft_id = ?1 AND state = 'queued'
               AND (claimed_by IS NULL OR claimed_by = ?2 OR claimed_until <= ?3)",
        )?
        .execute(params![id.to_string(), owner, millis(now), millis(until)])?;
    Ok(claimed == 1)
}

/// Extends `owner`'s claim to `until`; false when the claim is no longer `owner`'s.
pub(crate) fn renew(conn: &Connection, id: DraftId, owner: &str, until: Timestamp) -> Result<bool> {
    let renewed = conn
        .prepare_cached(
            "UPDATE submissions SET claimed_until = ?3 WHERE draft_id = ?1 AND claimed_by = ?2",
        )?
        .execute(params![id.to_string(), owner, millis(until)])?;
    Ok(renewed == 1)
}

/// Gives up `owner`'s claim, if it still holds one.
pub(crate) fn release(conn: &Connection, id: DraftId, owner: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE submissions SET claimed_by = NULL, claimed_until = NULL
         WHERE draft_id = ?1 AND claimed_by = ?2",
    )?
    .execute(params![id.to_string(), owner])?;
    Ok(())
}

/// Queued submissions whose next attempt is due, soonest first.
pub(crate) fn due(conn: &Connection, now: Timestamp) -> Result<Vec<DraftId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id FROM submissions WHERE state = 'queued' AND next_attempt_at <= ?1
         ORDER BY next_attempt_at",
    )?;
    let ids = stmt.query_map([millis(now)], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for id in ids {
        out.push(id?.parse()?);
    }
    Ok(out)
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<DraftId>> {
    let mut stmt =
        conn.prepare_cached("SELECT draft_id FROM submissions ORDER BY next_attempt_at")?;
    let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for id in ids {
        out.push(id?.parse()?);
    }
    Ok(out)
}

pub(crate) fn set_create_sent(conn: &Connection, id: DraftId, at: Option<Timestamp>) -> Result<()> {
    conn.execute(
        "UPDATE submissions SET create_sent_at = ?2 WHERE draft_id = ?1",
        params![id.to_string(), at.map(millis)],
    )?;
    Ok(())
}

pub(crate) fn set_issue(conn: &Connection, id: DraftId, issue_id: &str, key: &str) -> Result<()> {
    conn.execute(
        "UPDATE submissions SET issue_id = ?2, issue_key = ?3, create_sent_at = NULL
         WHERE draft_id = ?1",
        params![id.to_string(), issue_id, key],
    )?;
    Ok(())
}

pub(crate) fn add_upload(conn: &Connection, id: DraftId, slot: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO submission_uploads (draft_id, slot_id) VALUES (?1, ?2)",
        params![id.to_string(), slot],
    )?;
    Ok(())
}

/// The watcher step is over: added, or left with `warning` for the CSM.
pub(crate) fn set_watcher_done(
    conn: &Connection,
    id: DraftId,
    warning: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE submissions SET watcher_added = 1, warning = ?2 WHERE draft_id = ?1",
        params![id.to_string(), warning],
    )?;
    Ok(())
}

/// The failure just recorded was Jira refusing the token.
pub(crate) fn set_failed_on_token(conn: &Connection, id: DraftId) -> Result<()> {
    conn.execute(
        "UPDATE submissions SET failed_on_token = 1 WHERE draft_id = ?1",
        [id.to_string()],
    )?;
    Ok(())
}

/// Queues again every submission that failed because Jira refused the token; how many.
pub(crate) fn requeue_failed_on_token(conn: &Connection, now: Timestamp) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE submissions SET state = 'queued', failed_on_token = 0, next_attempt_at = ?1,
           updated_at = ?1
         WHERE state = 'failed' AND failed_on_token = 1",
        [millis(now)],
    )?)
}

/// The attempt ended: done, failed for good, or to be retried at `next`.
pub(crate) fn finish_attempt(
    conn: &Connection,
    id: DraftId,
    state: SubmissionState,
    next: Timestamp,
    error: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "UPDATE submissions SET state = ?2, next_attempt_at = ?3, last_error = ?4,
           attempts = attempts + 1, updated_at = ?5, failed_on_token = 0
         WHERE draft_id = ?1",
        params![
            id.to_string(),
            state.as_str(),
            millis(next),
            error,
            millis(now)
        ],
    )?;
    Ok(())
}

/// Tickets the status sync follows, with their drafts: created, not gone, not done in Jira,
/// of drafts not in the trash.
pub(crate) fn tracked(conn: &Connection) -> Result<Vec<TrackedTicket>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.draft_id, s.issue_id, s.issue_key FROM submissions s
         JOIN drafts d ON d.id = s.draft_id
         WHERE s.state = 'done' AND s.issue_key IS NOT NULL AND s.ticket_gone_at IS NULL
           AND s.jira_category IS NOT 'done' AND d.deleted_at IS NULL
         ORDER BY s.updated_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (draft_id, issue_id, key) = row?;
        out.push(TrackedTicket {
            draft_id: draft_id.parse()?,
            issue_id,
            key,
        });
    }
    Ok(out)
}

/// The ticket's new key, after it was moved to another project.
pub(crate) fn set_key(conn: &Connection, id: DraftId, key: &str) -> Result<()> {
    conn.prepare_cached("UPDATE submissions SET issue_key = ?2 WHERE draft_id = ?1")?
        .execute(params![id.to_string(), key])?;
    Ok(())
}

/// Keeps where the draft's ticket stands, as a status sync read it at `now`.
pub(crate) fn set_ticket_state(
    conn: &Connection,
    id: DraftId,
    state: &TicketState,
    now: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE submissions SET jira_status = ?2, jira_category = ?3, jira_resolution = ?4,
           jira_updated_at = ?5, status_checked_at = ?6, ticket_gone_at = NULL
         WHERE draft_id = ?1",
    )?
    .execute(params![
        id.to_string(),
        state.status,
        state.category.as_str(),
        state.resolution,
        state.updated.map(millis),
        millis(now)
    ])?;
    Ok(())
}

/// Notes that Jira's search has no ticket by the draft's key any more, from `now` on.
pub(crate) fn set_gone(conn: &Connection, id: DraftId, now: Timestamp) -> Result<()> {
    conn.prepare_cached(
        "UPDATE submissions SET ticket_gone_at = ?2, status_checked_at = ?2
         WHERE draft_id = ?1 AND ticket_gone_at IS NULL",
    )?
    .execute(params![id.to_string(), millis(now)])?;
    Ok(())
}

/// Keeps the last status sync round's outcome.
pub(crate) fn record_sync(conn: &Connection, sync: &StatusSync) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO status_syncs (id, at, tracked, requests, error) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET at = excluded.at, tracked = excluded.tracked,
           requests = excluded.requests, error = excluded.error",
    )?
    .execute(params![
        millis(sync.at),
        sync.tracked,
        sync.requests,
        sync.error
    ])?;
    Ok(())
}

/// The last status sync round, if one ran.
pub(crate) fn last_sync(conn: &Connection) -> Result<Option<StatusSync>> {
    conn.query_row(
        "SELECT at, tracked, requests, error FROM status_syncs WHERE id = 1",
        [],
        |r| {
            Ok(StatusSync {
                at: from_millis(r.get(0)?)?,
                tracked: r.get(1)?,
                requests: r.get(2)?,
                error: r.get(3)?,
            })
        },
    )
    .optional()
    .map_err(Into::into)
}
