import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  CloseCode,
  VisitorClientFrame,
  type ResumeEntry,
  type VisitorServerFrame,
} from '../../protocol/index.js';
import type { ChatService } from '../conversations/index.js';
import { toVisitorConversation } from '../conversations/index.js';
import { addressKey, waitText, type VisitorMessageLimit } from '../limits/index.js';
import type { Logger } from '../logger.js';
import { isOriginAllowed } from '../projects/service.js';
import type { Store, VisitorRecord } from '../store/index.js';
import type { VisitorService } from '../visitors/index.js';
import type { Admission } from './admission.js';
import type { Bus } from './bus.js';
import { projectVisitorsTopic, visitorTopic } from './bus.js';
import { Connection } from './connection.js';
import type { Presence } from './presence.js';

export interface VisitorSocketDeps {
  store: Store;
  bus: Bus;
  chat: ChatService;
  visitors: VisitorService;
  presence: Presence;
  logger: Logger;
  authTimeoutMs?: number;
  /** Messages per visitor (all sockets, all instances) and per client address. */
  messageLimit: VisitorMessageLimit;
  clientAddress: (req: IncomingMessage) => string;
  /** Authentications wait their turn here during a reconnect herd. */
  admission: Admission;
}

const AUTH_TIMEOUT_MS = 10_000;

/**
 * A visitor's socket. The token comes in the first frame (never in the URL, which ends up in
 * logs); the page's Origin must be one the project allows.
 */
export function acceptVisitorSocket(
  ws: WebSocket,
  socket: Duplex,
  origin: string | undefined,
  address: string,
  deps: VisitorSocketDeps,
): Connection<VisitorClientFrame> {
  let visitor: VisitorRecord | null = null;
  const countedAs = addressKey(address);
  const connection = new Connection(ws, socket, VisitorClientFrame, handle, deps.logger);
  const send = (frame: VisitorServerFrame) => connection.send(frame);
  const authTimer = setTimeout(() => {
    if (!visitor) connection.close(CloseCode.authTimeout, 'No auth frame received');
  }, deps.authTimeoutMs ?? AUTH_TIMEOUT_MS);
  ws.on('close', () => clearTimeout(authTimer));

  async function handle(frame: VisitorClientFrame): Promise<void> {
    if (frame.type === 'auth') {
      if (visitor) {
        connection.sendError('bad_frame', 'This socket is already authenticated');
        return;
      }
      await authenticate(frame.token, frame.resume);
      return;
    }
    if (!visitor) {
      connection.sendError('unauthorized', 'Send an auth frame first');
      connection.close(CloseCode.unauthorized, 'Not authenticated');
      return;
    }
    const me = visitor;
    switch (frame.type) {
      case 'send': {
        const refused = await deps.messageLimit.check(me.id, countedAs);
        if (refused) {
          send({
            type: 'error',
            code: 'rate_limited',
            message: `You are sending messages too fast; ${waitText(refused.retryAfterMs)} and send again`,
            clientMessageId: frame.clientMessageId,
            retryAfterMs: refused.retryAfterMs,
          });
          return;
        }
        await deps.chat.visitorSend(me, frame.clientMessageId, frame.body, {
          socketId: connection.id,
          acknowledge: (message) =>
            send({ type: 'ack', clientMessageId: frame.clientMessageId, message }),
        });
        return;
      }
      case 'typing':
        await deps.chat.visitorTyping(me, frame.isTyping, connection.id);
        return;
      case 'read': {
        const conversation = await deps.chat.conversationForVisitor(me, frame.conversationId);
        await deps.chat.markRead(conversation, 'visitor', frame.seq);
        return;
      }
      case 'history': {
        const conversation = await deps.chat.conversationForVisitor(me, frame.conversationId);
        const page = await deps.chat.history(
          conversation,
          frame.beforeSeq,
          frame.limit ?? 50,
          'visitor',
        );
        send({
          type: 'history',
          conversationId: conversation.id,
          messages: page.items,
          hasMore: page.hasMore,
        });
        return;
      }
    }
  }

  async function authenticate(token: string, resume: ResumeEntry[]): Promise<void> {
    try {
      await deps.admission.turn();
      await admit(token, resume);
    } catch (error) {
      // Unauthenticated, the socket could do nothing: the client reconnects and tries again.
      deps.logger.warn({ err: error }, 'visitor socket authentication failed');
      connection.close(CloseCode.tryAgain, 'Could not authenticate now; reconnecting');
    }
  }

  /** At most two round trips to the database before `ready`: reconnect herds must stay cheap. */
  async function admit(token: string, resume: ResumeEntry[]): Promise<void> {
    const found = await deps.visitors.authenticate(token);
    const [project, open] = found
      ? await Promise.all([
          deps.store.projects.get(found.projectId),
          deps.store.conversations.openOf(found.id),
        ])
      : [null, null];
    if (!found || !project) {
      connection.sendError('unauthorized', 'This visitor session is unknown; start a new one');
      connection.close(CloseCode.unauthorized, 'Unknown visitor');
      return;
    }
    if (!isOriginAllowed(project, origin)) {
      connection.sendError('origin_not_allowed', `Origin ${origin ?? '(none)'} is not allowed`);
      connection.close(CloseCode.forbiddenOrigin, 'Origin not allowed');
      return;
    }
    visitor = found;
    clearTimeout(authTimer);
    connection.subscribe(deps.bus, visitorTopic(found.id));
    connection.subscribe(deps.bus, projectVisitorsTopic(found.projectId));
    await connection.replayThenLive(async () => {
      const missed = await Promise.all(
        resume.map(async (entry) => {
          const conversation =
            open?.id === entry.conversationId
              ? open
              : await deps.store.conversations.get(entry.conversationId);
          if (!conversation || conversation.visitorId !== found.id) return null;
          return {
            entry,
            messages: await deps.chat.missedMessages(conversation, entry.afterSeq, 'visitor'),
          };
        }),
      );
      send({
        type: 'ready',
        visitorId: found.id,
        conversation: open ? toVisitorConversation(open) : null,
        agentsOnline: deps.presence.online(found.projectId).length,
      });
      const delivered = new Map<string, number>();
      for (const replay of missed) {
        if (!replay) continue;
        for (const message of replay.messages) send({ type: 'message', message });
        delivered.set(
          replay.entry.conversationId,
          replay.messages.at(-1)?.seq ?? replay.entry.afterSeq,
        );
      }
      return delivered;
    });
  }

  return connection;
}
