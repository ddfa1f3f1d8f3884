// The .deb, installed: the packaged binary opens its window on the drafts home.
import { expect } from '@wdio/globals';
import { button, heading } from '../support/app.js';

describe('the installed package', () => {
  it('opens the Onramp window on the drafts home', async () => {
    await expect(browser).toHaveTitle('Onramp');
    await heading('No requests yet');
    await expect(await button('New request')).toBeEnabled();
  });
});
