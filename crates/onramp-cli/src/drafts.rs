//! `onramp drafts …`

use std::io::Write;

use clap::Subcommand;
use onramp_core::drafts::DraftSummary;
use onramp_core::{Error, Onramp};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List drafts, most recently changed first.
    List {
        /// Print JSON (one array) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: &Command) -> onramp_core::Result<()> {
    let onramp = Onramp::open_default(None)?;
    match cmd {
        &Command::List { json } => {
            let drafts = onramp.list_drafts()?;
            let text = if json {
                serde_json::to_string_pretty(&drafts).map_err(|e| Error::Storage(e.to_string()))?
            } else {
                table(&drafts)
            };
            writeln!(std::io::stdout(), "{text}").map_err(Error::from)
        }
    }
}

fn table(drafts: &[DraftSummary]) -> String {
    if drafts.is_empty() {
        return "No drafts yet. Start one in the Onramp window with \"New request\".".to_owned();
    }
    let rows: Vec<[String; 6]> = drafts
        .iter()
        .map(|d| {
            [
                d.id.to_string(),
                d.company
                    .clone()
                    .unwrap_or_else(|| "(no company yet)".to_owned()),
                d.kind.label().to_owned(),
                d.provider_name.clone(),
                d.status.as_str().to_owned(),
                d.updated_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            ]
        })
        .collect();
    let header = ["ID", "COMPANY", "KIND", "PROVIDER", "STATUS", "LAST CHANGE"].map(str::to_owned);
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    std::iter::once(&header)
        .chain(&rows)
        .map(|r| {
            r.iter()
                .zip(&widths)
                .map(|(cell, w)| format!("{cell:<w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
