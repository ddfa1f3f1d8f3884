//! The outbox worker: sends queued drafts to Jira in the background, when woken (a new
//! submission, "Retry now", new settings) and every little while; tells the window whenever a
//! submission changes, and the desktop when a ticket was created.

use std::sync::Arc;
use std::time::Duration;

use onramp_core::jira::Client;
use onramp_core::jira::follow;
use onramp_core::jira::submit::{self, Options};
use onramp_core::model::{Submission, SubmissionState};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

use crate::state::Core;

/// How often queued drafts and ticket statuses are looked at without being asked.
const TICK: Duration = Duration::from_secs(30);
/// The event the window listens to, to refresh what it shows of submissions.
pub const CHANGED: &str = "outbox-changed";

/// Wakes the worker.
#[derive(Debug, Clone, Default)]
pub struct Outbox(Arc<Notify>);

impl Outbox {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    pub fn start<R: Runtime>(&self, app: AppHandle<R>) {
        let notify = Arc::clone(&self.0);
        tauri::async_runtime::spawn(async move {
            loop {
                let _ = tokio::time::timeout(TICK, notify.notified()).await;
                let core = app.state::<Core>();
                // Not configured yet: nothing to send to, and nothing to report.
                let Ok(settings) = core.with(|o| o.jira_settings()) else {
                    continue;
                };
                let Ok(client) = Client::new(settings) else {
                    continue;
                };
                let Ok(shared) = core.shared() else {
                    return;
                };
                let on_change = |s: &Submission| {
                    let _ = app.emit(CHANGED, ());
                    if s.state == SubmissionState::Done {
                        announce_created(&core, s);
                    }
                };
                let options = Options::for_playbook(shared.lock().playbook());
                let _ = submit::flush(shared, &client, &options, &on_change).await;
                // Replies before the status round, which then reads them back.
                if let Err(e) = follow::send_replies(shared, &client).await {
                    eprintln!("Onramp: replies could not be sent: {e}");
                }
                // A failed round is kept for the window to show; the next tick tries again.
                match follow::sync_statuses(shared, &client).await {
                    Ok(None) => {}
                    Ok(Some(_)) => {
                        let _ = app.emit(CHANGED, ());
                    }
                    Err(e) => {
                        eprintln!("Onramp: {e}");
                        let _ = app.emit(CHANGED, ());
                    }
                }
            }
        });
    }
}

/// A desktop notification: the CSM may have queued the draft offline hours ago.
fn announce_created(core: &Core, submission: &Submission) {
    let Some(key) = &submission.issue_key else {
        return;
    };
    let summary = core
        .with(|o| o.ticket(submission.draft_id))
        .map(|t| t.summary)
        .unwrap_or_default();
    let (title, body) = created_notice(key, &summary);
    crate::notice::show(&title, &body);
}

fn created_notice(key: &str, summary: &str) -> (String, String) {
    (
        format!("Jira ticket {key} created"),
        format!("{summary}\nThe request waiting in the outbox was sent."),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_notice_names_the_ticket_and_the_request() {
        let (title, body) =
            super::created_notice("ONB-7", "Enable HRIS Gusto Integration for Acme Health");
        assert_eq!(title, "Jira ticket ONB-7 created");
        assert!(body.starts_with("Enable HRIS Gusto Integration for Acme Health\n"));
    }
}
