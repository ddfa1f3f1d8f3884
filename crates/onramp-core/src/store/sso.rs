//! What the SSO checks keep: the `fetched_metadata` and `issuer_checks` tables.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::time::{from_millis, millis};
use crate::model::{DraftId, FetchedMetadata, Finding};
use crate::{Error, Result};

/// What the draft's metadata URL gave when it was last fetched.
pub(crate) fn fetched(conn: &Connection, id: DraftId) -> Result<Option<FetchedMetadata>> {
    Ok(conn
        .query_row(
            "SELECT url, body, error, fetched_at FROM fetched_metadata WHERE draft_id = ?1",
            [id.to_string()],
            |r| {
                Ok(FetchedMetadata {
                    url: r.get(0)?,
                    body: r.get(1)?,
                    error: r.get(2)?,
                    at: from_millis(r.get(3)?)?,
                })
            },
        )
        .optional()?)
}

/// Keeps what fetching the metadata URL gave, replacing the last fetch.
pub(crate) fn set_fetched(conn: &Connection, id: DraftId, fetched: &FetchedMetadata) -> Result<()> {
    conn.execute(
        "INSERT INTO fetched_metadata (draft_id, url, body, error, fetched_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (draft_id) DO UPDATE SET url = excluded.url, body = excluded.body,
           error = excluded.error, fetched_at = excluded.fetched_at",
        params![
            id.to_string(),
            fetched.url,
            fetched.body,
            fetched.error,
            millis(fetched.at)
        ],
    )?;
    Ok(())
}

/// The findings of the last check of `issuer`, if it was checked.
pub(crate) fn issuer_findings(
    conn: &Connection,
    id: DraftId,
    issuer: &str,
) -> Result<Option<Vec<Finding>>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT findings FROM issuer_checks WHERE draft_id = ?1 AND issuer = ?2",
            params![id.to_string(), issuer],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Storage(e.to_string())))
        .transpose()
}

/// Keeps the findings of checking `issuer`, replacing the draft's last check.
pub(crate) fn set_issuer_findings(
    conn: &Connection,
    id: DraftId,
    issuer: &str,
    found: &[Finding],
    now: Timestamp,
) -> Result<()> {
    let json = serde_json::to_string(found).map_err(|e| Error::Storage(e.to_string()))?;
    conn.execute(
        "INSERT INTO issuer_checks (draft_id, issuer, findings, checked_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (draft_id) DO UPDATE SET issuer = excluded.issuer,
           findings = excluded.findings, checked_at = excluded.checked_at",
        params![id.to_string(), issuer, json, millis(now)],
    )?;
    Ok(())
}
