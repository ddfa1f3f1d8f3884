//! The integration meeting and its recap, read back by parsers Onramp does not use: Python's
//! `icalendar` package for the invites and its standard `email` module for the recap
//! (`tests/parsers/inspect.py`), as a calendar or a mail client would read them.

use std::path::Path;

use crate::support::{ManualClock, answer_all, create, fill_everything, held_and_processed, open};
use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::drafts::{AnswerUpdate, DraftView};
use onramp_core::meeting::{MeetingOutcome, MeetingState, Outcome};
use onramp_core::recap::RecapEdit;
use serde_json::Value;

const HOSTILE: &str = "*ACME* {{x}} <b> [link](x) \"Ümlaut & Søn\"";

/// What the independent parser understood of `bytes`, written as `kind` (`ics` or `eml`).
fn inspect(kind: &str, bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("file.{kind}"));
    std::fs::write(&file, bytes).unwrap();
    let python = std::env::var("ONRAMP_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/parsers/inspect.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .arg(kind)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    assert!(
        out.status.success(),
        "the {kind} parser refused the file: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(bytes)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn set(onramp: &mut Onramp, view: &DraftView, field: &str, value: Option<AnswerValue>) {
    onramp
        .set_answer(&AnswerUpdate {
            draft_id: view.draft.id,
            field_id: field.into(),
            value,
        })
        .unwrap();
}

/// A draft with every answer, the meeting at `at` in `zone`, and a second attendee.
fn scheduled(onramp: &mut Onramp, provider: &str, zone: &str, at: &str) -> DraftView {
    let view = create(onramp, provider);
    // The Meeting step starts from the playbook; everything else gets a made-up answer.
    let defaults = view.draft.answers.clone();
    fill_everything(onramp, &view);
    for field in ["meeting_type", "meeting_agenda", "meeting_notes"] {
        set(onramp, &view, field, defaults.get(field).cloned());
    }
    answer_all(
        onramp,
        &view,
        &[
            ("company", HOSTILE),
            ("csm_name", "Casey Morgan"),
            ("csm_email", "casey@onramp.example"),
            ("poc_name", "Jane \"JJ\" Doe"),
            ("poc_email", "jane@acme.example"),
            ("meeting_time_zone", zone),
            ("meeting_at", at),
            ("meeting_minutes", "30"),
            (
                "meeting_attendees",
                "Ó'Brien, Seán <sean@acme.example>\nit@acme.example",
            ),
            ("meeting_link", "https://meet.example/abc-defg"),
        ],
    );
    view
}

fn utc_of(onramp: &mut Onramp, zone: &str, at: &str) -> (String, String) {
    let view = scheduled(onramp, "okta", zone, at);
    let ics = inspect(
        "ics",
        &onramp.export_invite(view.draft.id, false).unwrap().bytes,
    );
    let event = &ics["events"][0];
    (
        event["start"].as_str().unwrap().to_owned(),
        event["end"].as_str().unwrap().to_owned(),
    )
}

#[test]
#[cfg_attr(
    windows,
    ignore = "reads the file back with Python's parsers, from the venv `cargo xtask` makes for Linux, which a Windows build (under Wine) cannot start"
)]
fn invites_place_the_meeting_in_utc_whatever_the_zone_and_the_season() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let cases = [
        // 8 March 2026: the US switches to summer time at 02:00; 10:00 is already EDT (UTC-4).
        (
            "America/New_York",
            "2026-03-08T10:00",
            "2026-03-08T14:00:00Z",
            "2026-03-08T14:30:00Z",
        ),
        // The day before, still EST (UTC-5).
        (
            "America/New_York",
            "2026-03-07T10:00",
            "2026-03-07T15:00:00Z",
            "2026-03-07T15:30:00Z",
        ),
        // 29 March 2026: the UK switches at 01:00 UTC; 09:00 is BST (UTC+1).
        (
            "Europe/London",
            "2026-03-29T09:00",
            "2026-03-29T08:00:00Z",
            "2026-03-29T08:30:00Z",
        ),
        // 1 November 2026, 01:30 happens twice in New York: the first one, EDT, as calendars do.
        (
            "America/New_York",
            "2026-11-01T01:30",
            "2026-11-01T05:30:00Z",
            "2026-11-01T06:00:00Z",
        ),
        // Southern hemisphere: Sydney leaves summer time on 5 April 2026 (AEST, UTC+10).
        (
            "Australia/Sydney",
            "2026-04-05T09:00",
            "2026-04-04T23:00:00Z",
            "2026-04-04T23:30:00Z",
        ),
        // A half-hour zone, and a meeting that crosses midnight UTC.
        (
            "Asia/Kolkata",
            "2026-06-01T05:15",
            "2026-05-31T23:45:00Z",
            "2026-06-01T00:15:00Z",
        ),
    ];
    for (zone, at, start, end) in cases {
        assert_eq!(
            utc_of(&mut onramp, zone, at),
            (start.to_owned(), end.to_owned()),
            "{zone} {at}"
        );
    }
}

#[test]
#[cfg_attr(
    windows,
    ignore = "reads the file back with Python's parsers, from the venv `cargo xtask` makes for Linux, which a Windows build (under Wine) cannot start"
)]
fn an_invite_says_who_what_and_where_in_rfc_5545() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let view = scheduled(&mut onramp, "okta", "America/Chicago", "2026-12-03T15:00");
    let file = onramp.export_invite(view.draft.id, false).unwrap();
    assert!(
        file.file_name().ends_with("-okta-meeting.ics"),
        "{}",
        file.file_name()
    );
    let ics = inspect("ics", &file.bytes);
    assert_eq!(ics["method"], "REQUEST");
    assert_eq!(ics["version"], "2.0");
    let event = &ics["events"][0];
    assert_eq!(event["sequence"], 0);
    assert_eq!(event["dtstamp"], "2026-11-25T09:00:00Z");
    assert_eq!(event["start"], "2026-12-03T21:00:00Z");
    assert_eq!(event["status"], "CONFIRMED");
    assert_eq!(event["url"], "https://meet.example/abc-defg");
    assert_eq!(
        event["summary"],
        format!("SSO/HRIS Meeting Outreach: Okta SSO for {HOSTILE}")
    );
    let description = event["description"].as_str().unwrap();
    assert!(
        description.contains("Okta SSO integration"),
        "{description}"
    );
    assert_eq!(event["organizer"]["address"], "mailto:casey@onramp.example");
    assert_eq!(event["organizer"]["cn"], "Casey Morgan");
    let attendees: Vec<(&str, Option<&str>)> = event["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["rsvp"], "TRUE");
            assert_eq!(a["role"], "REQ-PARTICIPANT");
            (a["address"].as_str().unwrap(), a["cn"].as_str())
        })
        .collect();
    // A double quote cannot stand in a parameter value (RFC 5545 §3.1): it becomes '.
    assert_eq!(
        attendees,
        [
            ("mailto:jane@acme.example", Some("Jane 'JJ' Doe")),
            ("mailto:sean@acme.example", Some("Ó'Brien, Seán")),
            ("mailto:it@acme.example", None),
        ]
    );
}

#[test]
#[cfg_attr(
    windows,
    ignore = "reads the file back with Python's parsers, from the venv `cargo xtask` makes for Linux, which a Windows build (under Wine) cannot start"
)]
fn every_change_and_the_cancellation_raise_the_sequence_of_one_uid() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let view = scheduled(&mut onramp, "gusto", "Europe/Berlin", "2026-12-03T10:00");
    let id = view.draft.id;
    let cancel = onramp.export_invite(id, true).unwrap_err().to_string();
    assert!(cancel.contains("There is no invite to cancel"), "{cancel}");

    let mut sequences = Vec::new();
    let mut export = |onramp: &mut Onramp, cancel: bool| {
        clock.advance_minutes(5);
        let ics = inspect("ics", &onramp.export_invite(id, cancel).unwrap().bytes);
        let event = ics["events"][0].clone();
        sequences.push((
            ics["method"].as_str().unwrap().to_owned(),
            event["sequence"].as_u64().unwrap(),
            event["start"].as_str().unwrap().to_owned(),
        ));
        event["uid"].as_str().unwrap().to_owned()
    };
    let uid = export(&mut onramp, false);
    // The same invite again (the CSM lost the file) is the same revision.
    assert_eq!(export(&mut onramp, false), uid);
    answer_all(&mut onramp, &view, &[("meeting_at", "2026-12-03T11:00")]);
    assert_eq!(export(&mut onramp, false), uid);
    // After a no-show the CSM reschedules: history keeps the old time, the invite moves.
    onramp
        .record_meeting_outcome(&MeetingOutcome {
            draft_id: id,
            outcome: Outcome::NoShow,
        })
        .unwrap();
    let planned = onramp
        .record_meeting_outcome(&MeetingOutcome {
            draft_id: id,
            outcome: Outcome::Rescheduled,
        })
        .unwrap();
    assert_eq!(planned.state, MeetingState::Planned);
    answer_all(&mut onramp, &view, &[("meeting_at", "2026-12-10T11:00")]);
    assert_eq!(export(&mut onramp, false), uid);
    assert_eq!(export(&mut onramp, true), uid);
    assert_eq!(
        sequences,
        [
            ("REQUEST".into(), 0, "2026-12-03T09:00:00Z".into()),
            ("REQUEST".into(), 0, "2026-12-03T09:00:00Z".into()),
            ("REQUEST".into(), 1, "2026-12-03T10:00:00Z".into()),
            ("REQUEST".into(), 2, "2026-12-10T10:00:00Z".into()),
            ("CANCEL".into(), 3, "2026-12-10T10:00:00Z".into()),
        ]
    );
    let view = onramp.meeting(id).unwrap();
    assert_eq!(view.state, MeetingState::Cancelled);
    let history: Vec<&str> = view.history.iter().map(|n| n.what.as_str()).collect();
    assert_eq!(
        history,
        [
            "Invite sent for Thu 3 Dec 2026, 10:00–10:30 CET",
            "Invite sent again for Thu 3 Dec 2026, 10:00–10:30 CET",
            "Updated invite sent for Thu 3 Dec 2026, 11:00–11:30 CET",
            "The customer did not come (Thu 3 Dec 2026, 11:00–11:30 CET)",
            "Rescheduled from Thu 3 Dec 2026, 11:00–11:30 CET: enter the new time and send the updated invite",
            "Updated invite sent for Thu 10 Dec 2026, 11:00–11:30 CET",
            "Meeting cancelled (Thu 10 Dec 2026, 11:00–11:30 CET)",
        ]
    );
}

#[test]
fn the_meeting_reads_in_the_customers_time_and_the_csms() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new())
        .with_local_time_zone(jiff::tz::TimeZone::get("Europe/Berlin").unwrap());
    let view = create(&mut onramp, "okta");
    let meeting = onramp.meeting(view.draft.id).unwrap();
    assert!(meeting.times.is_none());
    assert!(
        meeting
            .problems
            .iter()
            .any(|p| p == "Enter the meeting's date and time."),
        "{:?}",
        meeting.problems
    );
    let view = scheduled(&mut onramp, "okta", "America/New_York", "2026-03-09T10:00");
    let times = onramp.meeting(view.draft.id).unwrap().times.unwrap();
    assert_eq!(
        times.customer,
        "Mon 9 Mar 2026, 10:00–10:30 EDT (America/New_York)"
    );
    assert_eq!(
        times.local,
        "Mon 9 Mar 2026, 15:00–15:30 CET (Europe/Berlin)"
    );

    answer_all(&mut onramp, &view, &[("meeting_at", "2026-03-08T02:30")]);
    let problems = onramp.meeting(view.draft.id).unwrap().problems;
    assert!(
        problems[0].contains("02:30 does not exist in America/New_York"),
        "{problems:?}"
    );
}

/// Held, recording processed: the recap is available.
fn held(onramp: &mut Onramp, view: &DraftView) {
    onramp.export_invite(view.draft.id, false).unwrap();
    held_and_processed(onramp, view.draft.id);
}

#[test]
#[cfg_attr(
    windows,
    ignore = "reads the file back with Python's parsers, from the venv `cargo xtask` makes for Linux, which a Windows build (under Wine) cannot start"
)]
fn the_recap_waits_for_the_recording_then_parses_as_mime_with_the_one_pager() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = scheduled(&mut onramp, "gusto", "America/Denver", "2026-12-03T09:00");
    let id = view.draft.id;
    set(&mut onramp, &view, "upsell", Some(AnswerValue::Bool(true)));
    set(
        &mut onramp,
        &view,
        "meeting_notes",
        Some(AnswerValue::Text("Go live on 1 February.".into())),
    );
    // A question the customer still has to answer shows up as a missing detail.
    set(&mut onramp, &view, "create_new_hires", None);
    let early = onramp.recap(id).unwrap_err().to_string();
    assert!(
        early.contains("once the meeting was held and its recording processed"),
        "{early}"
    );
    onramp.export_invite(id, false).unwrap();
    onramp
        .record_meeting_outcome(&MeetingOutcome {
            draft_id: id,
            outcome: Outcome::Held,
        })
        .unwrap();
    assert!(
        onramp.recap(id).is_err(),
        "the recording is not processed yet"
    );
    assert!(onramp.mark_recording_processed(id).unwrap().recap_available);

    let file = onramp.export_recap(id).unwrap();
    assert!(
        file.file_name().ends_with("-gusto-recap.eml"),
        "{}",
        file.file_name()
    );
    let eml = inspect("eml", &file.bytes);
    assert_eq!(eml["x_unsent"], "1");
    assert_eq!(eml["mime_version"], "1.0");
    assert_eq!(eml["type"], "multipart/mixed");
    assert_eq!(
        eml["subject"],
        format!("Gusto HRIS integration for {HOSTILE}: recap of our meeting")
    );
    assert_eq!(eml["from"][0]["name"], "Casey Morgan");
    assert_eq!(eml["from"][0]["address"], "casey@onramp.example");
    let to: Vec<(&str, &str)> = eml["to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["address"].as_str().unwrap()))
        .collect();
    assert_eq!(
        to,
        [
            ("Jane \"JJ\" Doe", "jane@acme.example"),
            ("Ó'Brien, Seán", "sean@acme.example"),
            ("", "it@acme.example")
        ]
    );
    let parts = eml["parts"].as_array().unwrap();
    let part = |t: &str| {
        parts
            .iter()
            .find(|p| p["type"] == t)
            .unwrap_or_else(|| panic!("no {t} in {parts:?}"))
    };
    assert_eq!(
        part("multipart/alternative")["type"],
        "multipart/alternative"
    );
    let text = part("text/plain")["text"].as_str().unwrap();
    for expected in [
        "Hello Jane \"JJ\" Doe,",
        "on Thu 3 Dec 2026, 09:00–09:30 MST",
        "Go live on 1 February.",
        "What we still need from you:\n- Should new hires be created in the LMS automatically?\n- Connector",
        "Creating employees manually in the Employee Center risks duplicated accounts and wrong assignments",
        "Attached is our HRIS integration One-Pager (one-pager.pdf).",
        "Casey Morgan\nMedTrainer",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let html = part("text/html")["text"].as_str().unwrap();
    assert!(html.contains("Hello Jane &quot;JJ&quot; Doe,"), "{html}");
    let pdf = part("application/pdf");
    assert_eq!(pdf["filename"], "one-pager.pdf");
    assert_eq!(pdf["disposition"], "attachment");
    let bundled = onramp.playbook().one_pager().unwrap().1;
    assert_eq!(pdf["sha256"], sha256(bundled));
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

#[test]
#[cfg_attr(
    windows,
    ignore = "reads the file back with Python's parsers, from the venv `cargo xtask` makes for Linux, which a Windows build (under Wine) cannot start"
)]
fn no_one_pager_without_an_upsell_and_edits_are_kept_until_reset() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let view = scheduled(&mut onramp, "okta", "Asia/Tokyo", "2026-12-03T09:00");
    let id = view.draft.id;
    set(&mut onramp, &view, "upsell", Some(AnswerValue::Bool(false)));
    held(&mut onramp, &view);
    let recap = onramp.recap(id).unwrap();
    assert_eq!(recap.attachment, None);
    assert!(!recap.edited);
    let eml = inspect("eml", &onramp.export_recap(id).unwrap().bytes);
    assert_eq!(eml["type"], "multipart/alternative");

    let blank = onramp
        .save_recap(&RecapEdit {
            draft_id: id,
            subject: " ".into(),
            body: "x".into(),
        })
        .unwrap_err();
    assert!(blank.to_string().contains("Write a subject"), "{blank}");
    let body = "Hi Jane,\n\nAs agreed: SSO only — ça marche.\n";
    onramp
        .save_recap(&RecapEdit {
            draft_id: id,
            subject: "Recap — SSO für Ümlaut".into(),
            body: body.into(),
        })
        .unwrap();
    drop(onramp);
    let mut onramp = open(dir.path(), &clock);
    let recap = onramp.recap(id).unwrap();
    assert!(recap.edited);
    let eml = inspect("eml", &onramp.export_recap(id).unwrap().bytes);
    assert_eq!(eml["subject"], "Recap — SSO für Ümlaut");
    let text = eml["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == "text/plain")
        .unwrap();
    assert_eq!(text["text"], body);
    assert!(!onramp.reset_recap(id).unwrap().edited);
}

#[test]
fn mailto_links_carry_the_recap_or_say_it_is_too_long() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = scheduled(&mut onramp, "okta", "UTC", "2026-12-03T09:00");
    let id = view.draft.id;
    held(&mut onramp, &view);
    onramp
        .save_recap(&RecapEdit {
            draft_id: id,
            subject: "Recap & next steps".into(),
            body: "Hi Jane,\nsee you?".into(),
        })
        .unwrap();
    let link = onramp.recap_mailto(id).unwrap();
    assert_eq!(
        link,
        "mailto:jane@acme.example,sean@acme.example,it@acme.example?subject=Recap%20%26%20next%20steps&body=Hi%20Jane%2C%0D%0Asee%20you%3F"
    );
    onramp
        .save_recap(&RecapEdit {
            draft_id: id,
            subject: "Recap".into(),
            body: "word ".repeat(600),
        })
        .unwrap();
    let long = onramp.recap_mailto(id).unwrap_err().to_string();
    assert!(long.contains("too long for a mailto link"), "{long}");
    assert!(
        long.contains("Export it as an .eml file or copy it instead"),
        "{long}"
    );
}

/// One verdict on a meeting time: one the clocks skip in the customer's zone is an open item on
/// readiness (and so on the drafts home and at queueing), as the Meeting step and the invite
/// refuse it; a real time on the same day is fine again.
#[test]
fn a_meeting_time_the_clocks_skip_is_an_open_item_until_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "okta");
    fill_everything(&mut onramp, &view);
    let set = |onramp: &mut Onramp, field: &str, value: &str| {
        onramp
            .set_answer(&crate::support::answer(&view, field, value))
            .unwrap();
    };
    set(&mut onramp, "meeting_time_zone", "America/New_York");
    set(&mut onramp, "meeting_at", "2027-03-14T02:30");
    let readiness = onramp.open_draft(view.draft.id).unwrap().readiness;
    assert!(!readiness.ready);
    let issue = readiness
        .steps
        .iter()
        .flat_map(|s| &s.issues)
        .find(|i| i.field_id == "meeting_at")
        .expect("the skipped time is an open item");
    assert!(
        issue
            .message
            .starts_with("02:30 does not exist in America/New_York that day"),
        "{}",
        issue.message
    );
    let home = onramp
        .drafts_home(&onramp_core::model::DraftQuery::default())
        .unwrap();
    let open = home.drafts[0].open_items;
    assert_eq!(open, readiness.open_items());
    assert!(onramp.queue_submission(view.draft.id).is_err());

    set(&mut onramp, "meeting_at", "2027-03-14T03:30");
    assert!(onramp.open_draft(view.draft.id).unwrap().readiness.ready);
}
