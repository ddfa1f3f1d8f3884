//! macOS: the login Keychain, which asks the CSM before another app reads Onramp's entries.

use super::Backend;

pub(super) fn backend(_probe: &str) -> Result<Backend, String> {
    let store = apple_native_keyring_store::keychain::Store::new()
        .map_err(|e| format!("the macOS Keychain cannot be opened: {e}"))?;
    Ok(Backend::Native(store, "the macOS Keychain"))
}
