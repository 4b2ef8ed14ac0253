import type { CreateApiKeyRequest } from '../../protocol/index.js';
import { adminRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchApiKeys = (projectId: string) =>
  call(adminRoutes.listApiKeys, { params: { id: projectId } });

/** The only call that answers with a key's secret. */
export const createApiKey = (projectId: string, body: CreateApiKeyRequest) =>
  call(adminRoutes.createApiKey, { params: { id: projectId }, body });

export const revokeApiKey = (projectId: string, keyId: string) =>
  call(adminRoutes.revokeApiKey, { params: { id: projectId, keyId } });
