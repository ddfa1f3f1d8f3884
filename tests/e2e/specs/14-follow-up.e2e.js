// After the ticket, with fake-jira playing Support from outside the app: Support asks something
// in a comment, which appears in the draft flagged "Reply needed", and the CSM's reply lands on
// the ticket once; then Support moves the ticket to Done, the drafts home says so and offers
// Mark live, and the request becomes Live.
import { expect } from '@wdio/globals';
import { button, byLabel, expectAccessible, heading, screenshot } from '../support/app.js';
import { reviewAlmostFinishedDraft, saveJiraSettings, jiraGet, site, startJira } from '../support/jira.js';

/** What Support does in Jira's own screens: a comment on `key`. */
async function supportComments(key, body) {
  const response = await fetch(`${site}/_fake/issue/${key}/support-comment`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ body, public: true }),
  });
  expect(response.status).toBe(204);
}

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
    await saveJiraSettings();
    await (await button('Back to requests')).click();
    await reviewAlmostFinishedDraft('Hooli Health');
    await (await button('Submit to Jira')).click();
    await $('p[role="status"]*=Submitted: ONB-1').waitForDisplayed({
      timeout: 20000,
      timeoutMsg: 'the ticket was not created',
    });
    await (await button('Back to requests')).click();
    await expect($('button*=Jira ONB-1')).toBeDisplayed();
    await expect($('button[aria-label="Mark live: Hooli Health (Gusto)"]')).not.toBeExisting();
  });

  it("shows Support's question in the draft, and posts the CSM's reply on the ticket once", async () => {
    await supportComments('ONB-1', 'Can you send the SAML certificate again? It expired.');
    await (await button('Check Jira now')).click();
    await $('button[aria-label="Open Hooli Health (Gusto)"]').click();
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Review & submit"]]').click();
    await heading('Review & submit');
    const thread = await $('section.ticket-comments');
    // Below the ticket and its submission: scrolled to, as the CSM would.
    // As rendered: the flag's style capitalises it.
    const shown = async () => {
      await thread.scrollIntoView({ block: 'center' });
      return (await thread.getText()).toLowerCase();
    };
    await browser.waitUntil(async () => (await shown()).includes('reply needed'), {
      timeout: 20000,
      timeoutMsg: "Support's comment never reached the draft",
    });
    expect(await shown()).toContain('can you send the saml certificate again? it expired.');
    await (await byLabel('Reply on ONB-1')).setValue('Sent it to you by email just now.');
    await (await button('Send reply')).click();
    const posted = async () =>
      (await jiraGet('/rest/api/3/issue/ONB-1/comment')).comments.filter((c) =>
        JSON.stringify(c.body).includes('Sent it to you by email just now.'),
      );
    await browser.waitUntil(async () => (await posted()).length > 0, {
      timeout: 20000,
      timeoutMsg: 'the reply never reached Jira',
    });
    await browser.waitUntil(async () => (await shown()).includes('you (casey morgan)'), {
      timeout: 20000,
      timeoutMsg: 'the reply stayed waiting after Jira had it',
    });
    expect(await shown()).not.toContain('reply needed');
    expect(await shown()).not.toContain('waiting to be sent');
    expect(await posted()).toHaveLength(1);
    await thread.scrollIntoView({ block: 'center' });
    await screenshot('77-ticket-comments');
    await expectAccessible("the draft with Support's comments and the CSM's reply");
    await (await button('Back to requests')).click();
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
