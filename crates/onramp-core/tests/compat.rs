//! A data directory written by Onramp 0.1.0 opens with today's code and shows the same drafts,
//! history, submissions, meetings, tickets and checks (see `fixtures/v0.1.0/README.md`).

use std::path::Path;

use crate::support::{ManualClock, open};
use onramp_core::model::{DraftId, DraftQuery};
use serde_json::{Value, json};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn strip(v: &mut Value, keys: &[&str]) {
    match v {
        Value::Object(map) => {
            for key in keys {
                map.remove(*key);
            }
            map.values_mut().for_each(|v| strip(v, keys));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip(v, keys)),
        _ => {}
    }
}

/// Where `old` says something `new` does not say the same: every key of an object in `old` must
/// be in `new` with a matching value; new keys are fine (views grow), lists must match item by item.
fn differences(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => differences(&format!("{path}.{key}"), value, other, out),
                    None => out.push(format!("{path}.{key} is gone")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (n, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&format!("{path}[{n}]"), x, y, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: was {a}, is now {b}")),
    }
}

#[test]
fn a_data_directory_from_version_0_1_0_shows_the_same_drafts() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v0.1.0");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture.join("data"), dir.path());
    let old: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("shown.json")).unwrap())
            .unwrap();

    let o = open(dir.path(), &ManualClock::new()).with_local_time_zone(jiff::tz::TimeZone::UTC);
    let mut drafts = Vec::new();
    for draft in old["drafts"].as_array().unwrap() {
        let id: DraftId = draft["id"].as_str().unwrap().parse().unwrap();
        let mut view = json!(o.open_draft(id).unwrap());
        // The steps come from the playbook, not from the database.
        view.as_object_mut().unwrap().remove("steps");
        let mut d = json!({
            "id": id,
            "view": view,
            "history": o.history(id).unwrap(),
            "submission": o.submission(id).unwrap(),
        });
        for (key, value) in [
            ("meeting", o.meeting(id).map(|v| json!(v))),
            ("ticket", o.ticket(id).map(|v| json!(v))),
            ("ssoChecks", o.sso_checks(id).map(|v| json!(v))),
            ("recap", o.recap(id).map(|v| json!(v))),
            ("supportMessage", o.support_message(id).map(|v| json!(v))),
        ] {
            if let Ok(value) = value {
                d[key] = value;
            }
        }
        drafts.push(d);
    }
    let mut new = json!({
        "home": o.drafts_home(&DraftQuery::default()).unwrap(),
        "trash": o.drafts_home(&DraftQuery { trash: true, ..DraftQuery::default() }).unwrap(),
        "outbox": o.outbox().unwrap(),
        "settings": o.settings().map_or(Value::Null, |s| json!(s.settings)),
        "drafts": drafts,
    });
    drop(o);
    strip(&mut new, &["thumbnail"]);

    let mut found = Vec::new();
    differences("", &old, &new, &mut found);
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(
        old["drafts"].as_array().unwrap().len(),
        5,
        "the fixture holds five drafts"
    );
    // 0.1.0 wrote schema 8; opening it migrated it to today's, after a copy of the file as it was.
    let backups: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let version = |path: &Path| -> u32 {
        rusqlite::Connection::open(path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&backups[0]), 8, "the copy is 0.1.0's file");
    assert_eq!(version(&dir.path().join("onramp.db")), 14);
}
