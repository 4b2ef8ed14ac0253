import { map } from 'nanostores';
import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookSubscription,
} from '../../protocol/index.js';
import * as api from '../api/webhooks.js';
import { ApiError } from '../api/request.js';

export interface WebhooksEntry {
  items: WebhookSubscription[];
  loaded: boolean;
  error: string | null;
}

/** Each project's webhook subscriptions, as admins see them. */
export const $webhooks = map<Record<string, WebhooksEntry>>({});

function entry(projectId: string): WebhooksEntry {
  return $webhooks.get()[projectId] ?? { items: [], loaded: false, error: null };
}

function put(projectId: string, patch: Partial<WebhooksEntry>): void {
  $webhooks.setKey(projectId, { ...entry(projectId), ...patch });
}

export async function loadWebhooks(projectId: string): Promise<void> {
  put(projectId, { error: null });
  try {
    const { items } = await api.fetchWebhooks(projectId);
    put(projectId, { items, loaded: true });
  } catch (error) {
    put(projectId, {
      error: error instanceof ApiError ? error.message : 'Could not load the webhooks',
    });
  }
}

export async function createWebhook(projectId: string, body: CreateWebhookRequest): Promise<void> {
  const created = await api.createWebhook(projectId, body);
  put(projectId, { items: [...entry(projectId).items, created] });
}

export async function updateWebhook(
  projectId: string,
  webhookId: string,
  body: UpdateWebhookRequest,
): Promise<void> {
  const updated = await api.updateWebhook(projectId, webhookId, body);
  put(projectId, { items: entry(projectId).items.map((w) => (w.id === webhookId ? updated : w)) });
}

export async function deleteWebhook(projectId: string, webhookId: string): Promise<void> {
  await api.deleteWebhook(projectId, webhookId);
  put(projectId, { items: entry(projectId).items.filter((w) => w.id !== webhookId) });
}

export function resetWebhooks(): void {
  $webhooks.set({});
}
