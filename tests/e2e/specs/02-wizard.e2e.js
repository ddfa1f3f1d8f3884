// The playbook-driven wizard, walked the way a CSM does: Okta SSO and UKG Pro HRIS from
// "New request" to Review, by label text, with a restart in the middle of each.
import { expect } from '@wdio/globals';
import {
  answer,
  button,
  byLabel,
  expectAccessible,
  heading,
  isAsked,
  messageFor,
  nextStep,
  restartApp,
  screenshot,
  waitForSaved,
} from '../support/app.js';

async function newRequest(kindLabel, search, provider) {
  await (await button('New request')).click();
  await heading('New request');
  await (await byLabel(kindLabel)).click();
  await (await byLabel('Find a provider')).setValue(search);
  await (await byLabel(provider)).click();
  await (await button('Create draft')).click();
  await heading('Account & contacts');
}

async function fillAccount(company) {
  await (await byLabel('Company name')).setValue(company);
  await (await byLabel('LMS account ID')).setValue('LMS-2077');
  await (await byLabel('New or existing account')).selectByVisibleText('Existing account');
  await (await byLabel('Your name')).setValue('Casey Morgan');
  await (await byLabel('Your email')).setValue('casey.morgan@medtrainer.example');
  await (await byLabel('Main point of contact')).setValue('Jordan Lee');
  await (await byLabel("Point of contact's role")).selectByVisibleText('Tech/IT specialist');
  await (await byLabel("Point of contact's email")).setValue('jordan.lee@customer.example');
  await waitForSaved();
}

async function reopen(company) {
  await restartApp();
  await heading('Requests');
  await (await $(`//tr[td[normalize-space()="${company}"]]//button[normalize-space()="Open"]`)).click();
  await heading(company);
}

/** The step list entry for `title`, e.g. to read its progress. */
async function stepButton(title) {
  return $(`//nav[@aria-label="Steps"]//button[.//*[normalize-space()="${title}"]]`);
}

describe('the Okta SSO wizard', () => {
  it('offers providers by alias in New request', async () => {
    await heading('Requests');
    await (await button('New request')).click();
    await (await byLabel('Single sign-on (SSO)')).click();
    await (await byLabel('Find a provider')).setValue('azure');
    await expect(await byLabel('Microsoft Entra ID (Azure AD)')).toBeDisplayed();
    await expect(await isAsked('Okta')).toBe(false);
    await screenshot('10-new-request-search');
    await expectAccessible('New request');
    await (await button('Cancel')).click();
  });

  it('collects account, contract and customer details, checking each value', async () => {
    await newRequest('Single sign-on (SSO)', 'okta', 'Okta');
    await expect(await byLabel('Company name')).toBeFocused();
    await fillAccount('Acme Health');
    await expect(await stepButton('Account & contacts')).toHaveText(expect.stringContaining('8 of 8'));
    await screenshot('11-okta-account');
    await expectAccessible('Account & contacts');

    await nextStep('Contract check');
    await (await byLabel('SSO is part of the client\'s plan or was bought as an add-on')).click();
    await (await byLabel('The licensed user count covers everyone who will sign in with SSO')).click();
    await waitForSaved();
    await screenshot('12-okta-contract');
    await expectAccessible('Contract check');

    await nextStep('Customer details');
    await expect($('li*=Use this for Recipient URL and Destination URL')).toBeDisplayed();
    await expect($('li=Client secret (OpenID Connect only)')).toBeDisplayed();
    await (await byLabel('Email domain')).setValue('acmehealth.example');
    await (await byLabel('Protocol')).selectByVisibleText('SAML 2.0');
    const okta = await byLabel('Okta domain');
    await okta.setValue('https://acme.okta.com/admin');
    // A wrong value keeps the CSM on the step, with the reason next to the field.
    await (await button('Next')).click();
    await heading('Customer details');
    await expect(okta).toBeFocused();
    expect(await messageFor('Okta domain')).toBe('Enter a domain such as example.com (no https://, no path).');
    await screenshot('13-okta-details-error');
    await okta.clearValue();
    await okta.setValue('acme.okta.com');
    await expect(await isAsked('Metadata URL (Sign On tab)')).toBe(false);
    await (await byLabel('The customer shares their identity provider settings as')).selectByVisibleText('Metadata URL');
    await (await byLabel('Metadata URL (Sign On tab)')).setValue('https://acme.okta.com/app/exk1/sso/saml/metadata');
    await waitForSaved();
    expect(await messageFor('Okta domain')).toBe(null);
    // The picture shows the provider's notes at the top of the step.
    await browser.execute(() => window.scrollTo(0, 0));
    await screenshot('14-okta-details');
    await expectAccessible('Customer details');
  });

  it('keeps every answer across a restart and continues to Review', async () => {
    await reopen('Acme Health');
    await (await stepButton('Customer details')).click();
    await heading('Customer details');
    await expect(await byLabel('Okta domain')).toHaveValue('acme.okta.com');
    await expect(await byLabel('Metadata URL (Sign On tab)')).toHaveValue(
      'https://acme.okta.com/app/exk1/sso/saml/metadata',
    );

    await nextStep('CSM questions');
    await answer('Is this an upsell deal?', 'Yes');
    await (await byLabel('Users who will sign in with SSO (approximate)')).setValue('240');
    await waitForSaved();
    await screenshot('15-okta-csm');
    await expectAccessible('CSM questions');

    await nextStep('Yes/No questions');
    await answer('Should users sign in only through SSO (no LMS passwords)?', 'Yes');
    await answer('Should a user who signs in for the first time be created automatically?', 'No');
    await answer('Can the customer give us a test user for the first sign-in?', 'Yes');
    await waitForSaved();
    await screenshot('16-okta-yes-no');
    await expectAccessible('Yes/No questions');

    await nextStep('Screenshots');
    await expect(await byLabel('SAML Settings')).toBeDisplayed();
    await screenshot('17-okta-screenshots');
    await expectAccessible('Screenshots');

    await nextStep('Meeting');
    await expect($('p*=30-minute')).toHaveText(expect.stringContaining('A 30-minute "SSO/HRIS Meeting Outreach" meeting with the main point of contact is mandatory'));
    await screenshot('18-okta-meeting');
    await expectAccessible('Meeting');

    await nextStep('Review & submit');
    // The meeting time is the only thing missing; submission waits for it.
    const missing = await $('//ul[@class="checklist"]//li[button]');
    await expect(missing).toHaveText('Meeting date and time — Required.');
    await expect(await $('button=Submit to Jira')).toBeDisabled();
    // The ticket as Jira will get it: the procedure's summary and greeting, the answers so far.
    await expect($('.ticket-summary')).toHaveText('Enable SSO Okta Integration for Acme Health');
    const description = await $('[role="document"][aria-label="Ticket description"]');
    await expect(description).toHaveText(
      expect.stringContaining('Hello team! Could you please help me with the following SSO Okta integration? Thank you!'),
    );
    await expect(description).toHaveText(expect.stringContaining('Okta domain: acme.okta.com'));
    await screenshot('19-okta-review');
    await expectAccessible('Review & submit');

    await (await button('Meeting date and time')).click();
    await heading('Meeting');
    await expect(await byLabel('Meeting date and time')).toBeFocused();
    await (await button('Back to requests')).click();
  });
});

describe('the UKG Pro HRIS wizard', () => {
  const supervisor = 'Does the company have the Supervisor module enabled in UKG Pro?';
  const followUp = "Should each employee's Supervisor be synced as their manager in the LMS?";

  it('asks about syncing supervisors only when the Supervisor module is enabled', async () => {
    await heading('Requests');
    await newRequest('HR system integration (HRIS)', 'ultipro', 'UKG Pro');
    await fillAccount('Globex Clinics');
    await (await stepButton('Yes/No questions')).click();
    await heading('Yes/No questions');
    await expect(await isAsked(followUp)).toBe(false);
    await answer(supervisor, 'Yes');
    await $(`legend=${followUp}`).waitForDisplayed({ timeoutMsg: 'the Supervisor follow-up did not appear' });
    await waitForSaved();
    await screenshot('20-ukg-pro-supervisor');
    await expectAccessible('UKG Pro Yes/No questions');
  });

  it('remembers the condition after a restart, and hides the follow-up when the answer changes', async () => {
    await reopen('Globex Clinics');
    await (await stepButton('Yes/No questions')).click();
    await heading('Yes/No questions');
    await expect(await isAsked(followUp)).toBe(true);
    await answer(followUp, 'Yes');
    await answer(supervisor, 'No');
    await $(`legend=${followUp}`).waitForExist({ reverse: true, timeoutMsg: 'the follow-up stayed on screen' });
    await waitForSaved();

    await nextStep('Screenshots');
    await expect(await byLabel('Connector (Web Services page)')).toBeDisplayed();
    await expect(await byLabel('Consent agreement (service-account permissions)')).toBeDisplayed();
    await screenshot('21-ukg-pro-screenshots');

    await (await stepButton('Review & submit')).click();
    await heading('Review & submit');
    const checklist = await $('ul.checklist');
    await expect(checklist).toHaveText(expect.stringContaining('Connector (Web Services page) — No screenshot attached yet.'));
    await expect(checklist).toHaveText(expect.stringContaining('Web-service host — Required.'));
    // The hidden follow-up is neither asked nor counted as missing.
    await expect(checklist).not.toHaveText(expect.stringContaining('Supervisor be synced'));
    const description = await $('[role="document"][aria-label="Ticket description"]');
    await expect(description).not.toHaveText(expect.stringContaining('Supervisor be synced'));
    await expect(description.$('th=Question')).toBeDisplayed();
    await expect(await $('button=Submit to Jira')).toBeDisabled();
    await screenshot('22-ukg-pro-review');
    await expectAccessible('UKG Pro Review & submit');
  });
});
