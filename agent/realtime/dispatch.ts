import type { AgentServerFrame } from '../../protocol/index.js';
import { reloadContactShowing } from '../stores/contact.js';
import {
  $details,
  applyProfile,
  loadDetail,
  markProfileFetching,
  updateDetailConversation,
} from '../stores/details.js';
import {
  $inbox,
  applyMessage,
  findConversation,
  loadInbox,
  markConversationRead,
  upsertConversation,
} from '../stores/inbox.js';
import { applyHealth } from '../stores/integration.js';
import { noteIntegrationHealth } from '../stores/integration-alerts.js';
import { notifyVisitorMessage } from '../stores/notifications.js';
import { acknowledge, markFailed } from '../stores/outbox.js';
import { loadProjects } from '../stores/projects.js';
import { $route, navigate } from '../stores/route.js';
import { updateAgent } from '../stores/session.js';
import { addMessage, setVisitorRead } from '../stores/threads.js';
import { setVisitorTyping } from '../stores/typing.js';
import { settleAck } from './socket.js';

function isViewing(conversationId: string): boolean {
  const route = $route.get();
  return (
    route.name === 'conversation' &&
    route.id === conversationId &&
    document.visibilityState === 'visible'
  );
}

/**
 * After a reconnect or an access change: lists and headers may have changed while no frames
 * could arrive, or may now include other projects.
 */
export function refreshAfterReconnect(): void {
  const inbox = $inbox.get();
  for (const status of ['open', 'closed'] as const) {
    if (inbox[status].loaded) void loadInbox(status);
  }
  for (const id of Object.keys($details.get())) void loadDetail(id);
}

/** Applies one validated server frame to the stores. */
export function handleFrame(frame: AgentServerFrame): void {
  switch (frame.type) {
    case 'ready':
    case 'presence':
    case 'pong':
      return;
    case 'access':
      updateAgent(frame.agent);
      void loadProjects().catch(() => undefined);
      refreshAfterReconnect();
      return;
    case 'message': {
      const { message } = frame;
      const fromVisitor = message.author.kind === 'visitor';
      addMessage(message);
      applyMessage(message, fromVisitor && !isViewing(message.conversationId));
      if (fromVisitor) {
        setVisitorTyping(message.conversationId, false);
        const label =
          findConversation(message.conversationId)?.visitorLabel ??
          $details.get()[message.conversationId]?.detail?.conversation.visitorLabel ??
          'a visitor';
        notifyVisitorMessage(
          { conversationId: message.conversationId, label, body: message.body },
          () => navigate({ name: 'conversation', id: message.conversationId }),
        );
      }
      return;
    }
    case 'ack':
      settleAck(frame.clientMessageId);
      addMessage(frame.message);
      applyMessage(frame.message, false);
      acknowledge(frame.clientMessageId);
      return;
    case 'typing':
      if (frame.author.kind === 'visitor') setVisitorTyping(frame.conversationId, frame.isTyping);
      return;
    case 'read':
      if (frame.side === 'visitor') setVisitorRead(frame.conversationId, frame.seq);
      else markConversationRead(frame.conversationId, frame.seq);
      return;
    case 'conversation':
      upsertConversation(frame.conversation);
      updateDetailConversation(frame.conversation);
      return;
    case 'profile_fetching':
      markProfileFetching(frame.conversationIds);
      return;
    case 'profile':
      for (const shown of applyProfile(frame.conversationIds, frame.contact, frame.visitorLabel)) {
        const row = findConversation(shown.id);
        if (row) upsertConversation({ ...row, visitorLabel: shown.visitorLabel });
      }
      reloadContactShowing(frame.conversationIds, frame.contact.externalUserId);
      return;
    case 'visitor':
      // The visitor's page or identity changed: reload what this console shows of them.
      for (const id of frame.conversationIds) {
        if (!$details.get()[id]) continue;
        void loadDetail(id).then((detail) => {
          if (detail && findConversation(id)) upsertConversation(detail.conversation);
        });
      }
      // Erasures and merges announce the conversations they touched this way.
      reloadContactShowing(frame.conversationIds);
      return;
    case 'integration_health':
      applyHealth(frame.projectId, frame.health);
      noteIntegrationHealth(frame.projectId, frame.health);
      return;
    case 'error':
      if (frame.clientMessageId) {
        settleAck(frame.clientMessageId);
        markFailed(frame.clientMessageId, frame.message);
      } else {
        console.warn(`palaver: server error ${frame.code}: ${frame.message}`);
      }
      return;
  }
}
