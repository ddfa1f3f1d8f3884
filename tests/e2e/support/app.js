// How the tests reach the app: the way a person does, by the words on the screen.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** Picks `choice` (a radio or checkbox label) in the group whose legend reads `question`. */
export async function answer(question, choice) {
  const label = await $(
    `//fieldset[legend[normalize-space()=${xpathString(question)}]]//label[normalize-space()=${xpathString(choice)}]`,
  );
  await label.waitForExist({ timeoutMsg: `no choice "${choice}" under "${question}"` });
  await (await $(`#${await label.getAttribute('for')}`)).click();
}

/** Whether a question or field labelled `text` is on screen now. */
export async function isAsked(text) {
  const q = xpathString(text);
  return $(`//*[self::label or self::legend][normalize-space()=${q}]`).isExisting();
}

/** The message shown under the field labelled `text` (its aria-describedby error). */
export async function messageFor(text) {
  const control = await byLabel(text);
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ');
  const error = ids.find((id) => id.startsWith('error-'));
  if (!error) return null;
  return $(`#${error}`).getText();
}

/** Goes to the next step of the wizard and waits for its heading. */
export async function nextStep(title) {
  await (await button('Next')).click();
  return heading(title);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the window and fails on any serious or critical violation. */
export async function expectAccessible(where) {
  // WebDriver scripts run outside the page's CSP, so axe needs no exception in the app.
  await browser.execute(`${axeSource}; return true;`);
  const violations = await browser.executeAsync((done) => {
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) =>
        done(
          r.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        ),
      )
      .catch((e) => done([`axe failed: ${e}`]));
  });
  if (violations.length > 0) {
    throw new Error(`accessibility violations on ${where}:\n${violations.join('\n')}`);
  }
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

/** Restarts the app, on the same data directory, with `args` on its command line. */
export async function startWith(args) {
  const requested = { ...browser.requestedCapabilities };
  const tauri = requested['tauri:options'];
  if (!tauri) throw new Error('the session was not started with tauri:options');
  await browser.reloadSession({ ...requested, 'tauri:options': { ...tauri, args } });
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

/** Types `value` into the input labelled `label`, replacing what it held. */
export async function fill(label, value) {
  const input = await byLabel(label);
  await input.clearValue();
  await input.setValue(value);
}
