//! SQLite's integrity check, run once per start. On a large database it takes a while (0.4 s for
//! 20,000 drafts) and reads the whole file, so the window runs it on a thread of its own once
//! its first screen is up: reading goes ahead, and the first write waits for the verdict (and
//! starts the check at once if it has not started). A damaged database is refused rather than
//! written into and made worse, either way.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

/// How long the background check waits before it starts, unless a write asks for it sooner:
/// long enough for the window's first screen, which reads its own files from the same disk.
const AFTER: Duration = Duration::from_secs(2);

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// When to check the database file as it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Before anything is read: opening fails on a damaged database.
    Now,
    /// On a thread of its own; writes wait for it and fail on a damaged database.
    InBackground,
}

/// Where the background check is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Found {
    /// Not started yet.
    #[default]
    Waiting,
    /// Not started, and a write is waiting for it: start now.
    Wanted,
    Running,
    Sound,
    /// SQLite's description of the damage.
    Damaged(String),
}

impl Found {
    fn is_over(&self) -> bool {
        matches!(self, Self::Sound | Self::Damaged(_))
    }
}

/// What the integrity check found, once it has run.
#[derive(Debug, Default)]
struct Verdict {
    found: Mutex<Found>,
    /// Signalled when a write wants the check, and when it is over.
    changed: Condvar,
}

impl Verdict {
    fn lock(&self) -> std::sync::MutexGuard<'_, Found> {
        self.found.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether the database may be written: known at once, or after the background check.
#[derive(Debug, Clone)]
pub(crate) struct Integrity {
    path: PathBuf,
    verdict: Option<Arc<Verdict>>,
}

impl Integrity {
    /// Checked before opening went on: nothing to wait for.
    pub(crate) fn checked(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            verdict: None,
        }
    }

    /// Starts checking `path` with a connection of its own. Without a thread, it checks now.
    pub(crate) fn in_background(path: &Path) -> Result<Self> {
        let verdict = Arc::new(Verdict::default());
        let (checking, file) = (Arc::clone(&verdict), path.to_owned());
        let started = std::thread::Builder::new()
            .name("onramp-verify".into())
            .spawn(move || {
                {
                    let found = checking.lock();
                    let (mut found, _) = checking
                        .changed
                        .wait_timeout_while(found, AFTER, |f| *f == Found::Waiting)
                        .unwrap_or_else(PoisonError::into_inner);
                    *found = Found::Running;
                }
                let found = match check(&file) {
                    Ok(None) => Found::Sound,
                    Ok(Some(problems)) => Found::Damaged(problems),
                    Err(e) => Found::Damaged(e.to_string()),
                };
                *checking.lock() = found;
                checking.changed.notify_all();
            });
        if started.is_err() {
            if let Some(problems) = check(path)? {
                return Err(damaged(path, &problems));
            }
            return Ok(Self::checked(path));
        }
        Ok(Self {
            path: path.to_owned(),
            verdict: Some(verdict),
        })
    }

    /// Waits for the check (starting it now if it has not started); an error when the database
    /// is damaged.
    pub(crate) fn wait(&self) -> Result<()> {
        let Some(verdict) = &self.verdict else {
            return Ok(());
        };
        let mut found = verdict.lock();
        if *found == Found::Waiting {
            *found = Found::Wanted;
            verdict.changed.notify_all();
        }
        let found = verdict
            .changed
            .wait_while(found, |f| !f.is_over())
            .unwrap_or_else(PoisonError::into_inner);
        match &*found {
            Found::Damaged(problems) => Err(damaged(&self.path, problems)),
            _ => Ok(()),
        }
    }

    /// Whether the check passed; `None` until it is over.
    pub(crate) fn passed(&self) -> Option<bool> {
        let Some(verdict) = &self.verdict else {
            return Some(true);
        };
        match &*verdict.lock() {
            Found::Sound => Some(true),
            Found::Damaged(_) => Some(false),
            Found::Waiting | Found::Wanted | Found::Running => None,
        }
    }
}

/// What SQLite's integrity check finds in the file at `path`, if anything.
pub(crate) fn check(path: &Path) -> rusqlite::Result<Option<String>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    problems(&conn)
}

/// What SQLite's integrity check finds through `conn`, if anything.
pub(crate) fn problems(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(5)")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((problems != ["ok"]).then(|| problems.join("; ")))
}

pub(crate) fn damaged(path: &Path, detail: &str) -> Error {
    Error::Storage(format!(
        "the database {} is damaged ({detail}); Onramp did not change it. Restore the newest copy from its `backups` folder, or ask your team lead",
        path.display(),
    ))
}
