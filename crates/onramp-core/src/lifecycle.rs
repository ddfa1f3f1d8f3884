//! The one owner of a draft's status: every change of status is decided here, from what
//! happened. `Draft` and `Ready` follow readiness; `Escalated` is the CSM's, with a note; the
//! later stages follow the procedure and never move back, up to `Live`, the end.

use crate::model::DraftStatus;
use crate::{Error, Result};

/// Something that happened to a draft that may move its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// An answer or a screenshot changed (or readiness was recomputed); `ready` is what
    /// readiness says now.
    Answered {
        ready: bool,
    },
    /// The CSM escalated the request with a note.
    Escalated,
    /// The CSM ended the escalation.
    Deescalated {
        ready: bool,
    },
    /// Put in the outbox for Jira.
    Queued,
    /// The ticket exists with everything on it.
    Submitted,
    InviteSent,
    InviteCancelled,
    MeetingHeld,
    MeetingNoShow,
    MeetingRescheduled,
    RecordingProcessed,
    RecapSent,
    /// Support's ticket is done and the CSM confirmed the integration is live.
    MarkedLive,
    /// Brought in from a bundle, where it had `status`.
    Imported {
        status: DraftStatus,
    },
    Trashed,
    Restored,
}

/// Whether the CSM may still change the answers: nothing has been sent yet.
pub(crate) fn answers_editable(status: DraftStatus) -> bool {
    matches!(
        status,
        DraftStatus::Draft | DraftStatus::Ready | DraftStatus::Escalated
    )
}

/// Why answers of a draft at `status` may not change.
pub(crate) fn not_editable(status: DraftStatus) -> Error {
    Error::InvalidInput(format!(
        "this request is already {}; its answers can no longer change",
        status.label()
    ))
}

/// The status a draft at `current` has after `trigger`, or why that may not happen.
pub(crate) fn next(current: DraftStatus, trigger: Trigger) -> Result<DraftStatus> {
    use DraftStatus as S;
    let readiness = |ready: bool| if ready { S::Ready } else { S::Draft };
    Ok(match trigger {
        Trigger::Answered { ready } => match current {
            S::Draft | S::Ready => readiness(ready),
            other => other,
        },
        Trigger::Escalated => match current {
            S::Draft | S::Ready | S::Escalated => S::Escalated,
            other => return Err(not_editable(other)),
        },
        Trigger::Deescalated { ready } => match current {
            S::Draft | S::Ready | S::Escalated => readiness(ready),
            other => return Err(not_editable(other)),
        },
        Trigger::Queued => match current {
            S::Ready | S::Queued => S::Queued,
            other => {
                return Err(Error::InvalidInput(format!(
                    "this request is {}; only a ready request can be submitted",
                    other.label()
                )));
            }
        },
        Trigger::Submitted => match current {
            S::Draft | S::Ready | S::Escalated | S::Queued => S::Submitted,
            later => later,
        },
        Trigger::InviteSent => match current {
            S::Submitted | S::MeetingScheduled => S::MeetingScheduled,
            other => other,
        },
        Trigger::RecapSent => match current {
            S::Submitted | S::MeetingScheduled => S::RecapSent,
            other => other,
        },
        Trigger::MarkedLive => match current {
            S::Submitted | S::MeetingScheduled | S::RecapSent | S::Live => S::Live,
            other => {
                return Err(Error::InvalidInput(format!(
                    "this request is {}; only a request whose ticket Support finished can go live",
                    other.label()
                )));
            }
        },
        // A queued request waits in the other machine's outbox, not in this one: here it is a
        // draft again, and submission finds any ticket already made for it.
        Trigger::Imported { status } => match status {
            S::Queued => S::Draft,
            other => other,
        },
        Trigger::InviteCancelled
        | Trigger::MeetingHeld
        | Trigger::MeetingNoShow
        | Trigger::MeetingRescheduled
        | Trigger::RecordingProcessed
        | Trigger::Trashed
        | Trigger::Restored => current,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DraftStatus as S;

    /// What `next` gives: the new status, or a refusal.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Outcome {
        To(DraftStatus),
        Refused,
    }
    use Outcome::{Refused, To};

    /// Every trigger against every status, in the order of `DraftStatus::ALL`: draft, ready,
    /// queued, submitted, meeting scheduled, recap sent, escalated, live.
    const TABLE: &[(Trigger, [Outcome; 8])] = &[
        (
            Trigger::Answered { ready: true },
            [
                To(S::Ready),
                To(S::Ready),
                To(S::Queued),
                To(S::Submitted),
                To(S::MeetingScheduled),
                To(S::RecapSent),
                To(S::Escalated),
                To(S::Live),
            ],
        ),
        (
            Trigger::Answered { ready: false },
            [
                To(S::Draft),
                To(S::Draft),
                To(S::Queued),
                To(S::Submitted),
                To(S::MeetingScheduled),
                To(S::RecapSent),
                To(S::Escalated),
                To(S::Live),
            ],
        ),
        (
            Trigger::Escalated,
            [
                To(S::Escalated),
                To(S::Escalated),
                Refused,
                Refused,
                Refused,
                Refused,
                To(S::Escalated),
                Refused,
            ],
        ),
        (
            Trigger::Deescalated { ready: true },
            [
                To(S::Ready),
                To(S::Ready),
                Refused,
                Refused,
                Refused,
                Refused,
                To(S::Ready),
                Refused,
            ],
        ),
        (
            Trigger::Deescalated { ready: false },
            [
                To(S::Draft),
                To(S::Draft),
                Refused,
                Refused,
                Refused,
                Refused,
                To(S::Draft),
                Refused,
            ],
        ),
        (
            Trigger::Queued,
            [
                Refused,
                To(S::Queued),
                To(S::Queued),
                Refused,
                Refused,
                Refused,
                Refused,
                Refused,
            ],
        ),
        (
            Trigger::Submitted,
            [
                To(S::Submitted),
                To(S::Submitted),
                To(S::Submitted),
                To(S::Submitted),
                To(S::MeetingScheduled),
                To(S::RecapSent),
                To(S::Submitted),
                To(S::Live),
            ],
        ),
        (
            Trigger::InviteSent,
            [
                To(S::Draft),
                To(S::Ready),
                To(S::Queued),
                To(S::MeetingScheduled),
                To(S::MeetingScheduled),
                To(S::RecapSent),
                To(S::Escalated),
                To(S::Live),
            ],
        ),
        (
            Trigger::RecapSent,
            [
                To(S::Draft),
                To(S::Ready),
                To(S::Queued),
                To(S::RecapSent),
                To(S::RecapSent),
                To(S::RecapSent),
                To(S::Escalated),
                To(S::Live),
            ],
        ),
        (
            Trigger::MarkedLive,
            [
                Refused,
                Refused,
                Refused,
                To(S::Live),
                To(S::Live),
                To(S::Live),
                Refused,
                To(S::Live),
            ],
        ),
    ];

    /// Triggers that never move a status.
    const STILL: [Trigger; 7] = [
        Trigger::InviteCancelled,
        Trigger::MeetingHeld,
        Trigger::MeetingNoShow,
        Trigger::MeetingRescheduled,
        Trigger::RecordingProcessed,
        Trigger::Trashed,
        Trigger::Restored,
    ];

    fn outcome(current: DraftStatus, trigger: Trigger) -> Outcome {
        next(current, trigger).map_or(Refused, To)
    }

    #[test]
    fn every_trigger_moves_every_status_as_the_table_says() {
        for (trigger, row) in TABLE {
            for (current, expected) in S::ALL.into_iter().zip(row) {
                assert_eq!(
                    outcome(current, *trigger),
                    *expected,
                    "{trigger:?} at {current:?}"
                );
            }
        }
        for trigger in STILL {
            for current in S::ALL {
                assert_eq!(outcome(current, trigger), To(current), "{trigger:?}");
            }
        }
    }

    #[test]
    fn an_import_keeps_the_bundles_status_but_a_queued_one_is_a_draft_again() {
        for status in S::ALL {
            let expected = if status == S::Queued {
                S::Draft
            } else {
                status
            };
            for current in S::ALL {
                assert_eq!(
                    next(current, Trigger::Imported { status }).unwrap(),
                    expected
                );
            }
        }
    }

    #[test]
    fn refusals_say_why_in_the_csms_words() {
        let err = next(S::Submitted, Trigger::Escalated).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this request is already submitted; its answers can no longer change"
        );
        let err = next(S::MeetingScheduled, Trigger::Queued).unwrap_err();
        assert_eq!(
            err.to_string(),
            "this request is meeting scheduled; only a ready request can be submitted"
        );
    }

    #[test]
    fn answers_change_only_before_anything_was_sent() {
        let editable: Vec<DraftStatus> = S::ALL
            .into_iter()
            .filter(|s| answers_editable(*s))
            .collect();
        assert_eq!(editable, [S::Draft, S::Ready, S::Escalated]);
    }
}
