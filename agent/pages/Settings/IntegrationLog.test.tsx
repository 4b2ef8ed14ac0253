// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationLogEntry } from '../../../protocol/index.js';
import { mockApi, type Call } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { IntegrationLogPage } from './IntegrationLog.js';

afterEach(resetAll);

function entry(overrides: Partial<IntegrationLogEntry> = {}): IntegrationLogEntry {
  return {
    id: 'ilog_1',
    at: at(3),
    externalUserId: 'u_1001',
    trigger: 'session',
    outcome: 'ok',
    httpStatus: 200,
    latencyMs: 143.2,
    errorClass: null,
    message: 'HTTP 200 in 143.2 ms',
    invalidFields: [],
    droppedPii: [{ path: 'card_number', reason: 'card number' }],
    ...overrides,
  };
}

const timeout = entry({
  id: 'ilog_2',
  externalUserId: 'u_3001',
  trigger: 'refresh',
  outcome: 'timeout',
  httpStatus: null,
  latencyMs: 10_000,
  errorClass: 'timeout',
  message: 'No complete answer within 10 s',
  droppedPii: [],
});

const LOG = '/api/admin/projects/acme/integration/log';

async function show() {
  const calls = mockApi({
    'GET /api/admin/projects': { body: { items: [project()] } },
    [`GET ${LOG}`]: (call: Call) => ({
      body: {
        items: call.path.includes('outcome=timeout')
          ? [timeout]
          : call.path.includes('outcome=blocked')
            ? []
            : [timeout, entry()],
      },
    }),
  });
  render(<IntegrationLogPage id="acme" />);
  await screen.findAllByTestId('log-row');
  return calls;
}

const logCalls = (calls: Call[]) => calls.filter((c) => c.path.startsWith(LOG)).map((c) => c.path);

describe('Settings → Integration log', () => {
  it('lists recent attempts with trigger, outcome, status, latency and error class', async () => {
    await show();

    const [first, second] = screen.getAllByTestId('log-row');
    expect(within(first!).getByText('u_3001')).toBeTruthy();
    expect(within(first!).getByText('Refresh')).toBeTruthy();
    expect(within(first!).getByText('Timeout').className).toBe('outcome outcome-bad');
    expect(within(first!).getByText('10.0 s')).toBeTruthy();
    expect(within(first!).getByText('timeout')).toBeTruthy();
    expect(within(first!).getByText('No complete answer within 10 s')).toBeTruthy();
    expect(within(second!).getByText('OK').className).toBe('outcome outcome-good');
    expect(within(second!).getByText('Session start')).toBeTruthy();
    expect(within(second!).getByText('200')).toBeTruthy();
    expect(within(second!).getByText('143 ms')).toBeTruthy();
    expect(within(second!).getByText('Dropped: card_number (card number)')).toBeTruthy();
  });

  it('filters by outcome through the API and refreshes on demand', async () => {
    const calls = await show();

    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'timeout' } });
    await waitFor(() => expect(screen.getAllByTestId('log-row')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(logCalls(calls)).toHaveLength(3));

    expect(logCalls(calls)).toEqual([
      `${LOG}?limit=100`,
      `${LOG}?limit=100&outcome=timeout`,
      `${LOG}?limit=100&outcome=timeout`,
    ]);

    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'blocked' } });
    expect(await screen.findByText('No “Blocked address” attempts')).toBeTruthy();
    expect(screen.queryAllByTestId('log-row')).toEqual([]);
  });
});
