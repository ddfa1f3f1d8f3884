//! A draft's submission to Jira: where it stands, and the steps it has finished.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::draft::{DraftId, DraftStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// Waiting for its next attempt.
    Queued,
    Done,
    /// Needs the CSM: the reason says what to fix before "Retry now".
    Failed,
}

impl SubmissionState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "done" => Self::Done,
            "failed" => Self::Failed,
            _ => Self::Queued,
        }
    }
}

/// A draft's submission as the window and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Submission {
    pub draft_id: DraftId,
    pub state: SubmissionState,
    pub issue_key: Option<String>,
    pub attempts: u32,
    #[ts(type = "string")]
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    /// The ticket's status in Jira when last checked ("To Do", "In Progress", …).
    pub jira_status: Option<String>,
    /// That status's category: done means Support finished the ticket.
    pub jira_category: Option<StatusCategory>,
    /// How Support resolved it ("Done", "Won't Do"), once it is.
    pub jira_resolution: Option<String>,
    /// Since when Jira's search says there is no such ticket (deleted, moved out of reach, or
    /// hidden from the account); it is no longer followed.
    #[ts(type = "string | null")]
    pub ticket_gone_since: Option<Timestamp>,
    /// An attempt is under way right now.
    pub sending: bool,
    /// A done ticket with a step Jira refused, in words for the CSM ("Ticket created; you were
    /// not added as a watcher: …").
    pub warning: Option<String>,
    /// The draft's status, as the core's life cycle has it now: the window shows this, and never
    /// works a status out from the submission.
    pub draft_status: DraftStatus,
}

/// Jira's three status categories (`StatusCategory.key`: `new`, `indeterminate`, `done`), which
/// every status of every workflow falls in, whatever the site names its statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatusCategory {
    ToDo,
    InProgress,
    Done,
}

impl StatusCategory {
    /// From Jira's key; an unknown key (an "undefined" category) counts as work in progress.
    pub fn from_jira(key: &str) -> Self {
        match key.to_ascii_lowercase().as_str() {
            "new" => Self::ToDo,
            "done" => Self::Done,
            _ => Self::InProgress,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::ToDo => "to_do",
            Self::InProgress => "in_progress",
            Self::Done => "done",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "to_do" => Self::ToDo,
            "done" => Self::Done,
            _ => Self::InProgress,
        }
    }
}

/// A ticket the status sync follows, and whose draft it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedTicket {
    pub draft_id: DraftId,
    /// Jira's ID for the issue, which stays when the issue moves to another project (and gets a
    /// new key); `None` only for tickets Onramp did not create itself.
    pub issue_id: Option<String>,
    pub key: String,
}

/// A comment on a ticket; on a service desk, public ones the customer sees too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketComment {
    pub id: String,
    /// Its text; Cloud's ADF bodies read as text.
    pub body: String,
    pub public: bool,
    /// The author's display name.
    pub author: String,
    /// The author's account ID (Cloud) or username (Data Center), when Jira shows it.
    pub author_id: Option<String>,
    pub created: Option<Timestamp>,
}

/// A reply the CSM wrote in Onramp, as kept until Jira has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub id: String,
    pub draft_id: DraftId,
    /// The ticket it goes on.
    pub key: String,
    pub body: String,
    pub created: Timestamp,
    /// A post went out then, and its answer may have been lost.
    pub post_sent_at: Option<Timestamp>,
    /// Jira's comment, once it has the reply.
    pub comment_id: Option<String>,
    pub last_error: Option<String>,
    /// Jira said no: it is not tried again.
    pub refused: bool,
}

/// Where a submitted ticket stands in Jira, as one status sync read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketState {
    pub id: String,
    pub key: String,
    pub status: String,
    pub category: StatusCategory,
    pub resolution: Option<String>,
    /// When Jira last saw it change; `None` where the answer did not say.
    pub updated: Option<Timestamp>,
    /// Its comments, oldest first, as search returned them.
    pub comments: Vec<TicketComment>,
}

/// What one status sync round learned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketRound {
    pub found: Vec<TicketState>,
    /// Keys Jira's search says no ticket has (deleted, moved out of reach, or hidden).
    pub gone: Vec<String>,
    /// Requests the round took.
    pub requests: usize,
}

/// The last status sync: when, how much it followed and asked, and the failure that ended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatusSync {
    #[ts(type = "string")]
    pub at: Timestamp,
    pub tracked: u32,
    pub requests: u32,
    pub error: Option<String>,
}

/// Everything an attempt needs to know about the steps already done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Progress {
    pub submission: Submission,
    pub create_sent_at: Option<Timestamp>,
    pub watcher_added: bool,
    pub uploaded: Vec<String>,
}
