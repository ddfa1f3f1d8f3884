//! Where Onramp keeps its files. The window and the CLI must agree, so both ask here.

use std::path::PathBuf;

use crate::{Error, Result};

/// Overrides the data directory, for scripts, tests and portable installs.
pub const DATA_DIR_ENV: &str = "ONRAMP_DATA_DIR";

/// Matches the Tauri bundle identifier, so the OS app-data folder is the one the desktop expects.
pub const APP_IDENTIFIER: &str = "com.onramp.desktop";

/// `ONRAMP_DATA_DIR` when set, otherwise the OS app-data directory (`~/.local/share/com.onramp.desktop`).
pub fn data_dir() -> Result<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => dirs::data_dir()
            .map(|d| d.join(APP_IDENTIFIER))
            .ok_or_else(|| {
                Error::Storage(format!(
                    "no app-data directory is known for this user; set {DATA_DIR_ENV}"
                ))
            }),
    }
}
