//! Jira fields the CSM fills on Review: required on the project's create screen, a choice, and
//! left unfilled by the playbook. Known from the screen last read (Test connection, or a send),
//! kept in the database, so a draft written offline still asks for them.

use serde::Deserialize;
use ts_rs::TS;

use crate::model::{Draft, DraftId, JiraScreen};
use crate::playbook::{JiraMapping, MappingSource};
use crate::work::Work;
use crate::{Error, Result, store};

/// The CSM's choice for a Jira field (`value: null` clears it).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JiraChoiceUpdate {
    pub draft_id: DraftId,
    pub field_id: String,
    pub value: Option<String>,
}

/// Where a Review choice shows in messages about it.
const ORIGIN: &str = "chosen on Review";

/// What fills the ticket's Jira fields: the playbook's mappings for the draft's provider, and
/// the choices made on Review.
pub(crate) fn ticket_mappings(w: &Work<'_>, draft: &Draft) -> Result<Vec<JiraMapping>> {
    let mut mappings: Vec<JiraMapping> = w
        .playbook
        .jira_fields(w.provider(&draft.provider_id)?)
        .into_iter()
        .cloned()
        .collect();
    mappings.extend(
        store::jira_choices::of(w.conn(), draft.id)?
            .into_iter()
            .map(|(field, value)| JiraMapping {
                field,
                source: MappingSource::Value(value),
                origin: ORIGIN.to_owned(),
            }),
    );
    Ok(mappings)
}

/// Saves the CSM's choice: one of the field's choices on the screen last read.
pub(crate) fn set(w: &Work<'_>, update: &JiraChoiceUpdate) -> Result<()> {
    let draft = w.editable(update.draft_id)?;
    let asked = w.jira_choices(&draft)?;
    let Some(choice) = asked.iter().find(|c| c.field_id == update.field_id) else {
        return Err(Error::InvalidInput(format!(
            "Jira does not ask for `{}` on this request (Test connection in Settings reads what it asks)",
            update.field_id
        )));
    };
    if let Some(value) = &update.value
        && !choice.choices.contains(value)
    {
        return Err(Error::InvalidInput(format!(
            "`{value}` is not one of {}'s choices in Jira ({})",
            choice.name,
            choice.choices.join(", ")
        )));
    }
    store::jira_choices::set(
        w.conn(),
        draft.id,
        &update.field_id,
        update.value.as_deref(),
        w.now,
    )?;
    w.touch(draft.id)?;
    // The choice may be the last thing missing: the status follows readiness.
    w.refresh(draft.id).map(drop)
}

/// Keeps the screen a preflight read, for drafts written offline.
pub(crate) fn remember(w: &Work<'_>, screen: &JiraScreen) -> Result<()> {
    store::settings::save_jira_screen(w.conn(), screen)
}
