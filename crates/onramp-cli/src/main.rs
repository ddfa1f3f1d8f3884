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
    Submit { id: onramp_core::model::DraftId },
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
        Command::Submit { id } => jira::submit(id),
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
