// Every command the window may call, written once. `build.rs` includes this file to declare
// them to Tauri (so each needs an explicit grant in `capabilities/`), `lib.rs` registers their
// handlers from it, and `tests/commands.rs` checks that `ui/src/lib/ipc/index.ts` calls exactly
// these and that the capability grants exactly these.

/// Calls `$then!` with every command's path, `module::name`.
macro_rules! for_each_command {
    ($then:ident) => {
        $then! {
            commands::startup_status,
            commands::list_providers,
            commands::list_drafts,
            commands::create_draft,
            commands::duplicate_draft,
            commands::open_draft,
            commands::set_answer,
            commands::set_escalation,
            commands::set_jira_choice,
            commands::trash_draft,
            commands::restore_draft,
            commands::purge_draft,
            commands::mark_live,
            commands::check_jira_now,
            commands::draft_history,
            commands::ticket_comments,
            commands::reply_to_ticket,
            commands::draft_ticket,
            commands::attach_screenshot,
            commands::attach_screenshot_file,
            commands::remove_screenshot,
            commands::screenshot_image,
            commands::paste_screenshot,
            commands::copy_slack_message,
            commands::submit_draft,
            commands::draft_submission,
            commands::retry_submission,
            commands::export_bundle,
            commands::import_bundle,
            commands::get_settings,
            commands::save_settings,
            commands::test_connection,
            commands::open_ticket,
            commands::post_to_slack,
            meeting::meeting_view,
            meeting::export_invite,
            meeting::record_meeting_outcome,
            meeting::mark_recording_processed,
            meeting::get_recap,
            meeting::save_recap,
            meeting::reset_recap,
            meeting::export_recap,
            meeting::mail_recap,
            meeting::copy_recap,
            sso::sso_checks,
            sso::check_online,
            sso::metadata_from_file,
            updates::check_for_update,
            updates::install_update,
        }
    };
}

/// The commands' names, as the window invokes them: `for_each_command!(command_names)`.
#[allow(unused_macros)] // build.rs and the tests take the names; lib.rs only the handlers
macro_rules! command_names {
    ($($module:ident :: $name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}
