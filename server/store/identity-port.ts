import type {
  IntegrationHealth,
  IntegrationMapping,
  IntegrationLogEntry,
  IntegrationLogQuery,
  OnNotFound,
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

export type NewLogEntry = IntegrationLogEntry & { projectId: string };

/** How many integration log entries a project keeps. */
export const LOG_RETENTION = 1000;

/** Identity handoff: integrations and the integration log (contacts: see ContactStore). */
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
  appendLog(entry: NewLogEntry): Promise<void>;
  /** Deletes one entry, if it is still there. */
  removeLog(projectId: string, id: string): Promise<void>;
  listLog(projectId: string, query: IntegrationLogQuery): Promise<IntegrationLogEntry[]>;
}
