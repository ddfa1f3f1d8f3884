//! Saves the window's size and position shortly after the CSM moves or resizes it.
//!
//! The window-state plugin writes its file only on a clean exit, so a crash, a forced quit or a
//! logout forgot where the window was. Saving once the window has been still for a moment keeps
//! the file current without writing on every pixel of a drag.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window must stay still before its state is written.
const SETTLE: Duration = Duration::from_millis(300);

#[derive(Debug)]
pub struct WindowMemory(Sender<()>);

impl WindowMemory {
    pub fn start<R: Runtime>(app: AppHandle<R>) -> Self {
        let (notify, changes) = mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("window-memory".to_owned())
            .spawn(move || {
                while changes.recv().is_ok() {
                    loop {
                        match changes.recv_timeout(SETTLE) {
                            Ok(()) => {}
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    if let Err(e) = app.save_window_state(StateFlags::all()) {
                        eprintln!("Onramp could not remember the window's size and position: {e}");
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("Onramp will remember the window's place only on a clean exit: {e}");
        }
        Self(notify)
    }

    /// The window moved or changed size.
    pub fn changed(&self) {
        // A send fails only once the thread has gone, and then the exit save still runs.
        let _ = self.0.send(());
    }
}
