//! The core as managed Tauri state.

use std::sync::Mutex;

use onramp_core::Onramp;

use crate::IpcError;

#[derive(Debug)]
pub struct Core(Result<Mutex<Onramp>, IpcError>);

impl Core {
    pub fn open() -> Self {
        Self(
            Onramp::open_default()
                .map(Mutex::new)
                .map_err(IpcError::from),
        )
    }

    /// Runs `f` on the core, or returns why the core could not be opened.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Onramp) -> onramp_core::Result<T>,
    ) -> Result<T, IpcError> {
        let core = self.0.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock leaves SQLite consistent (each write is one
        // transaction), so the poisoned guard is safe to reuse.
        let mut guard = core
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard).map_err(IpcError::from)
    }
}
