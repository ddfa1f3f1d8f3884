//! Submitting a draft to Jira exactly once, whatever fails on the way.
//!
//! The draft's UUID travels on the issue as a label (which search can find) and an entity
//! property (which confirms it). Each step — issue created, each screenshot on it, the CSM
//! watching — is recorded before the next begins, so an attempt resumes where the last stopped.
//! When a create request got no answer, Jira may have made the issue anyway: the next attempt
//! searches for the label, and because Jira's search lags behind new issues, keeps searching
//! for `search_grace` before it dares to create again. Attachments are not idempotent either:
//! before uploading, the issue's attachments are checked by file name and size.
//!
//! On a service desk the request is raised through its own API, which sets no properties in
//! the create: the property follows in a second call, so there a found request without it is
//! taken as this draft's (a request copied by hand would carry the property, Jira's Clone copies
//! both). Its screenshots go up as temporary files in one call and are attached in one more.
//!
//! The core is locked only to read the plan and record each step, never across a request.

use serde_json::{Map, Value, json};

use super::preflight::{self, Preflight};
use super::values::{self, Converted};
use super::{Client, Deployment, Failure, IssueRef, NewRequest, Watch, WatchAs, Watcher};
use crate::model::{DraftId, Submission};
use crate::outbox::{Landed, Outcome, Plan};
use crate::playbook::JiraMapping;
use crate::uploads::{Shot, Upload};
use crate::{Error, Result, Shared};

pub use crate::outbox::{Options, PROPERTY, label};

/// One attempt at the draft's submission, if it is queued: resumes from the first unfinished
/// step, records each step as it lands, and schedules the next attempt when one is needed.
/// `on_change` sees the submission when sending begins and when the attempt ends.
pub async fn attempt(
    core: &Shared,
    client: &Client,
    id: DraftId,
    options: &Options,
    on_change: &(dyn Fn(&Submission) + Sync),
) -> Result<Option<Submission>> {
    // SSO checks that need the network (metadata URL, OIDC issuer) run now, so the ticket
    // carries them.
    if core
        .lock()
        .submission(id)?
        .is_some_and(|s| s.issue_key.is_none())
    {
        core.check_online(id).await?;
    }
    let Some(plan) = core.lock().begin_attempt(id, options)? else {
        return core.lock().submission(id);
    };
    // Read first: `on_change` may need the lock.
    let sending = core.lock().submission(id)?;
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
    let mut onramp = core.lock();
    let outcome = match result {
        Ok(key) => Outcome::Done(key),
        Err(Step::Store(e)) => {
            onramp.end_attempt(id, options, None)?;
            return Err(e);
        }
        Err(Step::Jira(outcome)) => outcome,
    };
    onramp.end_attempt(id, options, Some((&outcome, attempts)))?;
    let submission = onramp.submission(id)?;
    drop(onramp);
    if let Some(s) = &submission {
        on_change(s);
    }
    Ok(submission)
}

/// Every submission that is due, one after another (Jira limits bursts on one issue anyway).
pub async fn flush(
    core: &Shared,
    client: &Client,
    options: &Options,
    on_change: &(dyn Fn(&Submission) + Sync),
) -> Result<Vec<Submission>> {
    let due = core.lock().due_submissions()?;
    let mut out = Vec::new();
    for id in due {
        if let Some(s) = attempt(core, client, id, options, on_change).await? {
            out.push(s);
        }
    }
    Ok(out)
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
    core: &'a Shared,
    client: &'a Client,
    id: DraftId,
    plan: &'a Plan,
    options: &'a Options,
}

impl Attempt<'_> {
    fn landed(&self, step: &Landed) -> Result<()> {
        self.core.lock().landed(self.id, self.options, step)
    }

    async fn run(&self) -> Result<String, Step> {
        if let Some(problem) = self.client.settings().target_problem() {
            return Err(Step::Jira(Outcome::Failed(problem)));
        }
        // A scoped token's gateway address, found once; offline, the attempt waits like any.
        self.client.resolve().await?;
        // A create prepares the files as its preflight checks them; a resumed attempt asks for
        // the upload limit and prepares what is left.
        let (key, prepared) = match &self.plan.progress.submission.issue_key {
            Some(key) => (key.clone(), None),
            None => self.issue().await?,
        };
        // A desk's create cannot carry the property: it is set on every attempt until the
        // request is done (the write is idempotent), so a done request always has it.
        if self.client.settings().desk.is_some() {
            self.client
                .set_property(&key, PROPERTY, &self.property())
                .await?;
        }
        let uploads = match prepared {
            Some(uploads) => uploads,
            None if self.pending().next().is_none() => Vec::new(),
            None => {
                let Some(limit) = self.client.upload_limit().await? else {
                    return Err(Step::Jira(Outcome::Failed(
                        preflight::ATTACHMENTS_OFF.to_owned(),
                    )));
                };
                let (uploads, unfit) = self.prepare(limit).await?;
                if !unfit.is_empty() {
                    return Err(Step::Jira(Outcome::Failed(unfit.join(" "))));
                }
                uploads
            }
        };
        if !uploads.is_empty() {
            let remote = self.client.attachments(&key).await?;
            let there = |upload: &Upload| {
                remote
                    .iter()
                    .any(|r| r.filename == upload.name && r.size == upload.bytes.len() as u64)
            };
            if let Some(desk) = &self.client.settings().desk {
                let missing: Vec<(&str, &str, &[u8])> = uploads
                    .iter()
                    .filter(|(_, u)| !there(u))
                    .map(|(_, u)| (u.name.as_str(), u.mime, u.bytes.as_slice()))
                    .collect();
                if !missing.is_empty() {
                    self.client
                        .attach_files_to_request(
                            &desk.service_desk_id,
                            &key,
                            &missing,
                            self.plan.desk.public_attachments,
                        )
                        .await?;
                }
                for (slot, _) in uploads {
                    self.landed(&Landed::Upload(slot))?;
                }
            } else {
                for (slot, upload) in uploads {
                    if !there(&upload) {
                        self.client
                            .attach(&key, &upload.name, upload.mime, &upload.bytes)
                            .await?;
                    }
                    self.landed(&Landed::Upload(slot))?;
                }
            }
        }

        if !self.plan.progress.watcher_added {
            let warning = self.watch(&key).await?;
            self.landed(&Landed::Watcher(warning))?;
        }
        Ok(key)
    }

    /// The project's own fields, as Jira takes them: each playbook value converted by the
    /// field's schema; a user found by email. A value Jira would refuse stops here, naming the
    /// playbook line.
    async fn fields(&self, preflight: &Preflight) -> Result<Map<String, Value>, Step> {
        let mut out = Map::new();
        for value in &self.plan.field_values {
            let mapping = &value.mapping;
            let Some(field) = preflight.field(mapping) else {
                continue; // named among the preflight's problems
            };
            let refused =
                |why: String| Step::Jira(Outcome::Failed(format!("{}: {why}", mapping.origin)));
            let deployment = self.client.settings().deployment;
            let json = match values::convert(field, &value.text, deployment).map_err(refused)? {
                Converted::Ready(json) => json,
                Converted::User(email) => match self.client.find_user(&email).await? {
                    Some(user) if deployment == Deployment::Cloud => {
                        json!({ "accountId": user.id })
                    }
                    Some(user) => json!({ "name": user.id }),
                    None => {
                        return Err(refused(format!(
                            "Jira found no user {email} for {} (the token's account may not be allowed to browse users)",
                            field.name
                        )));
                    }
                },
            };
            out.insert(field.field_id.clone(), json);
        }
        Ok(out)
    }

    /// The issue property that proves an issue is this draft's.
    fn property(&self) -> Value {
        json!({ "draftId": self.id.to_string() })
    }

    /// `[jira.service_desk]`'s people as the desk takes them (account IDs, or usernames on Data
    /// Center): whose request it is, and its participants.
    async fn people(&self) -> Result<(Option<String>, Vec<String>), Step> {
        let desk = &self.plan.desk;
        let mut ids = Vec::new();
        for email in desk.raise_on_behalf_of.iter().chain(&desk.participants) {
            match self.client.find_user(email).await? {
                Some(user) => ids.push(user.id),
                None => {
                    return Err(Step::Jira(Outcome::Failed(format!(
                        "{}: Jira found no user {email} (the token's account may not be allowed to browse users, or the email is wrong).",
                        desk.origin
                    ))));
                }
            }
        }
        let on_behalf_of = desk.raise_on_behalf_of.as_ref().map(|_| ids.remove(0));
        Ok((on_behalf_of, ids))
    }

    /// The screenshots not on the ticket yet.
    fn pending(&self) -> impl Iterator<Item = &Shot> {
        self.plan
            .shots
            .iter()
            .filter(|shot| !self.plan.progress.uploaded.contains(&shot.slot))
    }

    /// Each pending screenshot as Jira gets it under `limit` (by slot), and why any cannot
    /// go. Encoding a picture is work for a blocking thread, not the runtime's.
    async fn prepare(&self, limit: u64) -> Result<(Vec<(String, Upload)>, Vec<String>), Step> {
        let (mut uploads, mut unfit) = (Vec::new(), Vec::new());
        for shot in self.pending() {
            let upload = if shot.png.len() as u64 <= limit {
                shot.upload(limit)
            } else {
                let shot = shot.clone();
                tokio::task::spawn_blocking(move || shot.upload(limit))
                    .await
                    .map_err(|e| {
                        Step::Store(Error::Storage(format!("the work was interrupted: {e}")))
                    })?
            };
            match upload {
                Ok(upload) => uploads.push((shot.slot.clone(), upload)),
                Err(why) => unfit.push(why),
            }
        }
        Ok((uploads, unfit))
    }

    /// Makes the CSM a watcher of the ticket. Never fails the ticket: what went otherwise comes
    /// back as the warning the CSM reads.
    async fn watch(&self, key: &str) -> Result<Option<String>, Step> {
        // `None`: the token's own account, with the call that needs no permission. The account
        // Settings found is used as it is; without one, Jira is asked now.
        let mut me = None;
        let watch = match (&self.plan.account, self.plan.csm_email.as_deref()) {
            (_, None) => WatchAs::TokenOwner,
            (Some(account), _) => account.watch.clone(),
            (None, Some(email)) => {
                let found = self.client.myself().await?;
                let watch = match self.client.watcher_for(&found, email).await? {
                    Watcher::TokenOwner => WatchAs::TokenOwner,
                    Watcher::Other(user) => WatchAs::Account(user.id),
                    Watcher::NotFound => WatchAs::NotFound,
                };
                me = Some(found);
                watch
            }
        };
        let (user, unknown) = match watch {
            WatchAs::TokenOwner => (None, None),
            WatchAs::Account(id) => (Some(id), None),
            WatchAs::NotFound => (None, self.plan.csm_email.as_deref()),
        };
        Ok(match self.client.add_watcher(key, user.as_deref()).await? {
            Watch::Refused(why) => Some(format!(
                "Ticket created; you were not added as a watcher: {why} Watch {key} yourself in Jira."
            )),
            Watch::Added => match unknown {
                Some(email) => {
                    // Named in the warning: the token's account, if not read above.
                    let me = match me {
                        Some(me) => me,
                        None => self.client.myself().await?,
                    };
                    Some(format!(
                        "Ticket created; Jira found no account for {email} (the token's account may not be allowed to browse users, or your Jira email is another one), so {}, whose token sent it, watches it instead.",
                        me.display_name
                    ))
                }
                None => None,
            },
        })
    }

    /// The draft's issue: found by its label, or created — never twice. With a create, the
    /// files prepared as its preflight checked them.
    async fn issue(&self) -> Result<(String, Option<Vec<(String, Upload)>>), Step> {
        if let Some(key) = self.find().await? {
            return Ok((key, None));
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
        // What the project's create screen needs, checked now: Settings or the project may
        // have changed since the draft was queued.
        let preflight = preflight::run(self.client).await?;
        self.core.lock().remember_jira_screen(&preflight)?;
        let mappings: Vec<&JiraMapping> = self.plan.mappings.iter().collect();
        let mut problems = preflight.problems(&mappings, !self.plan.shots.is_empty());
        problems.extend(preflight.desk_problems(&self.plan.desk));
        let mut uploads = None;
        if let Some(limit) = preflight.upload_limit {
            let (prepared, unfit) = self.prepare(limit).await?;
            problems.extend(unfit);
            uploads = Some(prepared);
        }
        if !problems.is_empty() {
            return Err(Step::Jira(Outcome::Failed(problems.join(" "))));
        }
        let fields = self.fields(&preflight).await?;
        let people = match self.client.settings().desk {
            Some(_) => self.people().await?,
            None => (None, Vec::new()),
        };
        self.landed(&Landed::CreateSent(Some(self.plan.now)))?;
        match self.create(&preflight, fields, people).await {
            Ok(created) => {
                self.landed(&Landed::Issue {
                    id: created.id,
                    key: created.key.clone(),
                })?;
                Ok((created.key, uploads))
            }
            Err(failure) => {
                // Only an answer-less failure leaves doubt; anything else created nothing.
                if !matches!(failure, Failure::Ambiguous(_)) {
                    self.landed(&Landed::CreateSent(None))?;
                }
                Err(failure.into())
            }
        }
    }

    /// The draft's issue if Jira has it already, recorded as landed.
    async fn find(&self) -> Result<Option<String>, Step> {
        let draft = self.id.to_string();
        let on_desk = self.client.settings().desk.is_some();
        // The label finds candidates; only the property, set in the create call itself, proves
        // an issue is this draft's (a label can be copied onto another issue by hand). On a
        // desk the property follows the create, so a request without one is taken too.
        let found: Vec<(IssueRef, Value)> = self
            .client
            .search_label(&label(self.id), PROPERTY)
            .await?
            .into_iter()
            .filter(|(_, property)| {
                property["draftId"].as_str() == Some(draft.as_str())
                    || (on_desk && property.is_null())
            })
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [(found, _)] => {
                self.landed(&Landed::Issue {
                    id: found.id.clone(),
                    key: found.key.clone(),
                })?;
                Ok(Some(found.key.clone()))
            }
            several => {
                let keys: Vec<&str> = several.iter().map(|(i, _)| i.key.as_str()).collect();
                Err(Step::Jira(Outcome::Failed(format!(
                    "Jira has {} tickets for this one request: {}. Keep one, delete the others (or ask Support to), then submit again: Onramp will carry on with the one left.",
                    keys.len(),
                    keys.join(", ")
                ))))
            }
        }
    }

    /// Sends the create: an issue of the project, or a request on the service desk (whose
    /// labels are among its fields), raised for `people` when the playbook says so.
    async fn create(
        &self,
        preflight: &Preflight,
        mut fields: Map<String, Value>,
        (on_behalf_of, participants): (Option<String>, Vec<String>),
    ) -> Result<IssueRef, Failure> {
        let mut labels = self.client.settings().labels.clone();
        labels.push(label(self.id));
        match &self.client.settings().desk {
            None => {
                let properties = json!([{ "key": PROPERTY, "value": self.property() }]);
                self.client
                    .create_issue(
                        &self.plan.ticket,
                        &preflight.issue_type.id,
                        &fields,
                        &labels,
                        &properties,
                    )
                    .await
            }
            Some(desk) => {
                fields.insert("labels".into(), json!(labels));
                let request = NewRequest {
                    service_desk: &desk.service_desk_id,
                    request_type: &preflight.issue_type.id,
                    fields,
                    on_behalf_of,
                    participants,
                };
                self.client
                    .create_request(&self.plan.ticket, &request)
                    .await
            }
        }
    }
}
