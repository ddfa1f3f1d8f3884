//! The recap email after the integration meeting: written by the playbook's template, editable by
//! the CSM (the edit is kept with the draft), exported as an `.eml` draft or a `mailto:` link.

pub mod eml;

use serde::{Deserialize, Serialize};
use tera::{Context, Tera};
use ts_rs::TS;

use crate::drafts::{DraftId, DraftStatus};
use crate::meeting::{self, ExportedFile, MeetingState, Person, schedule};
use crate::ticket::{self, TicketContext};
use crate::wizard::{self, StepId};
use crate::{Error, Onramp, Result};

/// The recap template, relative to the playbook folder; its first line is `Subject: …`.
pub const RECAP_TEMPLATE: &str = "templates/recap.txt";
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

/// Everything the recap template may use (listed at the top of the bundled one).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecapContext {
    #[serde(flatten)]
    ticket: TicketContext,
    organisation: String,
    poc_name: String,
    csm_name: String,
    meeting_when: String,
    agreed: String,
    missing: Vec<String>,
    best_practices: Vec<String>,
    one_pager: Option<String>,
}

/// A context with every list filled, to try the template when the playbook loads.
pub(crate) fn sample_context(kind: crate::playbook::Kind) -> RecapContext {
    RecapContext {
        ticket: ticket::sample_context(kind),
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

/// The subject and body the template writes.
pub(crate) fn render(templates: &Tera, context: &RecapContext) -> Result<(String, String), String> {
    let ctx = Context::from_serialize(context).map_err(|e| e.to_string())?;
    let text = templates
        .render(RECAP_TEMPLATE, &ctx)
        .map_err(|e| ticket::error_chain(&e))?;
    let text = text.trim_start();
    let (first, body) = text.split_once('\n').unwrap_or((text, ""));
    let subject = first
        .strip_prefix("Subject:")
        .ok_or("the first line must be the subject, written \"Subject: …\"")?;
    Ok((subject.trim().to_owned(), body.trim().to_owned() + "\n"))
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

impl Onramp {
    /// The recap, as the CSM last edited it or as the template writes it. Available once the
    /// meeting was held and its recording processed, as the procedure says.
    pub fn recap(&self, id: DraftId) -> Result<Recap> {
        let draft = self.live_draft(id)?;
        let row = meeting::stored(&self.conn, id)?;
        if !row
            .as_ref()
            .is_some_and(|r| r.state == MeetingState::Held && r.recording_processed)
        {
            return Err(Error::InvalidInput(
                "The recap is available once the meeting was held and its recording processed: mark both in the Meeting step.".into(),
            ));
        }
        let plan = self.meeting_plan(&draft).map_err(|problems| {
            Error::InvalidInput(format!(
                "The recap needs the meeting's details. {}",
                problems.join(" ")
            ))
        })?;
        let upsell = draft.answers.get("upsell").and_then(|v| match v {
            crate::answers::AnswerValue::Bool(b) => Some(*b),
            _ => None,
        }) == Some(true);
        let attachment = upsell
            .then(|| self.playbook().one_pager().map(|(name, _)| name.to_owned()))
            .flatten();
        let edited = row.and_then(|r| r.recap_subject.zip(r.recap_body));
        let (subject, body, is_edited) = if let Some((subject, body)) = edited {
            (subject, body, true)
        } else {
            let context = self.recap_context(id, &plan, attachment.clone())?;
            let (subject, body) = render(self.playbook().templates(), &context).map_err(|e| {
                Error::InvalidInput(format!(
                    "the playbook's recap template could not be filled in: {e}"
                ))
            })?;
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

    fn recap_context(
        &self,
        id: DraftId,
        plan: &meeting::Plan,
        one_pager: Option<String>,
    ) -> Result<RecapContext> {
        let draft = self.live_draft(id)?;
        let mut ticket = self.ticket_context(id)?;
        if let Some(key) = self.submission(id)?.and_then(|s| s.issue_key) {
            ticket = ticket.with_ticket(key.clone(), self.ticket_url(id).unwrap_or_default());
        }
        let customer_steps = [StepId::Details, StepId::Client, StepId::Screenshots];
        let missing = self
            .readiness_of_draft(&draft)?
            .steps
            .into_iter()
            .filter(|s| customer_steps.contains(&s.step))
            .flat_map(|s| s.issues)
            .map(|i| i.label)
            .collect();
        let text = |field: &str| {
            draft
                .answers
                .get(field)
                .and_then(|v| v.as_text())
                .map(|t| t.trim().to_owned())
                .unwrap_or_default()
        };
        Ok(RecapContext {
            ticket,
            organisation: self.playbook().organisation.name.clone(),
            poc_name: text("poc_name"),
            csm_name: text("csm_name"),
            meeting_when: schedule::describe(&plan.start, &plan.end),
            agreed: text(wizard::meeting::AGREED),
            missing,
            best_practices: self.playbook().best_practices.clone(),
            one_pager,
        })
    }

    /// Keeps the CSM's edit of the recap.
    pub fn save_recap(&mut self, edit: &RecapEdit) -> Result<Recap> {
        self.recap(edit.draft_id)?;
        if edit.subject.trim().is_empty() {
            return Err(Error::InvalidField {
                field: "recapSubject".into(),
                message: "Write a subject: mail apps and customers' filters treat mail without one as suspect.".into(),
            });
        }
        meeting::set_recap(
            &self.conn,
            edit.draft_id,
            Some((edit.subject.trim(), &edit.body)),
        )?;
        self.recap(edit.draft_id)
    }

    /// Drops the CSM's edit: the recap is the template's again.
    pub fn reset_recap(&mut self, id: DraftId) -> Result<Recap> {
        self.recap(id)?;
        meeting::set_recap(&self.conn, id, None)?;
        self.recap(id)
    }

    /// The recap as an `.eml` draft, with the One-Pager for upsell deals.
    pub fn export_recap(&mut self, id: DraftId) -> Result<ExportedFile> {
        let recap = self.recap(id)?;
        let draft = self.live_draft(id)?;
        let attachment = recap
            .attachment
            .as_ref()
            .and_then(|_| self.playbook().one_pager());
        let now = self.clock.now();
        let bytes = eml::message(&recap, attachment, now);
        self.note_recap(id, "Recap exported as an email draft")?;
        Ok(ExportedFile::new(&draft, "recap", ".eml", bytes))
    }

    /// The recap as a `mailto:` link (plain text, no attachment).
    pub fn recap_mailto(&mut self, id: DraftId) -> Result<String> {
        let link = mailto(&self.recap(id)?)?;
        self.note_recap(id, "Recap opened in the mail app")?;
        Ok(link)
    }

    /// Subject and body as one text, for the clipboard.
    pub fn recap_text(&self, id: DraftId) -> Result<String> {
        let recap = self.recap(id)?;
        Ok(format!("Subject: {}\n\n{}", recap.subject, recap.body))
    }

    fn note_recap(&mut self, id: DraftId, what: &str) -> Result<()> {
        let draft = self.live_draft(id)?;
        let now = self.clock.now();
        let source = self.source;
        let tx = self.conn.transaction()?;
        Self::record_meeting(&tx, source, &draft, now, what, Some(DraftStatus::RecapSent))?;
        tx.commit()?;
        Ok(())
    }
}
