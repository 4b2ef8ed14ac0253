import { Router } from 'express';
import {
  ConversationListQuery,
  MessagePageQuery,
  type ConversationDetail,
  type ConversationList,
  type MessagePage,
  type ProjectList,
} from '../../protocol/index.js';
import { toConversationView, toVisitorDetails } from '../conversations/index.js';
import { notFound } from '../errors.js';
import { toProjectView } from '../projects/service.js';
import { authOf, requireAgent, requireCsrf } from './middleware/auth.js';
import { validate } from './middleware/validate.js';
import type { HttpServices } from './services.js';

/** What every agent (admin or not) does in the console. */
export function agentRouter(s: HttpServices): Router {
  const router = Router();
  router.use(requireAgent(s.sessions), requireCsrf);

  router.get('/projects', async (_req, res) => {
    const ids = await s.chat.projectIdsFor(authOf(res).agent);
    const body: ProjectList = { items: (await s.store.listProjects(ids)).map(toProjectView) };
    res.json(body);
  });

  router.get(
    '/conversations',
    validate({ query: ConversationListQuery }, async ({ query }, _req, res) => {
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
    }),
  );

  router.get('/conversations/:id', async (req, res) => {
    const conversation = await s.chat.conversationForAgent(authOf(res).agent, req.params.id);
    const row = await s.chat.inboxRow(conversation.id);
    const visitor = await s.store.getVisitor(conversation.visitorId);
    if (!visitor) throw notFound('Visitor');
    const body: ConversationDetail = {
      conversation: toConversationView(row),
      visitor: toVisitorDetails(visitor),
    };
    res.json(body);
  });

  router.get(
    '/conversations/:id/messages',
    validate({ query: MessagePageQuery }, async ({ query }, req, res) => {
      const id = String(req.params.id);
      const conversation = await s.chat.conversationForAgent(authOf(res).agent, id);
      const page = await s.chat.history(conversation, query.beforeSeq, query.limit ?? 50);
      const body: MessagePage = page;
      res.json(body);
    }),
  );

  for (const [action, status, event] of [
    ['close', 'closed', 'closed'],
    ['reopen', 'open', 'reopened'],
  ] as const) {
    router.post(`/conversations/:id/${action}`, async (req, res) => {
      const { conversation, changed } = await s.chat.setStatus(
        authOf(res).agent,
        req.params.id,
        status,
      );
      if (changed) await s.events.conversationChanged(conversation, event);
      res.json(toConversationView(await s.chat.inboxRow(conversation.id)));
    });
  }

  return router;
}
