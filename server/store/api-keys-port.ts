import type { ApiKeyRole } from '../../protocol/index.js';

export interface ApiKeyRecord {
  id: string;
  projectId: string;
  label: string;
  /** The key's visible start, shown to tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key (`hashSecret`); the key itself is never stored. */
  hash: string;
  roles: ApiKeyRole[];
  /** The id of the agent who created it; null once that agent is gone. */
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key as the console lists it: its creator by name, never its hash. */
export type ApiKeyListing = Omit<ApiKeyRecord, 'hash' | 'createdBy'> & {
  createdBy: { id: string; name: string } | null;
};

/** The keys sites' servers call the public API (/api/v1) with, per project. */
export interface ApiKeyStore {
  /** Throws DuplicateError (`API key`, `hash`) when a key with this hash exists. */
  create(key: ApiKeyRecord): Promise<void>;
  /** The project's keys, revoked and expired ones included, newest first. */
  list(projectId: string): Promise<ApiKeyListing[]>;
  /** One key of the project; null when the project has no key with this id. */
  get(projectId: string, id: string): Promise<ApiKeyListing | null>;
  /** The key with this hash, whatever its state; null when there is none. */
  byHash(hash: string): Promise<ApiKeyRecord | null>;
  /**
   * Revokes the key at `at`; a key revoked before keeps its first revocation time. The key as
   * it is after, or null when the project has no key with this id.
   */
  revoke(projectId: string, id: string, at: string): Promise<ApiKeyListing | null>;
  /** Records a use at `at`; an older time never replaces a newer one. */
  touch(id: string, at: string): Promise<void>;
}
