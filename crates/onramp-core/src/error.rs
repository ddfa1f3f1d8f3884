//! The core's one error type. Every adapter (window, CLI) maps it to its own boundary by `code()`.

use serde::Serialize;
use ts_rs::TS;

/// A stable, machine-readable reason the UI and scripts can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request names a draft, provider or field that does not exist.
    NotFound,
    /// The request itself is malformed (empty ID, value of the wrong shape…).
    InvalidInput,
    /// The playbook files are broken; the message names file, line and field.
    Playbook,
    /// The database was written by a newer Onramp and must not be touched.
    DatabaseTooNew,
    /// Reading or writing local storage failed.
    Storage,
    /// Jira refused or could not be reached; the message says what to do.
    Jira,
    /// Slack refused the message or could not be reached.
    Slack,
    /// An update from the team's feed was refused or could not be installed.
    Update,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} `{id}` does not exist")]
    NotFound { what: &'static str, id: String },
    #[error("provider `{id}` does not exist{}", did_you_mean(close))]
    UnknownProvider { id: String, close: Vec<String> },
    #[error("{0}")]
    InvalidInput(String),
    /// Like `InvalidInput`, about one field of a form, so the window can show it there.
    #[error("{message}")]
    InvalidField { field: String, message: String },
    #[error("{0}")]
    Playbook(crate::playbook::PlaybookErrors),
    #[error(
        "this database was written by a newer version of Onramp (schema {found}, this version knows {known}); update Onramp to open it"
    )]
    DatabaseTooNew { found: usize, known: usize },
    #[error("local storage failed: {0}")]
    Storage(String),
    #[error("{0}")]
    Jira(String),
    #[error("{0}")]
    Slack(String),
    #[error("{0}")]
    Update(#[from] crate::updates::Refusal),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } | Self::UnknownProvider { .. } => ErrorCode::NotFound,
            Self::InvalidInput(_) | Self::InvalidField { .. } => ErrorCode::InvalidInput,
            Self::Playbook(_) => ErrorCode::Playbook,
            Self::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Self::Storage(_) => ErrorCode::Storage,
            Self::Jira(_) => ErrorCode::Jira,
            Self::Slack(_) => ErrorCode::Slack,
            Self::Update(_) => ErrorCode::Update,
        }
    }
}

impl From<crate::playbook::PlaybookErrors> for Error {
    fn from(e: crate::playbook::PlaybookErrors) -> Self {
        Self::Playbook(e)
    }
}

impl From<crate::playbook::UnknownProvider> for Error {
    fn from(e: crate::playbook::UnknownProvider) -> Self {
        Self::UnknownProvider {
            id: e.id,
            close: e.close,
        }
    }
}

/// ", did you mean okta?" for the providers like what was typed; nothing without any.
fn did_you_mean(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", close.join(" or "))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Self::Storage(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Self::Storage(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
