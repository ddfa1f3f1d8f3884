//! The application core both adapters drive: the window's commands and the `onramp` CLI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::Connection;

use crate::answers::AnswerValue;
use crate::bundle::{self, Export, Imported};
use crate::clock::{Clock, SystemClock};
use crate::drafts::{
    self, AnswerUpdate, Draft, DraftId, DraftList, DraftQuery, DraftStatus, DraftSummary,
    DraftView, DuplicateDraft, Escalation, NewDraft, Saved, ScreenshotSlotRef,
};
use crate::history::{self, Change, Event, HistoryEntry, Source};
use crate::playbook::{Playbook, ProviderSummary};
use crate::readiness::{Readiness, readiness};
use crate::ticket::{self, Ticket};
use crate::wizard::{self, Step};
use crate::{Error, Result, files, paths, screenshots, search, store, validate};

/// A slot's screenshot hash before and after a change.
struct ScreenshotChange(Option<String>, Option<String>);

#[derive(Debug)]
pub struct Onramp {
    pub(crate) conn: Connection,
    dir: PathBuf,
    playbook: Playbook,
    pub(crate) clock: Box<dyn Clock>,
    pub(crate) source: Source,
    /// Opened on first use: the Secret Service may take a moment to answer, or not at all.
    pub(crate) keyring: std::sync::OnceLock<crate::secrets::OsKeyring>,
    /// Drafts an attempt is sending right now (in memory: after a crash, nothing is).
    pub(crate) sending: std::collections::HashSet<DraftId>,
    /// The CSM's own time zone, beside which meeting times are shown.
    pub(crate) local_tz: jiff::tz::TimeZone,
    /// Keeps checkpoints off the save path (`None`: SQLite's automatic ones do it).
    _checkpoints: Option<store::Checkpointer>,
}

impl Onramp {
    /// Opens the data directory from the environment (`ONRAMP_DATA_DIR` or the OS default)
    /// with the playbook from `playbook`, `ONRAMP_PLAYBOOK` or the bundled one.
    pub fn open_default(playbook: Option<&Path>) -> Result<Self> {
        Self::open(
            &paths::data_dir()?,
            Playbook::load(playbook)?,
            Box::new(SystemClock),
        )
    }

    /// Opens (creating if needed) the data directory `dir`.
    pub fn open(dir: &Path, playbook: Playbook, clock: Box<dyn Clock>) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Storage(format!(
                "cannot create the data directory {}: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join(store::DB_FILE);
        let conn = store::open(&path, clock.now())?;
        let checkpoints = store::Checkpointer::take_over(&conn, &path);
        let mut onramp = Self {
            conn,
            dir: dir.to_owned(),
            playbook,
            clock,
            source: Source::Window,
            keyring: std::sync::OnceLock::new(),
            sending: std::collections::HashSet::new(),
            local_tz: jiff::tz::TimeZone::system(),
            _checkpoints: checkpoints,
        };
        onramp.index_unindexed()?;
        Ok(onramp)
    }

    /// Records later changes as coming from `source` (the window is the default).
    #[must_use]
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Shows meeting times in `zone` as the CSM's own (the system's zone is the default).
    #[must_use]
    pub fn with_local_time_zone(mut self, zone: jiff::tz::TimeZone) -> Self {
        self.local_tz = zone;
        self
    }

    pub fn playbook(&self) -> &Playbook {
        &self.playbook
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    pub fn providers(&self) -> Vec<ProviderSummary> {
        self.playbook.providers().iter().map(Into::into).collect()
    }

    /// A new draft, with the CSM's own name and email from Settings already filled in.
    pub fn create_draft(&mut self, new: &NewDraft) -> Result<DraftView> {
        let id = self.insert_draft(&new.provider_id, self.csm_answers()?)?;
        self.open_draft(id)
    }

    fn csm_answers(&self) -> Result<BTreeMap<String, AnswerValue>> {
        let saved = crate::settings::load(&self.conn)?;
        Ok(
            [("csm_name", saved.csm_name), ("csm_email", saved.csm_email)]
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(id, value)| (id.to_owned(), AnswerValue::Text(value)))
                .collect(),
        )
    }

    /// A new draft for the same customer with another provider, for example HRIS after SSO:
    /// the account and contacts carry over, the provider's answers do not.
    pub fn duplicate_draft(&mut self, request: &DuplicateDraft) -> Result<DraftView> {
        let source = drafts::get(&self.conn, request.draft_id)?;
        let mut carried = self.csm_answers()?;
        carried.extend(
            wizard::account_field_ids()
                .into_iter()
                .filter_map(|id| source.answers.get(&id).cloned().map(|v| (id, v))),
        );
        let id = self.insert_draft(&request.provider_id, carried)?;
        self.open_draft(id)
    }

    fn insert_draft(
        &mut self,
        provider_id: &str,
        mut answers: BTreeMap<String, AnswerValue>,
    ) -> Result<DraftId> {
        let provider = self.playbook.provider(provider_id)?;
        for (field, value) in crate::meeting::defaults(&self.playbook, provider, &self.local_tz)? {
            answers.entry(field).or_insert(value);
        }
        let id = DraftId::new();
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        drafts::insert(&tx, id, provider.kind, &provider.id, now, now)?;
        history::record(&tx, id, now, self.source, Change::of(Event::Created))?;
        for (field_id, value) in answers {
            let update = AnswerUpdate {
                draft_id: id,
                field_id,
                value: Some(value),
            };
            Self::store_answer(&tx, self.source, &update, now)?;
        }
        Self::after_change(&tx, &self.playbook, id)?;
        tx.commit()?;
        Ok(id)
    }

    /// The drafts home: the page of drafts `query` asks for, and how many match in all.
    pub fn drafts_home(&self, query: &DraftQuery) -> Result<DraftList> {
        Ok(DraftList {
            drafts: self.list_drafts(query)?,
            total: drafts::count(&self.conn, query)?,
        })
    }

    pub fn list_drafts(&self, query: &DraftQuery) -> Result<Vec<DraftSummary>> {
        let (found, ids) = drafts::find(&self.conn, query)?;
        // One query each for screenshots and tickets, and each provider's steps built once: a
        // page can hold many drafts.
        let slots = screenshots::slots_of(&self.conn, &ids)?;
        let mut tickets = crate::submissions::tickets_of(&self.conn, &ids)?;
        let mut steps: std::collections::HashMap<String, Vec<Step>> =
            std::collections::HashMap::new();
        let none = std::collections::HashSet::new();
        Ok(found
            .into_iter()
            .map(|draft| {
                let steps = steps
                    .entry(draft.provider_id.clone())
                    .or_insert_with(|| self.steps_for(&draft.provider_id));
                let key = draft.id.to_string();
                let filled = slots.get(&key).unwrap_or(&none);
                let ticket = tickets.remove(&key).unwrap_or_default();
                self.summarize_with(draft, steps, filled, ticket)
            })
            .collect())
    }

    /// A draft as one row of the home list.
    fn summarize(&self, draft: Draft) -> Result<DraftSummary> {
        let steps = self.steps_for(&draft.provider_id);
        let filled = screenshots::slots(&self.conn, draft.id)?;
        let ticket = self
            .submission(draft.id)?
            .map_or((None, None), |s| (s.issue_key, s.jira_status));
        Ok(self.summarize_with(draft, &steps, &filled, ticket))
    }

    fn summarize_with(
        &self,
        draft: Draft,
        steps: &[Step],
        filled: &std::collections::HashSet<String>,
        (issue_key, jira_status): crate::submissions::Ticket,
    ) -> DraftSummary {
        let open_items = crate::readiness::open_items(steps, &draft.answers, filled);
        DraftSummary {
            issue_key,
            jira_status,
            id: draft.id,
            kind: draft.kind,
            provider_name: self.provider_name(&draft.provider_id),
            company: draft.company(),
            provider_id: draft.provider_id,
            status: draft.status,
            status_note: draft.status_note,
            open_items,
            updated_at: draft.updated_at,
            deleted_at: draft.deleted_at,
        }
    }

    /// The wizard steps for a provider ID; none when the playbook no longer has it.
    fn steps_for(&self, provider_id: &str) -> Vec<Step> {
        self.playbook
            .provider(provider_id)
            .map(|p| wizard::steps(&self.playbook, p))
            .unwrap_or_default()
    }

    pub fn open_draft(&self, id: DraftId) -> Result<DraftView> {
        let draft = drafts::get(&self.conn, id)?;
        let steps = self.steps_for(&draft.provider_id);
        let provider = self.playbook.provider(&draft.provider_id).ok();
        Ok(DraftView {
            readiness: readiness(&steps, &draft.answers, &screenshots::slots(&self.conn, id)?),
            screenshots: screenshots::list(&self.conn, &self.dir, id)?,
            provider_name: self.provider_name(&draft.provider_id),
            suggested_sso: provider
                .and_then(|p| p.also_offers_sso.as_ref())
                .and_then(|sso| self.playbook.provider(&sso.provider).ok())
                .map(Into::into),
            provider: provider.map(Into::into),
            steps,
            draft,
        })
    }

    /// Autosave of one field. Refuses fields the draft's wizard does not ask and values of the
    /// wrong shape; stores values that are merely invalid, so typing is never lost.
    pub fn set_answer(&mut self, update: &AnswerUpdate) -> Result<Saved> {
        let draft = if wizard::is_meeting_field(&update.field_id) {
            self.live_draft(update.draft_id)?
        } else {
            self.editable(update.draft_id)?
        };
        let provider = self.playbook.provider(&draft.provider_id)?;
        let steps = wizard::steps(&self.playbook, provider);
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
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        Self::store_answer(&tx, self.source, update, now)?;
        // Pasted metadata fills the entity ID, SSO URL and certificate it holds.
        if update.field_id == crate::sso::field::METADATA_XML
            && let Some(metadata) = update
                .value
                .as_ref()
                .and_then(AnswerValue::as_text)
                .and_then(|xml| crate::sso::metadata::parse(xml.as_bytes()).ok())
        {
            Self::fill_from(&tx, self.source, update.draft_id, &metadata, now)?;
        }
        let readiness = Self::after_change(&tx, &self.playbook, update.draft_id)?;
        tx.commit()?;
        Ok(Saved {
            updated_at: now,
            readiness,
        })
    }

    /// Escalates the draft with a note (`Some`), or ends the escalation (`None`).
    pub fn set_escalation(&mut self, request: &Escalation) -> Result<DraftSummary> {
        let draft = self.editable(request.draft_id)?;
        let note = request.note.as_deref().map(str::trim);
        if note == Some("") {
            return Err(Error::InvalidInput(
                "say why the request is escalated: the note is what your team lead reads".into(),
            ));
        }
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        let (status, value) = match note {
            Some(note) => (DraftStatus::Escalated, AnswerValue::Text(note.to_owned())),
            None => (DraftStatus::Draft, AnswerValue::Text(String::new())),
        };
        drafts::set_status(&tx, draft.id, status, note)?;
        drafts::touch(&tx, draft.id, now)?;
        let old = draft.status_note.map(AnswerValue::Text);
        let change = Change::of(Event::Status).values(old.as_ref(), Some(&value));
        history::record(&tx, draft.id, now, self.source, change)?;
        // Ending an escalation goes back to draft or ready, whichever readiness says.
        Self::after_change(&tx, &self.playbook, draft.id)?;
        tx.commit()?;
        self.summarize(drafts::get(&self.conn, draft.id)?)
    }

    /// Moves a draft to the trash; it can be restored until it is purged.
    pub fn trash_draft(&mut self, id: DraftId) -> Result<()> {
        self.set_deleted(id, true)
    }

    pub fn restore_draft(&mut self, id: DraftId) -> Result<()> {
        self.set_deleted(id, false)
    }

    fn set_deleted(&mut self, id: DraftId, deleted: bool) -> Result<()> {
        let draft = drafts::get(&self.conn, id)?;
        if draft.deleted_at.is_some() == deleted {
            return Ok(());
        }
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        drafts::set_deleted(&tx, id, deleted.then_some(now))?;
        let event = if deleted {
            Event::Trashed
        } else {
            Event::Restored
        };
        history::record(&tx, id, now, self.source, Change::of(event))?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a draft in the trash for good, with its history and screenshots.
    pub fn purge_draft(&mut self, id: DraftId) -> Result<()> {
        let draft = drafts::get(&self.conn, id)?;
        if draft.deleted_at.is_none() {
            return Err(Error::InvalidInput(
                "only drafts in the trash can be deleted for good; move it to the trash first"
                    .into(),
            ));
        }
        let tx = self.conn.transaction()?;
        drafts::purge(&tx, id)?;
        let orphans = screenshots::orphans(&tx)?;
        tx.commit()?;
        screenshots::delete_files(&self.dir, &orphans);
        Ok(())
    }

    /// Checks, cleans and stores `bytes` as the screenshot for `slot`, replacing what was there.
    pub fn attach_screenshot(
        &mut self,
        target: &ScreenshotSlotRef,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<DraftView> {
        let slot = self.slot(target)?;
        let image = screenshots::clean(bytes, file_name)?;
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        screenshots::store(&tx, &self.dir, &image, now)?;
        let old = screenshots::attach(&tx, target.draft_id, &slot, &image.sha256, file_name, now)?;
        let change = ScreenshotChange(old, Some(image.sha256.clone()));
        Self::record_screenshot(&tx, &self.playbook, self.source, target, change, now)?;
        let orphans = screenshots::orphans(&tx)?;
        tx.commit()?;
        screenshots::delete_files(&self.dir, &orphans);
        self.open_draft(target.draft_id)
    }

    /// Like `attach_screenshot`, reading the file at `path` (never more than the size limit).
    pub fn attach_screenshot_file(
        &mut self,
        target: &ScreenshotSlotRef,
        path: &Path,
    ) -> Result<DraftView> {
        let name = path
            .file_name()
            .map_or_else(|| "screenshot".into(), |n| n.to_string_lossy().into_owned());
        let bytes = files::read_limited(path, screenshots::MAX_BYTES as u64)?;
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

    pub fn remove_screenshot(&mut self, target: &ScreenshotSlotRef) -> Result<DraftView> {
        let slot = self.slot(target)?;
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        let old = screenshots::detach(&tx, target.draft_id, &slot)?;
        if old.is_some() {
            let change = ScreenshotChange(old, None);
            Self::record_screenshot(&tx, &self.playbook, self.source, target, change, now)?;
        }
        let orphans = screenshots::orphans(&tx)?;
        tx.commit()?;
        screenshots::delete_files(&self.dir, &orphans);
        self.open_draft(target.draft_id)
    }

    /// The stored, full-size PNG of a slot's screenshot.
    pub fn screenshot_png(&self, target: &ScreenshotSlotRef) -> Result<Vec<u8>> {
        // Only the hash is needed: listing would read every thumbnail of the draft from disk.
        let sha256 = screenshots::current(&self.conn, target.draft_id, &target.slot_id)?
            .ok_or_else(|| Error::NotFound {
                what: "screenshot",
                id: target.slot_id.clone(),
            })?;
        screenshots::read(&self.dir, &sha256)
    }

    fn record_screenshot(
        tx: &Connection,
        playbook: &Playbook,
        source: Source,
        target: &ScreenshotSlotRef,
        ScreenshotChange(old, new): ScreenshotChange,
        now: Timestamp,
    ) -> Result<()> {
        drafts::touch(tx, target.draft_id, now)?;
        let (old, new) = (old.map(AnswerValue::Text), new.map(AnswerValue::Text));
        let change = Change::of(Event::Screenshot)
            .field(&target.slot_id)
            .values(old.as_ref(), new.as_ref());
        history::record(tx, target.draft_id, now, source, change)?;
        Self::after_change(tx, playbook, target.draft_id)?;
        Ok(())
    }

    /// The slot `target` names, if the draft's provider asks for it and the draft may change.
    fn slot(&self, target: &ScreenshotSlotRef) -> Result<String> {
        let draft = self.editable(target.draft_id)?;
        let provider = self.playbook.provider(&draft.provider_id)?;
        provider
            .screenshots
            .iter()
            .find(|s| s.id == target.slot_id)
            .map(|s| s.id.clone())
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{} asks for no screenshot `{}`",
                    provider.name, target.slot_id
                ))
            })
    }

    /// The draft, its screenshots and its history as one bundle file's bytes.
    pub fn export_bundle(&self, id: DraftId) -> Result<Vec<u8>> {
        let draft = drafts::get(&self.conn, id)?;
        let mut shots = Vec::new();
        for shot in screenshots::attachments(&self.conn, id)? {
            let png = screenshots::read(&self.dir, &shot.sha256)?;
            shots.push((shot, png));
        }
        bundle::write(Export {
            draft: &draft,
            screenshots: shots,
            history: history::list(&self.conn, id, |_| None)?,
            now: self.clock.now(),
        })
    }

    /// Writes the bundle to `path` through a temporary file: a failed export leaves no half file.
    pub fn export_bundle_to(&self, id: DraftId, path: &Path) -> Result<()> {
        files::write_atomically(path, &self.export_bundle(id)?)
    }

    /// Writes the bundle into `dir`, named for the company and provider, never over an existing
    /// file (`name (2).onramp.zip`, …). Returns where it went.
    pub fn export_bundle_into(&self, id: DraftId, dir: &Path) -> Result<PathBuf> {
        let draft = drafts::get(&self.conn, id)?;
        let path = bundle::free_path(dir, id, draft.company().as_deref(), &draft.provider_id);
        self.export_bundle_to(id, &path)?;
        Ok(path)
    }

    /// Imports a bundle exported on another machine, after checking every hash in it. A draft
    /// that is already here is left as it is.
    pub fn import_bundle(&mut self, bytes: &[u8]) -> Result<Imported> {
        let bundle::OpenedBundle { draft, images } = bundle::open(bytes)?;
        let id = draft.id;
        match drafts::get(&self.conn, id) {
            Ok(_) => {
                return Ok(Imported {
                    draft_id: id,
                    already_present: true,
                });
            }
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let provider = self
            .playbook
            .provider(&draft.provider_id)
            .ok()
            .filter(|p| p.kind == draft.kind)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "this bundle cannot be imported: it is for the {} provider `{}`, which this playbook does not have; update the playbook first",
                    draft.kind.label(),
                    draft.provider_id
                ))
            })?;
        let images = draft
            .screenshots
            .iter()
            .zip(&images)
            .map(|(shot, png)| screenshots::clean(png, &shot.file_name))
            .collect::<Result<Vec<_>>>()?;

        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        drafts::insert(&tx, id, provider.kind, &provider.id, draft.created_at, now)?;
        for (field_id, value) in &draft.answers {
            let update = AnswerUpdate {
                draft_id: id,
                field_id: field_id.clone(),
                value: Some(value.clone()),
            };
            drafts::set_answer(&tx, &update, now)?;
        }
        // A queued request waits in the other machine's outbox, not in this one: here it is a
        // draft again, and submission finds any ticket already made for it.
        let status = match draft.status {
            DraftStatus::Queued => DraftStatus::Draft,
            other => other,
        };
        drafts::set_status(&tx, id, status, draft.status_note.as_deref())?;
        for (shot, image) in draft.screenshots.iter().zip(&images) {
            screenshots::store(&tx, &self.dir, image, now)?;
            screenshots::attach(
                &tx,
                id,
                &shot.slot_id,
                &image.sha256,
                &shot.file_name,
                shot.attached_at,
            )?;
        }
        for entry in &draft.history {
            history::record(&tx, id, entry.at, entry.source, entry.into())?;
        }
        history::record(&tx, id, now, Source::Import, Change::of(Event::Imported))?;
        Self::after_change(&tx, &self.playbook, id)?;
        tx.commit()?;
        Ok(Imported {
            draft_id: id,
            already_present: false,
        })
    }

    /// Like `import_bundle`, reading the file at `path` (never more than a bundle may be).
    pub fn import_bundle_file(&mut self, path: &Path) -> Result<Imported> {
        let bytes = files::read_limited(path, bundle::MAX_BUNDLE_BYTES)?;
        self.import_bundle(&bytes)
    }

    /// The Jira ticket the draft becomes: what Review previews and what Jira receives.
    pub fn ticket(&self, id: DraftId) -> Result<Ticket> {
        ticket::render(self.playbook.templates(), &self.ticket_context(id)?)
            .map_err(|e| template_failed("description", &e))
    }

    /// The message that raises the request in the support channel, with the ticket's key and
    /// link once a submission made it (the link needs the Jira site from the settings).
    pub fn support_message(&self, id: DraftId) -> Result<String> {
        let ticket = self.submission(id)?.and_then(|s| s.issue_key).map(|key| {
            let url = self.ticket_url(id).unwrap_or_default();
            (key, url)
        });
        self.slack_message(id, ticket)
    }

    /// The browser link to the draft's Jira ticket, once it exists.
    pub fn ticket_url(&self, id: DraftId) -> Result<String> {
        let key = self
            .submission(id)?
            .and_then(|s| s.issue_key)
            .ok_or_else(|| Error::InvalidInput("this request has no Jira ticket yet".into()))?;
        Ok(self.jira_settings()?.browse_url(&key))
    }

    /// The support-channel message; `ticket` is the key and link once the ticket exists.
    pub fn slack_message(&self, id: DraftId, ticket: Option<(String, String)>) -> Result<String> {
        let mut context = self.ticket_context(id)?;
        if let Some((key, url)) = ticket {
            context = context.with_ticket(key, url);
        }
        ticket::render_slack(self.playbook.templates(), &context)
            .map_err(|e| template_failed("support-channel message", &e))
    }

    /// What the templates need. Not `open_draft`: that reads and encodes every thumbnail, and
    /// a ticket needs only the screenshots' names.
    pub(crate) fn ticket_context(&self, id: DraftId) -> Result<ticket::TicketContext> {
        let draft = drafts::get(&self.conn, id)?;
        let provider = self.playbook.provider(&draft.provider_id)?;
        let steps = wizard::steps(&self.playbook, provider);
        let shots = screenshots::attachments(&self.conn, id)?;
        let filled: std::collections::HashSet<String> =
            shots.iter().map(|s| s.slot_id.clone()).collect();
        let hidden = readiness(&steps, &draft.answers, &filled).hidden;
        let sources = ticket::Sources {
            organisation: &self.playbook.organisation,
            settings: self.playbook.kind(provider.kind),
            provider,
            draft: &draft,
            steps: &steps,
            hidden: &hidden,
            screenshots: &shots,
        };
        Ok(ticket::context(&sources).with_checks(self.check_lines(id)?))
    }

    pub fn history(&self, id: DraftId) -> Result<Vec<HistoryEntry>> {
        let steps = self.steps_for(&drafts::get(&self.conn, id)?.provider_id);
        history::list(&self.conn, id, |field| {
            wizard::find_field(&steps, field).map(|f| f.label.clone())
        })
    }

    /// The draft, if its answers may still change.
    fn editable(&self, id: DraftId) -> Result<Draft> {
        let draft = self.live_draft(id)?;
        if !draft.status.is_editable() {
            return Err(Error::InvalidInput(format!(
                "this request is already {}; its answers can no longer change",
                draft.status.label()
            )));
        }
        Ok(draft)
    }

    /// Stores one answer and, when it changed, its history entry, in the caller's transaction.
    pub(crate) fn store_answer(
        tx: &Connection,
        source: Source,
        update: &AnswerUpdate,
        now: Timestamp,
    ) -> Result<()> {
        let old = drafts::set_answer(tx, update, now)?;
        if old != update.value {
            let change = Change::of(Event::Answer)
                .field(&update.field_id)
                .values(old.as_ref(), update.value.as_ref());
            history::record(tx, update.draft_id, now, source, change)?;
        }
        Ok(())
    }

    /// Keeps search and the draft/ready status in step with the draft's answers.
    fn after_change(tx: &Connection, playbook: &Playbook, id: DraftId) -> Result<Readiness> {
        let draft = drafts::get(tx, id)?;
        let provider = playbook.provider(&draft.provider_id)?;
        let steps = wizard::steps(playbook, provider);
        let now_ready = readiness(&steps, &draft.answers, &screenshots::slots(tx, id)?);
        let status = match draft.status {
            DraftStatus::Draft | DraftStatus::Ready if now_ready.ready => DraftStatus::Ready,
            DraftStatus::Draft | DraftStatus::Ready => DraftStatus::Draft,
            other => other,
        };
        if status != draft.status {
            drafts::set_status(tx, id, status, None)?;
        }
        let names = std::iter::once(provider.name.as_str())
            .chain(provider.aliases.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        search::index(tx, &draft, &names)?;
        Ok(now_ready)
    }

    /// Search rows for drafts written before search existed.
    fn index_unindexed(&mut self) -> Result<()> {
        let ids = search::unindexed(&self.conn)?;
        if ids.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for id in ids {
            let id: DraftId = id.parse()?;
            // A draft whose provider left the playbook is still found by its answers.
            if Self::after_change(&tx, &self.playbook, id).is_err() {
                search::index(&tx, &drafts::get(&tx, id)?, "")?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Screenshots of the draft with their stored PNG: what goes to Jira as attachments.
    pub(crate) fn screenshot_files(&self, id: DraftId) -> Result<Vec<(String, Vec<u8>)>> {
        screenshots::attachments(&self.conn, id)?
            .into_iter()
            .map(|shot| Ok((shot.slot_id, screenshots::read(&self.dir, &shot.sha256)?)))
            .collect()
    }

    pub(crate) fn readiness_of_draft(&self, draft: &Draft) -> Result<Readiness> {
        Ok(readiness(
            &self.steps_for(&draft.provider_id),
            &draft.answers,
            &screenshots::slots(&self.conn, draft.id)?,
        ))
    }

    pub(crate) fn provider_name(&self, id: &str) -> String {
        self.playbook
            .provider(id)
            .map_or_else(|_| id.to_owned(), |p| p.name.clone())
    }
}

fn template_failed(which: &str, error: &str) -> Error {
    Error::InvalidInput(format!(
        "the playbook's {which} template could not be filled in: {error}"
    ))
}
