import type { NewDelivery } from './webhooks-port.js';

/**
 * Something that happened in a project that other features may deliver later (webhooks, email):
 * a type such as `integration.health_changed`, when, and a JSON payload of ids and states, never
 * secrets.
 */
export interface EventRecord {
  id: string;
  projectId: string;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}

export interface NewEvent extends EventRecord {
  /** Webhook deliveries of the event, written with it. */
  deliveries?: NewDelivery[];
}

/** The project's event record: appended to, read newest first. */
export interface EventStore {
  appendEvent(event: NewEvent): Promise<void>;
  /** Newest first (time, then id). */
  listEvents(projectId: string, query: { type?: string; limit: number }): Promise<EventRecord[]>;
}
