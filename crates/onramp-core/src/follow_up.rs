//! The request's life after its ticket: where Support's ticket stands in Jira, kept with the
//! draft, each move in its history, and what the last status sync round did.

use crate::Result;
use crate::answers::AnswerValue;
use crate::model::{Change, DraftId, Event, StatusCategory, StatusSync, TicketRound, TicketState};
use crate::store;
use crate::work::Work;

/// Tickets the status sync follows, with their drafts.
pub(crate) fn tracked(w: &Work<'_>) -> Result<Vec<(DraftId, String)>> {
    store::submissions::tracked(w.conn())
}

/// A ticket's place in Jira as its history records it: "In Progress", "Done (Won't Do)".
fn described(state: &TicketState) -> String {
    match (&state.resolution, state.category) {
        (Some(resolution), StatusCategory::Done) if resolution != &state.status => {
            format!("{} ({resolution})", state.status)
        }
        _ => state.status.clone(),
    }
}

/// Keeps what a round learned of the tickets `tracked` (drafts by ticket key): each ticket's
/// state, a move in the draft's history, the gone ones marked from now on, and the round.
pub(crate) fn apply(
    w: &Work<'_>,
    tracked: &[(DraftId, String)],
    round: &TicketRound,
) -> Result<()> {
    let draft_of = |key: &str| tracked.iter().find(|(_, k)| k == key).map(|(id, _)| *id);
    for state in &round.found {
        let Some(id) = draft_of(&state.key) else {
            continue;
        };
        let before =
            store::submissions::get(w.conn(), id, w.now)?.and_then(|p| p.submission.jira_status);
        let after = described(state);
        if before.as_deref() != Some(after.as_str()) {
            let old = before.map(AnswerValue::Text);
            let new = AnswerValue::Text(after);
            w.record(
                id,
                Change::of(Event::Ticket).values(old.as_ref(), Some(&new)),
            )?;
        }
        store::submissions::set_ticket_state(w.conn(), id, state, w.now)?;
    }
    for key in &round.gone {
        let Some(id) = draft_of(key) else {
            continue;
        };
        let new = AnswerValue::Text(format!(
            "{key} is gone from Jira, or hidden from your account"
        ));
        w.record(id, Change::of(Event::Ticket).values(None, Some(&new)))?;
        store::submissions::set_gone(w.conn(), id, w.now)?;
    }
    record(w, tracked.len(), round.requests, None)
}

/// Keeps the round's outcome, the failure that ended it included.
pub(crate) fn record(
    w: &Work<'_>,
    tracked: usize,
    requests: usize,
    error: Option<String>,
) -> Result<()> {
    store::submissions::record_sync(
        w.conn(),
        &StatusSync {
            at: w.now,
            tracked: u32::try_from(tracked).unwrap_or(u32::MAX),
            requests: u32::try_from(requests).unwrap_or(u32::MAX),
            error,
        },
    )
}

/// The last round, if one ran.
pub(crate) fn last(w: &Work<'_>) -> Result<Option<StatusSync>> {
    store::submissions::last_sync(w.conn())
}
