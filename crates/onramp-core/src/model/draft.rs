//! A draft: one integration request, from its first answer to the recap after the meeting.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::answers::AnswerValue;
use crate::playbook::Kind;
use crate::playbook::fields;
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

/// Where a request is in the procedure. Only `lifecycle` decides how it moves.
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
    /// Support finished the ticket and the CSM confirmed the integration works: the end.
    Live,
}

impl DraftStatus {
    pub const ALL: [Self; 8] = [
        Self::Draft,
        Self::Ready,
        Self::Queued,
        Self::Submitted,
        Self::MeetingScheduled,
        Self::RecapSent,
        Self::Escalated,
        Self::Live,
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
            Self::Live => "live",
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
        self.text(fields::COMPANY).map(str::to_owned)
    }

    /// The trimmed text answer to `field`, unless it is blank.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.answers
            .get(field)
            .and_then(AnswerValue::as_text)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }
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
    /// At most this many; all of them when absent.
    pub limit: Option<u32>,
    /// In which order; most recently changed first when absent.
    #[ts(optional)]
    pub sort: Option<DraftSort>,
}

/// The order the drafts home lists requests in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftSort {
    /// Most recently changed first.
    #[default]
    Recent,
    /// What waits on the CSM first, then on the customer, then on Support, each the longest
    /// waiting first; live requests last.
    NeedsYou,
}
