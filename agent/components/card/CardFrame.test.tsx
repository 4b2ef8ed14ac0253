// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CardFrame, type CardFrameState } from './index.js';

afterEach(cleanup);

function show(
  state: CardFrameState,
  extra: { result?: { status: 'success' | 'error'; message: string } } = {},
) {
  const onRefresh = vi.fn();
  render(
    <CardFrame name="Recent orders" state={state} onRefresh={onRefresh} {...extra}>
      <p>The card</p>
    </CardFrame>,
  );
  const region = screen.getByRole('region', { name: 'Recent orders' });
  return { onRefresh, region, refresh: within(region).getByRole('button', { name: 'Refresh' }) };
}

describe('a card’s frame', () => {
  it('shows the card under its name, and asks again on Refresh', () => {
    const { onRefresh, region, refresh } = show({ status: 'ready' });
    expect(within(region).getByText('The card')).toBeTruthy();
    expect(region.getAttribute('aria-busy')).toBe('false');
    fireEvent.click(refresh);
    expect(onRefresh).toHaveBeenCalledOnce();
  });

  it('says it is loading and lets Refresh wait', () => {
    const { region, refresh } = show({ status: 'loading' });
    expect(within(region).getByRole('status').textContent).toBe('Loading…');
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(refresh).toHaveProperty('disabled', true);
  });

  it('says why the card failed and where to look, keeping the card it had', () => {
    const { region, refresh } = show({
      status: 'error',
      reason: 'The site answered HTTP 500',
      help: 'See Settings → Cards → log',
    });
    const alert = within(region).getByRole('alert');
    expect(alert.textContent).toBe('The site answered HTTP 500See Settings → Cards → log');
    expect(within(region).getByText('The card')).toBeTruthy();
    expect(refresh).toHaveProperty('disabled', false);
  });

  it('shows the last action’s result as the site worded it', () => {
    const { region } = show(
      { status: 'ready' },
      { result: { status: 'error', message: 'Already refunded' } },
    );
    const status = within(region).getByText('Already refunded');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.className).toContain('notice-error');
  });
});
