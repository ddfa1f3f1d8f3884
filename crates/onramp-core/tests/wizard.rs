//! The wizard built from the bundled playbook, and readiness: what is missing, and why.

#![allow(clippy::unnecessary_wraps)] // `missing`/`invalid` read as the `verdict` they are compared with

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use onramp_core::answers::AnswerValue;
use onramp_core::clock::SystemClock;
use onramp_core::drafts::{AnswerUpdate, NewDraft};
use onramp_core::playbook::{Field, FieldKind, Kind, Playbook, TextFormat};
use onramp_core::readiness::{IssueKind, readiness};
use onramp_core::wizard::{self, Step, StepId};
use onramp_core::{ErrorCode, Onramp};

fn text(s: &str) -> AnswerValue {
    AnswerValue::Text(s.to_owned())
}

fn bundled() -> Playbook {
    Playbook::bundled().unwrap()
}

#[test]
fn the_bundled_catalog_has_every_provider_the_team_supports() {
    let playbook = bundled();
    let names = |kind| {
        let mut v: Vec<&str> = playbook
            .providers()
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.name.as_str())
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(
        names(Kind::Sso),
        [
            "Generic OIDC",
            "Generic SAML 2.0",
            "Google Workspace",
            "JumpCloud",
            "Microsoft AD FS",
            "Microsoft Entra ID (Azure AD)",
            "Okta",
            "OneLogin",
            "PingFederate",
            "PingOne"
        ]
    );
    assert_eq!(
        names(Kind::Hris),
        [
            "ADP Workforce Now",
            "BambooHR",
            "Dayforce",
            "Gusto",
            "Paychex Flex",
            "Paycom",
            "Paycor",
            "Paylocity",
            "Rippling",
            "UKG Pro",
            "UKG Ready",
            "Workday"
        ]
    );
    for p in playbook.providers().iter().filter(|p| p.kind == Kind::Hris) {
        let slots: Vec<&str> = p.screenshots.iter().map(|s| s.id.as_str()).collect();
        assert!(
            slots.contains(&"connector") && slots.contains(&"consent_agreement"),
            "{}",
            p.name
        );
    }
    let org = &playbook.organisation;
    assert_eq!(playbook.meeting.type_name, "SSO/HRIS Meeting Outreach");
    assert_eq!(playbook.meeting.minutes, 30);
    assert_eq!(org.support_channel, "#mt-functional-questions");
    assert_eq!(
        playbook.kind(Kind::Sso).title,
        "Enable SSO {provider} Integration for {company}"
    );
    assert_eq!(
        playbook.kind(Kind::Hris).title,
        "Enable HRIS {provider} Integration for {company}"
    );
    assert!(playbook.best_practices[0].contains("duplicated accounts and wrong assignments"));
    let (name, pdf) = playbook.one_pager().unwrap();
    assert_eq!(name, "one-pager.pdf");
    assert!(pdf.starts_with(b"%PDF-1.4"));
}

#[test]
fn no_bundled_field_asks_for_a_secret() {
    let playbook = bundled();
    for p in playbook.providers() {
        // Only typed fields can collect a value; dates record when a secret expires, not the secret.
        let typed = wizard::steps(&playbook, p)
            .into_iter()
            .flat_map(|s| s.fields)
            .filter(|f| f.kind.is_text());
        for f in typed {
            let label = f.label.to_lowercase();
            assert!(
                !["secret", "password", "api key", "token"]
                    .iter()
                    .any(|w| label.contains(w)),
                "{} asks for a credential: {}",
                p.name,
                f.label
            );
        }
    }
}

#[test]
fn steps_follow_the_procedure_and_searchable_aliases_exist() {
    let playbook = bundled();
    let okta = playbook.provider("okta").unwrap();
    let ids: Vec<StepId> = wizard::steps(&playbook, okta)
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        ids,
        [
            StepId::Account,
            StepId::Contract,
            StepId::Details,
            StepId::Csm,
            StepId::Client,
            StepId::Screenshots,
            StepId::Meeting,
            StepId::Review
        ]
    );
    let ukg = playbook.provider("ukg-pro").unwrap();
    assert!(ukg.aliases.iter().any(|a| a == "UltiPro"));
    let entra = playbook.provider("entra-id").unwrap();
    assert!(entra.aliases.iter().any(|a| a == "Azure AD"));
}

fn answers(pairs: &[(&str, AnswerValue)]) -> BTreeMap<String, AnswerValue> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[test]
fn ukg_pro_asks_about_supervisor_sync_only_with_the_supervisor_module() {
    let playbook = bundled();
    let steps = wizard::steps(&playbook, playbook.provider("ukg-pro").unwrap());
    let none = HashSet::new();
    let without = readiness(
        &steps,
        &answers(&[("supervisor_module", AnswerValue::Bool(false))]),
        &none,
    );
    assert!(without.hidden.contains(&"sync_supervisor".to_owned()));
    let with = readiness(
        &steps,
        &answers(&[("supervisor_module", AnswerValue::Bool(true))]),
        &none,
    );
    assert!(!with.hidden.contains(&"sync_supervisor".to_owned()));
    let client = with
        .steps
        .iter()
        .find(|s| s.step == StepId::Client)
        .unwrap();
    let issue = client
        .issues
        .iter()
        .find(|i| i.field_id == "sync_supervisor")
        .unwrap();
    assert_eq!(issue.message, "Not answered yet.");
}

fn field(id: &str, kind: FieldKind) -> Field {
    Field::new(id, &id.replace('_', " "), kind)
}

fn one_step(fields: Vec<Field>) -> Vec<Step> {
    vec![Step {
        id: StepId::Details,
        title: "Customer details".into(),
        intro: String::new(),
        notes: Vec::new(),
        credentials: Vec::new(),
        fields,
    }]
}

/// The message readiness gives for `value` in a lone required field, or `None` when it is fine.
fn verdict(f: Field, value: Option<AnswerValue>) -> Option<(IssueKind, String)> {
    let id = f.id.clone();
    let a = value
        .map(|v| answers(&[(id.as_str(), v)]))
        .unwrap_or_default();
    let r = readiness(&one_step(vec![f]), &a, &HashSet::new());
    assert_eq!(r.ready, r.steps[0].issues.is_empty());
    r.steps[0]
        .issues
        .first()
        .map(|i| (i.kind, i.message.clone()))
}

fn invalid(message: &str) -> Option<(IssueKind, String)> {
    Some((IssueKind::Invalid, message.to_owned()))
}

fn missing(message: &str) -> Option<(IssueKind, String)> {
    Some((IssueKind::Missing, message.to_owned()))
}

#[test]
fn readiness_rule_required_fields_must_be_given() {
    assert_eq!(
        verdict(field("company", FieldKind::ShortText), None),
        missing("Required.")
    );
    assert_eq!(
        verdict(field("company", FieldKind::ShortText), Some(text("  "))),
        missing("Required.")
    );
    assert_eq!(
        verdict(field("q", FieldKind::YesNo), None),
        missing("Not answered yet.")
    );
    assert_eq!(
        verdict(field("q", FieldKind::YesNo), Some(AnswerValue::Bool(false))),
        None
    );
    let mut select = field("role", FieldKind::Select);
    select.options = vec!["A".into(), "B".into()];
    assert_eq!(verdict(select.clone(), None), missing("Choose one."));
    assert_eq!(verdict(select.clone(), Some(text("B"))), None);
    assert_eq!(
        verdict(select, Some(text("C"))),
        invalid("Choose one of the listed options.")
    );
    let mut multi = field("modules", FieldKind::MultiSelect);
    multi.options = vec!["A".into(), "B".into()];
    assert_eq!(
        verdict(multi.clone(), Some(AnswerValue::List(vec![]))),
        missing("Choose at least one.")
    );
    assert_eq!(
        verdict(multi.clone(), Some(AnswerValue::List(vec!["A".into()]))),
        None
    );
    assert_eq!(
        verdict(multi, Some(AnswerValue::List(vec!["Z".into()]))),
        invalid("\"Z\" is not one of the listed choices.")
    );
}

#[test]
fn readiness_rule_optional_fields_are_not_missing_but_still_validated() {
    let mut f = field("test_user_email", FieldKind::Email);
    f.required = false;
    assert_eq!(verdict(f.clone(), None), None);
    assert_eq!(
        verdict(f, Some(text("bob"))),
        invalid("Enter an email address such as name@example.com.")
    );
}

#[test]
fn readiness_rule_emails_and_links() {
    let email = field("e", FieldKind::Email);
    assert_eq!(
        verdict(email.clone(), Some(text("ann@acme-health.org"))),
        None
    );
    for bad in [
        "ann",
        "ann@",
        "@acme.com",
        "ann@acme",
        "a b@acme.com",
        "ann@acme.c0m",
    ] {
        assert_eq!(
            verdict(email.clone(), Some(text(bad))),
            invalid("Enter an email address such as name@example.com."),
            "{bad}"
        );
    }
    let url = field("u", FieldKind::Url);
    assert_eq!(
        verdict(url.clone(), Some(text("http://intranet.acme.com/x"))),
        None
    );
    assert_eq!(
        verdict(url.clone(), Some(text("acme.com"))),
        invalid("Enter a full link, such as https://example.com/path.")
    );
    assert_eq!(
        verdict(url.clone(), Some(text("ftp://acme.com"))),
        invalid("Enter a web link that starts with https:// or http://.")
    );
    let mut secure = url;
    secure.rules.https = true;
    assert_eq!(
        verdict(
            secure.clone(),
            Some(text("https://acme.okta.com/app/metadata"))
        ),
        None
    );
    assert_eq!(
        verdict(secure, Some(text("http://acme.okta.com"))),
        invalid("Use a secure link that starts with https://.")
    );

    let mut domain = field("d", FieldKind::ShortText);
    domain.rules.format = Some(TextFormat::Domain);
    assert_eq!(
        verdict(domain.clone(), Some(text("acme-health.co.uk"))),
        None
    );
    for bad in [
        "https://acme.com",
        "acme",
        "acme.com/sso",
        "-acme.com",
        "acme..com",
    ] {
        assert_eq!(
            verdict(domain.clone(), Some(text(bad))),
            invalid("Enter a domain such as example.com (no https://, no path)."),
            "{bad}"
        );
    }
    let mut guid = field("g", FieldKind::ShortText);
    guid.rules.format = Some(TextFormat::Guid);
    assert_eq!(
        verdict(
            guid.clone(),
            Some(text("8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b"))
        ),
        None
    );
    assert_eq!(
        verdict(guid, Some(text("8e0b5f4a1c2d4e5f9a8b7c6d5e4f3a2b"))),
        invalid("Enter a GUID such as 8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b.")
    );
}

#[test]
fn readiness_rule_numbers_and_dates() {
    assert_eq!(
        verdict(field("n", FieldKind::Number), Some(text("1200"))),
        None
    );
    assert_eq!(
        verdict(field("n", FieldKind::Number), Some(text("twelve"))),
        invalid("Enter a number.")
    );
    assert_eq!(
        verdict(field("d", FieldKind::Date), Some(text("2026-12-01"))),
        None
    );
    assert_eq!(
        verdict(field("d", FieldKind::Date), Some(text("12/01/2026"))),
        invalid("Enter a date as YYYY-MM-DD.")
    );
    assert_eq!(
        verdict(
            field("t", FieldKind::DateTime),
            Some(text("2026-12-01T10:30"))
        ),
        None
    );
    assert_eq!(
        verdict(field("t", FieldKind::DateTime), Some(text("tomorrow"))),
        invalid("Enter a date and a time.")
    );
}

#[test]
fn readiness_rule_pattern_and_max_length() {
    let mut code = field("display_id", FieldKind::ShortText);
    code.rules.pattern = Some(regex::Regex::new("^(?:[0-9]{8})$").unwrap());
    code.rules.pattern_hint = Some("the 8-digit display ID".into());
    assert_eq!(verdict(code.clone(), Some(text("12345678"))), None);
    assert_eq!(
        verdict(code.clone(), Some(text("1234567"))),
        invalid("Expected the 8-digit display ID.")
    );
    code.rules.pattern_hint = None;
    assert_eq!(
        verdict(code, Some(text("x"))),
        invalid("This does not have the expected format.")
    );
    let mut short = field("company", FieldKind::ShortText);
    short.rules.max_length = Some(5);
    assert_eq!(verdict(short.clone(), Some(text("Acmé!"))), None);
    assert_eq!(
        verdict(short, Some(text("Acme Health"))),
        invalid("Use at most 5 characters (this has 11).")
    );
}

#[test]
fn readiness_rule_checklists_need_every_item() {
    let mut list = field("contract_checks", FieldKind::Checklist);
    list.options = vec!["Plan".into(), "Fee".into(), "Headcount".into()];
    assert_eq!(
        verdict(list.clone(), None),
        missing("Confirm every item (0 of 3 confirmed).")
    );
    assert_eq!(
        verdict(list.clone(), Some(AnswerValue::List(vec!["Fee".into()]))),
        missing("Confirm every item (1 of 3 confirmed).")
    );
    assert_eq!(
        verdict(
            list,
            Some(AnswerValue::List(vec![
                "Headcount".into(),
                "Plan".into(),
                "Fee".into()
            ]))
        ),
        None
    );
}

#[test]
fn readiness_rule_screenshots_must_be_attached() {
    let shot = field("connector", FieldKind::Screenshot);
    assert_eq!(
        verdict(shot.clone(), None),
        missing("No screenshot attached yet.")
    );
    let attached: HashSet<String> = ["connector".to_owned()].into();
    let r = readiness(&one_step(vec![shot]), &BTreeMap::new(), &attached);
    assert!(r.ready);
}

#[test]
fn readiness_rule_an_answer_of_the_wrong_shape_is_kept_and_flagged() {
    assert_eq!(
        verdict(field("q", FieldKind::YesNo), Some(text("yes"))),
        invalid("This answer no longer fits: the question now takes yes or no.")
    );
}

#[test]
fn readiness_rule_hidden_fields_are_not_required_and_conditions_chain() {
    let share = {
        let mut f = field("share_as", FieldKind::Select);
        f.options = vec!["URL".into(), "File".into()];
        f
    };
    let gate = field("uses_saml", FieldKind::YesNo);
    let mut share_when = share.clone();
    share_when.when = Some(onramp_core::playbook::Condition {
        field: "uses_saml".into(),
        equals: onramp_core::playbook::ConditionValue::Bool(true),
    });
    let mut url = field("metadata_url", FieldKind::Url);
    url.when = Some(onramp_core::playbook::Condition {
        field: "share_as".into(),
        equals: onramp_core::playbook::ConditionValue::Text("URL".into()),
    });
    let steps = one_step(vec![gate, share_when, url]);
    let none = HashSet::new();
    // uses_saml = no hides share_as, and with it metadata_url, even though share_as says URL.
    let r = readiness(
        &steps,
        &answers(&[
            ("uses_saml", AnswerValue::Bool(false)),
            ("share_as", text("URL")),
        ]),
        &none,
    );
    assert_eq!(r.hidden, ["share_as", "metadata_url"]);
    assert!(r.ready);
    let r = readiness(
        &steps,
        &answers(&[
            ("uses_saml", AnswerValue::Bool(true)),
            ("share_as", text("URL")),
        ]),
        &none,
    );
    assert!(r.hidden.is_empty());
    assert_eq!(r.steps[0].issues.len(), 1);
    assert_eq!(r.steps[0].issues[0].field_id, "metadata_url");
    assert_eq!((r.steps[0].required, r.steps[0].done), (3, 2));
}

#[test]
fn readiness_counts_progress_per_step_and_is_ready_only_when_nothing_is_missing() {
    let steps = one_step(vec![
        field("a", FieldKind::ShortText),
        field("b", FieldKind::YesNo),
    ]);
    let none = HashSet::new();
    let r = readiness(&steps, &answers(&[("a", text("x"))]), &none);
    assert!(!r.ready);
    assert_eq!((r.steps[0].required, r.steps[0].done), (2, 1));
    let r = readiness(
        &steps,
        &answers(&[("a", text("x")), ("b", AnswerValue::Bool(true))]),
        &none,
    );
    assert!(r.ready);
}

/// The bundled playbook with `provider_file`'s text changed by `edit`.
fn playbook_edited(provider_file: &str, edit: impl Fn(&str) -> String) -> Playbook {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/playbook");
    let mut files = Vec::new();
    for entry in walk(&root) {
        let rel = entry.strip_prefix(&root).unwrap().to_path_buf();
        let mut bytes = std::fs::read(&entry).unwrap();
        if rel.ends_with(provider_file) {
            bytes = edit(std::str::from_utf8(&bytes).unwrap()).into_bytes();
        }
        files.push((rel, bytes));
    }
    Playbook::from_files(files).unwrap()
}

fn playbook_without(provider_file: &str, drop_block_with: &str) -> Playbook {
    playbook_edited(provider_file, |text| {
        text.split("\n\n")
            .filter(|b| !b.contains(drop_block_with))
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

#[test]
fn the_meeting_step_links_the_provider_presentation_or_else_the_folder() {
    let meeting_notes = |playbook: &Playbook| {
        let steps = wizard::steps(playbook, playbook.provider("okta").unwrap());
        let meeting = steps.iter().find(|s| s.id == StepId::Meeting).unwrap();
        meeting.notes.join("\n")
    };
    let bundled = bundled();
    assert!(meeting_notes(&bundled).contains(&format!(
        "Presentations: {} (make a copy and adjust it).",
        bundled.organisation.presentations_folder
    )));
    let with_link = playbook_edited("okta.toml", |text| {
        text.replacen(
            "name = \"Okta\"",
            "name = \"Okta\"\npresentation = \"https://slides.example.com/okta\"",
            1,
        )
    });
    let notes = meeting_notes(&with_link);
    assert!(
        notes.contains("Presentation for Okta: https://slides.example.com/okta"),
        "{notes}"
    );
    assert!(!notes.contains("Presentations:"), "{notes}");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() { walk(&p) } else { vec![p] }
        })
        .collect()
}

#[test]
fn a_draft_keeps_answers_to_questions_the_playbook_no_longer_asks() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut core = Onramp::open(dir.path(), bundled(), Box::new(SystemClock)).unwrap();
        let view = core
            .create_draft(&NewDraft {
                provider_id: "bamboohr".into(),
            })
            .unwrap();
        core.set_answer(&AnswerUpdate {
            draft_id: view.draft.id,
            field_id: "bamboo_subdomain".into(),
            value: Some(text("acme")),
        })
        .unwrap();
        view.draft.id
    };
    let edited = playbook_without("bamboohr.toml", "id = \"bamboo_subdomain\"");
    let core = Onramp::open(dir.path(), edited, Box::new(SystemClock)).unwrap();
    let view = core.open_draft(id).unwrap();
    assert_eq!(view.draft.answers["bamboo_subdomain"], text("acme"));
    assert_eq!(view.readiness.retired.len(), 1);
    assert_eq!(view.readiness.retired[0].field_id, "bamboo_subdomain");
    assert!(wizard::find_field(&view.steps, "bamboo_subdomain").is_none());
}

#[test]
fn autosave_refuses_a_value_of_the_wrong_shape_and_clears_with_null() {
    let dir = tempfile::tempdir().unwrap();
    let mut core = Onramp::open(dir.path(), bundled(), Box::new(SystemClock)).unwrap();
    let view = core
        .create_draft(&NewDraft {
            provider_id: "ukg-pro".into(),
        })
        .unwrap();
    let set = |field: &str, value: Option<AnswerValue>| AnswerUpdate {
        draft_id: view.draft.id,
        field_id: field.into(),
        value,
    };
    let err = core
        .set_answer(&set("supervisor_module", Some(text("yes"))))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "`Does the company have the Supervisor module enabled in UKG Pro?` takes yes or no"
    );

    let saved = core
        .set_answer(&set("supervisor_module", Some(AnswerValue::Bool(true))))
        .unwrap();
    assert!(
        !saved
            .readiness
            .hidden
            .contains(&"sync_supervisor".to_owned())
    );
    let saved = core.set_answer(&set("supervisor_module", None)).unwrap();
    assert!(
        saved
            .readiness
            .hidden
            .contains(&"sync_supervisor".to_owned())
    );
    assert!(
        !core
            .open_draft(view.draft.id)
            .unwrap()
            .draft
            .answers
            .contains_key("supervisor_module")
    );

    // Invalid but well-shaped values are stored, so nothing typed is lost.
    let saved = core
        .set_answer(&set("poc_email", Some(text("not-an-email"))))
        .unwrap();
    let account = &saved.readiness.steps[0];
    assert!(
        account
            .issues
            .iter()
            .any(|i| i.field_id == "poc_email" && i.kind == IssueKind::Invalid)
    );
}

#[test]
fn an_hris_that_also_offers_sso_points_the_csm_to_the_sso_request() {
    let playbook = Playbook::bundled().unwrap();
    let workday = playbook.provider("workday").unwrap();
    let steps = wizard::steps(&playbook, workday);
    let details = steps.iter().find(|s| s.id == StepId::Details).unwrap();
    assert!(
        details.notes.contains(
            &"Workday can also act as the SAML identity provider for single sign-on. If the customer wants SSO too, start a separate Generic SAML 2.0 request.".to_owned()
        ),
        "{:?}",
        details.notes
    );
}
