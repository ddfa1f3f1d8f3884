// What the Jira specs share: fake-jira started on the port the harness chose, and a request
// finished through the command line but for its company name.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import { button, cli, fill, heading, restartApp, waitForSaved } from './app.js';

export const site = `http://127.0.0.1:${process.env.FAKE_JIRA_PORT}`;

/** Starts fake-jira (with `args`, e.g. `--configured`) and resolves once it listens. */
export function startJira(...args) {
  const jira = spawn(process.env.FAKE_JIRA, ['--port', process.env.FAKE_JIRA_PORT, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    jira.stdout.on('data', (chunk) => {
      if (String(chunk).includes('listening')) resolve(jira);
    });
    jira.on('exit', (code) => reject(new Error(`fake-jira exited with ${code}`)));
  });
}

/** What Jira answers a GET of `path` (from `/rest/…`), signed in as fake-jira's account. */
export async function jiraGet(path) {
  const auth = Buffer.from(`${process.env.FAKE_JIRA_EMAIL}:${process.env.FAKE_JIRA_TOKEN}`).toString('base64');
  const response = await fetch(`${site}${path}`, { headers: { Authorization: `Basic ${auth}` } });
  return response.json();
}

/** An issue as Jira's REST API gives it, with the fields asked for. */
export function jiraIssue(key, fields) {
  return jiraGet(`/rest/api/3/issue/${key}?fields=${fields}`);
}

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
      time_zone: 'America/New_York',
    };
    const formatted = {
      domain: 'hooli.example',
      guid: '8e0b5f4a-1c2d-4e5f-9a8b-7c6d5e4f3a2b',
      people: 'it@hooli.example',
    };
    const value = field.kind in byKind ? byKind[field.kind] : (formatted[field.rules.format] ?? 'Filled in');
    if (value !== undefined) answers[field.id] = value;
  }
  // The CSM types the company name in the window.
  delete answers.company;
  return answers;
}

/** A Gusto request with everything but the company name, prepared through the command line
 * (02 walks a whole wizard itself); its screenshots are `picture`, a PNG file. */
export async function almostFinishedDraft() {
  const files = mkdtempSync(path.join(tmpdir(), 'onramp-draft-'));
  // A first draft, named apart, shows which fields Gusto's wizard has.
  const probeFile = path.join(files, 'probe.json');
  writeFileSync(probeFile, JSON.stringify({ company: 'Initech' }));
  const probe = cli('drafts', 'new', '--provider', 'gusto', '--answers', probeFile).trim();
  const { steps } = JSON.parse(cli('drafts', 'show', probe, '--json'));
  const answersFile = path.join(files, 'answers.json');
  writeFileSync(answersFile, JSON.stringify(everyAnswer(steps)));
  const id = cli('drafts', 'new', '--provider', 'gusto', '--answers', answersFile).trim();
  const slots = steps.flatMap((s) => s.fields).filter((f) => f.kind === 'screenshot');
  const png = path.join(files, 'admin-console.png');
  await browser.saveScreenshot(png);
  for (const slot of slots) cli('drafts', 'attach', id, '--slot', slot.id, png);
  return id;
}

/** Fills Settings' Jira and CSM fields for fake-jira's account, with `siteUrl` as the site. */
export async function fillJiraSettings(siteUrl) {
  await fill('Jira site URL', siteUrl);
  await fill('Atlassian account email', process.env.FAKE_JIRA_EMAIL);
  await fill('API token', process.env.FAKE_JIRA_TOKEN);
  await fill('Project key', process.env.FAKE_JIRA_PROJECT);
  await fill('Your name', 'Casey Morgan');
  await fill('Your email', process.env.FAKE_JIRA_EMAIL);
}

/** From the empty drafts home: Settings filled for fake-jira's account and saved; Settings stays
 * open. */
export async function saveJiraSettings() {
  await heading('No requests yet');
  await (await button('Settings')).click();
  await heading('Settings');
  await fillJiraSettings(site);
  await (await button('Save settings')).click();
  await expect($('p[role="status"]')).toHaveText('Settings saved.');
}

/** `almostFinishedDraft`, opened after a restart with `company` typed in as the CSM would, and
 * shown at Review. */
export async function reviewAlmostFinishedDraft(company) {
  await almostFinishedDraft();
  await restartApp();
  await $('button[aria-label="Open unnamed company (Gusto)"]').click();
  await fill('Company name', company);
  await waitForSaved();
  await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Review & submit"]]').click();
  await heading('Review & submit');
}
