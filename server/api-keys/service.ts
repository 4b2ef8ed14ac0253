import type {
  ApiKey,
  ApiKeyRole,
  CreateApiKeyRequest,
  CreatedApiKey,
} from '../../protocol/index.js';
import { AppError, notFound } from '../errors.js';
import { hashSecret, newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { DuplicateError, type ApiKeyRecord, type Store } from '../store/index.js';
import { isKeyShaped, newKeySecret, visiblePrefix } from './secret.js';

/** A request's key, once it passed `authenticate`. */
export interface AuthenticatedKey {
  id: string;
  projectId: string;
  label: string;
  roles: readonly ApiKeyRole[];
}

/** Why a request's key was refused. */
export type KeyFailure =
  | { reason: 'missing' }
  | { reason: 'malformed' }
  | { reason: 'unknown' }
  | { reason: 'revoked'; keyId: string; projectId: string }
  | { reason: 'expired'; keyId: string; projectId: string; expiredAt: string };

export type KeyCheck = { ok: true; key: AuthenticatedKey } | { ok: false; failure: KeyFailure };

/** A key's use is written down at most this often (per instance): not a write per request. */
const TOUCH_INTERVAL_MS = 60_000;
/** Past this many keys seen, the memory of recent writes starts over (a few extra writes). */
const TOUCH_MEMORY = 10_000;

/**
 * Keys of the public API: made with a random secret shown once and stored only as its SHA-256,
 * listed without it, revoked, and checked on every request. The check reads the store each time,
 * so a revocation holds on every instance from the next request on.
 */
export class ApiKeyService {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(
    projectId: string,
    createdBy: string | null,
    input: CreateApiKeyRequest,
  ): Promise<CreatedApiKey> {
    await this.projectOrThrow(projectId);
    const now = this.now();
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      throw new AppError('validation_failed', 422, 'The expiry must be in the future', [
        { path: 'expiresAt', message: 'Choose a date in the future, or no expiry' },
      ]);
    }
    const secret = newKeySecret();
    const record = this.record(projectId, createdBy, input, secret, now, expiresAt);
    await this.store.apiKeys.create(record);
    const listed = await this.store.apiKeys.get(projectId, record.id);
    if (!listed) throw notFound('API key');
    return { apiKey: listed, secret };
  }

  /**
   * The key with this secret, made unless it exists: for a key provisioned outside the console
   * (the demo's Acme server keeps its own in the data directory). Instances starting together
   * make it once. A key revoked since stays revoked: an admin's revocation holds.
   */
  async ensure(
    projectId: string,
    input: Pick<CreateApiKeyRequest, 'label' | 'roles'>,
    secret: string,
  ): Promise<ApiKey> {
    if (!isKeyShaped(secret)) {
      throw new AppError(
        'validation_failed',
        422,
        'Not a Palaver API key: it must be "palaver_" and 48 letters and digits',
      );
    }
    await this.projectOrThrow(projectId);
    const hash = hashSecret(secret);
    if (!(await this.store.apiKeys.byHash(hash))) {
      try {
        await this.store.apiKeys.create(this.record(projectId, null, input, secret, this.now()));
      } catch (error) {
        if (!(error instanceof DuplicateError)) throw error;
      }
    }
    const stored = await this.store.apiKeys.byHash(hash);
    const listed = stored ? await this.store.apiKeys.get(projectId, stored.id) : null;
    if (!listed) throw new AppError('conflict', 409, 'This API key belongs to another project');
    return listed;
  }

  private record(
    projectId: string,
    createdBy: string | null,
    input: Pick<CreateApiKeyRequest, 'label' | 'roles'>,
    secret: string,
    now: Date,
    expiresAt: Date | null = null,
  ): ApiKeyRecord {
    return {
      id: newId('key'),
      projectId,
      label: input.label,
      prefix: visiblePrefix(secret),
      hash: hashSecret(secret),
      roles: input.roles,
      createdBy,
      createdAt: now.toISOString(),
      expiresAt: expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
      revokedAt: null,
    };
  }

  async list(projectId: string): Promise<ApiKey[]> {
    await this.projectOrThrow(projectId);
    return this.store.apiKeys.list(projectId);
  }

  /** Refused from the next request on; revoking a revoked key changes nothing. */
  async revoke(projectId: string, keyId: string): Promise<ApiKey> {
    const revoked = await this.store.apiKeys.revoke(projectId, keyId, this.now().toISOString());
    if (!revoked) throw notFound('API key');
    return revoked;
  }

  /** Checks an `Authorization` header's value. Never logs or returns the key it was given. */
  async authenticate(authorization: string | undefined): Promise<KeyCheck> {
    if (authorization === undefined || authorization.trim() === '') {
      return { ok: false, failure: { reason: 'missing' } };
    }
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    const secret = match?.[1];
    if (!secret || !isKeyShaped(secret)) return { ok: false, failure: { reason: 'malformed' } };
    const key = await this.store.apiKeys.byHash(hashSecret(secret));
    if (!key) return { ok: false, failure: { reason: 'unknown' } };
    const owner = { keyId: key.id, projectId: key.projectId };
    if (key.revokedAt !== null) return { ok: false, failure: { reason: 'revoked', ...owner } };
    const now = this.now();
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) {
      return { ok: false, failure: { reason: 'expired', ...owner, expiredAt: key.expiresAt } };
    }
    await this.touch(key.id, now);
    return {
      ok: true,
      key: { id: key.id, projectId: key.projectId, label: key.label, roles: key.roles },
    };
  }

  private async touch(keyId: string, now: Date): Promise<void> {
    const last = this.touched.get(keyId);
    if (last !== undefined && now.getTime() - last < TOUCH_INTERVAL_MS) return;
    if (this.touched.size >= TOUCH_MEMORY) this.touched.clear();
    this.touched.set(keyId, now.getTime());
    try {
      await this.store.apiKeys.touch(keyId, now.toISOString());
    } catch (error) {
      // The request is authenticated already; a missed "last used" must not refuse it.
      this.logger.warn({ err: error, keyId }, 'could not record the use of an API key');
    }
  }

  private async projectOrThrow(projectId: string): Promise<void> {
    if (!(await this.store.projects.get(projectId))) throw notFound('Project');
  }
}

/** What a refused caller reads: which check failed and what to do, never the key. */
export function keyRefusal(failure: KeyFailure): AppError {
  const create = 'create one in the console under Settings → Projects → API keys';
  switch (failure.reason) {
    case 'missing':
      return new AppError(
        'api_key_missing',
        401,
        `No API key: send one in the Authorization header as "Bearer <key>"; ${create}`,
      );
    case 'malformed':
      return new AppError(
        'api_key_malformed',
        401,
        'The Authorization header does not hold a Palaver API key: send "Bearer palaver_…" with the whole key',
      );
    case 'unknown':
      return new AppError(
        'api_key_unknown',
        401,
        `This API key does not exist: check that it was copied whole, or ${create}`,
      );
    case 'revoked':
      return new AppError('api_key_revoked', 401, `This API key was revoked; ${create}`);
    case 'expired':
      return new AppError(
        'api_key_expired',
        401,
        `This API key expired at ${failure.expiredAt}; ${create}`,
      );
  }
}
