import { clearMocks, mockIPC } from '$lib/ipc/testing';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import UpdateBanner from './UpdateBanner.svelte';
import UpdatesSection from './UpdatesSection.svelte';
import { updates } from '$lib/updates.svelte';
import type { UpdateStatus } from '$lib/ipc';

const FEED = 'https://updates.example.com/latest.json';
const available: UpdateStatus = {
  state: 'available',
  current: '0.1.0',
  version: '0.2.0',
  notes: 'Service desk requests',
  feed: FEED,
};

afterEach(() => {
  clearMocks();
  updates.status = null;
  updates.dismissed = false;
  updates.installError = null;
  updates.checkError = null;
});

/** The feed answers `status`; an install fails with `installFailure`, as the core words it. */
function feed(status: UpdateStatus, installFailure = 'not installed'): string[] {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === 'check_for_update') return status;
    if (cmd === 'install_update') throw { code: 'update', message: installFailure, field: null };
    return null;
  });
  return calls;
}

describe('UpdateBanner', () => {
  it('offers a newer release with its notes, and installs only when asked', async () => {
    const calls = feed(
      available,
      'Onramp 0.2.0 from https://updates.example.com/latest.json is not signed with the key built into this Onramp, so it was not installed.',
    );
    await updates.check();
    const user = userEvent.setup();
    render(UpdateBanner);
    expect(screen.getByText('Onramp 0.2.0 is available.')).toBeTruthy();
    expect(screen.getByText('Service desk requests')).toBeTruthy();
    expect(calls).toEqual(['check_for_update']);
    await user.click(screen.getByRole('button', { name: 'Install and restart' }));
    expect((await screen.findByRole('alert')).textContent).toContain('is not signed with the key built into this Onramp');
    expect(calls).toEqual(['check_for_update', 'install_update']);
    // A refused package is not offered again, once the CSM has read why.
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('button', { name: 'Install and restart' })).toBeNull();
  });

  it('goes away for this session when the CSM says not now', async () => {
    feed(available);
    await updates.check();
    const user = userEvent.setup();
    render(UpdateBanner);
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByText('Onramp 0.2.0 is available.')).toBeNull();
  });

  it('says why a release the feed offers is refused', async () => {
    feed({ state: 'refused', message: 'The update feed offers Onramp 0.0.9, older than this Onramp 0.1.0.', feed: FEED });
    await updates.check();
    render(UpdateBanner);
    expect(screen.getByRole('alert').textContent).toContain('older than this Onramp 0.1.0');
  });

  it('shows nothing when up to date or when the feed is out of reach', async () => {
    for (const status of [
      { state: 'upToDate', current: '0.1.0', feed: FEED },
      { state: 'unreachable', message: 'offline', feed: FEED },
    ] as UpdateStatus[]) {
      feed(status);
      await updates.check();
      const { container, unmount } = render(UpdateBanner);
      expect(container.textContent?.trim()).toBe('');
      unmount();
    }
  });
});

describe('UpdatesSection', () => {
  it('checks on request and says the version is the latest', async () => {
    const calls = feed({ state: 'upToDate', current: '0.1.0', feed: FEED });
    const user = userEvent.setup();
    render(UpdatesSection);
    await user.click(screen.getByRole('button', { name: 'Check for updates' }));
    expect((await screen.findByRole('status')).textContent).toBe('Onramp 0.1.0 is the latest version.');
    expect(screen.getByText(`Feed: ${FEED}`)).toBeTruthy();
    expect(calls).toEqual(['check_for_update']);
  });

  it('says when the team has no feed, and offers no check', async () => {
    feed({ state: 'noFeed' });
    await updates.check();
    render(UpdatesSection);
    expect(screen.getByText(/names no update feed/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check for updates' })).toBeNull();
  });

  it('says why the feed could not be read', async () => {
    feed({ state: 'unreachable', message: 'Onramp could not read its update feed (offline).', feed: FEED });
    await updates.check();
    render(UpdatesSection);
    expect(screen.getByRole('alert').textContent).toBe('Onramp could not read its update feed (offline).');
  });
});
