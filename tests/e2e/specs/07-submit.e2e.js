// Submitting to Jira from the window. The CSM sets Jira up in Settings (the token goes to the
// OS keyring) and finishes an HRIS request while Jira is down: it waits in the outbox with the
// reason. Once Jira is up, "Retry now" creates the ticket; its key shows on the drafts home and
// opens in the browser.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@wdio/globals';
import {
  button,
  byLabel,
  cli,
  expectAccessible,
  fill,
  heading,
  messageFor,
  screenshot,
} from '../support/app.js';
import { reviewAlmostFinishedDraft, fillJiraSettings, site, startJira } from '../support/jira.js';

/** The links the app opened in the "browser" (see BROWSER in the harness). */
function opened() {
  try {
    return readFileSync(process.env.ONRAMP_OPENED_LINKS, 'utf8');
  } catch {
    return '';
  }
}

/** What the app asks the desktop's notification service to show, seen on the session bus. */
function watchNotifications() {
  const monitor = spawn('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seen = { text: '', stop: () => monitor.kill() };
  monitor.stdout.on('data', (chunk) => (seen.text += String(chunk)));
  return seen;
}

describe('submitting to Jira', () => {
  let jira = null;
  after(() => jira?.kill());

  it('sets Jira up in Settings, naming a wrong value next to its field', async () => {
    await heading('No requests yet');
    await (await button('Settings')).click();
    await heading('Settings');
    await fillJiraSettings(site.replace('127.0.0.1', 'jira.example'));
    await (await button('Save settings')).click();
    expect(await messageFor('Jira site URL')).toContain('must start with https://');
    await fill('Jira site URL', site);
    await (await button('Save settings')).click();
    await expect($('p[role="status"]')).toHaveText('Settings saved.');
    // Jira is not running yet: "Test connection" says so in plain words.
    await (await button('Test connection')).click();
    await expect($('p.error-detail')).toHaveText(
      `Jira could not be reached at ${site}: no network, or the site URL is wrong.`,
    );
    await expect(await byLabel('API token')).toHaveAttribute('placeholder', expect.stringContaining('Saved'));
    expect(readFileSync(path.join(process.env.ONRAMP_DATA_DIR, 'onramp.db')).includes(process.env.FAKE_JIRA_TOKEN)).toBe(false);
    await screenshot('72-settings');
    await expectAccessible('Settings');
    await (await button('Back to requests')).click();
  });

  it('keeps a request finished in the window in the outbox, with the reason, while Jira is down', async () => {
    await reviewAlmostFinishedDraft('Hooli Health');
    await (await button('Submit to Jira')).click();
    await expect($('p[role="status"]*=Queued for Jira')).toHaveText(
      expect.stringContaining('Jira could not be reached'),
    );
    await expect(await $('button=Submit to Jira')).toBeDisabled();
    await $('p[role="status"]*=Queued for Jira').scrollIntoView({ block: 'center' });
    await screenshot('70-submit-queued');
    await expectAccessible('a queued submission');
  });

  it('creates the ticket once Jira is back, announces it, shows its key and opens it', async () => {
    const notifications = watchNotifications();
    jira = await startJira();
    await (await button('Retry now')).click();
    await $('p[role="status"]*=Submitted: ONB-1').waitForDisplayed({
      timeout: 20000,
      timeoutMsg: 'the ticket was not created after Jira came back',
    });
    await $('p[role="status"]*=Submitted: ONB-1').scrollIntoView({ block: 'center' });
    await screenshot('71-submitted');
    await browser.waitUntil(() => notifications.text.includes('Jira ticket ONB-1 created'), {
      timeoutMsg: `no desktop notification for ONB-1; the session bus saw: ${notifications.text}`,
    });
    expect(notifications.text).toContain('Enable HRIS Gusto Integration for Hooli Health');
    notifications.stop();
    await (await button('Open ONB-1 in Jira')).click();
    await browser.waitUntil(() => opened().includes(`${site}/browse/ONB-1`), {
      timeoutMsg: 'the ticket did not open in the browser',
    });
    await (await button('Back to requests')).click();
    await expect($('button*=Jira ONB-1')).toBeDisplayed();
    expect(cli('outbox', 'list')).toMatch(new RegExp(`submitted: ONB-1 .*${site}/browse/ONB-1`));
  });

  it('tests the connection once Jira is up', async () => {
    await (await button('Settings')).click();
    await (await button('Test connection')).click();
    await expect($('p[role="status"]')).toHaveText(`Connected to ${site}/ as Casey Morgan.`);
  });

  it('keeps the token out of every file it wrote and out of what it printed', async () => {
    // The rest of the request's life, on the same data from the command line: the invite
    // exported, the meeting held, the recap exported (the core's secrets test also exports a
    // bundle and looks inside it).
    const token = process.env.FAKE_JIRA_TOKEN;
    const exports = path.join(process.env.ONRAMP_DATA_DIR, 'exports');
    mkdirSync(exports, { recursive: true });
    const id = JSON.parse(cli('drafts', 'list', '--json')).find((d) => d.company === 'Hooli Health').id;
    const printed = [
      cli('export', 'ics', id, '--output', path.join(exports, 'invite.ics')),
      cli('meeting', 'record', id, 'held'),
      cli('meeting', 'recording-processed', id),
      cli('export', 'eml', id, '--output', path.join(exports, 'recap.eml')),
    ];
    expect(printed.filter((out) => out.includes(token))).toEqual([]);
    // Everything under the data directory: the database and its log, screenshots, exports,
    // the window's saved place, and the app's output (stdout and stderr, as a desktop session
    // would keep them).
    const walk = (dir) =>
      readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name);
        const stat = statSync(file);
        if (stat.isDirectory()) return walk(file);
        return stat.isFile() ? [file] : [];
      });
    const written = walk(process.env.ONRAMP_DATA_DIR);
    expect(written).toContain(process.env.ONRAMP_APP_LOG);
    expect(written).toContain(path.join(process.env.ONRAMP_DATA_DIR, 'onramp.db'));
    expect(written).toContain(path.join(exports, 'recap.eml'));
    const holding = written.filter((file) => readFileSync(file).includes(token));
    expect(holding).toEqual([]);
  });
});
