import type {
  FetchOutcome,
  IntegrationMapping,
  UpdateIntegrationRequest,
} from '../../protocol/index.js';
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

/** `mapping`: one being edited, previewed instead of the saved one. */
export const testConnection = (
  projectId: string,
  externalUserId: string,
  mapping: IntegrationMapping | null,
) =>
  call(adminRoutes.testConnection, {
    params: { id: projectId },
    body: mapping ? { externalUserId, mapping } : { externalUserId },
  });

export const fetchIntegrationLog = (projectId: string, outcome: FetchOutcome | null, limit = 100) =>
  call(adminRoutes.listIntegrationLog, { params: { id: projectId }, query: { limit, outcome } });
