//! The `onramp` binary, run as a user would, against a data directory the core wrote.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

// The core's test helpers, of which these tests need one.
#[allow(dead_code)]
#[path = "../../onramp-core/tests/support.rs"]
mod support;

use std::process::{Command, Output};

use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::clock::SystemClock;
use onramp_core::drafts::{AnswerUpdate, NewDraft};
use onramp_core::playbook::Playbook;
use support::copy_dir;

fn onramp(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(args)
        .env("ONRAMP_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

/// `onramp drafts new` with `answers` (JSON) as its answers file; returns the new draft's ID.
fn new_draft(data_dir: &std::path::Path, provider: &str, answers: &str) -> String {
    let file = data_dir.join(format!("answers-{provider}.json"));
    std::fs::write(&file, answers).unwrap();
    let args = [
        "drafts",
        "new",
        "--provider",
        provider,
        "--answers",
        file.to_str().unwrap(),
    ];
    stdout(&onramp(data_dir, &args)).trim().to_owned()
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

#[test]
fn a_draft_started_from_a_json_file_is_shown_searched_and_given_a_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let id = new_draft(
        dir.path(),
        "ukg-pro",
        r#"{"company": "Umbrella Clinics", "poc_email": "it@umbrella.example", "supervisor_module": true}"#,
    );

    let shown = stdout(&onramp(dir.path(), &["drafts", "show", &id]));
    assert!(
        shown.starts_with("Umbrella Clinics — HRIS UKG Pro"),
        "{shown}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&onramp(
        dir.path(),
        &["drafts", "show", &id, "--json"],
    )))
    .unwrap();
    assert_eq!(json["draft"]["answers"]["company"], "Umbrella Clinics");
    assert_eq!(json["providerName"], "UKG Pro");
    assert_eq!(json["readiness"]["ready"], false);
    assert!(
        shown.contains("Point of contact's email: it@umbrella.example"),
        "{shown}"
    );
    assert!(
        shown.contains("Does the company have the Supervisor module enabled in UKG Pro?: Yes"),
        "{shown}"
    );
    assert!(
        shown.contains("Screenshots › Connector (Web Services page): No screenshot attached yet."),
        "{shown}"
    );

    let found = stdout(&onramp(
        dir.path(),
        &["drafts", "list", "--search", "umbrel"],
    ));
    assert!(found.contains("Umbrella Clinics"), "{found}");
    let none = stdout(&onramp(
        dir.path(),
        &["drafts", "list", "--status", "submitted"],
    ));
    assert_eq!(none.trim(), "No drafts match.");

    // A real PNG: one pixel, written by hand.
    let png = dir.path().join("connector.png");
    std::fs::write(&png, one_pixel_png()).unwrap();
    let attached = stdout(&onramp(
        dir.path(),
        &[
            "drafts",
            "attach",
            &id,
            "--slot",
            "connector",
            png.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        attached.trim(),
        "Attached connector.png (1 × 1) as connector."
    );
    let shown = stdout(&onramp(dir.path(), &["drafts", "show", &id]));
    assert!(
        shown.contains("connector: connector.png (1 × 1)"),
        "{shown}"
    );

    let history = Onramp::open(
        dir.path(),
        Playbook::bundled().unwrap(),
        Box::new(SystemClock),
    )
    .unwrap()
    .history(id.parse().unwrap())
    .unwrap();
    assert!(
        history
            .iter()
            .all(|h| h.source == onramp_core::model::Source::Cli)
    );
}

#[test]
fn a_draft_exported_on_one_machine_is_imported_once_on_another() {
    let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let id = new_draft(here.path(), "okta", r#"{"company": "Initech Care"}"#);
    let png = here.path().join("Okta admin.png");
    std::fs::write(&png, one_pixel_png()).unwrap();
    stdout(&onramp(
        here.path(),
        &[
            "drafts",
            "attach",
            &id,
            "--slot",
            "sign_on",
            png.to_str().unwrap(),
        ],
    ));

    // Without -o the bundle is named for the draft, in the current directory.
    let exported = Command::new(env!("CARGO_BIN_EXE_onramp"))
        .args(["drafts", "export", &id])
        .env("ONRAMP_DATA_DIR", here.path())
        .current_dir(here.path())
        .output()
        .unwrap();
    assert_eq!(
        stdout(&exported).trim(),
        "Exported to initech-care-okta.onramp.zip."
    );
    let bundle = here.path().join("initech-care-okta.onramp.zip");

    let imported = stdout(&onramp(
        there.path(),
        &["drafts", "import", bundle.to_str().unwrap()],
    ));
    assert_eq!(
        imported.trim(),
        format!("Imported Initech Care — SSO Okta ({id}).")
    );
    let again = stdout(&onramp(
        there.path(),
        &["drafts", "import", bundle.to_str().unwrap()],
    ));
    assert_eq!(
        again.trim(),
        format!("Already here, nothing imported: Initech Care — SSO Okta ({id}).")
    );
    let shown = stdout(&onramp(there.path(), &["drafts", "show", &id]));
    assert!(shown.contains("sign_on: Okta admin.png (1 × 1)"), "{shown}");
    let listed: serde_json::Value = serde_json::from_str(&stdout(&onramp(
        there.path(),
        &["drafts", "list", "--json"],
    )))
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let other = there.path().join("copy.onramp.zip");
    stdout(&onramp(
        here.path(),
        &["drafts", "export", &id, "-o", other.to_str().unwrap()],
    ));
    let mut damaged = std::fs::read(&other).unwrap();
    damaged.truncate(damaged.len() - 30);
    std::fs::write(&other, damaged).unwrap();
    let refused = onramp(
        tempfile::tempdir().unwrap().path(),
        &["drafts", "import", other.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains(
            "this bundle cannot be imported: it is not an Onramp bundle, or only part of one"
        ),
        "{err}"
    );
}

#[test]
fn cli_mistakes_are_explained_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("answers.json");
    std::fs::write(&bad, "{\"company\": 42}").unwrap();
    let out = onramp(
        dir.path(),
        &[
            "drafts",
            "new",
            "--provider",
            "okta",
            "--answers",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("answers.json:1:15: expected an object of field IDs to answers"),
        "{err}"
    );

    let out = onramp(dir.path(), &["drafts", "list", "--status", "done"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown status `done`; expected one of: draft, ready, queued"),
        "{err}"
    );
}

fn one_pixel_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ]
}

#[test]
fn render_ticket_prints_the_summary_and_the_description_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let id = new_draft(
        dir.path(),
        "ukg-pro",
        r#"{"company": "Initech [Care]", "supervisor_module": true}"#,
    );

    let text = stdout(&onramp(dir.path(), &["render", "ticket", &id]));
    assert!(
        text.starts_with("Enable HRIS UKG Pro Integration for Initech [Care]\n\nHello team!"),
        "{text}"
    );
    assert!(
        text.contains("Does the company have the Supervisor module enabled in UKG Pro? | Yes"),
        "{text}"
    );

    let wiki = stdout(&onramp(
        dir.path(),
        &["render", "ticket", &id, "--format", "wiki"],
    ));
    assert!(
        wiki.contains("* *Company name:* Initech \\[Care\\]"),
        "{wiki}"
    );

    let adf: serde_json::Value = serde_json::from_str(&stdout(&onramp(
        dir.path(),
        &["render", "ticket", &id, "--format", "adf"],
    )))
    .unwrap();
    assert_eq!(
        adf["summary"],
        "Enable HRIS UKG Pro Integration for Initech [Care]"
    );
    assert_eq!(adf["description"]["type"], "doc");
    assert_eq!(adf["description"]["content"][0]["type"], "paragraph");
}

#[test]
fn the_meeting_invite_and_the_recap_are_exported_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let id = new_draft(
        dir.path(),
        "okta",
        r#"{"company": "Hooli", "csm_name": "Casey Morgan", "csm_email": "casey@medtrainer.example",
            "poc_name": "Jordan Lee", "poc_email": "jordan@hooli.example",
            "meeting_time_zone": "Europe/Paris", "meeting_at": "2026-10-25T02:30"}"#,
    );
    let show = stdout(&onramp(dir.path(), &["meeting", "show", &id]));
    // 25 October 2026: 02:30 happens twice in Paris; the first is CEST (UTC+2), and half an
    // hour later the clocks have gone back.
    assert!(
        show.contains("Customer's time: Sun 25 Oct 2026, 02:30 CEST–02:00 CET (Europe/Paris)"),
        "{show}"
    );
    assert!(
        show.contains("Attendee: Jordan Lee <jordan@hooli.example>"),
        "{show}"
    );

    let ics = dir.path().join("invite.ics");
    let ics_arg = ics.to_str().unwrap();
    let early = onramp(
        dir.path(),
        &["export", "ics", &id, "-o", ics_arg, "--cancel"],
    );
    assert!(!early.status.success());
    assert!(String::from_utf8_lossy(&early.stderr).contains("There is no invite to cancel"));
    assert!(stdout(&onramp(dir.path(), &["export", "ics", &id, "-o", ics_arg])).contains("Wrote"));
    let invite = std::fs::read_to_string(&ics).unwrap();
    assert!(invite.contains("METHOD:REQUEST\r\n"), "{invite}");
    assert!(invite.contains("DTSTART:20261025T003000Z\r\n"), "{invite}");
    assert!(invite.contains("SEQUENCE:0\r\n"), "{invite}");
    stdout(&onramp(
        dir.path(),
        &["export", "ics", &id, "-o", ics_arg, "--cancel"],
    ));
    let cancel = std::fs::read_to_string(&ics).unwrap();
    assert!(
        cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("SEQUENCE:1\r\n"),
        "{cancel}"
    );

    let eml = dir.path().join("recap.eml");
    let refused = onramp(
        dir.path(),
        &["export", "eml", &id, "-o", eml.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("once the meeting was held and its recording processed"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        !eml.exists(),
        "nothing is written when the export is refused"
    );
}

#[test]
fn sso_inspect_prints_the_metadata_and_what_to_ask() {
    let dir = tempfile::tempdir().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "Microsoft Azure Federated SSO Certificate",
    );
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    let cert = params
        .self_signed(&rcgen::KeyPair::generate().unwrap())
        .unwrap();
    let der = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, cert.der());
    let xml = format!(
        r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b/"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{der}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b/saml2"/></IDPSSODescriptor></EntityDescriptor>"#
    );
    let file = dir.path().join("federationmetadata.xml");
    std::fs::write(&file, xml).unwrap();
    let out = stdout(&onramp(
        dir.path(),
        &[
            "sso",
            "inspect",
            file.to_str().unwrap(),
            "--provider",
            "okta",
        ],
    ));
    assert!(
        out.contains("Entity ID: https://sts.windows.net/8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b/"),
        "{out}"
    );
    assert!(
        out.contains("SSO URL (HTTP-Redirect): https://login.microsoftonline.com/"),
        "{out}"
    );
    assert!(
        out.contains("Signing certificate: CN=Microsoft Azure Federated SSO Certificate"),
        "{out}"
    );
    assert!(
        out.contains("PROBLEM: The signing certificate expired on 1 Jan 2021."),
        "{out}"
    );
    assert!(
        out.contains("WARNING: This metadata is Microsoft Entra ID (Azure AD)'s, not Okta's"),
        "{out}"
    );

    std::fs::write(
        &file,
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
    )
    .unwrap();
    let refused = onramp(dir.path(), &["sso", "inspect", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("declares a DTD"));
}

/// As git takes commits: any unique start of a draft's ID; when several drafts start so, they
/// are listed. A provider mistyped is answered with the close ones.
#[test]
fn a_draft_is_named_by_any_unique_start_of_its_id_and_a_mistyped_provider_by_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let first = new_draft(dir.path(), "okta", r#"{"company": "Acme Health"}"#);
    let out = onramp(dir.path(), &["drafts", "show", &first[..8]]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("Acme Health"), "{}", stdout(&out));

    // Seventeen drafts: two of them start with the same hex digit, which names neither.
    let mut ids = vec![first];
    for _ in 0..16 {
        ids.push(new_draft(dir.path(), "okta", r#"{"company": "Globex"}"#));
    }
    let digit = (0..16)
        .map(|d| format!("{d:x}"))
        .find(|d| ids.iter().filter(|i| i.starts_with(d.as_str())).count() > 1)
        .unwrap();
    let out = onramp(dir.path(), &["drafts", "show", &digit]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("`{digit}` starts more than one draft's ID")),
        "{err}"
    );
    for id in ids.iter().filter(|i| i.starts_with(digit.as_str())) {
        assert!(err.contains(id.as_str()), "{err}");
    }

    // Twelve digits no draft starts with, but for a one-in-10^13 chance.
    let out = onramp(dir.path(), &["drafts", "show", "0123456789ab"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("draft `0123456789ab` does not exist"), "{err}");

    let out = onramp(dir.path(), &["drafts", "new", "--provider", "okt"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("provider `okt` does not exist; did you mean okta?"),
        "{err}"
    );
    for (typed, said) in [
        ("otka", "provider `otka` does not exist; did you mean okta?"),
        ("zzzz", "provider `zzzz` does not exist\n"),
    ] {
        let out = onramp(dir.path(), &["drafts", "new", "--provider", typed]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{err}");
    }
}
