//! `onramp jira test`, `submit` and `outbox` against fake-jira over loopback, run as a user would.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

// The core's test helpers, of which these tests need a few.
#[allow(dead_code)]
#[path = "../../onramp-core/tests/support.rs"]
mod support;

use std::process::{Command, Output};

use fake_jira::{Config, FakeJira, Fault, Operation};
use image::ImageFormat;
use onramp_core::model::DraftId;
use onramp_core::playbook::FieldKind;
use support::{ManualClock, answer, copy_dir, create, fill_everything, open, picture, slot};

fn onramp(dir: &std::path::Path, site: &str, token: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(args)
        .env("ONRAMP_DATA_DIR", dir)
        .env("ONRAMP_JIRA_URL", site)
        .env("ONRAMP_JIRA_EMAIL", "csm@medtrainer.example")
        .env("ONRAMP_JIRA_TOKEN", token)
        .env("ONRAMP_JIRA_PROJECT", "ONB")
        .output()
        .unwrap()
}

fn text(out: &Output) -> (bool, String) {
    let mut all = String::from_utf8_lossy(&out.stdout).into_owned();
    all.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), all.trim().to_owned())
}

fn ready_draft(dir: &std::path::Path) -> DraftId {
    let mut core = open(dir, &ManualClock::new());
    let view = create(&mut core, "okta");
    fill_everything(&mut core, &view);
    core.set_answer(&answer(&view, "company", "Acme Health"))
        .unwrap();
    for field in view.steps.iter().flat_map(|s| &s.fields) {
        if field.kind == FieldKind::Screenshot {
            let png = picture(ImageFormat::Png);
            core.attach_screenshot(&slot(&view, &field.id), "shot.png", &png)
                .unwrap();
        }
    }
    view.draft.id
}

/// What the window saved — the site in SQLite, the token in the OS keyring — is what the
/// command line uses, unless an `ONRAMP_JIRA_*` variable says otherwise.
#[test]
fn the_command_line_uses_the_settings_and_keyring_token_the_window_saved() {
    let fake = FakeJira::start(Config::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut core = open(dir.path(), &ManualClock::new());
    core.save_settings(onramp_core::settings::SettingsUpdate {
        settings: onramp_core::settings::Settings {
            jira_site: fake.url(),
            jira_email: fake.config().email.clone(),
            jira_project: "ONB".into(),
            ..Default::default()
        },
        token: Some(fake.config().token.clone()),
        slack_webhook: None,
    })
    .unwrap();
    drop(core);
    let bare = |extra: &[(&str, &str)]| {
        text(
            &Command::new(env!("CARGO_BIN_EXE_onramp"))
                .args(["jira", "test"])
                .env("ONRAMP_DATA_DIR", dir.path())
                .envs(extra.iter().copied())
                .output()
                .unwrap(),
        )
    };
    let (ok, out) = bare(&[]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with(&format!("Connected to {}/ as Casey Morgan", fake.url())),
        "{out}"
    );

    let (ok, out) = bare(&[("ONRAMP_JIRA_TOKEN", "from-a-script")]);
    assert!(!ok);
    assert!(
        out.contains("(401)"),
        "the variable wins over the keyring: {out}"
    );
}

#[test]
fn jira_test_says_who_is_signed_in_and_what_a_wrong_token_means() {
    let fake = FakeJira::start(Config::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = &fake.config().token;
    let (ok, out) = text(&onramp(dir.path(), &fake.url(), token, &["jira", "test"]));
    assert!(ok, "{out}");
    assert_eq!(
        out,
        format!(
            "Connected to {}/ as Casey Morgan (csm@medtrainer.example); project ONB.\nTickets can be created: every required field is filled.",
            fake.url()
        )
    );
    let (ok, out) = text(&onramp(dir.path(), &fake.url(), "old", &["jira", "test"]));
    assert!(!ok);
    assert!(
        out.contains("it is wrong or has expired. Create a new one"),
        "{out}"
    );

    let plain = onramp(
        dir.path(),
        "http://jira.example.com",
        token,
        &["jira", "test"],
    );
    let (ok, out) = text(&plain);
    assert!(!ok);
    assert!(out.contains("must start with https://"), "{out}");
}

#[test]
fn submit_creates_the_ticket_and_a_failed_one_waits_in_the_outbox_until_flushed() {
    let fake = FakeJira::start(Config::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = fake.config().token.clone();
    let id = ready_draft(dir.path()).to_string();
    let run = |args: &[&str]| text(&onramp(dir.path(), &fake.url(), &token, args));

    fake.inject(Fault::Status(Operation::Search, 503));
    let (ok, out) = run(&["submit", &id]);
    assert!(ok, "{out}");
    assert!(
        out.starts_with("Queued, not sent yet: Jira had a problem (503)."),
        "{out}"
    );
    let (_, listed) = run(&["outbox", "list"]);
    assert!(
        listed.starts_with(&format!("{id} queued (attempt 1)")),
        "{listed}"
    );

    let (ok, out) = run(&["outbox", "flush"]);
    assert!(ok, "{out}");
    // The draft's CSM email is not a Jira account: the token's owner watches, and says so.
    assert_eq!(
        out,
        format!(
            "{id} submitted: ONB-1 {}/browse/ONB-1\n  Ticket created; Jira found no account for someone@customer.example (the token's account may not be allowed to browse users, or your Jira email is another one), so Casey Morgan, whose token sent it, watches it instead.",
            fake.url()
        )
    );
    assert_eq!(fake.issues().len(), 1);
    assert_eq!(fake.issues()[0].attachments.len(), 3);
    let (_, out) = run(&["outbox", "flush"]);
    assert_eq!(out, "Nothing is waiting in the outbox.");
    let (_, shown) = run(&["drafts", "show", &id]);
    assert!(shown.contains("Status: submitted"), "{shown}");
    fake.set_status("ONB-1", "In Progress");
    let (ok, synced) = run(&["outbox", "sync"]);
    assert!(ok, "{synced}");
    let first_lines = format!(
        "Checked 1 ticket(s) in Jira.\n{id} submitted: ONB-1 (In Progress) {}/browse/ONB-1\n  Ticket created; Jira found no account",
        fake.url()
    );
    assert!(synced.starts_with(&first_lines), "{synced}");
    let (ok, slack) = run(&["render", "slack", &id]);
    assert!(ok, "{slack}");
    assert!(
        slack.starts_with("Hi team! New SSO integration request: Okta for Acme Health."),
        "{slack}"
    );
    assert!(
        slack.contains(&format!("Ticket: ONB-1 {}/browse/ONB-1", fake.url())),
        "{slack}"
    );
}

/// The window and a terminal, or two terminals, flushing one outbox at once: each draft is
/// claimed in the database by one of them, so Jira gets one ticket per draft — however the
/// processes interleave. Slow searches and creates keep every process mid-request while the
/// others start.
#[test]
fn several_processes_flushing_one_outbox_create_each_ticket_once() {
    let fake = FakeJira::start(Config::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = fake.config().token.clone();
    let drafts: Vec<DraftId> = (0..3).map(|_| ready_draft(dir.path())).collect();
    {
        let mut core = open(dir.path(), &ManualClock::new());
        for id in &drafts {
            core.queue_submission(*id).unwrap();
        }
    }
    for _ in 0..40 {
        fake.inject(Fault::Slow(
            Operation::Search,
            std::time::Duration::from_millis(300),
        ));
        fake.inject(Fault::Slow(
            Operation::Create,
            std::time::Duration::from_millis(200),
        ));
    }

    let processes: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_onramp"))
                .args(["outbox", "flush"])
                .env("ONRAMP_DATA_DIR", dir.path())
                .env("ONRAMP_JIRA_URL", fake.url())
                .env("ONRAMP_JIRA_EMAIL", "csm@medtrainer.example")
                .env("ONRAMP_JIRA_TOKEN", &token)
                .env("ONRAMP_JIRA_PROJECT", "ONB")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for process in processes {
        let (ok, out) = text(&process.wait_with_output().unwrap());
        assert!(ok, "{out}");
    }

    let issues = fake.issues();
    for id in &drafts {
        let label = onramp_core::jira::submit::label(*id);
        let tickets: Vec<&str> = issues
            .iter()
            .filter(|i| i.labels.contains(&label))
            .map(|i| i.key.as_str())
            .collect();
        assert_eq!(tickets.len(), 1, "draft {id} got tickets {tickets:?}");
    }
    assert_eq!(issues.len(), drafts.len());
    let (_, listed) = text(&onramp(
        dir.path(),
        &fake.url(),
        &token,
        &["outbox", "list"],
    ));
    assert_eq!(listed.matches(" submitted: ONB-").count(), 3, "{listed}");
}

/// Against a configured project, `jira test` names each required field the playbook leaves
/// unfilled (and fails, for scripts); `jira fields` lists the screen and what fills each field,
/// from the playbook folder `ONRAMP_PLAYBOOK` names.
#[test]
fn jira_test_and_fields_show_what_the_project_needs_and_the_playbook_fills() {
    let fake = FakeJira::start(Config::configured()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = &fake.config().token;
    let (ok, out) = text(&onramp(dir.path(), &fake.url(), token, &["jira", "test"]));
    assert!(!ok);
    assert!(
        out.contains("Problem: Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care), which this playbook does not fill"),
        "{out}"
    );
    assert!(out.contains("Problem: Jira needs Components"), "{out}");
    assert!(out.ends_with("2 problem(s) would stop a ticket"), "{out}");

    let playbook = dir.path().join("playbook");
    copy_dir(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/playbook"
        )),
        &playbook,
    );
    let toml = playbook.join("playbook.toml");
    let mut text_of = std::fs::read_to_string(&toml).unwrap();
    text_of.push_str("\n[[jira.fields]]\nfield = \"Customer\"\nanswer = \"company\"\n\n[[jira.fields]]\nfield = \"components\"\ntemplate = \"{kind}\"\n");
    std::fs::write(&toml, text_of).unwrap();
    let line = std::fs::read_to_string(&toml).unwrap().lines().count() - 6;
    let with_playbook = |args: &[&str]| {
        text(
            &Command::new(env!("CARGO_BIN_EXE_onramp"))
                .args(args)
                .env("ONRAMP_DATA_DIR", dir.path())
                .env("ONRAMP_PLAYBOOK", &playbook)
                .env("ONRAMP_JIRA_URL", fake.url())
                .env("ONRAMP_JIRA_EMAIL", "csm@medtrainer.example")
                .env("ONRAMP_JIRA_TOKEN", token)
                .env("ONRAMP_JIRA_PROJECT", "ONB")
                .output()
                .unwrap(),
        )
    };
    let (ok, out) = with_playbook(&["jira", "test"]);
    assert!(ok, "{out}");
    let (ok, out) = with_playbook(&["jira", "fields"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Project (project): required; filled by Onramp",
            "Issue Type (issuetype): required; filled by Onramp",
            "Summary (summary): required; filled by Onramp",
        ]
    );
    assert!(
        lines.contains(&format!("Customer (customfield_10050): required; choices: Acme Health, Globex Clinics, Initech Care; filled by the playbook (playbook.toml:{line})").as_str()),
        "{out}"
    );
    assert!(
        lines.contains(&"Priority (priority): required, has a default; choices: Highest, High, Medium, Low; filled by nothing"),
        "{out}"
    );
}

/// `onramp jira desk` chooses the service desk and request type by name, as Settings does, and
/// the window and later commands send requests there.
#[test]
fn jira_desk_chooses_the_service_desk_and_request_type_by_name() {
    let fake = FakeJira::start(Config::default().with_service_desk()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = &fake.config().token;
    let run = |args: &[&str]| text(&onramp(dir.path(), &fake.url(), token, args));

    let (ok, out) = run(&["jira", "desk", "Customer Support", "SSO"]);
    assert!(!ok);
    assert_eq!(
        out,
        "onramp: Customer Support has no request type named \"SSO\"; it has Integration request, Get IT help."
    );
    let (ok, out) = run(&["jira", "desk", "customer support", "integration request"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "Requests now go to the service desk Customer Support (project SUP) as Integration request.",
            "On Customer Support your account may raise requests on behalf of others and add participants (it is one of the desk's agents).",
        ]
    );
    // The bundled playbook leaves the request type's Customer open: Review will ask for it.
    assert!(
        lines[2].starts_with(
            "Problem: Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care)"
        ),
        "{out}"
    );

    let saved = open(dir.path(), &ManualClock::new()).settings().unwrap();
    assert_eq!(
        saved.settings.jira_mode,
        onramp_core::model::JiraMode::ServiceDesk
    );
    let desk = saved.settings.service_desk.unwrap();
    assert_eq!(
        (desk.service_desk_id.as_str(), desk.request_type_id.as_str()),
        ("3", "21")
    );
    let (_, out) = run(&["jira", "test"]);
    assert!(out.contains("; project SUP."), "{out}");
}
