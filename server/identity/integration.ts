import {
  DEFAULT_MAPPING,
  FRESHNESS_DEFAULT_SECONDS,
  type IntegrationMapping,
  type OnNotFound,
  type IntegrationSettings,
  type UpdateIntegrationRequest,
} from '../../protocol/index.js';
import type { SecretBox } from '../crypto/secrets.js';
import { AppError, notFound } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import {
  editedHeaders,
  headerViews,
  openHeaders,
  sealHeaders,
  type SiteHeader,
} from '../outbound/index.js';
import type { IntegrationRecord, Store } from '../store/index.js';
import { checkEndpointTemplate, type EndpointUrlConfig } from './url.js';

interface StoredSecret {
  id: string;
  secret: string;
  createdAt: string;
  expiresAt: string | null;
}

/** What the fetcher needs, with secrets opened. Lives only in memory. */
export interface ResolvedIntegration {
  projectId: string;
  enabled: boolean;
  endpoint: EndpointUrlConfig;
  headers: SiteHeader[];
  freshnessSeconds: number;
  requireVerified: boolean;
  /** How the answer becomes a profile, and where it names its user. */
  mapping: IntegrationMapping;
  /** What a 404/410 does to a contact that has a profile. */
  onNotFound: OnNotFound;
  /** Identity secrets that verify right now. */
  secrets: string[];
}

const headersContext = (projectId: string) => `integration-headers:${projectId}`;
const secretsContext = (projectId: string) => `identity-secrets:${projectId}`;

/**
 * A project's "API Integration" settings and identity secrets. Header values and secrets are
 * sealed with AES-256-GCM before they reach the store and are never returned by the API (a new
 * identity secret is shown exactly once, when it is made).
 */
export class IntegrationService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly options: { allowHttp: boolean },
  ) {}

  /** The stored integration, created with defaults and a first identity secret on first use. */
  async record(projectId: string): Promise<IntegrationRecord> {
    const existing = await this.store.identity.getIntegration(projectId);
    if (existing) return existing;
    if (!(await this.store.projects.get(projectId))) throw notFound(`Project "${projectId}"`);
    const created: IntegrationRecord = {
      projectId,
      enabled: false,
      style: 'path',
      url: '',
      paramName: 'id',
      method: 'GET',
      headersSealed: null,
      freshnessSeconds: FRESHNESS_DEFAULT_SECONDS,
      // Safe by default: an id from the browser is only a claim until proven.
      requireVerified: true,
      mapping: DEFAULT_MAPPING,
      onNotFound: 'keep',
      secretsSealed: this.sealSecrets(projectId, [
        {
          id: newId('sec'),
          secret: newSecret(),
          createdAt: new Date().toISOString(),
          expiresAt: null,
        },
      ]),
      health: { status: 'unknown', failingSince: null, lastSuccessAt: null, lastError: null },
      updatedAt: null,
    };
    // Another instance may be creating it at this very moment: the first one stored is the one.
    await this.store.identity.createIntegrationIfAbsent(created);
    return (await this.store.identity.getIntegration(projectId)) ?? created;
  }

  async settings(projectId: string, pausedUntil: Date | null = null): Promise<IntegrationSettings> {
    return this.view(await this.record(projectId), pausedUntil);
  }

  async update(projectId: string, input: UpdateIntegrationRequest): Promise<IntegrationRecord> {
    const next = this.applied(await this.record(projectId), input);
    await this.store.identity.saveIntegration(next);
    return next;
  }

  /**
   * Applies `input` only while no endpoint URL is set, atomically: seeding on every start must
   * neither undo what an admin chose since nor configure twice when instances start together.
   * Returns whether it applied.
   */
  async configureIfUnset(projectId: string, input: UpdateIntegrationRequest): Promise<boolean> {
    const current = await this.record(projectId);
    if (current.url) return false;
    return this.store.identity.saveIntegrationIfUnconfigured(this.applied(current, input));
  }

  private applied(current: IntegrationRecord, input: UpdateIntegrationRequest): IntegrationRecord {
    const projectId = current.projectId;
    const next: IntegrationRecord = {
      ...current,
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.style !== undefined && { style: input.style }),
      ...(input.url !== undefined && { url: input.url.trim() }),
      ...(input.paramName !== undefined && { paramName: input.paramName.trim() }),
      ...(input.method !== undefined && { method: input.method }),
      ...(input.freshnessSeconds !== undefined && { freshnessSeconds: input.freshnessSeconds }),
      ...(input.requireVerified !== undefined && { requireVerified: input.requireVerified }),
      ...(input.mapping !== undefined && { mapping: input.mapping }),
      ...(input.onNotFound !== undefined && { onNotFound: input.onNotFound }),
      updatedAt: new Date().toISOString(),
    };
    if (next.enabled || next.url) {
      const problem = next.url
        ? checkEndpointTemplate(
            { url: next.url, style: next.style, paramName: next.paramName, method: next.method },
            this.options,
          )
        : 'Enter the URL of your user endpoint before turning the integration on';
      if (problem) {
        throw new AppError('validation_failed', 422, problem, [{ path: 'url', message: problem }]);
      }
    }
    if (input.headers) {
      next.headersSealed = sealHeaders(
        this.box,
        editedHeaders(this.headers(current), input.headers),
        headersContext(projectId),
      );
    }
    return next;
  }

  /**
   * Makes a new identity secret. The previous ones keep verifying for `graceHours` so that sites
   * can deploy the new secret without signing anyone out.
   */
  async rotateSecret(projectId: string, graceHours: number): Promise<string> {
    const current = await this.record(projectId);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + graceHours * 3600_000).toISOString();
    const kept = this.secrets(current)
      .filter((s) => !s.expiresAt || s.expiresAt > now.toISOString())
      .map((s) => ({
        ...s,
        expiresAt: s.expiresAt && s.expiresAt < expiresAt ? s.expiresAt : expiresAt,
      }))
      .filter(() => graceHours > 0);
    const secret = newSecret();
    await this.store.identity.saveIntegration({
      ...current,
      secretsSealed: this.sealSecrets(projectId, [
        { id: newId('sec'), secret, createdAt: now.toISOString(), expiresAt: null },
        ...kept,
      ]),
      updatedAt: now.toISOString(),
    });
    return secret;
  }

  /** Secrets that verify right now: the current one and any still in their grace period. */
  async verificationSecrets(projectId: string, now = new Date()): Promise<string[]> {
    return this.currentSecrets(await this.record(projectId), now);
  }

  private currentSecrets(record: IntegrationRecord, now: Date): string[] {
    return this.secrets(record)
      .filter((s) => !s.expiresAt || new Date(s.expiresAt) > now)
      .map((s) => s.secret);
  }

  /** The settings read and opened once, for everything one session start or fetch needs. */
  async resolve(projectId: string, now = new Date()): Promise<ResolvedIntegration> {
    const record = await this.record(projectId);
    return {
      projectId,
      enabled: record.enabled && record.url.length > 0,
      endpoint: {
        url: record.url,
        style: record.style,
        paramName: record.paramName,
        method: record.method,
      },
      headers: this.headers(record),
      freshnessSeconds: record.freshnessSeconds,
      requireVerified: record.requireVerified,
      mapping: record.mapping,
      onNotFound: record.onNotFound,
      secrets: this.currentSecrets(record, now),
    };
  }

  view(record: IntegrationRecord, pausedUntil: Date | null): IntegrationSettings {
    return {
      projectId: record.projectId,
      enabled: record.enabled,
      style: record.style,
      url: record.url,
      paramName: record.paramName,
      method: record.method,
      headers: headerViews(this.headers(record)),
      freshnessSeconds: record.freshnessSeconds,
      requireVerified: record.requireVerified,
      mapping: record.mapping,
      onNotFound: record.onNotFound,
      identitySecrets: this.secrets(record).map(({ id, createdAt, expiresAt }) => ({
        id,
        createdAt,
        expiresAt,
      })),
      health: { ...record.health, pausedUntil: pausedUntil?.toISOString() ?? null },
      updatedAt: record.updatedAt,
    };
  }

  private headers(record: IntegrationRecord): SiteHeader[] {
    return openHeaders(this.box, record.headersSealed, headersContext(record.projectId));
  }

  private secrets(record: IntegrationRecord): StoredSecret[] {
    if (!record.secretsSealed) return [];
    return JSON.parse(
      this.box.open(record.secretsSealed, secretsContext(record.projectId)),
    ) as StoredSecret[];
  }

  private sealSecrets(projectId: string, secrets: StoredSecret[]): string {
    return this.box.seal(JSON.stringify(secrets), secretsContext(projectId));
  }
}
