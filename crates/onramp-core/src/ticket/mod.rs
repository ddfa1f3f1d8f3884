//! The Jira ticket a finished draft becomes: the procedure's summary, and a description the
//! playbook's Markdown template writes, rendered to ADF (Jira Cloud), wiki markup (Server and
//! Data Center) and plain text from one parse, so all three say the same thing.

mod adf;
mod jira_fields;
mod text;
mod wiki;

use std::collections::HashSet;

use serde::Serialize;
use tera::Tera;
use ts_rs::TS;

pub use adf::{AdfDoc, AdfMark, AdfNode, DocType, HeadingAttrs, LinkAttrs};
pub use jira_fields::FieldValue;
pub(crate) use jira_fields::field_values;

use crate::answers::AnswerValue;
use crate::model::{Attachment, Draft, DraftId};
use crate::playbook::templates::{self, Line, TicketContext};
use crate::playbook::{KindSettings, Organisation, Provider};
use crate::readiness::readiness;
use crate::wizard::{self, Step, StepId};
use crate::work::Work;
use crate::{Error, Result, sso, store};

/// What Jira receives, and what the Review step previews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub summary: String,
    pub description: AdfDoc,
}

/// Jira's caps on a new issue (Atlassian: "Summary can't exceed 255 characters."; a text field,
/// the description among them, holds at most 32,767).
pub const MAX_SUMMARY_CHARS: usize = 255;
pub const MAX_DESCRIPTION_CHARS: usize = 32_767;

impl Ticket {
    /// What Jira would refuse for its length, in words saying what to shorten; checked before
    /// the draft is queued, so nothing waits in the outbox that can never go.
    pub fn too_long(&self) -> Option<String> {
        let summary = self.summary.chars().count();
        if summary > MAX_SUMMARY_CHARS {
            return Some(format!(
                "the ticket's summary is {summary} characters and Jira takes at most {MAX_SUMMARY_CHARS}: shorten the company name, which it repeats"
            ));
        }
        // Data Center stores the wiki markup; Cloud's limit counts about the same text.
        let description = self.wiki().chars().count();
        (description > MAX_DESCRIPTION_CHARS).then(|| format!(
            "the ticket's description is {description} characters and Jira takes at most {MAX_DESCRIPTION_CHARS}: shorten the longest answers (notes, lists of domains), or send long lists to Support as a file"
        ))
    }

    /// The description for Jira Server / Data Center.
    pub fn wiki(&self) -> String {
        wiki::render(&self.description)
    }

    pub fn text(&self) -> String {
        text::render(&self.description)
    }
}

/// The parts of a draft a ticket is made of.
#[derive(Debug)]
struct Sources<'a> {
    organisation: &'a Organisation,
    settings: &'a KindSettings,
    provider: &'a Provider,
    draft: &'a Draft,
    steps: &'a [Step],
    /// Fields whose `when` does not hold: their answers are not the customer's situation.
    hidden: &'a [String],
    /// Which slot holds which file (names only).
    screenshots: &'a [Attachment],
}

fn fill(sources: &Sources<'_>) -> TicketContext {
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
                Some(Line::new(&f.label, &text))
            })
            .collect()
    };
    let shots = steps
        .iter()
        .filter(|s| s.id == StepId::Screenshots)
        .flat_map(|s| &s.fields)
        .filter_map(|f| {
            let shot = screenshots.iter().find(|s| s.slot_id == f.id)?;
            Some(Line::new(&f.label, &shot.file_name))
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

/// What the templates need of draft `id`. Not `drafts::open`: that reads and encodes every
/// thumbnail, and a ticket needs only the screenshots' names.
pub(crate) fn context(w: &Work<'_>, id: DraftId) -> Result<TicketContext> {
    let draft = w.draft(id)?;
    let provider = w.provider(&draft.provider_id)?;
    let steps = wizard::steps(w.playbook, provider);
    let shots = store::screenshots::attachments(w.conn(), id)?;
    let filled: HashSet<String> = shots.iter().map(|s| s.slot_id.clone()).collect();
    let hidden = readiness(&steps, &draft.answers, &filled).hidden;
    let sources = Sources {
        organisation: &w.playbook.organisation,
        settings: w.playbook.kind(provider.kind),
        provider,
        draft: &draft,
        steps: &steps,
        hidden: &hidden,
        screenshots: &shots,
    };
    Ok(TicketContext {
        checks: sso::check_lines(w, id)?,
        ..fill(&sources)
    })
}

/// Renders the ticket; the error is tera's.
fn render(templates: &Tera, context: &TicketContext) -> Result<Ticket, String> {
    Ok(Ticket {
        summary: context.summary.clone(),
        description: adf::from_markdown(&templates::description(templates, context)?),
    })
}

/// The Jira ticket the draft becomes: what Review previews and what Jira receives.
pub(crate) fn ticket(w: &Work<'_>, id: DraftId) -> Result<Ticket> {
    render(w.playbook.templates(), &context(w, id)?).map_err(|e| template_failed("description", &e))
}

/// The support-channel message; `ticket` is the key and link once the ticket exists.
pub(crate) fn slack_message(
    w: &Work<'_>,
    id: DraftId,
    ticket: Option<(String, String)>,
) -> Result<String> {
    let mut context = context(w, id)?;
    if let Some((key, url)) = ticket {
        context = context.with_ticket(key, url);
    }
    templates::slack(w.playbook.templates(), &context)
        .map_err(|e| template_failed("support-channel message", &e))
}

pub(crate) fn template_failed(which: &str, error: &str) -> Error {
    Error::InvalidInput(format!(
        "the playbook's {which} template could not be filled in: {error}"
    ))
}

#[cfg(test)]
mod tests {
    use super::{MAX_SUMMARY_CHARS, Ticket, adf};

    #[test]
    fn a_summary_over_jiras_cap_says_what_to_shorten() {
        let ticket = |summary: String| Ticket {
            summary,
            description: adf::from_markdown("Hello team!"),
        };
        // Characters, not bytes: "é" is two bytes and one character.
        assert_eq!(ticket("é".repeat(MAX_SUMMARY_CHARS)).too_long(), None);
        assert_eq!(
            ticket("é".repeat(MAX_SUMMARY_CHARS + 1))
                .too_long()
                .as_deref(),
            Some(
                "the ticket's summary is 256 characters and Jira takes at most 255: shorten the company name, which it repeats"
            )
        );
    }
}
