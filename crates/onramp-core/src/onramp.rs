//! The application core both adapters drive: the window's commands and the `onramp` CLI.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::Connection;

use crate::clock::{Clock, SystemClock};
use crate::drafts::{self, AnswerUpdate, Draft, DraftId, DraftSummary, DraftView, NewDraft, Saved};
use crate::playbook::{Playbook, ProviderSummary};
use crate::readiness::{Readiness, readiness};
use crate::wizard::{self, Step};
use crate::{Error, Result, paths, store, validate};

#[derive(Debug)]
pub struct Onramp {
    conn: Connection,
    playbook: Playbook,
    clock: Box<dyn Clock>,
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
        let conn = store::open(&dir.join(store::DB_FILE))?;
        Ok(Self {
            conn,
            playbook,
            clock,
        })
    }

    pub fn playbook(&self) -> &Playbook {
        &self.playbook
    }

    pub fn providers(&self) -> Vec<ProviderSummary> {
        self.playbook.providers().iter().map(Into::into).collect()
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
        let provider = self.playbook.provider(&draft.provider_id).ok();
        let steps = provider
            .map(|p| wizard::steps(&self.playbook, p))
            .unwrap_or_default();
        Ok(DraftView {
            readiness: Self::readiness_of(&steps, &draft),
            provider_name: self.provider_name(&draft.provider_id),
            provider: provider.map(Into::into),
            steps,
            draft,
        })
    }

    /// Autosave of one field. Refuses fields the draft's wizard does not ask and values of the
    /// wrong shape; stores values that are merely invalid, so typing is never lost.
    pub fn set_answer(&mut self, update: &AnswerUpdate) -> Result<Saved> {
        let draft = drafts::get(&self.conn, update.draft_id)?;
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
        drafts::set_answer(&mut self.conn, update, now)?;
        let draft = drafts::get(&self.conn, update.draft_id)?;
        Ok(Saved {
            updated_at: now,
            readiness: Self::readiness_of(&steps, &draft),
        })
    }

    fn readiness_of(steps: &[Step], draft: &Draft) -> Readiness {
        // Screenshots are attached in a later release; until then no slot is filled.
        readiness(steps, &draft.answers, &HashSet::new())
    }

    fn provider_name(&self, id: &str) -> String {
        self.playbook
            .provider(id)
            .map_or_else(|_| id.to_owned(), |p| p.name.clone())
    }
}
