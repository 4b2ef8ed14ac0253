import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { AgentClientFrame, CloseCode, type AgentServerFrame } from '../../protocol/index.js';
import type { ChatService } from '../conversations/index.js';
import type { Logger } from '../logger.js';
import type { AgentRecord } from '../store/index.js';
import type { Bus } from './bus.js';
import { agentTopic, projectTopic } from './bus.js';
import { fanOutFailed, type ChatEvents } from './chat-events.js';
import { Connection } from './connection.js';
import type { Presence } from './presence.js';

export interface AgentSocketDeps {
  bus: Bus;
  chat: ChatService;
  events: ChatEvents;
  presence: Presence;
  logger: Logger;
}

/**
 * An agent's socket, already authenticated by session cookie during the upgrade.
 * `reauthenticate` answers who is behind that cookie now (null once it no longer works).
 */
export async function acceptAgentSocket(
  ws: WebSocket,
  socket: Duplex,
  agent: AgentRecord,
  deps: AgentSocketDeps,
  reauthenticate: () => Promise<AgentRecord | null>,
): Promise<Connection<AgentClientFrame>> {
  const connection = new Connection(ws, socket, AgentClientFrame, handle, deps.logger);
  const send = (frame: AgentServerFrame) => connection.send(frame);
  const projectIds = await deps.chat.projectIdsFor(agent);
  for (const projectId of projectIds) connection.subscribe(deps.bus, projectTopic(projectId));
  // The socket's subscriptions and author name were fixed at connect time: when an admin changes
  // this agent (or adds a project an admin sees), it must not go on with the old access.
  const stopWatching = deps.bus.subscribe(agentTopic(agent.id), () => {
    recheckAccess().catch((error: unknown) => {
      deps.logger.warn({ err: error, agentId: agent.id }, 'agent access re-check failed');
      connection.close(CloseCode.restart, 'Reconnect to refresh your access');
    });
  });
  ws.on('close', stopWatching);
  deps.presence.connected({ id: agent.id, name: agent.name, projectIds });
  ws.on('close', () => deps.presence.disconnected(agent.id));
  send({
    type: 'ready',
    agentId: agent.id,
    online: [
      ...new Map(
        projectIds.flatMap((p) => deps.presence.online(p)).map((a) => [a.agentId, a]),
      ).values(),
    ],
  });

  async function recheckAccess(): Promise<void> {
    const current = await reauthenticate();
    if (!current) {
      connection.close(CloseCode.unauthorized, 'Your session has ended; sign in again');
      return;
    }
    const nowIn = await deps.chat.projectIdsFor(current);
    const same =
      current.name === agent.name &&
      current.role === agent.role &&
      nowIn.length === projectIds.length &&
      nowIn.every((id) => projectIds.includes(id));
    if (!same) connection.close(CloseCode.restart, 'Your access changed; reconnect');
  }

  async function handle(frame: AgentClientFrame): Promise<void> {
    switch (frame.type) {
      case 'resume': {
        await connection.replayThenLive(async () => {
          const delivered = new Map<string, number>();
          for (const entry of frame.resume) {
            const conversation = await deps.chat
              .conversationForAgent(agent, entry.conversationId)
              .catch(() => null);
            if (!conversation) continue;
            const missed = await deps.chat.missedMessages(conversation, entry.afterSeq);
            for (const message of missed) send({ type: 'message', message });
            delivered.set(conversation.id, missed.at(-1)?.seq ?? entry.afterSeq);
          }
          return delivered;
        });
        return;
      }
      case 'send': {
        const result = await deps.chat.agentSend(
          agent,
          frame.conversationId,
          frame.clientMessageId,
          frame.body,
        );
        send({ type: 'ack', clientMessageId: frame.clientMessageId, message: result.message });
        if (result.created) {
          await deps.events
            .messageCreated(result.message, result.conversation, false, connection.id)
            .catch((error: unknown) => fanOutFailed(deps.logger, error));
        }
        return;
      }
      case 'typing': {
        const conversation = await deps.chat.conversationForAgent(agent, frame.conversationId);
        await deps.events.typing(
          conversation,
          { kind: 'agent', id: agent.id, name: agent.name },
          frame.isTyping,
          connection.id,
        );
        return;
      }
      case 'read': {
        const conversation = await deps.chat.conversationForAgent(agent, frame.conversationId);
        const updated = await deps.chat.markRead(conversation, 'agents', frame.seq);
        if (updated.agentReadSeq !== conversation.agentReadSeq) {
          await deps.events.read(updated, 'agents');
        }
        return;
      }
    }
  }

  return connection;
}
