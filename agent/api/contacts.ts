import type { ConsoleContactListQuery } from '../../protocol/index.js';
import { adminRoutes, agentRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export type ContactQuery = {
  [K in keyof ConsoleContactListQuery]?: ConsoleContactListQuery[K] | null;
} & {
  projectId: string;
};

export const fetchContacts = (query: ContactQuery) =>
  call(agentRoutes.listProjectContacts, { query });

export const fetchContact = (projectId: string, externalId: string) =>
  call(agentRoutes.getProjectContact, { params: { id: projectId, externalId } });

export const eraseContact = (projectId: string, externalId: string, eraseMessages: boolean) =>
  call(adminRoutes.eraseProjectContact, {
    params: { id: projectId, externalId },
    query: { eraseMessages: eraseMessages ? 'true' : 'false' },
  });

export const mergeContacts = (projectId: string, externalId: string, fromExternalId: string) =>
  call(adminRoutes.mergeProjectContacts, {
    params: { id: projectId, externalId },
    body: { fromExternalId },
  });
