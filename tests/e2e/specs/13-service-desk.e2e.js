// Support's service desk (Jira Service Management): Settings send requests there, the desk and
// its request type chosen by name from what Test connection lists; Review asks for the request
// type's required field, and the request is raised on the desk, not as a plain issue.
import { expect } from '@wdio/globals';
import { button, byLabel, expectAccessible, heading, screenshot } from '../support/app.js';
import { reviewAlmostFinishedDraft, fillJiraSettings, jiraGet, site, startJira } from '../support/jira.js';

describe('a service desk', () => {
  let jira = null;
  before(async () => {
    jira = await startJira('--service-desk');
  });
  after(() => jira?.kill());

  it('Settings choose the desk and request type from what Test connection lists', async () => {
    await heading('No requests yet');
    await (await button('Settings')).click();
    await heading('Settings');
    await fillJiraSettings(site);
    await (await byLabel('A service desk (Jira Service Management)')).click();
    await expect(await $('#jiraProject')).not.toBeExisting();
    await (await button('Test connection')).click();
    await expect($('p[role="status"]')).toHaveText(`Connected to ${site}/ as Casey Morgan.`);
    await expect($('div[role="alert"]')).toHaveText(expect.stringContaining('No service desk is chosen yet'));
    await (await byLabel('Service desk')).selectByVisibleText('Customer Support');
    await (await byLabel('Request type')).selectByVisibleText('Integration request');
    await (await button('Test connection')).click();
    const problems = await $('div[role="alert"]');
    await expect(problems).toHaveText(
      expect.stringContaining('Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care)'),
    );
    await expect($('p*=On Customer Support your account may')).toHaveText(
      expect.stringContaining('may raise requests on behalf of others and add participants'),
    );
    await (await $('legend=Send requests to')).scrollIntoView({ block: 'start' });
    await screenshot('75-settings-service-desk');
    await expectAccessible('Settings sending requests to a service desk');
    await (await button('Save settings')).click();
    await expect($('p[role="status"]')).toHaveText('Settings saved.');
    await (await button('Back to requests')).click();
  });

  it('raises the request on the desk with the choice Review asked for', async () => {
    await reviewAlmostFinishedDraft('Globex Clinics');
    await expect($('body')).toHaveText(expect.stringContaining('Jira needs Customer for the ticket: choose one below'));
    await (await byLabel('Customer')).selectByVisibleText('Globex Clinics');
    await (await button('Submit to Jira')).click();
    await $('p[role="status"]*=Submitted: SUP-1').waitForDisplayed({
      timeout: 20000,
      timeoutMsg: 'the request was not raised on the desk',
    });
    const request = await jiraGet('/rest/servicedeskapi/request/SUP-1');
    expect(request.serviceDeskId).toBe('3');
    expect(request.requestTypeId).toBe('21');
    expect(request.currentStatus.status).toBe('Waiting for support');
  });
});
