/// Every command the window may call. Declaring them makes Tauri require an explicit grant in
/// `capabilities/`, so nothing is callable by accident.
const COMMANDS: &[&str] = &[
    "startup_status",
    "list_providers",
    "list_drafts",
    "create_draft",
    "open_draft",
    "set_answer",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
