import type { Request } from 'express';
import { contactRoutes } from '../../protocol/routes/index.js';
import { dropDangerousKeys, type Actor } from '../contacts/index.js';
import { apiKeyOf } from './middleware/api-key.js';
import type { V1Handlers } from './v1.js';

/**
 * `__proto__`, `constructor` and `prototype` keys are deleted from the parsed body before it is
 * validated or copied anywhere.
 */
const safeBody = (req: Request): unknown => {
  dropDangerousKeys(req.body);
  return req.body;
};

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
      res.json(await contacts.identify(actor.projectId, params.externalId, body, actor));
    },
    { body: safeBody },
  );

  route(
    contactRoutes.bulkIdentifyContacts,
    async ({ body }, req, res) => {
      const actor = actorOf(req);
      res.json(await contacts.identifyMany(actor.projectId, body.contacts, actor));
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
