//! The mandatory integration meeting: its calendar invite, how it went, and when the recap may go.
//!
//! The invite keeps one UID for the meeting's whole life; each invite that says something new
//! (another time, another attendee) carries a higher SEQUENCE, as does the cancellation, so the
//! customer's calendar moves or removes the event instead of adding a second one.

pub mod ics;
pub mod schedule;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::formats::Person;
pub use crate::model::MeetingState;
pub use schedule::{MeetingTimes, Plan};

use crate::answers::AnswerValue;
use crate::lifecycle::Trigger;
use crate::model::{Change, Draft, DraftId, DraftStatus, Event, MeetingRecord};
use crate::playbook::templates::{self, AgendaContext};
use crate::playbook::{Playbook, Provider, fields};
use crate::work::Work;
use crate::{Error, Result, files, store};

/// What a new draft's Meeting step starts with: the playbook's length, type and agenda, and the
/// CSM's own time zone until they enter the customer's.
pub(crate) fn defaults(
    playbook: &Playbook,
    provider: &Provider,
    local: &jiff::tz::TimeZone,
) -> Result<Vec<(String, AnswerValue)>> {
    use fields::meeting as field;
    let context = AgendaContext {
        kind: provider.kind.label().to_owned(),
        provider: provider.name.clone(),
        minutes: playbook.meeting.minutes,
        type_name: playbook.meeting.type_name.clone(),
        presentation: provider
            .presentation
            .clone()
            .unwrap_or_else(|| playbook.organisation.presentations_folder.clone()),
    };
    let agenda = templates::agenda(playbook.templates(), &context).map_err(|e| {
        Error::InvalidInput(format!(
            "the playbook's agenda template could not be filled in: {e}"
        ))
    })?;
    let mut out = vec![
        (field::MINUTES, playbook.meeting.minutes.to_string()),
        (field::TYPE, playbook.meeting.type_name.clone()),
        (field::AGENDA, agenda),
    ];
    if let Some(zone) = local.iana_name() {
        out.push((field::TIME_ZONE, zone.to_owned()));
    }
    Ok(out
        .into_iter()
        .map(|(id, value)| (id.to_owned(), AnswerValue::Text(value)))
        .collect())
}

/// What the CSM records after the meeting's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Held,
    NoShow,
    /// It will happen at another time: the history keeps the old one, the next invite updates it.
    Rescheduled,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeetingOutcome {
    pub draft_id: DraftId,
    pub outcome: Outcome,
}

/// One thing that happened to the meeting, as the history records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeetingNote {
    #[ts(type = "string")]
    pub at: Timestamp,
    pub what: String,
}

/// The meeting as the Meeting step and the recap show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeetingView {
    pub state: MeetingState,
    /// The SEQUENCE of the last invite or cancellation sent.
    pub sequence: u32,
    pub times: Option<MeetingTimes>,
    /// The point of contact first, then everyone else invited.
    pub attendees: Vec<Person>,
    /// Why no invite can be made yet, each saying what to enter.
    pub problems: Vec<String>,
    pub recording_processed: bool,
    /// The procedure sends the recap once the meeting was held and its recording processed.
    pub recap_available: bool,
    pub history: Vec<MeetingNote>,
    /// The draft's status now: sending the invite moves a submitted request on.
    pub draft_status: DraftStatus,
}

/// A file Onramp made for the CSM to save or open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedFile {
    /// Named for the company, the provider and what it is: `acme-okta-meeting`.
    pub stem: String,
    /// With its dot: `.ics`.
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

impl ExportedFile {
    pub(crate) fn new(draft: &Draft, what: &str, extension: &'static str, bytes: Vec<u8>) -> Self {
        let company = draft.company().unwrap_or_else(|| "request".to_owned());
        Self {
            stem: files::slug(&format!("{company} {} {what}", draft.provider_id)),
            extension,
            bytes,
        }
    }

    pub fn file_name(&self) -> String {
        format!("{}{}", self.stem, self.extension)
    }
}

/// The meeting the draft's answers describe, or why there is none yet.
pub(crate) fn plan(w: &Work<'_>, draft: &Draft) -> std::result::Result<Plan, Vec<String>> {
    schedule::plan(draft, w.playbook, &w.provider_name(&draft.provider_id))
}

pub(crate) fn view(w: &Work<'_>, id: DraftId) -> Result<MeetingView> {
    let draft = w.draft(id)?;
    let row = store::meeting::get(w.conn(), id)?;
    let plan = plan(w, &draft);
    let (state, sequence, recording_processed) =
        row.as_ref().map_or((MeetingState::Planned, 0, false), |r| {
            (r.state, r.sequence, r.recording_processed)
        });
    let history = store::history::list(w.conn(), id, |_| None)?
        .into_iter()
        .filter(|e| e.event == Event::Meeting)
        .map(|e| MeetingNote {
            at: e.at,
            what: e
                .new_value
                .and_then(|v| v.as_text().map(str::to_owned))
                .unwrap_or_default(),
        })
        .collect();
    let (times, attendees, problems) = match &plan {
        Ok(plan) => (
            Some(schedule::times(plan, w.local_tz)),
            plan.attendees.clone(),
            Vec::new(),
        ),
        Err(problems) => (None, Vec::new(), problems.clone()),
    };
    Ok(MeetingView {
        state,
        sequence,
        times,
        attendees,
        problems,
        recording_processed,
        recap_available: row.as_ref().is_some_and(MeetingRecord::recap_available),
        history,
        draft_status: draft.status,
    })
}

/// The `.ics` invite (or, with `cancel`, its cancellation) for the draft's meeting. An invite
/// that differs from the last one sent, or follows a reschedule, gets the next SEQUENCE.
pub(crate) fn export_invite(w: &Work<'_>, id: DraftId, cancel: bool) -> Result<ExportedFile> {
    let draft = w.live(id)?;
    let plan = plan(w, &draft).map_err(|problems| {
        Error::InvalidInput(format!(
            "The invite cannot be made yet. {}",
            problems.join(" ")
        ))
    })?;
    let row = store::meeting::ensure(w.conn(), id)?;
    // What the invite says, whenever it is sent: the same text means the same SEQUENCE.
    let content = ics::invite(
        &plan,
        &row.uid,
        0,
        Timestamp::UNIX_EPOCH,
        ics::Method::Request,
    );
    let when = schedule::describe(&plan.start, &plan.end);
    let (method, sequence, state, what) = if cancel {
        if row.state != MeetingState::Invited {
            return Err(Error::InvalidInput(
                "There is no invite to cancel: only a meeting whose invite was sent, and that has not taken place, can be cancelled.".into(),
            ));
        }
        let sequence = row.sequence + 1;
        (
            ics::Method::Cancel,
            sequence,
            MeetingState::Cancelled,
            format!("Meeting cancelled ({when})"),
        )
    } else {
        let (sequence, note) = match &row.last_invite {
            None => (0, format!("Invite sent for {when}")),
            Some(last) if *last == content && row.state == MeetingState::Invited => {
                (row.sequence, format!("Invite sent again for {when}"))
            }
            Some(_) => (row.sequence + 1, format!("Updated invite sent for {when}")),
        };
        (ics::Method::Request, sequence, MeetingState::Invited, note)
    };
    store::meeting::save_invite(w.conn(), id, sequence, &content, state)?;
    let trigger = if cancel {
        Trigger::InviteCancelled
    } else {
        Trigger::InviteSent
    };
    note(w, &draft, &what, trigger)?;
    let text = ics::invite(&plan, &row.uid, sequence, w.now, method);
    let what = if cancel {
        "meeting cancelled"
    } else {
        "meeting"
    };
    Ok(ExportedFile::new(&draft, what, ".ics", text.into_bytes()))
}

/// Records how the meeting went.
pub(crate) fn record_outcome(w: &Work<'_>, request: &MeetingOutcome) -> Result<MeetingView> {
    let id = request.draft_id;
    let draft = w.live(id)?;
    let when = plan(w, &draft)
        .map(|p| schedule::describe(&p.start, &p.end))
        .unwrap_or_default();
    let row = store::meeting::get(w.conn(), id)?;
    let state = row.as_ref().map_or(MeetingState::Planned, |r| r.state);
    if !matches!(
        state,
        MeetingState::Invited | MeetingState::NoShow | MeetingState::Held
    ) {
        return Err(Error::InvalidInput(
            "Send the invite first: how a meeting went can be recorded once it was scheduled."
                .into(),
        ));
    }
    let (next, text, trigger) = match request.outcome {
        Outcome::Held => (
            MeetingState::Held,
            format!("Meeting held ({when})"),
            Trigger::MeetingHeld,
        ),
        Outcome::NoShow => (
            MeetingState::NoShow,
            format!("The customer did not come ({when})"),
            Trigger::MeetingNoShow,
        ),
        Outcome::Rescheduled => (
            MeetingState::Planned,
            format!("Rescheduled from {when}: enter the new time and send the updated invite"),
            Trigger::MeetingRescheduled,
        ),
    };
    store::meeting::set_state(w.conn(), id, next)?;
    note(w, &draft, &text, trigger)?;
    view(w, id)
}

/// The procedure: the recap goes out once the meeting's recording is processed.
pub(crate) fn mark_recording_processed(w: &Work<'_>, id: DraftId) -> Result<MeetingView> {
    let draft = w.live(id)?;
    let held = store::meeting::get(w.conn(), id)?.is_some_and(|r| r.state == MeetingState::Held);
    if !held {
        return Err(Error::InvalidInput(
            "Mark the meeting as held first: only a held meeting has a recording.".into(),
        ));
    }
    store::meeting::set_recording_processed(w.conn(), id)?;
    note(
        w,
        &draft,
        "Recording processed: the recap can go out",
        Trigger::RecordingProcessed,
    )?;
    view(w, id)
}

/// Notes `what` in the draft's history, and moves its status on as `trigger` says.
pub(crate) fn note(w: &Work<'_>, draft: &Draft, what: &str, trigger: Trigger) -> Result<()> {
    let value = AnswerValue::Text(what.to_owned());
    w.record(
        draft.id,
        Change::of(Event::Meeting).values(None, Some(&value)),
    )?;
    w.set_status(draft, trigger, None)?;
    w.touch(draft.id)
}

/// Saves `file` in `exports`, the data directory's folder for what Onramp hands to other apps,
/// under a name no file has yet.
pub(crate) fn save(exports: &std::path::Path, file: &ExportedFile) -> Result<std::path::PathBuf> {
    std::fs::create_dir_all(exports).map_err(|e| {
        Error::Storage(format!(
            "cannot create the exports folder {}: {e}",
            exports.display()
        ))
    })?;
    let path = files::free_path(
        exports,
        &file.stem,
        file.extension,
        &uuid::Uuid::new_v4().to_string(),
    );
    files::write_atomically(&path, &file.bytes)?;
    Ok(path)
}
