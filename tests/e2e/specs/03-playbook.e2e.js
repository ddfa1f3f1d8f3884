// A playbook folder given with `--playbook` replaces the bundled one; a broken one gets an error
// screen that names file, line and field, and the drafts stay untouched.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@wdio/globals';
import { button, byLabel, expectAccessible, heading, isAsked, screenshot, startWith } from '../support/app.js';

const bundled = fileURLToPath(new URL('../../../assets/playbook', import.meta.url));
const folder = mkdtempSync(path.join(tmpdir(), 'onramp-playbook-'));

function edit(file, change) {
  const target = path.join(folder, file);
  writeFileSync(target, change(readFileSync(target, 'utf8')));
}

describe('a playbook folder of its own', () => {
  before(() => cpSync(bundled, folder, { recursive: true }));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('adds a provider by adding a file, without a rebuild', async () => {
    const okta = readFileSync(path.join(folder, 'providers/sso/okta.toml'), 'utf8');
    writeFileSync(
      path.join(folder, 'providers/sso/acme-identity.toml'),
      okta.replace('name = "Okta"', 'name = "Acme Identity"').replace(/^aliases = .*$/m, 'aliases = ["AcmeID"]'),
    );
    await startWith(['--playbook', folder]);
    await heading('Requests');
    await (await button('New request')).click();
    await (await byLabel('Single sign-on (SSO)')).click();
    await (await byLabel('Find a provider')).setValue('acmeid');
    await expect(await byLabel('Acme Identity')).toBeDisplayed();
  });

  it('shows every mistake with its file, line and field instead of opening', async () => {
    edit('providers/hris/gusto.toml', (text) => text.replace('type = "yes_no"', 'type = "yesno"'));
    await startWith(['--playbook', folder]);
    await heading('The playbook has mistakes');
    const detail = await $('[role="alert"]');
    await expect(detail).toHaveText(expect.stringMatching(/providers\/hris\/gusto\.toml:\d+:\d+/));
    await expect(detail).toHaveText(expect.stringContaining('client_questions[0].type: unknown variant `yesno`'));
    await expect(await isAsked('Find a provider')).toBe(false);
    await screenshot('30-playbook-error');
    await expectAccessible('the playbook error screen');
  });

  it('opens normally again with the bundled playbook', async () => {
    await startWith([]);
    await heading('Requests');
  });
});
