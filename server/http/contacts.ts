import type { Request } from 'express';
import type { DroppedProperty } from '../../protocol/index.js';
import { contactRoutes } from '../../protocol/routes/index.js';
import { dropDangerousKeys, type Actor } from '../contacts/index.js';
import { apiKeyOf } from './middleware/api-key.js';
import type { V1Handlers } from './v1.js';

/** The prototype keys deleted from each request's body, to be reported with the answer. */
const droppedKeys = new WeakMap<Request, string[]>();

/**
 * `__proto__`, `constructor` and `prototype` keys are deleted from the parsed body before it is
 * validated or copied anywhere.
 */
const safeBody = (req: Request): unknown => {
  droppedKeys.set(req, dropDangerousKeys(req.body).listed);
  return req.body;
};

const dangerous = (path: string) => ({ path, reason: 'dangerous_key' as const });

/** The dropped keys of a bulk body, by the index of the item they were in. */
function droppedByItem(req: Request): Map<number, DroppedProperty[]> {
  const byItem = new Map<number, DroppedProperty[]>();
  for (const path of droppedKeys.get(req) ?? []) {
    const match = /^contacts\[(\d+)\]\.(.+)$/.exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    byItem.set(index, [...(byItem.get(index) ?? []), dangerous(match[2]!)]);
  }
  return byItem;
}

function actorOf(req: Request): Actor & { projectId: string } {
  const key = apiKeyOf(req);
  return {
    projectId: key.projectId,
    label: key.label,
    description: `API key “${key.label}” (${key.id})`,
  };
}

/**
 * The contacts of the public API. The key's project scopes every call: no route takes a project
 * id, so a key can never reach another project's contacts.
 */
export const contactHandlers: V1Handlers = (route, { contacts }) => {
  route(
    contactRoutes.identifyContact,
    async ({ params, body }, req, res) => {
      const actor = actorOf(req);
      const answer = await contacts.identify(actor.projectId, params.externalId, body, actor);
      const dropped = (droppedKeys.get(req) ?? []).map(dangerous);
      res.json({ ...answer, dropped: [...dropped, ...answer.dropped] });
    },
    { body: safeBody },
  );

  route(
    contactRoutes.bulkIdentifyContacts,
    async ({ body }, req, res) => {
      const actor = actorOf(req);
      const answer = await contacts.identifyMany(actor.projectId, body.contacts, actor);
      const byItem = droppedByItem(req);
      res.json({
        ...answer,
        results: answer.results.map((r) =>
          r.status === 'ok' && byItem.has(r.index)
            ? { ...r, dropped: [...byItem.get(r.index)!, ...r.dropped] }
            : r,
        ),
      });
    },
    { body: safeBody },
  );

  route(contactRoutes.getContact, async ({ params }, req, res) => {
    res.json(await contacts.get(apiKeyOf(req).projectId, params.externalId));
  });

  route(contactRoutes.listContacts, async ({ query }, req, res) => {
    res.json(await contacts.list(apiKeyOf(req).projectId, query));
  });

  route(contactRoutes.eraseContact, async ({ params, query }, req, res) => {
    const actor = actorOf(req);
    const options = { messages: query.eraseMessages === 'true' };
    res.json(await contacts.erase(actor.projectId, params.externalId, options, actor));
  });

  route(
    contactRoutes.mergeContacts,
    async ({ params, body }, req, res) => {
      const actor = actorOf(req);
      res.json(
        await contacts.merge(actor.projectId, params.externalId, body.fromExternalId, actor),
      );
    },
    { body: safeBody },
  );
};
