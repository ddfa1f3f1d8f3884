import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Field, FieldKind } from '$lib/ipc';
import FieldInput from './FieldInput.svelte';
import ReviewChecklist from './ReviewChecklist.svelte';

function field(kind: FieldKind, options: string[] = []): Field {
  const rules = { https: false, format: null, pattern: null, patternHint: null, maxLength: null };
  return { id: `f_${kind}`, label: `A ${kind} field`, kind, required: true, help: null, placeholder: null, options, when: null, rules };
}

describe('a field of every kind', () => {
  it.each([
    ['short_text', 'INPUT', 'text'],
    ['email', 'INPUT', 'email'],
    ['url', 'INPUT', 'url'],
    ['number', 'INPUT', 'text'],
    ['date', 'INPUT', 'date'],
    ['date_time', 'INPUT', 'datetime-local'],
    ['long_text', 'TEXTAREA', null],
  ] as const)('renders %s as a labelled control', (kind, tag, type) => {
    render(FieldInput, { field: field(kind), value: undefined, issue: undefined, onchange: () => {} });
    const control = screen.getByLabelText(`A ${kind} field`);
    expect(control.tagName).toBe(tag);
    if (type) expect(control.getAttribute('type')).toBe(type);
  });

  it('renders a select with its options', () => {
    render(FieldInput, { field: field('select', ['SAML', 'OIDC']), value: undefined, issue: undefined, onchange: () => {} });
    const select = screen.getByLabelText('A select field');
    expect(select.tagName).toBe('SELECT');
    expect(Array.from((select as HTMLSelectElement).options).map((o) => o.text)).toContain('OIDC');
  });

  it.each(['multi_select', 'checklist'] as const)('renders %s as a group of labelled checkboxes', (kind) => {
    render(FieldInput, { field: field(kind, ['One', 'Two']), value: ['Two'], issue: undefined, onchange: () => {} });
    expect(screen.getByRole('group', { name: `A ${kind} field` })).toBeTruthy();
    expect((screen.getByLabelText('Two') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('One') as HTMLInputElement).checked).toBe(false);
  });

  it('renders yes/no with "not answered yet"', () => {
    render(FieldInput, { field: field('yes_no'), value: undefined, issue: undefined, onchange: () => {} });
    expect(screen.getByRole('group', { name: 'A yes_no field' })).toBeTruthy();
    for (const choice of ['Yes', 'No', 'Not answered yet']) expect(screen.getByLabelText(choice)).toBeTruthy();
  });
});

describe('Review', () => {
  it('keeps answers to questions the playbook no longer asks, and says so', () => {
    render(ReviewChecklist, {
      readiness: { ready: true, steps: [], hidden: [], retired: [{ fieldId: 'old_sso_url', value: 'https://old.example' }] },
      ongoto: () => {},
    });
    expect(screen.getByRole('heading', { name: 'No longer asked' })).toBeTruthy();
    expect(screen.getByText('old_sso_url').closest('li')?.textContent).toContain('https://old.example');
  });
});
