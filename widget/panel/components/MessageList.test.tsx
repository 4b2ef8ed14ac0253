// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { conversation, message } from '../../test-support/fixtures.js';
import { $outbox } from '../stores/outbox.js';
import { $thread, addMessages, resetThread } from '../stores/thread.js';
import { agentTyping } from '../stores/typing.js';
import { MessageList } from './MessageList.js';

beforeEach(() => {
  resetThread(null);
  $outbox.set([]);
  agentTyping(null);
});
afterEach(cleanup);

function setup(greeting = 'Hi! How can we help?') {
  const onRetry = vi.fn();
  const onLoadEarlier = vi.fn();
  render(
    <MessageList
      greeting={greeting}
      teamName="Acme Support"
      locale="en"
      onRetry={onRetry}
      onLoadEarlier={onLoadEarlier}
    />,
  );
  const log = screen.getByRole('log', { name: 'Messages' });
  return { onRetry, onLoadEarlier, log };
}

describe('MessageList', () => {
  it('greets the visitor in the name of the team', () => {
    const { log } = setup();

    expect(within(log).getByText('Hi! How can we help?')).toBeTruthy();
    expect(within(log).getByText('Acme Support')).toBeTruthy();
    expect(within(log).getByText('AS')).toBeTruthy();
  });

  it('shows no greeting when the project has none', () => {
    const { log } = setup('');

    expect(log.querySelectorAll('li')).toHaveLength(0);
  });

  it('shows the greeting only at the very start of the conversation', () => {
    resetThread(conversation());
    addMessages([message(31)], true);

    const { log } = setup();

    expect(within(log).queryByText('Hi! How can we help?')).toBeNull();
  });

  it('offers a Retry button for a failed message, which retries that message', () => {
    $outbox.set([
      { clientMessageId: 'c1', body: 'First try', state: 'failed', error: 'Slow down' },
      { clientMessageId: 'c2', body: 'On its way', state: 'sending' },
    ]);
    const { log, onRetry } = setup();

    expect(within(log).getByText('First try')).toBeTruthy();
    expect(log.textContent).toContain('Not sent: Slow down.');
    const retry = within(log).getAllByRole('button', { name: 'Retry' });
    expect(retry).toHaveLength(1);
    expect(within(log).getByText('Sending…')).toBeTruthy();

    fireEvent.click(retry[0]!);

    expect(onRetry).toHaveBeenCalledExactlyOnceWith('c1');
  });

  it('shows the conversation with authors, and "Seen" under the visitor’s last read message', () => {
    resetThread(conversation());
    addMessages([
      message(1, 'visitor', { body: 'My order is late' }),
      message(2, 'agent', { body: 'Let me look' }),
      message(3, 'visitor', { body: 'Thanks' }),
    ]);
    $thread.setKey('agentsReadSeq', 3);
    const { log } = setup();

    const items = within(log).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.pv-bubble')?.textContent)).toEqual([
      'Hi! How can we help?',
      'You: My order is late',
      'Dana Agent: Let me look',
      'You: Thanks',
    ]);
    expect(items[3]?.textContent).toContain('Seen');
    expect(items[1]?.textContent).not.toContain('Seen');
  });

  it('loads earlier messages on request', () => {
    resetThread(conversation());
    addMessages([message(31)], true);
    const { onLoadEarlier } = setup();

    fireEvent.click(screen.getByRole('button', { name: 'Show earlier messages' }));
    expect(onLoadEarlier).toHaveBeenCalledOnce();
  });

  it('disables "Show earlier messages" while a page is loading', () => {
    resetThread(conversation());
    addMessages([message(31)], true);
    $thread.setKey('loadingEarlier', true);
    setup();

    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Loading…' }).disabled).toBe(true);
  });

  it('shows who is typing', () => {
    agentTyping('Dana');
    setup();

    expect(screen.getByText('Dana is typing…')).toBeTruthy();
  });

  it('says so when the conversation was closed', () => {
    resetThread(conversation({ status: 'closed' }));
    const { log } = setup();

    expect(within(log).getByText(/This conversation was closed/)).toBeTruthy();
  });
});
