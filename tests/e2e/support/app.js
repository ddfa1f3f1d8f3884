// How the tests reach the app: the way a person does, by the words on the screen.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The form control whose <label> reads `text` . */
export async function byLabel(text) {
  const label = await $(`//label[normalize-space()=${xpathString(text)}]`);
  await label.waitForExist({ timeoutMsg: `no label reading "${text}"` });
  const id = await label.getAttribute('for');
  if (!id) throw new Error(`the label "${text}" is not tied to a control (no for=)`);
  return $(`#${id}`);
}

/** The button whose visible text is `text`. */
export async function button(text) {
  const el = await $(`//button[normalize-space()=${xpathString(text)}]`);
  await el.waitForClickable({ timeoutMsg: `no clickable button "${text}"` });
  return el;
}

export async function heading(text) {
  const el = await $(`//*[self::h1 or self::h2][normalize-space()=${xpathString(text)}]`);
  await el.waitForDisplayed({ timeoutMsg: `no heading "${text}"` });
  return el;
}

/** The live autosave status line. */
export async function waitForSaved() {
  const status = await $('[role="status"]');
  await status.waitUntil(async () => (await status.getText()).startsWith('Saved'), {
    timeoutMsg: 'autosave did not report "Saved"',
  });
}

/** Quits the app and starts it again on the same data directory. */
export async function restartApp() {
  await browser.reloadSession();
}

/** Saves a picture of the current screen for the README. */
export async function screenshot(name) {
  const dir = process.env.ONRAMP_SCREENSHOTS;
  if (!dir) return;
  // WebKit can hand back the previous frame right after a change; wait until one is painted.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await browser.saveScreenshot(path.join(dir, `${name}.png`));
}

/** Runs the `onramp` CLI on the same data directory as the window. */
export function cli(...args) {
  const bin = process.env.ONRAMP_CLI;
  if (!bin) throw new Error('ONRAMP_CLI is not set: run the e2e tests through `cargo xtask test`');
  return execFileSync(bin, args, { encoding: 'utf8', env: process.env });
}

function xpathString(s) {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return `concat('${s.replaceAll("'", `', "'", '`)}')`;
}
