import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '$lib/ipc';
import { describeChange, valueText } from './history';

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  at: '2026-11-25T09:00:00Z',
  source: 'window',
  event: 'answer',
  fieldId: null,
  label: null,
  oldValue: null,
  newValue: null,
  ...over,
});

describe('the history of a draft', () => {
  it('shows an answer by its label with the old and new value', () => {
    expect(
      describeChange(entry({ fieldId: 'company', label: 'Company name', oldValue: 'Acme', newValue: 'Acme Health' })),
    ).toEqual({ what: 'Company name', before: 'Acme', after: 'Acme Health' });
  });

  it('falls back to the field ID when the playbook no longer asks the field', () => {
    expect(describeChange(entry({ fieldId: 'old_field', newValue: true })).what).toBe('old_field');
  });

  it('reads yes/no, lists and empty values in words', () => {
    expect(valueText(true)).toBe('Yes');
    expect(valueText(false)).toBe('No');
    expect(valueText(['SAML', 'SCIM'])).toBe('SAML, SCIM');
    expect(valueText(null)).toBe('—');
    expect(valueText('  ')).toBe('—');
  });

  it('tells escalating from ending an escalation', () => {
    expect(describeChange(entry({ event: 'status', newValue: 'Contract unclear' }))).toEqual({
      what: 'Escalated',
      before: '',
      after: 'Contract unclear',
    });
    expect(describeChange(entry({ event: 'status', oldValue: 'Contract unclear', newValue: '' }))).toEqual({
      what: 'Escalation ended',
      before: 'Contract unclear',
      after: '',
    });
  });

  it('says a screenshot was added or removed, not its hash', () => {
    const added = describeChange(entry({ event: 'screenshot', label: 'Connector', newValue: 'ab12' }));
    expect(added).toEqual({ what: 'Screenshot: Connector', before: 'none', after: 'a screenshot' });
    const removed = describeChange(entry({ event: 'screenshot', label: 'Connector', oldValue: 'ab12' }));
    expect(removed.after).toBe('none');
  });

  it('shows where Support moved the ticket in its workflow', () => {
    expect(describeChange(entry({ event: 'ticket', oldValue: 'To Do', newValue: 'Done (Won\'t Do)' }))).toEqual({
      what: 'Jira ticket',
      before: 'To Do',
      after: "Done (Won't Do)",
    });
  });

  it('says when the CSM confirmed the integration is live', () => {
    expect(describeChange(entry({ event: 'live', newValue: 'ONB-7 done; you confirmed it works' }))).toEqual({
      what: 'Marked live',
      before: '',
      after: 'ONB-7 done; you confirmed it works',
    });
  });

  it('names the Jira ticket a submission created', () => {
    expect(describeChange(entry({ event: 'submitted', newValue: 'ONB-42' }))).toEqual({
      what: 'Jira ticket created',
      before: '',
      after: 'ONB-42',
    });
  });
});
