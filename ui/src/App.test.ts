import { mockIPC, clearMocks } from '@tauri-apps/api/mocks';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { DraftSummary, DraftView } from '$lib/ipc';

const okta = { id: 'okta', kind: 'sso', name: 'Okta', aliases: [] };
const ukg = { id: 'ukg-pro', kind: 'hris', name: 'UKG Pro', aliases: ['UltiPro'] };
const draftView: DraftView = {
  draft: {
    id: '7f1c2a4e-0000-4000-8000-000000000001',
    kind: 'hris',
    providerId: 'ukg-pro',
    status: 'draft',
    createdAt: '2026-11-25T09:00:00Z',
    updatedAt: '2026-11-25T09:00:00Z',
    answers: {},
  },
  providerName: 'UKG Pro',
  steps: [
    {
      id: 'account',
      title: 'Account & contacts',
      fields: [{ id: 'company', label: 'Company name', kind: 'short_text', required: true }],
    },
  ],
};

afterEach(() => clearMocks());

describe('App', () => {
  it('shows an empty home that says what to do', async () => {
    mockIPC((cmd) => (cmd === 'list_drafts' ? [] : null));
    render(App);
    expect(await screen.findByRole('heading', { name: 'No requests yet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New request' })).toBeTruthy();
  });

  it('lists drafts with company, kind, provider and an Open button', async () => {
    const drafts: DraftSummary[] = [
      {
        id: draftView.draft.id,
        kind: 'hris',
        providerId: 'ukg-pro',
        providerName: 'UKG Pro',
        company: 'Globex Clinics',
        status: 'draft',
        updatedAt: '2026-11-25T09:00:00Z',
      },
    ];
    mockIPC((cmd) => (cmd === 'list_drafts' ? drafts : null));
    render(App);
    const open = await screen.findByRole('button', { name: 'Open Globex Clinics (UKG Pro)' });
    const row = open.closest('tr');
    expect(row?.textContent).toContain('HRIS');
    expect(row?.textContent).toContain('UKG Pro');
  });

  it('creates a draft for the provider chosen by kind, then opens its first step', async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      switch (cmd) {
        case 'list_drafts':
          return [];
        case 'list_providers':
          return [okta, ukg];
        case 'create_draft':
        case 'open_draft':
          return draftView;
        default:
          return null;
      }
    });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'New request' }));
    await user.click(await screen.findByLabelText('HR system integration (HRIS)'));
    const provider = screen.getByLabelText<HTMLSelectElement>('HRIS provider');
    await screen.findByRole('option', { name: 'UKG Pro' });
    expect([...provider.options].map((o) => o.text)).toEqual(['UKG Pro']);
    await user.click(screen.getByRole('button', { name: 'Create draft' }));

    expect(calls).toContainEqual(['create_draft', { input: { providerId: 'ukg-pro' } }]);
    const company = await screen.findByLabelText('Company name');
    expect(document.activeElement).toBe(company);
  });

  it('shows why the core could not open instead of a blank window', async () => {
    mockIPC((cmd) => {
      if (cmd === 'startup_status') {
        throw { code: 'database_too_new', message: 'this database was written by a newer version of Onramp' };
      }
      return null;
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Onramp cannot open your data' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('newer version of Onramp');
  });
});
