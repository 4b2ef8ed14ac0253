import { map } from 'nanostores';
import type { ApiKey, CreateApiKeyRequest } from '../../protocol/index.js';
import * as api from '../api/api-keys.js';
import { ApiError } from '../api/request.js';

export interface ApiKeysEntry {
  items: ApiKey[];
  loaded: boolean;
  error: string | null;
}

/**
 * Each project's API keys, as admins see them. Never holds a secret: a new key's secret is handed
 * to the caller only, which shows it once.
 */
export const $apiKeys = map<Record<string, ApiKeysEntry>>({});

function entry(projectId: string): ApiKeysEntry {
  return $apiKeys.get()[projectId] ?? { items: [], loaded: false, error: null };
}

function put(projectId: string, patch: Partial<ApiKeysEntry>): void {
  $apiKeys.setKey(projectId, { ...entry(projectId), ...patch });
}

export async function loadApiKeys(projectId: string): Promise<void> {
  put(projectId, { error: null });
  try {
    const { apiKeys } = await api.fetchApiKeys(projectId);
    put(projectId, { items: apiKeys, loaded: true });
  } catch (error) {
    put(projectId, {
      error: error instanceof ApiError ? error.message : 'Could not load the API keys',
    });
  }
}

/** Creates a key and lists it first; returns its secret (kept nowhere in the console). */
export async function createApiKey(projectId: string, body: CreateApiKeyRequest): Promise<string> {
  const { apiKey, secret } = await api.createApiKey(projectId, body);
  put(projectId, { items: [apiKey, ...entry(projectId).items] });
  return secret;
}

export async function revokeApiKey(projectId: string, keyId: string): Promise<void> {
  const revoked = await api.revokeApiKey(projectId, keyId);
  put(projectId, { items: entry(projectId).items.map((k) => (k.id === keyId ? revoked : k)) });
}

export function resetApiKeys(): void {
  $apiKeys.set({});
}
