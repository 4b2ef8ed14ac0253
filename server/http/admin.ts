import express, { Router } from 'express';
import {
  type ApiKeyList,
  type CardSettingsList,
  type IntegrationLog,
  type RotateSecretResponse,
  type TestConnectionResult,
  type AgentList,
  type ProjectList,
} from '../../protocol/index.js';
import { adminRoutes, cardRoutes } from '../../protocol/routes/index.js';
import { toAgentView } from '../auth/index.js';
import { toProjectView } from '../projects/service.js';
import { authOf, requireAdmin, requireAgent, requireCsrf } from './middleware/auth.js';
import { routesOn } from './routing.js';
import type { HttpServices } from './services.js';
import { webhooksRouter } from './webhooks.js';

/** Project and agent administration; admins only. */
export function adminRouter(s: HttpServices): Router {
  const router = Router();
  router.use(requireAgent(s.sessions), requireAdmin, requireCsrf, express.json({ limit: '64kb' }));
  const route = routesOn(router, { prefix: '/api/admin', guarded: 'admin' });
  router.use(webhooksRouter(s));

  route(adminRoutes.listProjects, async (_input, _req, res) => {
    const body: ProjectList = { items: (await s.store.projects.list()).map(toProjectView) };
    res.json(body);
  });

  route(adminRoutes.createProject, async ({ body }, _req, res) => {
    const project = await s.projects.create(body);
    res.status(201).json(toProjectView(project));
  });

  route(adminRoutes.updateProject, async ({ body }, req, res) => {
    res.json(toProjectView(await s.projects.update(String(req.params.id), body)));
  });

  const actorOf = (res: Parameters<typeof authOf>[0]) => {
    const { agent } = authOf(res);
    return { label: agent.name, description: `Agent ${agent.name} <${agent.email}>` };
  };

  route(adminRoutes.eraseProjectContact, async ({ params, query }, _req, res) => {
    const options = { messages: query.eraseMessages === 'true' };
    res.json(await s.contacts.erase(params.id, params.externalId, options, actorOf(res)));
  });

  route(adminRoutes.mergeProjectContacts, async ({ params, body }, _req, res) => {
    const { id, externalId } = params;
    res.json(await s.contacts.merge(id, externalId, body.fromExternalId, actorOf(res)));
  });

  route(adminRoutes.listAgents, async (_input, _req, res) => {
    const body: AgentList = { items: (await s.store.agents.list()).map(toAgentView) };
    res.json(body);
  });

  route(adminRoutes.createAgent, async ({ body }, _req, res) => {
    res.status(201).json(toAgentView(await s.agents.create(body)));
  });

  route(adminRoutes.updateAgent, async ({ body }, req, res) => {
    const updated = await s.agents.update(authOf(res).agent.id, String(req.params.id), body);
    res.json(toAgentView(updated));
  });

  route(adminRoutes.getIntegration, async (_input, req, res) => {
    res.json(await integrationView(String(req.params.id)));
  });

  route(adminRoutes.updateIntegration, async ({ body }, req, res) => {
    const id = String(req.params.id);
    await s.integrations.update(id, body);
    res.json(await integrationView(id));
  });

  route(adminRoutes.rotateIdentitySecret, async ({ body }, req, res) => {
    const id = String(req.params.id);
    const secret = await s.integrations.rotateSecret(id, body.graceHours ?? 24);
    const answer: RotateSecretResponse = { secret, settings: await integrationView(id) };
    res.set('Cache-Control', 'no-store').json(answer);
  });

  route(adminRoutes.testConnection, async ({ body }, req, res) => {
    const id = String(req.params.id);
    await s.integrations.record(id);
    const result: TestConnectionResult = await s.profiles.test(
      id,
      body.externalUserId,
      body.mapping,
    );
    res.json(result);
  });

  route(adminRoutes.listIntegrationLog, async ({ query }, req, res) => {
    const id = String(req.params.id);
    await s.integrations.record(id);
    const body: IntegrationLog = { items: await s.store.identity.listLog(id, query) };
    res.json(body);
  });

  route(adminRoutes.listApiKeys, async (_input, req, res) => {
    const body: ApiKeyList = { apiKeys: await s.apiKeys.list(String(req.params.id)) };
    res.json(body);
  });

  route(adminRoutes.createApiKey, async ({ body }, req, res) => {
    const created = await s.apiKeys.create(String(req.params.id), authOf(res).agent.id, body);
    res.status(201).json(created);
  });

  route(adminRoutes.revokeApiKey, async ({ params }, _req, res) => {
    res.json(await s.apiKeys.revoke(params.id, params.keyId));
  });

  route(cardRoutes.listCards, async ({ params }, _req, res) => {
    const body: CardSettingsList = { items: await s.cards.list(params.id) };
    res.json(body);
  });

  route(cardRoutes.createCard, async ({ params, body }, _req, res) => {
    res.status(201).json(await s.cards.create(params.id, body));
  });

  route(cardRoutes.updateCard, async ({ params, body }, _req, res) => {
    res.json(await s.cards.update(params.id, params.cardId, body));
  });

  route(cardRoutes.deleteCard, async ({ params }, _req, res) => {
    await s.cards.remove(params.id, params.cardId);
    res.status(204).end();
  });

  route(cardRoutes.listCardCalls, async ({ params, query }, _req, res) => {
    res.json(await s.cardCalls.log(params.id, query));
  });

  route(adminRoutes.getSigningSecrets, async (_input, req, res) => {
    res.json(await s.signing.describe(String(req.params.id)));
  });

  route(adminRoutes.rotateSigningSecret, async ({ body }, req, res) => {
    const rotated = await s.signing.rotate(String(req.params.id), body.graceHours);
    res.status(201).set('Cache-Control', 'no-store').json(rotated);
  });

  async function integrationView(projectId: string) {
    return s.integrations.settings(projectId, await s.profiles.pausedUntil(projectId));
  }

  return router;
}
