//! The audit trail: every change to a draft, when, from where, and what it was before.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::answers::AnswerValue;
use crate::{Error, Result};

/// Where a change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Window,
    Cli,
    Import,
}

impl Source {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Window => "window",
            Self::Cli => "cli",
            Self::Import => "import",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self> {
        match s {
            "window" => Ok(Self::Window),
            "cli" => Ok(Self::Cli),
            "import" => Ok(Self::Import),
            other => Err(Error::Storage(format!("unknown change source `{other}`"))),
        }
    }
}

/// What happened. Answers and screenshots name their field; the others concern the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Created,
    Answer,
    Status,
    Screenshot,
    Trashed,
    Restored,
    /// Brought in from a bundle exported on another machine.
    Imported,
    /// Put in the outbox for Jira.
    Queued,
    /// The Jira ticket exists with everything on it; the new value is its key.
    Submitted,
    /// Something happened to the integration meeting or its recap; the new value says what.
    Meeting,
    /// The Jira ticket moved on in Support's workflow (or went missing); the values are where
    /// it stood before and after.
    Ticket,
    /// The CSM confirmed the integration is live, Support's ticket being done.
    Live,
}

impl Event {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Answer => "answer",
            Self::Status => "status",
            Self::Screenshot => "screenshot",
            Self::Trashed => "trashed",
            Self::Restored => "restored",
            Self::Imported => "imported",
            Self::Queued => "queued",
            Self::Submitted => "submitted",
            Self::Meeting => "meeting",
            Self::Ticket => "ticket",
            Self::Live => "live",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "created" => Self::Created,
            "answer" => Self::Answer,
            "status" => Self::Status,
            "screenshot" => Self::Screenshot,
            "trashed" => Self::Trashed,
            "restored" => Self::Restored,
            "imported" => Self::Imported,
            "queued" => Self::Queued,
            "submitted" => Self::Submitted,
            "meeting" => Self::Meeting,
            "ticket" => Self::Ticket,
            "live" => Self::Live,
            other => return Err(Error::Storage(format!("unknown history event `{other}`"))),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    #[ts(type = "string")]
    pub at: Timestamp,
    pub source: Source,
    pub event: Event,
    pub field_id: Option<String>,
    /// The field's label in the current playbook, when it still asks it.
    #[serde(default, skip_deserializing)]
    pub label: Option<String>,
    pub old_value: Option<AnswerValue>,
    pub new_value: Option<AnswerValue>,
}

/// One change to record; written in the same transaction as the change itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub event: Event,
    pub field_id: Option<&'a str>,
    pub old_value: Option<&'a AnswerValue>,
    pub new_value: Option<&'a AnswerValue>,
}

impl<'a> Change<'a> {
    pub fn of(event: Event) -> Self {
        Self {
            event,
            field_id: None,
            old_value: None,
            new_value: None,
        }
    }

    pub fn field(mut self, id: &'a str) -> Self {
        self.field_id = Some(id);
        self
    }

    pub fn values(mut self, old: Option<&'a AnswerValue>, new: Option<&'a AnswerValue>) -> Self {
        self.old_value = old;
        self.new_value = new;
        self
    }
}

impl<'a> From<&'a HistoryEntry> for Change<'a> {
    fn from(entry: &'a HistoryEntry) -> Self {
        Self {
            event: entry.event,
            field_id: entry.field_id.as_deref(),
            old_value: entry.old_value.as_ref(),
            new_value: entry.new_value.as_ref(),
        }
    }
}
