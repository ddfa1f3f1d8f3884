//! What the SSO checks found and kept: findings, and what a metadata URL answered.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// SSO will not work as sent.
    Problem,
    /// It works now, but not for long or not as the CSM thinks.
    Warning,
    /// Worth knowing.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub severity: Severity,
    /// What was found, in one sentence.
    pub message: String,
    /// What to ask the customer.
    pub ask: String,
}

/// What fetching a draft's metadata URL gave, when it was last fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMetadata {
    pub url: String,
    pub body: Option<Vec<u8>>,
    pub error: Option<String>,
    pub at: Timestamp,
}
