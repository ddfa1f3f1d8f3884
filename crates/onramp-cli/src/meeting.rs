//! `onramp meeting …` and `onramp export …`: the integration meeting, its invite and its recap.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use onramp_core::meeting::{MeetingOutcome, MeetingView, Outcome};
use onramp_core::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// When the meeting is (customer's time and yours), who comes, and what happened so far.
    Show { id: crate::DraftArg },
    /// Record how the meeting went.
    Record {
        id: crate::DraftArg,
        #[arg(value_enum)]
        outcome: OutcomeArg,
    },
    /// The recording is processed: the recap can go out.
    RecordingProcessed { id: crate::DraftArg },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutcomeArg {
    Held,
    NoShow,
    Rescheduled,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The meeting's calendar invite (.ics); with --cancel, its cancellation.
    Ics {
        id: crate::DraftArg,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        #[arg(long)]
        cancel: bool,
    },
    /// The recap email as a draft for the mail app (.eml), with the One-Pager for upsell deals.
    Eml {
        id: crate::DraftArg,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

fn print(text: &str) -> Result<()> {
    writeln!(std::io::stdout(), "{text}").map_err(Error::from)
}

fn describe(view: &MeetingView) -> String {
    let mut lines = vec![format!(
        "Meeting: {} (invite revision {})",
        view.state.label(),
        view.sequence
    )];
    match &view.times {
        Some(t) => {
            lines.push(format!("Customer's time: {}", t.customer));
            lines.push(format!("Your time: {}", t.local));
        }
        None => lines.extend(view.problems.iter().map(|p| format!("Not yet: {p}"))),
    }
    for person in &view.attendees {
        lines.push(match &person.name {
            Some(name) => format!("Attendee: {name} <{}>", person.email),
            None => format!("Attendee: {}", person.email),
        });
    }
    lines.extend(view.history.iter().map(|n| format!("{}  {}", n.at, n.what)));
    lines.join("\n")
}

pub fn meeting(cmd: &MeetingCommand) -> Result<()> {
    let mut onramp = crate::open()?;
    let view = match cmd {
        MeetingCommand::Show { id } => onramp.meeting(id.of(&onramp)?)?,
        MeetingCommand::Record { id, outcome } => {
            onramp.record_meeting_outcome(&MeetingOutcome {
                draft_id: id.of(&onramp)?,
                outcome: match outcome {
                    OutcomeArg::Held => Outcome::Held,
                    OutcomeArg::NoShow => Outcome::NoShow,
                    OutcomeArg::Rescheduled => Outcome::Rescheduled,
                },
            })?
        }
        MeetingCommand::RecordingProcessed { id } => {
            onramp.mark_recording_processed(id.of(&onramp)?)?
        }
    };
    print(&describe(&view))
}

pub fn export(cmd: &ExportCommand) -> Result<()> {
    let mut onramp = crate::open()?;
    let (file, output) = match cmd {
        ExportCommand::Ics { id, output, cancel } => {
            (onramp.export_invite(id.of(&onramp)?, *cancel)?, output)
        }
        ExportCommand::Eml { id, output } => (onramp.export_recap(id.of(&onramp)?)?, output),
    };
    onramp_core::files::write_atomically(output, &file.bytes)?;
    print(&format!("Wrote {}.", output.display()))
}
