// The window behaves like the rest of the desktop: it reopens where and at the size the CSM left
// it, even after a forced quit, and it follows the desktop's light or dark theme as it changes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import { expectAccessible, heading, restartApp, screenshot } from '../support/app.js';

const stateFile = path.join(process.env.ONRAMP_DATA_DIR, 'config/com.onramp.desktop/.window-state.json');

describe('the window', () => {
  it('reopens at the size and position it was left at', async () => {
    await heading('No requests yet');
    await browser.setWindowRect(60, 40, 900, 640);
    const moved = await browser.getWindowRect();
    expect(moved).toEqual({ x: 60, y: 40, width: 900, height: 640 });
    // Saved once the window is still, not only at a clean exit: the restart below kills the app.
    await browser.waitUntil(() => existsSync(stateFile) && readFileSync(stateFile, 'utf8').includes('"width": 900'), {
      timeoutMsg: 'the window size was not saved',
    });
    await restartApp();
    await heading('No requests yet');
    expect(await browser.getWindowRect()).toEqual(moved);
  });
});

/** The desktop's theme, announced the way X11 desktops do it: an XSETTINGS daemon. */
class DesktopTheme {
  folder = mkdtempSync(path.join(tmpdir(), 'onramp-xsettings-'));
  config = path.join(this.folder, 'xsettingsd.conf');
  daemon = null;

  set(theme) {
    writeFileSync(this.config, `Net/ThemeName "${theme}"\n`);
    if (this.daemon) {
      this.daemon.kill('SIGHUP'); // xsettingsd rereads its file and tells every window
    } else {
      this.daemon = spawn('xsettingsd', ['--config', this.config], { stdio: 'ignore' });
    }
  }

  stop() {
    this.daemon?.kill();
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** How light the page background is, from 0 (black) to 1 (white). */
async function backgroundLightness() {
  const colour = await browser.execute(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b, alpha = 1] = colour.match(/[\d.]+/g).map(Number);
  if (alpha !== 1) throw new Error(`the page background is not opaque: ${colour}`);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe('the theme', () => {
  const theme = new DesktopTheme();
  after(() => theme.stop());

  it('is light while the desktop is light', async () => {
    theme.set('Adwaita');
    await restartApp();
    await heading('No requests yet');
    expect(await backgroundLightness()).toBeGreaterThan(0.8);
  });

  it('turns dark as soon as the desktop does, and stays readable', async () => {
    theme.set('Adwaita-dark');
    await browser.waitUntil(async () => (await backgroundLightness()) < 0.2, {
      timeoutMsg: 'the window did not follow the desktop to its dark theme',
    });
    await screenshot('50-home-dark');
    await expectAccessible('the dark theme');
  });

  it('turns light again with the desktop', async () => {
    theme.set('Adwaita');
    await browser.waitUntil(async () => (await backgroundLightness()) > 0.8, {
      timeoutMsg: 'the window did not follow the desktop back to its light theme',
    });
  });
});
