//! Where tokens live: the OS keyring, never the database.
//!
//! The desktop's Secret Service (GNOME Keyring, KDE Wallet) when one answers on the session bus;
//! otherwise the kernel keyring, which every Linux has, even headless. Entries are named per
//! data directory, so two Onramp profiles (or two test runs) never read each other's token.

use std::sync::{Arc, OnceLock};

use keyring_core::api::CredentialStoreApi;
use linux_keyutils::{KeyRing, KeyRingIdentifier};

use crate::{Error, Result};

/// The service name entries are filed under in the Secret Service.
const SERVICE: &str = "Onramp";

/// The OS keyring, chosen on first use.
#[derive(Debug)]
pub struct OsKeyring {
    /// Distinguishes this data directory's entries from any other's.
    namespace: String,
    backend: OnceLock<Backend>,
}

#[derive(Debug)]
enum Backend {
    SecretService(Arc<dbus_secret_service_keyring_store::Store>),
    Kernel,
}

impl OsKeyring {
    pub fn new(namespace: &str) -> Self {
        Self {
            namespace: namespace.to_owned(),
            backend: OnceLock::new(),
        }
    }

    fn backend(&self) -> &Backend {
        self.backend.get_or_init(|| {
            // Connecting succeeds whenever a session bus runs; only a call shows whether a
            // Secret Service answers on it, so a lookup decides.
            let store = dbus_secret_service_keyring_store::Store::new().ok();
            match store {
                Some(store) if self.secret_service_answers(&store) => Backend::SecretService(store),
                _ => Backend::Kernel,
            }
        })
    }

    fn secret_service_answers(
        &self,
        store: &Arc<dbus_secret_service_keyring_store::Store>,
    ) -> bool {
        let Ok(entry) = store.build(SERVICE, &self.user("probe"), None) else {
            return false;
        };
        matches!(
            entry.get_password(),
            Ok(_) | Err(keyring_core::Error::NoEntry)
        )
    }

    fn user(&self, name: &str) -> String {
        format!("{name}@{}", self.namespace)
    }

    fn entry(
        &self,
        store: &Arc<dbus_secret_service_keyring_store::Store>,
        name: &str,
    ) -> Result<keyring_core::Entry> {
        store
            .build(SERVICE, &self.user(name), None)
            .map_err(|e| keyring_error("the Secret Service", &e))
    }

    /// The kernel keyring's description of an entry.
    fn description(&self, name: &str) -> String {
        format!("onramp:{}", self.user(name))
    }

    pub fn get(&self, name: &str) -> Result<Option<String>> {
        match self.backend() {
            Backend::SecretService(store) => match self.entry(store, name)?.get_password() {
                Ok(value) => Ok(Some(value)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_error("the Secret Service", &e)),
            },
            Backend::Kernel => kernel::get(&self.description(name)),
        }
    }

    pub fn set(&self, name: &str, value: &str) -> Result<()> {
        match self.backend() {
            Backend::SecretService(store) => self
                .entry(store, name)?
                .set_password(value)
                .map_err(|e| keyring_error("the Secret Service", &e)),
            Backend::Kernel => kernel::set(&self.description(name), value),
        }
    }

    pub fn delete(&self, name: &str) -> Result<()> {
        match self.backend() {
            Backend::SecretService(store) => match self.entry(store, name)?.delete_credential() {
                Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                Err(e) => Err(keyring_error("the Secret Service", &e)),
            },
            Backend::Kernel => kernel::delete(&self.description(name)),
        }
    }

    /// Which store holds the secrets, in words for Settings.
    pub fn describe(&self) -> String {
        match self.backend() {
            Backend::SecretService(_) => "the desktop keyring (Secret Service)".to_owned(),
            Backend::Kernel => {
                "the kernel keyring (no desktop keyring is running; it forgets the token when you log out)"
                    .to_owned()
            }
        }
    }
}

fn keyring_error(store: &str, e: &dyn std::fmt::Display) -> Error {
    Error::Storage(format!("{store} refused: {e}"))
}

/// The kernel keyring through keyutils. The keyring crates' own keyutils store insists on
/// linking every key into the persistent keyring, which containers and user namespaces deny;
/// here the key lives in the user keyring and the persistent link is a bonus when allowed.
mod kernel {
    use super::{Error, KeyRing, KeyRingIdentifier, Result};

    fn user_keyring() -> Result<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true)
            .map_err(|e| Error::Storage(format!("the kernel keyring cannot be opened: {e}")))
    }

    pub(super) fn get(description: &str) -> Result<Option<String>> {
        let keyring = user_keyring()?;
        let Ok(key) = keyring.search(description) else {
            return Ok(None);
        };
        let bytes = key
            .read_to_vec()
            .map_err(|e| Error::Storage(format!("the kernel keyring could not be read: {e}")))?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Error::Storage("the kernel keyring holds a token that is not text".into()))
    }

    pub(super) fn set(description: &str, value: &str) -> Result<()> {
        let keyring = user_keyring()?;
        let key = keyring
            .add_key(description, value.as_bytes())
            .map_err(|e| Error::Storage(format!("the kernel keyring refused the token: {e}")))?;
        // Survives logging out for a few days where the kernel allows it; not required.
        if let Ok(persistent) = KeyRing::get_persistent(KeyRingIdentifier::User) {
            let _ = persistent.link_key(key);
        }
        Ok(())
    }

    pub(super) fn delete(description: &str) -> Result<()> {
        let keyring = user_keyring()?;
        if let Ok(key) = keyring.search(description) {
            key.invalidate()
                .map_err(|e| Error::Storage(format!("the kernel keyring kept the token: {e}")))?;
        }
        Ok(())
    }
}
