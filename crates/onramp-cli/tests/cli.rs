//! The `onramp` binary, run as a user would, against a data directory the core wrote.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

use std::process::{Command, Output};

use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
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
            value: Some(AnswerValue::Text("Globex Clinics".into())),
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

#[test]
fn playbook_check_lists_every_bundled_provider() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&onramp(dir.path(), &["playbook", "check"]));
    assert!(
        out.starts_with("The playbook is valid: 10 SSO and 12 HRIS providers."),
        "{out}"
    );
    let ukg = out.lines().find(|l| l.contains("UKG Pro")).unwrap();
    assert!(
        ukg.contains("4 details") && ukg.contains("2 screenshots"),
        "{ukg}"
    );
}

#[test]
fn playbook_check_of_a_broken_folder_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let playbook = dir.path().join("playbook");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/playbook"),
        &playbook,
    );
    let gusto = playbook.join("providers/hris/gusto.toml");
    let text = std::fs::read_to_string(&gusto)
        .unwrap()
        .replace("type = \"yes_no\"", "type = \"yesno\"");
    std::fs::write(&gusto, text).unwrap();

    let out = onramp(
        dir.path(),
        &["playbook", "check", playbook.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("onramp: the playbook has 1 problem:"),
        "{err}"
    );
    assert!(
        err.contains("providers/hris/gusto.toml:")
            && err.contains(": client_questions[0].type: unknown variant `yesno`"),
        "{err}"
    );
}

#[test]
fn a_playbook_folder_from_the_environment_replaces_the_bundled_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(["playbook", "check"])
        .env("ONRAMP_DATA_DIR", dir.path())
        .env("ONRAMP_PLAYBOOK", dir.path().join("nowhere"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "nowhere: not a folder: a playbook is a folder with playbook.toml and providers/"
        ),
        "{err}"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
