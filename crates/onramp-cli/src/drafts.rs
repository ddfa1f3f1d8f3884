//! `onramp drafts …`

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use onramp_core::answers::AnswerValue;
use onramp_core::drafts::{AnswerUpdate, DraftSummary, DraftView, NewDraft};
use onramp_core::model::{DraftQuery, DraftStatus};
use onramp_core::screenshots::ScreenshotSlotRef;
use onramp_core::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List drafts, most recently changed first.
    List {
        /// Print JSON (one array) instead of a table.
        #[arg(long)]
        json: bool,
        /// Only drafts whose company, provider or answers contain these words.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Only drafts with this status: draft, ready, queued, submitted, `meeting_scheduled`,
        /// `recap_sent` or escalated.
        #[arg(long, value_name = "S")]
        status: Option<DraftStatus>,
        /// The trash instead of the live drafts.
        #[arg(long)]
        trash: bool,
    },
    /// Show one draft: its answers, what is still missing, and its screenshots.
    Show {
        id: crate::DraftArg,
        #[arg(long)]
        json: bool,
    },
    /// Start a draft with answers from a JSON file (`{"field_id": value, …}`).
    New {
        #[arg(long, value_name = "ID")]
        provider: String,
        #[arg(long, value_name = "FILE.json")]
        answers: Option<PathBuf>,
    },
    /// Attach a screenshot to one of the draft's slots (replacing what was there).
    Attach {
        id: crate::DraftArg,
        #[arg(long)]
        slot: String,
        file: PathBuf,
    },
    /// Write the draft, its screenshots and its history to one bundle file for another machine.
    Export {
        id: crate::DraftArg,
        /// Where to write it; by default `<company>-<provider>.onramp.zip` here, never over
        /// an existing file.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import a bundle written by `export`, after checking every file in it against its hash.
    Import { file: PathBuf },
}

pub fn run(cmd: &Command) -> Result<()> {
    let mut onramp = crate::open()?;
    let text = match cmd {
        Command::List {
            json,
            search,
            status,
            trash,
        } => {
            let query = DraftQuery {
                search: search.clone(),
                status: *status,
                trash: *trash,
                limit: None,
                sort: None,
            };
            let drafts = onramp.list_drafts(&query)?;
            if *json {
                to_json(&drafts)?
            } else {
                table(&drafts, &query)
            }
        }
        Command::Show { id, json } => {
            let view = onramp.open_draft(id.of(&onramp)?)?;
            if *json { to_json(&view)? } else { show(&view) }
        }
        Command::New { provider, answers } => {
            let answers = match answers {
                Some(path) => read_answers(path)?,
                None => BTreeMap::new(),
            };
            let view = onramp.create_draft(&NewDraft {
                provider_id: provider.clone(),
            })?;
            for (field_id, value) in answers {
                onramp.set_answer(&AnswerUpdate {
                    draft_id: view.draft.id,
                    field_id,
                    value: Some(value),
                })?;
            }
            view.draft.id.to_string()
        }
        Command::Attach { id, slot, file } => {
            let target = ScreenshotSlotRef {
                draft_id: id.of(&onramp)?,
                slot_id: slot.clone(),
            };
            let view = onramp.attach_screenshot_file(&target, file)?;
            let shot = view.screenshots.iter().find(|s| s.slot_id == *slot);
            shot.map_or_else(String::new, |s| {
                format!(
                    "Attached {} ({} × {}) as {slot}.",
                    s.file_name, s.width, s.height
                )
            })
        }
        Command::Export { id, output } => {
            let path = match output {
                Some(path) => {
                    onramp.export_bundle_to(id.of(&onramp)?, path)?;
                    path.clone()
                }
                // The empty path is the current directory, without a "./" in the message.
                None => onramp.export_bundle_into(id.of(&onramp)?, Path::new(""))?,
            };
            format!("Exported to {}.", path.display())
        }
        Command::Import { file } => {
            let imported = onramp.import_bundle_file(file)?;
            let draft = title(&onramp.open_draft(imported.draft_id)?);
            if imported.already_present {
                format!("Already here, nothing imported: {draft}.")
            } else {
                format!("Imported {draft}.")
            }
        }
    };
    writeln!(std::io::stdout(), "{text}").map_err(Error::from)
}

fn to_json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Storage(e.to_string()))
}

fn read_answers(path: &Path) -> Result<BTreeMap<String, AnswerValue>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::InvalidInput(format!(
            "{}:{}:{}: expected an object of field IDs to answers (text, true/false or a list of text): {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

/// "Acme — SSO Okta (<id>)": which draft, in one line.
fn title(view: &DraftView) -> String {
    let draft = &view.draft;
    format!(
        "{} — {} {} ({})",
        draft.company().unwrap_or_else(|| "(no company yet)".into()),
        draft.kind.label(),
        view.provider_name,
        draft.id,
    )
}

fn show(view: &DraftView) -> String {
    let draft = &view.draft;
    let mut out = format!(
        "{}\nStatus: {}{}\n",
        title(view),
        draft.status.label(),
        draft
            .status_note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default(),
    );
    for step in &view.steps {
        let answered: Vec<String> = step
            .fields
            .iter()
            .filter_map(|f| {
                draft
                    .answers
                    .get(&f.id)
                    .map(|v| format!("  {}: {}", f.label, v))
            })
            .chain(
                view.screenshots
                    .iter()
                    .filter(|s| step.fields.iter().any(|f| f.id == s.slot_id))
                    .map(|s| {
                        format!(
                            "  {}: {} ({} × {})",
                            s.slot_id, s.file_name, s.width, s.height
                        )
                    }),
            )
            .collect();
        if !answered.is_empty() {
            let _ = write!(out, "\n{}\n{}\n", step.title, answered.join("\n"));
        }
    }
    let open = view.readiness.open_items();
    if open == 0 {
        out.push_str("\nNothing is missing: the request can be submitted.");
    } else {
        let _ = write!(out, "\nStill needed ({open}):");
        for step in view.readiness.steps.iter().filter(|s| !s.issues.is_empty()) {
            for issue in &step.issues {
                let _ = write!(
                    out,
                    "\n  {} › {}: {}",
                    step.title, issue.label, issue.message
                );
            }
        }
    }
    out
}

fn table(drafts: &[DraftSummary], query: &DraftQuery) -> String {
    if drafts.is_empty() {
        return if query == &DraftQuery::default() {
            "No drafts yet. Start one in the Onramp window with \"New request\".".to_owned()
        } else {
            "No drafts match.".to_owned()
        };
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
