// Updates from the team's feed, in the real window: the home offers a newer version, nothing is
// downloaded before the CSM agrees, and a package not signed with Onramp's own key is refused
// with the reason, leaving this Onramp as it was. The feed is served over loopback; its package
// was signed by `tauri signer sign --app-version 99.0.0` with a key Onramp does not trust
// (tests/e2e/fixtures/update).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@wdio/globals';
import { button, expectAccessible, heading, screenshot, startWith } from '../support/app.js';

const bundled = fileURLToPath(new URL('../../../assets/playbook', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/update', import.meta.url));
const folder = mkdtempSync(path.join(tmpdir(), 'onramp-playbook-'));

/** Serves `latest.json` and the package it points to; records what was asked for. */
async function startFeed() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const { port } = server.address();
    if (req.url === '/latest.json') {
      const platform = {
        url: `http://127.0.0.1:${port}/package.bin`,
        signature: readFileSync(path.join(fixtures, 'package.bin.sig'), 'utf8').trim(),
      };
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          version: '99.0.0',
          notes: 'Requests to the service desk.',
          pub_date: '2026-12-01T12:00:00Z',
          platforms: { 'linux-x86_64': platform, 'linux-x86_64-deb': platform },
        }),
      );
    } else if (req.url === '/package.bin') {
      res.end(readFileSync(path.join(fixtures, 'package.bin')));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, url: `http://127.0.0.1:${server.address().port}/latest.json` };
}

describe('updates from the team’s feed', () => {
  let feed = null;
  before(async () => {
    feed = await startFeed();
    cpSync(bundled, folder, { recursive: true });
    const playbook = path.join(folder, 'playbook.toml');
    writeFileSync(
      playbook,
      readFileSync(playbook, 'utf8').replace(/^# update_feed = .*$/m, `update_feed = "${feed.url}"`),
    );
  });
  after(async () => {
    feed?.server.close();
    rmSync(folder, { recursive: true, force: true });
    await startWith([]);
  });

  it('offers the newer version on the home screen, and downloads nothing yet', async () => {
    await startWith(['--playbook', folder]);
    await heading('Requests');
    const offer = await $('section[aria-label="Update available"]');
    await expect(offer).toHaveText(expect.stringContaining('Onramp 99.0.0 is available.'));
    await expect(await button('Install and restart')).toBeDisplayed();
    await expect(await button('Not now')).toBeDisplayed();
    expect(feed.requests).toEqual(['/latest.json']);
    await screenshot('95-update-offered');
    await expectAccessible('the home screen with an update offered');
  });

  it('refuses a package not signed with Onramp’s key, saying so', async () => {
    await (await button('Install and restart')).click();
    const alert = await $('.update-banner[role="alert"]');
    await expect(alert).toHaveText(
      expect.stringContaining('is not signed with the key built into this Onramp, so it was not installed'),
    );
    expect(feed.requests).toEqual(['/latest.json', '/package.bin']);
    await screenshot('96-update-refused');
    await (await button('Dismiss')).click();
    await expect(await $('.update-banner')).not.toBeExisting();
    await heading('Requests');
  });

  it('says in Settings which feed it reads', async () => {
    await (await button('Settings')).click();
    await heading('Settings');
    await (await button('Check for updates')).click();
    await expect(await $('section.updates')).toHaveText(expect.stringContaining(`Feed: ${feed.url}`));
    await expect(await $('section.updates')).toHaveText(expect.stringContaining('Onramp 99.0.0 is available.'));
    await (await button('Back to requests')).click();
  });
});
