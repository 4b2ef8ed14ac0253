import { MESSAGE_MAX_LENGTH } from '../../protocol/constants.js';
import type { Message, VisitorServerFrame } from '../../protocol/index.js';
import { seenThrough } from '../../protocol/resume.js';
import { isBlankText } from '../../protocol/text.js';
import type { PanelHost } from '../panel-contract.js';
import { VisitorSocket } from '../transport/index.js';
import { $agentsOnline, $connection } from './stores/connection.js';
import { $outbox, enqueue, mark, settle } from './stores/outbox.js';
import { addMessages, $thread, resetThread, showConversation } from './stores/thread.js';
import { agentTyping } from './stores/typing.js';
import { $readSeq, $unread, markReadUpTo } from './stores/unread.js';

/** A send the server neither acknowledges nor refuses in this time is sent again. */
const ACK_TIMEOUT_MS = 15_000;
const TYPING_IDLE_MS = 3000;
const HISTORY_PAGE = 30;
const RETRY_TRANSIENT_MS = 2000;
const TRANSIENT_ERRORS = new Set(['unavailable', 'rate_limited']);

function clientId(): string {
  // crypto.randomUUID needs a secure context; widgets also live on plain-http pages.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Wires the visitor socket to the panel's stores; the UI calls its actions. */
export class Chat {
  /** Whether the visitor can see the panel; set by the loader through `openChanged`. */
  open = false;
  private readonly socket: VisitorSocket;
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private typing = false;
  private historyLoaded = false;
  private readonly unsubscribe: () => void;
  private readonly onVisibility = () => this.markRead();

  constructor(private readonly host: PanelHost) {
    const { session } = host;
    resetThread(session.conversation);
    $outbox.set([]);
    $readSeq.set(0);
    $agentsOnline.set(session.agentsOnline);
    agentTyping(null);
    this.unsubscribe = $unread.subscribe((count) => {
      if (this.historyLoaded) host.setUnread(count);
    });
    document.addEventListener('visibilitychange', this.onVisibility);
    this.socket = new VisitorSocket(session.apiOrigin, session.visitorToken, {
      frame: (frame) => this.receive(frame),
      status: (status) => {
        $connection.set(status);
        // Acks for sends on a lost connection never come; the next `ready` sends them again.
        if (status === 'offline') this.clearTimers();
      },
      resume: () => {
        const { conversation, messages } = $thread.get();
        const seen = seenThrough(messages);
        return conversation && seen ? [{ conversationId: conversation.id, afterSeq: seen }] : [];
      },
      unauthorized: () => host.sessionLost(),
      refused: (reason) => console.warn(`[Palaver] the chat refused this page: ${reason}`),
    });
  }

  send(text: string): string | null {
    const body = text.trim();
    if (isBlankText(body)) return null;
    if (body.length > MESSAGE_MAX_LENGTH) {
      return `Messages can be at most ${MESSAGE_MAX_LENGTH} characters (this one has ${body.length}).`;
    }
    const clientMessageId = clientId();
    enqueue({ clientMessageId, body, state: 'sending' });
    this.stopTyping();
    this.transmit(clientMessageId, body);
    return null;
  }

  retry(clientMessageId: string): void {
    const pending = $outbox.get().find((p) => p.clientMessageId === clientMessageId);
    if (!pending) return;
    mark(clientMessageId, 'sending');
    this.transmit(clientMessageId, pending.body);
  }

  /** Called on each keystroke in the composer. */
  typed(): void {
    if (!this.typing && this.socket.send({ type: 'typing', isTyping: true })) this.typing = true;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  loadEarlier(): void {
    const { conversation, messages, loadingEarlier } = $thread.get();
    const first = messages[0];
    if (!conversation || !first || loadingEarlier) return;
    if (
      this.socket.send({
        type: 'history',
        conversationId: conversation.id,
        beforeSeq: first.seq,
        limit: HISTORY_PAGE,
      })
    ) {
      $thread.setKey('loadingEarlier', true);
    }
  }

  /** Reads happen only when the visitor can actually see the messages. */
  markRead(): void {
    const { conversation, messages } = $thread.get();
    const last = messages.at(-1);
    if (!conversation || !last || !this.open || document.visibilityState !== 'visible') return;
    if (last.seq <= $readSeq.get()) return;
    if (this.socket.send({ type: 'read', conversationId: conversation.id, seq: last.seq })) {
      markReadUpTo(last.seq);
    }
  }

  destroy(): void {
    this.socket.close();
    this.unsubscribe();
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.typingTimer);
    this.clearTimers();
  }

  private clearTimers(): void {
    for (const timer of this.ackTimers.values()) clearTimeout(timer);
    this.ackTimers.clear();
  }

  private transmit(clientMessageId: string, body: string): void {
    clearTimeout(this.ackTimers.get(clientMessageId));
    if (!this.socket.send({ type: 'send', clientMessageId, body })) return;
    // No answer on a connection that still pongs is as good as a lost one: start over, and the
    // message goes again (with its client id) after the next `ready`.
    this.ackTimers.set(
      clientMessageId,
      setTimeout(() => this.socket.reconnect(), ACK_TIMEOUT_MS),
    );
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typing) this.socket.send({ type: 'typing', isTyping: false });
    this.typing = false;
  }

  private receive(frame: VisitorServerFrame): void {
    switch (frame.type) {
      case 'ready': {
        $agentsOnline.set(frame.agentsOnline);
        if (frame.conversation) showConversation(frame.conversation);
        const { conversation, messages } = $thread.get();
        if (conversation && messages.length === 0) {
          this.socket.send({
            type: 'history',
            conversationId: conversation.id,
            limit: HISTORY_PAGE,
          });
        } else this.historyLoaded = true;
        // Whatever the server has not acknowledged goes out now, in the order it was written; only
        // messages the server refused wait for the visitor's Retry.
        for (const pending of $outbox.get()) {
          if (pending.state === 'sending') this.transmit(pending.clientMessageId, pending.body);
        }
        return;
      }
      case 'history':
        if (!this.historyLoaded) this.startReadState(frame.messages);
        addMessages(frame.messages, frame.hasMore);
        this.delivered(frame.messages);
        this.historyLoaded = true;
        this.host.setUnread($unread.get());
        this.markRead();
        return;
      case 'message':
        this.adopt(frame.message);
        addMessages([frame.message]);
        this.delivered([frame.message]);
        if (frame.message.author.kind !== 'visitor') {
          agentTyping(null);
          this.host.emit('message', frame.message);
          this.markRead();
        }
        return;
      case 'ack':
        clearTimeout(this.ackTimers.get(frame.clientMessageId));
        this.ackTimers.delete(frame.clientMessageId);
        this.adopt(frame.message);
        addMessages([frame.message]);
        settle(frame.clientMessageId);
        return;
      case 'typing':
        if (frame.author.kind === 'agent')
          agentTyping(frame.isTyping ? (frame.author.name ?? 'Support') : null);
        return;
      case 'read':
        if (frame.side === 'visitor') markReadUpTo(frame.seq);
        else $thread.setKey('agentsReadSeq', Math.max(frame.seq, $thread.get().agentsReadSeq));
        return;
      case 'conversation':
        showConversation(frame.conversation);
        return;
      case 'presence':
        $agentsOnline.set(frame.agentsOnline);
        return;
      case 'error': {
        const id = frame.clientMessageId;
        if (!id) return;
        clearTimeout(this.ackTimers.get(id));
        const pending = $outbox.get().find((p) => p.clientMessageId === id);
        if (pending && TRANSIENT_ERRORS.has(frame.code)) {
          // The server is briefly unable (database restarting, rate limit): keep the message and
          // send it again when it says, or shortly; the same client id makes the retry safe.
          this.ackTimers.set(
            id,
            setTimeout(
              () => this.transmit(id, pending.body),
              frame.retryAfterMs ?? RETRY_TRANSIENT_MS * (1 + Math.random()),
            ),
          );
        } else {
          mark(id, 'failed', frame.message);
        }
        return;
      }
    }
  }

  /** Our own messages coming back after a lost ack (resume, history) were sent after all. */
  private delivered(messages: Message[]): void {
    const ids = new Set(messages.map((m) => m.author.kind === 'visitor' && m.clientMessageId));
    for (const { clientMessageId } of $outbox.get()) {
      if (!ids.has(clientMessageId)) continue;
      clearTimeout(this.ackTimers.get(clientMessageId));
      this.ackTimers.delete(clientMessageId);
      settle(clientMessageId);
    }
  }

  /** The first message of a new conversation tells us its id. */
  private adopt(message: Message): void {
    const current = $thread.get().conversation;
    if (current?.id === message.conversationId) return;
    showConversation({
      id: message.conversationId,
      status: 'open',
      lastSeq: message.seq,
      unread: 0,
      createdAt: message.createdAt,
    });
  }

  /** The session told us how many agent messages are unread; the rest of the page is read. */
  private startReadState(messages: Message[]): void {
    const unread = $thread.get().conversation?.unread ?? 0;
    const fromAgents = messages.filter((m) => m.author.kind !== 'visitor');
    const lastRead = fromAgents[fromAgents.length - unread - 1];
    markReadUpTo(unread === 0 ? (messages.at(-1)?.seq ?? 0) : (lastRead?.seq ?? 0));
  }
}
