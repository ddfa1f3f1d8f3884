import { describe, expect, it } from 'vitest';
import { findProviders, issuesByField, stepState } from './wizard';
import type { ProviderSummary, Readiness } from '$lib/ipc';

const providers: ProviderSummary[] = [
  { id: 'okta', kind: 'sso', name: 'Okta', aliases: ['Okta Workforce Identity'] },
  { id: 'entra-id', kind: 'sso', name: 'Microsoft Entra ID (Azure AD)', aliases: ['Azure AD', 'Office 365'] },
  { id: 'ukg-pro', kind: 'hris', name: 'UKG Pro', aliases: ['UltiPro'] },
];

describe('findProviders', () => {
  it('matches names and aliases, case-insensitively, within the kind', () => {
    expect(findProviders(providers, 'sso', 'azure').map((p) => p.id)).toEqual(['entra-id']);
    expect(findProviders(providers, 'hris', 'ultipro').map((p) => p.id)).toEqual(['ukg-pro']);
    expect(findProviders(providers, 'sso', 'ultipro')).toEqual([]);
    expect(findProviders(providers, 'sso', '  ').map((p) => p.id)).toEqual(['okta', 'entra-id']);
    expect(findProviders(providers, 'sso', 'office entra').map((p) => p.id)).toEqual(['entra-id']);
  });
});

const readiness: Readiness = {
  ready: false,
  hidden: [],
  retired: [],
  steps: [
    { step: 'account', title: 'Account', required: 2, done: 2, issues: [] },
    {
      step: 'details',
      title: 'Details',
      required: 2,
      done: 1,
      issues: [{ fieldId: 'okta_domain', label: 'Okta domain', kind: 'missing', message: 'Required.' }],
    },
    {
      step: 'client',
      title: 'Client',
      required: 1,
      done: 0,
      issues: [{ fieldId: 'email', label: 'Email', kind: 'invalid', message: 'Enter an email address.' }],
    },
    { step: 'review', title: 'Review', required: 0, done: 0, issues: [] },
  ],
};

describe('stepState', () => {
  it('tells complete, incomplete, invalid and informational steps apart', () => {
    expect(stepState(readiness, 'account')).toBe('complete');
    expect(stepState(readiness, 'details')).toBe('incomplete');
    expect(stepState(readiness, 'client')).toBe('invalid');
    expect(stepState(readiness, 'review')).toBe('info');
  });

  it('indexes issues by field', () => {
    expect(issuesByField(readiness).get('email')?.message).toBe('Enter an email address.');
  });
});
