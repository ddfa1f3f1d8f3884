//! The CSM's Jira account as found when Settings were last saved (or tested): whom each ticket
//! is watched by, known without searching Jira's users on every send.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraAccount {
    /// The CSM email it was looked up for.
    pub email: String,
    pub watch: WatchAs,
    /// Said in Settings: whom tickets will be watched by.
    pub sentence: String,
}

/// How the CSM watches a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchAs {
    /// The token's own account: the watcher call that needs no permission.
    TokenOwner,
    /// Another account, by the ID watchers take (account ID on Cloud, username on Data Center).
    Account(String),
    /// Jira found none for the email (or may not show it): the token's account watches.
    NotFound,
}

impl JiraAccount {
    /// Whether this was found for `email`.
    pub fn is_for(&self, email: &str) -> bool {
        self.email.eq_ignore_ascii_case(email.trim())
    }
}
