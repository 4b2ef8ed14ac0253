import type { ConversationStatus } from '../../protocol/index.js';
import { agentRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchMyProjects = () => call(agentRoutes.listMyProjects, {});

export interface ConversationQuery {
  status: ConversationStatus;
  projectId?: string | null;
  cursor?: string | null;
  limit?: number;
}

export const fetchConversations = (query: ConversationQuery) =>
  call(agentRoutes.listConversations, { query });

export const fetchConversation = (id: string) =>
  call(agentRoutes.getConversation, { params: { id } });

export const fetchMessages = (id: string, beforeSeq?: number, limit = 50) =>
  call(agentRoutes.listMessages, { params: { id }, query: { beforeSeq, limit } });

const statusRoutes = {
  close: agentRoutes.closeConversation,
  reopen: agentRoutes.reopenConversation,
};

export const setConversationStatus = (id: string, action: 'close' | 'reopen') =>
  call(statusRoutes[action], { params: { id } });

/** Fetches the contact's profile from the site now; answers when the fetch has finished. */
export const refreshContactProfile = (id: string) =>
  call(agentRoutes.refreshContactProfile, { params: { id } });
