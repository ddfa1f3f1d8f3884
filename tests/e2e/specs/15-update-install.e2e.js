// An update that passes every check is installed and Onramp restarts into it. The e2e build
// trusts the test key in tests/e2e/fixtures/update (see `build_for_e2e` in xtask), with which
// this spec signs the release for version 99.0.0. The window runs from a copy of the app in a
// folder of its own — the updater replaces the running executable, as it does an AppImage — and
// the release is that same program, so what restarts is a real Onramp.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@wdio/globals';
import { button, heading } from '../support/app.js';

const bundled = fileURLToPath(new URL('../../../assets/playbook', import.meta.url));
const key = fileURLToPath(new URL('../fixtures/update/trusted-by-e2e-builds.key', import.meta.url));
const tauriCli = fileURLToPath(new URL('../../../ui/node_modules/.bin/tauri', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'onramp-update-'));

/** The pids of running processes whose program is `file`. */
function running(file) {
  const wanted = realpathSync(file);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return realpathSync(`/proc/${pid}/exe`) === wanted;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Serves `latest.json` offering 99.0.0 and the release it points to. */
async function startFeed(release, signature) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const { port } = server.address();
    if (req.url === '/latest.json') {
      const platform = { url: `http://127.0.0.1:${port}/Onramp_99.0.0`, signature };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ version: '99.0.0', notes: 'A newer Onramp.', platforms: { 'linux-x86_64': platform } }));
    } else if (req.url === '/Onramp_99.0.0') {
      res.end(readFileSync(release));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, url: `http://127.0.0.1:${server.address().port}/latest.json` };
}

describe('an update signed with the key Onramp trusts', () => {
  const installed = path.join(work, 'Onramp');
  const release = path.join(work, 'Onramp_99.0.0');
  let feed = null;
  before(async () => {
    copyFileSync(process.env.ONRAMP_APP, installed);
    chmodSync(installed, 0o755);
    copyFileSync(process.env.ONRAMP_APP, release);
    execFileSync(tauriCli, ['signer', 'sign', '--private-key-path', key, '--password', '', '--app-version', '99.0.0', release], {
      stdio: 'ignore',
    });
    feed = await startFeed(release, readFileSync(`${release}.sig`, 'utf8').trim());
    const folder = path.join(work, 'playbook');
    cpSync(bundled, folder, { recursive: true });
    const playbook = path.join(folder, 'playbook.toml');
    writeFileSync(playbook, readFileSync(playbook, 'utf8').replace(/^# update_feed = .*$/m, `update_feed = "${feed.url}"`));
    const requested = { ...browser.requestedCapabilities };
    await browser.reloadSession({ ...requested, 'tauri:options': { application: installed, args: ['--playbook', folder] } });
  });
  after(() => feed?.server.close());

  it('installs it over the running Onramp and restarts into it', async () => {
    await heading('Requests');
    await expect(await $('section[aria-label="Update available"]')).toHaveText(
      expect.stringContaining('Onramp 99.0.0 is available.'),
    );
    const [before] = running(installed);
    expect(before).toBeGreaterThan(0);
    const inode = statSync(installed).ino;
    await (await button('Install and restart')).click();
    // The window goes away with the process it belonged to; a new Onramp starts from the file.
    let after = [];
    await browser.waitUntil(
      () => {
        after = running(installed).filter((pid) => pid !== before);
        return after.length === 1 && running(installed).length === 1;
      },
      { timeout: 30_000, interval: 200, timeoutMsg: 'Onramp did not restart into the installed release' },
    );
    expect(feed.requests).toEqual(['/latest.json', '/Onramp_99.0.0']);
    // The release took the executable's place: a new file, the signed bytes, still runnable.
    expect(statSync(installed).ino).not.toBe(inode);
    expect(readFileSync(installed).equals(readFileSync(release))).toBe(true);
    expect(statSync(installed).mode & 0o111).toBe(0o111);
    process.kill(after[0], 'SIGTERM');
  });
});
