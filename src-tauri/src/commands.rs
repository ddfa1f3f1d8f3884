//! Tauri commands: parse, call the core, map the error. No logic lives here.

use std::path::PathBuf;

use onramp_core::bundle::Imported;
use onramp_core::drafts::{
    AnswerUpdate, DraftList, DraftSummary, DraftView, DuplicateDraft, Escalation, NewDraft, Saved,
};
use onramp_core::follow_up::CommentView;
use onramp_core::jira::ConnectionCheck;
use onramp_core::jira_choices::JiraChoiceUpdate;
use onramp_core::model::HistoryEntry;
use onramp_core::model::Submission;
use onramp_core::model::{DraftId, DraftQuery};
use onramp_core::playbook::ProviderSummary;
use onramp_core::screenshots::ScreenshotSlotRef;
use onramp_core::screenshots::png_data_url;
use onramp_core::settings::{SettingsUpdate, SettingsView};
use onramp_core::ticket::Ticket;
use onramp_core::{Error, desktop};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::IpcError;
use crate::outbox::Outbox;
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
pub async fn list_drafts(core: State<'_, Core>, query: DraftQuery) -> Reply<DraftList> {
    core.with(|o| o.drafts_home(&query))
}

#[tauri::command]
pub async fn create_draft(core: State<'_, Core>, input: NewDraft) -> Reply<DraftView> {
    core.with(|o| o.create_draft(&input))
}

#[tauri::command]
pub async fn duplicate_draft(core: State<'_, Core>, input: DuplicateDraft) -> Reply<DraftView> {
    core.with(|o| o.duplicate_draft(&input))
}

#[tauri::command]
pub async fn open_draft(core: State<'_, Core>, id: DraftId) -> Reply<DraftView> {
    core.with(|o| o.open_draft(id))
}

#[tauri::command]
pub async fn set_answer(core: State<'_, Core>, input: AnswerUpdate) -> Reply<Saved> {
    core.with(|o| o.set_answer(&input))
}

#[tauri::command]
pub async fn set_escalation(core: State<'_, Core>, input: Escalation) -> Reply<DraftSummary> {
    core.with(|o| o.set_escalation(&input))
}

/// The CSM's choice, on Review, for a Jira field the project requires.
#[tauri::command]
pub async fn set_jira_choice(core: State<'_, Core>, input: JiraChoiceUpdate) -> Reply<DraftView> {
    core.with(|o| o.set_jira_choice(&input))
}

#[tauri::command]
pub async fn trash_draft(core: State<'_, Core>, id: DraftId) -> Reply<()> {
    core.with(|o| o.trash_draft(id))
}

/// The CSM confirms the integration works, Support's ticket being done.
#[tauri::command]
pub async fn mark_live(core: State<'_, Core>, id: DraftId) -> Reply<DraftSummary> {
    core.with(|o| o.mark_live(id))
}

#[tauri::command]
pub async fn restore_draft(core: State<'_, Core>, id: DraftId) -> Reply<()> {
    core.with(|o| o.restore_draft(id))
}

#[tauri::command]
pub async fn purge_draft(core: State<'_, Core>, id: DraftId) -> Reply<()> {
    core.with(|o| o.purge_draft(id))
}

/// The Jira ticket the draft becomes, for the Review step's preview.
#[tauri::command]
pub async fn draft_ticket(core: State<'_, Core>, id: DraftId) -> Reply<Ticket> {
    core.with(|o| o.ticket(id))
}

/// What was written on the draft's ticket, as the status sync last read it.
#[tauri::command]
pub async fn ticket_comments(core: State<'_, Core>, id: DraftId) -> Reply<Vec<CommentView>> {
    core.with(|o| o.ticket_comments(id))
}

/// The CSM's reply on the draft's ticket: kept, then posted once by the outbox worker, woken
/// now. The thread as it now reads.
#[tauri::command]
pub async fn reply_to_ticket(
    core: State<'_, Core>,
    outbox: State<'_, Outbox>,
    id: DraftId,
    text: String,
) -> Reply<Vec<CommentView>> {
    let thread = core.with(|o| o.reply_to_ticket(id, &text))?;
    outbox.wake();
    Ok(thread)
}

#[tauri::command]
pub async fn draft_history(core: State<'_, Core>, id: DraftId) -> Reply<Vec<HistoryEntry>> {
    core.with(|o| o.history(id))
}

/// The image's bytes travel as the raw request body (no JSON number arrays for 25 MB); the
/// draft, slot and file name travel in headers.
#[tauri::command]
pub async fn attach_screenshot(core: State<'_, Core>, request: Request<'_>) -> Reply<DraftView> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(invalid("the screenshot must be sent as raw bytes"));
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .ok_or_else(|| invalid(&format!("the `{name}` header is missing")))
    };
    let target = ScreenshotSlotRef {
        draft_id: header("onramp-draft-id")?.parse().map_err(IpcError::from)?,
        slot_id: header("onramp-slot-id")?,
    };
    let file_name = header("onramp-file-name")?;
    let bytes = bytes.clone();
    core.blocking(move |shared| shared.attach_screenshot(&target, &file_name, &bytes))
        .await
}

/// A file dropped on the window: Tauri's drag-and-drop event gives its path.
#[tauri::command]
pub async fn attach_screenshot_file(
    core: State<'_, Core>,
    target: ScreenshotSlotRef,
    path: PathBuf,
) -> Reply<DraftView> {
    core.blocking(move |shared| shared.attach_screenshot_file(&target, &path))
        .await
}

#[tauri::command]
pub async fn remove_screenshot(
    core: State<'_, Core>,
    target: ScreenshotSlotRef,
) -> Reply<DraftView> {
    core.with(|o| o.remove_screenshot(&target))
}

/// The full-size screenshot as a `data:` URL the window can show under its CSP.
#[tauri::command]
pub async fn screenshot_image(core: State<'_, Core>, target: ScreenshotSlotRef) -> Reply<String> {
    core.with(|o| o.screenshot_png(&target).map(|png| png_data_url(&png)))
}

/// Exports the draft's bundle to the Downloads folder (the home folder if there is none), as a
/// browser saves a download. Returns where it went.
#[tauri::command]
pub async fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, Core>,
    id: DraftId,
) -> Reply<String> {
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| {
            IpcError::from(Error::Storage(format!(
                "there is no folder to save to: {e}"
            )))
        })?;
    core.with(|o| o.export_bundle_into(id, &dir))
        .map(|path| path.display().to_string())
}

/// The bundle's bytes travel as the raw request body, like a screenshot's.
#[tauri::command]
pub async fn import_bundle(core: State<'_, Core>, request: Request<'_>) -> Reply<Imported> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(invalid("the bundle must be sent as raw bytes"));
    };
    let bytes = bytes.clone();
    core.blocking(move |shared| shared.import_bundle(&bytes))
        .await
}

/// Copies the message that raises the request in the support channel, with the ticket's key
/// and link once it exists. Returns the message, so the window can show what was copied.
#[tauri::command]
pub async fn copy_slack_message<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, Core>,
    id: DraftId,
) -> Reply<String> {
    let message = core.with(|o| o.support_message(id))?;
    app.clipboard().write_text(message.clone()).map_err(|e| {
        IpcError::from(Error::Storage(format!(
            "the clipboard refused the message: {e}"
        )))
    })?;
    Ok(message)
}

/// Puts a ready draft in the outbox and wakes the worker that sends it.
#[tauri::command]
pub async fn submit_draft(
    core: State<'_, Core>,
    outbox: State<'_, Outbox>,
    id: DraftId,
) -> Reply<Submission> {
    // Refused before queueing: a draft must not wait for settings that do not exist.
    core.with(|o| o.jira_settings())?;
    let queued = core.with(|o| o.queue_submission(id))?;
    outbox.wake();
    Ok(queued)
}

#[tauri::command]
pub async fn draft_submission(core: State<'_, Core>, id: DraftId) -> Reply<Option<Submission>> {
    core.with(|o| o.submission(id))
}

/// "Check Jira now": the outbox worker sends what waits and reads the tickets' statuses at
/// once instead of at its next tick; the window hears when it is done (`outbox-changed`).
#[tauri::command]
pub async fn check_jira_now(outbox: State<'_, Outbox>) -> Reply<()> {
    outbox.wake();
    Ok(())
}

/// "Retry now": due at once, and the worker is woken.
#[tauri::command]
pub async fn retry_submission(
    core: State<'_, Core>,
    outbox: State<'_, Outbox>,
    id: DraftId,
) -> Reply<Submission> {
    let queued = core.with(|o| o.retry_submission(id))?;
    outbox.wake();
    Ok(queued)
}

/// Pastes the clipboard's image into a slot. Read here because WebKitGTK hands the page an empty
/// clipboard for raw images.
#[tauri::command]
pub async fn paste_screenshot<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, Core>,
    target: ScreenshotSlotRef,
) -> Reply<DraftView> {
    let image = app.clipboard().read_image().map_err(|e| {
        invalid(&format!(
            "the clipboard holds no image to paste; copy a screenshot first ({e})"
        ))
    })?;
    let (width, height) = (image.width(), image.height());
    let rgba = image.rgba().to_vec();
    core.blocking(move |shared| shared.attach_screenshot_rgba(&target, width, height, rgba))
        .await
}

#[tauri::command]
pub async fn get_settings(core: State<'_, Core>) -> Reply<SettingsView> {
    core.with(|o| o.settings())
}

/// Saves the settings (secrets into the OS keyring) and wakes the outbox: drafts waiting for a
/// working connection may go now.
#[tauri::command]
pub async fn save_settings(
    core: State<'_, Core>,
    outbox: State<'_, Outbox>,
    input: SettingsUpdate,
) -> Reply<SettingsView> {
    let saved = core.shared()?.save_settings(input).await?;
    outbox.wake();
    Ok(saved)
}

/// "Test connection" with what the form holds, saved or not.
#[tauri::command]
pub async fn test_connection(
    core: State<'_, Core>,
    input: SettingsUpdate,
) -> Reply<ConnectionCheck> {
    let settings = core.with(|o| o.jira_settings_from(&input))?;
    Ok(core
        .shared()?
        .test_jira(settings, &input.settings.csm_email)
        .await?)
}

/// Opens the draft's Jira ticket in the browser.
#[tauri::command]
pub async fn open_ticket(core: State<'_, Core>, id: DraftId) -> Reply<()> {
    let url = core.with(|o| o.ticket_url(id))?;
    open::that_detached(desktop::link(&url)?).map_err(|e| {
        invalid(&format!(
            "no browser could be started for {url} ({e}); copy the link instead"
        ))
    })
}

/// Posts the support-channel message through the Slack webhook saved in Settings.
#[tauri::command]
pub async fn post_to_slack(core: State<'_, Core>, id: DraftId) -> Reply<String> {
    let (webhook, message) = core.with(|o| {
        let webhook = o.slack_webhook()?.ok_or_else(|| {
            Error::InvalidInput(
                "no Slack webhook is saved; add one in Settings, or copy the message instead"
                    .into(),
            )
        })?;
        Ok((webhook, o.support_message(id)?))
    })?;
    onramp_core::slack::post(&webhook, &message)
        .await
        .map_err(IpcError::from)?;
    Ok(message)
}

fn invalid(message: &str) -> IpcError {
    IpcError::from(Error::InvalidInput(message.to_owned()))
}
