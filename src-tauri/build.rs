/// Every command the window may call. Declaring them makes Tauri require an explicit grant in
/// `capabilities/`, so nothing is callable by accident.
const COMMANDS: &[&str] = &[
    "startup_status",
    "list_providers",
    "list_drafts",
    "create_draft",
    "duplicate_draft",
    "open_draft",
    "set_answer",
    "set_escalation",
    "trash_draft",
    "restore_draft",
    "purge_draft",
    "draft_history",
    "draft_ticket",
    "attach_screenshot",
    "attach_screenshot_file",
    "remove_screenshot",
    "screenshot_image",
    "paste_screenshot",
    "copy_slack_message",
    "submit_draft",
    "draft_submission",
    "retry_submission",
    "export_bundle",
    "import_bundle",
    "get_settings",
    "save_settings",
    "test_connection",
    "open_ticket",
    "post_to_slack",
    "meeting_view",
    "export_invite",
    "record_meeting_outcome",
    "mark_recording_processed",
    "get_recap",
    "save_recap",
    "reset_recap",
    "export_recap",
    "mail_recap",
    "copy_recap",
    "sso_checks",
    "check_online",
    "metadata_from_file",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
