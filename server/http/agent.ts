import express, { Router } from 'express';
import {
  type ContactProfile,
  type ConversationDetail,
  type ConversationList,
  type MessagePage,
  type ProjectList,
} from '../../protocol/index.js';
import { agentCardRoutes, agentRoutes } from '../../protocol/routes/index.js';
import { toConversationView, toVisitorDetails } from '../conversations/index.js';
import { AppError, notFound } from '../errors.js';
import { toContactProfile } from '../contacts/index.js';
import type { VisitorRecord } from '../store/index.js';
import { toProjectView } from '../projects/service.js';
import { authOf, requireAgent, requireCsrf } from './middleware/auth.js';
import { routesOn } from './routing.js';
import type { HttpServices } from './services.js';

/** What every agent (admin or not) does in the console. */
export function agentRouter(s: HttpServices): Router {
  const router = Router();
  router.use(requireAgent(s.sessions), requireCsrf, express.json({ limit: '64kb' }));
  const route = routesOn(router, { prefix: '/api/agent', guarded: 'agent' });

  route(agentRoutes.listMyProjects, async (_input, _req, res) => {
    const ids = await s.chat.projectIdsFor(authOf(res).agent);
    const body: ProjectList = { items: (await s.store.projects.list(ids)).map(toProjectView) };
    res.json(body);
  });

  route(agentRoutes.listConversations, async ({ query }, _req, res) => {
    const page = await s.chat.inbox(authOf(res).agent, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.projectId ? { projectId: query.projectId } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    const body: ConversationList = {
      items: page.items.map(toConversationView),
      nextCursor: page.nextCursor,
    };
    res.json(body);
  });

  route(agentRoutes.getConversation, async (_input, req, res) => {
    const conversation = await s.chat.conversationForAgent(authOf(res).agent, req.params.id);
    const row = await s.chat.inboxRow(conversation.id);
    const visitor = await s.store.visitors.get(conversation.visitorId);
    if (!visitor) throw notFound('Visitor');
    const body: ConversationDetail = {
      conversation: toConversationView(row),
      visitor: toVisitorDetails(visitor),
      contact: await contactOf(visitor),
    };
    res.json(body);
  });

  /** The Refresh button: fetch this contact's profile now, whatever its age. */
  route(agentRoutes.refreshContactProfile, async (_input, req, res) => {
    const conversation = await s.chat.conversationForAgent(authOf(res).agent, req.params.id);
    const visitor = await s.store.visitors.get(conversation.visitorId);
    if (!visitor?.externalUserId || visitor.identity === 'anonymous') {
      throw new AppError(
        'conflict',
        409,
        'This visitor is anonymous: there is no profile to fetch',
      );
    }
    const integration = await s.integrations.resolve(conversation.projectId);
    if (!integration.enabled) {
      throw new AppError(
        'conflict',
        409,
        'The API integration of this project is off: an admin can turn it on in Settings → API Integration',
      );
    }
    await s.profiles.refresh(integration, visitor.externalUserId);
    res.json(await contactOf(visitor));
  });

  route(agentCardRoutes.listConversationCards, async ({ params }, _req, res) => {
    res.json(await s.cardCalls.cardsOf(authOf(res).agent, params.id));
  });

  route(agentCardRoutes.getConversationCard, async ({ params, query }, _req, res) => {
    const refresh = query.refresh === 'true';
    res.json(await s.cardCalls.load(authOf(res).agent, params.id, params.cardId, refresh));
  });

  route(agentCardRoutes.useCardAction, async ({ params, body }, _req, res) => {
    res.json(await s.cardCalls.act(authOf(res).agent, params.id, params.cardId, body));
  });

  async function contactOf(visitor: VisitorRecord): Promise<ContactProfile | null> {
    if (!visitor.externalUserId || visitor.identity === 'anonymous') return null;
    const [record, project] = await Promise.all([
      s.store.contacts.get(visitor.projectId, visitor.externalUserId),
      s.store.projects.get(visitor.projectId),
    ]);
    return toContactProfile(visitor.externalUserId, visitor.identity, record, {
      projectName: project?.name ?? visitor.projectId,
      pending: s.profiles.isPending(visitor.projectId, visitor.externalUserId),
    });
  }

  /** A project's contacts are for the agents of that project only. */
  async function ownProject(res: Parameters<typeof authOf>[0], projectId: string) {
    const ids = await s.chat.projectIdsFor(authOf(res).agent);
    if (!ids.includes(projectId)) throw notFound(`Project ${projectId}`);
  }

  route(agentRoutes.listProjectContacts, async ({ query }, _req, res) => {
    const { projectId, ...rest } = query;
    await ownProject(res, projectId);
    res.json(await s.contacts.list(projectId, rest));
  });

  route(agentRoutes.getProjectContact, async ({ params }, _req, res) => {
    await ownProject(res, params.id);
    res.json(await s.contacts.detail(params.id, params.externalId));
  });

  route(agentRoutes.listMessages, async ({ query }, req, res) => {
    const id = String(req.params.id);
    const conversation = await s.chat.conversationForAgent(authOf(res).agent, id);
    const page = await s.chat.history(conversation, query.beforeSeq, query.limit ?? 50, 'agents');
    const body: MessagePage = page;
    res.json(body);
  });

  const statusRoutes = {
    close: agentRoutes.closeConversation,
    reopen: agentRoutes.reopenConversation,
  };
  for (const [action, status] of [
    ['close', 'closed'],
    ['reopen', 'open'],
  ] as const) {
    route(statusRoutes[action], async (_input, req, res) => {
      const row = await s.chat.setStatus(authOf(res).agent, req.params.id, status);
      res.json(toConversationView(row));
    });
  }

  return router;
}
