// Checking what the customer sent for SSO, at the moment it arrives: the CSM pastes Okta metadata
// whose signing certificate expires in 30 days into the Okta wizard; Onramp reads it offline,
// warns with what to ask the customer, fills the entity ID, SSO URL and certificate fields, and
// puts the finding on the ticket.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@wdio/globals';
import { byLabel, cli, expectAccessible, heading, restartApp, screenshot, waitForSaved } from '../support/app.js';

const files = mkdtempSync(path.join(tmpdir(), 'onramp-sso-'));

/** A signing certificate that expires in 30 days, made the way an IdP makes one. */
function expiringCertificate() {
  const pem = path.join(files, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=acme.okta.com', '-days', '30',
    '-keyout', path.join(files, 'key.pem'), '-out', pem,
  ], { stdio: 'ignore' });
  return readFileSync(pem, 'utf8').replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/** Okta's metadata for a SAML app, as its Sign On tab serves it. */
function oktaMetadata(certificate) {
  return `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1a2b3c4D5e6F7g8h9"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.okta.com/app/acme_onramp_1/exk1a2b3c4D5e6F7g8h9/sso/saml"/><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://acme.okta.com/app/acme_onramp_1/exk1a2b3c4D5e6F7g8h9/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
}

describe('checking the SAML metadata the customer sent', () => {
  let id = null;

  it('reads pasted Okta metadata, warns about the expiring certificate and fills the fields', async () => {
    const answers = path.join(files, 'answers.json');
    writeFileSync(answers, JSON.stringify({ company: 'Acme Health', protocol: 'SAML 2.0' }));
    id = cli('drafts', 'new', '--provider', 'okta', '--answers', answers).trim();
    await restartApp();
    await $('//button[@aria-label="Open Acme Health (Okta)"]').click();
    await $('//nav[@aria-label="Steps"]//button[.//*[normalize-space()="Customer details"]]').click();
    await heading('Customer details');
    await (await byLabel('The customer shares their identity provider settings as')).selectByVisibleText('Metadata XML file');
    const xml = await byLabel('Metadata XML');
    // A real paste: the metadata goes on the X clipboard and Ctrl+V puts it in the field.
    // xclip serves the clipboard for as long as it runs (-quiet keeps it in the foreground).
    const clipboard = spawn('xclip', ['-quiet', '-selection', 'clipboard'], { stdio: ['pipe', 'ignore', 'ignore'] });
    clipboard.stdin.end(oktaMetadata(expiringCertificate()));
    await browser.waitUntil(() => {
      try {
        return execFileSync('xclip', ['-o', '-selection', 'clipboard'], { encoding: 'utf8' }).includes('EntityDescriptor');
      } catch {
        return false;
      }
    }, { timeoutMsg: 'xclip did not take the clipboard' });
    await xml.click();
    await browser.keys(['Control', 'v']);
    await waitForSaved();
    clipboard.kill();

    const findings = await $('ul[aria-label="Findings"]');
    await findings.waitForDisplayed({ timeoutMsg: 'no findings after pasting the metadata' });
    await expect(findings).toHaveText(expect.stringMatching(/Warning: The signing certificate expires on .+, in 30 days\./));
    await expect(findings).toHaveText(expect.stringContaining('What to do: Ask when they will rotate it'));
    await expect($('dl[aria-label="Read from the pasted metadata"]')).toHaveText(
      expect.stringContaining('http://www.okta.com/exk1a2b3c4D5e6F7g8h9'),
    );
    await expect($('dl[aria-label="Signing certificate"]')).toHaveText(expect.stringContaining('CN=acme.okta.com'));
    await $('#sso-checks-title').scrollIntoView({ block: 'start' });
    await screenshot('90-sso-checks');
    await expectAccessible('the SSO checks');

    // The values the metadata holds are filled in, for the engineer and for a CSM who switches.
    await (await byLabel('The customer shares their identity provider settings as')).selectByVisibleText(
      'SSO URL, entity ID and certificate',
    );
    await expect(await byLabel('Identity provider entity ID (issuer)')).toHaveValue('http://www.okta.com/exk1a2b3c4D5e6F7g8h9');
    await expect(await byLabel('Identity provider SSO URL')).toHaveValue(
      'https://acme.okta.com/app/acme_onramp_1/exk1a2b3c4D5e6F7g8h9/sso/saml',
    );
    expect(await (await byLabel('Signing certificate (PEM)')).getValue()).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('puts the finding on the ticket', async () => {
    const ticket = cli('render', 'ticket', id, '--format', 'text');
    expect(ticket).toContain('Checks');
    expect(ticket).toMatch(/Warning: The signing certificate expires on .+, in 30 days\./);
    expect(ticket).toContain('Signing certificate: CN=acme.okta.com');
  });
});
