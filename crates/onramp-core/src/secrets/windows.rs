//! Windows: the Credential Manager, as generic credentials of the signed-in user.

use super::Backend;

pub(super) fn backend(_probe: &str) -> Result<Backend, String> {
    let store = windows_native_keyring_store::Store::new()
        .map_err(|e| format!("the Windows Credential Manager cannot be opened: {e}"))?;
    Ok(Backend::Native(store, "the Windows Credential Manager"))
}
