//! The window may call Onramp's own commands and the few core permissions it needs, nothing
//! more: no shell, no opener, no file system, no remote pages. Links and exported files are
//! opened by Rust commands, through `onramp_core::desktop`'s checks.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

use std::path::Path;

/// The core permissions the window uses: drops onto it (event listen/unlisten), and closing
/// itself once open drafts have saved.
const CORE: [&str; 4] = [
    "core:event:allow-listen",
    "core:event:allow-unlisten",
    "core:window:allow-close",
    "core:window:allow-destroy",
];

#[test]
fn the_window_is_granted_its_own_commands_and_four_core_permissions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one capability file: {files:?}");
    let capability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(
        capability.get("remote").is_none(),
        "no remote URL may call commands"
    );
    assert!(capability.get("webviews").is_none());

    let permissions: Vec<&str> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .expect("permissions are plain identifiers, without scopes")
        })
        .collect();
    let (core, own): (Vec<&str>, Vec<&str>) = permissions.iter().partition(|p| p.contains(':'));
    assert_eq!(core, CORE, "core and plugin permissions");
    assert!(
        own.len() > 30,
        "the app's commands are granted one by one: {own:?}"
    );
    for permission in own {
        // Each names one command (see `tests/commands.rs`), never a wildcard or a default set.
        let command = permission.strip_prefix("allow-").unwrap();
        assert!(
            command.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{permission}"
        );
    }
}
