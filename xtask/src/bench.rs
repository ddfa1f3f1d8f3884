//! `cargo xtask bench`: measures, puts each figure beside its target, and keeps the table in
//! docs/benchmarks.md (the README links it).

use std::fmt::Write as _;

use crate::process::Cmd;
use crate::{Result, binary, build, cargo, deb, e2e, root, setup};

#[derive(Debug)]
struct Row {
    name: String,
    value: f64,
    unit: String,
    target: String,
}

impl Row {
    fn new(name: impl Into<String>, value: f64, unit: &str, target: &str) -> Self {
        Self {
            name: name.into(),
            value,
            unit: unit.into(),
            target: target.into(),
        }
    }

    /// "met", "missed", or nothing when the target is only to report the figure. Targets read
    /// "< 2 ms" or "≤ 1.3×".
    fn verdict(&self) -> &'static str {
        let limit = |prefix: &str| {
            self.target
                .strip_prefix(prefix)
                .and_then(|t| t.split_whitespace().next())
                .and_then(|n| n.trim_end_matches('×').parse::<f64>().ok())
        };
        let met = match (limit("< "), limit("≤ ")) {
            (Some(limit), _) => self.value < limit,
            (None, Some(limit)) => self.value <= limit,
            (None, None) => return "",
        };
        if met { "met" } else { "missed" }
    }

    fn shown(&self) -> String {
        let (value, unit) = (self.value, &self.unit);
        match unit.as_str() {
            "×" => format!("{value:.2}×"),
            "requests" => format!("{value:.0} {unit}"),
            _ if value >= 100.0 => format!("{value:.0} {unit}"),
            _ => format!("{value:.2} {unit}"),
        }
    }
}

/// One of onramp-core's benchmarks (`benches/<name>.rs`), built for release.
fn core_bench(name: &str) -> Cmd {
    cargo().args([
        "bench",
        "--locked",
        "--package",
        "onramp-core",
        "--bench",
        name,
    ])
}

/// The `FIGURE {json}` lines the figures benchmark prints.
fn figures() -> Result<Vec<Row>> {
    let out = core_bench("figures").stdout()?;
    out.lines()
        .filter_map(|l| l.strip_prefix("FIGURE "))
        .map(|json| {
            let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
            let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            Ok(Row::new(
                text("name"),
                v["value"].as_f64().unwrap_or_default(),
                &text("unit"),
                &text("target"),
            ))
        })
        .collect()
}

pub fn megabytes(path: &std::path::Path) -> Result<f64> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    #[allow(clippy::cast_precision_loss)]
    Ok(bytes as f64 / 1024.0 / 1024.0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One app's launches, from a `STARTUP {json}` line of tests/e2e/bench/startup.mjs.
#[derive(Debug)]
struct Launches {
    start_ms: f64,
    rss_mb: f64,
    processes: u64,
    cold: bool,
    runs: usize,
}

fn launches(out: &str, name: &str) -> Result<Launches> {
    let line = out
        .lines()
        .filter_map(|l| l.strip_prefix("STARTUP "))
        .filter_map(|json| serde_json::from_str::<serde_json::Value>(json).ok())
        .find(|v| v["name"] == name)
        .ok_or_else(|| format!("the start-up harness reported nothing for {name}"))?;
    let runs = line["runs"].as_array().cloned().unwrap_or_default();
    let each = |key: &str| {
        runs.iter()
            .filter_map(|r| r[key].as_f64())
            .collect::<Vec<_>>()
    };
    Ok(Launches {
        start_ms: median(each("startMs")),
        rss_mb: median(each("rssMb")),
        processes: runs
            .iter()
            .filter_map(|r| r["processes"].as_u64())
            .max()
            .unwrap_or(0),
        cold: runs.iter().all(|r| r["cold"] == true),
        runs: runs.len(),
    })
}

fn table(rows: &[Row]) -> String {
    let mut table = String::from("| Figure | Measured | Target | |\n|---|---|---|---|\n");
    for row in rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} |",
            row.name,
            row.shown(),
            row.target,
            row.verdict()
        );
    }
    table
}

/// Start-up and memory of the release app against the bare Tauri window, launched in turns:
/// with an empty data directory, then with one holding a large database.
fn startup() -> Result<Vec<Row>> {
    let apps = [
        ("ONRAMP_APP", binary("onramp-app", true)),
        ("BARE_APP", binary("bare-window", true)),
    ];
    let envs: Vec<(&str, &std::path::Path)> = apps.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let script = root().join("tests/e2e/bench/startup.mjs");
    let empty = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut rows = startup_rows(&e2e::node_script(&script, &envs, empty.path())?, None)?;

    let large = tempfile::tempdir().map_err(|e| e.to_string())?;
    core_bench("figures")
        .env("ONRAMP_BENCH_SEED", large.path())
        .run()?;
    let size = megabytes(&large.path().join("onramp.db"))?;
    let out = e2e::node_script(&script, &envs, large.path())?;
    rows.extend(startup_rows(&out, Some(size))?.into_iter().take(1));
    Ok(rows)
}

/// The rows of one start-up run; `large` is the database's size when it held the large one.
fn startup_rows(out: &str, large: Option<f64>) -> Result<Vec<Row>> {
    let (app, bare) = (launches(out, "onramp")?, launches(out, "bare")?);
    let start = if app.cold && bare.cold {
        "cold start"
    } else {
        "start (page cache warm: dropping it needs root)"
    };
    let data = large.map_or_else(
        || "an empty data directory".to_owned(),
        |mb| format!("a {mb:.0} MB database of 20,000 drafts"),
    );
    Ok(vec![
        Row::new(
            format!(
                "{start} to the first interactive screen with {data}, ratio to a bare Tauri 2 window (Onramp {:.0} ms, bare {:.0} ms; medians of {} launches each, under Xvfb)",
                app.start_ms, bare.start_ms, app.runs
            ),
            app.start_ms / bare.start_ms,
            "×",
            "≤ 1.15×",
        ),
        Row::new(
            format!(
                "resident memory of all processes once loaded, ratio to a bare Tauri 2 window (Onramp {:.0} MB in {} processes, bare {:.0} MB in {})",
                app.rss_mb, app.processes, bare.rss_mb, bare.processes
            ),
            app.rss_mb / bare.rss_mb,
            "×",
            "≤ 1.3×",
        ),
    ])
}

/// Every figure, written to docs/benchmarks.md; with `only: Some("startup")`, just the start-up
/// figures, printed and not written (for working on them).
pub fn run(only: Option<&str>) -> Result {
    setup::to_drive_the_window()?;
    if only == Some("startup") {
        build(&["onramp-app", "bare-window"], true)?;
        println!("\n{}", table(&startup()?));
        return Ok(());
    }
    if let Some(other) = only {
        return Err(format!(
            "`{other}`: only `startup` can be measured on its own"
        ));
    }
    // Criterion's detailed statistics for the store, then the figures for the table.
    core_bench("store").run()?;
    let mut rows = figures()?;
    build(&["onramp-app", "bare-window"], true)?;
    rows.push(Row::new(
        "release binary size (onramp-app)",
        megabytes(&binary("onramp-app", true))?,
        "MB",
        "< 20 MB",
    ));
    rows.push(Row::new(
        ".deb size",
        megabytes(&deb::bundle(true)?)?,
        "MB",
        "< 12 MB",
    ));
    rows.extend(startup()?);

    let table = table(&rows);
    println!("\n{table}");
    let date = Cmd::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let doc = format!(
        "# Benchmarks\n\nMeasured by `cargo xtask bench` on {} with {cores} cores (release builds; the store holds 10,000 drafts and 50,000 answers). Percentiles come from repeated runs in `crates/onramp-core/benches/figures.rs`; criterion's detailed statistics for the store are in `target/criterion/`. Start-up and memory come from `tests/e2e/bench/startup.mjs`, which launches the app and the bare Tauri window in `xtask/bare-window/` in turns.\n\n{table}",
        date.trim()
    );
    std::fs::write(root().join("docs/benchmarks.md"), doc).map_err(|e| e.to_string())?;
    println!("Wrote docs/benchmarks.md.");
    Ok(())
}
