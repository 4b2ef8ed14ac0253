import type { Request } from 'express';
import { contactRoutes } from '../../protocol/routes/index.js';
import { dropDangerousKeys, type Actor, type ContactService } from '../contacts/index.js';
import type { RouteBinder, RouteOptions } from './routing.js';

/** The API key a request was authenticated with, as the contact routes need it. */
export interface KeyHolder {
  projectId: string;
  label: string;
  prefix: string;
}

/**
 * `__proto__`, `constructor` and `prototype` keys are deleted from the parsed body before it is
 * validated or copied anywhere.
 */
const safeBody = (req: Request): unknown => {
  dropDangerousKeys(req.body);
  return req.body;
};

function actorOf(key: KeyHolder): Actor {
  return { label: key.label, description: `API key “${key.label}” (${key.prefix}…)` };
}

/**
 * The contacts of the public API. The key's project scopes every call: no route takes a project
 * id, so a key can never reach another project's contacts.
 */
export function contactHandlers(
  route: RouteBinder,
  deps: {
    contacts: ContactService;
    keyOf: (req: Request) => KeyHolder;
    limit: NonNullable<RouteOptions['limit']>;
  },
): void {
  const { contacts, keyOf, limit } = deps;

  route(
    contactRoutes.identifyContact,
    async ({ params, body }, req, res) => {
      const key = keyOf(req);
      res.json(await contacts.identify(key.projectId, params.externalId, body, actorOf(key)));
    },
    { limit, body: safeBody },
  );

  route(
    contactRoutes.bulkIdentifyContacts,
    async ({ body }, req, res) => {
      const key = keyOf(req);
      res.json(await contacts.identifyMany(key.projectId, body.contacts, actorOf(key)));
    },
    { limit, body: safeBody },
  );

  route(
    contactRoutes.getContact,
    async ({ params }, req, res) => {
      res.json(await contacts.get(keyOf(req).projectId, params.externalId));
    },
    { limit },
  );

  route(
    contactRoutes.listContacts,
    async ({ query }, req, res) => {
      res.json(await contacts.list(keyOf(req).projectId, query));
    },
    { limit },
  );

  route(
    contactRoutes.eraseContact,
    async ({ params, query }, req, res) => {
      const key = keyOf(req);
      const options = { messages: query.eraseMessages === 'true' };
      res.json(await contacts.erase(key.projectId, params.externalId, options, actorOf(key)));
    },
    { limit },
  );

  route(
    contactRoutes.mergeContacts,
    async ({ params, body }, req, res) => {
      const key = keyOf(req);
      res.json(
        await contacts.merge(key.projectId, params.externalId, body.fromExternalId, actorOf(key)),
      );
    },
    { limit, body: safeBody },
  );
}
