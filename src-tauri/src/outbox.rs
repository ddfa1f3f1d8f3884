//! The outbox worker: sends queued drafts to Jira in the background, when woken (a new
//! submission, "Retry now") and every little while, and tells the window when anything changed.

use std::sync::Arc;
use std::time::Duration;

use onramp_core::jira::submit::{self, Options};
use onramp_core::jira::{Client, JiraSettings};
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
                // Not configured yet: nothing to send to, and nothing to report.
                let Ok(settings) = JiraSettings::from_env() else {
                    continue;
                };
                let Ok(client) = Client::new(settings) else {
                    continue;
                };
                let core = app.state::<Core>();
                let Ok(shared) = core.shared() else {
                    return;
                };
                let sent = submit::flush(shared, &client, &Options::default()).await;
                // Statuses are a nicety: offline, the next tick tries again.
                let _ = submit::sync_statuses(shared, &client).await;
                if sent.is_ok() {
                    let _ = app.emit(CHANGED, ());
                }
            }
        });
    }
}
