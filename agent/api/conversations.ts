import {
  ContactProfile,
  Conversation,
  ConversationDetail,
  ConversationList,
  MessagePage,
  ProjectList,
  type ConversationStatus,
} from '../../protocol/index.js';
import { request } from './request.js';

const base = '/api/agent';

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

export const fetchMyProjects = () => request('GET', `${base}/projects`, { schema: ProjectList });

export interface ConversationQuery {
  status: ConversationStatus;
  projectId?: string | null;
  cursor?: string | null;
  limit?: number;
}

export const fetchConversations = (q: ConversationQuery) =>
  request('GET', `${base}/conversations${query({ ...q })}`, { schema: ConversationList });

export const fetchConversation = (id: string) =>
  request('GET', `${base}/conversations/${enc(id)}`, { schema: ConversationDetail });

export const fetchMessages = (id: string, beforeSeq?: number, limit = 50) =>
  request('GET', `${base}/conversations/${enc(id)}/messages${query({ beforeSeq, limit })}`, {
    schema: MessagePage,
  });

export const setConversationStatus = (id: string, action: 'close' | 'reopen') =>
  request('POST', `${base}/conversations/${enc(id)}/${action}`, { schema: Conversation });

/** Fetches the contact's profile from the site now; answers when the fetch has finished. */
export const refreshContactProfile = (id: string) =>
  request('POST', `${base}/conversations/${enc(id)}/profile/refresh`, { schema: ContactProfile });
