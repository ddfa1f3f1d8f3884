//! The playbook as the rest of Onramp sees it: checked, complete, ready to render.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the customer asked for: single sign-on, or an HR system feeding employees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Sso,
    Hris,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Sso, Kind::Hris];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Sso => "sso",
            Kind::Hris => "hris",
        }
    }

    /// How the procedure writes it in ticket titles: "SSO", "HRIS".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Sso => "SSO",
            Kind::Hris => "HRIS",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How an SSO provider talks to the LMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Saml,
    Oidc,
}

/// How a field is rendered and what shape its answer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    ShortText,
    LongText,
    Email,
    Url,
    Number,
    Date,
    DateTime,
    Select,
    MultiSelect,
    YesNo,
    Checklist,
    Screenshot,
    /// An IANA time zone name such as `America/New_York`; `options` lists the known ones.
    TimeZone,
}

impl FieldKind {
    pub fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::MultiSelect | Self::Checklist)
    }

    pub fn is_text(self) -> bool {
        matches!(self, Self::ShortText | Self::LongText)
    }
}

/// Extra shape rules for short text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    /// A DNS domain name such as `acme.com`.
    Domain,
    /// A GUID such as an Entra tenant or client ID.
    Guid,
    /// People to invite, one per line: `name@example.com` or `Jane Doe <name@example.com>`.
    People,
}

/// The value a condition compares with: yes/no, or one option of a select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum ConditionValue {
    Bool(bool),
    Text(String),
}

/// A field is asked only while another answer has a given value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    pub field: String,
    pub equals: ConditionValue,
}

/// How an answer is checked beyond its kind.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// URL fields: only `https://` links.
    pub https: bool,
    pub format: Option<TextFormat>,
    #[serde(serialize_with = "serialize_pattern")]
    #[ts(type = "string | null")]
    pub pattern: Option<regex::Regex>,
    /// Shown when the pattern does not match, e.g. "six digits".
    pub pattern_hint: Option<String>,
    pub max_length: Option<u32>,
}

#[allow(clippy::ref_option)] // serde's `serialize_with` hands over the field by reference
fn serialize_pattern<S: serde::Serializer>(
    p: &Option<regex::Regex>,
    s: S,
) -> Result<S::Ok, S::Error> {
    p.as_ref().map(regex::Regex::as_str).serialize(s)
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// Stable ID answers are stored under; never reuse one for a different question.
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub help: Option<String>,
    pub placeholder: Option<String>,
    /// Choices for select, multi-select and checklist fields.
    pub options: Vec<String>,
    pub when: Option<Condition>,
    pub rules: Rules,
}

impl Field {
    /// A required field with no help, options, condition or rules.
    pub fn new(id: &str, label: &str, kind: FieldKind) -> Self {
        Self {
            id: id.to_owned(),
            label: label.to_owned(),
            kind,
            required: true,
            help: None,
            placeholder: None,
            options: Vec::new(),
            when: None,
            rules: Rules::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScreenshotSlot {
    pub id: String,
    pub label: String,
    /// What the screenshot must show.
    pub hint: String,
    pub required: bool,
}

/// "This HRIS also offers SSO": the SSO provider to suggest, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SsoReference {
    pub provider: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// Stable ID: the file's name without `.toml`. Drafts refer to providers by it.
    pub id: String,
    pub kind: Kind,
    pub name: String,
    /// Other names a CSM may search by.
    pub aliases: Vec<String>,
    pub protocols: Vec<Protocol>,
    pub presentation: Option<String>,
    /// Hosts this identity provider's metadata points at (e.g. `okta.com`, with subdomains), to
    /// recognise another IdP's metadata sent for this one.
    pub idp_hosts: Vec<String>,
    /// Shown to the CSM while filling in the request.
    pub notes: Vec<String>,
    /// Secrets the customer sends to Support directly; never asked for in Onramp.
    pub credentials: Vec<String>,
    pub contract_checks: Vec<String>,
    /// Jira field values for this provider's tickets, replacing the organisation's.
    pub jira_fields: Vec<JiraMapping>,
    pub details: Vec<Field>,
    pub csm_questions: Vec<Field>,
    pub client_questions: Vec<Field>,
    pub screenshots: Vec<ScreenshotSlot>,
    pub also_offers_sso: Option<SsoReference>,
}

/// What "New request" lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSummary {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub aliases: Vec<String>,
}

impl From<&Provider> for ProviderSummary {
    fn from(p: &Provider) -> Self {
        Self {
            id: p.id.clone(),
            kind: p.kind,
            name: p.name.clone(),
            aliases: p.aliases.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub name: String,
    pub support_channel: String,
    pub presentations_folder: String,
    /// File name, inside the playbook folder, of the One-Pager for upsell deals.
    pub one_pager: Option<String>,
    /// Introduces the list of credentials the customer sends to Support directly.
    pub credentials_notice: String,
    /// The team's update feed: a Tauri updater JSON file the team hosts.
    pub update_feed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeetingSettings {
    pub type_name: String,
    pub minutes: u32,
}

/// How tickets are sent to this organisation's Jira.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JiraPlaybook {
    /// After a create request got no answer, how long to keep searching for the ticket before
    /// creating it again: as long as the site's search index may lag behind a new issue.
    pub search_grace: std::time::Duration,
    /// Values for the project's own fields (a "Customer" select, Components…).
    pub fields: Vec<JiraMapping>,
    pub service_desk: DeskPlaybook,
}

impl Default for JiraPlaybook {
    fn default() -> Self {
        Self {
            search_grace: std::time::Duration::from_mins(2),
            fields: Vec::new(),
            service_desk: DeskPlaybook::default(),
        }
    }
}

/// How requests are raised on a service desk (`[jira.service_desk]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskPlaybook {
    /// Whose request it is, by email: Support's intake account, say. Without it, the CSM's.
    pub raise_on_behalf_of: Option<String>,
    /// Who else follows the request, by email.
    pub participants: Vec<String>,
    /// Whether the customer sees the screenshots on the portal.
    pub public_attachments: bool,
    /// Where the playbook says so (`playbook.toml:42`), for messages about it.
    pub origin: String,
}

/// A Jira field the playbook fills, and from what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JiraMapping {
    /// The field by ID (`customfield_10050`, `components`) or by its name in Jira (`Customer`).
    pub field: String,
    pub source: MappingSource,
    /// Where the playbook says so (`playbook.toml:42`), for messages about it.
    pub origin: String,
}

impl JiraMapping {
    /// Whether this fills the Jira field with this ID and name.
    pub fn fills(&self, id: &str, name: &str) -> bool {
        self.field == id || self.field.eq_ignore_ascii_case(name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "from", content = "text")]
pub enum MappingSource {
    /// The same text on every ticket.
    Value(String),
    /// The draft's answer to the field with this ID.
    Answer(String),
    /// Text with `{field_id}` placeholders for answers, and `{provider}`, `{kind}`.
    Template(String),
}

/// Per-kind settings: ticket wording and the questions every provider of the kind asks.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KindSettings {
    /// With `{provider}` and `{company}` placeholders.
    pub title: String,
    pub greeting: String,
    pub contract_checks: Vec<String>,
    /// Customer details asked before the provider's own.
    pub details: Vec<Field>,
    pub csm_questions: Vec<Field>,
    pub client_questions: Vec<Field>,
}
