//! A project's create screen as Jira's createmeta describes it, kept with the time it was read:
//! so the window knows, offline, which Jira fields a draft must fill.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::playbook::JiraMapping;

/// Fields Onramp itself fills on every ticket.
pub const FILLED_BY_ONRAMP: [&str; 5] =
    ["project", "issuetype", "summary", "description", "labels"];

/// An issue type the project offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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

/// The create screen of the issue type Settings name, in the project Settings name — or, in
/// service-desk mode, the fields of the request type on the service desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraScreen {
    /// The project's key, or the service desk's name.
    pub project: String,
    /// The issue type, or the request type.
    pub issue_type: IssueTypeMeta,
    /// Every issue type the project offers, for Settings to choose from.
    #[serde(default)]
    pub issue_types: Vec<IssueTypeMeta>,
    pub fields: Vec<FieldMeta>,
    /// Bytes per file; `None` when attachments are switched off.
    pub upload_limit: Option<u64>,
    pub checked_at: Timestamp,
    /// Set for a service desk's request type: what the account may do when raising one.
    #[serde(default)]
    pub desk: Option<DeskAbilities>,
}

/// A service desk the account can see, with its request types: what Settings choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskListing {
    pub id: String,
    pub name: String,
    pub project_key: String,
    pub request_types: Vec<IssueTypeMeta>,
}

/// What the account may do on a service desk (from the request type's field list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeskAbilities {
    pub can_raise_on_behalf_of: bool,
    pub can_add_participants: bool,
}

/// How an allowed value is shown: options have `value`, components and priorities `name`.
pub fn allowed_label(allowed: &Value) -> Option<&str> {
    allowed["value"]
        .as_str()
        .or_else(|| allowed["name"].as_str())
}

/// A Jira field Review asks the CSM to choose, with its choices and the draft's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JiraChoice {
    pub field_id: String,
    /// As Jira names it: "Customer".
    pub name: String,
    pub choices: Vec<String>,
    pub chosen: Option<String>,
}

impl JiraScreen {
    /// Required fields without a default that neither Onramp nor `mappings` fill.
    pub fn unfilled<'a>(
        &'a self,
        mappings: &'a [&'a JiraMapping],
    ) -> impl Iterator<Item = &'a FieldMeta> + 'a {
        self.fields.iter().filter(move |field| {
            field.required
                && !field.has_default_value
                && !FILLED_BY_ONRAMP.contains(&field.field_id.as_str())
                && !mappings
                    .iter()
                    .any(|m| m.fills(&field.field_id, &field.name))
        })
    }

    /// The unfilled fields that are choices: what the CSM picks on Review, with `chosen`'s
    /// picks (by field ID).
    pub fn choices_asked(
        &self,
        mappings: &[&JiraMapping],
        chosen: &BTreeMap<String, String>,
    ) -> Vec<JiraChoice> {
        self.unfilled(mappings)
            .filter(|f| !f.allowed_values.is_empty())
            .map(|f| JiraChoice {
                field_id: f.field_id.clone(),
                name: f.name.clone(),
                choices: f
                    .allowed_values
                    .iter()
                    .filter_map(allowed_label)
                    .map(str::to_owned)
                    .collect(),
                chosen: chosen.get(&f.field_id).cloned(),
            })
            .collect()
    }
}
