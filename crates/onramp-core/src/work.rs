//! The unit of work: one SQLite transaction with the clock's time, where the change comes from
//! and the playbook, and the operations every feature needs. Features are plain functions over
//! it; `Onramp` opens one per call, commits it, and only then deletes the files a change freed.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rusqlite::{Connection, Transaction};

use crate::answers::AnswerValue;
use crate::lifecycle::{self, Trigger};
use crate::model::{Change, Draft, DraftId, DraftStatus, Event, JiraChoice, JiraScreen, Source};
use crate::playbook::{Playbook, Provider};
use crate::readiness::{Readiness, add_jira_choices, readiness};
use crate::wizard::{self, Step};
use crate::{Error, Result, store};

/// What every change knows besides the database: fixed for the length of one call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'c> {
    pub playbook: &'c Playbook,
    /// The data directory, where the screenshots' files are.
    pub dir: &'c Path,
    pub now: Timestamp,
    pub source: Source,
    /// The CSM's own time zone, beside which meeting times are shown.
    pub local_tz: &'c TimeZone,
}

pub(crate) struct Work<'c> {
    tx: Transaction<'c>,
    pub playbook: &'c Playbook,
    pub dir: &'c Path,
    pub now: Timestamp,
    pub source: Source,
    pub local_tz: &'c TimeZone,
    /// Screenshot files no draft uses any more, deleted once the transaction has committed.
    unused_files: RefCell<Vec<String>>,
}

impl<'c> Work<'c> {
    pub(crate) fn new(tx: Transaction<'c>, context: Context<'c>) -> Self {
        Self {
            tx,
            playbook: context.playbook,
            dir: context.dir,
            now: context.now,
            source: context.source,
            local_tz: context.local_tz,
            unused_files: RefCell::new(Vec::new()),
        }
    }

    /// Commits, and returns the screenshot files the change left unused.
    pub(crate) fn commit(self) -> Result<Vec<String>> {
        self.tx.commit()?;
        Ok(self.unused_files.into_inner())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.tx
    }

    pub(crate) fn draft(&self, id: DraftId) -> Result<Draft> {
        store::drafts::get(&self.tx, id)
    }

    /// The draft, unless it is in the trash.
    pub(crate) fn live(&self, id: DraftId) -> Result<Draft> {
        let draft = self.draft(id)?;
        if draft.deleted_at.is_some() {
            return Err(Error::InvalidInput(
                "this draft is in the trash; restore it to change it".into(),
            ));
        }
        Ok(draft)
    }

    /// The draft, if its answers may still change.
    pub(crate) fn editable(&self, id: DraftId) -> Result<Draft> {
        let draft = self.live(id)?;
        if !lifecycle::answers_editable(draft.status) {
            return Err(lifecycle::not_editable(draft.status));
        }
        Ok(draft)
    }

    pub(crate) fn provider(&self, id: &str) -> Result<&'c Provider> {
        Ok(self.playbook.provider(id)?)
    }

    /// The names of the provider's screenshot slots, by slot ID (none when the playbook no
    /// longer has it).
    pub(crate) fn screenshot_labels(&self, id: &str) -> std::collections::HashMap<String, String> {
        self.playbook
            .provider(id)
            .map(|p| {
                p.screenshots
                    .iter()
                    .map(|s| (s.id.clone(), s.label.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The provider's display name, or its ID when the playbook no longer has it.
    pub(crate) fn provider_name(&self, id: &str) -> String {
        self.playbook
            .provider(id)
            .map_or_else(|_| id.to_owned(), |p| p.name.clone())
    }

    /// The wizard steps for a provider ID; none when the playbook no longer has it.
    pub(crate) fn steps(&self, provider_id: &str) -> Vec<Step> {
        self.playbook
            .provider(provider_id)
            .map(|p| wizard::steps(self.playbook, p))
            .unwrap_or_default()
    }

    /// What is still missing before `draft` may be submitted: answers, screenshots, and the
    /// Jira fields Review asks.
    pub(crate) fn readiness(&self, draft: &Draft) -> Result<Readiness> {
        self.readiness_with(draft, &self.jira_choices(draft)?)
    }

    /// `readiness`, with the Jira choices already read.
    pub(crate) fn readiness_with(
        &self,
        draft: &Draft,
        choices: &[JiraChoice],
    ) -> Result<Readiness> {
        let mut readiness = readiness(
            &self.steps(&draft.provider_id),
            &draft.answers,
            &store::screenshots::slots(&self.tx, draft.id)?,
        );
        add_jira_choices(&mut readiness, choices);
        Ok(readiness)
    }

    /// The Jira fields the CSM chooses on Review for `draft`: required on the project's create
    /// screen as last read, choices, and unfilled by the playbook.
    pub(crate) fn jira_choices(&self, draft: &Draft) -> Result<Vec<JiraChoice>> {
        self.jira_choices_on(draft, store::settings::jira_screen(&self.tx)?.as_ref())
    }

    /// `jira_choices`, with the screen already read.
    pub(crate) fn jira_choices_on(
        &self,
        draft: &Draft,
        screen: Option<&JiraScreen>,
    ) -> Result<Vec<JiraChoice>> {
        if screen.is_none() {
            return Ok(Vec::new());
        }
        let chosen = store::jira_choices::of(&self.tx, draft.id)?;
        Ok(self.jira_choices_given(draft, screen, &chosen))
    }

    /// `jira_choices`, with the screen and the draft's choices already read.
    pub(crate) fn jira_choices_given(
        &self,
        draft: &Draft,
        screen: Option<&JiraScreen>,
        chosen: &BTreeMap<String, String>,
    ) -> Vec<JiraChoice> {
        let (Some(screen), Ok(provider)) = (screen, self.playbook.provider(&draft.provider_id))
        else {
            return Vec::new();
        };
        screen.choices_asked(&self.playbook.jira_fields(provider), chosen)
    }

    /// Marks the draft as changed now.
    pub(crate) fn touch(&self, id: DraftId) -> Result<()> {
        store::drafts::touch(&self.tx, id, self.now)
    }

    /// Records `change` in the draft's history, now and from this work's source.
    pub(crate) fn record(&self, id: DraftId, change: Change<'_>) -> Result<()> {
        store::history::record(&self.tx, id, self.now, self.source, change)
    }

    /// Stores (or clears) one answer and, when it changed, its history entry.
    pub(crate) fn store_answer(
        &self,
        id: DraftId,
        field: &str,
        value: Option<&AnswerValue>,
    ) -> Result<()> {
        self.touch(id)?;
        let old = store::answers::set(&self.tx, id, field, value, self.now)?;
        if old.as_ref() != value {
            let change = Change::of(Event::Answer)
                .field(field)
                .values(old.as_ref(), value);
            self.record(id, change)?;
        }
        Ok(())
    }

    /// Moves the draft's status as the life cycle decides for `trigger`; `note` says why an
    /// escalation is one. Returns the status it has now.
    pub(crate) fn set_status(
        &self,
        draft: &Draft,
        trigger: Trigger,
        note: Option<&str>,
    ) -> Result<DraftStatus> {
        let status = lifecycle::next(draft.status, trigger)?;
        let note = if status == DraftStatus::Escalated {
            note.or(draft.status_note.as_deref())
        } else {
            None
        };
        if status != draft.status || note != draft.status_note.as_deref() {
            store::drafts::set_status(&self.tx, draft.id, status, note)?;
        }
        Ok(status)
    }

    /// After the answers or screenshots changed: readiness, the status it implies, and the
    /// search row, all in step with the draft.
    pub(crate) fn refresh(&self, id: DraftId) -> Result<(Readiness, DraftStatus)> {
        let draft = self.draft(id)?;
        let provider = self.provider(&draft.provider_id)?;
        let readiness = self.readiness(&draft)?;
        let status = self.set_status(
            &draft,
            Trigger::Answered {
                ready: readiness.ready,
            },
            None,
        )?;
        let names = std::iter::once(provider.name.as_str())
            .chain(provider.aliases.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        store::search::index(&self.tx, &draft, &names)?;
        Ok((readiness, status))
    }

    /// Deletes the rows of screenshots no draft uses any more; their files go after the commit.
    pub(crate) fn drop_unused_screenshots(&self) -> Result<()> {
        let unused = store::screenshots::orphans(&self.tx)?;
        self.unused_files.borrow_mut().extend(unused);
        Ok(())
    }
}
