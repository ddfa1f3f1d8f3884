// Walking skeleton: a draft typed into the real window survives a restart and is seen by the CLI.
import { spawn } from 'node:child_process';
import { expect } from '@wdio/globals';
import { byLabel, button, cli, heading, restartApp, screenshot, waitForSaved } from '../support/app.js';

describe('a new request', () => {
  it('starts on an empty drafts home that says what to do', async () => {
    await heading('No requests yet');
    await expect($('p*=choose New request')).toBeDisplayed();
    await screenshot('01-home-empty');
  });

  it('creates an Okta SSO draft and autosaves what the CSM types', async () => {
    await (await button('New request')).click();
    await heading('New request');
    await (await byLabel('Single sign-on (SSO)')).click();
    await (await byLabel('Okta')).click();
    await (await button('Create draft')).click();

    await heading('Account & contacts');
    const company = await byLabel('Company name');
    await expect(company).toBeFocused();
    await company.setValue('Acme Health');
    await (await byLabel('LMS account ID')).setValue('LMS-1042');
    await waitForSaved();
    await expect(await heading('Acme Health')).toBeDisplayed();
  });

  it('finds the draft and its values again after a restart', async () => {
    await restartApp();
    await heading('Requests');
    const row = await $('//tr[td[normalize-space()="Acme Health"]]');
    await expect(row).toBeDisplayed();
    await expect(row).toHaveText(expect.stringContaining('Okta'));
    await expect(row).toHaveText(expect.stringContaining('SSO'));
    await screenshot('04-home-with-draft');

    await (await row.$('button=Open')).click();
    await expect(await byLabel('Company name')).toHaveValue('Acme Health');
    await expect(await byLabel('LMS account ID')).toHaveValue('LMS-1042');
  });

  it('is listed by `onramp drafts list` from the same data directory', async () => {
    const table = cli('drafts', 'list');
    expect(table).toMatch(/Acme Health\s+SSO\s+Okta\s+draft/);
    const [draft] = JSON.parse(cli('drafts', 'list', '--json'));
    expect(draft).toMatchObject({ company: 'Acme Health', kind: 'sso', providerId: 'okta' });
  });

  it('hands a second launch on the same data over to the open window', async () => {
    // A second Onramp on this data directory would be a second sender of its outbox: it brings
    // this window forward and exits instead.
    const second = spawn(process.env.ONRAMP_APP, [], { stdio: 'ignore' });
    const code = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        second.kill();
        reject(new Error('the second launch opened a window of its own instead of exiting'));
      }, 15000);
      second.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(0);
    await expect(await byLabel('Company name')).toHaveValue('Acme Health');
  });
});
