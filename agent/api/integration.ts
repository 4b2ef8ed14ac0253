import type { FetchOutcome, UpdateIntegrationRequest } from '../../protocol/index.js';
import { adminRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchIntegration = (projectId: string) =>
  call(adminRoutes.getIntegration, { params: { id: projectId } });

export const updateIntegration = (projectId: string, body: UpdateIntegrationRequest) =>
  call(adminRoutes.updateIntegration, { params: { id: projectId }, body });

/** The only call that ever answers with a secret. */
export const rotateIdentitySecret = (projectId: string, graceHours?: number) =>
  call(adminRoutes.rotateIdentitySecret, {
    params: { id: projectId },
    body: graceHours === undefined ? {} : { graceHours },
  });

export const testConnection = (projectId: string, externalUserId: string) =>
  call(adminRoutes.testConnection, { params: { id: projectId }, body: { externalUserId } });

export const fetchIntegrationLog = (projectId: string, outcome: FetchOutcome | null, limit = 100) =>
  call(adminRoutes.listIntegrationLog, { params: { id: projectId }, query: { limit, outcome } });
