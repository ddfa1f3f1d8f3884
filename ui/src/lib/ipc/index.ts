// The only module that talks to Tauri. Screens import from here; tests replace `invoke` with
// Tauri's own IPC mock, so they exercise this module too.
import { invoke } from '@tauri-apps/api/core';
import type { AnswerUpdate } from './bindings/AnswerUpdate';
import type { DraftId } from './bindings/DraftId';
import type { DraftSummary } from './bindings/DraftSummary';
import type { DraftView } from './bindings/DraftView';
import type { ErrorCode } from './bindings/ErrorCode';
import type { IpcError } from './bindings/IpcError';
import type { NewDraft } from './bindings/NewDraft';
import type { ProviderSummary } from './bindings/ProviderSummary';
import type { Saved } from './bindings/Saved';

export type { AnswerUpdate } from './bindings/AnswerUpdate';
export type { AnswerValue } from './bindings/AnswerValue';
export type { DraftId } from './bindings/DraftId';
export type { DraftSummary } from './bindings/DraftSummary';
export type { DraftView } from './bindings/DraftView';
export type { ErrorCode } from './bindings/ErrorCode';
export type { Field } from './bindings/Field';
export type { Issue } from './bindings/Issue';
export type { Kind } from './bindings/Kind';
export type { ProviderSummary } from './bindings/ProviderSummary';
export type { Readiness } from './bindings/Readiness';
export type { Saved } from './bindings/Saved';
export type { Step } from './bindings/Step';
export type { StepId } from './bindings/StepId';

/** Every failed call rejects with this; `ipc` covers failures Tauri raises before the core runs. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode | 'ipc',
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

function isIpcError(e: unknown): e is IpcError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isIpcError(e)) throw new AppError(e.code, e.message);
    throw new AppError('ipc', `Onramp could not reach its core (${String(e)}).`);
  }
}

export const ipc = {
  startupStatus: () => call<null>('startup_status'),
  listProviders: () => call<ProviderSummary[]>('list_providers'),
  listDrafts: () => call<DraftSummary[]>('list_drafts'),
  createDraft: (input: NewDraft) => call<DraftView>('create_draft', { input }),
  openDraft: (id: DraftId) => call<DraftView>('open_draft', { id }),
  setAnswer: (input: AnswerUpdate) => call<Saved>('set_answer', { input }),
};
