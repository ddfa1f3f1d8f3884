//! The outbox: finished drafts waiting for Jira, and the steps each submission has finished.
//! Everything here is synchronous and local; `jira::submit` drives the attempts over the network.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::answers::AnswerValue;
use crate::lifecycle::Trigger;
use crate::model::{Change, DraftId, Event, JiraAccount, Progress, Submission, SubmissionState};
use crate::net::Failure;
use crate::playbook::fields;
use crate::playbook::{DeskPlaybook, JiraMapping};
use crate::ticket::{self, FieldValue, Ticket};
use crate::uploads::{self, Shot};
use crate::work::Work;
use crate::{Error, Result, drafts, jira_choices, store};

/// The issue entity property that names the draft.
pub const PROPERTY: &str = "onramp";

/// The label that finds the draft's issue: labels take no spaces and search matches them exactly.
pub fn label(id: DraftId) -> String {
    format!("onramp-{id}")
}

#[derive(Debug, Clone)]
pub struct Options {
    /// After a create without an answer, how long an empty search is not yet proof.
    pub search_grace: Duration,
    /// The first retry's delay; later ones double, up to `max_delay`, with ±20 % jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How long a claim to send a draft holds without a step landing: longer than any one
    /// request may take, short enough that a crashed process's claim soon lapses.
    pub lease: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            search_grace: Duration::from_mins(2),
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_mins(10),
            lease: Duration::from_mins(5),
        }
    }
}

impl Options {
    /// The defaults, with what the organisation's playbook sets.
    pub fn for_playbook(playbook: &crate::playbook::Playbook) -> Self {
        Self {
            search_grace: playbook.jira.search_grace,
            ..Self::default()
        }
    }
}

/// Which running Onramp is sending, and for how long its claim holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Claim<'a> {
    pub owner: &'a str,
    pub lease: Duration,
}

impl Claim<'_> {
    fn until(&self, now: Timestamp) -> Timestamp {
        now.checked_add(SignedDuration::try_from(self.lease).unwrap_or(SignedDuration::MAX))
            .unwrap_or(now)
    }
}

/// What an attempt needs from the store, read in one go.
#[derive(Debug)]
pub(crate) struct Plan {
    pub ticket: Ticket,
    pub progress: Progress,
    pub shots: Vec<Shot>,
    pub csm_email: Option<String>,
    /// The CSM's account as Settings last found it, when it was found for `csm_email`.
    pub account: Option<JiraAccount>,
    /// The Jira fields the playbook maps for this draft, and the draft's values for them.
    pub mappings: Vec<JiraMapping>,
    pub field_values: Vec<FieldValue>,
    /// How requests are raised, when Settings send them to a service desk.
    pub desk: DeskPlaybook,
    pub now: Timestamp,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done(String),
    /// Nothing more to do until the CSM fixes the reason.
    Failed(String),
    /// Jira refused the token: failed until a new one is saved, which queues it again.
    TokenRefused(String),
    /// Try again after this long (or the backoff's choice).
    Later(Option<Duration>, String),
}

impl From<Failure> for Outcome {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Definite(m) => Self::Failed(m),
            Failure::Unauthorized(m) => Self::TokenRefused(m),
            Failure::RateLimited { wait, .. } => Self::Later(Some(wait), failure.to_string()),
            Failure::Ambiguous(m) | Failure::Unreachable(m) => Self::Later(None, m),
        }
    }
}

/// One step of an attempt that landed, recorded before the next begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Landed {
    /// A create request is about to go (`Some`), or it certainly made nothing (`None`).
    CreateSent(Option<Timestamp>),
    Issue {
        id: String,
        key: String,
    },
    Upload(String),
    /// The watcher step is over; `Some` says why the CSM is not watching.
    Watcher(Option<String>),
}

/// Puts a finished draft in the outbox. Refused while anything required is missing.
pub(crate) fn queue(w: &Work<'_>, id: DraftId) -> Result<()> {
    let view = drafts::open(w, id)?;
    if !view.readiness.ready {
        return Err(Error::InvalidInput(format!(
            "{} thing(s) are still missing or wrong; Review lists them",
            view.readiness.open_items()
        )));
    }
    if let Some(problem) = ticket::ticket(w, id)?.too_long() {
        return Err(Error::InvalidInput(problem));
    }
    // What the project's create screen, as last read, would refuse: said now, not after a send.
    if let Some(screen) = store::settings::jira_screen(w.conn())? {
        let mappings = jira_choices::ticket_mappings(w, &view.draft)?;
        let mappings: Vec<&JiraMapping> = mappings.iter().collect();
        let sizes = store::screenshots::sizes(w.conn(), id)?;
        let mut problems = screen.problems(&mappings, !sizes.is_empty());
        // Only a screenshot over the limit is read and tried: the rest go as they are.
        if let Some(limit) = screen.upload_limit
            && sizes.iter().any(|(_, size)| *size > limit)
        {
            problems.extend(uploads::unfit(&uploads::shots(w, &view.draft)?, limit));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems.join(" ")));
        }
    }
    w.set_status(&view.draft, Trigger::Queued, None)?;
    store::submissions::queue(w.conn(), id, w.now)?;
    w.touch(id)?;
    w.record(id, Change::of(Event::Queued))
}

/// The draft's submission, if it has one.
pub(crate) fn submission(w: &Work<'_>, id: DraftId) -> Result<Option<Submission>> {
    Ok(store::submissions::get(w.conn(), id, w.now)?.map(|p| p.submission))
}

/// Every submission, queued, failed or done.
pub(crate) fn all(w: &Work<'_>) -> Result<Vec<Submission>> {
    store::submissions::all(w.conn())?
        .into_iter()
        .filter_map(|id| submission(w, id).transpose())
        .collect()
}

/// "Retry now": a failed or waiting submission is due again at once.
pub(crate) fn retry(w: &Work<'_>, id: DraftId) -> Result<()> {
    store::submissions::queue(w.conn(), id, w.now)
}

/// A new token was saved: what failed on the old one is queued again.
pub(crate) fn requeue_failed_on_token(w: &Work<'_>) -> Result<usize> {
    store::submissions::requeue_failed_on_token(w.conn(), w.now)
}

/// Drafts whose next attempt is due now.
pub(crate) fn due(w: &Work<'_>) -> Result<Vec<DraftId>> {
    store::submissions::due(w.conn(), w.now)
}

/// Claims the draft's submission and reads what an attempt needs; `None` when nothing is queued
/// or another running Onramp (the window, a terminal) is sending it now.
pub(crate) fn plan(w: &Work<'_>, id: DraftId, claim: Claim<'_>) -> Result<Option<Plan>> {
    if !store::submissions::claim(w.conn(), id, claim.owner, w.now, claim.until(w.now))? {
        return Ok(None);
    }
    let Some(progress) = store::submissions::get(w.conn(), id, w.now)? else {
        return Ok(None);
    };
    let draft = w.draft(id)?;
    let mappings = jira_choices::ticket_mappings(w, &draft)?;
    let csm_email = draft.text(fields::CSM_EMAIL).map(str::to_owned);
    let account = store::settings::jira_account(w.conn())?
        .filter(|a| csm_email.as_deref().is_some_and(|e| a.is_for(e)));
    Ok(Some(Plan {
        account,
        ticket: ticket::ticket(w, id)?,
        shots: uploads::shots(w, &draft)?,
        csm_email,
        field_values: ticket::field_values(w, id, &mappings)?,
        mappings,
        desk: w.playbook.jira.service_desk.clone(),
        progress,
        now: w.now,
    }))
}

/// Records a step of an attempt that landed, and extends the claim; refused when the claim
/// lapsed and another process took the submission over.
pub(crate) fn landed(w: &Work<'_>, id: DraftId, claim: Claim<'_>, step: &Landed) -> Result<()> {
    let conn = w.conn();
    if !store::submissions::renew(conn, id, claim.owner, claim.until(w.now))? {
        return Err(Error::Storage(
            "another Onramp took over sending this request after this one stopped answering; it carries on from here".into(),
        ));
    }
    match step {
        Landed::CreateSent(at) => store::submissions::set_create_sent(conn, id, *at),
        Landed::Issue { id: issue, key } => store::submissions::set_issue(conn, id, issue, key),
        Landed::Upload(slot) => store::submissions::add_upload(conn, id, slot),
        Landed::Watcher(warning) => {
            store::submissions::set_watcher_done(conn, id, warning.as_deref())
        }
    }
}

/// Gives up the claim, whatever happened.
pub(crate) fn release(w: &Work<'_>, id: DraftId, claim: Claim<'_>) -> Result<()> {
    store::submissions::release(w.conn(), id, claim.owner)
}

/// The attempt ended: done, failed for good, or to be retried later; the claim is given up.
pub(crate) fn finish(
    w: &Work<'_>,
    id: DraftId,
    claim: Claim<'_>,
    outcome: &Outcome,
    attempts: u32,
    options: &Options,
) -> Result<()> {
    let now = w.now;
    let conn = w.conn();
    if !store::submissions::renew(conn, id, claim.owner, now)? {
        // Another process took over; what this attempt learnt is its to record.
        return Ok(());
    }
    store::submissions::release(conn, id, claim.owner)?;
    match outcome {
        Outcome::Done(key) => {
            store::submissions::finish_attempt(conn, id, SubmissionState::Done, now, None, now)?;
            w.set_status(&w.draft(id)?, Trigger::Submitted, None)?;
            w.touch(id)?;
            let key = AnswerValue::Text(key.clone());
            w.record(id, Change::of(Event::Submitted).values(None, Some(&key)))?;
        }
        Outcome::Failed(reason) | Outcome::TokenRefused(reason) => {
            store::submissions::finish_attempt(
                conn,
                id,
                SubmissionState::Failed,
                now,
                Some(reason),
                now,
            )?;
            if matches!(outcome, Outcome::TokenRefused(_)) {
                store::submissions::set_failed_on_token(conn, id)?;
            }
        }
        Outcome::Later(wait, reason) => {
            let wait = wait.unwrap_or_else(|| backoff(attempts, options));
            let next = now
                .checked_add(SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX))
                .unwrap_or(now);
            store::submissions::finish_attempt(
                conn,
                id,
                SubmissionState::Queued,
                next,
                Some(reason),
                now,
            )?;
        }
    }
    Ok(())
}

fn backoff(attempts: u32, options: &Options) -> Duration {
    let doubled = options
        .base_delay
        .saturating_mul(2_u32.saturating_pow(attempts.min(20)));
    doubled
        .min(options.max_delay)
        .mul_f64(0.8 + fastrand::f64() * 0.4)
}
