//! The request's life after its ticket: where Support's ticket stands in Jira and what was
//! written on it, kept with the draft, each move in its history, and what the last status sync
//! round did.

use jiff::Timestamp;
use serde::Serialize;
use ts_rs::TS;

use crate::answers::AnswerValue;
use crate::lifecycle::{self, Trigger};
use crate::model::{
    Change, Draft, DraftId, DraftStatus, Event, Reply, StatusCategory, StatusSync, Submission,
    TicketComment, TicketRound, TicketState, TrackedTicket,
};
use crate::readiness::OpenItems;
use crate::store;
use crate::work::Work;
use crate::{Error, Result};

/// Whose move it is on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Turn {
    /// The CSM: something to fill in, submit, answer, or confirm. Listed first.
    You,
    /// The customer: their details or screenshots are still missing.
    Customer,
    /// Support: the ticket is theirs to work.
    Support,
}

/// Whom a request waits on, since when, and for what, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Waiting {
    pub on: Turn,
    #[ts(type = "string")]
    pub since: Timestamp,
    pub why: String,
}

/// A comment on the draft's ticket as the draft shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommentView {
    pub id: String,
    pub author: String,
    #[ts(type = "string | null")]
    pub at: Option<Timestamp>,
    pub text: String,
    /// On a service desk: whether the customer sees it.
    pub public: bool,
    /// Written by the CSM (in Jira, or replied from Onramp).
    pub yours: bool,
    /// Support's latest word asks something and the CSM has not answered since.
    pub reply_needed: bool,
    /// A reply written in Onramp that Jira does not have yet: where it stands.
    pub sending: Option<String>,
}

/// Tickets the status sync follows, with their drafts.
pub(crate) fn tracked(w: &Work<'_>) -> Result<Vec<TrackedTicket>> {
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

/// Keeps what a round learned of the tickets `tracked`: each ticket's state (and its new key,
/// when it was moved to another project), a move in the draft's history, the gone ones marked
/// from now on, and the round.
pub(crate) fn apply(w: &Work<'_>, tracked: &[TrackedTicket], round: &TicketRound) -> Result<()> {
    for state in &round.found {
        // By ID, which a move keeps; by key for a ticket whose ID Onramp never learned.
        let Some(ticket) = tracked
            .iter()
            .find(|t| t.issue_id.as_deref() == Some(state.id.as_str()))
            .or_else(|| tracked.iter().find(|t| t.key == state.key))
        else {
            continue;
        };
        let id = ticket.draft_id;
        if ticket.key != state.key {
            store::submissions::set_key(w.conn(), id, &state.key)?;
            let old = AnswerValue::Text(ticket.key.clone());
            let new = AnswerValue::Text(format!("moved to {}", state.key));
            w.record(id, Change::of(Event::Ticket).values(Some(&old), Some(&new)))?;
        }
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
        for comment in &state.comments {
            store::comments::keep(w.conn(), id, comment)?;
        }
    }
    for key in &round.gone {
        let Some(ticket) = tracked.iter().find(|t| &t.key == key) else {
            continue;
        };
        let new = AnswerValue::Text(format!(
            "{key} is gone from Jira, or hidden from your account"
        ));
        w.record(
            ticket.draft_id,
            Change::of(Event::Ticket).values(None, Some(&new)),
        )?;
        store::submissions::set_gone(w.conn(), ticket.draft_id, w.now)?;
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

/// Whether a draft at `status` whose ticket is in `category` may be marked live now: Support
/// finished the ticket, and the request is not live already.
pub(crate) fn may_go_live(status: DraftStatus, category: Option<StatusCategory>) -> bool {
    category == Some(StatusCategory::Done)
        && status != DraftStatus::Live
        && lifecycle::next(status, Trigger::MarkedLive).is_ok()
}

/// The CSM confirms the integration works: the request is live, once Support's ticket is done
/// in Jira as the last status sync read it.
pub(crate) fn mark_live(w: &Work<'_>, id: DraftId) -> Result<()> {
    let draft = w.live(id)?;
    let submission: Option<Submission> =
        store::submissions::get(w.conn(), id, w.now)?.map(|p| p.submission);
    let Some((key, submission)) = submission.and_then(|s| s.issue_key.clone().map(|key| (key, s)))
    else {
        return Err(Error::InvalidInput(
            "this request has no Jira ticket yet: it goes live once Support has finished it".into(),
        ));
    };
    if submission.jira_category != Some(StatusCategory::Done) {
        let now = submission
            .jira_status
            .map(|s| format!(" (it is {s})"))
            .unwrap_or_default();
        return Err(Error::InvalidInput(format!(
            "Support has not finished {key} in Jira yet{now}: a request goes live once its ticket is done"
        )));
    }
    let status = w.set_status(&draft, Trigger::MarkedLive, None)?;
    if status != draft.status {
        w.touch(id)?;
        let done = AnswerValue::Text(format!("{key} done; you confirmed it works"));
        w.record(id, Change::of(Event::Live).values(None, Some(&done)))?;
    }
    Ok(())
}

/// The comments on the draft's ticket, oldest first, with the CSM's replies Jira does not show
/// yet; Support's last comment is flagged when it asks something the CSM has not answered since.
pub(crate) fn comments(w: &Work<'_>, id: DraftId) -> Result<Vec<CommentView>> {
    let account = store::settings::jira_account(w.conn())?;
    let yours = |c: &TicketComment| {
        c.author_id
            .as_deref()
            .zip(account.as_ref())
            .is_some_and(|(author, account)| account.is_csm(author))
    };
    let kept = store::comments::of(w.conn(), id)?;
    let mut shown: Vec<CommentView> = kept
        .iter()
        .map(|c| CommentView {
            id: c.id.clone(),
            author: c.author.clone(),
            at: c.created,
            text: c.body.clone(),
            public: c.public,
            yours: yours(c),
            reply_needed: false,
            sending: None,
        })
        .collect();
    for reply in store::comments::replies_of(w.conn(), id)? {
        if reply
            .comment_id
            .as_ref()
            .is_some_and(|posted| kept.iter().any(|c| &c.id == posted))
        {
            continue;
        }
        shown.push(CommentView {
            id: reply.comment_id.clone().unwrap_or_else(|| reply.id.clone()),
            author: "You".into(),
            at: Some(reply.created),
            text: reply.body.clone(),
            public: true,
            yours: true,
            reply_needed: false,
            sending: reply_state(&reply),
        });
    }
    // Replies Jira does not show yet come after what it shows: they are newer than all of it.
    if let Some(last) = shown.last_mut() {
        last.reply_needed = !last.yours && asks(&last.text);
    }
    Ok(shown)
}

/// Where a reply Jira does not show yet stands, in words; `None` once Jira has it.
fn reply_state(reply: &Reply) -> Option<String> {
    match (&reply.comment_id, &reply.last_error, reply.refused) {
        (Some(_), ..) => None,
        (None, Some(why), true) => Some(format!("Not sent: {why}")),
        (None, Some(why), false) => Some(format!("Waiting to be sent; the last try said: {why}")),
        (None, None, _) => Some("Waiting to be sent".into()),
    }
}

/// The CSM's reply on the draft's ticket, kept until Jira has it: the outbox worker posts it,
/// once, as soon as Jira answers.
pub(crate) fn add_reply(w: &Work<'_>, id: DraftId, body: &str) -> Result<()> {
    let text = body.trim();
    if text.is_empty() {
        return Err(Error::InvalidField {
            field: "reply".into(),
            message: "Write the reply first.".into(),
        });
    }
    // Jira's limit for a comment, as for a description.
    let length = text.chars().count();
    if length > 32_767 {
        return Err(Error::InvalidField {
            field: "reply".into(),
            message: format!(
                "Jira takes at most 32767 characters in a comment; this has {length}."
            ),
        });
    }
    w.live(id)?;
    let has_ticket = store::submissions::get(w.conn(), id, w.now)?
        .is_some_and(|p| p.submission.issue_key.is_some());
    if !has_ticket {
        return Err(Error::InvalidInput(
            "this request has no Jira ticket yet: replies go on its ticket".into(),
        ));
    }
    store::comments::add_reply(w.conn(), &uuid::Uuid::new_v4().to_string(), id, text, w.now)
}

/// Replies Jira does not have yet and may still take.
pub(crate) fn unsent_replies(w: &Work<'_>) -> Result<Vec<Reply>> {
    store::comments::unsent_replies(w.conn())
}

/// A post of the reply goes out now: from here, a lost answer means looking before posting again.
pub(crate) fn reply_post_sent(w: &Work<'_>, reply: &str) -> Result<()> {
    store::comments::reply_post_sent(w.conn(), reply, w.now)
}

/// Jira has the reply as the comment `comment`.
pub(crate) fn reply_sent(w: &Work<'_>, reply: &str, comment: &str) -> Result<()> {
    store::comments::reply_sent(w.conn(), reply, comment)
}

/// The last try failed with `why`; `refused` when Jira said no, `posted_maybe` when the post may
/// have landed.
pub(crate) fn reply_failed(
    w: &Work<'_>,
    reply: &str,
    why: &str,
    refused: bool,
    posted_maybe: bool,
) -> Result<()> {
    store::comments::reply_failed(w.conn(), reply, why, refused, posted_maybe)
}

/// Whether a comment asks the CSM something: a question mark, or a request in words.
fn asks(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains('?')
        || [
            "please send",
            "please share",
            "please provide",
            "please confirm",
            "can you",
            "could you",
        ]
        .iter()
        .any(|ask| lower.contains(ask))
}

/// Whom the request `draft` waits on, with `open` items missing and its ticket as last read;
/// `None` once it is live.
pub(crate) fn waiting(
    w: &Work<'_>,
    draft: &Draft,
    open: OpenItems,
    ticket: &store::submissions::Ticket,
) -> Result<Option<Waiting>> {
    use DraftStatus as S;
    let you = |since, why: String| {
        Some(Waiting {
            on: Turn::You,
            since,
            why,
        })
    };
    let items = |n: u32| {
        if n == 1 {
            "1 thing".to_owned()
        } else {
            format!("{n} things")
        }
    };
    Ok(match draft.status {
        S::Live => None,
        S::Escalated => you(
            draft.updated_at,
            format!(
                "Escalated: {}",
                draft.status_note.as_deref().unwrap_or("see the note")
            ),
        ),
        S::Draft | S::Ready if open.yours > 0 => you(
            draft.updated_at,
            format!("{} for you to fill in", items(open.yours)),
        ),
        S::Draft | S::Ready if open.customers > 0 => Some(Waiting {
            on: Turn::Customer,
            since: draft.updated_at,
            why: format!("{} from the customer still missing", items(open.customers)),
        }),
        S::Draft | S::Ready => you(draft.updated_at, "Ready to submit".into()),
        S::Queued => Some(Waiting {
            on: Turn::Support,
            since: ticket.since.unwrap_or(draft.updated_at),
            why: "Waiting in the outbox for Jira".into(),
        }),
        S::Submitted | S::MeetingScheduled | S::RecapSent => {
            let since = ticket.since.unwrap_or(draft.updated_at);
            let key = ticket.key.as_deref().unwrap_or("the ticket");
            if ticket.gone {
                you(since, format!("Ask Support where {key} went"))
            } else if let Some(asked) = open_question(w, draft.id)? {
                you(
                    asked.at.unwrap_or(since),
                    format!("Support asked something on {key}"),
                )
            } else if ticket.category == Some(StatusCategory::Done) {
                you(
                    since,
                    format!("Support finished {key}: check it works, then mark it live"),
                )
            } else {
                Some(Waiting {
                    on: Turn::Support,
                    since,
                    why: format!("{key} is with Support"),
                })
            }
        }
    })
}

/// Support's latest comment on the draft's ticket, when it asks something the CSM has not
/// answered yet.
fn open_question(w: &Work<'_>, id: DraftId) -> Result<Option<CommentView>> {
    Ok(comments(w, id)?
        .into_iter()
        .last()
        .filter(|c| c.reply_needed))
}
