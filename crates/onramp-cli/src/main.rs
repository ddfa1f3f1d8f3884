//! `onramp`: Onramp's command line, a thin adapter over `onramp-core` and the same data directory.

mod drafts;
mod jira;
mod meeting;
mod playbook;
mod render;
mod sso;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use onramp_core::model::Source;
use onramp_core::{Onramp, Verify};

#[derive(Debug, Parser)]
#[command(
    name = "onramp",
    version,
    about = "Prepare SSO and HRIS integration requests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Work with drafts (stored in `ONRAMP_DATA_DIR`, or the OS app-data directory).
    #[command(subcommand)]
    Drafts(drafts::Command),
    /// Check the playbook: providers, questions and templates the operations team edits.
    #[command(subcommand)]
    Playbook(playbook::Command),
    /// Show what would be sent, without sending it.
    #[command(subcommand)]
    Render(render::Command),
    /// Submit a ready draft to Jira (settings from `ONRAMP_JIRA_URL`, `_EMAIL`, `_TOKEN`, `_PROJECT`).
    Submit { id: DraftArg },
    /// Submissions waiting for Jira, failed, or done.
    #[command(subcommand)]
    Outbox(jira::OutboxCommand),
    /// Check the Jira connection.
    #[command(subcommand)]
    Jira(jira::JiraCommand),
    /// The integration meeting: when it is, and how it went.
    #[command(subcommand)]
    Meeting(meeting::MeetingCommand),
    /// Write the meeting's calendar invite or the recap email to a file.
    #[command(subcommand)]
    Export(meeting::ExportCommand),
    /// Check a customer's SAML metadata before it goes into a ticket.
    #[command(subcommand)]
    Sso(sso::Command),
}

/// A draft as a person names it here: its ID, or — as git takes commits — a unique start of
/// one (`dc284b02`).
#[derive(Debug, Clone)]
pub struct DraftArg(String);

impl std::str::FromStr for DraftArg {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl DraftArg {
    /// The draft's ID, or why none (or several) is meant.
    pub fn of(&self, onramp: &Onramp) -> onramp_core::Result<onramp_core::model::DraftId> {
        onramp.draft_named(&self.0)
    }
}

/// The core on the same data as the window, with every change recorded as the CLI's. The
/// database check runs beside the command: reading goes ahead, a write waits for it.
fn open() -> onramp_core::Result<Onramp> {
    Ok(Onramp::open_default(None, Verify::InBackground)?.with_source(Source::Cli))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Drafts(cmd) => drafts::run(&cmd),
        Command::Playbook(cmd) => playbook::run(&cmd),
        Command::Render(cmd) => render::run(&cmd),
        Command::Submit { id } => jira::submit(&id),
        Command::Outbox(cmd) => jira::outbox(&cmd),
        Command::Jira(cmd) => jira::jira(&cmd),
        Command::Meeting(cmd) => meeting::meeting(&cmd),
        Command::Export(cmd) => meeting::export(&cmd),
        Command::Sso(cmd) => sso::run(&cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onramp: {e}");
            ExitCode::FAILURE
        }
    }
}
