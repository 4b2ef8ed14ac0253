// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MESSAGE_MAX_LENGTH } from '../../../protocol/constants.js';
import { FakeVisitorSocket } from '../../../test/support/fake-socket.js';
import { session } from '../../test-support/fixtures.js';
import { Chat } from '../chat.js';
import { $draft } from '../stores/draft.js';
import { $outbox } from '../stores/outbox.js';
import { Composer } from './Composer.js';

let chat: Chat | null = null;

beforeEach(() => $draft.set(''));
afterEach(() => {
  cleanup();
  chat?.destroy();
  chat = null;
  vi.unstubAllGlobals();
});

function setup(onSend: (text: string) => string | null = vi.fn(() => null)) {
  const onTyping = vi.fn();
  const inputRef = { current: null as HTMLTextAreaElement | null };
  render(<Composer onSend={onSend} onTyping={onTyping} inputRef={inputRef} />);
  const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message' });
  const button = screen.getByRole<HTMLButtonElement>('button', { name: 'Send message' });
  /** Types like a visitor; the composer re-renders from the draft store a moment later. */
  const type = async (text: string) => {
    fireEvent.input(box, { target: { value: text } });
    await waitFor(() => expect(button.disabled).toBe(!text.trim()));
  };
  return { onSend, onTyping, inputRef, box, button, type };
}

describe('Composer', () => {
  it('sends on Enter and clears the box', async () => {
    const { onSend, onTyping, box, type } = setup();
    await type('Hello there');

    const notPrevented = fireEvent.keyDown(box, { key: 'Enter' });

    expect(notPrevented).toBe(false);
    expect(onSend).toHaveBeenCalledExactlyOnceWith('Hello there');
    expect(onTyping).toHaveBeenCalled();
    expect($draft.get()).toBe('');
    await waitFor(() => expect(box.value).toBe(''));
  });

  it('starts a new line on Shift+Enter instead of sending', async () => {
    const { onSend, box, type } = setup();
    await type('First line');

    const notPrevented = fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });

    expect(notPrevented).toBe(true);
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('First line');
  });

  it('does not send while an input method is composing', async () => {
    const { onSend, box, type } = setup();
    await type('にほん');

    fireEvent.compositionStart(box);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();

    fireEvent.compositionEnd(box);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledExactlyOnceWith('にほん');
  });

  it('sends with the button, which is disabled while the box is blank', async () => {
    const { onSend, button, type } = setup();
    expect(button.disabled).toBe(true);

    await type('Hi');
    await type('   ');
    fireEvent.click(button);
    expect(onSend).not.toHaveBeenCalled();

    await type('Hi');
    fireEvent.click(button);
    expect(onSend).toHaveBeenCalledExactlyOnceWith('Hi');
  });

  it('shows why an over-long message was not sent and keeps the text', async () => {
    FakeVisitorSocket.install();
    chat = new Chat({
      container: document.createElement('div'),
      session: session(),
      close: vi.fn(),
      setUnread: vi.fn(),
      emit: vi.fn(),
      sessionLost: vi.fn(),
    });
    FakeVisitorSocket.last().accept();
    const current = chat;
    const { box, type } = setup((text) => current.send(text));
    const tooLong = 'a'.repeat(MESSAGE_MAX_LENGTH + 1);
    await type(tooLong);

    fireEvent.keyDown(box, { key: 'Enter' });

    expect((await screen.findByRole('alert')).textContent).toBe(
      `Messages can be at most ${MESSAGE_MAX_LENGTH} characters (this one has ${MESSAGE_MAX_LENGTH + 1}).`,
    );
    expect(box.value).toBe(tooLong);
    expect($outbox.get()).toEqual([]);
    expect(FakeVisitorSocket.last().sentOfType('send')).toEqual([]);

    // Shortened, it goes out and the error disappears.
    await type('a'.repeat(MESSAGE_MAX_LENGTH));
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(FakeVisitorSocket.last().sentOfType('send')).toHaveLength(1);
  });

  it('keeps the draft when the panel closes and opens again', async () => {
    const first = setup();
    await first.type('Half-written thought');
    cleanup();

    const { box } = setup();

    expect(box.value).toBe('Half-written thought');
  });

  it('puts the focus back in the box after sending', async () => {
    const { box, button, type } = setup();
    await type('Hello');
    fireEvent.click(button);

    expect(document.activeElement).toBe(box);
  });
});
