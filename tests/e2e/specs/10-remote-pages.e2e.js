// The window shows Onramp's own pages only. A remote page — opened by a script, a link or a new
// window — never loads, and the server behind it is never even asked.
import { createServer } from 'node:http';
import { expect } from '@wdio/globals';
import { heading } from '../support/app.js';

/** A "remote site" on loopback that counts the requests it gets. */
function remoteSite() {
  const site = { requests: 0, url: '' };
  const server = createServer((_, response) => {
    site.requests += 1;
    response.end('<h1>Remote page</h1>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      site.url = `http://127.0.0.1:${server.address().port}/`;
      site.close = () => server.close();
      resolve(site);
    }),
  );
}

describe('remote pages', () => {
  let site = null;
  before(async () => {
    site = await remoteSite();
  });
  after(() => site?.close());

  it('are refused when something navigates the window to one', async () => {
    await heading('No requests yet');
    await browser.execute((url) => {
      window.location.href = url;
    }, site.url);
    await browser.execute((url) => {
      const link = document.createElement('a');
      link.href = url;
      document.body.append(link);
      link.click();
    }, site.url);
    await browser.execute((url) => {
      window.open(url);
    }, site.url);
    // Give a navigation that was let through every chance to reach the site.
    await browser.pause(1500);
    expect(site.requests).toBe(0);
    expect(await browser.getUrl()).toMatch(/^tauri:\/\/localhost/);
    await heading('No requests yet');
  });
});
