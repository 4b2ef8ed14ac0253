import express, { Router } from 'express';
import {
  CreateAgentRequest,
  CreateProjectRequest,
  UpdateAgentRequest,
  UpdateProjectRequest,
  UpdateIntegrationRequest,
  RotateSecretRequest,
  TestConnectionRequest,
  IntegrationLogQuery,
  type IntegrationLog,
  type RotateSecretResponse,
  type TestConnectionResult,
  type AgentList,
  type ProjectList,
} from '../../protocol/index.js';
import { toAgentView } from '../auth/index.js';
import { toProjectView } from '../projects/service.js';
import { authOf, requireAdmin, requireAgent, requireCsrf } from './middleware/auth.js';
import { validate } from './middleware/validate.js';
import type { HttpServices } from './services.js';

/** Project and agent administration; admins only. */
export function adminRouter(s: HttpServices): Router {
  const router = Router();
  router.use(requireAgent(s.sessions), requireAdmin, requireCsrf, express.json({ limit: '64kb' }));

  router.get('/projects', async (_req, res) => {
    const body: ProjectList = { items: (await s.store.projects.list()).map(toProjectView) };
    res.json(body);
  });

  router.post(
    '/projects',
    validate({ body: CreateProjectRequest }, async ({ body }, _req, res) => {
      const project = await s.projects.create(body);
      res.status(201).json(toProjectView(project));
    }),
  );

  router.patch(
    '/projects/:id',
    validate({ body: UpdateProjectRequest }, async ({ body }, req, res) => {
      res.json(toProjectView(await s.projects.update(String(req.params.id), body)));
    }),
  );

  router.get('/agents', async (_req, res) => {
    const body: AgentList = { items: (await s.store.agents.list()).map(toAgentView) };
    res.json(body);
  });

  router.post(
    '/agents',
    validate({ body: CreateAgentRequest }, async ({ body }, _req, res) => {
      res.status(201).json(toAgentView(await s.agents.create(body)));
    }),
  );

  router.patch(
    '/agents/:id',
    validate({ body: UpdateAgentRequest }, async ({ body }, req, res) => {
      const updated = await s.agents.update(authOf(res).agent.id, String(req.params.id), body);
      res.json(toAgentView(updated));
    }),
  );

  router.get('/projects/:id/integration', async (req, res) => {
    res.json(await integrationView(String(req.params.id)));
  });

  router.patch(
    '/projects/:id/integration',
    validate({ body: UpdateIntegrationRequest }, async ({ body }, req, res) => {
      const id = String(req.params.id);
      await s.integrations.update(id, body);
      res.json(await integrationView(id));
    }),
  );

  router.post(
    '/projects/:id/identity-secret',
    validate({ body: RotateSecretRequest }, async ({ body }, req, res) => {
      const id = String(req.params.id);
      const secret = await s.integrations.rotateSecret(id, body.graceHours ?? 24);
      const answer: RotateSecretResponse = { secret, settings: await integrationView(id) };
      res.set('Cache-Control', 'no-store').json(answer);
    }),
  );

  router.post(
    '/projects/:id/integration/test',
    validate({ body: TestConnectionRequest }, async ({ body }, req, res) => {
      const id = String(req.params.id);
      await s.integrations.record(id);
      const result: TestConnectionResult = await s.profiles.test(id, body.externalUserId);
      res.json(result);
    }),
  );

  router.get(
    '/projects/:id/integration/log',
    validate({ query: IntegrationLogQuery }, async ({ query }, req, res) => {
      const id = String(req.params.id);
      await s.integrations.record(id);
      const body: IntegrationLog = { items: await s.store.identity.listLog(id, query) };
      res.json(body);
    }),
  );

  async function integrationView(projectId: string) {
    return s.integrations.settings(projectId, await s.profiles.pausedUntil(projectId));
  }

  return router;
}
