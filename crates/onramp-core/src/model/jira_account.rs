//! The CSM's Jira account as found when Settings were last saved (or tested): whom each ticket
//! is watched by, known without searching Jira's users on every send.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraAccount {
    /// The CSM email it was looked up for.
    pub email: String,
    /// The token's own account (account ID on Cloud, username on Data Center): what it writes
    /// in Jira, replies included, is the CSM's. Absent in settings saved before it was kept.
    #[serde(default)]
    pub token_owner: Option<String>,
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

    /// Whether the account `id` (account ID or username) is the CSM's: the token's own, or the
    /// one found for their email.
    pub fn is_csm(&self, id: &str) -> bool {
        self.token_owner.as_deref() == Some(id)
            || matches!(&self.watch, WatchAs::Account(mine) if mine == id)
    }
}
