import { clearMocks, mockIPC } from '$lib/ipc/testing';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import TicketComments from './TicketComments.svelte';
import type { CommentView } from '$lib/ipc';

afterEach(() => clearMocks());

const comment = (over: Partial<CommentView>): CommentView => ({
  id: '30000',
  author: 'Sam Support',
  at: '2026-12-07T10:00:00Z',
  text: 'Certificate received, setting up.',
  public: true,
  yours: false,
  replyNeeded: false,
  sending: null,
  ...over,
});

describe("the comments on a draft's ticket", () => {
  it("shows who wrote what, marks the CSM's own and flags Support's open question", async () => {
    mockIPC((cmd) =>
      cmd === 'ticket_comments'
        ? [
            comment({}),
            comment({ id: '30001', author: 'Casey Morgan', text: 'Thanks!', yours: true }),
            comment({ id: '30002', text: 'Can you send the certificate again?', public: false, replyNeeded: true }),
          ]
        : null,
    );
    render(TicketComments, { id: 'draft-1', issueKey: 'ONB-1' });
    expect(await screen.findByRole('heading', { name: 'Comments on ONB-1' })).toBeTruthy();
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(3);
    const [support, mine, question] = items.map((item) => within(item));
    expect(mine?.getByText('You (Casey Morgan)')).toBeTruthy();
    expect(question?.getByText('Reply needed')).toBeTruthy();
    expect(question?.getByText('internal')).toBeTruthy();
    expect(support?.queryByText('Reply needed')).toBeNull();
  });

  it('sends a reply and shows it waiting, or says beside the box why it cannot go', async () => {
    const sent: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'ticket_comments') return [comment({ text: 'Can you send it again?', replyNeeded: true })];
      if (cmd === 'reply_to_ticket') {
        const { text } = args as { text: string };
        if (text.trim() === '') throw { code: 'invalid_input', message: 'Write the reply first.', field: 'reply' };
        sent.push(text);
        return [
          comment({ text: 'Can you send it again?' }),
          comment({ id: 'r1', author: 'You', text, yours: true, sending: 'Waiting to be sent' }),
        ];
      }
      return null;
    });
    const user = userEvent.setup();
    render(TicketComments, { id: 'draft-1', issueKey: 'ONB-1' });
    await screen.findByText('Reply needed');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Write the reply first.')).toBeTruthy();
    expect(screen.getByLabelText('Reply on ONB-1').getAttribute('aria-invalid')).toBe('true');
    await user.type(screen.getByLabelText('Reply on ONB-1'), 'Sent it by email.');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Waiting to be sent')).toBeTruthy();
    expect(sent).toEqual(['Sent it by email.']);
    expect((screen.getByLabelText('Reply on ONB-1') as HTMLTextAreaElement).value).toBe('');
    expect(screen.queryByText('Reply needed')).toBeNull();
  });

  it('says when there are none yet', async () => {
    mockIPC((cmd) => (cmd === 'ticket_comments' ? [] : null));
    render(TicketComments, { id: 'draft-1', issueKey: 'ONB-1' });
    expect(await screen.findByText(/No comments yet/)).toBeTruthy();
  });
});
