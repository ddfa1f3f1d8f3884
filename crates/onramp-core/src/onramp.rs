//! The application core both adapters drive: the window's commands and the `onramp` CLI.
//!
//! Every method is thin: it opens one unit of work (a read, or a write that commits as one
//! transaction) and calls the feature that owns the job.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::tz::TimeZone;
use rusqlite::Connection;

use crate::bundle::{self, Imported, OpenedBundle};
use crate::clock::{Clock, SystemClock};
use crate::drafts::{
    self, AnswerUpdate, DraftList, DraftSummary, DraftView, DuplicateDraft, Escalation, NewDraft,
    Saved,
};
use crate::follow_up::{self, CommentView};
use crate::jira::{JiraScreen, JiraSettings};
use crate::jira_choices::{self, JiraChoiceUpdate};
use crate::meeting::{self, ExportedFile, MeetingOutcome, MeetingView};
use crate::model::{
    CleanImage, DraftId, DraftQuery, HistoryEntry, Reply, Source, StatusSync, Submission,
    TicketRound, TrackedTicket,
};
use crate::outbox::{self, Claim, Landed, Options, Outcome, Plan};
use crate::playbook::{Playbook, ProviderSummary};
use crate::recap::{self, Recap, RecapEdit};
use crate::screenshots::{self, ScreenshotSlotRef};
use crate::secrets::OsKeyring;
use crate::settings::{self, SettingsUpdate, SettingsView};
use crate::sso::{self, SsoChecks};
use crate::store::{self, Integrity, Verify};
use crate::ticket::{self, Ticket};
use crate::work::{Context, Work};
use crate::{Error, Result, files, paths};

/// What every call reads and none changes.
#[derive(Debug)]
struct Env {
    dir: PathBuf,
    playbook: Playbook,
    clock: Box<dyn Clock>,
    source: Source,
    /// The CSM's own time zone, beside which meeting times are shown.
    local_tz: TimeZone,
}

impl Env {
    fn context(&self) -> Context<'_> {
        Context {
            playbook: &self.playbook,
            dir: &self.dir,
            now: self.clock.now(),
            source: self.source,
            local_tz: &self.local_tz,
        }
    }
}

#[derive(Debug)]
pub struct Onramp {
    conn: Connection,
    env: Env,
    /// Opened on first use: the Secret Service may take a moment to answer, or not at all.
    keyring: OnceLock<OsKeyring>,
    /// This running Onramp's name in the claims on submissions it is sending (see `outbox`).
    owner: String,
    /// Whether the database may be written (its integrity check may still run).
    integrity: Integrity,
    /// Keeps checkpoints off the save path (`None`: SQLite's automatic ones do it).
    _checkpoints: Option<store::Checkpointer>,
}

impl Onramp {
    /// Opens the data directory from the environment (`ONRAMP_DATA_DIR` or the OS default)
    /// with the playbook from `playbook`, `ONRAMP_PLAYBOOK` or the bundled one.
    pub fn open_default(playbook: Option<&Path>, verify: Verify) -> Result<Self> {
        Self::open_with(
            &paths::data_dir()?,
            Playbook::load(playbook)?,
            Box::new(SystemClock),
            verify,
        )
    }

    /// Opens (creating if needed) the data directory `dir`, checking the database first.
    pub fn open(dir: &Path, playbook: Playbook, clock: Box<dyn Clock>) -> Result<Self> {
        Self::open_with(dir, playbook, clock, Verify::Now)
    }

    /// Like `open`, with the database's integrity check run as `verify` says.
    pub fn open_with(
        dir: &Path,
        playbook: Playbook,
        clock: Box<dyn Clock>,
        verify: Verify,
    ) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Storage(format!(
                "cannot create the data directory {}: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join(store::DB_FILE);
        let store::Opened {
            conn,
            integrity,
            migrated,
        } = store::open(&path, clock.now(), verify)?;
        let checkpoints = store::Checkpointer::take_over(&conn, &path, integrity.clone());
        let mut onramp = Self {
            conn,
            env: Env {
                dir: dir.to_owned(),
                playbook,
                clock,
                source: Source::Window,
                local_tz: TimeZone::system(),
            },
            keyring: OnceLock::new(),
            owner: uuid::Uuid::new_v4().to_string(),
            integrity,
            _checkpoints: checkpoints,
        };
        // Every change keeps the search index in step; only drafts from before it existed
        // lack a row, and they arrive by a migration.
        if migrated {
            onramp.write(drafts::index_unindexed)?;
        }
        Ok(onramp)
    }

    /// Records later changes as coming from `source` (the window is the default).
    #[must_use]
    pub fn with_source(mut self, source: Source) -> Self {
        self.env.source = source;
        self
    }

    /// Shows meeting times in `zone` as the CSM's own (the system's zone is the default).
    #[must_use]
    pub fn with_local_time_zone(mut self, zone: TimeZone) -> Self {
        self.env.local_tz = zone;
        self
    }

    pub fn playbook(&self) -> &Playbook {
        &self.env.playbook
    }

    pub fn data_dir(&self) -> &Path {
        &self.env.dir
    }

    /// Where invites and recaps are saved: the only files Onramp hands to other apps.
    pub fn exports_dir(&self) -> PathBuf {
        self.env.dir.join("exports")
    }

    pub fn providers(&self) -> Vec<ProviderSummary> {
        self.env
            .playbook
            .providers()
            .iter()
            .map(Into::into)
            .collect()
    }

    /// Runs `f` on a snapshot of the database; nothing it does is kept.
    fn read<T>(&self, f: impl FnOnce(&Work<'_>) -> Result<T>) -> Result<T> {
        f(&Work::new(
            self.conn.unchecked_transaction()?,
            self.env.context(),
        ))
    }

    /// Runs `f` as one transaction: all of it is kept, or none.
    fn write<T>(&mut self, f: impl FnOnce(&Work<'_>) -> Result<T>) -> Result<T> {
        transact(&mut self.conn, &self.integrity, self.env.context(), f)
    }

    // Drafts.

    /// The CSM's choice for a Jira field the project requires (Review).
    pub fn set_jira_choice(&mut self, update: &JiraChoiceUpdate) -> Result<DraftView> {
        self.write(|w| jira_choices::set(w, update))?;
        self.open_draft(update.draft_id)
    }

    /// Keeps what a Test connection learned: the create screen (so drafts written offline know
    /// which Jira fields to ask) and the CSM's account (so sends know whom to add as watcher).
    pub fn remember_jira(&mut self, checked: &crate::jira::Checked) -> Result<()> {
        self.write(|w| {
            if let Some(screen) = &checked.screen {
                jira_choices::remember(w, screen)?;
            }
            if let Some(account) = &checked.account {
                store::settings::save_jira_account(w.conn(), account)?;
            }
            if !checked.check.desks.is_empty() {
                store::settings::save_jira_desks(w.conn(), &checked.check.desks)?;
            }
            Ok(())
        })
    }

    /// Keeps the project's create screen a preflight read, so drafts written offline know
    /// which Jira fields to ask.
    pub fn remember_jira_screen(&mut self, screen: &JiraScreen) -> Result<()> {
        self.write(|w| jira_choices::remember(w, screen))
    }

    /// A new draft, with the CSM's own name and email from Settings already filled in.
    pub fn create_draft(&mut self, new: &NewDraft) -> Result<DraftView> {
        let id = self.write(|w| drafts::create(w, new))?;
        self.open_draft(id)
    }

    /// A new draft for the same customer with another provider, for example HRIS after SSO:
    /// the account and contacts carry over, the provider's answers do not.
    pub fn duplicate_draft(&mut self, request: &DuplicateDraft) -> Result<DraftView> {
        let id = self.write(|w| drafts::duplicate(w, request))?;
        self.open_draft(id)
    }

    /// The drafts home: the page of drafts `query` asks for, and how many match in all.
    pub fn drafts_home(&self, query: &DraftQuery) -> Result<DraftList> {
        self.read(|w| drafts::home(w, query))
    }

    pub fn list_drafts(&self, query: &DraftQuery) -> Result<Vec<DraftSummary>> {
        self.read(|w| drafts::list(w, query))
    }

    /// The draft a person names: a whole ID, or a unique start of one (as `onramp` takes it).
    pub fn draft_named(&self, text: &str) -> Result<DraftId> {
        self.read(|w| drafts::named(w, text))
    }

    pub fn open_draft(&self, id: DraftId) -> Result<DraftView> {
        self.read(|w| drafts::open(w, id))
    }

    /// Autosave of one field. Refuses fields the draft's wizard does not ask and values of the
    /// wrong shape; stores values that are merely invalid, so typing is never lost.
    pub fn set_answer(&mut self, update: &AnswerUpdate) -> Result<Saved> {
        self.write(|w| drafts::set_answer(w, update))
    }

    /// Escalates the draft with a note (`Some`), or ends the escalation (`None`).
    pub fn set_escalation(&mut self, request: &Escalation) -> Result<DraftSummary> {
        let id = self.write(|w| drafts::set_escalation(w, request))?;
        self.read(|w| drafts::summary(w, id))
    }

    /// Moves a draft to the trash; it can be restored until it is purged.
    pub fn trash_draft(&mut self, id: DraftId) -> Result<()> {
        self.write(|w| drafts::set_trashed(w, id, true))
    }

    pub fn restore_draft(&mut self, id: DraftId) -> Result<()> {
        self.write(|w| drafts::set_trashed(w, id, false))
    }

    /// Deletes a draft in the trash for good, with its history and screenshots.
    pub fn purge_draft(&mut self, id: DraftId) -> Result<()> {
        self.write(|w| drafts::purge(w, id))
    }

    pub fn history(&self, id: DraftId) -> Result<Vec<HistoryEntry>> {
        self.read(|w| drafts::history(w, id))
    }

    // Screenshots.

    /// Checks, cleans and stores `bytes` as the screenshot for `slot`, replacing what was there.
    /// `Shared::attach_screenshot` does the same without holding the core while it cleans.
    pub fn attach_screenshot(
        &mut self,
        target: &ScreenshotSlotRef,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<DraftView> {
        self.check_slot(target)?;
        let image = screenshots::clean(bytes, file_name)?;
        store::screenshots::write_files(&self.env.dir, &image)?;
        self.attach_clean(target, file_name, &image)
    }

    /// Like `attach_screenshot`, reading the file at `path` (never more than the size limit).
    pub fn attach_screenshot_file(
        &mut self,
        target: &ScreenshotSlotRef,
        path: &Path,
    ) -> Result<DraftView> {
        let (name, bytes) = screenshots::read_file(path)?;
        self.attach_screenshot(target, &name, &bytes)
    }

    /// A screenshot pasted from the clipboard, which hands over raw RGBA pixels.
    pub fn attach_screenshot_rgba(
        &mut self,
        target: &ScreenshotSlotRef,
        width: u32,
        height: u32,
        rgba: Vec<u8>,
    ) -> Result<DraftView> {
        let png = screenshots::png_from_rgba(width, height, rgba)?;
        self.attach_screenshot(target, screenshots::PASTED_NAME, &png)
    }

    /// Refuses a slot the draft's provider does not ask for, or a draft that may not change.
    pub fn check_slot(&self, target: &ScreenshotSlotRef) -> Result<()> {
        self.read(|w| screenshots::slot(w, target)).map(drop)
    }

    /// Stores an image `screenshots::clean` already checked and cleaned (its files written).
    pub fn attach_clean(
        &mut self,
        target: &ScreenshotSlotRef,
        file_name: &str,
        image: &CleanImage,
    ) -> Result<DraftView> {
        self.write(|w| screenshots::attach(w, target, file_name, image))
    }

    pub fn remove_screenshot(&mut self, target: &ScreenshotSlotRef) -> Result<DraftView> {
        self.write(|w| screenshots::remove(w, target))
    }

    /// The stored, full-size PNG of a slot's screenshot.
    pub fn screenshot_png(&self, target: &ScreenshotSlotRef) -> Result<Vec<u8>> {
        self.read(|w| screenshots::png(w, target))
    }

    // Bundles.

    /// The draft, its screenshots and its history as one bundle file's bytes.
    pub fn export_bundle(&self, id: DraftId) -> Result<Vec<u8>> {
        self.read(|w| bundle::export(w, id))
    }

    /// Writes the bundle to `path` through a temporary file: a failed export leaves no half file.
    pub fn export_bundle_to(&self, id: DraftId, path: &Path) -> Result<()> {
        files::write_atomically(path, &self.export_bundle(id)?)
    }

    /// Writes the bundle into `dir`, named for the company and provider, never over an existing
    /// file (`name (2).onramp.zip`, …). Returns where it went.
    pub fn export_bundle_into(&self, id: DraftId, dir: &Path) -> Result<PathBuf> {
        let draft = self.read(|w| w.draft(id))?;
        let path = bundle::free_path(dir, id, draft.company().as_deref(), &draft.provider_id);
        self.export_bundle_to(id, &path)?;
        Ok(path)
    }

    /// Imports a bundle exported on another machine, after checking every hash in it. A draft
    /// that is already here is left as it is.
    pub fn import_bundle(&mut self, bytes: &[u8]) -> Result<Imported> {
        let opened = bundle::open(bytes)?;
        if let Some(done) = self.importable(&opened)? {
            return Ok(done);
        }
        let images = opened.clean_images()?;
        self.import_opened(&opened, &images)
    }

    /// Like `import_bundle`, reading the file at `path` (never more than a bundle may be).
    pub fn import_bundle_file(&mut self, path: &Path) -> Result<Imported> {
        match files::read_limited(path, bundle::MAX_BUNDLE_BYTES)? {
            files::Limited::Read(bytes) => self.import_bundle(&bytes),
            files::Limited::TooLarge(size) => Err(bundle::too_large(size)),
        }
    }

    /// What an import of `opened` would find before any image is cleaned: `Some` when the draft
    /// is here already; an error when this playbook lacks its provider.
    pub fn importable(&self, opened: &OpenedBundle) -> Result<Option<Imported>> {
        self.read(|w| bundle::check(w, opened))
    }

    /// Imports `opened`, whose images `OpenedBundle::clean_images` cleaned.
    pub fn import_opened(
        &mut self,
        opened: &OpenedBundle,
        images: &[CleanImage],
    ) -> Result<Imported> {
        self.write(|w| bundle::import(w, opened, images))
    }

    // The ticket.

    /// The Jira ticket the draft becomes: what Review previews and what Jira receives.
    pub fn ticket(&self, id: DraftId) -> Result<Ticket> {
        self.read(|w| ticket::ticket(w, id))
    }

    /// The message that raises the request in the support channel, with the ticket's key and
    /// link once a submission made it (the link needs the Jira site from the settings).
    pub fn support_message(&self, id: DraftId) -> Result<String> {
        let link = self.ticket_link(id)?;
        self.slack_message(id, link)
    }

    /// The support-channel message; `ticket` is the key and link once the ticket exists.
    pub fn slack_message(&self, id: DraftId, ticket: Option<(String, String)>) -> Result<String> {
        self.read(|w| ticket::slack_message(w, id, ticket))
    }

    /// The browser link to the draft's Jira ticket, once it exists.
    pub fn ticket_url(&self, id: DraftId) -> Result<String> {
        let key = self
            .submission(id)?
            .and_then(|s| s.issue_key)
            .ok_or_else(|| Error::InvalidInput("this request has no Jira ticket yet".into()))?;
        Ok(self.jira_settings()?.browse_url(&key))
    }

    /// The ticket's key and link, once it exists (the link empty while Jira is not set up).
    fn ticket_link(&self, id: DraftId) -> Result<recap::TicketLink> {
        Ok(self.submission(id)?.and_then(|s| s.issue_key).map(|key| {
            let url = self.ticket_url(id).unwrap_or_default();
            (key, url)
        }))
    }

    // The outbox.

    /// Puts a finished draft in the outbox. Refused while anything required is missing.
    pub fn queue_submission(&mut self, id: DraftId) -> Result<Submission> {
        self.write(|w| outbox::queue(w, id))?;
        self.existing_submission(id)
    }

    pub fn submission(&self, id: DraftId) -> Result<Option<Submission>> {
        self.read(|w| outbox::submission(w, id))
    }

    fn existing_submission(&self, id: DraftId) -> Result<Submission> {
        self.submission(id)?.ok_or(Error::NotFound {
            what: "submission",
            id: id.to_string(),
        })
    }

    /// Every submission, queued, failed or done.
    pub fn outbox(&self) -> Result<Vec<Submission>> {
        self.read(outbox::all)
    }

    /// Drafts whose next attempt is due now.
    pub fn due_submissions(&self) -> Result<Vec<DraftId>> {
        self.read(outbox::due)
    }

    /// "Retry now": a failed or waiting submission is due again at once.
    pub fn retry_submission(&mut self, id: DraftId) -> Result<Submission> {
        self.write(|w| outbox::retry(w, id))?;
        self.existing_submission(id)
    }

    /// Claims the submission of `id` for this process and reads what an attempt needs; `None`
    /// when nothing is queued or another running Onramp is sending it.
    pub(crate) fn begin_attempt(&mut self, id: DraftId, options: &Options) -> Result<Option<Plan>> {
        let owner = self.owner.clone();
        let claim = Claim {
            owner: &owner,
            lease: options.lease,
        };
        let plan = self.write(|w| outbox::plan(w, id, claim));
        if plan.is_err() {
            // Best effort: a claim left behind lapses by itself.
            let _ = self.write(|w| outbox::release(w, id, claim));
        }
        plan
    }

    /// Records a step of the attempt that landed, before the next begins.
    pub(crate) fn landed(&mut self, id: DraftId, options: &Options, step: &Landed) -> Result<()> {
        let owner = self.owner.clone();
        let claim = Claim {
            owner: &owner,
            lease: options.lease,
        };
        self.write(|w| outbox::landed(w, id, claim, step))
    }

    /// The attempt is over: `outcome` recorded, when there is one, and the claim given up.
    pub(crate) fn end_attempt(
        &mut self,
        id: DraftId,
        options: &Options,
        outcome: Option<(&Outcome, u32)>,
    ) -> Result<()> {
        let owner = self.owner.clone();
        let claim = Claim {
            owner: &owner,
            lease: options.lease,
        };
        match outcome {
            Some((outcome, attempts)) => {
                self.write(|w| outbox::finish(w, id, claim, outcome, attempts, options))
            }
            None => self.write(|w| outbox::release(w, id, claim)),
        }
    }

    /// Tickets the status sync follows (created, not gone, not done in Jira), with their
    /// drafts.
    pub fn tracked_tickets(&self) -> Result<Vec<TrackedTicket>> {
        self.read(follow_up::tracked)
    }

    /// Keeps what a status sync round learned of the tickets `tracked`.
    pub(crate) fn apply_ticket_round(
        &mut self,
        tracked: &[TrackedTicket],
        round: &TicketRound,
    ) -> Result<()> {
        self.write(|w| follow_up::apply(w, tracked, round))
    }

    /// Keeps a status sync round that failed, with why.
    pub(crate) fn record_failed_sync(
        &mut self,
        tracked: usize,
        requests: usize,
        error: String,
    ) -> Result<()> {
        self.write(|w| follow_up::record(w, tracked, requests, Some(error)))
    }

    /// The CSM confirms the integration is live (Support's ticket is done); the home's row.
    pub fn mark_live(&mut self, id: DraftId) -> Result<DraftSummary> {
        self.write(|w| {
            follow_up::mark_live(w, id)?;
            drafts::summary(w, id)
        })
    }

    /// What was written on the draft's ticket, as the status sync last read it.
    pub fn ticket_comments(&self, id: DraftId) -> Result<Vec<CommentView>> {
        self.read(|w| follow_up::comments(w, id))
    }

    /// The CSM's reply on the draft's ticket, waiting to be posted; the thread as it now reads.
    pub fn reply_to_ticket(&mut self, id: DraftId, body: &str) -> Result<Vec<CommentView>> {
        self.write(|w| {
            follow_up::add_reply(w, id, body)?;
            follow_up::comments(w, id)
        })
    }

    /// Replies Jira does not have yet and may still take.
    pub fn unsent_replies(&self) -> Result<Vec<Reply>> {
        self.read(follow_up::unsent_replies)
    }

    pub(crate) fn reply_post_sent(&mut self, reply: &str) -> Result<()> {
        self.write(|w| follow_up::reply_post_sent(w, reply))
    }

    pub(crate) fn reply_sent(&mut self, reply: &str, comment: &str) -> Result<()> {
        self.write(|w| follow_up::reply_sent(w, reply, comment))
    }

    pub(crate) fn reply_failed(
        &mut self,
        reply: &str,
        why: &str,
        refused: bool,
        posted_maybe: bool,
    ) -> Result<()> {
        self.write(|w| follow_up::reply_failed(w, reply, why, refused, posted_maybe))
    }

    /// The last status sync round, if one ran.
    pub fn last_status_sync(&self) -> Result<Option<StatusSync>> {
        self.read(follow_up::last)
    }

    // The meeting and the recap.

    pub fn meeting(&self, id: DraftId) -> Result<MeetingView> {
        self.read(|w| meeting::view(w, id))
    }

    /// The `.ics` invite (or, with `cancel`, its cancellation) for the draft's meeting. An invite
    /// that differs from the last one sent, or follows a reschedule, gets the next SEQUENCE.
    pub fn export_invite(&mut self, id: DraftId, cancel: bool) -> Result<ExportedFile> {
        self.write(|w| meeting::export_invite(w, id, cancel))
    }

    /// Records how the meeting went.
    pub fn record_meeting_outcome(&mut self, request: &MeetingOutcome) -> Result<MeetingView> {
        self.write(|w| meeting::record_outcome(w, request))
    }

    /// The procedure: the recap goes out once the meeting's recording is processed.
    pub fn mark_recording_processed(&mut self, id: DraftId) -> Result<MeetingView> {
        self.write(|w| meeting::mark_recording_processed(w, id))
    }

    /// Saves `file` in the exports folder under a name no file has yet.
    pub fn save_export(&self, file: &ExportedFile) -> Result<PathBuf> {
        meeting::save(&self.exports_dir(), file)
    }

    /// The recap, as the CSM last edited it or as the template writes it. Available once the
    /// meeting was held and its recording processed, as the procedure says.
    pub fn recap(&self, id: DraftId) -> Result<Recap> {
        let link = self.ticket_link(id)?;
        self.read(|w| recap::recap(w, id, link))
    }

    /// Keeps the CSM's edit of the recap.
    pub fn save_recap(&mut self, edit: &RecapEdit) -> Result<Recap> {
        let link = self.ticket_link(edit.draft_id)?;
        self.write(|w| recap::save(w, edit, link))
    }

    /// Drops the CSM's edit: the recap is the template's again.
    pub fn reset_recap(&mut self, id: DraftId) -> Result<Recap> {
        let link = self.ticket_link(id)?;
        self.write(|w| recap::reset(w, id, link))
    }

    /// The recap as an `.eml` draft, with the One-Pager for upsell deals.
    pub fn export_recap(&mut self, id: DraftId) -> Result<ExportedFile> {
        let link = self.ticket_link(id)?;
        self.write(|w| recap::export(w, id, link))
    }

    /// The recap as a `mailto:` link (plain text, no attachment).
    pub fn recap_mailto(&mut self, id: DraftId) -> Result<String> {
        let link = self.ticket_link(id)?;
        self.write(|w| recap::mailto_link(w, id, link))
    }

    /// Subject and body as one text, for the clipboard.
    pub fn recap_text(&self, id: DraftId) -> Result<String> {
        let link = self.ticket_link(id)?;
        self.read(|w| recap::text(w, id, link))
    }

    // Settings.

    pub fn settings(&self) -> Result<SettingsView> {
        let keyring = self.keyring()?;
        self.read(|w| settings::view(w, keyring))
    }

    /// Checks and saves settings, secrets into the keyring. Nothing is saved if anything is
    /// wrong.
    pub fn save_settings(&mut self, update: SettingsUpdate) -> Result<SettingsView> {
        self.keyring()?;
        let keyring = self
            .keyring
            .get()
            .ok_or_else(|| Error::Storage("the keyring could not be opened".into()))?;
        let new_token = update
            .token
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty());
        transact(&mut self.conn, &self.integrity, self.env.context(), |w| {
            let saved = settings::save(w, keyring, update)?;
            if new_token {
                outbox::requeue_failed_on_token(w)?;
            }
            Ok(saved)
        })
    }

    /// The Jira connection to use: the saved settings and keyring token, each overridden by
    /// its `ONRAMP_JIRA_*` variable. The error names everything still missing.
    pub fn jira_settings(&self) -> Result<JiraSettings> {
        let keyring = self.keyring()?;
        self.read(|w| settings::jira(w, keyring))
    }

    /// The connection the Settings form describes, before it is saved: what "Test connection"
    /// tries. A token left empty there means the saved one.
    pub fn jira_settings_from(&self, form: &SettingsUpdate) -> Result<JiraSettings> {
        settings::jira_from(self.keyring()?, form)
    }

    /// The Slack incoming webhook, when one is saved.
    pub fn slack_webhook(&self) -> Result<Option<url::Url>> {
        settings::slack_webhook(self.keyring()?)
    }

    fn keyring(&self) -> Result<&OsKeyring> {
        if let Some(k) = self.keyring.get() {
            return Ok(k);
        }
        // Made once per data directory, and written: so only into a sound database.
        self.integrity.wait()?;
        let namespace = store::settings::keyring_namespace(&self.conn)?;
        Ok(self.keyring.get_or_init(|| OsKeyring::new(&namespace)))
    }

    // SSO checks.

    /// What Onramp found in the draft's identity provider settings.
    pub fn sso_checks(&self, id: DraftId) -> Result<SsoChecks> {
        self.read(|w| sso::checks(w, id))
    }

    /// The draft's metadata URL when it has not been fetched yet (or was fetched for another URL).
    pub fn metadata_url_to_fetch(&self, id: DraftId) -> Result<Option<String>> {
        self.read(|w| sso::metadata_url_to_fetch(w, id))
    }

    /// Keeps what fetching `url` gave, and fills the fields the metadata answers.
    pub fn store_fetched_metadata(
        &mut self,
        id: DraftId,
        url: &str,
        result: std::result::Result<Vec<u8>, String>,
    ) -> Result<SsoChecks> {
        self.write(|w| sso::store_fetched(w, id, url, result))
    }

    /// Keeps what checking the OpenID Connect `issuer` found.
    pub fn store_issuer_check(
        &mut self,
        id: DraftId,
        issuer: &str,
        found: &[crate::model::Finding],
    ) -> Result<()> {
        self.write(|w| sso::store_issuer_check(w, id, issuer, found))
    }

    /// A metadata file dropped on the window: its text becomes the Metadata XML answer (which
    /// fills the fields it holds). Refused, with the reason, when it cannot be metadata.
    pub fn metadata_from_file(&mut self, id: DraftId, path: &Path) -> Result<SsoChecks> {
        let xml = sso::read_metadata_file(path)?;
        self.set_answer(&AnswerUpdate {
            draft_id: id,
            field_id: crate::playbook::fields::sso::METADATA_XML.to_owned(),
            value: Some(crate::answers::AnswerValue::Text(xml)),
        })?;
        self.sso_checks(id)
    }
}

/// Runs `f` as one transaction on `conn`. Waits for the integrity check first, if it still
/// runs: nothing is written into a damaged database. The screenshot files the change left
/// unused are deleted once it has committed.
fn transact<T>(
    conn: &mut Connection,
    integrity: &Integrity,
    context: Context<'_>,
    f: impl FnOnce(&Work<'_>) -> Result<T>,
) -> Result<T> {
    integrity.wait()?;
    let dir = context.dir;
    // Immediate: another process (the window, a terminal) may write the same file; taking the
    // write lock first makes it wait its turn (the busy timeout) instead of failing at the
    // first write after a read.
    let work = Work::new(
        conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?,
        context,
    );
    let out = f(&work)?;
    let unused = work.commit()?;
    store::screenshots::delete_files(dir, &unused);
    Ok(out)
}
