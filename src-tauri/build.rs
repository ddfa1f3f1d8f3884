// The command list, shared with `lib.rs` (see that file).
include!("src/command_list.rs");

/// Every command the window may call. Declaring them makes Tauri require an explicit grant in
/// `capabilities/`, so nothing is callable by accident.
const COMMANDS: &[&str] = for_each_command!(command_names);

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
