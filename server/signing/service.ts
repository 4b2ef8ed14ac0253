import {
  SIGNING_GRACE_HOURS_DEFAULT,
  SIGNING_GRACE_HOURS_MAX,
  type RotatedSigningSecret,
  type SigningSecrets,
} from '../../protocol/index.js';
import type { SecretBox } from '../crypto/secrets.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { DuplicateError, type SigningSecretRecord, type Store } from '../store/index.js';
import { signingSecret } from './secret.js';
import { signatureHeader, type SignedBody } from './signature.js';

/**
 * How long an instance signs with the secrets it read before reading them again: a rotation made
 * through another instance is used by this one at most this much later.
 */
const CACHE_MS = 5_000;
/** Past this many projects remembered, the memory starts over (a few extra reads). */
const CACHE_ENTRIES = 10_000;
const HOUR_MS = 3_600_000;

interface OpenedSecret {
  value: string;
  /** Epoch ms; null for the primary. */
  expiresAt: number | null;
}

interface CachedSecrets {
  secrets: OpenedSecret[];
  readAt: number;
}

interface SigningServiceOptions {
  /** The clock; tests move it. */
  now?: () => Date;
}

/** Binds a sealed secret to its row: a ciphertext copied to another row or project fails to open. */
const sealContext = (projectId: string, id: string) => `signing-secret:${projectId}:${id}`;

/**
 * Each project's signing secrets, sealed at rest with PALAVER_SECRET_KEY. A project gets its first
 * secret the first time a request of its is signed, so that nothing Palaver sends goes out
 * unsigned; that one is never shown. An admin rotates to get a secret: the new value is in the
 * rotation's answer only, and the previous secret keeps signing (next to the new one) for the
 * grace period chosen, so that the site can deploy the new secret without refusing a request.
 */
export class SigningService {
  private readonly cache = new Map<string, CachedSecrets>();
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    options: SigningServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The `Palaver-Signature` value for `body`, sent now (or `at`), with every active secret. */
  async sign(projectId: string, body: SignedBody, at: Date = this.now()): Promise<string> {
    return signatureHeader(await this.activeSecrets(projectId), body, at);
  }

  /** The secrets that sign right now, opened, newest first; the project's first is made if none. */
  async activeSecrets(projectId: string): Promise<string[]> {
    const now = this.now().getTime();
    let cached = this.cache.get(projectId);
    if (!cached || now - cached.readAt >= CACHE_MS || now < cached.readAt) {
      cached = { secrets: await this.read(projectId, now), readAt: now };
      if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
      this.cache.set(projectId, cached);
    }
    return cached.secrets
      .filter((s) => s.expiresAt === null || s.expiresAt > now)
      .map((s) => s.value);
  }

  /** What the console shows: each active secret's prefix and times, never a value. */
  async describe(projectId: string): Promise<SigningSecrets> {
    await this.projectOrThrow(projectId);
    const records = await this.store.signingSecrets.active(projectId, this.now().toISOString());
    return {
      secrets: records.map(({ id, prefix, shown, createdAt, expiresAt }) => ({
        id,
        prefix,
        shown,
        createdAt,
        expiresAt,
      })),
    };
  }

  /**
   * Makes a new primary secret and answers it, this once. The previous secrets keep signing for
   * `graceHours` (0–168) at most; one that was never shown stops at once, since no site holds it.
   */
  async rotate(
    projectId: string,
    graceHours: number = SIGNING_GRACE_HOURS_DEFAULT,
  ): Promise<RotatedSigningSecret> {
    if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > SIGNING_GRACE_HOURS_MAX) {
      const message = `The grace period is a whole number of hours from 0 to ${SIGNING_GRACE_HOURS_MAX}`;
      throw new AppError('validation_failed', 422, message, [{ path: 'graceHours', message }]);
    }
    await this.projectOrThrow(projectId);
    const now = this.now();
    const secret = signingSecret.make();
    const graceUntil = new Date(now.getTime() + graceHours * HOUR_MS).toISOString();
    try {
      await this.store.signingSecrets.rotate(this.record(projectId, secret, now, true), graceUntil);
    } catch (error) {
      if (!(error instanceof DuplicateError)) throw error;
      throw conflict(
        'The signing secret was rotated by someone else at the same moment: reload to see the current secrets, and rotate again if you need a value',
      );
    }
    this.cache.delete(projectId);
    return { secret, signing: await this.describe(projectId) };
  }

  private async read(projectId: string, now: number): Promise<OpenedSecret[]> {
    const at = new Date(now).toISOString();
    let records = await this.store.signingSecrets.active(projectId, at);
    if (records.length === 0) {
      await this.projectOrThrow(projectId);
      // Instances signing their first request together make one secret: the first stored wins.
      await this.store.signingSecrets.createIfAbsent(
        this.record(projectId, signingSecret.make(), new Date(now), false),
      );
      records = await this.store.signingSecrets.active(projectId, at);
    }
    return records.map((r) => ({
      value: this.box.open(r.sealed, sealContext(projectId, r.id)),
      expiresAt: r.expiresAt === null ? null : Date.parse(r.expiresAt),
    }));
  }

  private record(projectId: string, secret: string, at: Date, shown: boolean): SigningSecretRecord {
    const id = newId('sig');
    return {
      id,
      projectId,
      prefix: signingSecret.visible(secret),
      sealed: this.box.seal(secret, sealContext(projectId, id)),
      shown,
      createdAt: at.toISOString(),
      expiresAt: null,
    };
  }

  private async projectOrThrow(projectId: string): Promise<void> {
    if (!(await this.store.projects.get(projectId))) throw notFound('Project');
  }
}
