import type {
  FetchAttempt,
  IntegrationHealth,
  IntegrationMapping,
  IntegrationLogEntry,
  IntegrationLogQuery,
  OnNotFound,
  Profile,
} from '../../protocol/index.js';
import type { NewEvent } from './events-port.js';

/** A project's integration as stored: secrets stay sealed at this layer. */
export interface IntegrationRecord {
  projectId: string;
  enabled: boolean;
  style: 'path' | 'query';
  url: string;
  paramName: string;
  method: 'GET' | 'POST';
  headersSealed: string | null;
  freshnessSeconds: number;
  requireVerified: boolean;
  mapping: IntegrationMapping;
  onNotFound: OnNotFound;
  secretsSealed: string | null;
  health: Omit<IntegrationHealth, 'pausedUntil'>;
  updatedAt: string | null;
}

export interface ContactRecord {
  projectId: string;
  externalUserId: string;
  profile: Profile | null;
  fetchedAt: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  lastAttempt: FetchAttempt | null;
}

/** A successful fetch (200 with a profile, or 404: the site does not know this id). */
export interface FetchedProfile {
  profile: Profile | null;
  fetchedAt: string;
  httpStatus: number;
  latencyMs: number;
}

export type NewLogEntry = IntegrationLogEntry & { projectId: string };

/** How many integration log entries a project keeps. */
export const LOG_RETENTION = 1000;

/** Identity handoff: integrations, contacts and their profiles, the integration log. */
export interface IdentityStore {
  getIntegration(projectId: string): Promise<IntegrationRecord | null>;
  saveIntegration(record: IntegrationRecord): Promise<void>;
  /** Stores a new integration unless the project has one; racing callers keep the first. */
  createIntegrationIfAbsent(record: IntegrationRecord): Promise<void>;
  /**
   * Saves the record only while the stored one has no endpoint URL; true when it did. Of callers
   * racing to configure an unconfigured integration, exactly one does.
   */
  saveIntegrationIfUnconfigured(record: IntegrationRecord): Promise<boolean>;
  saveHealth(projectId: string, health: IntegrationRecord['health']): Promise<void>;
  /**
   * Saves health whose status differs from `from`, only while the stored status is still `from`,
   * and appends `event` in the same transaction; true when it did. Of instances seeing the same
   * change at once, exactly one records (and so announces) it.
   */
  changeHealth(
    projectId: string,
    from: IntegrationHealth['status'],
    health: IntegrationRecord['health'],
    event: NewEvent,
  ): Promise<boolean>;
  getContact(projectId: string, externalUserId: string): Promise<ContactRecord | null>;
  /** Records an attempt; `fetched` replaces the profile, otherwise the last good one stays. */
  recordAttempt(
    projectId: string,
    externalUserId: string,
    attempt: FetchAttempt,
    fetched: FetchedProfile | null,
  ): Promise<ContactRecord>;
  appendLog(entry: NewLogEntry): Promise<void>;
  listLog(projectId: string, query: IntegrationLogQuery): Promise<IntegrationLogEntry[]>;
}
