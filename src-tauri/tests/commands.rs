//! The window's commands are written once (`src/command_list.rs`): declared by `build.rs`,
//! registered by `lib.rs`. The window must call exactly those, and be granted exactly those.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

use std::collections::BTreeSet;
use std::path::Path;

include!("../src/command_list.rs");

const COMMANDS: &[&str] = for_each_command!(command_names);

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// The commands `ui/src/lib/ipc/index.ts` invokes: every `call<…>('name'` in it.
fn called_by_the_window() -> BTreeSet<String> {
    let source = read("../ui/src/lib/ipc/index.ts");
    let mut found = BTreeSet::new();
    for (at, _) in source.match_indices("call<") {
        let rest = &source[at..];
        // `call<T>('name', …)`; the definition, `call<T>(command: …`, names none.
        let Some(open) = rest.find(">(") else {
            continue;
        };
        let Some(quoted) = rest[open + 2..].strip_prefix('\'') else {
            continue;
        };
        let name: String = quoted
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        found.insert(name);
    }
    found
}

#[test]
fn the_window_calls_exactly_the_commands_the_shell_registers() {
    let declared: BTreeSet<String> = COMMANDS.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(declared.len(), COMMANDS.len(), "a command is listed twice");
    let called = called_by_the_window();
    let missing: Vec<_> = called.difference(&declared).collect();
    let unused: Vec<_> = declared.difference(&called).collect();
    assert!(
        missing.is_empty() && unused.is_empty(),
        "index.ts calls commands the shell does not register: {missing:?}; the shell registers commands index.ts never calls: {unused:?}"
    );
}

#[test]
fn the_window_is_granted_exactly_the_commands_the_shell_registers() {
    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/main-window.json")).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|c| c.replace('-', "_"))
        .collect();
    let declared: BTreeSet<String> = COMMANDS.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(granted, declared);
}
