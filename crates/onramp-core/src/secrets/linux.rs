//! Linux: the desktop's Secret Service (GNOME Keyring, KDE Wallet) when one answers on the
//! session bus; otherwise the kernel keyring, which every Linux has, even headless.

use std::sync::Arc;

use keyring_core::api::CredentialStore;

use super::{Backend, SERVICE};

#[expect(
    clippy::unnecessary_wraps,
    reason = "each OS's store opens with this signature; Linux always has the kernel keyring"
)]
pub(super) fn backend(probe: &str) -> Result<Backend, String> {
    // Connecting succeeds whenever a session bus runs; only a call shows whether a Secret
    // Service answers on it.
    let store: Option<Arc<CredentialStore>> = dbus_secret_service_keyring_store::Store::new()
        .ok()
        .map(|s| s as Arc<CredentialStore>);
    Ok(match store {
        Some(store) if answers(&store, probe) => {
            Backend::Native(store, "the desktop keyring (Secret Service)")
        }
        _ => Backend::Kernel,
    })
}

/// Whether `store` answers a lookup of `user`: reaching a store is not proof it works.
fn answers(store: &Arc<CredentialStore>, user: &str) -> bool {
    store.build(SERVICE, user, None).is_ok_and(|entry| {
        matches!(
            entry.get_password(),
            Ok(_) | Err(keyring_core::Error::NoEntry)
        )
    })
}
