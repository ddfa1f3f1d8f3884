//! Submitting to Jira exactly once, against fake-jira over real loopback HTTP: every fault kind,
//! a definite refusal, a wrong token, Jira down, and a randomized run.

use onramp_core::Shared;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use crate::support::{
    ManualClock, answer, create, fill_everything, jira_client, picture, playbook_appending,
    playbook_with, slot,
};
use fake_jira::{Config, FakeJira, Fault, FieldConfig, Operation};
use image::ImageFormat;
use onramp_core::Onramp;
use onramp_core::clock::Clock as _;
use onramp_core::jira::Client;
use onramp_core::jira::submit::{self, Options};
use onramp_core::model::Event;
use onramp_core::model::SubmissionState;
use onramp_core::model::{DraftId, DraftStatus};
use onramp_core::playbook::{FieldKind, Playbook};

pub(crate) fn options() -> Options {
    Options {
        search_grace: Duration::from_secs(1),
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..Options::default()
    }
}

/// Different pictures, so no two slots share a file; made once, as encoding is the slow part.
static PICTURES: LazyLock<[Vec<u8>; 3]> =
    LazyLock::new(|| [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP].map(picture));

/// A ready Okta draft with every screenshot attached and the support user as the CSM.
pub(crate) fn ready_draft(onramp: &mut Onramp, company: &str) -> DraftId {
    let view = create(onramp, "okta");
    fill_everything(onramp, &view);
    onramp
        .set_answer(&answer(&view, "company", company))
        .unwrap();
    onramp
        .set_answer(&answer(&view, "csm_email", "support@medtrainer.example"))
        .unwrap();
    let slots: Vec<String> = view
        .steps
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| f.kind == FieldKind::Screenshot)
        .map(|f| f.id.clone())
        .collect();
    for (n, slot_id) in slots.iter().enumerate() {
        onramp
            .attach_screenshot(&slot(&view, slot_id), "shot", &PICTURES[n % 3])
            .unwrap();
    }
    let view = onramp.open_draft(view.draft.id).unwrap();
    assert!(view.readiness.ready, "{:?}", view.readiness);
    view.draft.id
}

pub(crate) struct World {
    pub(crate) clock: ManualClock,
    pub(crate) core: Shared,
    pub(crate) fake: FakeJira,
    pub(crate) runtime: tokio::runtime::Runtime,
    /// Last, so it is removed after the core has closed the database: Windows cannot delete a
    /// folder holding an open file.
    _dir: tempfile::TempDir,
}

fn world() -> World {
    world_of(Config::default())
}

pub(crate) fn world_of(config: Config) -> World {
    world_with(config, Playbook::bundled().unwrap())
}

pub(crate) fn world_with(config: Config, playbook: Playbook) -> World {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let core = Shared::new(Onramp::open(dir.path(), playbook, Box::new(clock.clone())).unwrap());
    World {
        clock,
        core,
        fake: FakeJira::start(config).unwrap(),
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        _dir: dir,
    }
}

impl World {
    pub(crate) fn client(&self) -> Client {
        jira_client(&self.fake.url(), self.fake.config())
    }

    pub(crate) fn queue(&self, company: &str) -> DraftId {
        let mut onramp = self.core.lock();
        let id = ready_draft(&mut onramp, company);
        onramp.queue_submission(id).unwrap();
        id
    }

    /// Attempts until the submission is done or failed. The store's clock moves with real time,
    /// which Jira's index lag is measured in.
    pub(crate) fn settle(&self, id: DraftId, client: &Client) -> (SubmissionState, u32) {
        const TICK: Duration = Duration::from_millis(60);
        for _ in 0..100 {
            let s = self
                .runtime
                .block_on(submit::attempt(&self.core, client, id, &options(), &|_| {}))
                .unwrap()
                .unwrap();
            if s.state != SubmissionState::Queued {
                return (s.state, s.attempts);
            }
            std::thread::sleep(TICK);
            self.clock.advance(TICK);
        }
        panic!("the submission never settled");
    }

    /// Exactly one issue for the draft, with every screenshot once, the property and the watcher.
    pub(crate) fn assert_exactly_once(&self, id: DraftId) {
        let label = submit::label(id);
        let issues: Vec<_> = self
            .fake
            .issues()
            .into_iter()
            .filter(|i| i.labels.contains(&label))
            .collect();
        assert_eq!(issues.len(), 1, "issues for {id}: {issues:#?}");
        let issue = &issues[0];
        assert_eq!(issue.properties["onramp"]["draftId"], id.to_string());
        let mut names: Vec<&str> = issue
            .attachments
            .iter()
            .map(|a| a.filename.as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["assignments.png", "saml_settings.png", "sign_on.png"]
        );
        assert!(issue.attachments.iter().all(|a| a.mime_type == "image/png"));
        let config = self.fake.config();
        assert_eq!(issue.watchers, [config.users[1].id(config.flavor)]);
        let onramp = self.core.lock();
        let submission = onramp.submission(id).unwrap().unwrap();
        assert_eq!(submission.state, SubmissionState::Done);
        assert_eq!(submission.issue_key.as_deref(), Some(issue.key.as_str()));
        assert_eq!(
            onramp.open_draft(id).unwrap().draft.status,
            DraftStatus::Submitted
        );
    }
}

#[test]
fn a_finished_draft_becomes_one_complete_ticket() {
    let w = world();
    let id = w.queue("Acme Health");
    assert_eq!(
        w.core.lock().open_draft(id).unwrap().draft.status,
        DraftStatus::Queued
    );
    // What the window is told: sending, then done, and nothing is left sending.
    let seen = Mutex::new(Vec::new());
    let on_change = |s: &onramp_core::model::Submission| {
        seen.lock().unwrap().push((s.state, s.sending));
    };
    let done = w
        .runtime
        .block_on(submit::attempt(
            &w.core,
            &w.client(),
            id,
            &options(),
            &on_change,
        ))
        .unwrap()
        .unwrap();
    assert_eq!((done.state, done.attempts), (SubmissionState::Done, 1));
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (SubmissionState::Queued, true),
            (SubmissionState::Done, false)
        ]
    );
    w.assert_exactly_once(id);
    let issue = &w.fake.issues()[0];
    assert_eq!(issue.summary, "Enable SSO Okta Integration for Acme Health");
    assert!(issue.labels.contains(&"onramp".to_owned()));
    let history = w.core.lock().history(id).unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.event, Event::Submitted);
    assert_eq!(
        last.new_value,
        Some(onramp_core::answers::AnswerValue::Text(issue.key.clone()))
    );
    // Submitting again changes nothing: the outbox keeps it done.
    w.core.lock().retry_submission(id).unwrap();
    w.settle(id, &w.client());
    w.assert_exactly_once(id);
}

#[test]
fn on_jira_data_center_the_ticket_goes_through_rest_v2_in_wiki_markup() {
    let w = world_of(Config::data_center());
    let id = w.queue("Acme *Health*");
    // The create's answer is lost: the retry must find the issue through v2's `/search`.
    w.fake.inject(Fault::DropAfterWrite(Operation::Create));
    let (state, _) = w.settle(id, &w.client());
    assert_eq!(state, SubmissionState::Done);
    w.assert_exactly_once(id);
    let issue = &w.fake.issues()[0];
    assert_eq!(
        issue.summary,
        "Enable SSO Okta Integration for Acme *Health*"
    );
    let description = issue.description.as_str().expect("wiki markup is a string");
    // Wiki markup escapes what it would otherwise read as markup (`!` opens an image).
    assert!(
        description.starts_with(
            r"Hello team\! Could you please help me with the following SSO Okta integration\? Thank you\!"
        ),
        "{description}"
    );
    assert!(description.contains(r"Acme \*Health\*"), "{description}");
    assert!(
        description.contains("||"),
        "the yes/no table: {description}"
    );
}

#[test]
fn every_fault_kind_still_ends_in_exactly_one_complete_ticket() {
    let faults = [
        Fault::Status(Operation::Create, 500),
        Fault::Status(Operation::Create, 503),
        Fault::Status(Operation::Search, 502),
        Fault::Status(Operation::Attach, 500),
        Fault::Status(Operation::Watch, 503),
        Fault::RateLimited(Operation::Create, 0),
        Fault::RateLimited(Operation::Attach, 0),
        Fault::Slow(Operation::Create, Duration::from_millis(300)),
        Fault::DropAfterWrite(Operation::Create),
        Fault::DropAfterWrite(Operation::Attach),
        Fault::DropAfterWrite(Operation::Watch),
    ];
    for fault in faults {
        let w = world();
        // The created issue stays out of search for a while, as on a real site.
        w.fake.set_index_delay(Duration::from_millis(150));
        let id = w.queue("Acme Health");
        w.fake.inject(fault.clone());
        let (state, _) = w.settle(id, &w.client());
        assert_eq!(state, SubmissionState::Done, "{fault:?}");
        w.assert_exactly_once(id);
    }
}

#[test]
fn a_create_lost_in_transit_is_found_by_its_label_and_not_made_again() {
    let w = world();
    w.fake.set_index_delay(Duration::from_millis(400));
    let id = w.queue("Acme Health");
    w.fake.inject(Fault::DropAfterWrite(Operation::Create));
    let client = w.client();
    let attempt = || {
        w.runtime
            .block_on(submit::attempt(&w.core, &client, id, &options(), &|_| {}))
            .unwrap()
            .unwrap()
    };
    let first = attempt();
    assert_eq!(first.state, SubmissionState::Queued);
    assert_eq!(
        w.fake.issues().len(),
        1,
        "Jira made the issue; Onramp did not hear back"
    );
    // Search cannot see it yet, and the grace period has not passed: no second create.
    let second = attempt();
    assert_eq!(second.state, SubmissionState::Queued);
    assert!(
        second
            .last_error
            .unwrap()
            .contains("checking whether the ticket appears")
    );
    assert_eq!(w.fake.issues().len(), 1);
    std::thread::sleep(Duration::from_millis(450));
    assert_eq!(attempt().state, SubmissionState::Done);
    w.assert_exactly_once(id);
}

/// What a support team's playbook says for its configured project (`Config::configured`).
const MAPPING: &str = r#"
[[jira.fields]]
field = "Customer"
answer = "company"

[[jira.fields]]
field = "components"
template = "{kind}"

[[jira.fields]]
field = "Go-live date"
value = "2027-01-15"
"#;

/// On a project with required custom fields and no mapping, nothing is created: the CSM reads
/// which fields Jira needs, their choices, and who can fill them.
#[test]
fn a_configured_project_names_what_the_playbook_leaves_unfilled() {
    let w = world_of(Config::configured());
    let id = w.queue("Acme Health");
    assert_eq!(w.settle(id, &w.client()), (SubmissionState::Failed, 1));
    let failed = w.core.lock().submission(id).unwrap().unwrap();
    assert_eq!(
        failed.last_error.as_deref(),
        Some(
            "Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care), which this playbook does not fill — ask the playbook owner to add it under [[jira.fields]] in playbook.toml, or choose it for each request on Review. Jira needs Components (a choice: SSO, HRIS, Billing), which this playbook does not fill — ask the playbook owner to add it under [[jira.fields]] in playbook.toml, or choose it for each request on Review."
        )
    );
    assert!(w.fake.issues().is_empty());
    // The send kept the screen it read: Review now asks for both.
    let view = w.core.lock().open_draft(id).unwrap();
    assert_eq!(view.jira_choices.len(), 2);
}

/// The mapping fills each field by its schema: a select by option ID, components by ID, a date
/// as Jira writes it; Priority keeps Jira's default.
#[test]
fn a_playbook_mapping_fills_the_projects_required_fields() {
    for config in [
        Config::configured(),
        Config {
            flavor: fake_jira::Flavor::DataCenter,
            ..Config::configured()
        },
    ] {
        let w = world_with(config, playbook_with(MAPPING));
        let id = w.queue("Acme Health");
        assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
        let issue = &w.fake.issues()[0];
        assert_eq!(
            issue.fields["customfield_10050"],
            serde_json::json!({ "id": "100500" })
        );
        assert_eq!(
            issue.fields["components"],
            serde_json::json!([{ "id": "10100" }])
        );
        assert_eq!(issue.fields["customfield_10060"], "2027-01-15");
        assert!(!issue.fields.contains_key("priority"));
    }
}

/// A provider file's mapping of a field wins over the organisation's for that field, and the
/// organisation's still fills the others: Okta's requests name Globex Clinics as the Customer.
#[test]
fn a_provider_files_mapping_overrides_the_playbooks_for_that_field() {
    let playbook = playbook_appending(&[
        ("playbook.toml", MAPPING),
        (
            "providers/sso/okta.toml",
            "[[jira.fields]]\nfield = \"Customer\"\nvalue = \"Globex Clinics\"\n",
        ),
    ]);
    let w = world_with(Config::configured(), playbook);
    let id = w.queue("Acme Health");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    let issue = &w.fake.issues()[0];
    assert_eq!(
        issue.fields["customfield_10050"],
        serde_json::json!({ "id": "100501" })
    );
    assert_eq!(
        issue.fields["components"],
        serde_json::json!([{ "id": "10100" }])
    );
}

/// With no mapping, Test connection keeps the project's screen; Review then asks the CSM for each
/// required choice (offline too), the draft is not ready until they are chosen, a value Jira
/// does not offer is refused, and the ticket carries the choices.
#[test]
fn the_csm_chooses_on_review_what_the_project_requires_and_the_playbook_leaves_open() {
    let w = world_of(Config::configured());
    let id = {
        let mut onramp = w.core.lock();
        ready_draft(&mut onramp, "Acme Health")
    };
    let check = w.test_connection("support@medtrainer.example");
    assert_eq!(
        check.watcher.as_deref(),
        Some(
            "You watch each ticket as Sam Support; adding someone other than Casey Morgan, whose token this is, needs the \"Manage watcher list\" permission in the project."
        )
    );
    assert!(
        check.problems[0].ends_with("or choose it for each request on Review."),
        "{:?}",
        check.problems
    );
    let mut onramp = w.core.lock();

    let view = onramp.open_draft(id).unwrap();
    let asked: Vec<String> = view
        .jira_choices
        .iter()
        .map(|c| format!("{}: {}", c.name, c.choices.join(", ")))
        .collect();
    assert_eq!(
        asked,
        [
            "Customer: Acme Health, Globex Clinics, Initech Care",
            "Components: SSO, HRIS, Billing"
        ]
    );
    assert!(!view.readiness.ready);
    // The drafts home counts the two choices as Review does.
    let open_on_home = |onramp: &Onramp| {
        onramp
            .list_drafts(&onramp_core::model::DraftQuery::default())
            .unwrap()[0]
            .open_items
    };
    assert_eq!(open_on_home(&onramp), 2);
    // An autosave's readiness says the same as the draft's view.
    let saved = onramp
        .set_answer(&answer(&view, "company", "Globex Clinics"))
        .unwrap();
    assert!(!saved.readiness.ready, "{:?}", saved.readiness);
    let err = onramp.queue_submission(id).unwrap_err().to_string();
    assert!(err.contains("2 thing(s) are still missing"), "{err}");

    let choose = |onramp: &mut Onramp, field: &str, value: &str| {
        onramp.set_jira_choice(&onramp_core::jira_choices::JiraChoiceUpdate {
            draft_id: id,
            field_id: field.into(),
            value: Some(value.into()),
        })
    };
    let refused = choose(&mut onramp, "customfield_10050", "Umbrella Corp").unwrap_err();
    assert_eq!(
        refused.to_string(),
        "`Umbrella Corp` is not one of Customer's choices in Jira (Acme Health, Globex Clinics, Initech Care)"
    );
    choose(&mut onramp, "customfield_10050", "Globex Clinics").unwrap();
    assert_eq!(open_on_home(&onramp), 1);
    let view = choose(&mut onramp, "components", "HRIS").unwrap();
    assert!(view.readiness.ready, "{:?}", view.readiness);
    assert_eq!(open_on_home(&onramp), 0);
    onramp.queue_submission(id).unwrap();
    drop(onramp);

    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    let issue = &w.fake.issues()[0];
    assert_eq!(
        issue.fields["customfield_10050"],
        serde_json::json!({ "id": "100501" })
    );
    assert_eq!(
        issue.fields["components"],
        serde_json::json!([{ "id": "10101" }])
    );
}

/// A user field mapped from an answer is filled with the account Jira's user search finds for
/// that email (Cloud's accountId, Data Center's username); an email Jira has no account for
/// stops the ticket naming the playbook line, the field and the likely cause.
#[test]
fn a_user_field_gets_the_account_jira_finds_for_the_answered_email() {
    const OWNER: &str = r#"
[[jira.fields]]
field = "Account owner"
answer = "csm_email"
"#;
    let with_owner = |flavor| {
        let mut config = Config {
            flavor,
            ..Config::default()
        };
        config
            .fields
            .push(FieldConfig::user(10070, "Account owner"));
        config
    };
    for (flavor, account) in [
        (
            fake_jira::Flavor::Cloud,
            serde_json::json!({ "accountId": "5b10ac8d82e05b22cc7d4ef6" }),
        ),
        (
            fake_jira::Flavor::DataCenter,
            serde_json::json!({ "name": "support" }),
        ),
    ] {
        let w = world_with(with_owner(flavor), playbook_with(OWNER));
        let id = w.queue("Acme Health");
        assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
        assert_eq!(w.fake.issues()[0].fields["customfield_10070"], account);
    }

    let w = world_with(with_owner(fake_jira::Flavor::Cloud), playbook_with(OWNER));
    let id = w.queue_for("nobody@elsewhere.example");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Failed);
    let error = w.core.lock().submission(id).unwrap().unwrap().last_error;
    let error = error.unwrap_or_default();
    assert!(
        error.ends_with(": Jira found no user nobody@elsewhere.example for Account owner (the token's account may not be allowed to browse users)"),
        "{error}"
    );
    assert!(error.starts_with("playbook.toml:"), "{error}");
    assert!(w.fake.issues().is_empty());
}

/// `cargo xtask run --demo` pairs the configured project with assets/demo's mapping: a ticket
/// goes through.
#[test]
fn the_demo_playbook_satisfies_the_demo_project() {
    let demo = include_str!("../../../assets/demo/jira-fields.toml");
    let w = world_with(Config::configured(), playbook_with(demo));
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
    assert_eq!(
        w.fake.issues()[0].fields["customfield_10050"],
        serde_json::json!({ "id": "100501" })
    );
}

/// An answer that is not one of the field's choices stops before the create, naming the
/// playbook line and the choices.
#[test]
fn an_answer_jira_would_refuse_names_the_playbook_line_and_the_choices() {
    let w = world_with(Config::configured(), playbook_with(MAPPING));
    let id = w.queue("Umbrella Corp");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Failed);
    let error = w.last_error(id);
    let line = include_str!("../../../assets/playbook/playbook.toml")
        .lines()
        .count()
        + 3;
    assert_eq!(
        error,
        format!(
            "playbook.toml:{line}: `Umbrella Corp` is not one of Customer's choices in Jira (Acme Health, Globex Clinics, Initech Care)"
        )
    );
    assert!(w.fake.issues().is_empty());
}

/// Labels left off the create screen, or an issue type the project lacks: what the admin (or
/// the CSM in Settings) must change, before anything is created.
#[test]
fn labels_off_the_screen_and_a_missing_issue_type_say_who_must_change_what() {
    let w = world_with(
        Config {
            labels_on_screen: false,
            ..Config::configured()
        },
        playbook_with(MAPPING),
    );
    let id = w.queue("Acme Health");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Failed);
    assert_eq!(
        w.last_error(id),
        "Labels is not on the create screen of Task in ONB, and Onramp needs it: the label is how a ticket is never created twice. A Jira admin must add the Labels field to that screen (Project settings › Issues › Screens)."
    );

    let w = world_with(Config::configured(), playbook_with(MAPPING));
    let id = w.queue("Acme Health");
    let mut settings = w.client().settings().clone();
    settings.issue_type = "Incident".into();
    let client = Client::new(settings).unwrap();
    assert_eq!(w.settle(id, &client).0, SubmissionState::Failed);
    assert_eq!(
        w.last_error(id),
        "Jira's project ONB has no issue type \"Incident\"; it has Task, Bug, Support Request. Choose one of those as the issue type in Settings."
    );
    assert!(w.fake.issues().is_empty());
}

/// Once a preflight has read the screen, what it would refuse is said when the CSM submits,
/// and nothing waits in the outbox for a send that cannot work.
#[test]
fn what_the_screen_last_read_refuses_is_said_before_queueing() {
    let w = world_with(
        Config {
            labels_on_screen: false,
            ..Config::configured()
        },
        playbook_with(MAPPING),
    );
    w.test_connection("");
    let mut onramp = w.core.lock();
    let id = ready_draft(&mut onramp, "Acme Health");
    let err = onramp.queue_submission(id).unwrap_err().to_string();
    assert!(
        err.starts_with("Labels is not on the create screen of Task in ONB"),
        "{err}"
    );
    assert!(onramp.outbox().unwrap().is_empty());
}

/// A scoped token reaches Jira only through Atlassian's gateway: Onramp reads the site's cloud
/// ID and calls Jira there, while ticket links stay on the site. Sent to the site, the same
/// token gets the 401 that says what to tick.
#[test]
fn a_scoped_token_goes_through_the_gateway_and_links_stay_on_the_site() {
    let w = world_of(Config {
        scoped_token: Some("scoped-token".into()),
        ..Config::default()
    });
    let id = w.queue("Acme Health");
    let mut settings = w.client().settings().clone();
    settings.token = "scoped-token".into();
    let on_site = Client::new(settings.clone()).unwrap();
    assert_eq!(w.settle(id, &on_site).0, SubmissionState::Failed);
    let error = w.last_error(id);
    assert!(
        error.contains("A scoped token (service accounts have only those) works only with \"Scoped API token\" ticked in Settings."),
        "{error}"
    );

    settings.gateway = Some(w.fake.url().parse().unwrap());
    let via_gateway = Client::new(settings).unwrap();
    w.core.lock().retry_submission(id).unwrap();
    assert_eq!(w.settle(id, &via_gateway).0, SubmissionState::Done);
    w.assert_exactly_once(id);
    assert_eq!(
        via_gateway.settings().browse_url("ONB-1"),
        format!("{}/browse/ONB-1", w.fake.url())
    );
}

/// A label can be typed onto any issue; only the property set in the create call proves an issue
/// is the draft's. On Data Center, whose search cannot return properties, each is read apart.
#[test]
fn an_issue_that_only_carries_the_label_is_not_taken_for_the_ticket() {
    for config in [Config::default(), Config::data_center()] {
        let w = world_of(config);
        let id = w.queue("Acme Health");
        let label = submit::label(id);
        let by_hand = w.fake.add_issue_by_hand(&[&label], None);
        assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
        let submission = w.core.lock().submission(id).unwrap().unwrap();
        assert_ne!(submission.issue_key.as_deref(), Some(by_hand.as_str()));
        let ours: Vec<_> = w
            .fake
            .issues()
            .into_iter()
            .filter(|i| i.properties.contains_key("onramp"))
            .collect();
        assert_eq!(ours.len(), 1);
        assert_eq!(submission.issue_key, Some(ours[0].key.clone()));
    }
}

/// Two issues that both name the draft (a ticket cloned in Jira before Onramp heard back):
/// Onramp picks neither, and says which they are.
#[test]
fn two_tickets_for_one_draft_are_reported_never_picked() {
    let w = world();
    let id = w.queue("Acme Health");
    w.fake.inject(Fault::DropAfterWrite(Operation::Create));
    let client = w.client();
    let attempt = || {
        w.runtime
            .block_on(submit::attempt(&w.core, &client, id, &options(), &|_| {}))
            .unwrap()
            .unwrap()
    };
    assert_eq!(attempt().state, SubmissionState::Queued);
    let original = w.fake.issues()[0].key.clone();
    let label = submit::label(id);
    let clone = w.fake.add_issue_by_hand(&[&label], Some(&original));
    let failed = attempt();
    assert_eq!(failed.state, SubmissionState::Failed);
    assert_eq!(
        failed.last_error.as_deref(),
        Some(format!("Jira has 2 tickets for this one request: {original}, {clone}. Keep one, delete the others (or ask Support to), then submit again: Onramp will carry on with the one left.").as_str())
    );
    assert_eq!(failed.issue_key, None);
    assert_eq!(w.fake.issues().len(), 2, "nothing more was created");
}

impl World {
    /// A queued draft whose CSM (the watcher to be) has the email `csm`.
    fn queue_for(&self, csm: &str) -> DraftId {
        let mut onramp = self.core.lock();
        let id = ready_draft(&mut onramp, "Acme Health");
        let view = onramp.open_draft(id).unwrap();
        onramp.set_answer(&answer(&view, "csm_email", csm)).unwrap();
        onramp.queue_submission(id).unwrap();
        id
    }

    /// Test connection, as Settings runs it, and the create screen it read kept.
    pub(crate) fn test_connection(&self, csm_email: &str) -> onramp_core::jira::ConnectionCheck {
        self.runtime
            .block_on(
                self.core
                    .test_jira(self.client().settings().clone(), csm_email),
            )
            .unwrap()
    }

    /// Why the draft's submission last failed or waits.
    pub(crate) fn last_error(&self, id: DraftId) -> String {
        let submission = self.core.lock().submission(id).unwrap().unwrap();
        submission.last_error.unwrap()
    }

    fn watchers(&self) -> Vec<String> {
        self.fake.issues()[0].watchers.clone()
    }
}

/// Without "Manage watcher list", adding the support colleague as watcher is refused: the
/// ticket is done all the same, and the CSM reads why they are not watching.
#[test]
fn a_refused_watcher_leaves_the_ticket_done_with_a_warning() {
    let w = world_of(Config {
        manage_watchers: false,
        ..Config::default()
    });
    let id = w.queue_for("support@medtrainer.example");
    assert_eq!(w.settle(id, &w.client()), (SubmissionState::Done, 1));
    let done = w.core.lock().submission(id).unwrap().unwrap();
    assert_eq!(
        done.warning.as_deref(),
        Some(
            "Ticket created; you were not added as a watcher: Jira refused (403): this account may not add others as watchers in the project (the \"Manage watcher list\" permission; your Jira admin can grant it). Jira said: You do not have the permission to manage the watcher list. Watch ONB-1 yourself in Jira."
        )
    );
    assert!(w.watchers().is_empty());
    assert_eq!(w.fake.issues()[0].attachments.len(), 3);
}

/// When the token is the CSM's own, the watcher call names nobody — the form Jira allows
/// without the permission.
#[test]
fn the_token_owner_watches_with_the_call_that_needs_no_permission() {
    let w = world_of(Config {
        manage_watchers: false,
        ..Config::default()
    });
    let id = w.queue_for("CSM@medtrainer.example");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    assert_eq!(w.core.lock().submission(id).unwrap().unwrap().warning, None);
    let config = w.fake.config();
    assert_eq!(w.watchers(), [config.users[0].id(config.flavor)]);
}

/// A CSM email Jira does not know (or may not show): the token's account watches, and the CSM
/// is told.
#[test]
fn a_csm_jira_cannot_find_is_told_who_watches_instead() {
    let w = world();
    let id = w.queue_for("someone.else@medtrainer.example");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    let done = w.core.lock().submission(id).unwrap().unwrap();
    assert_eq!(
        done.warning.as_deref(),
        Some(
            "Ticket created; Jira found no account for someone.else@medtrainer.example (the token's account may not be allowed to browse users, or your Jira email is another one), so Casey Morgan, whose token sent it, watches it instead."
        )
    );
    let config = w.fake.config();
    assert_eq!(w.watchers(), [config.users[0].id(config.flavor)]);
}

/// An expired token fails the submission; saving a new one sends it again by itself.
#[test]
fn a_new_token_queues_again_what_failed_on_the_old_one() {
    let w = world();
    let id = w.queue("Acme Health");
    let mut expired = w.fake.config().clone();
    expired.token = "expired".into();
    assert_eq!(
        w.settle(id, &jira_client(&w.fake.url(), &expired)).0,
        SubmissionState::Failed
    );
    let other = w.queue("Globex Clinics");
    w.fake.inject(Fault::Status(Operation::Create, 400));
    assert_eq!(w.settle(other, &w.client()).0, SubmissionState::Failed);

    w.core
        .lock()
        .save_settings(onramp_core::settings::SettingsUpdate {
            settings: onramp_core::settings::Settings {
                jira_site: w.fake.url(),
                jira_email: w.fake.config().email.clone(),
                jira_project: "ONB".into(),
                ..Default::default()
            },
            token: Some(w.fake.config().token.clone()),
            slack_webhook: None,
        })
        .unwrap();
    let state = |id| w.core.lock().submission(id).unwrap().unwrap().state;
    assert_eq!(state(id), SubmissionState::Queued, "failed on the token");
    assert_eq!(
        state(other),
        SubmissionState::Failed,
        "failed on something else"
    );
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
}

#[test]
fn a_refusal_stops_with_what_to_fix_and_retry_now_resumes() {
    let w = world();
    let id = w.queue("Acme Health");
    w.fake.inject(Fault::Status(Operation::Create, 400));
    let (state, attempts) = w.settle(id, &w.client());
    assert_eq!((state, attempts), (SubmissionState::Failed, 1));
    let failed = w.core.lock().submission(id).unwrap().unwrap();
    assert!(
        failed
            .last_error
            .unwrap()
            .contains("Jira refused the ticket; fix what it names")
    );
    assert!(w.fake.issues().is_empty());

    w.core.lock().retry_submission(id).unwrap();
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
}

#[test]
fn a_wrong_token_says_to_make_a_new_one() {
    let w = world();
    let id = w.queue("Acme Health");
    let mut config = w.fake.config().clone();
    config.token = "expired".into();
    let (state, _) = w.settle(id, &jira_client(&w.fake.url(), &config));
    assert_eq!(state, SubmissionState::Failed);
    let error = w.last_error(id);
    assert!(
        error.contains("it is wrong or has expired. Create a new one"),
        "{error}"
    );
}

#[test]
fn while_jira_is_unreachable_the_draft_waits_in_the_outbox() {
    let w = world();
    let id = w.queue("Acme Health");
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let site = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let down = jira_client(&site, w.fake.config());
    let waiting = w
        .runtime
        .block_on(submit::attempt(&w.core, &down, id, &options(), &|_| {}))
        .unwrap()
        .unwrap();
    assert_eq!(waiting.state, SubmissionState::Queued);
    assert_eq!(
        waiting.last_error.unwrap(),
        format!("Jira could not be reached at {site}: no network, or the site URL is wrong.")
    );
    assert!(
        w.core.lock().due_submissions().unwrap().is_empty(),
        "backs off"
    );
    w.clock.advance(Duration::from_secs(1));
    assert_eq!(w.core.lock().due_submissions().unwrap(), [id]);
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
}

#[test]
fn a_draft_with_anything_missing_is_not_queued() {
    let w = world();
    let mut onramp = w.core.lock();
    let view = create(&mut onramp, "okta");
    let err = onramp.queue_submission(view.draft.id).unwrap_err();
    assert!(
        err.to_string()
            .contains("still missing or wrong; Review lists them"),
        "{err}"
    );
    assert!(onramp.outbox().unwrap().is_empty());
}

/// A 429 that says when its limit resets, not how long to wait: the next attempt is then, and
/// the CSM reads which limit it was.
#[test]
fn a_rate_limit_reset_time_and_reason_set_the_next_attempt() {
    let w = world();
    let id = w.queue("Acme Health");
    w.fake.inject(Fault::RateLimitedUntil(
        Operation::Attach,
        Duration::from_secs(90),
        "jira-per-issue-on-write",
    ));
    let waiting = w
        .runtime
        .block_on(submit::attempt(
            &w.core,
            &w.client(),
            id,
            &options(),
            &|_| {},
        ))
        .unwrap()
        .unwrap();
    assert_eq!(waiting.state, SubmissionState::Queued);
    let said = waiting.last_error.unwrap();
    assert!(
        said.starts_with("Jira is limiting requests (jira-per-issue-on-write); trying again in 8"),
        "{said}"
    );
    let wait = waiting.next_attempt_at.duration_since(w.clock.now());
    assert!(
        (85..=90).contains(&wait.as_secs()),
        "next attempt in {wait:?}, not the 10 s default"
    );
    assert_eq!(
        w.fake.issues().len(),
        1,
        "the issue was made before the limit"
    );
}

/// A description longer than Jira takes is caught before anything is queued, saying what to
/// shorten; nothing waits in the outbox that Jira would refuse.
#[test]
fn a_ticket_too_long_for_jira_is_not_queued() {
    let w = world();
    let mut onramp = w.core.lock();
    let id = ready_draft(&mut onramp, "Acme Health");
    let view = onramp.open_draft(id).unwrap();
    let domains: Vec<String> = (0..3000)
        .map(|n| format!("clinic-{n}.example.com"))
        .collect();
    onramp
        .set_answer(&answer(&view, "other_email_domains", &domains.join("\n")))
        .unwrap();
    let err = onramp.queue_submission(id).unwrap_err().to_string();
    assert!(
        err.contains("characters and Jira takes at most 32767: shorten the longest answers"),
        "{err}"
    );
    assert!(onramp.outbox().unwrap().is_empty());
}

/// `ONRAMP_RANDOM_SUBMISSIONS` drafts (100 by default) submitted while random faults hit random
/// calls; seeded, so a failure can be replayed with `ONRAMP_RANDOM_SEED`.
#[test]
fn a_hundred_submissions_under_random_faults_make_no_duplicate_and_lose_no_screenshot() {
    random_faults(&world());
}

/// The same against a project with required fields, which each create first reads (createmeta,
/// attachment settings) — calls the faults hit too.
#[test]
fn a_hundred_submissions_to_a_configured_project_under_random_faults_make_no_duplicate() {
    let fixed = "[[jira.fields]]\nfield = \"Customer\"\nvalue = \"Initech Care\"\n\n[[jira.fields]]\nfield = \"components\"\ntemplate = \"{kind}\"\n";
    let w = world_with(Config::configured(), playbook_with(fixed));
    random_faults(&w);
    assert!(
        w.fake
            .issues()
            .iter()
            .all(|i| i.fields["customfield_10050"] == serde_json::json!({ "id": "100502" }))
    );
}

pub(crate) fn random_faults(w: &World) {
    let count: usize = std::env::var("ONRAMP_RANDOM_SUBMISSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let seed: u64 = std::env::var("ONRAMP_RANDOM_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    w.fake.set_index_delay(Duration::from_millis(100));
    let ids: Vec<DraftId> = (0..count)
        .map(|n| w.queue(&format!("Customer {n}")))
        .collect();
    let operations = [
        Operation::Create,
        Operation::Search,
        Operation::Attach,
        Operation::Watch,
        Operation::Myself,
        Operation::Meta,
    ];
    let client = w.client();
    let mut injected = 0;
    for _round in 0..200 {
        let due = w.core.lock().due_submissions().unwrap();
        if due.is_empty()
            && w.core
                .lock()
                .outbox()
                .unwrap()
                .iter()
                .all(|s| s.state == SubmissionState::Done)
        {
            break;
        }
        for id in due {
            if rng.bool() {
                let op = operations[rng.usize(..operations.len())];
                w.fake.inject(match rng.u8(..4) {
                    0 => Fault::Status(op, [500, 502, 503][rng.usize(..3)]),
                    1 => Fault::RateLimited(op, 0),
                    2 => Fault::Slow(op, Duration::from_millis(20)),
                    _ => Fault::DropAfterWrite(op),
                });
                injected += 1;
            }
            w.runtime
                .block_on(submit::attempt(&w.core, &client, id, &options(), &|_| {}))
                .unwrap();
        }
        std::thread::sleep(Duration::from_millis(60));
        w.clock.advance(Duration::from_millis(60));
    }
    let met = injected - w.fake.faults_left();
    for id in &ids {
        w.assert_exactly_once(*id);
    }
    assert_eq!(w.fake.issues().len(), count, "seed {seed}");
    println!(
        "{count} submissions, {injected} faults injected ({met} met a request): 0 duplicate tickets, 0 missing or doubled attachments, seed {seed}"
    );
    assert!(
        met > count / 4,
        "too few faults met a request to mean anything: {met} (seed {seed})"
    );
}

/// A site that takes two writes per issue per second, and an Onramp paced to it: the three
/// screenshots and the watcher are spaced out, so Jira never has to refuse one.
#[test]
fn writes_to_one_issue_are_spaced_out_to_the_sites_limit() {
    let limit = (2, Duration::from_secs(1));
    let w = world_of(Config {
        issue_writes: Some(limit),
        ..Config::default()
    });
    let id = w.queue("Acme Health");
    // A tenth of a second of margin, as a client needs: requests spaced exactly at the limit
    // can arrive closer together than they were sent (seen once on a loaded machine).
    let client = w
        .client()
        .with_issue_write_pace(limit.0, limit.1 + Duration::from_millis(100));
    assert_eq!(w.settle(id, &client), (SubmissionState::Done, 1));
    assert_eq!(w.fake.write_limit_refusals(), 0);
    w.assert_exactly_once(id);
}

/// A site stricter than Onramp's pace refuses a write with `jira-per-issue-on-write`: Onramp
/// waits as asked, sends it again within the same attempt, and spaces the rest.
#[test]
fn a_per_issue_write_limit_is_waited_out_within_the_attempt() {
    let w = world_of(Config {
        issue_writes: Some((2, Duration::from_secs(1))),
        ..Config::default()
    });
    let id = w.queue("Acme Health");
    assert_eq!(w.settle(id, &w.client()), (SubmissionState::Done, 1));
    assert_eq!(w.fake.write_limit_refusals(), 1);
    w.assert_exactly_once(id);
}

/// A 1600 × 1000 photo-like screenshot: noise defeats PNG's compression (about 3 MB) while a
/// JPEG of it is about a tenth of that.
static PHOTO: LazyLock<Vec<u8>> = LazyLock::new(|| {
    use image::{Rgb, RgbImage};
    let mut seed = 7u32;
    let byte = |n: u32| u8::try_from(n % 256).unwrap();
    let img = RgbImage::from_fn(1600, 1000, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let n = byte(seed >> 28);
        Rgb([byte(x / 8) ^ n, byte(y / 5) ^ n, 0x5a ^ n])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
});

impl World {
    /// A ready draft whose `sign_on` screenshot is `PHOTO`, once Test connection has read the
    /// site's upload limit.
    fn draft_with_photo(&self) -> DraftId {
        self.test_connection("");
        let mut onramp = self.core.lock();
        let id = ready_draft(&mut onramp, "Acme Health");
        let view = onramp.open_draft(id).unwrap();
        onramp
            .attach_screenshot(&slot(&view, "sign_on"), "photo.png", &PHOTO)
            .unwrap();
        id
    }
}

/// Over the site's limit per file, a screenshot goes as a JPEG of the same pixels — Review said
/// so beforehand — and, when even that is too large, as a smaller JPEG that fits.
#[test]
fn a_screenshot_over_the_upload_limit_goes_as_a_jpeg_that_fits() {
    for (limit, scaled) in [(1_000_000_u64, false), (200_000, true)] {
        let w = world_of(Config {
            upload_limit: limit,
            ..Config::default()
        });
        let id = w.draft_with_photo();
        let view = w.core.lock().open_draft(id).unwrap();
        let notes: Vec<(&str, &str)> = view
            .upload_notes
            .iter()
            .map(|n| (n.slot_id.as_str(), n.message.as_str()))
            .collect();
        let shown = if scaled { "195 KB" } else { "977 KB" };
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, "sign_on");
        assert!(
            notes[0].1.ends_with(&format!(
                "MB and this Jira takes files up to {shown}: Onramp will send it as a JPEG of the same picture, scaled down if that is still too large."
            )),
            "{}",
            notes[0].1
        );
        w.core.lock().queue_submission(id).unwrap();
        assert_eq!(w.settle(id, &w.client()), (SubmissionState::Done, 1));

        let issue = &w.fake.issues()[0];
        let sent = issue
            .attachments
            .iter()
            .find(|a| a.filename == "sign_on.jpg")
            .unwrap_or_else(|| panic!("{:?}", issue.attachments));
        assert_eq!(sent.mime_type, "image/jpeg");
        assert!(sent.size as u64 <= limit);
        assert_eq!(issue.attachments.len(), 3);
        // A scaled one is smaller than a same-size JPEG of it (about 350 KB) would be.
        assert_eq!(sent.size < 200_000, scaled, "{} bytes", sent.size);
    }
}

/// A limit no readable picture fits is named, with the slot, before anything is queued.
#[test]
fn a_screenshot_that_cannot_fit_the_limit_is_named_before_queueing() {
    let w = world_of(Config {
        upload_limit: 20_000,
        ..Config::default()
    });
    let id = w.draft_with_photo();
    let err = w.core.lock().queue_submission(id).unwrap_err().to_string();
    assert!(
        err.contains(
            "The screenshot \"Sign On tab\" cannot be made to fit this Jira's limit of 20 KB per file, not even as a JPEG scaled down to 800 pixels across"
        ),
        "{err}"
    );
    assert!(w.core.lock().outbox().unwrap().is_empty());
}

impl World {
    /// Saves Settings for this fake with `csm_email`, as the Settings screen does.
    fn save_settings(&self, site: &str, csm_email: &str) -> onramp_core::settings::SettingsView {
        use onramp_core::settings::{Settings, SettingsUpdate};
        let config = self.fake.config();
        let update = SettingsUpdate {
            settings: Settings {
                jira_site: site.to_owned(),
                jira_email: config.email.clone(),
                jira_project: config.project.clone(),
                csm_name: "Casey Morgan".into(),
                csm_email: csm_email.into(),
                ..Settings::default()
            },
            token: Some(config.token.clone()),
            slack_webhook: None,
        };
        self.runtime
            .block_on(self.core.save_settings(update))
            .unwrap()
    }
}

/// Saving Settings finds the CSM's account and the project's issue types; the send then adds
/// that account as watcher without asking Jira about users again.
#[test]
fn the_account_found_when_settings_are_saved_is_who_watches() {
    let w = world();
    let view = w.save_settings(&w.fake.url(), "support@medtrainer.example");
    assert_eq!(
        view.watcher.as_deref(),
        Some(
            "You watch each ticket as Sam Support; adding someone other than Casey Morgan, whose token this is, needs the \"Manage watcher list\" permission in the project."
        )
    );
    let types: Vec<(&str, &str)> = view
        .issue_types
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(types, [("10001", "Task"), ("10002", "Bug")]);
    // Reopened, Settings still says it.
    assert_eq!(w.core.lock().settings().unwrap().watcher, view.watcher);

    let id = w.queue("Acme Health");
    // Any question about users now would meet this and wait for another attempt.
    w.fake.inject(Fault::Status(Operation::Myself, 500));
    assert_eq!(w.settle(id, &w.client()), (SubmissionState::Done, 1));
    assert_eq!(w.fake.faults_left(), 1);
    w.assert_exactly_once(id);
}

/// An email Jira does not know is said on saving, and who watches instead.
#[test]
fn saving_settings_says_when_jira_has_no_account_for_the_csm() {
    let w = world();
    let view = w.save_settings(&w.fake.url(), "nobody@medtrainer.example");
    assert_eq!(
        view.watcher.as_deref(),
        Some(
            "Jira found no account for nobody@medtrainer.example (the token's account may not be allowed to browse users, or your Jira email is another one): tickets will be watched by Casey Morgan, whose token sends them."
        )
    );
}

/// Jira out of reach does not undo the save; Settings says the account is looked up later.
#[test]
fn settings_saved_offline_are_kept_and_say_the_account_is_looked_up_later() {
    let w = world();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let site = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let view = w.save_settings(&site, "support@medtrainer.example");
    let said = view.watcher.unwrap();
    assert!(
        said.starts_with("Saved, but Jira could not be asked for your account: ")
            && said.ends_with(" Onramp asks again when it sends each ticket."),
        "{said}"
    );
    assert_eq!(w.core.lock().settings().unwrap().settings.jira_site, site);
}
