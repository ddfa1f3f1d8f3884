import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Field, Screenshot } from '$lib/ipc';
import ScreenshotSlot from './ScreenshotSlot.svelte';

const field: Field = {
  id: 'connector',
  label: 'Connector screen',
  kind: 'screenshot',
  required: true,
  help: null,
  placeholder: null,
  options: [],
  when: null,
  rules: { https: false, format: null, pattern: null, patternHint: null, maxLength: null },
};

const shot: Screenshot = {
  slotId: 'connector',
  fileName: 'connector.png',
  sha256: 'ab',
  width: 3840,
  height: 2160,
  size: 14_000_000n,
  attachedAt: '2026-12-02T09:00:00Z',
  thumbnail: 'data:image/png;base64,',
};

const props = { issue: undefined, busy: false, error: null, onfile: () => {}, onremove: () => {}, onopen: () => {}, onpaste: () => {} };

describe('a screenshot slot', () => {
  it('says under the screenshot what Onramp will send when it is over the Jira site’s limit', () => {
    const note = '"Connector screen" is 13.4 MB and this Jira takes files up to 10.0 MB: Onramp will send it as a JPEG.';
    render(ScreenshotSlot, { ...props, field, shot, note });
    expect(screen.getByText(note)).toBeTruthy();
  });

  it('says nothing of the limit when there is no note', () => {
    render(ScreenshotSlot, { ...props, field, shot, note: undefined });
    expect(screen.queryByText(/takes files up to/)).toBeNull();
  });
});
