// Around the wizard: escalate with a note, read the history, start the same customer's request
// for another provider, paste a screenshot from the desktop clipboard, export the draft as a
// bundle and import it back.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import {
  button,
  byLabel,
  expectAccessible,
  heading,
  messageFor,
  restartApp,
  screenshot,
  waitForSaved,
} from '../support/app.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'onramp-tools-'));
const downloads = path.join(scratch, 'Downloads');

/** The Downloads folder as the desktop names it: `user-dirs.dirs` in the config directory. */
function useDownloadsFolder() {
  mkdirSync(downloads, { recursive: true });
  const config = path.join(process.env.ONRAMP_DATA_DIR, 'config');
  mkdirSync(config, { recursive: true });
  writeFileSync(path.join(config, 'user-dirs.dirs'), `XDG_DOWNLOAD_DIR="${downloads}"\n`);
}

async function dialogTitled(title) {
  const dialog = await $(`//dialog[.//h2[normalize-space()="${title}"]]`);
  await dialog.waitForDisplayed({ timeoutMsg: `no "${title}" dialog` });
  return dialog;
}

describe('tools around a draft', () => {
  before(useDownloadsFolder);
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('escalates only with a note, and shows the note', async () => {
    await heading('Requests');
    await (await button('New request')).click();
    await (await byLabel('Single sign-on (SSO)')).click();
    await (await byLabel('Okta')).click();
    await (await button('Create draft')).click();
    await (await byLabel('Company name')).setValue('Acme Health');
    await (await byLabel('Main point of contact')).setValue('Dana Ruiz');
    await waitForSaved();

    await (await button('Escalate')).click();
    await dialogTitled('Escalate to your team lead');
    await (await $('//dialog//button[normalize-space()="Escalate"]')).click();
    await expect(await messageFor('Why is this request escalated?')).toContain('say why the request is escalated');
    await (await byLabel('Why is this request escalated?')).setValue('The contract lists SSO for one site only');
    await expectAccessible('the escalation dialog');
    await (await $('//dialog//button[normalize-space()="Escalate"]')).click();
    await expect($('p*=Escalated: The contract lists SSO for one site only')).toBeDisplayed();
    await expect(await button('End escalation')).toBeDisplayed();
  });

  it('reads the history, newest first, with where each change came from', async () => {
    await (await button('History')).click();
    const dialog = await dialogTitled('History');
    const rows = await dialog.$$('tbody tr');
    await expect(rows[0]).toHaveText(expect.stringContaining('Escalated'));
    await expect(rows[0]).toHaveText(expect.stringContaining('The contract lists SSO for one site only'));
    const all = await dialog.$('tbody').getText();
    expect(all).toContain('Company name');
    expect(all).toContain('Acme Health');
    expect(all).toContain('Draft created');
    expect(all).toContain('Window');
    await screenshot('60-history');
    await expectAccessible('the history dialog');
    await (await $('//dialog//button[normalize-space()="Close"]')).click();
  });

  it('starts the same customer on another provider with the account carried over', async () => {
    await (await button('Duplicate for another provider')).click();
    await dialogTitled('Same customer, another provider');
    await (await byLabel('Provider for the new request')).selectByVisibleText('UKG Pro');
    await (await button('Create the new request')).click();
    await expect($('p.eyebrow*=UKG Pro')).toBeDisplayed();
    await expect(await byLabel('Company name')).toHaveValue('Acme Health');
    await expect(await byLabel('Main point of contact')).toHaveValue('Dana Ruiz');
  });

  it('pastes a screenshot from the desktop clipboard', async () => {
    const png = path.join(scratch, 'copied.png');
    await browser.saveScreenshot(png);
    // xclip owns the clipboard selection until it exits, like any app that copied an image.
    const owner = spawn('xclip', ['-selection', 'clipboard', '-t', 'image/png', '-i', png], { stdio: 'ignore' });
    try {
      await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Screenshots"]]').click();
      await heading('Screenshots');
      await $('button[aria-label="Paste from clipboard into Connector (Web Services page)"]').click();
      await $('img[alt="Thumbnail of Pasted screenshot.png"]').waitForDisplayed({
        timeoutMsg: 'the pasted screenshot did not appear',
      });
    } finally {
      owner.kill();
    }
  });

  it('copies the message that raises the request in Slack', async () => {
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Review & submit"]]').click();
    await heading('Review & submit');
    await (await button('Copy the Slack message')).click();
    await expect($('[role="status"]*=Copied')).toBeDisplayed();
    const clipboard = execFileSync('xclip', ['-o', '-selection', 'clipboard'], { encoding: 'utf8' });
    expect(clipboard).toContain('Hi team! New HRIS integration request: UKG Pro for Acme Health.');
    expect(clipboard).toContain('Main point of contact: Dana Ruiz');
  });

  it('exports the draft as a bundle into the Downloads folder', async () => {
    await (await button('Export bundle')).click();
    const file = path.join(downloads, 'acme-health-ukg-pro.onramp.zip');
    await expect($('[role="status"]*=Exported to')).toHaveText(`Exported to ${file}`);
    expect(existsSync(file)).toBe(true);
  });

  it('imports the bundle after the draft was deleted for good, and only once', async () => {
    await (await button('Back to requests')).click();
    await heading('Requests');
    await $('button[aria-label="Move to trash: Acme Health (UKG Pro)"]').click();
    await (await byLabel('Show the trash')).click();
    await heading('Trash');
    await expectAccessible('the trash');
    await $('button[aria-label="Delete for good: Acme Health (UKG Pro)"]').click();
    await expect($('p=The trash is empty.')).toBeDisplayed();
    await (await byLabel('Show the trash')).click();

    const bundle = path.join(downloads, 'acme-health-ukg-pro.onramp.zip');
    await (await byLabel('Import a bundle')).addValue(bundle);
    await expect($('[role="status"]*=Imported')).toHaveText(expect.stringContaining('Imported “acme-health-ukg-pro.onramp.zip”.'));
    await (await byLabel('Import a bundle')).addValue(bundle);
    await expect($('[role="status"]*=already here')).toBeDisplayed();
    await expect($$('button[aria-label="Open Acme Health (UKG Pro)"]')).toBeElementsArrayOfSize(1);
    await screenshot('61-home-imported');
    await expectAccessible('the home after an import');

    await (await button('Open it')).click();
    await heading('Acme Health');
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Screenshots"]]').click();
    await expect($('img[alt="Thumbnail of Pasted screenshot.png"]')).toBeDisplayed();
  });

  it('refuses a damaged bundle next to the picker', async () => {
    await (await button('Back to requests')).click();
    await heading('Requests');
    const broken = path.join(scratch, 'broken.onramp.zip');
    writeFileSync(broken, 'PK\u0003\u0004 not really a zip');
    await (await byLabel('Import a bundle')).addValue(broken);
    await expect(await messageFor('Import a bundle')).toContain('this bundle cannot be imported');
  });

  it('keeps a value typed just before Ctrl+Q quits', async () => {
    await $('button[aria-label="Open Acme Health (UKG Pro)"]').click();
    await heading('Acme Health');
    // Within the autosave delay: only the save-before-close makes this survive.
    await (await byLabel('LMS account ID')).setValue('LMS-7731');
    // The app quits in the middle of the key press, so WebDriver may report the page as gone.
    await browser.keys(['Control', 'q']).catch(() => {});
    await browser.waitUntil(() => browser.getTitle().then(() => false, () => true), {
      timeoutMsg: 'Ctrl+Q did not quit the app',
    });
    await restartApp();
    await $('button[aria-label="Open Acme Health (UKG Pro)"]').click();
    await heading('Acme Health');
    await expect(await byLabel('LMS account ID')).toHaveValue('LMS-7731');
  });
});
