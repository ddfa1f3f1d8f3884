//! Submitting a draft to Jira exactly once, whatever fails on the way.
//!
//! The draft's UUID travels on the issue as a label (which search can find) and an entity
//! property (which confirms it). Each step — issue created, each screenshot on it, the CSM
//! watching — is recorded before the next begins, so an attempt resumes where the last stopped.
//! When a create request got no answer, Jira may have made the issue anyway: the next attempt
//! searches for the label, and because Jira's search lags behind new issues, keeps searching
//! for `search_grace` before it dares to create again. Attachments are not idempotent either:
//! before uploading, the issue's attachments are checked by file name and size.

use std::sync::Mutex;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::{Client, Failure};
use crate::drafts::{self, DraftId, DraftStatus};
use crate::history::{self, Change, Event};
use crate::submissions::{self, Progress, Submission, SubmissionState};
use crate::ticket::Ticket;
use crate::{Error, Onramp, Result};

/// The issue entity property that names the draft.
pub const PROPERTY: &str = "onramp";

#[derive(Debug, Clone)]
pub struct Options {
    /// After a create without an answer, how long an empty search is not yet proof.
    pub search_grace: Duration,
    /// The first retry's delay; later ones double, up to `max_delay`, with ±20 % jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            search_grace: Duration::from_mins(2),
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_mins(10),
        }
    }
}

/// The label that finds the draft's issue: labels take no spaces and search matches them exactly.
pub fn label(id: DraftId) -> String {
    format!("onramp-{id}")
}

/// What an attempt needs from the store, read in one go.
#[derive(Debug)]
struct Plan {
    ticket: Ticket,
    progress: Progress,
    files: Vec<(String, Vec<u8>)>,
    csm_email: Option<String>,
    now: Timestamp,
}

impl Onramp {
    /// Puts a finished draft in the outbox. Refused while anything required is missing.
    pub fn queue_submission(&mut self, id: DraftId) -> Result<Submission> {
        let view = self.open_draft(id)?;
        if !view.readiness.ready {
            return Err(Error::InvalidInput(format!(
                "{} thing(s) are still missing or wrong; Review lists them",
                view.readiness.open_items()
            )));
        }
        if !matches!(view.draft.status, DraftStatus::Ready | DraftStatus::Queued) {
            return Err(Error::InvalidInput(format!(
                "this request is {}; only a ready request can be submitted",
                view.draft.status.label()
            )));
        }
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        submissions::queue(&tx, id, now)?;
        drafts::set_status(&tx, id, DraftStatus::Queued, None)?;
        drafts::touch(&tx, id, now)?;
        history::record(&tx, id, now, self.source, Change::of(Event::Queued))?;
        tx.commit()?;
        self.submission(id)?.ok_or(Error::NotFound {
            what: "submission",
            id: id.to_string(),
        })
    }

    pub fn submission(&self, id: DraftId) -> Result<Option<Submission>> {
        Ok(submissions::get(&self.conn, id)?.map(|p| Submission {
            sending: self.sending.contains(&id),
            ..p.submission
        }))
    }

    /// Every submission, queued, failed or done.
    pub fn outbox(&self) -> Result<Vec<Submission>> {
        submissions::all(&self.conn)?
            .into_iter()
            .filter_map(|id| self.submission(id).transpose())
            .collect()
    }

    /// Drafts whose next attempt is due now.
    pub fn due_submissions(&self) -> Result<Vec<DraftId>> {
        submissions::due(&self.conn, self.clock.now())
    }

    /// "Retry now": a failed or waiting submission is due again at once.
    pub fn retry_submission(&mut self, id: DraftId) -> Result<Submission> {
        let now = self.clock.now();
        submissions::queue(&self.conn, id, now)?;
        self.submission(id)?.ok_or(Error::NotFound {
            what: "submission",
            id: id.to_string(),
        })
    }

    /// Submitted tickets, with their keys, whose Jira status should be fetched.
    pub fn submitted_tickets(&self) -> Result<Vec<(DraftId, String)>> {
        Ok(self
            .outbox()?
            .into_iter()
            .filter(|s| s.state == SubmissionState::Done)
            .filter_map(|s| s.issue_key.map(|key| (s.draft_id, key)))
            .collect())
    }

    /// What an attempt at `id` needs, marking it as sending; `None` when nothing is due.
    fn plan(&mut self, id: DraftId) -> Result<Option<Plan>> {
        let Some(progress) = submissions::get(&self.conn, id)? else {
            return Ok(None);
        };
        if progress.submission.state != SubmissionState::Queued {
            return Ok(None);
        }
        let draft = drafts::get(&self.conn, id)?;
        let plan = Plan {
            ticket: self.ticket(id)?,
            files: self.screenshot_files(id)?,
            csm_email: draft
                .answers
                .get("csm_email")
                .and_then(|v| v.as_text())
                .map(str::to_owned),
            progress,
            now: self.clock.now(),
        };
        self.sending.insert(id);
        Ok(Some(plan))
    }

    fn finish(
        &mut self,
        id: DraftId,
        outcome: &Outcome,
        attempts: u32,
        options: &Options,
    ) -> Result<()> {
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        match outcome {
            Outcome::Done(key) => {
                submissions::finish_attempt(&tx, id, SubmissionState::Done, now, None, now)?;
                drafts::set_status(&tx, id, DraftStatus::Submitted, None)?;
                drafts::touch(&tx, id, now)?;
                let key = crate::answers::AnswerValue::Text(key.clone());
                let change = Change::of(Event::Submitted).values(None, Some(&key));
                history::record(&tx, id, now, self.source, change)?;
            }
            Outcome::Failed(reason) => {
                submissions::finish_attempt(
                    &tx,
                    id,
                    SubmissionState::Failed,
                    now,
                    Some(reason),
                    now,
                )?;
            }
            Outcome::Later(wait, reason) => {
                let wait = wait.unwrap_or_else(|| backoff(attempts, options));
                let next = now
                    .checked_add(SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX))
                    .unwrap_or(now);
                submissions::finish_attempt(
                    &tx,
                    id,
                    SubmissionState::Queued,
                    next,
                    Some(reason),
                    now,
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn record(&self, step: impl FnOnce(&rusqlite::Connection) -> Result<()>) -> Result<()> {
        step(&self.conn)
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Done(String),
    /// Nothing more to do until the CSM fixes the reason.
    Failed(String),
    /// Try again after this long (or the backoff's choice).
    Later(Option<Duration>, String),
}

impl From<Failure> for Outcome {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Definite(m) => Self::Failed(m),
            Failure::RateLimited(wait) => Self::Later(Some(wait), failure.to_string()),
            Failure::Ambiguous(m) | Failure::Unreachable(m) => Self::Later(None, m),
        }
    }
}

fn backoff(attempts: u32, options: &Options) -> Duration {
    let doubled = options
        .base_delay
        .saturating_mul(2_u32.saturating_pow(attempts.min(20)));
    doubled
        .min(options.max_delay)
        .mul_f64(0.8 + fastrand::f64() * 0.4)
}

fn lock(core: &Mutex<Onramp>) -> std::sync::MutexGuard<'_, Onramp> {
    // Every write is one transaction: a panic elsewhere leaves the store consistent.
    core.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One attempt at the draft's submission, if it is queued: resumes from the first unfinished
/// step, records each step as it lands, and schedules the next attempt when one is needed.
/// `on_change` sees the submission when sending begins and when the attempt ends.
pub async fn attempt(
    core: &Mutex<Onramp>,
    client: &Client,
    id: DraftId,
    options: &Options,
    on_change: &(dyn Fn(&Submission) + Sync),
) -> Result<Option<Submission>> {
    // SSO checks that need the network (metadata URL, OIDC issuer) run now, so the ticket
    // carries them.
    if lock(core)
        .submission(id)?
        .is_some_and(|s| s.issue_key.is_none())
    {
        Onramp::check_online(core, id).await?;
    }
    let Some(plan) = lock(core).plan(id)? else {
        return lock(core).submission(id);
    };
    // Read first: `on_change` may need the lock.
    let sending = lock(core).submission(id)?;
    if let Some(sending) = sending {
        on_change(&sending);
    }
    let attempts = plan.progress.submission.attempts;
    let attempt = Attempt {
        core,
        client,
        id,
        plan: &plan,
        options,
    };
    let result = attempt.run().await;
    let mut onramp = lock(core);
    onramp.sending.remove(&id);
    let outcome = match result {
        Ok(key) => Outcome::Done(key),
        Err(Step::Store(e)) => return Err(e),
        Err(Step::Jira(outcome)) => outcome,
    };
    onramp.finish(id, &outcome, attempts, options)?;
    let submission = onramp.submission(id)?;
    drop(onramp);
    if let Some(s) = &submission {
        on_change(s);
    }
    Ok(submission)
}

/// Every submission that is due, one after another (Jira limits bursts on one issue anyway).
pub async fn flush(
    core: &Mutex<Onramp>,
    client: &Client,
    options: &Options,
    on_change: &(dyn Fn(&Submission) + Sync),
) -> Result<Vec<Submission>> {
    let due = lock(core).due_submissions()?;
    let mut out = Vec::new();
    for id in due {
        if let Some(s) = attempt(core, client, id, options, on_change).await? {
            out.push(s);
        }
    }
    Ok(out)
}

/// Fetches the Jira status of every submitted ticket, so the drafts home shows where each one
/// is. Stops at the first failure: offline, nothing is learned by trying the rest.
pub async fn sync_statuses(core: &Mutex<Onramp>, client: &Client) -> Result<usize> {
    let tickets = lock(core).submitted_tickets()?;
    for (id, key) in &tickets {
        let status = client.issue_status(key).await?;
        let onramp = lock(core);
        let now = onramp.clock.now();
        onramp.record(|c| submissions::set_jira_status(c, *id, &status, now))?;
    }
    Ok(tickets.len())
}

/// Why `run` stopped early.
enum Step {
    Store(Error),
    Jira(Outcome),
}

impl From<Error> for Step {
    fn from(e: Error) -> Self {
        Self::Store(e)
    }
}

impl From<Failure> for Step {
    fn from(f: Failure) -> Self {
        Self::Jira(f.into())
    }
}

/// One attempt's context: the store, the client, the draft, and what was read at its start.
struct Attempt<'a> {
    core: &'a Mutex<Onramp>,
    client: &'a Client,
    id: DraftId,
    plan: &'a Plan,
    options: &'a Options,
}

impl Attempt<'_> {
    async fn run(&self) -> Result<String, Step> {
        let key = match &self.plan.progress.submission.issue_key {
            Some(key) => key.clone(),
            None => self.issue().await?,
        };

        let pending: Vec<&(String, Vec<u8>)> = self
            .plan
            .files
            .iter()
            .filter(|(slot, _)| !self.plan.progress.uploaded.contains(slot))
            .collect();
        if !pending.is_empty() {
            let remote = self.client.attachments(&key).await?;
            for (slot, png) in pending {
                let name = format!("{slot}.png");
                let there = remote
                    .iter()
                    .any(|r| r.filename == name && r.size == png.len() as u64);
                if !there {
                    self.client.attach(&key, &name, png.clone()).await?;
                }
                lock(self.core).record(|c| submissions::add_upload(c, self.id, slot))?;
            }
        }

        if !self.plan.progress.watcher_added {
            let found = match &self.plan.csm_email {
                Some(email) => self.client.find_user(email).await?,
                None => None,
            };
            let account = match found {
                Some(user) => user.id,
                None => self.client.myself().await?.id,
            };
            self.client.add_watcher(&key, &account).await?;
            lock(self.core).record(|c| submissions::set_watcher_added(c, self.id))?;
        }
        Ok(key)
    }

    /// The draft's issue: found by its label, or created — never twice.
    async fn issue(&self) -> Result<String, Step> {
        let label = label(self.id);
        if let Some(found) = self.client.search_label(&label).await?.into_iter().next() {
            lock(self.core)
                .record(|c| submissions::set_issue(c, self.id, &found.id, &found.key))?;
            return Ok(found.key);
        }
        if let Some(sent) = self.plan.progress.create_sent_at {
            let waited = self.plan.now.duration_since(sent).unsigned_abs();
            if waited < self.options.search_grace {
                let reason = "Jira did not answer the last create; checking whether the ticket appears before creating it again".to_owned();
                return Err(Step::Jira(Outcome::Later(
                    Some(
                        self.options
                            .base_delay
                            .min(self.options.search_grace.saturating_sub(waited)),
                    ),
                    reason,
                )));
            }
        }
        lock(self.core)
            .record(|c| submissions::set_create_sent(c, self.id, Some(self.plan.now)))?;
        let mut labels = self.client.settings().labels.clone();
        labels.push(label);
        let properties = json!([{ "key": PROPERTY, "value": { "draftId": self.id.to_string() } }]);
        match self
            .client
            .create_issue(&self.plan.ticket, &labels, &properties)
            .await
        {
            Ok(created) => {
                lock(self.core)
                    .record(|c| submissions::set_issue(c, self.id, &created.id, &created.key))?;
                Ok(created.key)
            }
            Err(failure) => {
                // Only an answer-less failure leaves doubt; anything else created nothing.
                if !matches!(failure, Failure::Ambiguous(_)) {
                    lock(self.core).record(|c| submissions::set_create_sent(c, self.id, None))?;
                }
                Err(failure.into())
            }
        }
    }
}
