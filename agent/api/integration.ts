import {
  IntegrationLog,
  IntegrationSettings,
  RotateSecretResponse,
  TestConnectionResult,
  type FetchOutcome,
  type UpdateIntegrationRequest,
} from '../../protocol/index.js';
import { request } from './request.js';

const enc = encodeURIComponent;
const base = (projectId: string) => `/api/admin/projects/${enc(projectId)}`;

export const fetchIntegration = (projectId: string) =>
  request('GET', `${base(projectId)}/integration`, { schema: IntegrationSettings });

export const updateIntegration = (projectId: string, body: UpdateIntegrationRequest) =>
  request('PATCH', `${base(projectId)}/integration`, { body, schema: IntegrationSettings });

/** The only call that ever answers with a secret. */
export const rotateIdentitySecret = (projectId: string, graceHours?: number) =>
  request('POST', `${base(projectId)}/identity-secret`, {
    body: graceHours === undefined ? {} : { graceHours },
    schema: RotateSecretResponse,
  });

export const testConnection = (projectId: string, externalUserId: string) =>
  request('POST', `${base(projectId)}/integration/test`, {
    body: { externalUserId },
    schema: TestConnectionResult,
  });

export function fetchIntegrationLog(projectId: string, outcome: FetchOutcome | null, limit = 100) {
  const search = new URLSearchParams({ limit: String(limit) });
  if (outcome) search.set('outcome', outcome);
  return request('GET', `${base(projectId)}/integration/log?${search.toString()}`, {
    schema: IntegrationLog,
  });
}
