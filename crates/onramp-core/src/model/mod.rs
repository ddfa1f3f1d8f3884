//! The plain types of Onramp's domain: what the storage layer reads and writes, and what the
//! features work with. No behaviour beyond naming and parsing the values themselves.

pub mod draft;
pub mod history;
pub mod jira_account;
pub mod jira_screen;
pub mod meeting;
pub mod screenshot;
pub mod settings;
pub mod sso;
pub mod submission;

pub use draft::{Draft, DraftId, DraftQuery, DraftSort, DraftStatus};
pub(crate) use history::Change;
pub use history::{Event, HistoryEntry, Source};
pub use jira_account::{JiraAccount, WatchAs};
pub use jira_screen::{
    DeskAbilities, DeskListing, FieldMeta, IssueTypeMeta, JiraChoice, JiraScreen,
};
pub use meeting::{MeetingRecord, MeetingState};
pub use screenshot::{Attachment, CleanImage, Screenshot};
pub use settings::{Deployment, DeskChoice, JiraMode, Settings};
pub use sso::{FetchedMetadata, Finding, Severity};
pub(crate) use submission::Progress;
pub use submission::{
    Reply, StatusCategory, StatusSync, Submission, SubmissionState, TicketComment, TicketRound,
    TicketState, TrackedTicket,
};
