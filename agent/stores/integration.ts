import { map } from 'nanostores';
import type { IntegrationSettings, UpdateIntegrationRequest } from '../../protocol/index.js';
import * as api from '../api/integration.js';
import { ApiError } from '../api/request.js';

export interface IntegrationEntry {
  settings: IntegrationSettings | null;
  loading: boolean;
  error: string | null;
}

/**
 * Each project's "API Integration" settings, as admins see them. Never holds a secret: header
 * values arrive masked, and a freshly generated identity secret is handed to the caller only.
 */
export const $integrations = map<Record<string, IntegrationEntry>>({});

function put(projectId: string, patch: Partial<IntegrationEntry>): void {
  const current = $integrations.get()[projectId] ?? { settings: null, loading: false, error: null };
  $integrations.setKey(projectId, { ...current, ...patch });
}

export async function loadIntegration(projectId: string): Promise<void> {
  put(projectId, { loading: true, error: null });
  try {
    put(projectId, { settings: await api.fetchIntegration(projectId), loading: false });
  } catch (error) {
    put(projectId, {
      loading: false,
      error: error instanceof ApiError ? error.message : 'Could not load the integration settings',
    });
  }
}

/** Saves and keeps the server's answer; throws ApiError (422 with `fields`) for the form. */
export async function saveIntegration(
  projectId: string,
  body: UpdateIntegrationRequest,
): Promise<IntegrationSettings> {
  const settings = await api.updateIntegration(projectId, body);
  put(projectId, { settings, error: null });
  return settings;
}

/** Generates a new identity secret; returns it once (it is not kept anywhere in the console). */
export async function rotateSecret(projectId: string, graceHours: number): Promise<string> {
  const { secret, settings } = await api.rotateIdentitySecret(projectId, graceHours);
  put(projectId, { settings, error: null });
  return secret;
}

/** A live health change (admins' socket): the settings banner shows it without a reload. */
export function applyHealth(projectId: string, health: IntegrationSettings['health']): void {
  const settings = $integrations.get()[projectId]?.settings;
  if (settings) put(projectId, { settings: { ...settings, health } });
}

export function resetIntegrations(): void {
  $integrations.set({});
}
