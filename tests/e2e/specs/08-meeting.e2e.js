// The mandatory meeting and its recap, from the window. The CSM schedules the meeting in the
// customer's time zone and sees their own time beside it, exports the invite to the calendar app,
// records that the meeting was held and its recording processed, edits the recap and exports it
// to the mail app. Both files are read back by independent parsers (Python's icalendar and email).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import { button, byLabel, cli, expectAccessible, heading, restartApp, screenshot, waitForSaved } from '../support/app.js';

const files = mkdtempSync(path.join(tmpdir(), 'onramp-meeting-'));

/** What Python's parsers read in an exported file (tests/parsers/inspect.py). */
function inspect(kind, file) {
  const script = path.resolve(import.meta.dirname, '../../parsers/inspect.py');
  const python = process.env.ONRAMP_PYTHON ?? 'python3';
  return JSON.parse(execFileSync(python, [script, kind, file], { encoding: 'utf8' }));
}

/** The links and files the app handed to the desktop (see BROWSER in the harness). */
function opened() {
  try {
    return readFileSync(process.env.ONRAMP_OPENED_LINKS, 'utf8');
  } catch {
    return '';
  }
}

async function savedPath(prefix) {
  const note = await $(`p[role="status"]*=${prefix}`);
  await note.waitForDisplayed({ timeoutMsg: `no "${prefix}" message` });
  const text = await note.getText();
  return text.match(/Saved to (.+?) and opened/)[1];
}

/** An Okta request for Hooli with the account and contacts filled, through the command line. */
function oktaDraft() {
  const answers = path.join(files, 'answers.json');
  writeFileSync(
    answers,
    JSON.stringify({
      company: 'Hooli & Søn <Health>',
      csm_name: 'Casey Morgan',
      csm_email: 'casey.morgan@medtrainer.example',
      poc_name: 'Jordan Lee',
      poc_email: 'jordan.lee@hooli.example',
      upsell: true,
    }),
  );
  return cli('drafts', 'new', '--provider', 'okta', '--answers', answers).trim();
}

describe('the integration meeting and the recap', () => {
  let id = null;

  it('schedules the meeting in the customer’s time zone and shows the CSM’s own time', async () => {
    id = oktaDraft();
    await restartApp();
    await $('//button[@aria-label="Open Hooli & Søn <Health> (Okta)"]').click();
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Meeting"]]').click();
    await heading('Meeting');
    const zone = await byLabel("Customer's time zone");
    await zone.clearValue();
    await zone.setValue('America/New_York');
    // WebKit's date-time control takes no typed text over WebDriver; set it as the picker does.
    const when = await byLabel('Meeting date and time');
    await browser.execute(
      (el, value) => {
        el.value = value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      },
      when,
      '2026-03-08T10:00',
    );
    await (await byLabel('Other attendees')).setValue('Sam Diaz <sam.diaz@hooli.example>');
    await waitForSaved();
    // 8 March 2026 is the day New York moves to summer time: 10:00 EDT is 14:00 UTC.
    await expect($('#note-meeting_at')).toHaveText(
      'Your time: Sun 8 Mar 2026, 14:00–14:30 UTC (Etc/UTC)',
    );
    await expect($('#note-meeting_attendees')).toHaveText(expect.stringContaining('Jordan Lee <jordan.lee@hooli.example>'));
    expect(await (await byLabel('Agenda')).getValue()).toContain('Okta SSO integration');
    await screenshot('80-meeting');
    await expectAccessible('the Meeting step');
  });

  it('exports the invite to the calendar app as RFC 5545 in UTC', async () => {
    await (await button('Export the invite (.ics)')).click();
    const file = await savedPath('Saved to');
    await browser.waitUntil(() => opened().includes(file), { timeoutMsg: 'the invite was not opened' });
    const ics = inspect('ics', file);
    expect(ics.method).toBe('REQUEST');
    const [event] = ics.events;
    expect(event.sequence).toBe(0);
    expect(event.start).toBe('2026-03-08T14:00:00Z');
    expect(event.end).toBe('2026-03-08T14:30:00Z');
    expect(event.summary).toBe('SSO/HRIS Meeting Outreach: Okta SSO for Hooli & Søn <Health>');
    expect(event.organizer.address).toBe('mailto:casey.morgan@medtrainer.example');
    expect(event.attendees.map((a) => [a.address, a.rsvp])).toEqual([
      ['mailto:jordan.lee@hooli.example', 'TRUE'],
      ['mailto:sam.diaz@hooli.example', 'TRUE'],
    ]);
    await expect($('p[role="status"]*=Invite sent')).toHaveText(expect.stringContaining('revision 0'));
  });

  it('records the meeting as held, then writes the recap once the recording is processed', async () => {
    await (await button('Meeting held')).click();
    await expect($('p.help*=recording is processed')).toBeDisplayed();
    await (await button('Recording processed')).click();
    const subject = await byLabel('Subject');
    await expect(subject).toHaveValue('Okta SSO integration for Hooli & Søn <Health>: recap of our meeting');
    const text = await byLabel('Recap text');
    expect(await text.getValue()).toContain('Hello Jordan Lee,');
    expect(await text.getValue()).toContain('Creating employees manually');
    await expect($('p.help*=One-Pager')).toHaveText(expect.stringContaining('one-pager.pdf'));
    await text.addValue('\nP.S. Thanks for the quick answers!');
    await (await button('Export the recap (.eml)')).click();
    const file = await savedPath('opened in your mail app');
    await browser.waitUntil(() => opened().includes(file), { timeoutMsg: 'the recap was not opened' });
    const eml = inspect('eml', file);
    expect(eml.x_unsent).toBe('1');
    expect(eml.subject).toBe('Okta SSO integration for Hooli & Søn <Health>: recap of our meeting');
    expect(eml.to.map((a) => a.address)).toEqual(['jordan.lee@hooli.example', 'sam.diaz@hooli.example']);
    const plain = eml.parts.find((p) => p.type === 'text/plain');
    expect(plain.text).toContain('P.S. Thanks for the quick answers!');
    expect(eml.parts.find((p) => p.type === 'application/pdf').filename).toBe('one-pager.pdf');
    await expect($('p.help*=Your edited text')).toBeDisplayed();
    await (await button('Export the recap (.eml)')).scrollIntoView({ block: 'end' });
    await screenshot('81-recap');
    await expectAccessible('the recap');
    // The edit is kept with the draft: the command line exports the same text.
    expect(cli('export', 'eml', id, '-o', path.join(files, 'cli.eml'))).toContain('Wrote');
    expect(inspect('eml', path.join(files, 'cli.eml')).parts.find((p) => p.type === 'text/plain').text).toContain('P.S. Thanks');
  });
});
