//! Property tests: whatever a playbook file or a CSM holds — arbitrary Unicode, long strings,
//! markup and template characters — nothing panics, what Onramp writes always parses, and the
//! text comes back verbatim.

use std::path::{Path, PathBuf};

use crate::support::{ManualClock, answer_all, create, open};
use icalendar::Component as _;
use onramp_core::Onramp;
use onramp_core::meeting::{MeetingOutcome, Outcome};
use onramp_core::playbook::Playbook;
use onramp_core::recap::RecapEdit;
use onramp_core::ticket::AdfDoc;
use proptest::prelude::*;

/// The bundled playbook's files, as the loader takes them.
fn bundled_files() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push((
                    path.strip_prefix(root).unwrap().to_owned(),
                    std::fs::read(&path).unwrap(),
                ));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/playbook");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

fn with_okta(okta: Vec<u8>) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = bundled_files();
    files.retain(|(p, _)| !p.ends_with("okta.toml"));
    files.push((PathBuf::from("providers/sso/okta.toml"), okta));
    files
}

/// Text a CSM could type into a one-line field: any printable Unicode, markup included.
fn one_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{1,60}",
        Just("*ACME* {{x}} {% raw %} <b>&amp;</b> [link](x) |a|b| \\\\ `code` # _x_".to_owned()),
        "[\\PC]{200,400}",
    ]
    .prop_map(|s| s.trim().to_owned())
    .prop_filter("a name is not blank", |s| !s.is_empty())
}

/// Every text node of the document, in order, joined: what a reader of the ticket sees.
fn adf_text(doc: &AdfDoc) -> String {
    fn walk(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(text)) = map.get("text") {
                    out.push_str(text);
                }
                map.values().for_each(|v| walk(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(&serde_json::to_value(doc).unwrap(), &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A provider file of any bytes is loaded or refused with its file named; never a panic.
    #[test]
    fn any_provider_file_is_loaded_or_refused_by_name(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match Playbook::from_files(with_okta(bytes)) {
            Ok(playbook) => prop_assert!(playbook.provider("okta").is_ok()),
            Err(errors) => prop_assert!(errors.0.iter().all(|e| e.file.contains("okta.toml")), "{errors}"),
        }
    }

    /// Whatever the operations team names a provider, it is shown exactly so.
    #[test]
    fn provider_names_round_trip(name in one_line()) {
        let okta = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/playbook/providers/sso/okta.toml"),
        )
        .unwrap();
        let quoted = toml::Value::String(name.clone()).to_string();
        let file = okta.replacen("name = \"Okta\"", &format!("name = {quoted}"), 1);
        let playbook = Playbook::from_files(with_okta(file.into_bytes())).unwrap();
        prop_assert_eq!(&playbook.provider("okta").unwrap().name, &name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A company name arrives verbatim in the summary, the ADF description, the plain text and
    /// the support-channel message.
    #[test]
    fn company_names_arrive_verbatim_in_the_ticket(company in one_line()) {
        let dir = tempfile::tempdir().unwrap();
        let mut onramp = open(dir.path(), &ManualClock::new());
        let view = create(&mut onramp, "okta");
        answer_all(&mut onramp, &view, &[("company", &company)]);
        let ticket = onramp.ticket(view.draft.id).unwrap();
        prop_assert_eq!(ticket.summary, format!("Enable SSO Okta Integration for {company}"));
        prop_assert!(adf_text(&ticket.description).contains(&company));
        prop_assert!(onramp.support_message(view.draft.id).unwrap().contains(&company));
    }

    /// The invite always parses as iCalendar, with the company and the people verbatim (a
    /// double quote, which a parameter cannot hold, becomes ').
    #[test]
    fn invites_always_parse_with_names_verbatim(company in one_line(), person in one_line()) {
        let dir = tempfile::tempdir().unwrap();
        let mut onramp = open(dir.path(), &ManualClock::new());
        let id = scheduled(&mut onramp, &company, &person);
        let text = String::from_utf8(onramp.export_invite(id, false).unwrap().bytes).unwrap();
        let calendar: icalendar::Calendar = text.parse().map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let event = calendar.events().next().unwrap();
        prop_assert_eq!(
            event.get_summary().unwrap_or_default().to_owned(),
            format!("SSO/HRIS Meeting Outreach: Okta SSO for {company}")
        );
        let cn: Vec<String> = icalendar::Component::multi_properties(event)
            .get("ATTENDEE")
            .into_iter()
            .flatten()
            .filter_map(|p| p.params().get("CN").map(|v| v.value().trim_matches('"').to_owned()))
            .collect();
        prop_assert_eq!(cn, vec![person.replace('"', "'")]);
    }

    /// The recap always parses as MIME, with the subject and the text as the CSM wrote them.
    #[test]
    fn recaps_always_parse_with_the_text_verbatim(
        subject in one_line(),
        body in "[\\PC\\n]{0,400}",
        person in one_line(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut onramp = open(dir.path(), &ManualClock::new());
        let id = scheduled(&mut onramp, "Acme", &person);
        onramp.export_invite(id, false).unwrap();
        onramp.record_meeting_outcome(&MeetingOutcome { draft_id: id, outcome: Outcome::Held }).unwrap();
        onramp.mark_recording_processed(id).unwrap();
        onramp.save_recap(&RecapEdit { draft_id: id, subject: subject.clone(), body: body.clone() }).unwrap();
        let bytes = onramp.export_recap(id).unwrap().bytes;
        let message = mail_parser::MessageParser::default()
            .parse(&bytes)
            .ok_or_else(|| TestCaseError::fail("mail-parser refused the recap"))?;
        prop_assert_eq!(message.subject().unwrap_or_default(), subject.as_str());
        let text = message.body_text(0).unwrap_or_default().replace("\r\n", "\n");
        let expected = body.replace("\r\n", "\n");
        prop_assert_eq!(text.trim_end(), expected.trim_end());
        let to = message.to().and_then(|a| a.first()).and_then(|a| a.name()).unwrap_or_default().to_owned();
        prop_assert_eq!(to, person);
    }
}

/// A draft whose meeting is planned, with `person` as the point of contact.
fn scheduled(onramp: &mut Onramp, company: &str, person: &str) -> onramp_core::model::DraftId {
    let view = create(onramp, "okta");
    answer_all(
        onramp,
        &view,
        &[
            ("company", company),
            ("csm_name", "Casey Morgan"),
            ("csm_email", "casey@medtrainer.example"),
            ("poc_name", person),
            ("poc_email", "jordan@customer.example"),
            ("meeting_time_zone", "Europe/Paris"),
            ("meeting_at", "2026-12-03T10:00"),
        ],
    );
    view.draft.id
}
