//! Tauri commands: parse, call the core, map the error. No logic lives here.

use onramp_core::drafts::{AnswerUpdate, DraftId, DraftSummary, DraftView, NewDraft, Saved};
use onramp_core::playbook::ProviderSummary;
use tauri::State;

use crate::IpcError;
use crate::state::Core;

type Reply<T> = Result<T, IpcError>;

/// Ok when the core opened; otherwise why not (shown on the error screen).
#[tauri::command]
pub async fn startup_status(core: State<'_, Core>) -> Reply<()> {
    core.with(|_| Ok(()))
}

#[tauri::command]
pub async fn list_providers(core: State<'_, Core>) -> Reply<Vec<ProviderSummary>> {
    core.with(|o| Ok(o.providers()))
}

#[tauri::command]
pub async fn list_drafts(core: State<'_, Core>) -> Reply<Vec<DraftSummary>> {
    core.with(|o| o.list_drafts())
}

#[tauri::command]
pub async fn create_draft(core: State<'_, Core>, input: NewDraft) -> Reply<DraftView> {
    core.with(|o| o.create_draft(&input))
}

#[tauri::command]
pub async fn open_draft(core: State<'_, Core>, id: DraftId) -> Reply<DraftView> {
    core.with(|o| o.open_draft(id))
}

#[tauri::command]
pub async fn set_answer(core: State<'_, Core>, input: AnswerUpdate) -> Reply<Saved> {
    core.with(|o| o.set_answer(&input))
}
