//! The mandatory integration meeting as it is kept: its invite's identity and sequence, how it
//! went, and the CSM's edit of the recap.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    /// No invite went out yet (or the meeting is being rescheduled).
    Planned,
    Invited,
    Held,
    NoShow,
    Cancelled,
}

impl MeetingState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Invited => "invited",
            Self::Held => "held",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    /// How the state reads in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "no invite sent yet",
            Self::Invited => "invite sent",
            Self::Held => "held",
            Self::NoShow => "the customer did not come",
            Self::Cancelled => "cancelled",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "invited" => Self::Invited,
            "held" => Self::Held,
            "no_show" => Self::NoShow,
            "cancelled" => Self::Cancelled,
            _ => Self::Planned,
        }
    }
}

/// A draft's meeting as stored.
#[derive(Debug, Clone)]
pub struct MeetingRecord {
    /// The invite's UID, the same for the meeting's whole life.
    pub uid: String,
    pub sequence: u32,
    /// The last invite sent, as its content without stamps: the same text keeps the sequence.
    pub last_invite: Option<String>,
    pub state: MeetingState,
    pub recording_processed: bool,
    pub recap_subject: Option<String>,
    pub recap_body: Option<String>,
}

impl MeetingRecord {
    /// The procedure sends the recap once the meeting was held and its recording processed.
    pub fn recap_available(&self) -> bool {
        self.state == MeetingState::Held && self.recording_processed
    }
}
