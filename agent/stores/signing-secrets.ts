import { map } from 'nanostores';
import type { SigningSecret } from '../../protocol/index.js';
import * as api from '../api/signing.js';
import { ApiError } from '../api/request.js';

export interface SigningSecretsEntry {
  items: SigningSecret[];
  loaded: boolean;
  error: string | null;
}

/**
 * Each project's signing secrets, as admins see them: prefixes and times. Never holds a value: a
 * rotation's new secret is handed to the caller only, which shows it once.
 */
export const $signingSecrets = map<Record<string, SigningSecretsEntry>>({});

function entry(projectId: string): SigningSecretsEntry {
  return $signingSecrets.get()[projectId] ?? { items: [], loaded: false, error: null };
}

function put(projectId: string, patch: Partial<SigningSecretsEntry>): void {
  $signingSecrets.setKey(projectId, { ...entry(projectId), ...patch });
}

export async function loadSigningSecrets(projectId: string): Promise<void> {
  put(projectId, { error: null });
  try {
    const { secrets } = await api.fetchSigningSecrets(projectId);
    put(projectId, { items: secrets, loaded: true });
  } catch (error) {
    put(projectId, {
      error: error instanceof ApiError ? error.message : 'Could not load the signing secrets',
    });
  }
}

/** Rotates and lists the secrets as they are now; returns the new value (kept nowhere here). */
export async function rotateSigningSecret(projectId: string, graceHours: number): Promise<string> {
  const { secret, signing } = await api.rotateSigningSecret(projectId, { graceHours });
  put(projectId, { items: signing.secrets, loaded: true, error: null });
  return secret;
}

export function resetSigningSecrets(): void {
  $signingSecrets.set({});
}
