//! The figures `cargo xtask bench` reports beside their targets, measured here and printed one
//! per line as `FIGURE {json}`. Percentiles, not means: a CSM notices the slow save, not the
//! average one. Run with `cargo xtask bench`.

#![allow(clippy::unwrap_used)] // a panic is how a benchmark reports a broken set-up

mod seed;
// The benchmarks borrow a few of the integration tests' helpers, not all of them.
#[allow(dead_code)]
#[path = "../tests/support.rs"]
mod support;

use std::io::Cursor;
use std::time::{Duration, Instant};

use fake_jira::{Config, FakeJira};
use image::{ImageFormat, Rgb, RgbImage};
use onramp_core::jira::follow;
use onramp_core::jira::submit::{self, Options};
use onramp_core::model::{DraftId, DraftQuery};
use onramp_core::playbook::FieldKind;
use onramp_core::{Onramp, Shared};
use seed::{ANSWERS, DRAFTS, seeded};

/// Set in the child process that measures one ingest's peak memory.
const INGEST_CHILD: &str = "ONRAMP_BENCH_INGEST";
/// Names a folder to fill with `LARGE_DRAFTS` drafts, for the start-up benchmark, instead of
/// measuring anything.
const SEED_DIR: &str = "ONRAMP_BENCH_SEED";
/// A busy team's worth of drafts: the start-up benchmark's large database.
const LARGE_DRAFTS: usize = 20_000;

fn figure(name: &str, value: f64, unit: &str, target: &str) {
    let line = serde_json::json!({ "name": name, "value": value, "unit": unit, "target": target });
    println!("FIGURE {line}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p`th percentile (0–100) of `samples`.
fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((samples.len() - 1) as f64 * p / 100.0).round() as usize;
    samples[i]
}

fn time(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

/// A 3840 × 2160 screenshot of about 8 MB: detail that compresses badly over a third of it, as
/// a real admin console with text and images does.
fn big_png() -> Vec<u8> {
    let noise = |x: u32, y: u32| {
        let h = x.wrapping_mul(0x9E37_79B9) ^ y.wrapping_mul(0x85EB_CA6B);
        u8::try_from((h ^ (h >> 15)) & 0xff).unwrap()
    };
    let img = RgbImage::from_fn(3840, 2160, |x, y| {
        if (y / 60) % 3 == 0 {
            Rgb([noise(x, y), noise(y, x), 128])
        } else {
            Rgb([
                u8::try_from(x % 256).unwrap(),
                u8::try_from(y % 256).unwrap(),
                200,
            ])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// A screenshot of about `mb` megabytes (noise, so it stays that size as PNG).
fn png_of(mb: u32, seed: u32) -> Vec<u8> {
    let side = (mb * 1024 * 1024 / 3).isqrt();
    let img = RgbImage::from_fn(side, side, |x, y| {
        let h = (x ^ seed).wrapping_mul(0x9E37_79B9) ^ y.wrapping_mul(0x85EB_CA6B);
        Rgb([
            (h & 0xff) as u8,
            ((h >> 8) & 0xff) as u8,
            ((h >> 16) & 0xff) as u8,
        ])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// The peak resident memory of this process, from the kernel (`VmHWM`), in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024.0
}

fn store() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = seeded(dir.path());
    let all = onramp.list_drafts(&DraftQuery::default()).unwrap();
    let id = all[DRAFTS / 2].id;
    // Opening the seeded store indexes all 10,000 drafts for search: megabytes of log that the
    // background checkpoint copies over in the next second. Measure typing into a settled store.
    std::thread::sleep(Duration::from_secs(2));
    let mut n = 0;
    let mut saves = time(2000, || {
        n += 1;
        seed::autosave(&mut onramp, id, n);
    });
    let size = format!("{DRAFTS} drafts, {} answers", DRAFTS * ANSWERS.len());
    figure(
        &format!("autosave of one field, p50 ({size})"),
        ms(percentile(&mut saves, 50.0)),
        "ms",
        "",
    );
    figure(
        &format!("autosave of one field, p99 ({size})"),
        ms(percentile(&mut saves, 99.0)),
        "ms",
        "< 2 ms",
    );
    // What the home asks for: the first page and the count.
    let first_page = DraftQuery {
        limit: Some(100),
        ..DraftQuery::default()
    };
    let mut home = time(50, || {
        std::hint::black_box(onramp.drafts_home(&first_page).unwrap());
    });
    figure(
        &format!("drafts home, p50 ({DRAFTS} drafts; the 100 most recent and the count)"),
        ms(percentile(&mut home, 50.0)),
        "ms",
        "< 20 ms",
    );
    let mut everything = time(10, || {
        std::hint::black_box(onramp.list_drafts(&DraftQuery::default()).unwrap());
    });
    figure(
        &format!("all {DRAFTS} drafts with their open items (`onramp drafts list`), p50"),
        ms(percentile(&mut everything, 50.0)),
        "ms",
        "",
    );
    let query = DraftQuery {
        search: Some("customer 4242".into()),
        ..first_page
    };
    let mut search = time(200, || {
        std::hint::black_box(onramp.drafts_home(&query).unwrap());
    });
    figure(
        &format!("full-text search, p50 ({DRAFTS} drafts)"),
        ms(percentile(&mut search, 50.0)),
        "ms",
        "< 20 ms",
    );
}

fn ingest() {
    let png = big_png();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &png).unwrap();
    let mut runs = time(5, || {
        std::hint::black_box(onramp_core::screenshots::clean(&png, "screen.png").unwrap());
    });
    #[allow(clippy::cast_precision_loss)]
    let size = png.len() as f64 / 1024.0 / 1024.0;
    figure(
        &format!(
            "screenshot ingest, p50 ({size:.1} MB 3840×2160 PNG: validate, hash, strip, thumbnail)"
        ),
        ms(percentile(&mut runs, 50.0)),
        "ms",
        "< 150 ms",
    );
    // Peak memory in a fresh process, so nothing measured before counts.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env(INGEST_CHILD, file.path())
        .output()
        .unwrap();
    let peak: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    figure(
        "screenshot ingest, peak memory of the process",
        peak,
        "MB",
        "< 150 MB",
    );
}

fn ingest_child(path: &str) {
    let png = std::fs::read(path).unwrap();
    std::hint::black_box(onramp_core::screenshots::clean(&png, "screen.png").unwrap());
    println!("{}", peak_mb());
}

/// A ready Okta draft with `shots` in its screenshot slots, queued for Jira.
fn queued(onramp: &mut Onramp, pictures: &[Vec<u8>]) -> DraftId {
    let view = support::create(onramp, "okta");
    support::fill_everything(onramp, &view);
    // Settings typed in, nothing to fetch: the figure is Onramp's and Jira's, not DNS's.
    support::answer_all(
        onramp,
        &view,
        &[("idp_settings_as", "SSO URL, entity ID and certificate")],
    );
    let slots = view
        .steps
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| f.kind == FieldKind::Screenshot);
    for (slot, picture) in slots.zip(pictures) {
        onramp
            .attach_screenshot(&support::slot(&view, &slot.id), "shot.png", picture)
            .unwrap();
    }
    onramp.queue_submission(view.draft.id).unwrap();
    view.draft.id
}

fn submit() {
    let fake = FakeJira::start(Config::default()).unwrap();
    let client = support::jira_client(&fake.url(), fake.config());
    let dir = tempfile::tempdir().unwrap();
    let core = Shared::new(seed::open(dir.path()));
    let runtime = support::runtime();
    let shots: Vec<Vec<u8>> = (0..3).map(|n| png_of(5, n)).collect();
    let mut runs = Vec::new();
    for _ in 0..5 {
        let id = queued(&mut core.lock(), &shots);
        let start = Instant::now();
        let done = support::submit_queued(&runtime, &core, &client, id);
        runs.push(start.elapsed());
        assert!(done.issue_key.is_some(), "{:?}", done.last_error);
    }
    for issue in fake.issues() {
        let sizes: Vec<usize> = issue.attachments.iter().map(|a| a.size).collect();
        assert!(
            sizes.len() == 3 && sizes.iter().all(|&s| s > 4_500_000),
            "{sizes:?}"
        );
    }
    figure(
        "submit a ticket with three 5 MB screenshots to fake-jira over loopback, p50",
        ms(percentile(&mut runs, 50.0)),
        "ms",
        "< 300 ms",
    );
    let small = [png_of(1, 7)];
    for _ in 0..100 {
        queued(&mut core.lock(), &small);
    }
    let start = Instant::now();
    let done = runtime
        .block_on(submit::flush(&core, &client, &Options::default(), &|_| {}))
        .unwrap();
    let took = start.elapsed();
    assert_eq!(done.len(), 100);
    #[allow(clippy::cast_precision_loss)]
    let per_second = done.len() as f64 / took.as_secs_f64();
    figure(
        "outbox flush of 100 queued drafts (one screenshot each)",
        per_second,
        "drafts/s",
        "report",
    );
}

/// One status sync round for a thousand followed tickets: how many requests, how long.
fn follow() {
    const TICKETS: usize = 1000;
    let fake = FakeJira::start(Config::default()).unwrap();
    let client = support::jira_client(&fake.url(), fake.config());
    let dir = tempfile::tempdir().unwrap();
    let core = Shared::new(seed::open(dir.path()));
    let runtime = support::runtime();
    for _ in 0..TICKETS {
        queued(&mut core.lock(), &[]);
    }
    let done = runtime
        .block_on(submit::flush(&core, &client, &Options::default(), &|_| {}))
        .unwrap();
    assert_eq!(done.len(), TICKETS);
    for issue in fake.issues().iter().step_by(3) {
        fake.set_status(&issue.key, "In Progress");
    }
    let start = Instant::now();
    let round = runtime
        .block_on(follow::sync_statuses(&core, &client))
        .unwrap()
        .unwrap();
    let took = start.elapsed();
    assert_eq!((round.tracked as usize, round.error), (TICKETS, None));
    figure(
        &format!(
            "status sync of {TICKETS} followed tickets in one round against fake-jira: requests"
        ),
        f64::from(round.requests),
        "requests",
        "≤ 10",
    );
    figure(
        &format!("status sync of {TICKETS} followed tickets in one round against fake-jira: time"),
        ms(took),
        "ms",
        "< 1000 ms",
    );
}

fn adf() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = seed::open(dir.path());
    let id = queued(&mut onramp, &[]);
    let mut runs = time(300, || {
        std::hint::black_box(onramp.ticket(id).unwrap());
    });
    figure(
        "render a complete ticket to ADF, p50",
        ms(percentile(&mut runs, 50.0)),
        "ms",
        "< 1 ms",
    );
}

fn main() {
    if let Ok(path) = std::env::var(INGEST_CHILD) {
        ingest_child(&path);
        return;
    }
    if let Ok(dir) = std::env::var(SEED_DIR) {
        drop(seed::seeded_with(std::path::Path::new(&dir), LARGE_DRAFTS));
        return;
    }
    // `cargo bench` passes `--bench`; a filter, if any, picks the figures to run.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let all: [(&str, fn()); 5] = [
        ("store", store),
        ("ingest", ingest),
        ("adf", adf),
        ("submit", submit),
        ("follow", follow),
    ];
    for (name, run) in all {
        if filter.as_deref().is_none_or(|f| name.contains(f)) {
            run();
        }
    }
}
