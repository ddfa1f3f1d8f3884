//! Tauri commands for the integration meeting and its recap: parse, call the core, map the error.

use onramp_core::meeting::{ExportedFile, MeetingOutcome, MeetingView};
use onramp_core::model::DraftId;
use onramp_core::recap::{Recap, RecapEdit};
use onramp_core::{Error, Onramp, desktop};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use ts_rs::TS;

use crate::IpcError;
use crate::state::Core;

type Reply<T> = Result<T, IpcError>;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InviteRequest {
    pub draft_id: DraftId,
    /// Export the cancellation instead of the invite.
    pub cancel: bool,
}

/// Where an exported file went, and whether an app could open it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: String,
    /// Why no app opened it, when none did; the file is saved either way.
    pub not_opened: Option<String>,
}

/// Saves `file` in the exports folder and hands it to the desktop's default app for its type.
fn save_and_open(o: &Onramp, file: &ExportedFile, app_kind: &str) -> onramp_core::Result<Exported> {
    let path = desktop::export(&o.exports_dir(), &o.save_export(file)?)?;
    let not_opened = open::that_detached(&path).err().map(|e| {
        format!("no {app_kind} app could open it ({e}); open the file from its folder instead")
    });
    Ok(Exported {
        path: path.display().to_string(),
        not_opened,
    })
}

#[tauri::command]
pub async fn meeting_view(core: State<'_, Core>, id: DraftId) -> Reply<MeetingView> {
    core.with(|o| o.meeting(id))
}

#[tauri::command]
pub async fn export_invite(core: State<'_, Core>, input: InviteRequest) -> Reply<Exported> {
    core.with(|o| {
        let file = o.export_invite(input.draft_id, input.cancel)?;
        save_and_open(o, &file, "calendar")
    })
}

#[tauri::command]
pub async fn record_meeting_outcome(
    core: State<'_, Core>,
    input: MeetingOutcome,
) -> Reply<MeetingView> {
    core.with(|o| o.record_meeting_outcome(&input))
}

#[tauri::command]
pub async fn mark_recording_processed(core: State<'_, Core>, id: DraftId) -> Reply<MeetingView> {
    core.with(|o| o.mark_recording_processed(id))
}

#[tauri::command]
pub async fn get_recap(core: State<'_, Core>, id: DraftId) -> Reply<Recap> {
    core.with(|o| o.recap(id))
}

#[tauri::command]
pub async fn save_recap(core: State<'_, Core>, input: RecapEdit) -> Reply<Recap> {
    core.with(|o| o.save_recap(&input))
}

#[tauri::command]
pub async fn reset_recap(core: State<'_, Core>, id: DraftId) -> Reply<Recap> {
    core.with(|o| o.reset_recap(id))
}

#[tauri::command]
pub async fn export_recap(core: State<'_, Core>, id: DraftId) -> Reply<Exported> {
    core.with(|o| {
        let file = o.export_recap(id)?;
        save_and_open(o, &file, "mail")
    })
}

/// Opens the recap in the default mail app through a `mailto:` link.
#[tauri::command]
pub async fn mail_recap(core: State<'_, Core>, id: DraftId) -> Reply<()> {
    let link = core.with(|o| o.recap_mailto(id))?;
    open::that_detached(desktop::link(&link)?).map_err(|e| {
        IpcError::from(Error::InvalidInput(format!(
            "no mail app could be started ({e}); export the recap as an .eml file or copy it instead"
        )))
    })
}

#[tauri::command]
pub async fn copy_recap<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, Core>,
    id: DraftId,
) -> Reply<()> {
    let text = core.with(|o| o.recap_text(id))?;
    app.clipboard().write_text(text).map_err(|e| {
        IpcError::from(Error::Storage(format!(
            "the clipboard refused the recap: {e}"
        )))
    })
}
