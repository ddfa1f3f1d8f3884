//! The `onramp` binary, run as a user would, against a data directory the core wrote.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

use std::process::{Command, Output};

use onramp_core::Onramp;
use onramp_core::clock::SystemClock;
use onramp_core::drafts::{AnswerUpdate, NewDraft};
use onramp_core::playbook::Playbook;

fn onramp(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(args)
        .env("ONRAMP_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn drafts_list_shows_what_the_window_saved() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut core = Onramp::open(
            dir.path(),
            Playbook::bundled().unwrap(),
            Box::new(SystemClock),
        )
        .unwrap();
        let view = core
            .create_draft(&NewDraft {
                provider_id: "ukg-pro".into(),
            })
            .unwrap();
        core.set_answer(&AnswerUpdate {
            draft_id: view.draft.id,
            field_id: "company".into(),
            value: "Globex Clinics".into(),
        })
        .unwrap();
        view.draft.id
    };

    let table = stdout(&onramp(dir.path(), &["drafts", "list"]));
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("ID") && header.contains("COMPANY") && header.contains("LAST CHANGE"),
        "{table}"
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with(&id.to_string()), "{table}");
    for cell in ["Globex Clinics", "HRIS", "UKG Pro", "draft"] {
        assert!(row.contains(cell), "missing {cell}: {table}");
    }

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&onramp(dir.path(), &["drafts", "list", "--json"]))).unwrap();
    assert_eq!(json[0]["company"], "Globex Clinics");
    assert_eq!(json[0]["providerName"], "UKG Pro");
    assert_eq!(json[0]["id"], id.to_string());
}

#[test]
fn an_empty_data_directory_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&onramp(dir.path(), &["drafts", "list"]));
    assert_eq!(
        out.trim(),
        "No drafts yet. Start one in the Onramp window with \"New request\"."
    );
}

#[test]
fn a_database_from_a_newer_onramp_is_an_error_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    future_db(&dir.path().join("onramp.db"));
    let out = onramp(dir.path(), &["drafts", "list"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("onramp: this database was written by a newer version of Onramp"),
        "{err}"
    );
}

/// An SQLite file whose schema version is ahead of anything this build knows.
fn future_db(path: &std::path::Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
}
