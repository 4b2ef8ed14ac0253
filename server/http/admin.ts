import express, { Router } from 'express';
import {
  CreateAgentRequest,
  CreateProjectRequest,
  UpdateAgentRequest,
  UpdateProjectRequest,
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
    const body: ProjectList = { items: (await s.store.listProjects()).map(toProjectView) };
    res.json(body);
  });

  router.post(
    '/projects',
    validate({ body: CreateProjectRequest }, async ({ body }, _req, res) => {
      const project = await s.projects.create(body);
      // Admins work in every project, so their open sockets must start hearing this one.
      const admins = (await s.store.listAgents()).filter((a) => a.role === 'admin' && a.active);
      await s.events.agentAccessChanged(admins.map((a) => a.id));
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
    const body: AgentList = { items: (await s.store.listAgents()).map(toAgentView) };
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
      await s.events.agentAccessChanged([updated.id]);
      res.json(toAgentView(updated));
    }),
  );

  return router;
}
