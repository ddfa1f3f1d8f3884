import { clearMocks, mockIPC } from '$lib/ipc/testing';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import MeetingPanel from './MeetingPanel.svelte';
import type { MeetingView, Recap } from '$lib/ipc';

const planned: MeetingView = {
  state: 'planned',
  sequence: 0,
  times: null,
  attendees: [],
  problems: ["Choose the customer's time zone.", "Enter the meeting's date and time."],
  recordingProcessed: false,
  recapAvailable: false,
  history: [],
  draftStatus: 'submitted',
};

const held: MeetingView = {
  ...planned,
  state: 'held',
  problems: [],
  times: { customer: 'Mon 9 Mar 2026, 10:00–10:30 EDT (America/New_York)', local: '…', utcStart: '2026-03-09T14:00:00Z' },
  recordingProcessed: true,
  recapAvailable: true,
  history: [{ at: '2026-03-09T15:00:00Z', what: 'Meeting held (Mon 9 Mar 2026, 10:00–10:30 EDT)' }],
};

const recap: Recap = {
  from: { name: 'Casey', email: 'casey@medtrainer.example' },
  to: [{ name: 'Jordan Lee', email: 'jordan@hooli.example' }],
  subject: 'Okta SSO integration for Hooli: recap of our meeting',
  body: 'Hello Jordan Lee,\n',
  edited: false,
  attachment: 'one-pager.pdf',
};

afterEach(() => clearMocks());

function show(meeting: MeetingView) {
  let current = meeting;
  render(MeetingPanel, {
    id: 'd1',
    meeting,
    flush: async () => {},
    onchange: (m: MeetingView) => (current = m),
  });
  return () => current;
}

describe('MeetingPanel', () => {
  it('says what is missing before the invite can go out, and offers no export until then', () => {
    mockIPC(() => null);
    show(planned);
    expect(screen.getByText("Choose the customer's time zone.")).toBeTruthy();
    const exportButton = screen.getByRole('button', { name: 'Export the invite (.ics)' });
    expect((exportButton as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Meeting held' })).toBeNull();
  });

  it('records the outcome the CSM chooses', async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'record_meeting_outcome') {
        sent.push((args as { input: unknown }).input);
        return { ...planned, state: 'held', problems: [] };
      }
      return null;
    });
    const current = show({ ...planned, state: 'invited', problems: [] });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Meeting held' }));
    expect(sent).toEqual([{ draftId: 'd1', outcome: 'held' }]);
    expect(current().state).toBe('held');
  });

  it('shows the recap with its attachment and puts a refused subject next to the field', async () => {
    mockIPC((cmd) => {
      if (cmd === 'get_recap') return recap;
      if (cmd === 'save_recap') {
        throw { code: 'invalid_input', message: 'Write a subject: mail apps…', field: 'recapSubject' };
      }
      return null;
    });
    show(held);
    const subject = await screen.findByLabelText('Subject');
    expect((subject as HTMLInputElement).value).toBe(recap.subject);
    expect(screen.getByText(/One-Pager \(one-pager\.pdf\) is attached/)).toBeTruthy();
    const user = userEvent.setup();
    await user.clear(subject);
    await user.click(screen.getByRole('button', { name: 'Export the recap (.eml)' }));
    const message = await screen.findByText('Write a subject: mail apps…');
    expect(message.id).toBe('error-recapSubject');
    expect(subject.getAttribute('aria-describedby')).toBe('error-recapSubject');
  });
});
