//! Secrets stay in the OS keyring: after a full run — settings saved, a ticket submitted to
//! fake-jira, a bundle, the invite and the recap exported — neither the Jira token nor the Slack
//! webhook URL is in any file Onramp wrote.

use std::path::Path;

use crate::support::{
    ManualClock, answer_all, create, fill_everything, held_and_processed, open, runtime,
    submit_queued,
};
use fake_jira::{Config, FakeJira};
use onramp_core::jira::Client;
use onramp_core::model::SubmissionState;
use onramp_core::settings::{Settings, SettingsUpdate};
use onramp_core::{Onramp, Shared};

/// Every file below `dir`, read whole; a zip (the bundle) also by each file inside it, as its
/// compressed bytes would hide a secret from a plain search.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if path.extension().is_some_and(|e| e == "zip") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            for i in 0..zip.len() {
                let mut inner = zip.by_index(i).unwrap();
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut inner, &mut content).unwrap();
                out.push((path.join(inner.name().unwrap().as_ref()), content));
            }
        }
        out.push((path, bytes));
    }
    out
}

#[test]
fn the_token_and_the_webhook_are_in_no_file_onramp_writes() {
    let token = format!("token-{}", uuid::Uuid::new_v4());
    let fake = FakeJira::start(Config {
        token: token.clone(),
        ..Config::default()
    })
    .unwrap();
    let webhook = fake.slack_webhook_url();
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    onramp
        .save_settings(SettingsUpdate {
            settings: Settings {
                jira_site: fake.url(),
                jira_email: fake.config().email.clone(),
                jira_project: "ONB".into(),
                csm_name: "Casey Morgan".into(),
                csm_email: "csm@medtrainer.example".into(),
                ..Settings::default()
            },
            token: Some(token.clone()),
            slack_webhook: Some(webhook.clone()),
        })
        .unwrap();

    let view = create(&mut onramp, "okta");
    fill_everything(&mut onramp, &view);
    answer_all(
        &mut onramp,
        &view,
        &[
            ("company", "Acme Health"),
            ("csm_email", "csm@medtrainer.example"),
            ("meeting_time_zone", "America/New_York"),
        ],
    );
    let id = view.draft.id;
    onramp.queue_submission(id).unwrap();
    let client = Client::new(onramp.jira_settings().unwrap()).unwrap();
    let core = Shared::new(onramp);
    let runtime = runtime();
    let done = submit_queued(&runtime, &core, &client, id);
    assert_eq!(done.state, SubmissionState::Done, "{:?}", done.last_error);
    let mut onramp: Onramp = core.into_inner().unwrap();
    runtime
        .block_on(onramp_core::slack::post(
            &onramp.slack_webhook().unwrap().unwrap(),
            &onramp.support_message(id).unwrap(),
        ))
        .unwrap();

    let exports = dir.path().join("exports");
    onramp.export_bundle_into(id, dir.path()).unwrap();
    let invite = onramp.export_invite(id, false).unwrap();
    onramp.save_export(&invite).unwrap();
    held_and_processed(&mut onramp, id);
    let recap = onramp.export_recap(id).unwrap();
    onramp.save_export(&recap).unwrap();
    drop(onramp);

    let written = files(dir.path());
    assert!(
        written.iter().any(|(p, _)| p.starts_with(&exports)),
        "the exports are checked too"
    );
    assert!(
        written.iter().any(|(p, _)| p.ends_with("draft.json")
            && p.parent()
                .is_some_and(|zip| zip.to_string_lossy().ends_with(".onramp.zip"))),
        "the bundle is checked file by file"
    );
    for secret in [token.as_str(), webhook.as_str()] {
        for (path, bytes) in &written {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds a secret",
                path.display()
            );
        }
    }
    // The keyring still has them: the run used them, it did not copy them.
    let onramp = open(dir.path(), &ManualClock::new());
    assert_eq!(onramp.jira_settings().unwrap().token, token);
    assert_eq!(onramp.slack_webhook().unwrap().unwrap().as_str(), webhook);
}
