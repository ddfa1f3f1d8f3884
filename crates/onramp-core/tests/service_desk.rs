//! Raising the request on Support's service desk (Jira Service Management) exactly once, against
//! fake-jira's desk over real loopback HTTP: the request type's fields, labels and screenshots,
//! faults on the way, what an account that is only a customer may not do, temporary files that
//! expire, and the request's own status and comments.

use std::time::Duration;

use fake_jira::{Config, Fault, Operation, ServiceDesk};
use onramp_core::jira::NewRequest;
use onramp_core::model::SubmissionState;

use crate::submit::{World, random_faults, ready_draft, world_with};
use crate::support::{client_for, playbook_with};

/// What the "Integration request" type requires besides what Onramp fills.
const CUSTOMER: &str = "[[jira.fields]]\nfield = \"Customer\"\nvalue = \"Globex Clinics\"\n";

fn desk_world(config: Config, playbook_extra: &str) -> World {
    world_with(config.with_service_desk(), playbook_with(playbook_extra))
}

/// A site whose service desk is Support's but for `change`, with `playbook_extra`.
fn world_with_desk(change: impl FnOnce(&mut ServiceDesk), playbook_extra: &str) -> World {
    let mut desk = ServiceDesk::support();
    change(&mut desk);
    let config = Config {
        service_desk: Some(desk),
        ..Config::default()
    };
    world_with(config, playbook_with(playbook_extra))
}

fn desk_world_default() -> World {
    desk_world(Config::default(), CUSTOMER)
}

#[test]
fn a_request_is_raised_on_the_desk_with_its_fields_labels_and_screenshots() {
    let w = desk_world_default();
    let id = w.queue("Globex Clinics");
    let (state, _) = w.settle(id, &w.client());
    assert_eq!(state, SubmissionState::Done);
    w.assert_exactly_once(id);
    let issue = &w.fake.issues()[0];
    assert!(issue.key.starts_with("SUP-"), "{}", issue.key);
    let request = issue
        .request
        .as_ref()
        .expect("raised as a customer request");
    assert_eq!(request.service_desk_id, "3");
    assert_eq!(request.request_type_id, "21");
    // The CSM's own account raised it: the first user, whose token this is.
    assert_eq!(request.reporter, w.fake.config().users[0].account_id);
    assert!(issue.labels.contains(&"onramp".to_owned()));
    assert_eq!(
        issue.fields["customfield_10050"],
        serde_json::json!({ "id": "100501" })
    );
    // ADF on Cloud (fake-jira checks it against the schema when `isAdfRequest` says so).
    assert_eq!(issue.description["type"], "doc");
    // Internal unless the playbook says otherwise.
    assert!(issue.attachments.iter().all(|a| a.public == Some(false)));
    // Every screenshot goes up in one call and onto the request in one more.
    assert!(issue.attachments.len() > 1, "{:?}", issue.attachments);
    let calls = w.fake.calls();
    let made = |suffix: &str| {
        calls
            .iter()
            .filter(|c| c.starts_with("POST ") && c.ends_with(suffix))
            .count()
    };
    assert_eq!(made("/servicedesk/3/attachTemporaryFile"), 1, "{calls:#?}");
    assert_eq!(
        made(&format!("/request/{}/attachment", issue.key)),
        1,
        "{calls:#?}"
    );
}

#[test]
fn on_data_center_the_request_goes_in_wiki_markup() {
    let w = desk_world(Config::data_center(), CUSTOMER);
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
    let description = &w.fake.issues()[0].description;
    assert!(description.is_string(), "{description}");
}

#[test]
fn a_cloud_desk_that_refuses_adf_gets_the_description_in_wiki_markup() {
    let w = world_with_desk(|d| d.adf = false, CUSTOMER);
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
    let description = &w.fake.issues()[0].description;
    assert!(
        description
            .as_str()
            .is_some_and(|d| d.contains("h2. Account and contacts")),
        "{description}"
    );
}

#[test]
fn a_request_whose_answer_was_lost_is_found_and_not_raised_again() {
    for lost in [Operation::Create, Operation::Attach] {
        let w = desk_world_default();
        w.fake.set_index_delay(Duration::from_millis(200));
        w.fake.inject(Fault::DropAfterWrite(lost));
        let id = w.queue("Globex Clinics");
        let (state, attempts) = w.settle(id, &w.client());
        assert_eq!(state, SubmissionState::Done, "{lost:?}");
        assert!(attempts > 1, "{lost:?}: the lost answer was never met");
        w.assert_exactly_once(id);
        assert_eq!(w.fake.issues().len(), 1, "{lost:?}");
    }
}

#[test]
fn temporary_files_that_expire_before_the_attach_are_uploaded_again() {
    let w = world_with_desk(|d| d.temporary_ttl = Duration::from_millis(300), CUSTOMER);
    // The upload, then an attach that arrives after the files expired.
    w.fake
        .inject(Fault::Slow(Operation::Attach, Duration::ZERO));
    w.fake
        .inject(Fault::Slow(Operation::Attach, Duration::from_millis(500)));
    let id = w.queue("Globex Clinics");
    let (state, attempts) = w.settle(id, &w.client());
    assert_eq!(state, SubmissionState::Done);
    assert_eq!(attempts, 1, "uploaded again within the attempt");
    assert_eq!(w.fake.faults_left(), 0);
    w.assert_exactly_once(id);
}

#[test]
fn a_request_type_without_labels_is_named_with_who_can_add_them() {
    let w = desk_world_default();
    let id = w.queue("Globex Clinics");
    let client = client_for(&w.fake.url(), w.fake.config(), Some("22"));
    let (state, _) = w.settle(id, &client);
    assert_eq!(state, SubmissionState::Failed);
    let error = w.last_error(id);
    assert!(
        error.contains(
            "Labels is not on the request type Get IT help of the service desk Customer Support, and Onramp needs it"
        ),
        "{error}"
    );
    assert!(
        error.contains("Project settings › Request types"),
        "{error}"
    );
    assert!(w.fake.issues().is_empty());
}

#[test]
fn a_required_field_the_playbook_leaves_open_is_named_with_its_choices() {
    let w = desk_world(Config::default(), "");
    let id = w.queue("Globex Clinics");
    let (state, _) = w.settle(id, &w.client());
    assert_eq!(state, SubmissionState::Failed);
    let error = w.last_error(id);
    assert!(
        error.contains(
            "Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care), which this playbook does not fill"
        ),
        "{error}"
    );
}

#[test]
fn the_playbook_raises_for_the_intake_account_with_participants() {
    let people = "[jira.service_desk]\nraise_on_behalf_of = \"support@medtrainer.example\"\nparticipants = [\"csm@medtrainer.example\"]\npublic_attachments = true\n";
    let w = desk_world(Config::default(), &format!("{CUSTOMER}\n{people}"));
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    let issue = &w.fake.issues()[0];
    let users = &w.fake.config().users;
    let request = issue.request.as_ref().unwrap();
    assert_eq!(request.reporter, users[1].account_id);
    assert_eq!(request.participants, [users[0].account_id.clone()]);
    assert!(issue.attachments.iter().all(|a| a.public == Some(true)));
}

#[test]
fn an_account_that_is_only_a_customer_is_told_it_may_not_raise_for_others() {
    let people = "[jira.service_desk]\nraise_on_behalf_of = \"support@medtrainer.example\"\n";
    let w = world_with_desk(|d| d.agent = false, &format!("{CUSTOMER}\n{people}"));
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Failed);
    let error = w.last_error(id);
    assert!(
        error.contains(
            "the playbook raises requests on behalf of support@medtrainer.example, but your account may not raise requests for others on Customer Support (only its agents may) — ask a Jira admin to make you an agent of the service desk"
        ),
        "{error}"
    );
    assert!(error.starts_with("playbook.toml:"), "{error}");
    assert!(w.fake.issues().is_empty());
}

#[test]
fn the_request_status_and_supports_comments_are_read_through_the_requests_api() {
    let w = desk_world_default();
    let id = w.queue("Globex Clinics");
    let client = w.client();
    w.settle(id, &client);
    let key = w.fake.issues()[0].key.clone();
    w.runtime
        .block_on(onramp_core::jira::follow::sync_statuses(&w.core, &client))
        .unwrap();
    let home = w
        .core
        .lock()
        .list_drafts(&onramp_core::model::DraftQuery::default())
        .unwrap();
    assert_eq!(home[0].jira_status.as_deref(), Some("Waiting for support"));

    w.fake
        .add_comment(&key, "We need the SAML certificate again.", true);
    w.fake
        .add_comment(&key, "Customer is on the old plan.", false);
    let comments = w.runtime.block_on(client.comments(&key)).unwrap();
    let seen: Vec<(&str, bool, &str)> = comments
        .iter()
        .map(|c| (c.body.as_str(), c.public, c.author.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("We need the SAML certificate again.", true, "Sam Support"),
            ("Customer is on the old plan.", false, "Sam Support"),
        ]
    );
}

#[test]
fn a_service_desk_id_is_not_its_projects_id() {
    let w = desk_world_default();
    let client = w.client();
    let desks = w.runtime.block_on(client.service_desks()).unwrap();
    assert_eq!(desks.len(), 1);
    assert_eq!(
        (
            desks[0].id.as_str(),
            desks[0].name.as_str(),
            desks[0].project_key.as_str()
        ),
        ("3", "Customer Support", "SUP")
    );
    let refused = w
        .runtime
        .block_on(client.request_types("10100"))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("The service desk with ID 10100 does not exist"),
        "{refused}"
    );
}

/// The randomized fault run of the project mode, raising requests on the desk instead.
#[test]
fn a_hundred_requests_under_random_faults_make_no_duplicate_and_lose_no_screenshot() {
    let w = desk_world_default();
    random_faults(&w);
    assert!(w.fake.issues().iter().all(|i| i.request.is_some()));
}

/// Raises each of `cases` through the client for a ready draft: the desk refuses every one
/// with a message ending in the case's words, and no request is made.
fn assert_refused(w: &World, cases: impl IntoIterator<Item = (NewRequest<'static>, &'static str)>) {
    let client = w.client();
    let ticket = {
        let mut onramp = w.core.lock();
        let id = ready_draft(&mut onramp, "Globex Clinics");
        onramp.ticket(id).unwrap()
    };
    for (request, said) in cases {
        let message = w
            .runtime
            .block_on(client.create_request(&ticket, &request))
            .unwrap_err()
            .to_string();
        assert!(message.ends_with(said), "{message}");
    }
    assert!(w.fake.issues().is_empty());
}

/// What the desk itself refuses, met through the client (the preflight stops these first when
/// it can): raising for someone else or adding participants as a customer, a required field
/// left out.
#[test]
fn the_desk_itself_refuses_what_it_does_not_allow_and_says_so() {
    let w = world_with_desk(|d| d.agent = false, CUSTOMER);
    let someone = w.fake.config().users[1].account_id.clone();
    let cases = [
        (
            NewRequest {
                service_desk: "3",
                request_type: "22",
                on_behalf_of: Some(someone.clone()),
                ..Default::default()
            },
            "The service desk refused (403): only its agents may raise requests for others, add participants or attach files customers do not see. Ask a Jira admin to make you an agent of the desk, or the playbook owner to drop raise_on_behalf_of and participants, or set public_attachments, under [jira.service_desk]. Jira said: You do not have permission to raise requests on behalf of other customers.",
        ),
        (
            NewRequest {
                service_desk: "3",
                request_type: "22",
                participants: vec![someone.clone()],
                ..Default::default()
            },
            "Jira said: You do not have permission to add participants to this request.",
        ),
        (
            NewRequest {
                service_desk: "3",
                request_type: "21",
                ..Default::default()
            },
            "The service desk refused the request; fix what it names and submit again. Jira said: Your request could not be created. Please check the fields have been correctly filled in. {customfield_10050=Customer is required.}",
        ),
    ];
    assert_refused(&w, cases);
}

#[test]
fn test_connection_lists_the_desks_then_reads_the_chosen_request_types_fields() {
    let w = desk_world(Config::default(), "");
    let mut unchosen = w.client().settings().clone();
    unchosen.desk = None;
    let check = w.runtime.block_on(w.core.test_jira(unchosen, "")).unwrap();
    let listed: Vec<(&str, &str, Vec<&str>)> = check
        .desks
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.name.as_str(),
                d.request_types.iter().map(|t| t.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [(
            "3",
            "Customer Support",
            vec!["Integration request", "Get IT help"]
        )]
    );
    assert_eq!(check.problems.len(), 1);
    assert!(
        check.problems[0].starts_with("No service desk is chosen yet"),
        "{:?}",
        check.problems
    );
    // Kept for Settings to choose from offline.
    let view = w.core.lock().settings().unwrap();
    assert_eq!(view.desks, check.desks);

    let check = w.test_connection("");
    assert!(
        check.problems.iter().any(|p| p.starts_with(
            "Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care)"
        )),
        "{:?}",
        check.problems
    );
    let customer = check.fields.iter().find(|f| f.name == "Customer").unwrap();
    assert!(customer.required);
    assert_eq!(
        check.desk_access.as_deref(),
        Some(
            "On Customer Support your account may raise requests on behalf of others and add participants (it is one of the desk's agents)."
        )
    );
    // Review asks for it, as it does for a project's required field.
    let mut onramp = w.core.lock();
    let view = crate::support::create(&mut onramp, "okta");
    crate::support::fill_everything(&mut onramp, &view);
    let view = onramp.open_draft(view.draft.id).unwrap();
    let choices: Vec<&str> = view.jira_choices.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(choices, ["Customer"]);
}

#[test]
fn a_site_without_a_service_desk_says_so_on_test_connection() {
    let w = world_with(Config::default(), playbook_with(""));
    let mut settings = w.client().settings().clone();
    settings.mode = onramp_core::model::JiraMode::ServiceDesk;
    let check = w.runtime.block_on(w.core.test_jira(settings, "")).unwrap();
    assert!(check.desks.is_empty());
    assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
    assert!(
        check.problems[0].starts_with(
            "This Jira site shows your account no service desk (Jira Service Management)"
        ),
        "{:?}",
        check.problems
    );
}

/// `cargo xtask run --demo --service-desk`: the demo playbook fills the desk's request type too.
#[test]
fn the_demo_playbook_satisfies_the_demo_desk() {
    let demo = include_str!("../../../assets/demo/jira-fields.toml");
    let w = desk_world(Config::configured(), demo);
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Done);
    w.assert_exactly_once(id);
    let issue = &w.fake.issues()[0];
    assert!(issue.request.is_some());
    assert_eq!(
        issue.fields["components"],
        serde_json::json!([{ "id": "10100" }])
    );
}

/// The follow-up reads Support's comments in either mode: in a project through the issue's
/// API (ADF on Cloud, wiki text on Data Center).
#[test]
fn a_projects_ticket_comments_are_read_through_the_issues_api() {
    for config in [Config::default(), Config::data_center()] {
        let w = world_with(config, playbook_with(""));
        let id = w.queue("Globex Clinics");
        let client = w.client();
        assert_eq!(w.settle(id, &client).0, SubmissionState::Done);
        let key = w.fake.issues()[0].key.clone();
        assert!(key.starts_with("ONB-"));
        w.fake
            .add_comment(&key, "Certificate received, setting up.", true);
        let comments = w.runtime.block_on(client.comments(&key)).unwrap();
        let seen: Vec<(&str, bool, &str)> = comments
            .iter()
            .map(|c| (c.body.as_str(), c.public, c.author.as_str()))
            .collect();
        assert_eq!(
            seen,
            [("Certificate received, setting up.", true, "Sam Support")]
        );
    }
}

/// The desk's other refusals of a request, for an agent: what it does not have, whom it does
/// not know, and a field its request type does not carry — each in the CSM's words.
#[test]
fn what_the_desk_does_not_have_or_know_is_refused_with_what_to_change() {
    let w = desk_world_default();
    let stray_field =
        serde_json::Map::from_iter([("customfield_99999".to_owned(), serde_json::json!("x"))]);
    let cases = [
        (
            NewRequest {
                service_desk: "3",
                request_type: "99",
                ..Default::default()
            },
            "The service desk refused the request; fix what it names and submit again. Jira said: The request type you are trying to use does not exist.",
        ),
        (
            NewRequest {
                service_desk: "10100",
                request_type: "21",
                ..Default::default()
            },
            "The service desk found no such desk, request type or request, or your account may not see it (404): in Settings, Test connection and choose the desk and request type again from those it lists. Jira said: The service desk with ID 10100 does not exist, or you do not have permission to view it.",
        ),
        (
            NewRequest {
                service_desk: "3",
                request_type: "22",
                on_behalf_of: Some("5b10ac8d82e05b22cc7d0000".into()),
                ..Default::default()
            },
            "The service desk refused the request; fix what it names and submit again. Jira said: The user '5b10ac8d82e05b22cc7d0000' does not exist.",
        ),
        (
            NewRequest {
                service_desk: "3",
                request_type: "22",
                fields: stray_field,
                ..Default::default()
            },
            "Jira said: Your request could not be created. Please check the fields have been correctly filled in. {customfield_99999=Field 'customfield_99999' is not on the request type 'Get IT help'.}",
        ),
    ];
    assert_refused(&w, cases);
}

/// Screenshots the desk lets expire on both tries leave the request without them, and the
/// CSM is told why and what to do.
#[test]
fn screenshots_that_expire_on_both_tries_are_named_with_what_to_do() {
    let w = world_with_desk(|d| d.temporary_ttl = Duration::ZERO, CUSTOMER);
    let id = w.queue("Globex Clinics");
    assert_eq!(w.settle(id, &w.client()).0, SubmissionState::Failed);
    let error = w.last_error(id);
    assert!(
        error.starts_with(
            "The service desk would not attach the screenshots to SUP-1, though they were uploaded to it twice (an upload expires unless attached within minutes). Submit again;"
        ),
        "{error}"
    );
    assert!(
        error.contains("Jira said: The temporary attachment 'temp")
            && error.ends_with("' does not exist or has expired."),
        "{error}"
    );
    let uploads = w
        .fake
        .calls()
        .iter()
        .filter(|c| c.ends_with("/attachTemporaryFile"))
        .count();
    assert_eq!(uploads, 2);
    assert_eq!(w.fake.issues().len(), 1);
    assert!(w.fake.issues()[0].attachments.is_empty());
}

#[test]
fn a_screenshot_over_the_desks_limit_says_what_to_do() {
    let config = Config {
        upload_limit: 1024,
        ..Config::default()
    };
    let w = desk_world(config, CUSTOMER);
    let client = w.client();
    let ticket = {
        let mut onramp = w.core.lock();
        let id = ready_draft(&mut onramp, "Globex Clinics");
        onramp.ticket(id).unwrap()
    };
    let request = NewRequest {
        service_desk: "3",
        request_type: "22",
        ..Default::default()
    };
    let key = w
        .runtime
        .block_on(client.create_request(&ticket, &request))
        .unwrap()
        .key;
    let big = vec![0_u8; 2048];
    let refused = w
        .runtime
        .block_on(client.attach_files_to_request(
            "3",
            &key,
            &[("Sign On tab.png", "image/png", &big)],
            false,
        ))
        .unwrap_err()
        .to_string();
    assert_eq!(
        refused,
        "The service desk refused a screenshot as too large (413): attach a smaller crop, or ask a Jira admin to raise the attachment size limit (System › Attachments). Jira said: The file 'Sign On tab.png' is larger than the site's limit of 1024 bytes."
    );
}
