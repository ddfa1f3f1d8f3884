//! `onramp render …`: what Jira will receive, without sending anything.

use std::io::Write;

use clap::{Subcommand, ValueEnum};
use onramp_core::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the draft's Jira ticket: the summary, then the description.
    Ticket {
        id: crate::DraftArg,
        /// adf: JSON for Jira Cloud; wiki: markup for Jira Server / Data Center; text: plain.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the message that raises the request in the support channel, with the ticket's
    /// link once it exists.
    Slack { id: crate::DraftArg },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Adf,
    Wiki,
    Text,
}

pub fn run(cmd: &Command) -> Result<()> {
    let onramp = crate::open()?;
    let (id, format) = match cmd {
        Command::Ticket { id, format } => (id, format),
        Command::Slack { id } => {
            let message = onramp.support_message(id.of(&onramp)?)?;
            return writeln!(std::io::stdout(), "{message}").map_err(Error::from);
        }
    };
    let ticket = onramp.ticket(id.of(&onramp)?)?;
    let out = match format {
        Format::Adf => {
            serde_json::to_string_pretty(&ticket).map_err(|e| Error::Storage(e.to_string()))?
        }
        Format::Wiki => format!("{}\n\n{}", ticket.summary, ticket.wiki()),
        Format::Text => format!("{}\n\n{}", ticket.summary, ticket.text()),
    };
    writeln!(std::io::stdout(), "{out}").map_err(Error::from)
}
