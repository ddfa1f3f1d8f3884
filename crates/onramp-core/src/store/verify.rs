//! SQLite's integrity check, run once per start. On a large database it takes a while (0.4 s for
//! 20,000 drafts), so the window runs it on a thread of its own while its first screen loads:
//! reading goes ahead, and the first write waits for the verdict. A damaged database is refused
//! rather than written into and made worse, either way.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

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
    #[default]
    Running,
    Sound,
    /// SQLite's description of the damage.
    Damaged(String),
}

/// What the integrity check found, once it has run.
#[derive(Debug, Default)]
struct Verdict {
    found: Mutex<Found>,
    done: Condvar,
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
                let found = match check(&file) {
                    Ok(None) => Found::Sound,
                    Ok(Some(problems)) => Found::Damaged(problems),
                    Err(e) => Found::Damaged(e.to_string()),
                };
                *checking
                    .found
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = found;
                checking.done.notify_all();
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

    /// Waits for the check, if it still runs; an error when the database is damaged.
    pub(crate) fn wait(&self) -> Result<()> {
        let Some(verdict) = &self.verdict else {
            return Ok(());
        };
        let mut found = verdict.found.lock().unwrap_or_else(PoisonError::into_inner);
        while *found == Found::Running {
            found = verdict
                .done
                .wait(found)
                .unwrap_or_else(PoisonError::into_inner);
        }
        match &*found {
            Found::Damaged(problems) => Err(damaged(&self.path, problems)),
            Found::Running | Found::Sound => Ok(()),
        }
    }

    /// Whether the check passed; `None` while it runs.
    pub(crate) fn passed(&self) -> Option<bool> {
        let Some(verdict) = &self.verdict else {
            return Some(true);
        };
        let found = verdict.found.lock().unwrap_or_else(PoisonError::into_inner);
        match &*found {
            Found::Running => None,
            Found::Sound => Some(true),
            Found::Damaged(_) => Some(false),
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
