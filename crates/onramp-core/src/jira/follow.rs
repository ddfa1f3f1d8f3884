//! After the ticket, with Jira: the status sync — one round reads where every followed ticket
//! stands and what was written on it, and keeps it (nothing is asked when nothing is followed;
//! a failure ends the round, is kept for the window to show, and is returned) — and the CSM's
//! replies, each posted exactly once.

use super::{Client, Failure};
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

/// Posts every reply Jira does not have yet, each once: a reply whose earlier post may have
/// landed (its answer was lost) is looked for among the ticket's comments before it is posted
/// again. A reply Jira refuses is kept with why and not tried again; one that could not reach
/// Jira waits for the next round. How many Jira took.
pub async fn send_replies(core: &Shared, client: &Client) -> Result<usize> {
    let unsent = core.lock().unsent_replies()?;
    if unsent.is_empty() {
        return Ok(0);
    }
    client
        .resolve()
        .await
        .map_err(|f| Error::Jira(f.to_string()))?;
    let mut sent = 0;
    for reply in unsent {
        if let Some(since) = reply.post_sent_at {
            match client.issue_comments(&reply.key).await {
                Ok(comments) => {
                    // The same words, written since the lost post (minus a little clock skew).
                    let landed = comments.into_iter().find(|c| {
                        c.body.trim() == reply.body.trim()
                            && c.created
                                .is_none_or(|at| at >= since - jiff::SignedDuration::from_mins(5))
                    });
                    if let Some(comment) = landed {
                        core.lock().reply_sent(&reply.id, &comment.id)?;
                        sent += 1;
                        continue;
                    }
                }
                Err(failure) => {
                    core.lock()
                        .reply_failed(&reply.id, &failure.to_string(), false, true)?;
                    continue;
                }
            }
        }
        core.lock().reply_post_sent(&reply.id)?;
        match client.add_comment(&reply.key, &reply.body).await {
            Ok(comment) => {
                core.lock().reply_sent(&reply.id, &comment)?;
                sent += 1;
            }
            Err(failure) => {
                let why = failure.to_string();
                let (refused, posted_maybe) = match failure {
                    Failure::Definite(_) | Failure::Unauthorized(_) => {
                        (matches!(failure, Failure::Definite(_)), false)
                    }
                    Failure::Ambiguous(_) => (false, true),
                    Failure::RateLimited { .. } | Failure::Unreachable(_) => (false, false),
                };
                core.lock()
                    .reply_failed(&reply.id, &why, refused, posted_maybe)?;
            }
        }
    }
    Ok(sent)
}
