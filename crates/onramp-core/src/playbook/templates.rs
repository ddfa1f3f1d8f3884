//! The playbook's templates and what each may use: the ticket's description, the support-channel
//! message, the recap email and the meeting agenda. Rendering needs only these contexts (plain
//! values), so the playbook check can try every template with sample values when it loads.
//!
//! Values are escaped for Markdown as they are inserted into `.md` templates (tera's autoescape
//! with our escape function), so whatever a CSM typed — `*ACME* {{x}} <b> [link](x)` — arrives
//! verbatim in the ticket.

use serde::Serialize;
use tera::{Context, Tera};

use super::model::Kind;

/// The description template: Markdown with tera variables.
pub const DESCRIPTION: &str = "templates/description.md";
/// The support-channel message, plain text: not escaped, since it is pasted, not parsed.
pub const SLACK: &str = "templates/slack.txt";
/// The recap email; its first line is `Subject: …`.
pub const RECAP: &str = "templates/recap.txt";
/// The agenda a new draft's meeting starts with.
pub const AGENDA: &str = "templates/agenda.txt";

/// Every template the playbook must have, and what it is for.
pub(crate) const REQUIRED: [(&str, &str); 4] = [
    (
        DESCRIPTION,
        "the Jira description template (Markdown, with tera {{ variables }})",
    ),
    (
        SLACK,
        "the support-channel message template (plain text, with tera {{ variables }})",
    ),
    (
        RECAP,
        "the recap email template (plain text, first line \"Subject: …\", with tera {{ variables }})",
    ),
    (
        AGENDA,
        "the meeting agenda template (plain text, with tera {{ variables }})",
    ),
];

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

/// Everything the description and support-channel templates may use (documented at the top of
/// the bundled description).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct TicketContext {
    pub greeting: String,
    pub summary: String,
    pub kind: String,
    pub provider: String,
    pub company: String,
    pub draft_id: String,
    pub credentials_notice: String,
    pub credentials: Vec<String>,
    pub account: Vec<Line>,
    pub contract: Vec<Line>,
    pub details: Vec<Line>,
    pub csm: Vec<Line>,
    pub client: Vec<Line>,
    pub screenshots: Vec<Line>,
    pub meeting: Vec<Line>,
    /// What Onramp found checking the identity provider's settings (SSO).
    pub checks: Vec<Line>,
    pub support_channel: String,
    /// Set once the ticket exists.
    pub ticket_key: Option<String>,
    pub ticket_url: Option<String>,
}

impl TicketContext {
    /// The ticket's key and link, for messages written after it exists.
    pub(crate) fn with_ticket(mut self, key: String, url: String) -> Self {
        self.ticket_key = Some(key);
        self.ticket_url = Some(url);
        self
    }
}

/// Everything the recap template may use (listed at the top of the bundled one).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecapContext {
    #[serde(flatten)]
    pub ticket: TicketContext,
    pub organisation: String,
    pub poc_name: String,
    pub csm_name: String,
    pub meeting_when: String,
    pub agreed: String,
    pub missing: Vec<String>,
    pub best_practices: Vec<String>,
    pub one_pager: Option<String>,
}

/// Everything the agenda template may use.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AgendaContext {
    pub kind: String,
    pub provider: String,
    pub minutes: u32,
    pub type_name: String,
    pub presentation: String,
}

/// A fresh template set: `.md` templates escape every value for Markdown.
pub(crate) fn engine() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".md"]);
    tera.set_escape_fn(escape_markdown);
    tera
}

fn render(templates: &Tera, name: &str, context: &impl Serialize) -> Result<String, String> {
    let ctx = Context::from_serialize(context).map_err(|e| e.to_string())?;
    templates.render(name, &ctx).map_err(|e| error_chain(&e))
}

/// The ticket's description as Markdown; the error is tera's, for the playbook check to place.
pub(crate) fn description(templates: &Tera, context: &TicketContext) -> Result<String, String> {
    render(templates, DESCRIPTION, context)
}

/// The support-channel message.
pub(crate) fn slack(templates: &Tera, context: &TicketContext) -> Result<String, String> {
    Ok(render(templates, SLACK, context)?.trim().to_owned())
}

/// The recap's subject and body.
pub(crate) fn recap(templates: &Tera, context: &RecapContext) -> Result<(String, String), String> {
    let text = render(templates, RECAP, context)?;
    let text = text.trim_start();
    let (first, body) = text.split_once('\n').unwrap_or((text, ""));
    let subject = first
        .strip_prefix("Subject:")
        .ok_or("the first line must be the subject, written \"Subject: …\"")?;
    Ok((subject.trim().to_owned(), body.trim().to_owned() + "\n"))
}

pub(crate) fn agenda(templates: &Tera, context: &AgendaContext) -> Result<String, String> {
    Ok(render(templates, AGENDA, context)?.trim().to_owned())
}

/// Renders every template with sample values: the first that fails, and why.
pub(crate) fn try_all(templates: &Tera, kind: Kind) -> Result<(), (&'static str, String)> {
    let ticket = sample_ticket(kind);
    description(templates, &ticket).map_err(|e| (DESCRIPTION, e))?;
    slack(templates, &ticket).map_err(|e| (SLACK, e))?;
    recap(templates, &sample_recap(kind)).map_err(|e| (RECAP, e))?;
    agenda(templates, &sample_agenda()).map_err(|e| (AGENDA, e))?;
    Ok(())
}

/// A context with a sample in every list, to try a template out when the playbook loads.
fn sample_ticket(kind: Kind) -> TicketContext {
    let line = || vec![Line::new("Label", "Value")];
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

fn sample_recap(kind: Kind) -> RecapContext {
    RecapContext {
        ticket: sample_ticket(kind),
        organisation: "Org".into(),
        poc_name: "Jane".into(),
        csm_name: "Casey".into(),
        meeting_when: "Mon 9 Mar 2026, 10:00–10:30 EDT".into(),
        agreed: "Agreed".into(),
        missing: vec!["Missing".into()],
        best_practices: vec!["Practice".into()],
        one_pager: Some("one-pager.pdf".into()),
    }
}

fn sample_agenda() -> AgendaContext {
    AgendaContext {
        kind: "SSO".into(),
        provider: "Provider".into(),
        minutes: 30,
        type_name: "Meeting".into(),
        presentation: "https://example.com/presentation".into(),
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
pub(crate) fn escape_with(text: &str, special: impl Fn(char) -> bool, newline: &str) -> String {
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
