//! What the fake remembers: issues with their labels, properties, attachments and watchers.

use std::time::{Duration, Instant};

use crate::Flavor;
use crate::faults::Fault;

#[derive(Debug, Default)]
pub(crate) struct State {
    pub issues: Vec<Issue>,
    pub faults: Vec<Fault>,
    pub index_delay: Duration,
    pub next_attachment: u64,
    /// What was posted to the Slack webhook.
    pub slack: Vec<serde_json::Value>,
    /// When each issue was last written, for the per-issue write limit.
    pub writes: std::collections::HashMap<String, Vec<Instant>>,
    pub write_refusals: usize,
    /// Files uploaded to a service desk and not attached to a request yet, by temporary ID.
    pub temporary: std::collections::HashMap<String, Temporary>,
    /// Issues made so far, deleted ones included: keys are never given twice.
    pub made: usize,
    /// Every request that reached the site, as `METHOD /path`, oldest first.
    pub calls: Vec<String>,
}

/// A service desk's temporary file (`attachTemporaryFile`).
#[derive(Debug, Clone)]
pub(crate) struct Temporary {
    pub desk: String,
    pub filename: String,
    pub mime_type: String,
    pub size: usize,
    pub expires: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Cloud's identity for a user.
    pub account_id: String,
    /// Data Center's: the username (here the email's local part).
    pub name: String,
    pub display_name: String,
    pub email_address: String,
}

impl User {
    pub fn new(account_id: &str, display_name: &str, email: &str) -> Self {
        Self {
            account_id: account_id.into(),
            name: email.split('@').next().unwrap_or(email).into(),
            display_name: display_name.into(),
            email_address: email.into(),
        }
    }

    /// How `flavor` names the user in watchers.
    pub fn id(&self, flavor: Flavor) -> &str {
        match flavor {
            Flavor::Cloud => &self.account_id,
            Flavor::DataCenter => &self.name,
        }
    }

    /// The user as `flavor` answers `myself` and user searches.
    pub(crate) fn json(&self, flavor: Flavor) -> serde_json::Value {
        match flavor {
            Flavor::Cloud => serde_json::json!({
                "accountId": self.account_id,
                "displayName": self.display_name,
                "emailAddress": self.email_address,
                "active": true,
                "timeZone": "UTC",
            }),
            Flavor::DataCenter => serde_json::json!({
                "name": self.name,
                "key": format!("JIRAUSER{}", &self.account_id[self.account_id.len() - 5..]),
                "displayName": self.display_name,
                "emailAddress": self.email_address,
                "active": true,
                "timeZone": "UTC",
            }),
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
    /// The project's own fields as the create request set them (`customfield_10050`, …).
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub properties: serde_json::Map<String, serde_json::Value>,
    pub attachments: Vec<Attachment>,
    /// Account IDs (Cloud) or usernames (Data Center).
    pub watchers: Vec<String>,
    pub status: String,
    /// Keys the issue had before it was moved to another project: Jira still finds it by them.
    pub former_keys: Vec<String>,
    /// Set when the issue moved to a status of the done category (`workflow`).
    pub resolution: Option<String>,
    /// When the issue last changed (status, resolution, comments).
    pub updated: jiff::Timestamp,
    /// For a customer request of a service desk: which, and whose.
    pub request: Option<RequestInfo>,
    /// Comments on a request, public or internal.
    pub comments: Vec<Comment>,
    pub(crate) created: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInfo {
    pub service_desk_id: String,
    pub request_type_id: String,
    /// Whose request it is: `raiseOnBehalfOf`, or the caller.
    pub reporter: String,
    pub participants: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub body: String,
    /// Seen by the customer; otherwise internal, for agents only.
    pub public: bool,
    pub author: String,
    pub created: jiff::Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: u64,
    pub filename: String,
    pub mime_type: String,
    pub size: usize,
    /// For a request's attachment: whether the customer sees it.
    pub public: Option<bool>,
}

/// What a new issue is made of; the rest (ID, key, status, time) the state gives it.
pub(crate) struct NewIssue {
    pub summary: String,
    pub description: serde_json::Value,
    pub labels: Vec<String>,
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub properties: serde_json::Map<String, serde_json::Value>,
    pub created: Instant,
}

impl Issue {
    /// Adds a comment by `author` (an account ID or username); the comment as added.
    pub(crate) fn comment(&mut self, author: &str, body: &str, public: bool) -> Comment {
        let comment = Comment {
            id: format!("{}", 30_000 + self.comments.len()),
            body: body.to_owned(),
            public,
            author: author.to_owned(),
            created: jiff::Timestamp::now(),
        };
        self.comments.push(comment.clone());
        self.updated = comment.created;
        comment
    }

    /// Whether `key` names this issue, now or before it was moved.
    pub fn known_as(&self, key: &str) -> bool {
        self.key == key || self.former_keys.iter().any(|k| k == key)
    }

    /// Moves the issue to `status` with `resolution`, as a workflow transition does.
    pub(crate) fn transition(&mut self, status: &str, resolution: Option<&str>) {
        status.clone_into(&mut self.status);
        self.resolution = resolution.map(str::to_owned);
        self.updated = jiff::Timestamp::now();
    }
}

impl State {
    /// Adds an issue of `project`, numbered after the last, "To Do".
    pub fn add_issue(&mut self, project: &str, new: NewIssue) -> Issue {
        let n = self.made;
        self.made += 1;
        let issue = Issue {
            id: 10_000 + n as u64,
            key: format!("{project}-{}", n + 1),
            summary: new.summary,
            description: new.description,
            labels: new.labels,
            fields: new.fields,
            properties: new.properties,
            attachments: Vec::new(),
            watchers: Vec::new(),
            status: "To Do".into(),
            former_keys: Vec::new(),
            resolution: None,
            updated: jiff::Timestamp::now(),
            request: None,
            comments: Vec::new(),
            created: new.created,
        };
        self.issues.push(issue.clone());
        issue
    }

    pub fn issue_mut(&mut self, key: &str) -> Option<&mut Issue> {
        self.issues
            .iter_mut()
            .find(|i| i.known_as(key) || i.id.to_string() == key)
    }

    /// Issues search can see: created longer ago than the index delay.
    pub fn indexed(&self) -> impl Iterator<Item = &Issue> {
        let delay = self.index_delay;
        self.issues
            .iter()
            .filter(move |i| i.created.elapsed() >= delay)
    }
}
