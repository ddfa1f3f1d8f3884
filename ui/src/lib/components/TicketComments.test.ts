import { clearMocks, mockIPC } from '$lib/ipc/testing';
import { render, screen, within } from '@testing-library/svelte';
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

  it('says when there are none yet', async () => {
    mockIPC((cmd) => (cmd === 'ticket_comments' ? [] : null));
    render(TicketComments, { id: 'draft-1', issueKey: 'ONB-1' });
    expect(await screen.findByText(/No comments yet/)).toBeTruthy();
  });
});
