import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver } from './autosave.svelte';
import { AppError, type Saved } from '$lib/ipc';

const savedAt = (n: number): Saved => ({
  updatedAt: `2026-11-25T09:00:0${n}Z`,
  readiness: { ready: false, steps: [], hidden: [], retired: [] },
  status: 'draft',
  filled: {},
});

describe('Autosaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes once typing pauses for 300 ms, with the last value', async () => {
    const write = vi.fn().mockResolvedValue(savedAt(1));
    const saver = new Autosaver(write);
    saver.change('company', 'A');
    saver.change('company', 'Ac');
    saver.change('company', 'Acme');
    expect(saver.state.kind).toBe('pending');
    await vi.advanceTimersByTimeAsync(299);
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(write).toHaveBeenCalledExactlyOnceWith('company', 'Acme');
    expect(saver.state).toEqual({ kind: 'saved', at: '2026-11-25T09:00:01Z' });
  });

  it('writes each field, one write at a time, in the order they were typed', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const write = vi.fn((field: string) => {
      order.push(`start ${field}`);
      return new Promise<Saved>((resolve) => {
        release = () => {
          order.push(`end ${field}`);
          resolve(savedAt(2));
        };
      });
    });
    const saver = new Autosaver(write);
    saver.change('company', 'Acme');
    saver.change('lms_account_id', 'LMS-1');
    await vi.advanceTimersByTimeAsync(300);
    expect(order).toEqual(['start company']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start company', 'end company', 'start lms_account_id']);
    release();
    await saver.flush();
    expect(saver.state.kind).toBe('saved');
  });

  it('flush writes pending changes at once, without waiting for the pause', async () => {
    const write = vi.fn().mockResolvedValue(savedAt(3));
    const saver = new Autosaver(write);
    saver.change('company', 'Acme');
    await saver.flush();
    expect(write).toHaveBeenCalledExactlyOnceWith('company', 'Acme');
    expect(saver.state.kind).toBe('saved');
  });

  it('reports a failure with its reason and retries the same value on flush', async () => {
    const write = vi
      .fn()
      .mockRejectedValueOnce(new AppError('storage', 'local storage failed: disk full'))
      .mockResolvedValueOnce(savedAt(4));
    const saver = new Autosaver(write);
    saver.change('company', 'Acme');
    await vi.advanceTimersByTimeAsync(300);
    expect(saver.state).toEqual({ kind: 'failed', message: 'local storage failed: disk full' });
    await saver.flush();
    expect(write).toHaveBeenLastCalledWith('company', 'Acme');
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('writes a cleared answer as null, and lists and yes/no answers as they are', async () => {
    const write = vi.fn().mockResolvedValue(savedAt(5));
    const saver = new Autosaver(write);
    saver.change('scim', true);
    saver.change('apps', ['LMS', 'Reports']);
    saver.change('company', null);
    await saver.flush();
    expect(write.mock.calls).toEqual([
      ['scim', true],
      ['apps', ['LMS', 'Reports']],
      ['company', null],
    ]);
  });
});
