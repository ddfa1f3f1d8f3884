//! Draft bundles between two real data directories ("two machines"): the round trip, a second
//! import of the same bundle, and every way a damaged or foreign bundle is refused.

use std::io::{Cursor, Read, Write};

use crate::support::{ManualClock, answer, answer_all, create, open, picture, slot};
use image::ImageFormat;
use onramp_core::drafts::{DraftView, Escalation};
use onramp_core::model::{DraftQuery, DraftStatus};
use onramp_core::model::{Event, Source};
use onramp_core::{ErrorCode, Onramp};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

/// A UKG Pro draft with answers, both required screenshots and an escalation.
fn prepared(onramp: &mut Onramp, clock: &ManualClock) -> DraftView {
    let view = create(onramp, "ukg-pro");
    answer_all(
        onramp,
        &view,
        &[("company", "Acme Health"), ("poc_email", "it@acme.example")],
    );
    clock.advance_minutes(5);
    for (slot_id, name, format) in [
        ("connector", "connector.jpg", ImageFormat::Jpeg),
        ("consent_agreement", "consent.webp", ImageFormat::WebP),
    ] {
        onramp
            .attach_screenshot(&slot(&view, slot_id), name, &picture(format))
            .unwrap();
    }
    onramp
        .set_escalation(&Escalation {
            draft_id: view.draft.id,
            note: Some("Customer's ADP tenant is shared".into()),
        })
        .unwrap();
    onramp.open_draft(view.draft.id).unwrap()
}

/// Two data directories ("machines") on one clock: drafts are made on `source`, imported on
/// `target`.
struct TwoMachines {
    _dirs: [tempfile::TempDir; 2],
    clock: ManualClock,
    source: Onramp,
    target: Onramp,
}

fn two_machines() -> TwoMachines {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let clock = ManualClock::new();
    TwoMachines {
        source: open(dirs[0].path(), &clock),
        target: open(dirs[1].path(), &clock),
        clock,
        _dirs: dirs,
    }
}

fn all_drafts(onramp: &Onramp) -> usize {
    onramp.list_drafts(&DraftQuery::default()).unwrap().len()
}

/// The bundle's entries, with `change` applied to them, written back as a zip.
fn rewritten(bundle: &[u8], change: impl Fn(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut zip = ZipArchive::new(Cursor::new(bundle)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        entries.push((file.name().unwrap().into_owned(), bytes));
    }
    change(&mut entries);
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        out.start_file(name, SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The bundle with `from` replaced by `to` in draft.json and the manifest's hash updated to
/// match: what someone would have to do to make a bundle say something else and still pass.
fn resealed(bundle: &[u8], from: &str, to: &str) -> Vec<u8> {
    use sha2::Digest as _;
    rewritten(bundle, |entries| {
        let draft = entry(entries, "draft.json");
        let text = String::from_utf8(draft.clone()).unwrap();
        assert!(text.contains(from), "draft.json has no {from}");
        *draft = text.replace(from, to).into_bytes();
        let hash = sha2::Sha256::digest(&*draft)
            .iter()
            .fold(String::new(), |mut hex, b| {
                use std::fmt::Write as _;
                write!(hex, "{b:02x}").unwrap();
                hex
            });
        let manifest = entry(entries, "manifest.json");
        let mut json: serde_json::Value = serde_json::from_slice(manifest).unwrap();
        for file in json["files"].as_array_mut().unwrap() {
            if file["path"] == "draft.json" {
                file["sha256"] = hash.clone().into();
            }
        }
        *manifest = serde_json::to_vec(&json).unwrap();
    })
}

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries
        .iter_mut()
        .find(|(n, _)| n.starts_with(name))
        .unwrap()
        .1
}

fn refusal(onramp: &mut Onramp, bundle: &[u8]) -> String {
    let err = onramp.import_bundle(bundle).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert_eq!(all_drafts(onramp), 0, "a refused bundle imported something");
    err.to_string()
}

#[test]
fn a_bundle_carries_answers_screenshots_status_and_history_to_another_machine() {
    let TwoMachines {
        _dirs: dirs,
        clock,
        mut source,
        mut target,
    } = two_machines();
    let original = prepared(&mut source, &clock);
    let file = dirs[0].path().join("acme.onramp.zip");
    source.export_bundle_to(original.draft.id, &file).unwrap();

    clock.advance_minutes(60);
    let imported = target.import_bundle_file(&file).unwrap();
    assert_eq!(imported.draft_id, original.draft.id);
    assert!(!imported.already_present);

    let copy = target.open_draft(original.draft.id).unwrap();
    assert_eq!(copy.draft.answers, original.draft.answers);
    assert_eq!(copy.draft.status, DraftStatus::Escalated);
    assert_eq!(
        copy.draft.status_note.as_deref(),
        Some("Customer's ADP tenant is shared")
    );
    assert_eq!(copy.draft.created_at, original.draft.created_at);
    assert_eq!(copy.readiness, original.readiness);
    let shots = |v: &DraftView| {
        v.screenshots
            .iter()
            .map(|s| (s.slot_id.clone(), s.file_name.clone(), s.sha256.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(shots(&copy), shots(&original));
    let full_size = target.screenshot_png(&slot(&copy, "connector")).unwrap();
    assert_eq!(
        full_size,
        source
            .screenshot_png(&slot(&original, "connector"))
            .unwrap()
    );

    let before = source.history(original.draft.id).unwrap();
    let after = target.history(original.draft.id).unwrap();
    assert_eq!(&after[..before.len()], &before[..]);
    let last = after.last().unwrap();
    assert_eq!((last.event, last.source), (Event::Imported, Source::Import));
    assert_eq!(
        target
            .list_drafts(&DraftQuery {
                search: Some("acme".into()),
                ..DraftQuery::default()
            })
            .unwrap()
            .len(),
        1,
        "the imported draft is found by search"
    );
}

#[test]
fn importing_the_same_bundle_twice_keeps_one_draft_and_changes_nothing() {
    let TwoMachines {
        _dirs,
        clock,
        mut source,
        mut target,
    } = two_machines();
    let original = prepared(&mut source, &clock);
    let bundle = source.export_bundle(original.draft.id).unwrap();

    assert!(!target.import_bundle(&bundle).unwrap().already_present);
    let first = target.open_draft(original.draft.id).unwrap();
    clock.advance_minutes(10);
    let again = target.import_bundle(&bundle).unwrap();
    assert!(again.already_present);
    assert_eq!(again.draft_id, original.draft.id);
    assert_eq!(all_drafts(&target), 1);
    let second = target.open_draft(original.draft.id).unwrap();
    assert_eq!(second.draft.updated_at, first.draft.updated_at);
    assert_eq!(
        target.history(original.draft.id).unwrap().len(),
        source.history(original.draft.id).unwrap().len() + 1
    );
    // Importing a draft onto the machine it came from is the same case.
    assert!(source.import_bundle(&bundle).unwrap().already_present);
}

#[test]
fn a_queued_request_comes_back_as_a_draft_because_its_outbox_stayed_behind() {
    // The status a bundle says is what decides; write one with `queued` by hand.
    let TwoMachines {
        _dirs,
        clock: _,
        mut source,
        mut target,
    } = two_machines();
    let view = create(&mut source, "okta");
    let bundle = source.export_bundle(view.draft.id).unwrap();
    let queued = resealed(&bundle, "\"status\": \"draft\"", "\"status\": \"queued\"");
    target.import_bundle(&queued).unwrap();
    assert_eq!(
        target.open_draft(view.draft.id).unwrap().draft.status,
        DraftStatus::Draft
    );
}

/// Ways a bundle arrives broken or foreign: what happened, the bytes, and the message expected.
fn damaged(bundle: &[u8]) -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "an edited answer",
            rewritten(bundle, |e| {
                let draft = entry(e, "draft.json");
                let text = String::from_utf8(draft.clone()).unwrap();
                *draft = text.replace("Acme Health", "Evil Health").into_bytes();
            }),
            "this bundle cannot be imported: `draft.json` does not match the hash in its manifest: the file was damaged or changed after it was exported",
        ),
        (
            "a flipped byte in a screenshot",
            rewritten(bundle, |e| {
                let png = entry(e, "screenshots/");
                let middle = png.len() / 2;
                png[middle] ^= 0xff;
            }),
            "does not match the hash in its manifest: the file was damaged or changed after it was exported",
        ),
        (
            "a screenshot taken out",
            rewritten(bundle, |e| {
                e.retain(|(n, _)| !n.starts_with("screenshots/"));
            }),
            "is missing from it",
        ),
        (
            "a file slipped in",
            rewritten(bundle, |e| {
                e.push(("run-me.sh".into(), b"rm -rf ~".to_vec()));
            }),
            "this bundle cannot be imported: it contains `run-me.sh`, which its manifest does not list; the bundle was changed after it was exported",
        ),
        (
            "the manifest taken out",
            rewritten(bundle, |e| e.retain(|(n, _)| n != "manifest.json")),
            "this bundle cannot be imported: `manifest.json` is missing from it",
        ),
        (
            "a bundle from a newer Onramp",
            rewritten(bundle, |e| {
                let manifest = entry(e, "manifest.json");
                let text = String::from_utf8(manifest.clone()).unwrap();
                *manifest = text
                    .replace("\"version\": 1", "\"version\": 7")
                    .into_bytes();
            }),
            "this bundle cannot be imported: it was made by a newer version of Onramp (bundle version 7, this version reads 1); update Onramp to import it",
        ),
        (
            "a byte flipped in transit",
            {
                let mut damaged = bundle.to_vec();
                // The middle of the file is inside a stored screenshot.
                let middle = damaged.len() / 2;
                damaged[middle] ^= 0xff;
                damaged
            },
            "is damaged (",
        ),
        (
            "a cut-off download",
            bundle[..bundle.len() / 2].to_vec(),
            "this bundle cannot be imported: it is not an Onramp bundle, or only part of one (it cannot be read as a zip file)",
        ),
        (
            "a picture instead of a bundle",
            picture(ImageFormat::Png),
            "this bundle cannot be imported: it is not an Onramp bundle, or only part of one (it cannot be read as a zip file)",
        ),
        (
            "some other zip",
            rewritten(bundle, |e| {
                e.clear();
                e.push(("manifest.json".into(), br#"{"name":"my-app"}"#.to_vec()));
            }),
            "this bundle cannot be imported: it is not an Onramp bundle (manifest.json: unknown field `name`",
        ),
    ]
}

#[test]
fn a_damaged_or_foreign_bundle_is_refused_with_the_reason_and_imports_nothing() {
    let TwoMachines {
        _dirs: dirs,
        clock,
        mut source,
        mut target,
    } = two_machines();
    let original = prepared(&mut source, &clock);
    let bundle = source.export_bundle(original.draft.id).unwrap();

    for (what, bytes, expected) in damaged(&bundle) {
        let message = refusal(&mut target, &bytes);
        assert!(
            message.contains(expected),
            "{what}:\n  expected: {expected}\n  actual:   {message}"
        );
    }
    assert!(
        !dirs[1].path().join("blobs").exists()
            || std::fs::read_dir(dirs[1].path().join("blobs"))
                .unwrap()
                .count()
                == 0,
        "a refused bundle left screenshots behind"
    );
}

#[test]
fn a_bundle_for_a_provider_this_playbook_lacks_is_refused() {
    let TwoMachines {
        _dirs,
        clock: _,
        mut source,
        mut target,
    } = two_machines();
    let view = create(&mut source, "okta");
    let bundle = source.export_bundle(view.draft.id).unwrap();
    let foreign = resealed(
        &bundle,
        "\"providerId\": \"okta\"",
        "\"providerId\": \"auth0\"",
    );
    assert_eq!(
        refusal(&mut target, &foreign),
        "this bundle cannot be imported: it is for the SSO provider `auth0`, which this playbook does not have; update the playbook first"
    );
}

#[test]
fn the_bundle_file_is_named_for_the_company_and_provider_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let view = create(&mut onramp, "entra-id");
    let out = tempfile::tempdir().unwrap();
    let name = |p: std::path::PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    let first = onramp
        .export_bundle_into(view.draft.id, out.path())
        .unwrap();
    assert_eq!(name(first), "draft-entra-id.onramp.zip");
    onramp
        .set_answer(&answer(&view, "company", "St. Mary's Clinic / Nord"))
        .unwrap();
    let named = onramp
        .export_bundle_into(view.draft.id, out.path())
        .unwrap();
    assert_eq!(name(named), "st-mary-s-clinic-nord-entra-id.onramp.zip");
    let again = onramp
        .export_bundle_into(view.draft.id, out.path())
        .unwrap();
    assert_eq!(name(again), "st-mary-s-clinic-nord-entra-id (2).onramp.zip");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 3);
}
