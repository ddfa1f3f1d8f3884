//! Jira: a thin client for the calls Onramp makes, and the submission that creates each ticket
//! exactly once whatever fails on the way (see `submit`).

mod client;
pub mod submit;

use std::time::Duration;

pub use client::{Client, IssueRef, RemoteAttachment, User};

/// Where and as whom tickets are created. The token is held in memory only: it comes from the
/// OS keyring or the environment, never from the database.
#[derive(Clone)]
pub struct JiraSettings {
    /// `https://acme.atlassian.net`; plain http only for loopback (tests, the demo).
    pub site: url::Url,
    pub email: String,
    pub token: String,
    pub project: String,
    pub issue_type: String,
    /// Added to every ticket, besides the draft's own label.
    pub labels: Vec<String>,
}

impl std::fmt::Debug for JiraSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JiraSettings")
            .field("site", &self.site.as_str())
            .field("email", &self.email)
            .field("token", &"(hidden)")
            .field("project", &self.project)
            .field("issue_type", &self.issue_type)
            .finish_non_exhaustive()
    }
}

/// Why a call did not succeed, sorted by what may be done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Retrying cannot fix it; the message says what to fix.
    Definite(String),
    /// Jira asked us to wait this long.
    RateLimited(Duration),
    /// The request may have been applied or not (timeout, dropped connection, server error):
    /// look before doing it again.
    Ambiguous(String),
    /// Nothing reached Jira (no network, refused connection): safe to retry.
    Unreachable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Definite(m) | Self::Ambiguous(m) | Self::Unreachable(m) => f.write_str(m),
            Self::RateLimited(wait) => write!(
                f,
                "Jira is limiting requests; trying again in {} s",
                wait.as_secs().max(1)
            ),
        }
    }
}
