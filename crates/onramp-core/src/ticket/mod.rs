//! The Jira ticket a finished draft becomes: the procedure's summary, and a description the
//! playbook's Markdown template writes, rendered to ADF (Jira Cloud), wiki markup (Server and
//! Data Center) and plain text from one parse, so all three say the same thing.
//!
//! Template values are escaped for Markdown as they are inserted (tera's autoescape with our
//! escape function), so whatever a CSM typed — `*ACME* {{x}} <b> [link](x)` — arrives verbatim.

mod adf;
mod text;
mod wiki;

use serde::Serialize;
use tera::{Context, Tera};
use ts_rs::TS;

pub use adf::{AdfDoc, AdfMark, AdfNode, DocType, HeadingAttrs, LinkAttrs};

use crate::answers::AnswerValue;
use crate::bundle::BundledScreenshot;
use crate::drafts::Draft;
use crate::playbook::{Kind, KindSettings, Organisation, Provider};
use crate::wizard::{Step, StepId};

/// The description template, relative to the playbook folder.
pub const DESCRIPTION_TEMPLATE: &str = "templates/description.md";
/// The support-channel message, plain text: not escaped, since it is pasted, not parsed.
pub const SLACK_TEMPLATE: &str = "templates/slack.txt";

/// What Jira receives, and what the Review step previews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub summary: String,
    pub description: AdfDoc,
}

impl Ticket {
    /// The description for Jira Server / Data Center.
    pub fn wiki(&self) -> String {
        wiki::render(&self.description)
    }

    pub fn text(&self) -> String {
        text::render(&self.description)
    }
}

/// One answered field (or one check) as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Line {
    label: String,
    value: String,
}

impl Line {
    pub(crate) fn new(label: &str, value: &str) -> Self {
        Self {
            label: label.to_owned(),
            value: value.to_owned(),
        }
    }
}

/// Everything a description template may use (documented at the top of the bundled one).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct TicketContext {
    greeting: String,
    summary: String,
    kind: String,
    provider: String,
    company: String,
    draft_id: String,
    credentials_notice: String,
    credentials: Vec<String>,
    account: Vec<Line>,
    contract: Vec<Line>,
    details: Vec<Line>,
    csm: Vec<Line>,
    client: Vec<Line>,
    screenshots: Vec<Line>,
    meeting: Vec<Line>,
    /// What Onramp found checking the identity provider's settings (SSO).
    checks: Vec<Line>,
    support_channel: String,
    /// Set once the ticket exists.
    ticket_key: Option<String>,
    ticket_url: Option<String>,
}

/// The parts of a draft a ticket is made of.
#[derive(Debug)]
pub(crate) struct Sources<'a> {
    pub organisation: &'a Organisation,
    pub settings: &'a KindSettings,
    pub provider: &'a Provider,
    pub draft: &'a Draft,
    pub steps: &'a [Step],
    /// Fields whose `when` does not hold: their answers are not the customer's situation.
    pub hidden: &'a [String],
    /// Which slot holds which file (names only).
    pub screenshots: &'a [BundledScreenshot],
}

pub(crate) fn context(sources: &Sources<'_>) -> TicketContext {
    let Sources {
        organisation,
        settings,
        provider,
        draft,
        steps,
        hidden,
        screenshots,
    } = sources;
    let company = draft.company().unwrap_or_default();
    let fill = |format: &str| {
        format
            .replace("{provider}", &provider.name)
            .replace("{company}", &company)
    };
    let answered = |id: StepId| -> Vec<Line> {
        steps
            .iter()
            .filter(|s| s.id == id)
            .flat_map(|s| &s.fields)
            .filter(|f| !hidden.contains(&f.id))
            .filter_map(|f| {
                let value = draft.answers.get(&f.id)?;
                let text = match value {
                    AnswerValue::Text(t) if t.trim().is_empty() => return None,
                    AnswerValue::List(l) if l.is_empty() => return None,
                    // A trailing line break would end the Markdown paragraph in a stray `\`.
                    other => other.to_string().trim_end().to_owned(),
                };
                Some(Line {
                    label: f.label.clone(),
                    value: text,
                })
            })
            .collect()
    };
    let shots = steps
        .iter()
        .filter(|s| s.id == StepId::Screenshots)
        .flat_map(|s| &s.fields)
        .filter_map(|f| {
            let shot = screenshots.iter().find(|s| s.slot_id == f.id)?;
            Some(Line {
                label: f.label.clone(),
                value: shot.file_name.clone(),
            })
        })
        .collect();
    TicketContext {
        greeting: fill(&settings.greeting),
        summary: fill(&settings.title),
        kind: draft.kind.label().to_owned(),
        provider: provider.name.clone(),
        company: company.clone(),
        draft_id: draft.id.to_string(),
        credentials_notice: organisation.credentials_notice.clone(),
        credentials: provider.credentials.clone(),
        account: answered(StepId::Account),
        contract: answered(StepId::Contract),
        details: answered(StepId::Details),
        csm: answered(StepId::Csm),
        client: answered(StepId::Client),
        screenshots: shots,
        meeting: answered(StepId::Meeting),
        checks: Vec::new(),
        support_channel: organisation.support_channel.clone(),
        ticket_key: None,
        ticket_url: None,
    }
}

impl TicketContext {
    /// The findings of the SSO checks, for the Checks section.
    pub(crate) fn with_checks(mut self, checks: Vec<Line>) -> Self {
        self.checks = checks;
        self
    }

    /// The ticket's key and link, for messages written after it exists.
    pub(crate) fn with_ticket(mut self, key: String, url: String) -> Self {
        self.ticket_key = Some(key);
        self.ticket_url = Some(url);
        self
    }
}

/// The support-channel message.
pub(crate) fn render_slack(templates: &Tera, context: &TicketContext) -> Result<String, String> {
    let ctx = Context::from_serialize(context).map_err(|e| e.to_string())?;
    let text = templates
        .render(SLACK_TEMPLATE, &ctx)
        .map_err(|e| error_chain(&e))?;
    Ok(text.trim().to_owned())
}

/// Renders the ticket; the error is tera's, for the playbook check to place.
pub(crate) fn render(templates: &Tera, context: &TicketContext) -> Result<Ticket, String> {
    let ctx = Context::from_serialize(context).map_err(|e| e.to_string())?;
    let markdown = templates
        .render(DESCRIPTION_TEMPLATE, &ctx)
        .map_err(|e| error_chain(&e))?;
    Ok(Ticket {
        summary: context.summary.clone(),
        description: adf::from_markdown(&markdown),
    })
}

/// A context with a sample in every list, to try a template out when the playbook loads.
pub(crate) fn sample_context(kind: Kind) -> TicketContext {
    let line = || {
        vec![Line {
            label: "Label".into(),
            value: "Value".into(),
        }]
    };
    TicketContext {
        greeting: "Hello".into(),
        summary: "Summary".into(),
        kind: kind.label().into(),
        provider: "Provider".into(),
        company: "Company".into(),
        draft_id: "00000000-0000-4000-8000-000000000000".into(),
        credentials_notice: "Notice".into(),
        credentials: vec!["Secret".into()],
        account: line(),
        contract: line(),
        details: line(),
        csm: line(),
        client: line(),
        screenshots: line(),
        meeting: line(),
        checks: line(),
        support_channel: "#support".into(),
        ticket_key: Some("KEY-1".into()),
        ticket_url: Some("https://jira.example/browse/KEY-1".into()),
    }
}

/// Makes `value` literal in Markdown: every ASCII punctuation character is backslash-escaped
/// (`CommonMark` allows that for all of them), and a line break becomes a hard break so it cannot
/// start a heading, a list or a table row.
pub(crate) fn escape_markdown(value: &str) -> String {
    escape_with(value, |c| c.is_ascii_punctuation(), "\\\n")
}

/// `text` with a backslash before each `special` character, `newline` for each line break, and
/// carriage returns dropped: how both Markdown and wiki markup make text literal.
fn escape_with(text: &str, special: impl Fn(char) -> bool, newline: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        if special(c) {
            out.push('\\');
            out.push(c);
        } else if c == '\n' {
            out.push_str(newline);
        } else if c != '\r' {
            out.push(c);
        }
    }
    out
}

/// tera's error with its causes, on one line each.
pub(crate) fn error_chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join("\n")
}
