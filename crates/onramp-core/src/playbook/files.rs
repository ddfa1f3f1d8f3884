//! The playbook's file formats, exactly as the operations team writes them.
//!
//! Every struct refuses unknown keys, so a typo is an error rather than a silently ignored line.
//! Values that later checks must point at are `Spanned`.

use serde::Deserialize;
use toml::Spanned;

use super::model::{ConditionValue, FieldKind, Kind, Protocol, TextFormat};

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookFile {
    pub organisation: OrganisationFile,
    pub meeting: MeetingFile,
    #[serde(default)]
    pub jira: JiraFile,
    #[serde(default)]
    pub best_practices: Vec<String>,
    pub sso: KindFile,
    pub hris: KindFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationFile {
    pub name: String,
    pub support_channel: String,
    pub presentations_folder: Spanned<String>,
    pub one_pager: Option<Spanned<String>>,
    pub credentials_notice: String,
    pub update_feed: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingFile {
    pub type_name: String,
    pub minutes: Spanned<u32>,
}

/// How tickets are sent; every key may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JiraFile {
    pub search_grace_seconds: Option<Spanned<u64>>,
    #[serde(default)]
    pub fields: Vec<Spanned<JiraFieldFile>>,
    pub service_desk: Option<ServiceDeskFile>,
}

/// How requests are raised when Settings send them to a service desk.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDeskFile {
    pub raise_on_behalf_of: Option<Spanned<String>>,
    #[serde(default)]
    pub participants: Vec<Spanned<String>>,
    #[serde(default)]
    pub public_attachments: bool,
}

/// A provider's own Jira field values, replacing the organisation's for the same field.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderJiraFile {
    #[serde(default)]
    pub fields: Vec<Spanned<JiraFieldFile>>,
}

/// `[[jira.fields]]`: a Jira field and where its value comes from — exactly one of `value`,
/// `answer` and `template`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JiraFieldFile {
    pub field: Spanned<String>,
    pub value: Option<String>,
    pub answer: Option<Spanned<String>>,
    pub template: Option<Spanned<String>>,
}

// The question lists repeat in `ProviderFile`: `#[serde(flatten)]` would share them, but serde
// cannot combine it with `deny_unknown_fields`, and unknown keys must be reported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindFile {
    pub title: Spanned<String>,
    pub greeting: Spanned<String>,
    #[serde(default)]
    pub contract_checks: Vec<String>,
    #[serde(default)]
    pub details: Vec<FieldFile>,
    #[serde(default)]
    pub csm_questions: Vec<FieldFile>,
    #[serde(default)]
    pub client_questions: Vec<FieldFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderFile {
    pub kind: Spanned<Kind>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub protocols: Option<Spanned<Vec<Protocol>>>,
    pub presentation: Option<Spanned<String>>,
    #[serde(default)]
    pub idp_hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub credentials: Vec<String>,
    #[serde(default)]
    pub contract_checks: Vec<String>,
    #[serde(default)]
    pub jira: ProviderJiraFile,
    #[serde(default)]
    pub details: Vec<FieldFile>,
    #[serde(default)]
    pub csm_questions: Vec<FieldFile>,
    #[serde(default)]
    pub client_questions: Vec<FieldFile>,
    #[serde(default)]
    pub screenshots: Vec<ScreenshotFile>,
    pub also_offers_sso: Option<Spanned<SsoReferenceFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFile {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: Spanned<FieldKind>,
    #[serde(default = "yes")]
    pub required: bool,
    pub help: Option<String>,
    pub placeholder: Option<String>,
    pub options: Option<Spanned<Vec<String>>>,
    pub when: Option<Spanned<WhenFile>>,
    pub https: Option<Spanned<bool>>,
    pub format: Option<Spanned<TextFormat>>,
    pub pattern: Option<Spanned<String>>,
    pub pattern_hint: Option<String>,
    pub max_length: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhenFile {
    pub field: Spanned<String>,
    pub equals: Spanned<ConditionValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenshotFile {
    pub id: Spanned<String>,
    pub label: String,
    pub hint: String,
    #[serde(default = "yes")]
    pub required: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoReferenceFile {
    pub provider: Spanned<String>,
    pub note: String,
}
