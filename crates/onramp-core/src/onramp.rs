//! The application core both adapters drive: the window's commands and the `onramp` CLI.

use std::path::Path;

use rusqlite::Connection;

use crate::clock::{Clock, SystemClock};
use crate::drafts::{self, AnswerUpdate, DraftId, DraftSummary, DraftView, NewDraft, Saved};
use crate::playbook::{Playbook, Provider};
use crate::{Error, Result, paths, store, wizard};

#[derive(Debug)]
pub struct Onramp {
    conn: Connection,
    playbook: Playbook,
    clock: Box<dyn Clock>,
}

impl Onramp {
    /// Opens the data directory from the environment (`ONRAMP_DATA_DIR` or the OS default)
    /// with the bundled playbook.
    pub fn open_default() -> Result<Self> {
        Self::open(
            &paths::data_dir()?,
            Playbook::bundled()?,
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
        let conn = store::open(&dir.join(store::DB_FILE))?;
        Ok(Self {
            conn,
            playbook,
            clock,
        })
    }

    pub fn providers(&self) -> &[Provider] {
        self.playbook.providers()
    }

    pub fn create_draft(&mut self, new: &NewDraft) -> Result<DraftView> {
        let provider = self.playbook.provider(&new.provider_id)?;
        let id = DraftId::new();
        drafts::insert(
            &self.conn,
            id,
            provider.kind,
            &provider.id,
            self.clock.now(),
        )?;
        self.open_draft(id)
    }

    pub fn list_drafts(&self) -> Result<Vec<DraftSummary>> {
        drafts::list(&self.conn, |id| self.provider_name(id))
    }

    pub fn open_draft(&self, id: DraftId) -> Result<DraftView> {
        let draft = drafts::get(&self.conn, id)?;
        let provider_name = self.provider_name(&draft.provider_id);
        let steps = self
            .playbook
            .provider(&draft.provider_id)
            .map(wizard::steps)
            .unwrap_or_default();
        Ok(DraftView {
            draft,
            provider_name,
            steps,
        })
    }

    /// Autosave of one field. Refuses fields the draft's wizard does not ask.
    pub fn set_answer(&mut self, update: &AnswerUpdate) -> Result<Saved> {
        let draft = drafts::get(&self.conn, update.draft_id)?;
        let provider = self.playbook.provider(&draft.provider_id)?;
        if !wizard::asks(&wizard::steps(provider), &update.field_id) {
            return Err(Error::InvalidInput(format!(
                "the {} wizard has no field `{}`",
                provider.name, update.field_id
            )));
        }
        drafts::set_answer(&mut self.conn, update, self.clock.now())
    }

    fn provider_name(&self, id: &str) -> String {
        self.playbook
            .provider(id)
            .map_or_else(|_| id.to_owned(), |p| p.name.clone())
    }
}
