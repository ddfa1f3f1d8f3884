//! The `meetings` table: one row per draft whose meeting was planned.

use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;
use crate::model::{DraftId, MeetingRecord, MeetingState};

pub(crate) fn get(conn: &Connection, id: DraftId) -> Result<Option<MeetingRecord>> {
    Ok(conn
        .query_row(
            "SELECT uid, sequence, last_invite, state, recording_processed, recap_subject, recap_body
             FROM meetings WHERE draft_id = ?1",
            [id.to_string()],
            |r| {
                Ok(MeetingRecord {
                    uid: r.get(0)?,
                    sequence: r.get(1)?,
                    last_invite: r.get(2)?,
                    state: MeetingState::parse(&r.get::<_, String>(3)?),
                    recording_processed: r.get(4)?,
                    recap_subject: r.get(5)?,
                    recap_body: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// The draft's meeting row, created with a new UID on first use.
pub(crate) fn ensure(conn: &Connection, id: DraftId) -> Result<MeetingRecord> {
    conn.execute(
        "INSERT OR IGNORE INTO meetings (draft_id, uid) VALUES (?1, ?2)",
        params![id.to_string(), format!("{}@onramp", uuid::Uuid::new_v4())],
    )?;
    get(conn, id)?.ok_or_else(|| crate::Error::Storage("the meeting row vanished".into()))
}

pub(crate) fn save_invite(
    conn: &Connection,
    id: DraftId,
    sequence: u32,
    invite: &str,
    state: MeetingState,
) -> Result<()> {
    conn.execute(
        "UPDATE meetings SET sequence = ?2, last_invite = ?3, state = ?4 WHERE draft_id = ?1",
        params![id.to_string(), sequence, invite, state.as_str()],
    )?;
    Ok(())
}

pub(crate) fn set_state(conn: &Connection, id: DraftId, state: MeetingState) -> Result<()> {
    conn.execute(
        "UPDATE meetings SET state = ?2 WHERE draft_id = ?1",
        params![id.to_string(), state.as_str()],
    )?;
    Ok(())
}

pub(crate) fn set_recording_processed(conn: &Connection, id: DraftId) -> Result<()> {
    conn.execute(
        "UPDATE meetings SET recording_processed = 1 WHERE draft_id = ?1",
        [id.to_string()],
    )?;
    Ok(())
}

/// The recap as the CSM edited it; `None` goes back to the playbook's template.
pub(crate) fn set_recap(conn: &Connection, id: DraftId, edit: Option<(&str, &str)>) -> Result<()> {
    conn.execute(
        "UPDATE meetings SET recap_subject = ?2, recap_body = ?3 WHERE draft_id = ?1",
        params![id.to_string(), edit.map(|e| e.0), edit.map(|e| e.1)],
    )?;
    Ok(())
}
