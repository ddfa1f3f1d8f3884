//! A draft's submission to Jira: where it stands, and the steps it has finished.

use jiff::Timestamp;
use serde::Serialize;
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
    /// An attempt is under way right now.
    pub sending: bool,
    /// A done ticket with a step Jira refused, in words for the CSM ("Ticket created; you were
    /// not added as a watcher: …").
    pub warning: Option<String>,
    /// The draft's status, as the core's life cycle has it now: the window shows this, and never
    /// works a status out from the submission.
    pub draft_status: DraftStatus,
}

/// Everything an attempt needs to know about the steps already done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Progress {
    pub submission: Submission,
    pub create_sent_at: Option<Timestamp>,
    pub watcher_added: bool,
    pub uploaded: Vec<String>,
}
