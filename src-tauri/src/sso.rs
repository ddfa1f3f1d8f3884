//! Tauri commands for the SSO checks: parse, call the core, map the error.

use onramp_core::model::DraftId;
use onramp_core::sso::SsoChecks;
use tauri::State;

use crate::IpcError;
use crate::state::Core;

#[tauri::command]
pub async fn sso_checks(core: State<'_, Core>, id: DraftId) -> Result<SsoChecks, IpcError> {
    core.with(|o| o.sso_checks(id))
}

/// A metadata file dropped on the window becomes the draft's Metadata XML.
#[tauri::command]
pub async fn metadata_from_file(
    core: State<'_, Core>,
    id: DraftId,
    path: std::path::PathBuf,
) -> Result<SsoChecks, IpcError> {
    core.with(|o| o.metadata_from_file(id, &path))
}

/// Runs the checks that need the network now: fetch the metadata URL, check the OIDC issuer.
/// The core is locked only around its own reads and writes, not while downloading.
#[tauri::command]
pub async fn check_online(core: State<'_, Core>, id: DraftId) -> Result<SsoChecks, IpcError> {
    core.shared()?
        .check_online(id)
        .await
        .map_err(IpcError::from)
}
