//! The local store at the size of a busy CSM's years: 10,000 drafts and 50,000 answers.
//! Run with `cargo xtask bench`.

#![allow(clippy::unwrap_used)] // a panic is how a benchmark reports a broken set-up

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use onramp_core::model::DraftQuery;

mod seed;

use seed::{ANSWERS, DRAFTS, seeded};

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
            seed::autosave(&mut onramp, id, n);
        });
    });
    group.bench_function("full-text search", |b| {
        let query = DraftQuery {
            search: Some("customer 4242".into()),
            limit: Some(100),
            ..DraftQuery::default()
        };
        b.iter(|| black_box(onramp.drafts_home(&query).unwrap()));
    });
    group.bench_function("drafts home, the 100 most recent and the count", |b| {
        let query = DraftQuery {
            limit: Some(100),
            ..DraftQuery::default()
        };
        b.iter(|| black_box(onramp.drafts_home(&query).unwrap()));
    });
    group.sample_size(10);
    group.bench_function("every draft, as `onramp drafts list` lists them", |b| {
        b.iter(|| black_box(onramp.list_drafts(&DraftQuery::default()).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, store);
criterion_main!(benches);
