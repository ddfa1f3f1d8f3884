//! The mandatory integration meeting: its calendar invite, how it went, and when the recap may go.
//!
//! The invite keeps one UID for the meeting's whole life; each invite that says something new
//! (another time, another attendee) carries a higher SEQUENCE, as does the cancellation, so the
//! customer's calendar moves or removes the event instead of adding a second one.

pub mod ics;
pub mod schedule;
mod store;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use schedule::{MeetingTimes, Person, Plan};

use crate::answers::AnswerValue;
use crate::drafts::{self, Draft, DraftId, DraftStatus};
use crate::history::{self, Change, Event};
use crate::playbook::{Playbook, Provider};
use crate::{Error, Onramp, Result, files};

/// The agenda a new draft's meeting starts with, relative to the playbook folder.
pub const AGENDA_TEMPLATE: &str = "templates/agenda.txt";

/// Everything the agenda template may use.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AgendaContext {
    kind: String,
    provider: String,
    minutes: u32,
    type_name: String,
    presentation: String,
}

pub(crate) fn sample_agenda() -> AgendaContext {
    AgendaContext {
        kind: "SSO".into(),
        provider: "Provider".into(),
        minutes: 30,
        type_name: "Meeting".into(),
        presentation: "https://example.com/presentation".into(),
    }
}

pub(crate) fn agenda(templates: &tera::Tera, context: &AgendaContext) -> Result<String, String> {
    let ctx = tera::Context::from_serialize(context).map_err(|e| e.to_string())?;
    let text = templates
        .render(AGENDA_TEMPLATE, &ctx)
        .map_err(|e| crate::ticket::error_chain(&e))?;
    Ok(text.trim().to_owned())
}

/// What a new draft's Meeting step starts with: the playbook's length, type and agenda, and the
/// CSM's own time zone until they enter the customer's.
pub(crate) fn defaults(
    playbook: &Playbook,
    provider: &Provider,
    local: &jiff::tz::TimeZone,
) -> Result<Vec<(String, AnswerValue)>> {
    use crate::wizard::meeting as field;
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
    let agenda = agenda(playbook.templates(), &context).map_err(|e| {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    /// No invite went out yet (or the meeting is being rescheduled).
    Planned,
    Invited,
    Held,
    NoShow,
    Cancelled,
}

impl MeetingState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Invited => "invited",
            Self::Held => "held",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    /// How the state reads in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "no invite sent yet",
            Self::Invited => "invite sent",
            Self::Held => "held",
            Self::NoShow => "the customer did not come",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "invited" => Self::Invited,
            "held" => Self::Held,
            "no_show" => Self::NoShow,
            "cancelled" => Self::Cancelled,
            _ => Self::Planned,
        }
    }
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

impl Onramp {
    /// The meeting the draft's answers describe, or why there is none yet.
    pub(crate) fn meeting_plan(&self, draft: &Draft) -> std::result::Result<Plan, Vec<String>> {
        let provider = self.provider_name(&draft.provider_id);
        schedule::plan(draft, self.playbook(), &provider)
    }

    pub fn meeting(&self, id: DraftId) -> Result<MeetingView> {
        let draft = drafts::get(&self.conn, id)?;
        let row = store::get(&self.conn, id)?;
        let plan = self.meeting_plan(&draft);
        let (state, sequence, recording_processed) =
            row.as_ref().map_or((MeetingState::Planned, 0, false), |r| {
                (r.state, r.sequence, r.recording_processed)
            });
        let history = history::list(&self.conn, id, |_| None)?
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
                Some(schedule::times(plan, &self.local_tz)),
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
            recap_available: state == MeetingState::Held && recording_processed,
            history,
        })
    }

    /// The `.ics` invite (or, with `cancel`, its cancellation) for the draft's meeting. An invite
    /// that differs from the last one sent, or follows a reschedule, gets the next SEQUENCE.
    pub fn export_invite(&mut self, id: DraftId, cancel: bool) -> Result<ExportedFile> {
        let draft = self.live_draft(id)?;
        let plan = self.meeting_plan(&draft).map_err(|problems| {
            Error::InvalidInput(format!(
                "The invite cannot be made yet. {}",
                problems.join(" ")
            ))
        })?;
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        let row = store::ensure(&tx, id)?;
        // What the invite says, whenever it is sent: the same text means the same SEQUENCE.
        let content = ics::invite(
            &plan,
            &row.uid,
            0,
            Timestamp::UNIX_EPOCH,
            ics::Method::Request,
        );
        let when = schedule::describe(&plan.start, &plan.end);
        let (method, sequence, state, note) = if cancel {
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
        store::save_invite(&tx, id, sequence, &content, state)?;
        Self::record_meeting(
            &tx,
            self.source,
            &draft,
            now,
            &note,
            (!cancel).then_some(DraftStatus::MeetingScheduled),
        )?;
        tx.commit()?;
        let text = ics::invite(&plan, &row.uid, sequence, now, method);
        let what = if cancel {
            "meeting cancelled"
        } else {
            "meeting"
        };
        Ok(ExportedFile::new(&draft, what, ".ics", text.into_bytes()))
    }

    /// Records how the meeting went.
    pub fn record_meeting_outcome(&mut self, request: &MeetingOutcome) -> Result<MeetingView> {
        let id = request.draft_id;
        let draft = self.live_draft(id)?;
        let when = self
            .meeting_plan(&draft)
            .map(|p| schedule::describe(&p.start, &p.end))
            .unwrap_or_default();
        let row = store::get(&self.conn, id)?;
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
        let (next, note) = match request.outcome {
            Outcome::Held => (MeetingState::Held, format!("Meeting held ({when})")),
            Outcome::NoShow => (
                MeetingState::NoShow,
                format!("The customer did not come ({when})"),
            ),
            Outcome::Rescheduled => (
                MeetingState::Planned,
                format!("Rescheduled from {when}: enter the new time and send the updated invite"),
            ),
        };
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        store::set_state(&tx, id, next)?;
        Self::record_meeting(&tx, self.source, &draft, now, &note, None)?;
        tx.commit()?;
        self.meeting(id)
    }

    /// The procedure: the recap goes out once the meeting's recording is processed.
    pub fn mark_recording_processed(&mut self, id: DraftId) -> Result<MeetingView> {
        let draft = self.live_draft(id)?;
        let held = store::get(&self.conn, id)?.is_some_and(|r| r.state == MeetingState::Held);
        if !held {
            return Err(Error::InvalidInput(
                "Mark the meeting as held first: only a held meeting has a recording.".into(),
            ));
        }
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        store::set_recording_processed(&tx, id)?;
        Self::record_meeting(
            &tx,
            self.source,
            &draft,
            now,
            "Recording processed: the recap can go out",
            None,
        )?;
        tx.commit()?;
        self.meeting(id)
    }

    /// Notes `what` in the draft's history, and moves a submitted request on to `status`.
    pub(crate) fn record_meeting(
        tx: &rusqlite::Connection,
        source: history::Source,
        draft: &Draft,
        now: Timestamp,
        what: &str,
        status: Option<DraftStatus>,
    ) -> Result<()> {
        let value = AnswerValue::Text(what.to_owned());
        history::record(
            tx,
            draft.id,
            now,
            source,
            Change::of(Event::Meeting).values(None, Some(&value)),
        )?;
        if let Some(status) = status
            && matches!(
                draft.status,
                DraftStatus::Submitted | DraftStatus::MeetingScheduled
            )
        {
            drafts::set_status(tx, draft.id, status, None)?;
        }
        drafts::touch(tx, draft.id, now)?;
        Ok(())
    }

    /// Saves `file` in the data directory's `exports` folder under a name no file has yet.
    pub fn save_export(&self, file: &ExportedFile) -> Result<std::path::PathBuf> {
        let dir = self.exports_dir();
        std::fs::create_dir_all(&dir).map_err(|e| {
            Error::Storage(format!(
                "cannot create the exports folder {}: {e}",
                dir.display()
            ))
        })?;
        let path = files::free_path(
            &dir,
            &file.stem,
            file.extension,
            &uuid::Uuid::new_v4().to_string(),
        );
        files::write_atomically(&path, &file.bytes)?;
        Ok(path)
    }

    /// Where invites and recaps are saved: the only files Onramp hands to other apps.
    pub fn exports_dir(&self) -> std::path::PathBuf {
        self.data_dir().join("exports")
    }

    /// The draft, unless it is in the trash.
    pub(crate) fn live_draft(&self, id: DraftId) -> Result<Draft> {
        let draft = drafts::get(&self.conn, id)?;
        if draft.deleted_at.is_some() {
            return Err(Error::InvalidInput(
                "this draft is in the trash; restore it to change it".into(),
            ));
        }
        Ok(draft)
    }
}

pub(crate) use store::{get as stored, set_recap};
