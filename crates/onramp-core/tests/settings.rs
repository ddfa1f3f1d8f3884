//! Settings: saved in SQLite, the token in the real OS keyring (here the kernel keyring, as no
//! Secret Service runs), every field checked, and "Test connection" explaining each failure.

use crate::support;
use crate::support::{ManualClock, create, open, runtime};
use fake_jira::{Config, FakeJira, Fault, Operation};
use onramp_core::jira::{self, Deployment};
use onramp_core::settings::{Settings, SettingsUpdate};
use onramp_core::{Error, Onramp};

fn settings_for(fake: &FakeJira) -> Settings {
    Settings {
        jira_site: fake.url(),
        jira_email: fake.config().email.clone(),
        jira_project: "onb".into(),
        csm_name: "Casey Morgan".into(),
        csm_email: "csm@medtrainer.example".into(),
        ..Settings::default()
    }
}

fn save(onramp: &mut Onramp, settings: Settings, token: Option<&str>) -> onramp_core::Result<()> {
    onramp
        .save_settings(SettingsUpdate {
            settings,
            token: token.map(str::to_owned),
            slack_webhook: None,
        })
        .map(|_| ())
}

fn field_error(result: onramp_core::Result<()>) -> (String, String) {
    match result {
        Err(Error::InvalidField { field, message }) => (field, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn the_token_lives_in_the_keyring_and_never_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let token = fake.config().token.clone();
    save(&mut onramp, settings_for(&fake), Some(&token)).unwrap();

    let view = onramp.settings().unwrap();
    assert!(view.token_saved);
    assert_eq!(view.settings.jira_project, "ONB", "keys are upper case");
    // Settings names the store: the desktop's or the kernel's keyring on Linux.
    #[cfg(target_os = "linux")]
    assert!(view.keyring.contains("keyring"), "{}", view.keyring);
    #[cfg(windows)]
    assert_eq!(view.keyring, "the Windows Credential Manager");
    #[cfg(target_os = "macos")]
    assert_eq!(view.keyring, "the macOS Keychain");
    let jira = onramp.jira_settings().unwrap();
    assert_eq!(
        (jira.token.as_str(), jira.project.as_str()),
        (token.as_str(), "ONB")
    );
    let me = runtime()
        .block_on(jira::test_connection(jira, &[], ""))
        .unwrap()
        .check;
    assert_eq!(me.display_name, "Casey Morgan");

    // Reopened, the token is still there; the database files never held it.
    drop(onramp);
    let onramp = open(dir.path(), &ManualClock::new());
    assert_eq!(onramp.jira_settings().unwrap().token, token);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap_or_default();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token is in a data file"
        );
    }
}

#[test]
fn an_empty_token_removes_it_and_jira_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    save(&mut onramp, settings_for(&fake), Some("secret")).unwrap();
    // `None` keeps the saved token.
    save(&mut onramp, settings_for(&fake), None).unwrap();
    assert!(onramp.settings().unwrap().token_saved);
    save(&mut onramp, settings_for(&fake), Some("")).unwrap();
    assert!(!onramp.settings().unwrap().token_saved);
    assert_eq!(
        onramp.jira_settings().unwrap_err().to_string(),
        "Jira is not set up yet: enter the token in Settings"
    );

    let fresh = tempfile::tempdir().unwrap();
    let onramp = open(fresh.path(), &ManualClock::new());
    assert_eq!(
        onramp.jira_settings().unwrap_err().to_string(),
        "Jira is not set up yet: enter the site URL, the account email, the token, the project key in Settings"
    );
}

#[test]
fn two_data_directories_keep_their_own_tokens() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut first = open(a.path(), &ManualClock::new());
    let mut second = open(b.path(), &ManualClock::new());
    save(&mut first, settings_for(&fake), Some("token-a")).unwrap();
    save(&mut second, settings_for(&fake), Some("token-b")).unwrap();
    assert_eq!(first.jira_settings().unwrap().token, "token-a");
    assert_eq!(second.jira_settings().unwrap().token, "token-b");
}

#[test]
fn each_wrong_value_is_named_with_its_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    save(&mut onramp, settings_for(&fake), Some("secret")).unwrap();
    let good = settings_for(&fake);

    let cases = [
        (
            Settings {
                jira_site: "http://acme.atlassian.net".into(),
                ..good.clone()
            },
            "jiraSite",
            "`http://acme.atlassian.net` must start with https:// (the API token must never travel unencrypted)",
        ),
        (
            Settings {
                jira_project: "ONB-1".into(),
                ..good.clone()
            },
            "jiraProject",
            "`ONB-1` is not a project key: it is the short code in ticket keys, like ONB in ONB-42",
        ),
        (
            Settings {
                csm_email: "casey".into(),
                ..good.clone()
            },
            "csmEmail",
            "`casey` is not an email address",
        ),
        (
            Settings {
                jira_labels: vec!["sso request".into()],
                ..good.clone()
            },
            "jiraLabels",
            "the label `sso request` has a space; Jira labels cannot",
        ),
    ];
    for (settings, field, message) in cases {
        let (f, m) = field_error(save(&mut onramp, settings, Some("other")));
        assert_eq!((f.as_str(), m.as_str()), (field, message));
    }
    let (f, m) = field_error(
        onramp
            .save_settings(SettingsUpdate {
                settings: good.clone(),
                token: None,
                slack_webhook: Some("http://hooks.slack.com/services/T/B/x".into()),
            })
            .map(|_| ()),
    );
    assert_eq!(f, "slackWebhook");
    assert!(m.contains("must start with https://"), "{m}");

    let view = onramp.settings().unwrap();
    assert_eq!(view.settings.jira_site, good.jira_site, "nothing was saved");
    assert_eq!(onramp.jira_settings().unwrap().token, "secret");
    assert!(!view.slack_webhook_saved);
}

#[test]
fn new_requests_start_with_the_csm_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    save(&mut onramp, settings_for(&fake), None).unwrap();
    let view = create(&mut onramp, "okta");
    let answer = |id: &str| {
        view.draft
            .answers
            .get(id)
            .and_then(|v| v.as_text())
            .map(str::to_owned)
    };
    assert_eq!(answer("csm_name").as_deref(), Some("Casey Morgan"));
    assert_eq!(
        answer("csm_email").as_deref(),
        Some("csm@medtrainer.example")
    );
}

#[test]
fn data_center_needs_no_email_and_signs_in_with_a_bearer_token() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::data_center()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let settings = Settings {
        deployment: Deployment::DataCenter,
        jira_email: String::new(),
        ..settings_for(&fake)
    };
    save(&mut onramp, settings, Some(&fake.config().token)).unwrap();
    let jira = onramp.jira_settings().unwrap();
    assert_eq!(jira.deployment, Deployment::DataCenter);
    let me = runtime()
        .block_on(jira::test_connection(jira, &[], ""))
        .unwrap()
        .check;
    assert_eq!(me.display_name, "Casey Morgan");
}

/// "Test connection" against each failure a CSM meets, with the words they see.
#[test]
fn test_connection_explains_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let rt = runtime();
    let check = |settings: Settings, token: &str, onramp: &mut Onramp| {
        save(onramp, settings, Some(token)).unwrap();
        rt.block_on(jira::test_connection(
            onramp.jira_settings().unwrap(),
            &[],
            "",
        ))
        .unwrap_err()
        .to_string()
    };
    let good = settings_for(&fake);
    let token = fake.config().token.clone();

    let wrong_token = check(good.clone(), "expired", &mut onramp);
    assert!(
        wrong_token.starts_with("Jira did not accept the token (401): it is wrong or has expired."),
        "{wrong_token}"
    );

    fake.inject(Fault::Status(Operation::Myself, 403));
    let forbidden = check(good.clone(), &token, &mut onramp);
    assert!(
        forbidden.starts_with("Jira refused (403): your account lacks a permission"),
        "{forbidden}"
    );

    let wrong_path = Settings {
        jira_site: format!("{}/jira", fake.url()),
        ..good.clone()
    };
    let not_found = check(wrong_path, &token, &mut onramp);
    assert!(
        not_found.starts_with("Jira found no such thing (404): check the site URL"),
        "{not_found}"
    );

    // https to a server that speaks plain http: the handshake fails, as behind a broken proxy.
    let tls_site = Settings {
        jira_site: fake.url().replace("http://", "https://"),
        ..good.clone()
    };
    let tls = check(tls_site, &token, &mut onramp);
    assert!(
        tls.starts_with("No secure connection to Jira at https://127.0.0.1:"),
        "{tls}"
    );
    assert!(tls.contains("ask IT to install its certificate"), "{tls}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let site = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let offline = check(
        Settings {
            jira_site: site.clone(),
            ..good
        },
        &token,
        &mut onramp,
    );
    assert_eq!(
        offline,
        format!("Jira could not be reached at {site}: no network, or the site URL is wrong.")
    );
}

#[test]
fn the_support_message_is_posted_to_slack_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeJira::start(Config::default()).unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    onramp
        .save_settings(SettingsUpdate {
            settings: settings_for(&fake),
            token: None,
            slack_webhook: Some(fake.slack_webhook_url()),
        })
        .unwrap();
    assert!(onramp.settings().unwrap().slack_webhook_saved);
    let view = create(&mut onramp, "okta");
    onramp
        .set_answer(&support::answer(&view, "company", "*ACME* <b>"))
        .unwrap();
    let text = onramp.support_message(view.draft.id).unwrap();
    let webhook = onramp.slack_webhook().unwrap().unwrap();
    runtime()
        .block_on(onramp_core::slack::post(&webhook, &text))
        .unwrap();
    let posted = fake.slack_messages();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0]["text"], text.as_str());
    assert_eq!(posted[0]["mrkdwn"], false);
    assert!(text.contains("*ACME* <b>"), "{text}");
}
