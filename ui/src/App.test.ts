import { clearMocks, emit, mockIPC, mockWindows } from '$lib/ipc/testing';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { DraftList, DraftSummary, DraftView, Field, Issue, ProviderSummary, Readiness } from '$lib/ipc';

const okta: ProviderSummary = { id: 'okta', kind: 'sso', name: 'Okta', aliases: [] };
const ukg: ProviderSummary = { id: 'ukg-pro', kind: 'hris', name: 'UKG Pro', aliases: ['UltiPro'] };
const bamboo: ProviderSummary = { id: 'bamboohr', kind: 'hris', name: 'BambooHR', aliases: [] };

function field(id: string, label: string, extra: Partial<Field> = {}): Field {
  const rules = { https: false, format: null, pattern: null, patternHint: null, maxLength: null };
  return { id, label, kind: 'short_text', required: true, help: null, placeholder: null, options: [], when: null, rules, ...extra };
}

function readiness(issues: Issue[]): Readiness {
  return {
    ready: issues.length === 0,
    hidden: [],
    retired: [],
    steps: [
      { step: 'account', title: 'Account & contacts', required: 2, done: 2 - issues.length, issues },
      { step: 'review', title: 'Review & submit', required: 0, done: 0, issues: [] },
    ],
  };
}

const missingCompany: Issue = { fieldId: 'company', label: 'Company name', kind: 'missing', message: 'Required: fill this in.' };
const badEmail: Issue = {
  fieldId: 'contact_email',
  label: 'Contact email',
  kind: 'invalid',
  message: 'Enter an email address such as name@example.com.',
};

const draftView: DraftView = {
  draft: {
    id: '7f1c2a4e-0000-4000-8000-000000000001',
    kind: 'hris',
    providerId: 'ukg-pro',
    status: 'draft',
    createdAt: '2026-11-25T09:00:00Z',
    updatedAt: '2026-11-25T09:00:00Z',
    answers: {},
    statusNote: null,
    deletedAt: null,
  },
  screenshots: [],
  jiraChoices: [],
  uploadNotes: [],
  provider: ukg,
  suggestedSso: null,
  providerName: 'UKG Pro',
  steps: [
    {
      id: 'account',
      title: 'Account & contacts',
      intro: 'Who the customer is.',
      notes: [],
      credentials: [],
      fields: [field('company', 'Company name'), field('contact_email', 'Contact email', { kind: 'email' })],
    },
    { id: 'review', title: 'Review & submit', intro: 'Check everything.', notes: [], credentials: [], fields: [] },
  ],
  readiness: readiness([missingCompany]),
};

const unnamed: DraftSummary = {
  id: draftView.draft.id,
  kind: 'hris',
  providerId: 'ukg-pro',
  providerName: 'UKG Pro',
  company: null,
  status: 'draft',
  statusNote: null,
  openItems: 1,
  issueKey: null,
  jiraStatus: null,
  ticketNote: null,
  canMarkLive: false,
  waiting: null,
  updatedAt: '2026-11-25T09:00:00Z',
  deletedAt: null,
};

afterEach(() => clearMocks());

/** What `list_drafts` answers: these drafts, all there are. */
const page = (...drafts: DraftSummary[]): DraftList => ({ drafts, total: drafts.length, statusSync: null });

describe('App', () => {
  it('shows an empty home that says what to do', async () => {
    mockIPC((cmd) => (cmd === 'list_drafts' ? page() : null));
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
        status: 'escalated',
        statusNote: 'Contract covers 50 users; customer says 400',
        openItems: 3,
        issueKey: null,
        jiraStatus: null,
        ticketNote: null,
        canMarkLive: false,
        waiting: null,
        updatedAt: '2026-11-25T09:00:00Z',
        deletedAt: null,
      },
      {
        ...unnamed,
        id: '7f1c2a4e-0000-4000-8000-000000000002',
        company: 'Initech Care',
        status: 'submitted',
        openItems: 0,
        issueKey: 'ONB-7',
        jiraStatus: 'In Progress',
      },
    ];
    mockIPC((cmd) => (cmd === 'list_drafts' ? page(...drafts) : null));
    render(App);
    const open = await screen.findByRole('button', { name: 'Open Globex Clinics (UKG Pro)' });
    const row = open.closest('tr');
    expect(row?.textContent).toContain('HRIS');
    expect(row?.textContent).toContain('UKG Pro');
    expect(row?.textContent).toContain('Escalated');
    const submitted = screen.getByRole('button', { name: 'Open Initech Care (UKG Pro)' }).closest('tr');
    expect(submitted?.textContent).toContain('Jira ONB-7 · In Progress');
    expect(row?.textContent).toContain('Contract covers 50 users; customer says 400');
    expect(row?.textContent).toContain('3 to do');
  });

  it("says what the core found of a ticket beyond its status, and why Jira's statuses could not be read", async () => {
    const done: DraftSummary = {
      ...unnamed,
      id: 'draft-done',
      company: 'Initech Care',
      status: 'submitted',
      issueKey: 'ONB-7',
      jiraStatus: 'Done',
      ticketNote: 'Support finished ONB-7 in Jira (Done).',
    };
    const failed = {
      at: '2026-11-25T09:00:00Z',
      tracked: 1,
      requests: 0,
      error: "Jira's ticket statuses could not be read: Jira had a problem (500).",
    };
    mockIPC((cmd) => (cmd === 'list_drafts' ? { ...page(done), statusSync: failed } : null));
    render(App);
    const row = (await screen.findByRole('button', { name: 'Open Initech Care (UKG Pro)' })).closest('tr');
    expect(row?.textContent).toContain('Jira ONB-7 · Done');
    expect(row?.textContent).toContain('Support finished ONB-7 in Jira (Done).');
    const status = await screen.findByText(/Jira's ticket statuses could not be read: Jira had a problem \(500\)\./);
    expect(status.textContent).toContain('Onramp tries again every half minute.');
  });

  it('offers Mark live once Support finished the ticket, and shows the row the core returns', async () => {
    const done: DraftSummary = {
      ...unnamed,
      id: 'draft-done',
      company: 'Initech Care',
      status: 'recap_sent',
      issueKey: 'ONB-7',
      jiraStatus: 'Done',
      ticketNote: 'Support finished ONB-7 in Jira (Done).',
      canMarkLive: true,
    };
    let row = done;
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'list_drafts') return page(row);
      if (cmd === 'mark_live') {
        row = { ...done, status: 'live', canMarkLive: false };
        return row;
      }
      return null;
    });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Mark live: Initech Care (UKG Pro)' }));
    expect(calls).toContain('mark_live');
    await waitFor(() => expect(screen.queryByRole('button', { name: /^Mark live/ })).toBeNull());
    const status = screen.getByRole('button', { name: 'Open Initech Care (UKG Pro)' }).closest('tr');
    expect(status?.textContent).toContain('Live');
  });

  it('says whom each request waits on, and asks the core for what needs you first', async () => {
    const queries: unknown[] = [];
    const waiting: DraftSummary = {
      ...unnamed,
      id: 'draft-waiting',
      company: 'Initech Care',
      waiting: { on: 'customer', since: '2026-11-25T09:00:00Z', why: '2 things from the customer still missing' },
    };
    mockIPC((cmd, args) => {
      if (cmd !== 'list_drafts') return null;
      queries.push((args as { query: unknown }).query);
      return page(waiting);
    });
    const user = userEvent.setup();
    render(App);
    const row = (await screen.findByRole('button', { name: 'Open Initech Care (UKG Pro)' })).closest('tr');
    expect(row?.textContent).toContain('Waiting on the customer: 2 things from the customer still missing (since');
    await user.selectOptions(screen.getByLabelText('Order'), 'What needs you first');
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ sort: 'needs_you' }));
  });

  it('lists the most recent drafts a page at a time, and shows more on request', async () => {
    const limits: number[] = [];
    const many = Array.from({ length: 250 }, (_, n) => ({ ...unnamed, id: `draft-${n}`, company: `Customer ${n}` }));
    mockIPC((cmd, args) => {
      if (cmd !== 'list_drafts') return null;
      const { limit } = (args as { query: { limit: number } }).query;
      limits.push(limit);
      return { drafts: many.slice(0, limit), total: many.length, statusSync: null };
    });
    const user = userEvent.setup();
    render(App);
    expect(await screen.findByText('Showing the 100 most recent of 250. Search to find an older one.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Open Customer 100 (UKG Pro)' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show 100 more' }));
    expect(await screen.findByRole('button', { name: 'Open Customer 199 (UKG Pro)' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Show 50 more' }));
    expect(await screen.findByRole('button', { name: 'Open Customer 249 (UKG Pro)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /more$/ })).toBeNull();
    expect(limits).toEqual([100, 200, 300]);
    // Role queries over 300 rows take jsdom seconds on a busy 2-core machine; this checks
    // paging, not speed (that lives in `cargo xtask bench`).
  }, 30_000);

  it('searches, filters by status and moves drafts to the trash and back', async () => {
    const queries: unknown[] = [];
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'list_drafts') {
        const { query } = args as { query: { trash: boolean } };
        queries.push(query);
        return query.trash ? page({ ...unnamed, deletedAt: '2026-11-25T10:00:00Z' }) : page(unnamed);
      }
      return null;
    });
    const user = userEvent.setup();
    render(App);
    await user.type(await screen.findByLabelText('Search requests'), 'acme');
    await user.selectOptions(screen.getByLabelText('Status'), 'Escalated');
    await waitFor(() =>
      expect(queries).toContainEqual({ search: 'acme', status: 'escalated', trash: false, limit: 100, sort: 'recent' }),
    );

    await user.click(screen.getByRole('button', { name: 'Move to trash: unnamed company (UKG Pro)' }));
    expect(calls).toContain('trash_draft');
    await user.click(screen.getByLabelText('Show the trash'));
    expect(await screen.findByRole('heading', { name: 'Trash' })).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Restore unnamed company (UKG Pro)' }));
    expect(calls).toContain('restore_draft');
  });

  it('finds the provider by alias within the kind, creates the draft and opens its first step', async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      switch (cmd) {
        case 'list_drafts':
          return page();
        case 'list_providers':
          return [okta, ukg, bamboo];
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
    expect(screen.getByLabelText('BambooHR')).toBeTruthy();
    await user.type(screen.getByLabelText('Find a provider'), 'ultipro');
    expect(screen.queryByLabelText('BambooHR')).toBeNull();
    expect(screen.queryByLabelText('Okta')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(screen.getByRole('alert').textContent).toBe('Choose the provider the customer uses.');
    expect(calls.map(([cmd]) => cmd)).not.toContain('create_draft');

    await user.click(screen.getByLabelText('UKG Pro'));
    await user.click(screen.getByRole('button', { name: 'Create draft' }));
    expect(calls).toContainEqual(['create_draft', { input: { providerId: 'ukg-pro' } }]);
    const company = await screen.findByLabelText('Company name');
    await waitFor(() => expect(document.activeElement).toBe(company));
  });

  it('shows a wrong value next to its field and keeps the CSM on the step', async () => {
    const saved: unknown[] = [];
    mockIPC((cmd, args) => {
      switch (cmd) {
        case 'list_drafts':
          return page(unnamed);
        case 'open_draft':
          return draftView;
        case 'set_answer':
          saved.push(args);
          return { updatedAt: '2026-11-25T09:01:00Z', readiness: readiness([missingCompany, badEmail]) };
        default:
          return null;
      }
    });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Open unnamed company (UKG Pro)' }));
    const email = await screen.findByLabelText('Contact email');
    await user.type(email, 'jane@');
    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(saved).toContainEqual({
      input: { draftId: draftView.draft.id, fieldId: 'contact_email', value: 'jane@' },
    });
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Account & contacts');
    expect(document.activeElement).toBe(email);
    const message = document.getElementById(email.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('Enter an email address such as name@example.com.');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    // The missing company is named too, now that the CSM tried to move on.
    expect(screen.getByText('Required: fill this in.')).toBeTruthy();
  });

  it('moves between steps with Alt+arrow keys and focuses each step', async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case 'list_drafts':
          return page(unnamed);
        case 'open_draft':
          return draftView;
        default:
          return null;
      }
    });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Open unnamed company (UKG Pro)' }));
    expect(document.activeElement).toBe(await screen.findByLabelText('Company name'));

    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    const review = await screen.findByRole('heading', { level: 2, name: 'Review & submit' });
    expect(document.activeElement).toBe(review);
    expect(screen.getByRole('button', { name: 'Submit to Jira' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Company name' })).toBeTruthy();

    await user.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    expect(document.activeElement).toBe(await screen.findByLabelText('Company name'));
  });

  it.each([
    ['playbook', 'providers/sso/okta.toml:3:1: `nmae`: unknown field', 'The playbook has mistakes'],
    ['database_too_new', 'this database was written by a newer version of Onramp', 'Onramp cannot open your data'],
  ])('explains a %s start-up failure instead of showing a blank window', async (code, message, title) => {
    mockIPC((cmd) => {
      if (cmd === 'startup_status') throw { code, message };
      return null;
    });
    render(App);
    expect(await screen.findByRole('heading', { name: title })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(message);
  });

  it('attaches a file dropped on a screenshot slot to that slot', async () => {
    mockWindows('main');
    const withSlot: DraftView = {
      ...draftView,
      readiness: readiness([]),
      steps: [
        draftView.steps[0]!,
        {
          id: 'screenshots',
          title: 'Screenshots',
          intro: 'What to ask for.',
          notes: [],
          credentials: [],
          fields: [field('connector', 'Connector', { kind: 'screenshot', required: false })],
        },
      ],
    };
    const calls: Array<[string, unknown]> = [];
    mockIPC(
      (cmd, args) => {
        calls.push([cmd, args]);
        if (cmd === 'list_drafts') return page(unnamed);
        if (cmd === 'open_draft' || cmd === 'attach_screenshot_file') return withSlot;
        return null;
      },
      { shouldMockEvents: true },
    );
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Open unnamed company (UKG Pro)' }));
    await screen.findByLabelText('Company name');
    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await screen.findByRole('heading', { level: 2, name: 'Screenshots' });

    // jsdom lays nothing out: say which element is under the drop point, as WebKit would.
    const slot = document.querySelector<HTMLElement>('[data-slot-id="connector"]');
    document.elementFromPoint = () => slot;
    await emit('tauri://drag-drop', { paths: ['/home/csm/connector.png'], position: { x: 40, y: 80 } });
    await waitFor(() =>
      expect(calls).toContainEqual([
        'attach_screenshot_file',
        { target: { draftId: draftView.draft.id, slotId: 'connector' }, path: '/home/csm/connector.png' },
      ]),
    );
  });

  it('submits a ready draft, shows it queued with the reason, and retries on request', async () => {
    const ready: DraftView = { ...draftView, readiness: readiness([]) };
    const calls: string[] = [];
    let submission: unknown = null;
    mockIPC((cmd) => {
      calls.push(cmd);
      switch (cmd) {
        case 'list_drafts':
          return page(unnamed);
        case 'open_draft':
          return ready;
        case 'draft_submission':
          return submission;
        case 'submit_draft':
        case 'retry_submission':
          submission = {
            draftId: ready.draft.id,
            state: 'queued',
            issueKey: null,
            attempts: 1,
            nextAttemptAt: '2026-11-25T09:01:00Z',
            lastError: 'Jira could not be reached (no network, or the site URL is wrong)',
            jiraStatus: null,
            jiraCategory: null,
            jiraResolution: null,
            ticketGoneSince: null,
            sending: false,
            draftStatus: 'queued',
          };
          return submission;
        default:
          return null;
      }
    });
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Open unnamed company (UKG Pro)' }));
    await screen.findByLabelText('Company name');
    await user.keyboard('{Alt>}{ArrowRight}{/Alt}');
    const submit = await screen.findByRole('button', { name: 'Submit to Jira' });
    expect(submit.hasAttribute('disabled')).toBe(false);
    await user.click(submit);
    expect(await screen.findByText(/Queued for Jira; the last try said: Jira could not be reached/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Submit to Jira' }).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(calls).toContain('retry_submission');
  });
  it('shows the status the core has after a submission changes, never one it works out itself', async () => {
    // A request whose meeting is scheduled, open in the window while the outbox syncs statuses.
    const scheduled: DraftView = {
      ...draftView,
      draft: { ...draftView.draft, status: 'meeting_scheduled' },
      readiness: readiness([]),
    };
    const done = {
      draftId: scheduled.draft.id,
      state: 'done',
      issueKey: 'ONB-7',
      attempts: 1,
      nextAttemptAt: '2026-11-25T09:01:00Z',
      lastError: null,
      jiraStatus: 'In Progress',
      sending: false,
      draftStatus: 'meeting_scheduled',
    };
    let asked = 0;
    mockIPC(
      (cmd) => {
        if (cmd === 'list_drafts') return page({ ...unnamed, status: 'meeting_scheduled' });
        if (cmd === 'open_draft') return scheduled;
        if (cmd === 'draft_submission') {
          asked += 1;
          return done;
        }
        return null;
      },
      { shouldMockEvents: true },
    );
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole('button', { name: 'Open unnamed company (UKG Pro)' }));
    await screen.findByLabelText('Company name');
    const status = () => document.querySelector('.eyebrow .status')?.textContent;
    expect(status()).toBe('Meeting scheduled');

    await emit('outbox-changed', null);
    await waitFor(() => expect(asked).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(status()).toBe('Meeting scheduled');
  });
});
