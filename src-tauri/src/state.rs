//! The core as managed Tauri state.

use std::sync::{Arc, LazyLock};

use onramp_core::{Onramp, Shared, Verify};

use crate::IpcError;
use crate::options::Options;

type Opened = Result<Shared, IpcError>;

/// The core, opened on a thread of its own while the web view starts: checking the database and
/// loading the playbook then cost the CSM no time. Commands wait for it when they come first.
#[derive(Debug, Clone)]
pub struct Core(Arc<LazyLock<Opened, Box<dyn FnOnce() -> Opened + Send>>>);

impl Core {
    /// Starts opening the core with the command line's settings; a failure is kept and returned
    /// by every command. The database's integrity check runs beside the first screen: writes
    /// wait for it, reads do not.
    pub fn open(options: Result<Options, String>) -> Self {
        let core = Self(Arc::new(LazyLock::new(Box::new(move || {
            options
                .map_err(onramp_core::Error::InvalidInput)
                .and_then(|o| Onramp::open_default(o.playbook.as_deref(), Verify::InBackground))
                .map(Shared::new)
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

    /// The shared core itself, for work that takes the lock only when it needs the database
    /// (the outbox, the network checks, screenshot ingest).
    pub fn shared(&self) -> Result<&Shared, IpcError> {
        LazyLock::force(&self.0).as_ref().map_err(Clone::clone)
    }

    /// Runs `f` on the core, or returns why the core could not be opened.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Onramp) -> onramp_core::Result<T>,
    ) -> Result<T, IpcError> {
        self.shared()?.with(f).map_err(IpcError::from)
    }

    /// Runs `f` on the shared core on a thread meant for blocking work, so the async runtime's
    /// workers stay free while an image is decoded or a file read.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Shared) -> onramp_core::Result<T> + Send + 'static,
    ) -> Result<T, IpcError> {
        let shared = self.shared()?.clone();
        tauri::async_runtime::spawn_blocking(move || f(&shared))
            .await
            .map_err(|e| {
                IpcError::from(onramp_core::Error::Storage(format!(
                    "the work was interrupted: {e}"
                )))
            })?
            .map_err(IpcError::from)
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
