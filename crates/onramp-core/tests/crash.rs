//! Autosave under `kill -9`: a child process saves answers as fast as it can and reports each
//! save the core acknowledged; the parent kills it at a varying moment, then checks that the
//! database is intact and holds every acknowledged save.
//!
//! `ONRAMP_CRASH_ITERATIONS` sets how many kills (default 20, what `cargo xtask test` runs);
//! a soak run sets it high.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{ManualClock, create, open};
use onramp_core::answers::AnswerValue;

/// The child: `examples/autosave_child.rs`, which `cargo test` builds beside the tests.
fn child() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/integration-<hash> → target/<profile>/examples/autosave_child
    let path = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples")
        .join(format!("autosave_child{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build --example autosave_child` (plain `cargo test` does)",
        path.display()
    );
    path
}

#[test]
fn every_acknowledged_autosave_survives_kill_9() {
    let iterations: u64 = std::env::var("ONRAMP_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let child = child();
    let dir = tempfile::tempdir().unwrap();
    let draft_id = create(&mut open(dir.path(), &ManualClock::new()), "okta")
        .draft
        .id;

    for i in 0..iterations {
        // Kill after a varying number of acknowledged saves (1 to 40), so the kill lands at
        // different points of a write.
        let kill_after = 1 + (i * 7919 + 13) % 40;
        let mut child = Command::new(&child)
            .arg(dir.path())
            .arg(draft_id.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Read every acknowledgement, including those still in the pipe after the kill.
        let mut last_ack = 0;
        let mut killed = false;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let Ok(line) = line else { break };
            let Some(n) = line
                .strip_prefix("ack ")
                .and_then(|n| n.parse::<u64>().ok())
            else {
                continue;
            };
            last_ack = n;
            if n >= kill_after && !killed {
                child.kill().unwrap(); // SIGKILL on Unix
                killed = true;
            }
        }
        child.wait().unwrap();
        assert!(
            last_ack >= kill_after,
            "iteration {i}: the child stopped at {last_ack}"
        );

        // Opening runs SQLite's integrity check and refuses a damaged database.
        let onramp = open(dir.path(), &ManualClock::new());
        let stored = onramp.open_draft(draft_id).unwrap().draft.answers["company"].clone();
        let AnswerValue::Text(stored) = stored else {
            panic!("iteration {i}: company is not text");
        };
        let n: u64 = stored.strip_prefix("save ").unwrap().parse().unwrap();
        // The acknowledged save is there; at most one more landed before the kill.
        assert!(
            n == last_ack || n == last_ack + 1,
            "iteration {i}: acknowledged save {last_ack}, found {n}"
        );
        // The next child starts again from 1, so each round is checked on its own.
    }
    // Any lost save or damaged database has failed the test above; `cargo xtask soak` reads this.
    println!("{iterations} kills mid-autosave: 0 lost saves, 0 corrupt databases");
}
