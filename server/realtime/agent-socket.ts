import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  AgentClientFrame,
  CloseCode,
  type AgentServerFrame,
  type ResumeEntry,
} from '../../protocol/index.js';
import { toAgentView, type AuthenticatedAgent } from '../auth/index.js';
import type { ChatService } from '../conversations/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AgentRecord } from '../store/index.js';
import type { Bus } from './bus.js';
import { adminsTopic, agentTopic, projectTopic } from './bus.js';
import { Connection } from './connection.js';
import type { Presence } from './presence.js';

export interface AgentSocketDeps {
  bus: Bus;
  chat: ChatService;
  presence: Presence;
  logger: Logger;
}

/** Who is behind the socket's session cookie now; null once the session no longer works. */
export type SessionCheck = () => Promise<AuthenticatedAgent | null>;

/**
 * A backstop for a missed access signal (the bus was down when a session ended elsewhere): every
 * agent socket checks its session this often.
 */
const SESSION_RECHECK_MS = 60_000;
/** setTimeout's ceiling; a session longer than this is checked again when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * An agent's socket, authenticated by session cookie during the upgrade. It lives only as long as
 * that session: logout, expiry, a new password or deactivation close it (on every instance, through
 * the agent's bus topic). Changes of projects, role or name apply to the open socket in place.
 */
export async function acceptAgentSocket(
  ws: WebSocket,
  socket: Duplex,
  auth: AuthenticatedAgent,
  deps: AgentSocketDeps,
  checkSession: SessionCheck,
): Promise<Connection<AgentClientFrame>> {
  let agent: AgentRecord = auth.agent;
  const connection = new Connection(ws, socket, AgentClientFrame, handle, deps.logger);
  const send = (frame: AgentServerFrame) => connection.send(frame);
  let projectIds = await deps.chat.projectIdsFor(agent);
  for (const projectId of projectIds) connection.subscribe(deps.bus, projectTopic(projectId));
  const followRole = (role: AgentRecord['role']) => {
    if (role === 'admin') connection.subscribe(deps.bus, adminsTopic);
    else connection.unsubscribe(adminsTopic);
  };
  followRole(agent.role);

  let checking: Promise<void> = Promise.resolve();
  const recheck = () => {
    checking = checking.then(recheckAccess).catch((error: unknown) => {
      deps.logger.warn({ err: error, agentId: agent.id }, 'agent access re-check failed');
    });
  };
  const stopWatching = deps.bus.subscribe(agentTopic(agent.id), recheck);
  const periodic = setInterval(recheck, SESSION_RECHECK_MS);
  periodic.unref();
  const expiry = setTimeout(
    recheck,
    Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(auth.session.expiresAt) - Date.now())),
  );
  expiry.unref();
  ws.on('close', () => {
    stopWatching();
    clearInterval(periodic);
    clearTimeout(expiry);
  });
  deps.presence.connected({ id: agent.id, name: agent.name, projectIds });
  ws.on('close', () => deps.presence.disconnected(agent.id));
  send({ type: 'ready', agentId: agent.id, online: onlineIn(projectIds) });

  function onlineIn(ids: string[]) {
    return [
      ...new Map(ids.flatMap((p) => deps.presence.online(p)).map((a) => [a.agentId, a])).values(),
    ];
  }

  async function recheckAccess(): Promise<void> {
    if (ws.readyState !== ws.OPEN) return;
    const current = await checkSession();
    if (!current) {
      connection.close(CloseCode.unauthorized, 'Your session has ended; sign in again');
      return;
    }
    const next = current.agent;
    const nowIn = await deps.chat.projectIdsFor(next);
    const added = nowIn.filter((id) => !projectIds.includes(id));
    const removed = projectIds.filter((id) => !nowIn.includes(id));
    const same =
      next.name === agent.name &&
      next.role === agent.role &&
      added.length === 0 &&
      removed.length === 0;
    if (same || ws.readyState !== ws.OPEN) return;
    for (const id of removed) connection.unsubscribe(projectTopic(id));
    for (const id of added) connection.subscribe(deps.bus, projectTopic(id));
    followRole(next.role);
    agent = next;
    projectIds = nowIn;
    deps.presence.changed({ id: agent.id, name: agent.name, projectIds });
    send({ type: 'access', agent: toAgentView(agent) });
  }

  /** Missed messages of the conversations the console shows, read in parallel, sent in order. */
  async function replay(resume: ResumeEntry[]): Promise<Map<string, number>> {
    const found = await Promise.all(
      resume.map(async (entry) => {
        const conversation = await deps.chat
          .conversationForAgent(agent, entry.conversationId)
          .catch((error: unknown) => {
            if (error instanceof AppError) return null;
            throw error;
          });
        if (!conversation) return null;
        const missed = await deps.chat.missedMessages(conversation, entry.afterSeq, 'agents');
        return { conversationId: conversation.id, afterSeq: entry.afterSeq, missed };
      }),
    );
    const delivered = new Map<string, number>();
    for (const entry of found) {
      if (!entry) continue;
      for (const message of entry.missed) send({ type: 'message', message });
      delivered.set(entry.conversationId, entry.missed.at(-1)?.seq ?? entry.afterSeq);
    }
    return delivered;
  }

  async function handle(frame: AgentClientFrame): Promise<void> {
    switch (frame.type) {
      case 'resume': {
        try {
          await connection.replayThenLive(() => replay(frame.resume));
        } catch (error) {
          // Without its replay the console would show a thread with holes: reconnecting retries.
          deps.logger.warn({ err: error, agentId: agent.id }, 'agent resume failed');
          connection.close(CloseCode.tryAgain, 'Could not catch up; reconnecting');
        }
        return;
      }
      case 'send': {
        await deps.chat.agentSend(agent, frame.conversationId, frame.clientMessageId, frame.body, {
          socketId: connection.id,
          acknowledge: (message) =>
            send({ type: 'ack', clientMessageId: frame.clientMessageId, message }),
        });
        return;
      }
      case 'typing':
        await deps.chat.agentTyping(agent, frame.conversationId, frame.isTyping, connection.id);
        return;
      case 'read': {
        const conversation = await deps.chat.conversationForAgent(agent, frame.conversationId);
        await deps.chat.markRead(conversation, 'agents', frame.seq);
        return;
      }
    }
  }

  return connection;
}
