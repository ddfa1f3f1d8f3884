//! Linux's kernel keyring through keyutils. The keyring crates' own keyutils store insists on
//! linking every key into the persistent keyring, which containers and user namespaces deny;
//! here the key lives in the user keyring and the persistent link is a bonus when allowed.

use linux_keyutils::{KeyRing, KeyRingIdentifier};

use crate::{Error, Result};

pub(super) const NAME: &str =
    "the kernel keyring (no desktop keyring is running; it forgets the token when you log out)";

/// The key's description for the entry `user`.
fn description(user: &str) -> String {
    format!("onramp:{user}")
}

fn user_keyring() -> Result<KeyRing> {
    KeyRing::from_special_id(KeyRingIdentifier::User, true)
        .map_err(|e| Error::Storage(format!("the kernel keyring cannot be opened: {e}")))
}

pub(super) fn get(user: &str) -> Result<Option<String>> {
    let keyring = user_keyring()?;
    let Ok(key) = keyring.search(&description(user)) else {
        return Ok(None);
    };
    let bytes = key
        .read_to_vec()
        .map_err(|e| Error::Storage(format!("the kernel keyring could not be read: {e}")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Error::Storage("the kernel keyring holds a token that is not text".into()))
}

pub(super) fn set(user: &str, value: &str) -> Result<()> {
    let keyring = user_keyring()?;
    let key = keyring
        .add_key(&description(user), value.as_bytes())
        .map_err(|e| Error::Storage(format!("the kernel keyring refused the token: {e}")))?;
    // Survives logging out for a few days where the kernel allows it; not required.
    if let Ok(persistent) = KeyRing::get_persistent(KeyRingIdentifier::User) {
        let _ = persistent.link_key(key);
    }
    Ok(())
}

pub(super) fn delete(user: &str) -> Result<()> {
    let keyring = user_keyring()?;
    if let Ok(key) = keyring.search(&description(user)) {
        key.invalidate()
            .map_err(|e| Error::Storage(format!("the kernel keyring kept the token: {e}")))?;
    }
    Ok(())
}
