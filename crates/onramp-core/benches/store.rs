//! The local store at the size of a busy CSM's years: 10,000 drafts and 50,000 answers.
//! Run with `cargo xtask bench`.

#![allow(clippy::unwrap_used)] // a panic is how a benchmark reports a broken set-up

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::clock::SystemClock;
use onramp_core::drafts::{AnswerUpdate, DraftId, DraftQuery};
use onramp_core::playbook::Playbook;

const DRAFTS: usize = 10_000;
/// Account answers every draft has: 5 × 10,000 = 50,000.
const ANSWERS: [&str; 5] = [
    "company",
    "lms_account_id",
    "csm_name",
    "poc_name",
    "poc_email",
];

/// A data directory with the schema made by the core, the rows written in one transaction (the
/// API would take minutes), and the search index built by the core when it opens.
fn seeded(dir: &Path) -> Onramp {
    drop(open(dir));
    let mut conn = rusqlite::Connection::open(dir.join("onramp.db")).unwrap();
    let tx = conn.transaction().unwrap();
    for n in 0..DRAFTS {
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

fn open(dir: &Path) -> Onramp {
    Onramp::open(dir, Playbook::bundled().unwrap(), Box::new(SystemClock)).unwrap()
}

fn store(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = seeded(dir.path());
    let all = onramp.list_drafts(&DraftQuery::default()).unwrap();
    assert_eq!(all.len(), DRAFTS);
    let id = all[DRAFTS / 2].id;

    let mut group = c.benchmark_group(format!(
        "{DRAFTS} drafts, {} answers",
        DRAFTS * ANSWERS.len()
    ));
    let mut n = 0_u64;
    group.bench_function("autosave one field", |b| {
        b.iter(|| {
            n += 1;
            onramp
                .set_answer(&AnswerUpdate {
                    draft_id: id,
                    field_id: "poc_name".into(),
                    value: Some(AnswerValue::Text(format!("Dana Ruiz {n}"))),
                })
                .unwrap()
        });
    });
    group.bench_function("full-text search", |b| {
        let query = DraftQuery {
            search: Some("customer 4242".into()),
            ..DraftQuery::default()
        };
        b.iter(|| black_box(onramp.list_drafts(&query).unwrap()));
    });
    group.sample_size(10);
    group.bench_function("drafts home, every draft", |b| {
        b.iter(|| black_box(onramp.list_drafts(&DraftQuery::default()).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, store);
criterion_main!(benches);
