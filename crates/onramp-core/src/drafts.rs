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
use crate::wizard::{COMPANY_FIELD, Step};
use crate::{Error, Result};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    Draft,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "draft" => Ok(DraftStatus::Draft),
            other => Err(Error::Storage(format!("unknown draft status `{other}`"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub id: DraftId,
    pub kind: Kind,
    pub provider_id: String,
    pub status: DraftStatus,
    #[ts(type = "string")]
    pub created_at: Timestamp,
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    /// Field ID → what the CSM entered.
    pub answers: BTreeMap<String, AnswerValue>,
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
    #[ts(type = "string")]
    pub updated_at: Timestamp,
}

/// A draft opened in the wizard: its data, the steps that ask for it, and what is missing.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    pub draft: Draft,
    /// `None` when the playbook no longer has the draft's provider; its answers are kept.
    pub provider: Option<ProviderSummary>,
    pub provider_name: String,
    pub steps: Vec<Step>,
    pub readiness: Readiness,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewDraft {
    pub provider_id: String,
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

fn millis(t: Timestamp) -> i64 {
    t.as_millisecond()
}

fn from_millis(ms: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, Box::new(e))
    })
}

pub(crate) fn insert(
    conn: &Connection,
    id: DraftId,
    kind: Kind,
    provider_id: &str,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO drafts (id, kind, provider_id, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![
            id.to_string(),
            kind.as_str(),
            provider_id,
            DraftStatus::Draft.as_str(),
            millis(now)
        ],
    )?;
    Ok(())
}

pub(crate) fn get(conn: &Connection, id: DraftId) -> Result<Draft> {
    let row = conn
        .query_row(
            "SELECT kind, provider_id, status, created_at, updated_at FROM drafts WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    from_millis(r.get(3)?)?,
                    from_millis(r.get(4)?)?,
                ))
            },
        )
        .optional()?;
    let Some((kind, provider_id, status, created_at, updated_at)) = row else {
        return Err(Error::NotFound {
            what: "draft",
            id: id.to_string(),
        });
    };
    Ok(Draft {
        id,
        kind: Kind::parse(&kind).ok_or_else(|| Error::Storage(format!("unknown kind `{kind}`")))?,
        provider_id,
        status: DraftStatus::parse(&status)?,
        created_at,
        updated_at,
        answers: answers(conn, id)?,
    })
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
        let value = serde_json::from_str(&json)
            .map_err(|e| Error::Storage(format!("answer `{field}` is unreadable: {e}")))?;
        out.insert(field, value);
    }
    Ok(out)
}

/// Rows for the drafts home, most recently changed first. `provider_name` maps IDs to names.
pub(crate) fn list(
    conn: &Connection,
    provider_name: impl Fn(&str) -> String,
) -> Result<Vec<DraftSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.kind, d.provider_id, d.status, d.updated_at, a.value
         FROM drafts d
         LEFT JOIN answers a ON a.draft_id = d.id AND a.field_id = ?1
         ORDER BY d.updated_at DESC, d.id",
    )?;
    let rows = stmt.query_map([COMPANY_FIELD], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            from_millis(r.get(4)?)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, provider_id, status, updated_at, company_json) = row?;
        let company = company_json
            .and_then(|j| serde_json::from_str::<AnswerValue>(&j).ok())
            .and_then(|v| v.as_text().map(str::trim).map(str::to_owned))
            .filter(|c| !c.is_empty());
        out.push(DraftSummary {
            id: id.parse()?,
            kind: Kind::parse(&kind)
                .ok_or_else(|| Error::Storage(format!("unknown kind `{kind}`")))?,
            provider_name: provider_name(&provider_id),
            provider_id,
            company,
            status: DraftStatus::parse(&status)?,
            updated_at,
        });
    }
    Ok(out)
}

/// Stores (or clears) one answer and touches the draft, atomically.
pub(crate) fn set_answer(
    conn: &mut Connection,
    update: &AnswerUpdate,
    now: Timestamp,
) -> Result<()> {
    let tx = conn.transaction()?;
    let draft_id = update.draft_id.to_string();
    let touched = tx.execute(
        "UPDATE drafts SET updated_at = ?2 WHERE id = ?1",
        params![draft_id, millis(now)],
    )?;
    if touched == 0 {
        return Err(Error::NotFound {
            what: "draft",
            id: draft_id,
        });
    }
    match &update.value {
        Some(value) => {
            let json = serde_json::to_string(value).map_err(|e| Error::Storage(e.to_string()))?;
            tx.execute(
                "INSERT INTO answers (draft_id, field_id, value, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (draft_id, field_id)
                 DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![draft_id, update.field_id, json, millis(now)],
            )?;
        }
        None => {
            tx.execute(
                "DELETE FROM answers WHERE draft_id = ?1 AND field_id = ?2",
                params![draft_id, update.field_id],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}
