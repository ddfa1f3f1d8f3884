// After the ticket: Support moves it to Done in Jira (fake-jira playing Support from outside
// the app), the CSM asks Onramp to check Jira now, the drafts home says Support finished it and
// offers Mark live, and the request becomes Live.
import { expect } from '@wdio/globals';
import { button, expectAccessible, fill, heading, restartApp, screenshot, waitForSaved } from '../support/app.js';
import { almostFinishedDraft, fillJiraSettings, site, startJira } from '../support/jira.js';

/** What Support does in Jira's own screens: the issue moved to `status`. */
async function supportMoves(key, status) {
  const response = await fetch(`${site}/_fake/issue/${key}/transition`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  expect(response.status).toBe(204);
}

describe('after the ticket', () => {
  let jira = null;
  before(async () => {
    jira = await startJira();
  });
  after(() => jira?.kill());

  it('submits a request, whose ticket the drafts home then follows', async () => {
    await heading('No requests yet');
    await (await button('Settings')).click();
    await heading('Settings');
    await fillJiraSettings(site);
    await (await button('Save settings')).click();
    await expect($('p[role="status"]')).toHaveText('Settings saved.');
    await (await button('Back to requests')).click();
    await almostFinishedDraft();
    await restartApp();
    await $('button[aria-label="Open unnamed company (Gusto)"]').click();
    await fill('Company name', 'Hooli Health');
    await waitForSaved();
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Review & submit"]]').click();
    await heading('Review & submit');
    await (await button('Submit to Jira')).click();
    await $('p[role="status"]*=Submitted: ONB-1').waitForDisplayed({
      timeout: 20000,
      timeoutMsg: 'the ticket was not created',
    });
    await (await button('Back to requests')).click();
    await expect($('button*=Jira ONB-1')).toBeDisplayed();
    await expect($('button[aria-label="Mark live: Hooli Health (Gusto)"]')).not.toBeExisting();
  });

  it('shows Support finished the ticket and offers Mark live, which makes the request Live', async () => {
    await supportMoves('ONB-1', 'Done');
    await (await button('Check Jira now')).click();
    const row = await $('//tr[.//button[@aria-label="Open Hooli Health (Gusto)"]]');
    await browser.waitUntil(async () => (await row.getText()).includes('Support finished ONB-1 in Jira (Done).'), {
      timeout: 20000,
      timeoutMsg: 'the drafts home never showed the ticket done',
    });
    expect(await row.getText()).toContain('Jira ONB-1 · Done');
    const markLive = await $('button[aria-label="Mark live: Hooli Health (Gusto)"]');
    await expect(markLive).toBeDisplayed();
    await screenshot('76-home-ticket-done');
    await expectAccessible('the drafts home with a finished ticket');
    await markLive.click();
    await expect(markLive).not.toBeExisting();
    await expect(row.$('span.status')).toHaveText('Live');
  });
});
