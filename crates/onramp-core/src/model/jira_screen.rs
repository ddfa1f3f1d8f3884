//! A project's create screen as Jira's createmeta describes it, kept with the time it was read:
//! so the window knows, offline, which Jira fields a draft must fill.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An issue type the project offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueTypeMeta {
    pub id: String,
    pub name: String,
}

/// A field of the create screen (`FieldCreateMetadata`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldMeta {
    pub field_id: String,
    pub name: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub has_default_value: bool,
    /// `JsonTypeBean`: `type`, `items`, `system`, `custom`.
    #[serde(default)]
    pub schema: Value,
    #[serde(default)]
    pub allowed_values: Vec<Value>,
}

/// The create screen of the issue type Settings name, in the project Settings name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraScreen {
    pub project: String,
    pub issue_type: IssueTypeMeta,
    pub fields: Vec<FieldMeta>,
    /// Bytes per file; `None` when attachments are switched off.
    pub upload_limit: Option<u64>,
    pub checked_at: Timestamp,
}
