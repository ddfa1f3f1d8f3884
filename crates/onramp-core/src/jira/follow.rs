//! The status sync: one round reads where every followed ticket stands in Jira and keeps it.
//! Nothing is asked when nothing is followed; a failure ends the round, is kept for the window
//! to show, and is returned.

use super::Client;
use crate::model::StatusSync;
use crate::{Error, Result, Shared};

/// One round: every followed ticket's status, category and resolution, in as few requests as
/// Jira's page size allows. The lock is never held while Jira answers.
pub async fn sync_statuses(core: &Shared, client: &Client) -> Result<Option<StatusSync>> {
    let tracked = core.lock().tracked_tickets()?;
    if tracked.is_empty() {
        return Ok(None);
    }
    let keys: Vec<String> = tracked.iter().map(|t| t.key.clone()).collect();
    let round = match client.resolve().await {
        Ok(()) => client.ticket_states(&keys).await,
        Err(failure) => Err(failure),
    };
    match round {
        Ok(round) => {
            core.lock().apply_ticket_round(&tracked, &round)?;
        }
        Err(failure) => {
            let why = format!("Jira's ticket statuses could not be read: {failure}");
            core.lock()
                .record_failed_sync(tracked.len(), 0, why.clone())?;
            return Err(Error::Jira(why));
        }
    }
    core.lock().last_status_sync()
}
