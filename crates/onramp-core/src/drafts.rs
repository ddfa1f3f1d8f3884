//! Drafts: one integration request in progress, stored locally until it is submitted.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::answers::AnswerValue;
use crate::playbook::{Kind, ProviderSummary};
use crate::readiness::Readiness;
use crate::screenshots::Screenshot;
use crate::wizard::{COMPANY_FIELD, Step};
use crate::{Error, Result, search};

/// A draft's identity. It never changes, so it can later travel with the Jira ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct DraftId(Uuid);

impl DraftId {
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }
}

impl Default for DraftId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for DraftId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for DraftId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Uuid::parse_str(s.trim())
            .map(Self)
            .map_err(|_| Error::InvalidInput(format!("`{s}` is not a draft ID")))
    }
}

/// Where a request is in the procedure. `Draft` and `Ready` follow readiness by themselves;
/// later stages are set as the request moves on; `Escalated` is set by the CSM with a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    Draft,
    Ready,
    Queued,
    Submitted,
    MeetingScheduled,
    RecapSent,
    Escalated,
}

impl DraftStatus {
    pub const ALL: [Self; 7] = [
        Self::Draft,
        Self::Ready,
        Self::Queued,
        Self::Submitted,
        Self::MeetingScheduled,
        Self::RecapSent,
        Self::Escalated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Ready => "ready",
            Self::Queued => "queued",
            Self::Submitted => "submitted",
            Self::MeetingScheduled => "meeting_scheduled",
            Self::RecapSent => "recap_sent",
            Self::Escalated => "escalated",
        }
    }

    /// How the status reads in a sentence ("already submitted").
    pub fn label(self) -> &'static str {
        match self {
            Self::MeetingScheduled => "meeting scheduled",
            Self::RecapSent => "recap sent",
            other => other.as_str(),
        }
    }

    /// Whether the CSM may still change the answers (nothing has been sent yet).
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Ready | Self::Escalated)
    }
}

impl FromStr for DraftStatus {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown status `{s}`; expected one of: {}",
                    Self::ALL.map(Self::as_str).join(", ")
                ))
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub id: DraftId,
    pub kind: Kind,
    pub provider_id: String,
    pub status: DraftStatus,
    /// Why the draft is escalated.
    pub status_note: Option<String>,
    /// Set while the draft is in the trash.
    #[ts(type = "string | null")]
    pub deleted_at: Option<Timestamp>,
    #[ts(type = "string")]
    pub created_at: Timestamp,
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    /// Field ID → what the CSM entered.
    pub answers: BTreeMap<String, AnswerValue>,
}

impl Draft {
    /// The company name, trimmed, if one was entered.
    pub fn company(&self) -> Option<String> {
        self.answers
            .get(COMPANY_FIELD)
            .and_then(AnswerValue::as_text)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
    }
}

/// One row of the drafts home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftSummary {
    pub id: DraftId,
    pub kind: Kind,
    pub provider_id: String,
    /// The provider's display name, or its ID when the playbook no longer has it.
    pub provider_name: String,
    pub company: Option<String>,
    pub status: DraftStatus,
    pub status_note: Option<String>,
    /// How many things readiness still reports (0: nothing missing).
    pub open_items: u32,
    /// The Jira ticket, once submitted.
    pub issue_key: Option<String>,
    /// Its status in Jira when last checked.
    pub jira_status: Option<String>,
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    #[ts(type = "string | null")]
    pub deleted_at: Option<Timestamp>,
}

/// Which drafts the home lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftQuery {
    /// Words to find in the company, the provider or any answer.
    pub search: Option<String>,
    pub status: Option<DraftStatus>,
    /// The trash instead of the live drafts.
    pub trash: bool,
    /// At most this many, most recently changed first; all of them when absent.
    pub limit: Option<u32>,
}

/// A page of the drafts home: the drafts shown, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftList {
    pub drafts: Vec<DraftSummary>,
    pub total: u32,
}

/// A draft opened in the wizard: its data, the steps that ask for it, and what is missing.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    pub draft: Draft,
    /// `None` when the playbook no longer has the draft's provider; its answers are kept.
    pub provider: Option<ProviderSummary>,
    pub provider_name: String,
    /// An HRIS that also offers SSO: the SSO provider to start a request for, in one click.
    pub suggested_sso: Option<ProviderSummary>,
    pub steps: Vec<Step>,
    pub readiness: Readiness,
    /// The screenshots attached so far, by slot.
    pub screenshots: Vec<Screenshot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewDraft {
    pub provider_id: String,
}

/// A new draft for the same customer with another provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateDraft {
    pub draft_id: DraftId,
    pub provider_id: String,
}

/// Escalate with a note, or (`note: null`) end the escalation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    pub draft_id: DraftId,
    pub note: Option<String>,
}

/// One screenshot slot of one draft.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotSlotRef {
    pub draft_id: DraftId,
    pub slot_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerUpdate {
    pub draft_id: DraftId,
    pub field_id: String,
    /// `null` clears the answer (for example yes/no back to "not answered yet").
    pub value: Option<AnswerValue>,
}

/// What the UI shows after an autosave: when it landed, and the draft's readiness now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    pub readiness: Readiness,
}

pub(crate) fn millis(t: Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn from_millis(ms: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
    })
}

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
            answers: BTreeMap::new(),
        })
    })())
}

pub(crate) fn get(conn: &Connection, id: DraftId) -> Result<Draft> {
    let draft = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM drafts d WHERE d.id = ?1"),
            [id.to_string()],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "draft",
            id: id.to_string(),
        })??;
    Ok(Draft {
        answers: answers(conn, id)?,
        ..draft
    })
}

fn parse_kind(kind: &str) -> Result<Kind> {
    Kind::parse(kind).ok_or_else(|| Error::Storage(format!("unknown kind `{kind}`")))
}

fn answers(conn: &Connection, id: DraftId) -> Result<BTreeMap<String, AnswerValue>> {
    let mut stmt =
        conn.prepare_cached("SELECT field_id, value FROM answers WHERE draft_id = ?1")?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (field, json) = row?;
        let value = parse_answer(&field, &json)?;
        out.insert(field, value);
    }
    Ok(out)
}

fn parse_answer(field: &str, json: &str) -> Result<AnswerValue> {
    serde_json::from_str(json)
        .map_err(|e| Error::Storage(format!("answer `{field}` is unreadable: {e}")))
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
    let mut stmt = conn.prepare_cached(
        "SELECT draft_id, field_id, value FROM answers
         WHERE draft_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([&ids], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut answers: std::collections::HashMap<String, BTreeMap<String, AnswerValue>> =
        std::collections::HashMap::new();
    for row in rows {
        let (draft, field, json) = row?;
        let value = parse_answer(&field, &json)?;
        answers.entry(draft).or_default().insert(field, value);
    }
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

/// Stores (or clears) one answer and touches the draft. Returns the previous value.
pub(crate) fn set_answer(
    conn: &Connection,
    update: &AnswerUpdate,
    now: Timestamp,
) -> Result<Option<AnswerValue>> {
    let draft_id = update.draft_id.to_string();
    let old: Option<String> = conn
        .query_row(
            "SELECT value FROM answers WHERE draft_id = ?1 AND field_id = ?2",
            params![draft_id, update.field_id],
            |r| r.get(0),
        )
        .optional()?;
    touch(conn, update.draft_id, now)?;
    match &update.value {
        Some(value) => {
            let json = serde_json::to_string(value).map_err(|e| Error::Storage(e.to_string()))?;
            conn.prepare_cached(
                "INSERT INTO answers (draft_id, field_id, value, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (draft_id, field_id)
                 DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )?
            .execute(params![draft_id, update.field_id, json, millis(now)])?;
        }
        None => {
            conn.execute(
                "DELETE FROM answers WHERE draft_id = ?1 AND field_id = ?2",
                params![draft_id, update.field_id],
            )?;
        }
    }
    Ok(old.and_then(|j| serde_json::from_str(&j).ok()))
}

pub(crate) fn touch(conn: &Connection, id: DraftId, now: Timestamp) -> Result<()> {
    let touched = conn
        .prepare_cached("UPDATE drafts SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id.to_string(), millis(now)])?;
    if touched == 0 {
        return Err(Error::NotFound {
            what: "draft",
            id: id.to_string(),
        });
    }
    Ok(())
}

pub(crate) fn set_status(
    conn: &Connection,
    id: DraftId,
    status: DraftStatus,
    note: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE drafts SET status = ?2, status_note = ?3 WHERE id = ?1",
        params![id.to_string(), status.as_str(), note],
    )?;
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
