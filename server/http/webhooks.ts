import { Router } from 'express';
import type { WebhookList } from '../../protocol/index.js';
import { webhookRoutes } from '../../protocol/routes/index.js';
import { routesOn } from './routing.js';
import type { HttpServices } from './services.js';

/** A project's webhooks and their delivery log; mounted inside the admin router (its guards). */
export function webhooksRouter(s: HttpServices): Router {
  const router = Router();
  const route = routesOn(router, { prefix: '/api/admin', guarded: 'admin' });

  route(webhookRoutes.listWebhooks, async ({ params }, _req, res) => {
    const body: WebhookList = { items: await s.webhooks.list(params.id) };
    res.json(body);
  });

  route(webhookRoutes.createWebhook, async ({ params, body }, _req, res) => {
    res.status(201).json(await s.webhooks.create(params.id, body));
  });

  route(webhookRoutes.updateWebhook, async ({ params, body }, _req, res) => {
    res.json(await s.webhooks.update(params.id, params.webhookId, body));
  });

  route(webhookRoutes.deleteWebhook, async ({ params }, _req, res) => {
    await s.webhooks.remove(params.id, params.webhookId);
    res.status(204).end();
  });

  route(webhookRoutes.listWebhookDeliveries, async ({ params, query }, _req, res) => {
    res.json(await s.webhooks.deliveries(params.id, params.webhookId, query));
  });

  route(webhookRoutes.redeliverWebhook, async ({ params }, _req, res) => {
    res.json(await s.webhooks.redeliver(params.id, params.webhookId, params.deliveryId));
  });

  route(webhookRoutes.testWebhook, async ({ params }, _req, res) => {
    res.status(201).json(await s.webhooks.test(params.id, params.webhookId));
  });

  return router;
}
