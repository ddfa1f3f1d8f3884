//! Checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside whichever
//! commit takes the write-ahead log past 1,000 pages: that save then copies the log into the
//! database and waits for the disk, which made one autosave in a hundred take 3.5 ms instead of
//! 0.2 ms. Here the saves only append to the log, and this thread copies it over.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::Integrity;

/// How often the log is copied into the database; the log holds at most this much of saves.
const EVERY: Duration = Duration::from_millis(500);

/// Runs checkpoints for the database while it lives; dropping it stops the thread.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Takes checkpoints over from `conn`, the connection that saves. When no second connection
    /// or thread can be had, `conn` keeps SQLite's automatic checkpoints: slower saves, nothing
    /// lost. Nothing is copied into the database before `integrity` says it is sound.
    pub(crate) fn take_over(conn: &Connection, path: &Path, integrity: Integrity) -> Option<Self> {
        let own = Connection::open(path).ok()?;
        own.busy_timeout(Duration::from_secs(5)).ok()?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("onramp-checkpoint".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    if integrity.passed() != Some(true) {
                        continue;
                    }
                    // PASSIVE never blocks a save; what it cannot copy now, it copies next time.
                    let _ = own.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok()?;
        let checkpointer = Self {
            stop: Some(stop),
            thread: Some(thread),
        };
        conn.pragma_update(None, "wal_autocheckpoint", 0).ok()?;
        Some(checkpointer)
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
