//! `onramp submit`, `onramp outbox …` and `onramp jira test`: Jira from the command line, with
//! the window's settings and keyring token, each overridable by `ONRAMP_JIRA_URL`, `_EMAIL`,
//! `_TOKEN`, `_PROJECT` and `_ISSUE_TYPE`.

use std::io::Write;

use clap::Subcommand;
use onramp_core::jira::follow;
use onramp_core::jira::submit::{self, Options};
use onramp_core::jira::{Client, ConnectionCheck, JiraSettings};
use onramp_core::model::{DraftId, Submission, SubmissionState};
use onramp_core::{Error, Result, Shared};

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Every submission: queued, failed or done.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Try every queued or failed submission now.
    Flush,
    /// Fetch the Jira status of every submitted ticket.
    Sync,
}

#[derive(Debug, Subcommand)]
pub enum JiraCommand {
    /// Sign in to Jira, say as whom, and check the project's create screen against the playbook.
    Test,
    /// List the project's create-screen fields: which are required, and what fills each.
    Fields,
    /// Raise requests on a service desk (Jira Service Management) instead of in a project:
    /// the desk and its request type by name, as Settings lists them.
    Desk {
        /// The service desk's name, e.g. "Customer Support".
        desk: String,
        /// The request type's name, e.g. "Integration request".
        request_type: String,
    },
}

fn client(core: &Shared) -> Result<Client> {
    let settings = core.lock().jira_settings()?;
    Client::new(settings).map_err(Error::from)
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::from)
}

fn open() -> Result<Shared> {
    crate::open().map(Shared::new)
}

fn print(text: &str) -> Result<()> {
    writeln!(std::io::stdout(), "{text}").map_err(Error::from)
}

/// Queues the draft and makes one attempt; a submission that must wait stays in the outbox.
pub fn submit(id: &crate::DraftArg) -> Result<()> {
    let core = open()?;
    let id = id.of(&core.lock())?;
    let client = client(&core)?;
    core.lock().queue_submission(id)?;
    let options = Options::for_playbook(core.lock().playbook());
    let done = runtime()?.block_on(submit::attempt(&core, &client, id, &options, &|_| {}))?;
    let Some(submission) = done else {
        return Err(Error::NotFound {
            what: "submission",
            id: id.to_string(),
        });
    };
    match submission.state {
        SubmissionState::Done => print(&line(&submission, Some(client.settings()))),
        SubmissionState::Queued => print(&format!(
            "Queued, not sent yet: {}\n`onramp outbox flush` tries again.",
            submission.last_error.unwrap_or_default()
        )),
        SubmissionState::Failed => Err(Error::Jira(submission.last_error.unwrap_or_default())),
    }
}

pub fn outbox(cmd: &OutboxCommand) -> Result<()> {
    match cmd {
        OutboxCommand::List { json } => {
            let core = open()?;
            let outbox = core.lock().outbox()?;
            if *json {
                return print(
                    &serde_json::to_string_pretty(&outbox)
                        .map_err(|e| Error::Storage(e.to_string()))?,
                );
            }
            if outbox.is_empty() {
                return print("The outbox is empty.");
            }
            // Without settings the list still shows; only the links are missing.
            let settings = core.lock().jira_settings().ok();
            let lines: Vec<String> = outbox.iter().map(|s| line(s, settings.as_ref())).collect();
            print(&lines.join("\n"))
        }
        OutboxCommand::Sync => sync(),
        OutboxCommand::Flush => {
            let core = open()?;
            let client = client(&core)?;
            let ids: Vec<DraftId> = {
                let mut onramp = core.lock();
                let waiting: Vec<DraftId> = onramp
                    .outbox()?
                    .into_iter()
                    .filter(|s| s.state != SubmissionState::Done)
                    .map(|s| s.draft_id)
                    .collect();
                for id in &waiting {
                    onramp.retry_submission(*id)?;
                }
                waiting
            };
            if ids.is_empty() {
                return print("Nothing is waiting in the outbox.");
            }
            let options = Options::for_playbook(core.lock().playbook());
            let results = runtime()?.block_on(submit::flush(&core, &client, &options, &|_| {}))?;
            let lines: Vec<String> = results
                .iter()
                .map(|s| line(s, Some(client.settings())))
                .collect();
            print(&lines.join("\n"))
        }
    }
}

fn sync() -> Result<()> {
    let core = open()?;
    let client = client(&core)?;
    let round = runtime()?.block_on(follow::sync_statuses(&core, &client))?;
    let checked = round.map_or(0, |r| r.tracked);
    let lines: Vec<String> = core
        .lock()
        .outbox()?
        .iter()
        .filter(|s| s.state == SubmissionState::Done)
        .map(|s| line(s, Some(client.settings())))
        .collect();
    print(format!("Checked {checked} ticket(s) in Jira.\n{}", lines.join("\n")).trim_end())
}

pub fn jira(cmd: &JiraCommand) -> Result<()> {
    let core = open()?;
    match cmd {
        JiraCommand::Test => test(&core),
        JiraCommand::Fields => fields(&core),
        JiraCommand::Desk { desk, request_type } => use_desk(&core, desk, request_type),
    }
}

/// A Test connection with the saved settings (or their `ONRAMP_JIRA_*` overrides).
fn connection(core: &Shared) -> Result<(Client, ConnectionCheck)> {
    let client = client(core)?;
    let csm_email = core.lock().settings()?.settings.csm_email;
    let check = runtime()?.block_on(core.test_jira(client.settings().clone(), &csm_email))?;
    Ok((client, check))
}

fn test(core: &Shared) -> Result<()> {
    let (client, check) = connection(core)?;
    let mut lines = vec![format!(
        "Connected to {} as {}{}; project {}.",
        client.settings().site,
        check.display_name,
        check
            .email_address
            .as_ref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default(),
        client.settings().project
    )];
    lines.extend(check.watcher.clone());
    if check.problems.is_empty() {
        lines.push("Tickets can be created: every required field is filled.".into());
    }
    lines.extend(check.problems.iter().map(|p| format!("Problem: {p}")));
    print(&lines.join("\n"))?;
    if check.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "{} problem(s) would stop a ticket",
            check.problems.len()
        )))
    }
}

fn fields(core: &Shared) -> Result<()> {
    let (_, check) = connection(core)?;
    let lines: Vec<String> = check
        .fields
        .iter()
        .map(|f| {
            let need = match (f.required, f.has_default) {
                (true, false) => "required",
                (true, true) => "required, has a default",
                (false, _) => "optional",
            };
            let choices = if f.choices.is_empty() {
                String::new()
            } else {
                format!("; choices: {}", f.choices)
            };
            let by = f.filled_by.as_deref().unwrap_or("nothing");
            format!("{} ({}): {need}{choices}; filled by {by}", f.name, f.id)
        })
        .collect();
    print(&lines.join("\n"))
}

/// Saves the desk and request type named, then says what the account may do there and what
/// would stop a request.
fn use_desk(core: &Shared, desk: &str, request_type: &str) -> Result<()> {
    let (view, check) = runtime()?.block_on(core.use_service_desk(desk, request_type))?;
    let Some(chosen) = view.settings.service_desk else {
        return Err(Error::InvalidInput("no service desk was saved".into()));
    };
    let mut lines = vec![format!(
        "Requests now go to the service desk {} (project {}) as {}.",
        chosen.service_desk_name, chosen.project_key, chosen.request_type_name
    )];
    lines.extend(check.desk_access);
    lines.extend(check.problems.iter().map(|p| format!("Problem: {p}")));
    print(&lines.join("\n"))
}

/// One submission as a line: where it is, and the ticket or the reason.
fn line(s: &Submission, settings: Option<&JiraSettings>) -> String {
    match (&s.state, &s.issue_key) {
        (SubmissionState::Done, Some(key)) => {
            let link = settings.map(|j| format!(" {}", j.browse_url(key)));
            let status = s.jira_status.as_ref().map(|st| format!(" ({st})"));
            let warning = s.warning.as_ref().map(|w| format!("\n  {w}"));
            format!(
                "{} submitted: {key}{}{}{}",
                s.draft_id,
                status.unwrap_or_default(),
                link.unwrap_or_default(),
                warning.unwrap_or_default()
            )
        }
        (SubmissionState::Failed, _) => format!(
            "{} failed: {}",
            s.draft_id,
            s.last_error.as_deref().unwrap_or_default()
        ),
        _ => format!(
            "{} queued (attempt {}): {}",
            s.draft_id,
            s.attempts,
            s.last_error.as_deref().unwrap_or("not tried yet")
        ),
    }
}
