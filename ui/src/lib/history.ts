// How one entry of a draft's audit trail reads in the History dialog.
import type { AnswerValue, HistoryEntry } from '$lib/ipc';

export type ChangeLine = { what: string; before: string; after: string };

const sources: Record<HistoryEntry['source'], string> = {
  window: 'Window',
  cli: 'Command line',
  import: 'Import',
};

export function sourceLabel(source: HistoryEntry['source']): string {
  return sources[source];
}

export function valueText(value: AnswerValue | null): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : '—';
  return value.trim() === '' ? '—' : value;
}

export function describeChange(entry: HistoryEntry): ChangeLine {
  const field = entry.label ?? entry.fieldId ?? '';
  const none = { before: '', after: '' };
  switch (entry.event) {
    case 'created':
      return { what: 'Draft created', ...none };
    case 'trashed':
      return { what: 'Moved to the trash', ...none };
    case 'restored':
      return { what: 'Restored from the trash', ...none };
    case 'imported':
      return { what: 'Imported from a bundle', ...none };
    case 'queued':
      return { what: 'Queued for Jira', ...none };
    case 'submitted':
      return { what: 'Jira ticket created', before: '', after: valueText(entry.newValue) };
    case 'meeting':
      return { what: 'Meeting', before: '', after: valueText(entry.newValue) };
    case 'live':
      return { what: 'Marked live', before: '', after: valueText(entry.newValue) };
    case 'ticket':
      return { what: 'Jira ticket', before: valueText(entry.oldValue), after: valueText(entry.newValue) };
    case 'status': {
      // The values are the escalation notes: an empty new note ends the escalation.
      const ended = valueText(entry.newValue) === '—';
      return ended
        ? { what: 'Escalation ended', before: valueText(entry.oldValue), after: '' }
        : { what: 'Escalated', before: '', after: valueText(entry.newValue) };
    }
    case 'screenshot': {
      // Screenshots are recorded by content hash; whether one was there is what a CSM reads.
      const shown = (v: AnswerValue | null) => (v === null ? 'none' : 'a screenshot');
      return { what: `Screenshot: ${field}`, before: shown(entry.oldValue), after: shown(entry.newValue) };
    }
    case 'answer':
      return { what: field, before: valueText(entry.oldValue), after: valueText(entry.newValue) };
  }
}
