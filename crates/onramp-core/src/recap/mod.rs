//! The recap email after the integration meeting: written by the playbook's template, editable by
//! the CSM (the edit is kept with the draft), exported as an `.eml` draft or a `mailto:` link.

pub mod eml;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::answers::AnswerValue;
use crate::formats::Person;
use crate::lifecycle::Trigger;
use crate::meeting::{self, ExportedFile, schedule};
use crate::model::DraftId;
use crate::playbook::fields;
use crate::playbook::templates::{self, RecapContext};
use crate::wizard::StepId;
use crate::work::Work;
use crate::{Error, Result, store, ticket};

/// Mail apps cut `mailto:` links somewhere past 2,000 characters.
pub const MAILTO_LIMIT: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Recap {
    pub from: Option<Person>,
    pub to: Vec<Person>,
    pub subject: String,
    pub body: String,
    /// The CSM changed the text; "reset" goes back to the template's.
    pub edited: bool,
    /// The One-Pager's file name, attached for upsell deals.
    pub attachment: Option<String>,
}

/// The CSM's version of the recap.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecapEdit {
    pub draft_id: DraftId,
    pub subject: String,
    pub body: String,
}

/// `mailto:` link for the recap, or why it is too long for one.
pub fn mailto(recap: &Recap) -> Result<String> {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    // RFC 3986's unreserved characters stay as they are; addresses keep their @ (RFC 6068).
    const VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    const ADDRESS: &AsciiSet = &VALUE.remove(b'@');
    let encode = |s: &str| utf8_percent_encode(s, VALUE).to_string();
    let to: Vec<String> = recap
        .to
        .iter()
        .map(|p| utf8_percent_encode(&p.email, ADDRESS).to_string())
        .collect();
    let body = recap.body.replace("\r\n", "\n").replace('\n', "\r\n");
    let link = format!(
        "mailto:{}?subject={}&body={}",
        to.join(","),
        encode(&recap.subject),
        encode(&body)
    );
    if link.len() > MAILTO_LIMIT {
        return Err(Error::InvalidInput(format!(
            "The recap is too long for a mailto link ({} characters once encoded; mail apps take about {MAILTO_LIMIT}). Export it as an .eml file or copy it instead.",
            link.len()
        )));
    }
    Ok(link)
}

/// The draft's Jira ticket, once it exists: its key and its link.
pub(crate) type TicketLink = Option<(String, String)>;

/// The recap, as the CSM last edited it or as the template writes it. Available once the
/// meeting was held and its recording processed, as the procedure says.
pub(crate) fn recap(w: &Work<'_>, id: DraftId, ticket: TicketLink) -> Result<Recap> {
    let draft = w.live(id)?;
    let row = store::meeting::get(w.conn(), id)?;
    if !row
        .as_ref()
        .is_some_and(crate::model::MeetingRecord::recap_available)
    {
        return Err(Error::InvalidInput(
            "The recap is available once the meeting was held and its recording processed: mark both in the Meeting step.".into(),
        ));
    }
    let plan = meeting::plan(w, &draft).map_err(|problems| {
        Error::InvalidInput(format!(
            "The recap needs the meeting's details. {}",
            problems.join(" ")
        ))
    })?;
    let upsell = draft.answers.get(fields::UPSELL) == Some(&AnswerValue::Bool(true));
    let attachment = upsell
        .then(|| w.playbook.one_pager().map(|(name, _)| name.to_owned()))
        .flatten();
    let edited = row.and_then(|r| r.recap_subject.zip(r.recap_body));
    let (subject, body, is_edited) = if let Some((subject, body)) = edited {
        (subject, body, true)
    } else {
        let context = context(w, id, &plan, attachment.clone(), ticket)?;
        let (subject, body) = templates::recap(w.playbook.templates(), &context)
            .map_err(|e| ticket::template_failed("recap", &e))?;
        (subject, body, false)
    };
    Ok(Recap {
        from: Some(plan.organizer),
        to: plan.attendees,
        subject,
        body,
        edited: is_edited,
        attachment,
    })
}

fn context(
    w: &Work<'_>,
    id: DraftId,
    plan: &meeting::Plan,
    one_pager: Option<String>,
    ticket: TicketLink,
) -> Result<RecapContext> {
    let draft = w.live(id)?;
    let mut ticket_context = ticket::context(w, id)?;
    if let Some((key, url)) = ticket {
        ticket_context = ticket_context.with_ticket(key, url);
    }
    let customer_steps = [StepId::Details, StepId::Client, StepId::Screenshots];
    let missing = w
        .readiness(&draft)?
        .steps
        .into_iter()
        .filter(|s| customer_steps.contains(&s.step))
        .flat_map(|s| s.issues)
        .map(|i| i.label)
        .collect();
    let text = |field: &str| draft.text(field).unwrap_or_default().to_owned();
    Ok(RecapContext {
        ticket: ticket_context,
        organisation: w.playbook.organisation.name.clone(),
        poc_name: text(fields::POC_NAME),
        csm_name: text(fields::CSM_NAME),
        meeting_when: schedule::describe(&plan.start, &plan.end),
        agreed: text(fields::meeting::AGREED),
        missing,
        best_practices: w.playbook.best_practices.clone(),
        one_pager,
    })
}

/// Keeps the CSM's edit of the recap.
pub(crate) fn save(w: &Work<'_>, edit: &RecapEdit, ticket: TicketLink) -> Result<Recap> {
    recap(w, edit.draft_id, ticket.clone())?;
    if edit.subject.trim().is_empty() {
        return Err(Error::InvalidField {
            field: "recapSubject".into(),
            message: "Write a subject: mail apps and customers' filters treat mail without one as suspect.".into(),
        });
    }
    store::meeting::set_recap(
        w.conn(),
        edit.draft_id,
        Some((edit.subject.trim(), &edit.body)),
    )?;
    recap(w, edit.draft_id, ticket)
}

/// Drops the CSM's edit: the recap is the template's again.
pub(crate) fn reset(w: &Work<'_>, id: DraftId, ticket: TicketLink) -> Result<Recap> {
    recap(w, id, ticket.clone())?;
    store::meeting::set_recap(w.conn(), id, None)?;
    recap(w, id, ticket)
}

/// The recap as an `.eml` draft, with the One-Pager for upsell deals.
pub(crate) fn export(w: &Work<'_>, id: DraftId, ticket: TicketLink) -> Result<ExportedFile> {
    let recap = recap(w, id, ticket)?;
    let draft = w.live(id)?;
    let attachment = recap
        .attachment
        .as_ref()
        .and_then(|_| w.playbook.one_pager());
    let bytes = eml::message(&recap, attachment, w.now);
    sent(w, id, "Recap exported as an email draft")?;
    Ok(ExportedFile::new(&draft, "recap", ".eml", bytes))
}

/// The recap as a `mailto:` link (plain text, no attachment).
pub(crate) fn mailto_link(w: &Work<'_>, id: DraftId, ticket: TicketLink) -> Result<String> {
    let link = mailto(&recap(w, id, ticket)?)?;
    sent(w, id, "Recap opened in the mail app")?;
    Ok(link)
}

/// Subject and body as one text, for the clipboard.
pub(crate) fn text(w: &Work<'_>, id: DraftId, ticket: TicketLink) -> Result<String> {
    let recap = recap(w, id, ticket)?;
    Ok(format!("Subject: {}\n\n{}", recap.subject, recap.body))
}

/// Onramp cannot see the mail app send it: handing the recap over counts as sending it.
fn sent(w: &Work<'_>, id: DraftId, what: &str) -> Result<()> {
    let draft = w.live(id)?;
    meeting::note(w, &draft, what, Trigger::RecapSent)
}
