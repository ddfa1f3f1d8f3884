//! The wizard's steps and the fields each one asks, as data the UI renders generically.

use serde::Serialize;
use ts_rs::TS;

use crate::playbook::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    ShortText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// Stable ID answers are stored under.
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub id: String,
    pub title: String,
    pub fields: Vec<Field>,
}

/// The answer that names the customer; the drafts home lists drafts by it.
pub const COMPANY_FIELD: &str = "company";

fn text_field(id: &str, label: &str, help: &str) -> Field {
    Field {
        id: id.to_owned(),
        label: label.to_owned(),
        kind: FieldKind::ShortText,
        required: true,
        help: Some(help.to_owned()),
    }
}

/// The steps of a request for `provider`, in the procedure's order.
pub fn steps(_provider: &Provider) -> Vec<Step> {
    vec![Step {
        id: "account".to_owned(),
        title: "Account & contacts".to_owned(),
        fields: vec![
            text_field(
                COMPANY_FIELD,
                "Company name",
                "As it should appear in the ticket title.",
            ),
            text_field(
                "lms_account_id",
                "LMS account ID",
                "The customer's account ID in the LMS admin.",
            ),
        ],
    }]
}

/// Whether `field_id` is asked anywhere in `steps`.
pub fn asks(steps: &[Step], field_id: &str) -> bool {
    steps
        .iter()
        .flat_map(|s| &s.fields)
        .any(|f| f.id == field_id)
}
