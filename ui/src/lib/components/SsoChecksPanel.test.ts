import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import SsoChecksPanel from './SsoChecksPanel.svelte';
import type { SsoChecks } from '$lib/ipc';

const cert = {
  subject: 'CN=acme.okta.com',
  issuer: 'CN=acme.okta.com',
  notBefore: '2024-01-01T00:00:00Z',
  notAfter: '2027-01-04T00:00:00Z',
  sha256: 'AB:CD',
  pem: '-----BEGIN CERTIFICATE-----',
};

const expiring: SsoChecks = {
  source: 'the pasted metadata',
  metadata: {
    entityId: 'http://www.okta.com/exk1',
    ssoUrls: [{ binding: 'HTTP-Redirect', location: 'https://acme.okta.com/app/sso/saml' }],
    nameIdFormats: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    certificates: [cert],
  },
  certificate: null,
  error: null,
  pendingUrl: null,
  pendingIssuer: null,
  findings: [
    {
      severity: 'warning',
      message: 'The signing certificate expires on 4 Jan 2027, in 40 days.',
      ask: 'Ask when they will rotate it.',
    },
  ],
};

describe('SsoChecksPanel', () => {
  it('lists each finding with what to ask, and what was read', () => {
    render(SsoChecksPanel, { checks: expiring, showFile: true, fetching: false, onfetch: () => {}, onfile: () => {} });
    const finding = screen.getByRole('list', { name: 'Findings' });
    expect(finding.textContent).toContain('Warning: The signing certificate expires on 4 Jan 2027, in 40 days.');
    expect(finding.textContent).toContain('What to do: Ask when they will rotate it.');
    expect(screen.getByText('http://www.okta.com/exk1')).toBeTruthy();
    expect(screen.getByText('https://acme.okta.com/app/sso/saml')).toBeTruthy();
    expect(screen.getByLabelText('Read a metadata file').getAttribute('type')).toBe('file');
  });

  it('offers to fetch a metadata URL that is not fetched yet, and shows why it failed', async () => {
    let fetched = 0;
    render(SsoChecksPanel, {
      checks: { ...expiring, metadata: null, findings: [], pendingUrl: 'https://acme.okta.com/metadata', error: 'The metadata URL could not be reached at https://acme.okta.com: no network.' },
      showFile: true,
      fetching: false,
      onfetch: () => (fetched += 1),
      onfile: () => {},
    });
    expect(screen.getByRole('alert').textContent).toBe('The metadata URL could not be reached at https://acme.okta.com: no network.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check online now' }));
    expect(fetched).toBe(1);
  });
});
