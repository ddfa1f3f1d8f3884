import type { DraftStatus, Turn, Waiting } from '$lib/ipc';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** "25 Nov 2026, 09:41" in the CSM's locale and time zone. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "4 Jan 2027": a day as UTC names it (certificate validity). */
export function formatDate(iso: string): string {
  return day.format(new Date(iso));
}

export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}

export function kindLabel(kind: 'sso' | 'hris'): string {
  return kind === 'sso' ? 'SSO' : 'HRIS';
}

export const STATUSES = [
  'draft',
  'ready',
  'queued',
  'submitted',
  'meeting_scheduled',
  'recap_sent',
  'live',
  'escalated',
] as const satisfies readonly DraftStatus[];

const statusLabels: Record<DraftStatus, string> = {
  draft: 'Draft',
  ready: 'Ready',
  queued: 'Queued',
  submitted: 'Submitted',
  meeting_scheduled: 'Meeting scheduled',
  recap_sent: 'Recap sent',
  escalated: 'Escalated',
  live: 'Live',
};

export function statusLabel(status: DraftStatus): string {
  return statusLabels[status];
}

const turnLabels: Record<Turn, string> = {
  you: 'Your move',
  customer: 'Waiting on the customer',
  support: 'With Support',
};

/** Whom a request waits on, what for and since when, as the drafts home says it. */
export function waitingText(waiting: Waiting): string {
  return `${turnLabels[waiting.on]}: ${waiting.why} (since ${formatDateTime(waiting.since)})`;
}
