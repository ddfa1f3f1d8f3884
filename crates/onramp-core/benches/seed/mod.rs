//! The store at the size of a busy CSM's years, shared by the benchmarks.

#![allow(dead_code)] // each benchmark uses its own part

use std::path::Path;

use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::clock::SystemClock;
use onramp_core::drafts::AnswerUpdate;
use onramp_core::model::DraftId;
use onramp_core::playbook::Playbook;

pub const DRAFTS: usize = 10_000;
/// Account answers every draft has: 5 × 10,000 = 50,000.
pub const ANSWERS: [&str; 5] = [
    "company",
    "lms_account_id",
    "csm_name",
    "poc_name",
    "poc_email",
];

/// A data directory with `DRAFTS` drafts (see `seeded_with`).
pub fn seeded(dir: &Path) -> Onramp {
    seeded_with(dir, DRAFTS)
}

/// A data directory with `drafts` drafts, as an installation from before search existed leaves
/// it once upgraded: the rows written in one transaction at schema 1 (the API would take
/// minutes), then the core's migrations and its search index built when it opens.
pub fn seeded_with(dir: &Path, drafts: usize) -> Onramp {
    let mut conn = rusqlite::Connection::open(dir.join("onramp.db")).unwrap();
    conn.execute_batch(include_str!("../../src/store/migrations/0001_drafts.sql"))
        .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let tx = conn.transaction().unwrap();
    for n in 0..drafts {
        let id = DraftId::new().to_string();
        let (kind, provider) = if n % 2 == 0 {
            ("sso", "okta")
        } else {
            ("hris", "ukg-pro")
        };
        tx.execute(
            "INSERT INTO drafts (id, kind, provider_id, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'draft', ?4, ?4)",
            rusqlite::params![
                id,
                kind,
                provider,
                1_764_000_000_000_i64 + i64::try_from(n).unwrap()
            ],
        )
        .unwrap();
        for field in ANSWERS {
            let value = serde_json::to_string(&format!("{field} of customer {n}")).unwrap();
            tx.execute(
                "INSERT INTO answers (draft_id, field_id, value, updated_at) VALUES (?1, ?2, ?3, 0)",
                rusqlite::params![id, field, value],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(conn);
    open(dir)
}

pub fn open(dir: &Path) -> Onramp {
    Onramp::open(dir, Playbook::bundled().unwrap(), Box::new(SystemClock)).unwrap()
}

/// One autosave of the contact's name, the `n`th different value: each save is a real change.
pub fn autosave(onramp: &mut Onramp, id: DraftId, n: u64) {
    onramp
        .set_answer(&AnswerUpdate {
            draft_id: id,
            field_id: "poc_name".into(),
            value: Some(AnswerValue::Text(format!("Dana Ruiz {n}"))),
        })
        .unwrap();
}
