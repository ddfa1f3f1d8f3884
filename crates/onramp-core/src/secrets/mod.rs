//! Where tokens live: the OS keyring, never the database.
//!
//! Each OS has its own store (`linux`, `windows`, `macos`, chosen by `cfg`); the rest of Onramp
//! sees only `OsKeyring`. Entries are named per data directory, so two Onramp profiles (or two
//! test runs) never read each other's token.

use std::sync::{Arc, OnceLock};

use keyring_core::api::CredentialStore;

use crate::{Error, Result};

#[cfg(target_os = "linux")]
mod kernel;
#[cfg(target_os = "linux")]
#[path = "linux.rs"]
mod os;
#[cfg(target_os = "macos")]
#[path = "macos.rs"]
mod os;
#[cfg(windows)]
#[path = "windows.rs"]
mod os;

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
compile_error!(
    "Onramp keeps tokens in the OS keyring, and knows the keyrings of Linux, macOS and Windows only"
);

/// The service name entries are filed under.
const SERVICE: &str = "Onramp";

/// The OS keyring, chosen on first use.
#[derive(Debug)]
pub struct OsKeyring {
    /// Distinguishes this data directory's entries from any other's.
    namespace: String,
    /// The store, or why this OS's store could not be opened (said on every use).
    backend: OnceLock<std::result::Result<Backend, String>>,
}

/// A store that keeps entries for Onramp.
enum Backend {
    /// keyring-core's store for this OS (the Secret Service, the Credential Manager, the
    /// Keychain), with its name in the CSM's words.
    Native(Arc<CredentialStore>, &'static str),
    /// Linux's kernel keyring, where no Secret Service answers.
    #[cfg(target_os = "linux")]
    Kernel,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Self::Native(_, name) => name,
            #[cfg(target_os = "linux")]
            Self::Kernel => kernel::NAME,
        }
    }
}

impl OsKeyring {
    pub fn new(namespace: &str) -> Self {
        Self {
            namespace: namespace.to_owned(),
            backend: OnceLock::new(),
        }
    }

    fn backend(&self) -> Result<&Backend> {
        self.backend
            .get_or_init(|| os::backend(&self.user("probe")))
            .as_ref()
            .map_err(|why| Error::Storage(why.clone()))
    }

    fn user(&self, name: &str) -> String {
        format!("{name}@{}", self.namespace)
    }

    fn entry(store: &Arc<CredentialStore>, user: &str, named: &str) -> Result<keyring_core::Entry> {
        store
            .build(SERVICE, user, None)
            .map_err(|e| refused(named, &e))
    }

    pub fn get(&self, name: &str) -> Result<Option<String>> {
        let user = self.user(name);
        match self.backend()? {
            Backend::Native(store, named) => match Self::entry(store, &user, named)?.get_password()
            {
                Ok(value) => Ok(Some(value)),
                Err(keyring_core::Error::NoEntry) => Ok(None),
                Err(e) => Err(refused(named, &e)),
            },
            #[cfg(target_os = "linux")]
            Backend::Kernel => kernel::get(&user),
        }
    }

    pub fn set(&self, name: &str, value: &str) -> Result<()> {
        let user = self.user(name);
        match self.backend()? {
            Backend::Native(store, named) => Self::entry(store, &user, named)?
                .set_password(value)
                .map_err(|e| refused(named, &e)),
            #[cfg(target_os = "linux")]
            Backend::Kernel => kernel::set(&user, value),
        }
    }

    pub fn delete(&self, name: &str) -> Result<()> {
        let user = self.user(name);
        match self.backend()? {
            Backend::Native(store, named) => {
                match Self::entry(store, &user, named)?.delete_credential() {
                    Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
                    Err(e) => Err(refused(named, &e)),
                }
            }
            #[cfg(target_os = "linux")]
            Backend::Kernel => kernel::delete(&user),
        }
    }

    /// Which store holds the secrets, in words for Settings.
    pub fn describe(&self) -> String {
        match self.backend() {
            Ok(backend) => backend.name().to_owned(),
            Err(e) => e.to_string(),
        }
    }
}

fn refused(store: &str, e: &dyn std::fmt::Display) -> Error {
    Error::Storage(format!("{store} refused: {e}"))
}
