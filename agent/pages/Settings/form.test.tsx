// @vitest-environment happy-dom
import { act, renderHook } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/request.js';
import { resetAll } from '../../test-support/reset.js';
import { useSettingsForm } from './form.js';

afterEach(resetAll);

const FIELDS = ['name', 'allowedOrigins'];
const nameMissing = [{ path: 'name', message: 'This field is required' }];

describe('useSettingsForm', () => {
  it('does not call the server while the browser finds problems, and asks to fix the fields', async () => {
    const { result } = renderHook(() => useSettingsForm(FIELDS));
    const save = vi.fn(() => Promise.resolve());

    let outcome: string | undefined;
    await act(async () => {
      outcome = await result.current.submit(nameMissing, save);
    });

    expect(outcome).toBe('invalid');
    expect(save).not.toHaveBeenCalled();
    expect(result.current.problems).toEqual(nameMissing);
    expect(result.current.summary).toBe('Fix the highlighted fields.');
  });

  it('shows the server’s field problems, and its message for problems no field shows', async () => {
    const { result } = renderHook(() => useSettingsForm(FIELDS));
    const refusal = new ApiError('validation_failed', 'Check the highlighted fields', 422, [
      { path: 'widget.color', message: 'Use a #rrggbb colour' },
    ]);

    let outcome: string | undefined;
    await act(async () => {
      outcome = await result.current.submit([], () => Promise.reject(refusal));
    });

    expect(outcome).toBe('failed');
    expect(result.current.problems).toEqual(refusal.fields);
    expect(result.current.summary).toBe('Check the highlighted fields');
    expect(result.current.saving).toBe(false);
    expect(result.current.saved).toBe(false);
  });

  it('is saving while the server works, saved after, and no longer saved once edited', async () => {
    const { result } = renderHook(() => useSettingsForm(FIELDS));
    let answer!: () => void;
    const save = () => new Promise<void>((resolve) => (answer = resolve));

    let pending!: Promise<string>;
    await act(() => {
      pending = result.current.submit([], save);
    });
    expect(result.current.saving).toBe(true);
    await act(async () => {
      answer();
      await pending;
    });

    expect(await pending).toBe('saved');
    expect(result.current).toMatchObject({ saving: false, saved: true, summary: null });
    await act(() => result.current.edited());
    expect(result.current.saved).toBe(false);
  });
});
