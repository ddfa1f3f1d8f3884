import { clearMocks, mockIPC } from '$lib/ipc/testing';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import Settings from './Settings.svelte';
import type { SettingsUpdate, SettingsView } from '$lib/ipc';

const saved: SettingsView = {
  settings: {
    jiraSite: 'https://acme.atlassian.net',
    jiraMode: 'project',
    serviceDesk: null,
    deployment: 'cloud',
    jiraEmail: 'casey@acme.example',
    jiraProject: 'ONB',
    jiraIssueType: 'Task',
    jiraLabels: ['onramp'],
    jiraScopedToken: false,
    csmName: 'Casey Morgan',
    csmEmail: 'casey@acme.example',
  },
  tokenSaved: true,
  slackWebhookSaved: false,
  overriddenBy: [],
  keyring: 'the desktop keyring (Secret Service)',
  watcher: null,
  issueTypes: [],
  desks: [],
};

afterEach(() => clearMocks());

/** Settings that load as `view` and save as they are; returns what each save sent. */
function savingSettings(view: SettingsView): SettingsUpdate[] {
  const sent: SettingsUpdate[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'get_settings') return view;
    if (cmd === 'save_settings') {
      sent.push((args as { input: SettingsUpdate }).input);
      return view;
    }
    return null;
  });
  return sent;
}

describe('Settings', () => {
  it('offers the project’s issue types by name and saves the one chosen by its ID', async () => {
    const sent = savingSettings({
      ...saved,
      watcher: 'You watch each ticket as Casey Morgan, whose token this is.',
      issueTypes: [
        { id: '10001', name: 'Task' },
        { id: '10003', name: 'Support Request' },
      ],
    });
    const user = userEvent.setup();
    render(Settings, { onClose: () => {} });
    const type = (await screen.findByLabelText('Issue type')) as HTMLSelectElement;
    expect(type.tagName).toBe('SELECT');
    // Saved by name before the list was known: shown as the type it names.
    expect(type.selectedOptions[0]?.textContent).toBe('Task');
    expect(screen.getByText('You watch each ticket as Casey Morgan, whose token this is.')).toBeTruthy();
    await user.selectOptions(type, 'Support Request');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(sent[0]?.settings.jiraIssueType).toBe('10003');
  });

  it('keeps the saved token unless a new one is typed, and says where it is kept', async () => {
    const sent = savingSettings(saved);
    const user = userEvent.setup();
    render(Settings, { onClose: () => {} });
    const token = await screen.findByLabelText('API token');
    expect(token.getAttribute('type')).toBe('password');
    expect(screen.getByText(/Kept in the desktop keyring \(Secret Service\)/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(sent[0]?.token).toBeNull();
    await user.type(token, 'new-token');
    await user.clear(screen.getByLabelText('Labels'));
    await user.type(screen.getByLabelText('Labels'), 'onramp sso');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(sent[1]?.token).toBe('new-token');
    expect(sent[1]?.settings.jiraLabels).toEqual(['onramp', 'sso']);
    expect(sent[1]?.settings.jiraScopedToken).toBe(false);
    // A service account's scoped token: the box says so, and it is saved with the rest.
    await user.click(screen.getByLabelText('Scoped API token'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(sent[2]?.settings.jiraScopedToken).toBe(true);
  });

  it('removes a saved secret only when its box is ticked, the webhook as the token', async () => {
    const sent = savingSettings({ ...saved, slackWebhookSaved: true });
    const user = userEvent.setup();
    render(Settings, { onClose: () => {} });
    const webhook = await screen.findByLabelText('Support channel incoming-webhook URL (optional)');
    expect(webhook.getAttribute('placeholder')).toBe('Saved — type a new one to replace it');
    await user.click(screen.getByLabelText('Remove the saved webhook'));
    expect((webhook as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(sent[0]?.slackWebhook).toBe('');
    expect(sent[0]?.token).toBeNull();
    await user.click(screen.getByLabelText('Remove the saved token'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(sent[1]?.token).toBe('');
  });

  it('shows a refused value next to its field', async () => {
    mockIPC((cmd) => {
      if (cmd === 'get_settings') return saved;
      if (cmd === 'save_settings') {
        throw {
          code: 'invalid_input',
          message: '`http://acme.atlassian.net` must start with https://',
          field: 'jiraSite',
        };
      }
      return null;
    });
    const user = userEvent.setup();
    render(Settings, { onClose: () => {} });
    const site = await screen.findByLabelText('Jira site URL');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const message = await screen.findByText('`http://acme.atlassian.net` must start with https://');
    expect(site.getAttribute('aria-invalid')).toBe('true');
    expect(site.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(site);
  });

  it('tests the connection with what the form holds and asks Data Center for a personal token', async () => {
    let tested: SettingsUpdate | null = null;
    mockIPC((cmd, args) => {
      if (cmd === 'get_settings') return saved;
      if (cmd === 'test_connection') {
        tested = (args as { input: SettingsUpdate }).input;
        return {
          displayName: 'Casey Morgan',
          emailAddress: null,
          site: 'https://jira.acme.example/',
          watcher: 'You watch each ticket as Casey Morgan, whose token this is.',
          issueTypes: [],
          problems: [
            'Jira needs Customer (a choice: Acme Health, Globex Clinics), which this playbook does not fill — ask the playbook owner to add it under [[jira.fields]] in playbook.toml.',
          ],
          fields: [
            { id: 'customfield_10050', name: 'Customer', required: true, hasDefault: false, choices: 'Acme Health, Globex Clinics', filledBy: null },
            { id: 'summary', name: 'Summary', required: true, hasDefault: false, choices: '', filledBy: 'Onramp' },
          ],
        };
      }
      return null;
    });
    const user = userEvent.setup();
    render(Settings, { onClose: () => {} });
    await user.click(await screen.findByLabelText('Jira Server / Data Center'));
    expect(screen.queryByLabelText('Atlassian account email')).toBeNull();
    expect(screen.queryByLabelText('Scoped API token')).toBeNull();
    expect(screen.getByLabelText('Personal access token')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('Connected to https://jira.acme.example/ as Casey Morgan.')).toBeTruthy();
    expect(tested!.settings.deployment).toBe('data_center');
    expect(screen.getByText('You watch each ticket as Casey Morgan, whose token this is.')).toBeTruthy();
    // What the core found in the project's create screen, shown as it came.
    expect(screen.getByRole('alert').textContent).toContain('Jira needs Customer (a choice: Acme Health, Globex Clinics)');
    const table = screen.getByRole('table', { name: "The project's create screen" });
    const customer = within(table).getByRole('row', { name: /Customer/ });
    expect(customer.textContent).toContain('Required');
    expect(customer.textContent).toContain('—');
    expect(within(table).getByRole('row', { name: /Summary/ }).textContent).toContain('Onramp');
  });

  it('sends requests to the service desk and request type chosen by name', async () => {
    const sent = savingSettings({
      ...saved,
      desks: [
        {
          id: '3',
          name: 'Customer Support',
          projectKey: 'SUP',
          requestTypes: [
            { id: '21', name: 'Integration request' },
            { id: '22', name: 'Get IT help' },
          ],
        },
      ],
    });
    const user = userEvent.setup();
    render(Settings, { onClose: () => {} });
    await user.click(await screen.findByLabelText('A service desk (Jira Service Management)'));
    // The project's fields give way to the desk's.
    expect(screen.queryByLabelText('Project key')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Service desk'), 'Customer Support');
    await user.selectOptions(screen.getByLabelText('Request type'), 'Integration request');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(sent[0]?.settings.jiraMode).toBe('service_desk');
    expect(sent[0]?.settings.serviceDesk).toEqual({
      serviceDeskId: '3',
      serviceDeskName: 'Customer Support',
      projectKey: 'SUP',
      requestTypeId: '21',
      requestTypeName: 'Integration request',
    });
  });
});
