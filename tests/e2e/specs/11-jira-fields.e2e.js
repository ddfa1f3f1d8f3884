// A Jira project as support teams configure it: a required "Customer" select and required
// Components, which the bundled playbook does not fill. Test connection names them and shows the
// create screen; on Review the CSM chooses both, and the ticket is created with them.
import { expect } from '@wdio/globals';
import { button, byLabel, expectAccessible, fill, screenshot } from '../support/app.js';
import { reviewAlmostFinishedDraft, saveJiraSettings, jiraIssue, site, startJira } from '../support/jira.js';

describe('a configured Jira project', () => {
  let jira = null;
  before(async () => {
    jira = await startJira('--configured');
  });
  after(() => jira?.kill());

  it('Test connection names the required fields the playbook leaves unfilled', async () => {
    await saveJiraSettings();
    await (await button('Test connection')).click();
    await expect($('p[role="status"]')).toHaveText(`Connected to ${site}/ as Casey Morgan.`);
    const problems = await $('div[role="alert"]');
    await expect(problems).toHaveText(
      expect.stringContaining(
        'Jira needs Customer (a choice: Acme Health, Globex Clinics, Initech Care), which this playbook does not fill',
      ),
    );
    await expect(problems).toHaveText(expect.stringContaining('or choose it for each request on Review.'));
    const customer = await $('//table[caption="The project\'s create screen"]//tr[th="Customer"]');
    await expect(customer).toHaveText(expect.stringContaining('Required'));
    await problems.scrollIntoView({ block: 'start' });
    await screenshot('73-settings-jira-fields');
    await expectAccessible('Settings with the project\'s create screen');
    await (await button('Back to requests')).click();
  });

  it('asks for them on Review, and creates the ticket with the values chosen', async () => {
    await reviewAlmostFinishedDraft('Globex Clinics');
    // Review lists what Jira still needs, and offers no submission until it is chosen.
    await expect($('button=Submit to Jira')).toBeDisabled();
    await expect($('body')).toHaveText(expect.stringContaining('Jira needs Customer for the ticket: choose one below'));
    await (await byLabel('Customer')).selectByVisibleText('Globex Clinics');
    await (await byLabel('Components')).selectByVisibleText('HRIS');
    await expect($('button=Submit to Jira')).toBeEnabled();
    await (await byLabel('Components')).scrollIntoView({ block: 'center' });
    await screenshot('74-review-jira-choices');
    await expectAccessible('Review with Jira choices');
    await (await button('Submit to Jira')).click();
    await $('p[role="status"]*=Submitted: ONB-1').waitForDisplayed({
      timeout: 20000,
      timeoutMsg: 'the ticket was not created with the choices',
    });
    const issue = await jiraIssue('ONB-1', 'customfield_10050,components');
    expect(issue.fields.customfield_10050).toEqual({ id: '100501' });
    expect(issue.fields.components).toEqual([{ id: '10101' }]);
  });
});
