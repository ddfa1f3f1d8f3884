// Submitting to Jira from the window. While Jira is down, the finished request waits in the
// outbox with the reason; once Jira is up, "Retry now" creates the ticket, and the drafts home
// shows its key.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import { button, cli, expectAccessible, heading, restartApp, screenshot } from '../support/app.js';

const files = mkdtempSync(path.join(tmpdir(), 'onramp-submit-'));

/** A valid answer for every field a wizard asks, like a CSM who has everything at hand. */
function everyAnswer(steps) {
  const answers = {};
  for (const field of steps.flatMap((s) => s.fields)) {
    const byKind = {
      screenshot: undefined,
      yes_no: true,
      select: field.options[0],
      multi_select: field.options,
      checklist: field.options,
      email: 'it@hooli.example',
      url: 'https://idp.hooli.example/metadata',
      number: '120',
      date: '2026-12-01',
      date_time: '2026-12-01T10:00',
    };
    const formatted = { domain: 'hooli.example', guid: '8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b' };
    const value = field.kind in byKind ? byKind[field.kind] : (formatted[field.rules.format] ?? 'Filled in');
    if (value !== undefined) answers[field.id] = value;
  }
  answers.company = 'Hooli Health';
  return answers;
}

/** A finished Okta request, prepared through the command line (02 walks the wizard itself). */
async function finishedDraft() {
  const probe = cli('drafts', 'new', '--provider', 'okta').trim();
  const { steps } = JSON.parse(cli('drafts', 'show', probe, '--json'));
  const answersFile = path.join(files, 'answers.json');
  writeFileSync(answersFile, JSON.stringify(everyAnswer(steps)));
  const id = cli('drafts', 'new', '--provider', 'okta', '--answers', answersFile).trim();
  const slots = steps.flatMap((s) => s.fields).filter((f) => f.kind === 'screenshot');
  const png = path.join(files, 'admin-console.png');
  await browser.saveScreenshot(png);
  for (const slot of slots) cli('drafts', 'attach', id, '--slot', slot.id, png);
  return id;
}

function startJira() {
  const jira = spawn(process.env.FAKE_JIRA, ['--port', process.env.FAKE_JIRA_PORT], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    jira.stdout.on('data', (chunk) => {
      if (String(chunk).includes('listening')) resolve(jira);
    });
    jira.on('exit', (code) => reject(new Error(`fake-jira exited with ${code}`)));
  });
}

describe('submitting to Jira', () => {
  let jira = null;
  after(() => jira?.kill());

  it('keeps a finished request in the outbox, with the reason, while Jira is down', async () => {
    await heading('No requests yet');
    await finishedDraft();
    await restartApp();
    await $('button[aria-label="Open Hooli Health (Okta)"]').click();
    await heading('Hooli Health');
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Review & submit"]]').click();
    await heading('Review & submit');
    await (await button('Submit to Jira')).click();
    await expect($('p[role="status"]*=Queued for Jira')).toHaveText(
      expect.stringContaining('Jira could not be reached'),
    );
    await expect(await $('button=Submit to Jira')).toBeDisabled();
    await $('p[role="status"]*=Queued for Jira').scrollIntoView({ block: 'center' });
    await screenshot('70-submit-queued');
    await expectAccessible('a queued submission');
  });

  it('creates the ticket once Jira is back and shows its key on the drafts home', async () => {
    jira = await startJira();
    await (await button('Retry now')).click();
    await $('p[role="status"]*=Submitted: ONB-1').waitForDisplayed({
      timeout: 20000,
      timeoutMsg: 'the ticket was not created after Jira came back',
    });
    await $('p[role="status"]*=Submitted: ONB-1').scrollIntoView({ block: 'center' });
    await screenshot('71-submitted');
    await (await button('Back to requests')).click();
    await expect($('p*=Jira ONB-1')).toBeDisplayed();
    expect(cli('outbox', 'list')).toMatch(/submitted: ONB-1/);
  });
});
