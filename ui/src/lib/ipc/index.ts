// The only module that talks to Tauri. Screens import from here; tests replace `invoke` with
// Tauri's own IPC mock, so they exercise this module too.
import { Channel, invoke, type InvokeArgs, type InvokeOptions } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { AnswerUpdate } from './bindings/AnswerUpdate';
import type { JiraChoiceUpdate } from './bindings/JiraChoiceUpdate';
import type { CommentView } from './bindings/CommentView';
import type { ConnectionCheck } from './bindings/ConnectionCheck';
import type { DraftId } from './bindings/DraftId';
import type { DraftList } from './bindings/DraftList';
import type { DraftQuery } from './bindings/DraftQuery';
import type { DraftSummary } from './bindings/DraftSummary';
import type { DraftView } from './bindings/DraftView';
import type { DownloadProgress } from './bindings/DownloadProgress';
import type { DuplicateDraft } from './bindings/DuplicateDraft';
import type { ErrorCode } from './bindings/ErrorCode';
import type { Escalation } from './bindings/Escalation';
import type { Exported } from './bindings/Exported';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { Imported } from './bindings/Imported';
import type { InviteRequest } from './bindings/InviteRequest';
import type { IpcError } from './bindings/IpcError';
import type { MeetingOutcome } from './bindings/MeetingOutcome';
import type { MeetingView } from './bindings/MeetingView';
import type { NewDraft } from './bindings/NewDraft';
import type { ProviderSummary } from './bindings/ProviderSummary';
import type { Recap } from './bindings/Recap';
import type { RecapEdit } from './bindings/RecapEdit';
import type { Saved } from './bindings/Saved';
import type { ScreenshotSlotRef } from './bindings/ScreenshotSlotRef';
import type { SettingsUpdate } from './bindings/SettingsUpdate';
import type { SsoChecks } from './bindings/SsoChecks';
import type { SettingsView } from './bindings/SettingsView';
import type { Submission } from './bindings/Submission';
import type { Ticket } from './bindings/Ticket';
import type { UpdateStatus } from './bindings/UpdateStatus';
import { EVENT } from './bindings/constants';

export type { AnswerUpdate } from './bindings/AnswerUpdate';
export type { AnswerValue } from './bindings/AnswerValue';
export type { DraftId } from './bindings/DraftId';
export type { DraftList } from './bindings/DraftList';
export type { DraftQuery } from './bindings/DraftQuery';
export type { DraftSort } from './bindings/DraftSort';
export type { DraftStatus } from './bindings/DraftStatus';
export type { DraftSummary } from './bindings/DraftSummary';
export type { DraftView } from './bindings/DraftView';
export type { ErrorCode } from './bindings/ErrorCode';
export type { Field } from './bindings/Field';
export type { FieldKind } from './bindings/FieldKind';
export type { HistoryEntry } from './bindings/HistoryEntry';
export type { Imported } from './bindings/Imported';
export type { Issue } from './bindings/Issue';
export type { Kind } from './bindings/Kind';
export type { ProviderSummary } from './bindings/ProviderSummary';
export type { Readiness } from './bindings/Readiness';
export type { Saved } from './bindings/Saved';
export type { Screenshot } from './bindings/Screenshot';
export type { ScreenshotSlotRef } from './bindings/ScreenshotSlotRef';
export type { Step } from './bindings/Step';
export type { StepId } from './bindings/StepId';
export type { AdfMark } from './bindings/AdfMark';
export type { AdfNode } from './bindings/AdfNode';
export type { Ticket } from './bindings/Ticket';
export type { StatusSync } from './bindings/StatusSync';
export type { Turn } from './bindings/Turn';
export type { Waiting } from './bindings/Waiting';
export type { Submission } from './bindings/Submission';
export type { CommentView } from './bindings/CommentView';
export type { ConnectionCheck } from './bindings/ConnectionCheck';
export type { Deployment } from './bindings/Deployment';
export type { DeskChoice } from './bindings/DeskChoice';
export type { DeskListing } from './bindings/DeskListing';
export type { Settings } from './bindings/Settings';
export type { SettingsUpdate } from './bindings/SettingsUpdate';
export type { SettingsView } from './bindings/SettingsView';
export type { Exported } from './bindings/Exported';
export type { MeetingNote } from './bindings/MeetingNote';
export type { MeetingState } from './bindings/MeetingState';
export type { MeetingTimes } from './bindings/MeetingTimes';
export type { MeetingView } from './bindings/MeetingView';
export type { Outcome } from './bindings/Outcome';
export type { Person } from './bindings/Person';
export type { Recap } from './bindings/Recap';
export type { Severity } from './bindings/Severity';
export type { SsoChecks } from './bindings/SsoChecks';
export type { DownloadProgress } from './bindings/DownloadProgress';
export type { UpdateStatus } from './bindings/UpdateStatus';
export { EVENT, FIELD } from './bindings/constants';

/** Every failed call rejects with this; `ipc` covers failures Tauri raises before the core runs.
 * `field` names the form field the message is about, when it is about one. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode | 'ipc',
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** What to tell the CSM about a failure: the core's message, or the failure itself. */
export function errorText(e: unknown): string {
  return e instanceof AppError ? e.message : String(e);
}

function isIpcError(e: unknown): e is IpcError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await invoke<T>(command, args, options);
  } catch (e) {
    if (isIpcError(e)) throw new AppError(e.code, e.message, e.field ?? null);
    throw new AppError('ipc', `Onramp could not reach its core (${String(e)}).`);
  }
}

export const ipc = {
  startupStatus: () => call<null>('startup_status'),
  listProviders: () => call<ProviderSummary[]>('list_providers'),
  listDrafts: (query: DraftQuery) => call<DraftList>('list_drafts', { query }),
  duplicateDraft: (input: DuplicateDraft) => call<DraftView>('duplicate_draft', { input }),
  setEscalation: (input: Escalation) => call<DraftSummary>('set_escalation', { input }),
  setJiraChoice: (input: JiraChoiceUpdate) => call<DraftView>('set_jira_choice', { input }),
  trashDraft: (id: DraftId) => call<null>('trash_draft', { id }),
  restoreDraft: (id: DraftId) => call<null>('restore_draft', { id }),
  purgeDraft: (id: DraftId) => call<null>('purge_draft', { id }),
  /** Support's ticket is done: the CSM confirms the integration works. The home's new row. */
  markLive: (id: DraftId) => call<DraftSummary>('mark_live', { id }),
  /** Sends what waits and reads the tickets' statuses now; `onOutboxChanged` says when done. */
  checkJiraNow: () => call<null>('check_jira_now'),
  draftHistory: (id: DraftId) => call<HistoryEntry[]>('draft_history', { id }),
  /** What was written on the draft's ticket, as the status sync last read it. */
  ticketComments: (id: DraftId) => call<CommentView[]>('ticket_comments', { id }),
  /** The CSM's reply on the ticket, posted once as soon as Jira answers; the thread as it reads now. */
  replyToTicket: (id: DraftId, text: string) => call<CommentView[]>('reply_to_ticket', { id, text }),
  draftTicket: (id: DraftId) => call<Ticket>('draft_ticket', { id }),
  /** Copies the support-channel message (written by Rust: the page has no clipboard access). */
  copySlackMessage: (id: DraftId) => call<string>('copy_slack_message', { id }),
  /** Queues the draft; the app's outbox worker sends it when Jira can be reached. */
  submitDraft: (id: DraftId) => call<Submission>('submit_draft', { id }),
  draftSubmission: (id: DraftId) => call<Submission | null>('draft_submission', { id }),
  retrySubmission: (id: DraftId) => call<Submission>('retry_submission', { id }),
  /** Opens the draft's Jira ticket in the browser (from Rust: the page may open nothing). */
  openTicket: (id: DraftId) => call<null>('open_ticket', { id }),
  /** Posts the support-channel message through the saved Slack webhook; resolves to it. */
  postToSlack: (id: DraftId) => call<string>('post_to_slack', { id }),
  getSettings: () => call<SettingsView>('get_settings'),
  saveSettings: (input: SettingsUpdate) => call<SettingsView>('save_settings', { input }),
  /** Signs in with what the form holds, saved or not. */
  testConnection: (input: SettingsUpdate) => call<ConnectionCheck>('test_connection', { input }),
  createDraft: (input: NewDraft) => call<DraftView>('create_draft', { input }),
  openDraft: (id: DraftId) => call<DraftView>('open_draft', { id }),
  setAnswer: (input: AnswerUpdate) => call<Saved>('set_answer', { input }),
  /** The file's bytes go as the raw body; headers carry where they belong. */
  attachScreenshot: async (target: ScreenshotSlotRef, file: File) =>
    call<DraftView>('attach_screenshot', new Uint8Array(await file.arrayBuffer()), {
      headers: {
        'onramp-draft-id': target.draftId,
        'onramp-slot-id': encodeURIComponent(target.slotId),
        'onramp-file-name': encodeURIComponent(file.name),
      },
    }),
  attachScreenshotFile: (target: ScreenshotSlotRef, path: string) =>
    call<DraftView>('attach_screenshot_file', { target, path }),
  removeScreenshot: (target: ScreenshotSlotRef) => call<DraftView>('remove_screenshot', { target }),
  screenshotImage: (target: ScreenshotSlotRef) => call<string>('screenshot_image', { target }),
  /** Reads the clipboard in Rust: WebKitGTK gives the page an empty one for raw images. */
  pasteScreenshot: (target: ScreenshotSlotRef) => call<DraftView>('paste_screenshot', { target }),
  /** Saves the bundle in the Downloads folder; resolves to its path. */
  exportBundle: (id: DraftId) => call<string>('export_bundle', { id }),
  importBundle: async (file: File) =>
    call<Imported>('import_bundle', new Uint8Array(await file.arrayBuffer())),
  meetingView: (id: DraftId) => call<MeetingView>('meeting_view', { id }),
  /** Saves the invite (or its cancellation) in the exports folder and opens it in the calendar app. */
  exportInvite: (input: InviteRequest) => call<Exported>('export_invite', { input }),
  recordMeetingOutcome: (input: MeetingOutcome) => call<MeetingView>('record_meeting_outcome', { input }),
  markRecordingProcessed: (id: DraftId) => call<MeetingView>('mark_recording_processed', { id }),
  getRecap: (id: DraftId) => call<Recap>('get_recap', { id }),
  saveRecap: (input: RecapEdit) => call<Recap>('save_recap', { input }),
  resetRecap: (id: DraftId) => call<Recap>('reset_recap', { id }),
  /** Saves the recap as an .eml draft and opens it in the mail app. */
  exportRecap: (id: DraftId) => call<Exported>('export_recap', { id }),
  /** Opens the recap in the mail app through a mailto: link (plain text). */
  mailRecap: (id: DraftId) => call<null>('mail_recap', { id }),
  copyRecap: (id: DraftId) => call<null>('copy_recap', { id }),
  ssoChecks: (id: DraftId) => call<SsoChecks>('sso_checks', { id }),
  /** Runs the checks that need the network now: the metadata URL, the OIDC issuer. */
  checkOnline: (id: DraftId) => call<SsoChecks>('check_online', { id }),
  /** A dropped metadata file (Rust reads it: the page has no file system access). */
  metadataFromFile: (id: DraftId, path: string) => call<SsoChecks>('metadata_from_file', { id, path }),
  /** Asks the team's update feed (the playbook's) for a newer Onramp; downloads nothing. */
  checkForUpdate: () => call<UpdateStatus>('check_for_update'),
  /** Downloads the release the last check found, checks its signature, installs it and restarts
   * Onramp; resolves only if it could not. */
  installUpdate: (onProgress: (p: DownloadProgress) => void) => {
    const progress = new Channel<DownloadProgress>();
    progress.onmessage = onProgress;
    return call<null>('install_update', { progress });
  },
};

/** Files dropped on the window (Tauri's native drag-and-drop; HTML5 drops are unreliable in
 * WebKitGTK). `x`/`y` are CSS pixels in the page. Resolves to a function that stops listening. */
export async function onFilesDropped(
  handler: (paths: string[], x: number, y: number) => void,
): Promise<() => void> {
  // Loaded when first needed, with the window module it uses: the home, the first screen,
  // needs neither.
  const { getCurrentWebview } = await import('@tauri-apps/api/webview');
  return getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type !== 'drop') return;
    const scale = window.devicePixelRatio || 1;
    const { x, y } = event.payload.position;
    handler(event.payload.paths, x / scale, y / scale);
  });
}

/** Runs `handler`, and waits for it, before the window closes however it is closed (the title
 * bar, Ctrl+Q, logging out). `keepOpen()` cancels that close. Resolves to a function that stops. */
export async function beforeWindowCloses(
  handler: (keepOpen: () => void) => Promise<void>,
): Promise<() => void> {
  const { getCurrentWindow } = await import('@tauri-apps/api/window');
  return getCurrentWindow().onCloseRequested(async (event) => {
    await handler(() => event.preventDefault());
  });
}

/** Closes the window, which quits Onramp; `beforeWindowCloses` handlers run first. */
export async function closeWindow(): Promise<void> {
  const { getCurrentWindow } = await import('@tauri-apps/api/window');
  await getCurrentWindow().close();
}

/** Something in the outbox changed (a ticket was created, an attempt failed). */
export async function onOutboxChanged(handler: () => void): Promise<() => void> {
  return listen(EVENT.outboxChanged, handler);
}
