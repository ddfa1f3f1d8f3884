//! The core as managed Tauri state.

use std::sync::{Arc, LazyLock, Mutex};

use onramp_core::Onramp;

use crate::IpcError;
use crate::options::Options;

type Opened = Result<Mutex<Onramp>, IpcError>;

/// The core, opened on a thread of its own while the web view starts: checking the database and
/// loading the playbook then cost the CSM no time. Commands wait for it when they come first.
#[derive(Debug, Clone)]
pub struct Core(Arc<LazyLock<Opened, Box<dyn FnOnce() -> Opened + Send>>>);

impl Core {
    /// Starts opening the core with the command line's settings; a failure is kept and returned
    /// by every command.
    pub fn open(options: Result<Options, String>) -> Self {
        let core = Self(Arc::new(LazyLock::new(Box::new(move || {
            options
                .map_err(onramp_core::Error::InvalidInput)
                .and_then(|o| Onramp::open_default(o.playbook.as_deref()))
                .map(Mutex::new)
                .map_err(IpcError::from)
        }))));
        let opening = core.clone();
        // Without the thread, the first command opens the core instead.
        let _ = std::thread::Builder::new()
            .name("onramp-open".into())
            .spawn(move || {
                LazyLock::force(&opening.0);
            });
        core
    }

    /// The core itself, for work that must not hold the lock across awaits (the outbox).
    pub fn shared(&self) -> Result<&Mutex<Onramp>, IpcError> {
        LazyLock::force(&self.0).as_ref().map_err(Clone::clone)
    }

    /// Runs `f` on the core, or returns why the core could not be opened.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Onramp) -> onramp_core::Result<T>,
    ) -> Result<T, IpcError> {
        let core = self.shared()?;
        // A panic while holding the lock leaves SQLite consistent (each write is one
        // transaction), so the poisoned guard is safe to reuse.
        let mut guard = core
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard).map_err(IpcError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_playbook_folder_is_reported_by_every_command() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("playbook.toml"), "nmae = 1\n").unwrap();
        let core = Core::open(Ok(Options {
            playbook: Some(dir.path().to_owned()),
        }));
        let err = core.with(|_| Ok(())).unwrap_err();
        assert_eq!(err.code, onramp_core::ErrorCode::Playbook);
        assert!(err.message.contains("playbook.toml:1:1"), "{}", err.message);
    }

    #[test]
    fn a_command_line_mistake_is_reported_instead_of_opening() {
        let core = Core::open(Err("unknown option `--x`".to_owned()));
        let err = core.with(|_| Ok(())).unwrap_err();
        assert_eq!(err.code, onramp_core::ErrorCode::InvalidInput);
        assert!(
            err.message.contains("unknown option `--x`"),
            "{}",
            err.message
        );
    }
}
