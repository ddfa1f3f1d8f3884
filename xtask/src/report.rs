//! The summary `cargo xtask test` ends with: each step, its result and how long it took.

use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

#[derive(Debug, Default)]
pub struct Report {
    steps: Vec<(String, Outcome, Duration)>,
}

impl Report {
    /// Runs one step, records the outcome, and says whether it passed.
    pub fn step(&mut self, name: &str, f: impl FnOnce() -> crate::Result) -> bool {
        println!("\n==> {name}");
        let start = Instant::now();
        let outcome = match f() {
            Ok(()) => Outcome::Passed,
            Err(e) => {
                eprintln!("xtask: {name}: {e}");
                Outcome::Failed(e)
            }
        };
        let passed = matches!(outcome, Outcome::Passed);
        self.steps.push((name.to_owned(), outcome, start.elapsed()));
        passed
    }

    pub fn skip(&mut self, name: &str, why: &str) {
        self.steps.push((
            name.to_owned(),
            Outcome::Skipped(why.to_owned()),
            Duration::ZERO,
        ));
    }

    /// Prints the table and a closing `N passed, N failed` line; fails if any step did.
    pub fn finish(self) -> ExitCode {
        let width = self.steps.iter().map(|(n, ..)| n.len()).max().unwrap_or(0);
        let total: Duration = self.steps.iter().map(|(.., d)| *d).sum();
        println!("\n{:=<1$}", "", width + 26);
        println!("{:<width$}  {:<7}  {:>8}", "step", "result", "time");
        println!("{:-<1$}", "", width + 26);
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for (name, outcome, took) in &self.steps {
            let (word, note) = match outcome {
                Outcome::Passed => {
                    passed += 1;
                    ("ok", String::new())
                }
                Outcome::Failed(e) => {
                    failed += 1;
                    ("FAILED", format!("  {}", first_line(e)))
                }
                Outcome::Skipped(why) => {
                    skipped += 1;
                    ("skipped", format!("  {why}"))
                }
            };
            println!(
                "{name:<width$}  {word:<7}  {:>7.1}s{note}",
                took.as_secs_f64()
            );
        }
        println!("{:-<1$}", "", width + 26);
        println!(
            "{:<width$}  {:<7}  {:>7.1}s",
            "total",
            "",
            total.as_secs_f64()
        );
        println!();
        if skipped > 0 {
            println!("{passed} passed, {failed} failed, {skipped} skipped");
        } else {
            println!("{passed} passed, {failed} failed");
        }
        if failed == 0 && skipped == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}
