//! `cargo xtask bench`: measures, puts each figure beside its target, and keeps the table in
//! docs/benchmarks.md (the README links it).

use std::fmt::Write as _;
use std::process::Stdio;

use crate::process::Cmd;
use crate::{Result, binary, build, cargo, root};

#[derive(Debug)]
struct Row {
    name: String,
    measured: Option<(f64, String)>,
    target: String,
    /// Why there is no measurement yet.
    note: String,
}

impl Row {
    /// "met", "missed", or nothing when the target is only to report the figure.
    fn verdict(&self) -> &'static str {
        let Some((value, _)) = &self.measured else {
            return "";
        };
        let limit = self
            .target
            .strip_prefix("< ")
            .and_then(|t| t.split_whitespace().next())
            .and_then(|n| n.parse::<f64>().ok());
        match limit {
            Some(limit) if *value < limit => "met",
            Some(_) => "missed",
            None => "",
        }
    }

    fn shown(&self) -> String {
        match &self.measured {
            Some((value, unit)) if *value >= 100.0 => format!("{value:.0} {unit}"),
            Some((value, unit)) => format!("{value:.2} {unit}"),
            None => self.note.clone(),
        }
    }
}

/// The `FIGURE {json}` lines the figures benchmark prints.
fn figures() -> Result<Vec<Row>> {
    let mut command = cargo()
        .args([
            "bench",
            "--locked",
            "--package",
            "onramp-core",
            "--bench",
            "figures",
        ])
        .into_inner();
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err("the figures benchmark failed".into());
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("FIGURE "))
        .map(|json| {
            let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
            let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            Ok(Row {
                name: text("name"),
                measured: Some((v["value"].as_f64().unwrap_or_default(), text("unit"))),
                target: text("target"),
                note: String::new(),
            })
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

fn not_yet(name: &str, target: &str, note: &str) -> Row {
    Row {
        name: name.into(),
        measured: None,
        target: target.into(),
        note: note.into(),
    }
}

pub fn run() -> Result {
    // Criterion's detailed statistics for the store, then the figures for the table.
    cargo()
        .args([
            "bench",
            "--locked",
            "--package",
            "onramp-core",
            "--bench",
            "store",
        ])
        .run()?;
    let mut rows = figures()?;
    build(&["onramp-app"], true)?;
    rows.push(Row {
        name: "release binary size (onramp-app)".into(),
        measured: Some((megabytes(&binary("onramp-app", true))?, "MB".into())),
        target: "< 20 MB".into(),
        note: String::new(),
    });
    let later = "not measured yet: see issue 8";
    rows.push(not_yet(".deb size", "< 12 MB", later));
    rows.push(not_yet(
        "cold start to the first screen, ratio to a bare Tauri 2 window",
        "≤ 1.3×",
        later,
    ));
    rows.push(not_yet(
        "resident memory of all processes once loaded, ratio to a bare Tauri 2 window",
        "≤ 1.3×",
        later,
    ));

    let mut table = String::from("| Figure | Measured | Target | |\n|---|---|---|---|\n");
    for row in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} |",
            row.name,
            row.shown(),
            row.target,
            row.verdict()
        );
    }
    println!("\n{table}");
    let date = Cmd::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let doc = format!(
        "# Benchmarks\n\nMeasured by `cargo xtask bench` on {} with {cores} cores (release builds; the store holds 10,000 drafts and 50,000 answers). Percentiles come from repeated runs in `crates/onramp-core/benches/figures.rs`; criterion's detailed statistics for the store are in `target/criterion/`.\n\n{table}",
        date.trim()
    );
    std::fs::write(root().join("docs/benchmarks.md"), doc).map_err(|e| e.to_string())?;
    println!("Wrote docs/benchmarks.md.");
    Ok(())
}
