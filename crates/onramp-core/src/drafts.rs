//! Drafts as the CSM works on them: created, listed on the home, opened in the wizard, answered
//! field by field, escalated, trashed, restored and purged. What crosses to the window is here
//! (`DraftView`, `DraftSummary`, `Saved`, …); the rows are `store`'s, the status `lifecycle`'s.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::answers::AnswerValue;
use crate::lifecycle::Trigger;
use crate::model::{
    Change, Draft, DraftId, DraftQuery, DraftSort, DraftStatus, Event, HistoryEntry, JiraChoice,
    Screenshot, StatusCategory, StatusSync,
};
use crate::playbook::{Kind, ProviderSummary, fields};
use crate::readiness::{Readiness, open_items};
use crate::uploads::{self, UploadNote};
use crate::wizard::{self, Step};
use crate::work::Work;
use crate::{Error, Result, meeting, sso, store, validate};

/// One row of the drafts home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftSummary {
    pub id: DraftId,
    pub kind: Kind,
    pub provider_id: String,
    /// The provider's display name, or its ID when the playbook no longer has it.
    pub provider_name: String,
    pub company: Option<String>,
    pub status: DraftStatus,
    pub status_note: Option<String>,
    /// How many things Review still lists, Jira choices included (0: nothing missing).
    pub open_items: u32,
    /// The Jira ticket, once submitted.
    pub issue_key: Option<String>,
    /// Its status in Jira when last checked.
    pub jira_status: Option<String>,
    /// What to know of the ticket beyond its status: Support finished it, or Jira no longer
    /// shows it.
    pub ticket_note: Option<String>,
    /// Support finished the ticket: the CSM may confirm the integration is live.
    pub can_mark_live: bool,
    /// Whom the request waits on, since when and for what; `None` once it is live.
    pub waiting: Option<crate::follow_up::Waiting>,
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    #[ts(type = "string | null")]
    pub deleted_at: Option<Timestamp>,
}

/// A page of the drafts home: the drafts shown, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftList {
    pub drafts: Vec<DraftSummary>,
    pub total: u32,
    /// The last status sync round: the home says when it failed, and why.
    pub status_sync: Option<StatusSync>,
}

/// A draft opened in the wizard: its data, the steps that ask for it, and what is missing.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    pub draft: Draft,
    /// `None` when the playbook no longer has the draft's provider; its answers are kept.
    pub provider: Option<ProviderSummary>,
    pub provider_name: String,
    /// An HRIS that also offers SSO: the SSO provider to start a request for, in one click.
    pub suggested_sso: Option<ProviderSummary>,
    pub steps: Vec<Step>,
    pub readiness: Readiness,
    /// The screenshots attached so far, by slot.
    pub screenshots: Vec<Screenshot>,
    /// Jira fields the project requires that the CSM chooses on Review.
    pub jira_choices: Vec<JiraChoice>,
    /// Screenshots larger than the Jira site takes per file, and what Onramp will send instead.
    pub upload_notes: Vec<UploadNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewDraft {
    pub provider_id: String,
}

/// A new draft for the same customer with another provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateDraft {
    pub draft_id: DraftId,
    pub provider_id: String,
}

/// Escalate with a note, or (`note: null`) end the escalation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    pub draft_id: DraftId,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerUpdate {
    pub draft_id: DraftId,
    pub field_id: String,
    /// `null` clears the answer (for example yes/no back to "not answered yet").
    pub value: Option<AnswerValue>,
}

/// What the window shows after an autosave: when it landed, the draft's readiness and status
/// now, and the answers the core filled in from this one (pasted metadata fills the entity ID,
/// the SSO URL and the certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    #[ts(type = "string")]
    pub updated_at: Timestamp,
    pub readiness: Readiness,
    pub status: DraftStatus,
    pub filled: BTreeMap<String, AnswerValue>,
}

/// The CSM's own name and email from Settings, which every new request starts with.
fn csm_answers(w: &Work<'_>) -> Result<BTreeMap<String, AnswerValue>> {
    let saved = store::settings::load(w.conn())?;
    Ok([
        (fields::CSM_NAME, saved.csm_name),
        (fields::CSM_EMAIL, saved.csm_email),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(id, value)| (id.to_owned(), AnswerValue::Text(value)))
    .collect())
}

/// A new draft, with the CSM's own name and email from Settings already filled in.
pub(crate) fn create(w: &Work<'_>, new: &NewDraft) -> Result<DraftId> {
    insert(w, &new.provider_id, csm_answers(w)?)
}

/// A new draft for the same customer with another provider, for example HRIS after SSO:
/// the account and contacts carry over, the provider's answers do not.
pub(crate) fn duplicate(w: &Work<'_>, request: &DuplicateDraft) -> Result<DraftId> {
    let source = w.draft(request.draft_id)?;
    let mut carried = csm_answers(w)?;
    carried.extend(
        fields::account_ids()
            .into_iter()
            .filter_map(|id| source.answers.get(&id).cloned().map(|v| (id, v))),
    );
    insert(w, &request.provider_id, carried)
}

fn insert(
    w: &Work<'_>,
    provider_id: &str,
    mut answers: BTreeMap<String, AnswerValue>,
) -> Result<DraftId> {
    let provider = w.provider(provider_id)?;
    for (field, value) in meeting::defaults(w.playbook, provider, w.local_tz)? {
        answers.entry(field).or_insert(value);
    }
    let id = DraftId::new();
    store::drafts::insert(w.conn(), id, provider.kind, &provider.id, w.now, w.now)?;
    w.record(id, Change::of(Event::Created))?;
    for (field, value) in &answers {
        w.store_answer(id, field, Some(value))?;
    }
    w.refresh(id)?;
    Ok(id)
}

/// The drafts home: the page of drafts `query` asks for, and how many match in all.
pub(crate) fn home(w: &Work<'_>, query: &DraftQuery) -> Result<DraftList> {
    Ok(DraftList {
        drafts: list(w, query)?,
        total: store::drafts::count(w.conn(), query)?,
        status_sync: store::submissions::last_sync(w.conn())?,
    })
}

pub(crate) fn list(w: &Work<'_>, query: &DraftQuery) -> Result<Vec<DraftSummary>> {
    if query.sort == Some(DraftSort::NeedsYou) {
        // Whose turn it is is worked out per draft, so every match is summarised, then sorted.
        let all = DraftQuery {
            limit: None,
            sort: None,
            ..query.clone()
        };
        let mut drafts = list(w, &all)?;
        drafts.sort_by_key(|d| {
            let (turn, since) = d
                .waiting
                .as_ref()
                .map_or((None, d.updated_at), |w| (Some(w.on), w.since));
            // No one's turn (live) comes last.
            (turn.is_none(), turn, since)
        });
        drafts.truncate(
            query
                .limit
                .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        );
        return Ok(drafts);
    }
    let (found, ids) = store::drafts::find(w.conn(), query)?;
    // One query each for screenshots and tickets, and each provider's steps built once: a
    // page can hold many drafts.
    let slots = store::screenshots::slots_of(w.conn(), &ids)?;
    let mut tickets = store::submissions::tickets_of(w.conn(), &ids)?;
    let screen = store::settings::jira_screen(w.conn())?;
    let chosen = store::jira_choices::of_each(w.conn(), &ids)?;
    let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
    let (none, nothing_chosen) = (HashSet::new(), BTreeMap::new());
    found
        .into_iter()
        .map(|draft| {
            let steps = steps
                .entry(draft.provider_id.clone())
                .or_insert_with(|| w.steps(&draft.provider_id));
            let key = draft.id.to_string();
            let filled = slots.get(&key).unwrap_or(&none);
            let ticket = tickets.remove(&key).unwrap_or_default();
            let choices = w.jira_choices_given(
                &draft,
                screen.as_ref(),
                chosen.get(&key).unwrap_or(&nothing_chosen),
            );
            summarize_with(w, draft, steps, filled, &choices, ticket)
        })
        .collect()
}

/// A draft as one row of the home list.
pub(crate) fn summary(w: &Work<'_>, id: DraftId) -> Result<DraftSummary> {
    let draft = w.draft(id)?;
    let steps = w.steps(&draft.provider_id);
    let filled = store::screenshots::slots(w.conn(), id)?;
    let choices = w.jira_choices(&draft)?;
    let ticket = store::submissions::tickets_of(w.conn(), &format!("[\"{id}\"]"))?
        .remove(&id.to_string())
        .unwrap_or_default();
    summarize_with(w, draft, &steps, &filled, &choices, ticket)
}

/// What the CSM should know of the ticket beyond its status: that Support finished it, or
/// that Jira no longer shows it.
fn ticket_note(ticket: &store::submissions::Ticket) -> Option<String> {
    let key = ticket.key.as_deref()?;
    if ticket.gone {
        return Some(format!(
            "Jira no longer shows {key}: it was deleted, moved, or hidden from your account. Ask Support where it went."
        ));
    }
    (ticket.category == Some(StatusCategory::Done)).then(|| match &ticket.resolution {
        Some(resolution) => format!("Support finished {key} in Jira ({resolution})."),
        None => format!("Support finished {key} in Jira."),
    })
}

/// One row of the home list; its open items are Review's: answers, screenshots and the Jira
/// choices still to make.
fn summarize_with(
    w: &Work<'_>,
    draft: Draft,
    steps: &[Step],
    filled: &HashSet<String>,
    choices: &[JiraChoice],
    ticket: store::submissions::Ticket,
) -> Result<DraftSummary> {
    // The Jira choices Review asks are the CSM's to make.
    let unchosen =
        u32::try_from(choices.iter().filter(|c| c.chosen.is_none()).count()).unwrap_or(u32::MAX);
    let mut open = open_items(steps, &draft.answers, filled);
    open.yours = open.yours.saturating_add(unchosen);
    Ok(DraftSummary {
        waiting: crate::follow_up::waiting(w, &draft, open, &ticket)?,
        can_mark_live: crate::follow_up::may_go_live(draft.status, ticket.category),
        ticket_note: ticket_note(&ticket),
        issue_key: ticket.key,
        jira_status: ticket.status,
        id: draft.id,
        kind: draft.kind,
        provider_name: w.provider_name(&draft.provider_id),
        company: draft.company(),
        open_items: open.total(),
        provider_id: draft.provider_id,
        status: draft.status,
        status_note: draft.status_note,
        updated_at: draft.updated_at,
        deleted_at: draft.deleted_at,
    })
}

/// How many drafts an ambiguous ID prefix lists.
const SHOWN: u32 = 10;

/// The draft `text` names: a whole ID, or — as git takes commits — any unique start of one.
/// Several matches are listed, so the next try can be exact.
pub(crate) fn named(w: &Work<'_>, text: &str) -> Result<DraftId> {
    let text = text.trim().to_lowercase();
    if let Ok(id) = text.parse::<DraftId>() {
        return Ok(id);
    }
    let prefix = !text.is_empty() && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !prefix {
        return Err(Error::InvalidInput(format!(
            "`{text}` is not a draft ID: give the ID `onramp drafts list` shows, or its first characters"
        )));
    }
    let found = store::drafts::with_id_prefix(w.conn(), &text, SHOWN + 1)?;
    match found.as_slice() {
        [] => Err(Error::NotFound {
            what: "draft",
            id: text,
        }),
        [one] => Ok(one.id),
        several => {
            let listed: Vec<String> = several
                .iter()
                .take(SHOWN as usize)
                .map(|d| {
                    format!(
                        "{} ({}, {})",
                        d.id,
                        d.text(fields::COMPANY).unwrap_or("no company yet"),
                        d.provider_id
                    )
                })
                .collect();
            let more = if several.len() > SHOWN as usize {
                ", …"
            } else {
                ""
            };
            Err(Error::InvalidInput(format!(
                "`{text}` starts more than one draft's ID: {}{more}. Type more of the one you mean.",
                listed.join(", ")
            )))
        }
    }
}

pub(crate) fn open(w: &Work<'_>, id: DraftId) -> Result<DraftView> {
    let draft = w.draft(id)?;
    let steps = w.steps(&draft.provider_id);
    let provider = w.playbook.provider(&draft.provider_id).ok();
    let screen = store::settings::jira_screen(w.conn())?;
    let jira_choices = w.jira_choices_on(&draft, screen.as_ref())?;
    let readiness = w.readiness_with(&draft, &jira_choices)?;
    let screenshots = store::screenshots::list(w.conn(), w.dir, id)?;
    let upload_notes = match screen.and_then(|s| s.upload_limit) {
        Some(limit) => uploads::notes(w, &draft, &screenshots, limit),
        None => Vec::new(),
    };
    Ok(DraftView {
        readiness,
        jira_choices,
        upload_notes,
        screenshots,
        provider_name: w.provider_name(&draft.provider_id),
        suggested_sso: provider
            .and_then(|p| p.also_offers_sso.as_ref())
            .and_then(|sso| w.playbook.provider(&sso.provider).ok())
            .map(Into::into),
        provider: provider.map(Into::into),
        steps,
        draft,
    })
}

/// Autosave of one field. Refuses fields the draft's wizard does not ask and values of the
/// wrong shape; stores values that are merely invalid, so typing is never lost.
pub(crate) fn set_answer(w: &Work<'_>, update: &AnswerUpdate) -> Result<Saved> {
    let draft = if fields::is_meeting_field(&update.field_id) {
        w.live(update.draft_id)?
    } else {
        w.editable(update.draft_id)?
    };
    let provider = w.provider(&draft.provider_id)?;
    let steps = wizard::steps(w.playbook, provider);
    let field = wizard::find_field(&steps, &update.field_id).ok_or_else(|| {
        Error::InvalidInput(format!(
            "the {} wizard has no field `{}`",
            provider.name, update.field_id
        ))
    })?;
    if let Some(value) = &update.value
        && let Some(shape) = validate::shape_error(field, value)
    {
        return Err(Error::InvalidInput(format!("`{}` {shape}", field.label)));
    }
    w.store_answer(update.draft_id, &update.field_id, update.value.as_ref())?;
    // Pasted metadata fills the entity ID, SSO URL and certificate it holds.
    let filled = if update.field_id == fields::sso::METADATA_XML
        && let Some(metadata) = update
            .value
            .as_ref()
            .and_then(AnswerValue::as_text)
            .and_then(|xml| sso::metadata::parse(xml.as_bytes()).ok())
    {
        sso::fill_from(w, update.draft_id, &metadata)?
    } else {
        BTreeMap::new()
    };
    let (readiness, status) = w.refresh(update.draft_id)?;
    Ok(Saved {
        updated_at: w.now,
        readiness,
        status,
        filled,
    })
}

/// Escalates the draft with a note (`Some`), or ends the escalation (`None`).
pub(crate) fn set_escalation(w: &Work<'_>, request: &Escalation) -> Result<DraftId> {
    let draft = w.editable(request.draft_id)?;
    let note = request.note.as_deref().map(str::trim);
    if note == Some("") {
        return Err(Error::InvalidInput(
            "say why the request is escalated: the note is what your team lead reads".into(),
        ));
    }
    let (trigger, value) = if let Some(note) = note {
        (Trigger::Escalated, AnswerValue::Text(note.to_owned()))
    } else {
        let ready = w.readiness(&draft)?.ready;
        (
            Trigger::Deescalated { ready },
            AnswerValue::Text(String::new()),
        )
    };
    w.set_status(&draft, trigger, note)?;
    w.touch(draft.id)?;
    let old = draft.status_note.clone().map(AnswerValue::Text);
    let change = Change::of(Event::Status).values(old.as_ref(), Some(&value));
    w.record(draft.id, change)?;
    w.refresh(draft.id)?;
    Ok(draft.id)
}

/// Moves a draft to the trash (`true`), where it can be restored until it is purged, or back.
pub(crate) fn set_trashed(w: &Work<'_>, id: DraftId, trashed: bool) -> Result<()> {
    let draft = w.draft(id)?;
    if draft.deleted_at.is_some() == trashed {
        return Ok(());
    }
    let (trigger, event) = if trashed {
        (Trigger::Trashed, Event::Trashed)
    } else {
        (Trigger::Restored, Event::Restored)
    };
    w.set_status(&draft, trigger, None)?;
    store::drafts::set_deleted(w.conn(), id, trashed.then_some(w.now))?;
    w.record(id, Change::of(event))
}

/// Deletes a draft in the trash for good, with its history and screenshots.
pub(crate) fn purge(w: &Work<'_>, id: DraftId) -> Result<()> {
    let draft = w.draft(id)?;
    if draft.deleted_at.is_none() {
        return Err(Error::InvalidInput(
            "only drafts in the trash can be deleted for good; move it to the trash first".into(),
        ));
    }
    store::drafts::purge(w.conn(), id)?;
    w.drop_unused_screenshots()
}

/// The draft's history, oldest first, each field named by its label in the current playbook.
pub(crate) fn history(w: &Work<'_>, id: DraftId) -> Result<Vec<HistoryEntry>> {
    let steps = w.steps(&w.draft(id)?.provider_id);
    store::history::list(w.conn(), id, |field| {
        wizard::find_field(&steps, field).map(|f| f.label.clone())
    })
}

/// Search rows for drafts written before search existed.
pub(crate) fn index_unindexed(w: &Work<'_>) -> Result<()> {
    for id in store::search::unindexed(w.conn())? {
        let id: DraftId = id.parse()?;
        // A draft whose provider left the playbook is still found by its answers.
        if w.refresh(id).is_err() {
            store::search::index(w.conn(), &w.draft(id)?, "")?;
        }
    }
    Ok(())
}
