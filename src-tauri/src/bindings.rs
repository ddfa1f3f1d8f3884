//! TypeScript types for everything that crosses IPC, generated from the Rust types.
//!
//! The committed copies live in `ui/src/lib/ipc/bindings/`. This test fails when they differ
//! from what the Rust types generate; `cargo xtask bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use onramp_core::bundle::Imported;
use onramp_core::drafts::{
    AnswerUpdate, DraftList, DraftSummary, DraftView, DuplicateDraft, Escalation, NewDraft, Saved,
};
use onramp_core::jira::ConnectionCheck;
use onramp_core::meeting::{MeetingOutcome, MeetingView};
use onramp_core::model::DraftQuery;
use onramp_core::model::HistoryEntry;
use onramp_core::model::Submission;
use onramp_core::playbook::ProviderSummary;
use onramp_core::recap::{Recap, RecapEdit};
use onramp_core::screenshots::ScreenshotSlotRef;
use onramp_core::settings::{SettingsUpdate, SettingsView};
use onramp_core::sso::SsoChecks;
use onramp_core::ticket::Ticket;
use ts_rs::{Config, TS};

use crate::IpcError;
use crate::meeting::{Exported, InviteRequest};

/// Set to rewrite the committed bindings instead of checking them.
const UPDATE_ENV: &str = "ONRAMP_UPDATE_BINDINGS";

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc/bindings")
}

/// Generates every IPC type (and what it depends on) into `dir`.
fn export_all(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir);
    IpcError::export_all(&cfg).unwrap();
    ProviderSummary::export_all(&cfg).unwrap();
    DraftSummary::export_all(&cfg).unwrap();
    DraftList::export_all(&cfg).unwrap();
    DraftView::export_all(&cfg).unwrap();
    NewDraft::export_all(&cfg).unwrap();
    AnswerUpdate::export_all(&cfg).unwrap();
    Saved::export_all(&cfg).unwrap();
    DraftQuery::export_all(&cfg).unwrap();
    DuplicateDraft::export_all(&cfg).unwrap();
    Escalation::export_all(&cfg).unwrap();
    ScreenshotSlotRef::export_all(&cfg).unwrap();
    HistoryEntry::export_all(&cfg).unwrap();
    Imported::export_all(&cfg).unwrap();
    Ticket::export_all(&cfg).unwrap();
    Submission::export_all(&cfg).unwrap();
    SettingsView::export_all(&cfg).unwrap();
    SettingsUpdate::export_all(&cfg).unwrap();
    ConnectionCheck::export_all(&cfg).unwrap();
    MeetingView::export_all(&cfg).unwrap();
    MeetingOutcome::export_all(&cfg).unwrap();
    InviteRequest::export_all(&cfg).unwrap();
    Exported::export_all(&cfg).unwrap();
    Recap::export_all(&cfg).unwrap();
    RecapEdit::export_all(&cfg).unwrap();
    SsoChecks::export_all(&cfg).unwrap();
}

fn read_ts_files(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let fresh_dir = tempfile::tempdir().unwrap();
    export_all(fresh_dir.path());
    let fresh = read_ts_files(fresh_dir.path());
    assert!(
        fresh.contains_key("DraftView.ts"),
        "export produced {:?}",
        fresh.keys()
    );

    let committed_dir = committed_dir();
    if std::env::var_os(UPDATE_ENV).is_some() {
        let _ = std::fs::remove_dir_all(&committed_dir);
        std::fs::create_dir_all(&committed_dir).unwrap();
        for (name, text) in &fresh {
            std::fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }
    let committed = read_ts_files(&committed_dir);
    let stale: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|name| fresh.get(*name) != committed.get(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "TypeScript bindings in ui/src/lib/ipc/bindings are stale ({stale:?}); run `cargo xtask bindings`"
    );
}
