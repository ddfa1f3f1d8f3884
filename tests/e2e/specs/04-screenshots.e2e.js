// Screenshots in the wizard: attached through the Browse control, refused with a reason next to
// the slot, and still there with their thumbnails after a restart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import { button, byLabel, expectAccessible, heading, restartApp, screenshot } from '../support/app.js';

const files = mkdtempSync(path.join(tmpdir(), 'onramp-shots-'));
const connector = 'Connector (Web Services page)';
const consent = 'Consent agreement (service-account permissions)';

async function toScreenshotsStep() {
  await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Screenshots"]]').click();
  await heading('Screenshots');
}

async function attach(slot, file) {
  await (await byLabel(slot)).addValue(file);
}

describe('screenshots of a UKG Pro request', () => {
  it('attaches the connector and consent agreement, and refuses a text file with the reason', async () => {
    await heading('Requests');
    await (await button('New request')).click();
    await (await byLabel('HR system integration (HRIS)')).click();
    await (await byLabel('UKG Pro')).click();
    await (await button('Create draft')).click();
    await (await byLabel('Company name')).setValue('Initech Care');
    await toScreenshotsStep();

    const notes = path.join(files, 'notes.txt');
    writeFileSync(notes, 'service account: sa-lms');
    await attach(connector, notes);
    const refusal = await $('//*[@data-slot-id="connector"]//*[@role="alert"]');
    await expect(refusal).toHaveText(
      '“notes.txt” was not attached: it is a text file; attach a PNG, JPEG, WebP or GIF image',
    );

    // Real PNGs: pictures of this very window.
    const connectorPng = path.join(files, 'web-services.png');
    const consentPng = path.join(files, 'permissions.png');
    await browser.saveScreenshot(connectorPng);
    await attach(connector, connectorPng);
    await $('img[alt="Thumbnail of web-services.png"]').waitForDisplayed({ timeoutMsg: 'no connector thumbnail' });
    await expect(refusal).not.toBeExisting();
    await browser.saveScreenshot(consentPng);
    await attach(consent, consentPng);
    await $('img[alt="Thumbnail of permissions.png"]').waitForDisplayed({ timeoutMsg: 'no consent thumbnail' });
    await screenshot('40-ukg-pro-screenshots-attached');
    await expectAccessible('Screenshots with attachments');
  });

  it('finds both screenshots with their thumbnails after a restart, full size on request', async () => {
    await restartApp();
    await heading('Requests');
    await $('button[aria-label="Open Initech Care (UKG Pro)"]').click();
    await heading('Initech Care');
    await toScreenshotsStep();
    await expect($('img[alt="Thumbnail of web-services.png"]')).toBeDisplayed();
    await expect($('img[alt="Thumbnail of permissions.png"]')).toBeDisplayed();
    const step = await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Screenshots"]]');
    await expect(step).toHaveText(expect.stringContaining('2 of 2'));

    await (await $('//*[@data-slot-id="connector"]//button[normalize-space()="Open full size"]')).click();
    await expect($('dialog img[alt="Connector (Web Services page)"]')).toBeDisplayed();
    await (await button('Close')).click();

    // The button reads "Remove"; its accessible name says which slot.
    await $(`button[aria-label="Remove ${consent}"]`).click();
    await $('img[alt="Thumbnail of permissions.png"]').waitForExist({ reverse: true });
    await expect(step).toHaveText(expect.stringContaining('1 of 2'));
  });
});
