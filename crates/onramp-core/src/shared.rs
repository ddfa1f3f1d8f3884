//! The core as both adapters share it: one `Onramp` behind one lock, taken only for what needs
//! the database. Work that needs none — decoding and re-encoding a screenshot, checking a
//! bundle, waiting on the network — runs before the lock is taken or between two takings, so
//! the window's other commands go on meanwhile.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::bundle::{self, Imported};
use crate::drafts::DraftView;
use crate::jira::{self, ConnectionCheck, JiraSettings};
use crate::model::DraftId;
use crate::screenshots::{self, ScreenshotSlotRef};
use crate::settings::{SettingsUpdate, SettingsView};
use crate::sso::{self, SsoChecks};
use crate::{Onramp, Result, store};

#[derive(Debug, Clone)]
pub struct Shared {
    core: Arc<Mutex<Onramp>>,
    /// The data directory, where screenshots are written before the lock is taken.
    dir: PathBuf,
}

impl Shared {
    pub fn new(onramp: Onramp) -> Self {
        Self {
            dir: onramp.data_dir().to_owned(),
            core: Arc::new(Mutex::new(onramp)),
        }
    }

    /// The core itself, once no other handle to it is left (otherwise this handle back).
    pub fn into_inner(self) -> std::result::Result<Onramp, Self> {
        let dir = self.dir;
        Arc::try_unwrap(self.core)
            .map(|core| core.into_inner().unwrap_or_else(PoisonError::into_inner))
            .map_err(|core| Self { core, dir })
    }

    /// The core, for one call. Every write is one transaction, so a panic while the lock was
    /// held left the store consistent: a poisoned lock is safe to take again.
    pub fn lock(&self) -> MutexGuard<'_, Onramp> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the core.
    pub fn with<T>(&self, f: impl FnOnce(&mut Onramp) -> Result<T>) -> Result<T> {
        f(&mut self.lock())
    }

    /// Checks, cleans and stores `bytes` as the screenshot for `target`: the image is decoded,
    /// hashed, stripped, thumbnailed and written to disk without the lock.
    pub fn attach_screenshot(
        &self,
        target: &ScreenshotSlotRef,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<DraftView> {
        self.lock().check_slot(target)?;
        let image = screenshots::clean(bytes, file_name)?;
        store::screenshots::write_files(&self.dir, &image)?;
        self.with(|o| o.attach_clean(target, file_name, &image))
    }

    /// Like `attach_screenshot`, reading the file at `path` (never more than the size limit).
    pub fn attach_screenshot_file(
        &self,
        target: &ScreenshotSlotRef,
        path: &Path,
    ) -> Result<DraftView> {
        let (name, bytes) = screenshots::read_file(path)?;
        self.attach_screenshot(target, &name, &bytes)
    }

    /// A screenshot pasted from the clipboard, which hands over raw RGBA pixels.
    pub fn attach_screenshot_rgba(
        &self,
        target: &ScreenshotSlotRef,
        width: u32,
        height: u32,
        rgba: Vec<u8>,
    ) -> Result<DraftView> {
        let png = screenshots::png_from_rgba(width, height, rgba)?;
        self.attach_screenshot(target, screenshots::PASTED_NAME, &png)
    }

    /// Imports a bundle; its hashes are checked and its screenshots cleaned without the lock.
    pub fn import_bundle(&self, bytes: &[u8]) -> Result<Imported> {
        let opened = bundle::open(bytes)?;
        if let Some(done) = self.lock().importable(&opened)? {
            return Ok(done);
        }
        let images = opened.clean_images()?;
        self.with(|o| o.import_opened(&opened, &images))
    }

    /// What needs the network and was not done yet: fetch the metadata URL, check the OIDC
    /// issuer. Run on demand and on submit (so the ticket carries the results); failing to reach
    /// either is recorded and never stops the ticket. The lock is never held while waiting.
    pub async fn check_online(&self, id: DraftId) -> Result<SsoChecks> {
        let url = self.lock().metadata_url_to_fetch(id)?;
        if let Some(url) = url {
            let result = sso::fetch(&url).await;
            self.lock().store_fetched_metadata(id, &url, result)?;
        }
        let issuer = self.lock().sso_checks(id)?.pending_issuer;
        let mut unreachable = None;
        if let Some(issuer) = issuer {
            match sso::issuer::check(&issuer).await {
                Ok(found) => self.lock().store_issuer_check(id, &issuer, &found)?,
                Err(e) => unreachable = Some(e),
            }
        }
        let mut checks = self.lock().sso_checks(id)?;
        if checks.error.is_none() {
            checks.error = unreachable;
        }
        Ok(checks)
    }

    /// "Test connection" with `settings`: what it found, kept for offline work and sends.
    pub async fn test_jira(
        &self,
        settings: JiraSettings,
        csm_email: &str,
    ) -> Result<ConnectionCheck> {
        let mappings = self.lock().playbook().jira.fields.clone();
        let checked = jira::test_connection(settings, &mappings, csm_email).await?;
        self.lock().remember_jira(&checked)?;
        Ok(checked.check)
    }

    /// Sends requests to the service desk and request type named, as Settings does after Test
    /// connection: the site's desks are listed, the two found by name and saved with the rest
    /// of the settings as they are.
    pub async fn use_service_desk(
        &self,
        desk: &str,
        request_type: &str,
    ) -> Result<(SettingsView, ConnectionCheck)> {
        let mut update = SettingsUpdate {
            settings: self.lock().settings()?.settings,
            token: None,
            slack_webhook: None,
        };
        update.settings.jira_mode = crate::model::JiraMode::ServiceDesk;
        update.settings.service_desk = None;
        let listing = self.lock().jira_settings_from(&update)?;
        let csm_email = update.settings.csm_email.clone();
        let listed = self.test_jira(listing, &csm_email).await?;
        update.settings.service_desk = Some(crate::settings::desk_named(
            &listed.desks,
            desk,
            request_type,
        )?);
        self.lock().save_settings(update)?;
        let chosen = self.lock().jira_settings()?;
        let check = self.test_jira(chosen, &csm_email).await?;
        Ok((self.lock().settings()?, check))
    }

    /// Saves settings, then — when they reach a Jira — asks it for the CSM's account and the
    /// project's issue types, so Settings can say whom tickets will be watched by. Not reaching
    /// Jira never undoes the save: the view says so, and sends look again.
    pub async fn save_settings(&self, update: SettingsUpdate) -> Result<SettingsView> {
        let saved = self.lock().save_settings(update)?;
        let Ok(settings) = self.lock().jira_settings() else {
            return Ok(saved);
        };
        match self.test_jira(settings, &saved.settings.csm_email).await {
            Ok(_) => self.lock().settings(),
            Err(e) => Ok(SettingsView {
                watcher: Some(format!(
                    "Saved, but Jira could not be asked for your account: {e} Onramp asks again when it sends each ticket."
                )),
                ..saved
            }),
        }
    }
}
