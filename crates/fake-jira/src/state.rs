//! What the fake remembers: issues with their labels, properties, attachments and watchers.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::faults::Fault;

#[derive(Debug, Default)]
pub(crate) struct State {
    pub issues: Vec<Issue>,
    pub faults: Vec<Fault>,
    pub index_delay: Duration,
    pub next_attachment: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub account_id: String,
    pub display_name: String,
    pub email_address: String,
}

impl User {
    pub fn new(account_id: &str, display_name: &str, email: &str) -> Self {
        Self {
            account_id: account_id.into(),
            display_name: display_name.into(),
            email_address: email.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: u64,
    pub key: String,
    pub summary: String,
    pub description: serde_json::Value,
    pub labels: Vec<String>,
    pub properties: serde_json::Map<String, serde_json::Value>,
    pub attachments: Vec<Attachment>,
    /// Account IDs.
    pub watchers: Vec<String>,
    pub status: String,
    pub(crate) created: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: u64,
    pub filename: String,
    pub mime_type: String,
    pub size: usize,
}

impl State {
    pub fn issue_mut(&mut self, key: &str) -> Option<&mut Issue> {
        self.issues
            .iter_mut()
            .find(|i| i.key == key || i.id.to_string() == key)
    }

    /// Issues search can see: created longer ago than the index delay.
    pub fn indexed(&self) -> impl Iterator<Item = &Issue> {
        let delay = self.index_delay;
        self.issues
            .iter()
            .filter(move |i| i.created.elapsed() >= delay)
    }
}
