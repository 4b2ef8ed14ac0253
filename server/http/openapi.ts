import { Router } from 'express';
import { toJSONSchema } from 'zod';
import { ErrorBody } from '../../protocol/index.js';
import {
  allRoutes,
  serviceRoutes,
  type ErrorStatus,
  type Route,
  type Schema,
} from '../../protocol/routes/index.js';
import { SESSION_COOKIE } from '../auth/index.js';
import { routesOn } from './routing.js';

type Json = Record<string, unknown>;

function schema(type: Schema, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = toJSONSchema(type, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(type: Schema, where: 'path' | 'query'): Json[] {
  const json = schema(type, 'input') as { properties?: Json; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required?.includes(name) ?? false),
    schema: s,
  }));
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };

const retryAfter = {
  'Retry-After': { description: 'Seconds until the next attempt', schema: { type: 'integer' } },
};

/** One shared response per error status, named for the `$ref` of every operation that gives it. */
const ERROR_RESPONSES: Record<ErrorStatus, { name: string; response: Json }> = {
  400: {
    name: 'BadRequest',
    response: {
      description:
        'Malformed request (`bad_request`): a body that is not JSON, a cursor this server did not issue, a bad %-escape in the URL',
    },
  },
  401: {
    name: 'Unauthorized',
    response: {
      description:
        'Not signed in or the session has ended (`unauthorized`); on sign-in, a wrong email or password',
    },
  },
  403: {
    name: 'Forbidden',
    response: {
      description:
        'Not allowed (`forbidden`), a missing or wrong X-CSRF-Token header (`csrf_failed`), or a page origin the project does not allow (`origin_not_allowed`)',
    },
  },
  404: { name: 'NotFound', response: { description: 'No such resource (`not_found`)' } },
  409: {
    name: 'Conflict',
    response: { description: 'The change conflicts with the current state (`conflict`)' },
  },
  413: {
    name: 'PayloadTooLarge',
    response: { description: 'The request body is too large (`payload_too_large`)' },
  },
  422: {
    name: 'ValidationFailed',
    response: {
      description: 'Invalid input (`validation_failed`); `fields` lists every failing field',
    },
  },
  429: {
    name: 'RateLimited',
    response: {
      description:
        'Too many requests from this client address (`rate_limited`); the `RateLimit` and `RateLimit-Policy` headers tell the limit and what is left',
      headers: retryAfter,
    },
  },
  503: {
    name: 'Unavailable',
    response: {
      description: 'The database is not answering (`unavailable`); retry shortly',
      headers: retryAfter,
    },
  },
};

const UNEXPECTED = 'UnexpectedError';

/**
 * Who may call: anyone, or a signed-in agent (session cookie); state-changing calls of an agent
 * also echo the session's CSRF token.
 */
function security(route: Route): Array<Record<string, string[]>> {
  if (route.access === 'public') return [];
  return route.csrf ? [{ session: [], csrf: [] }] : [{ session: [] }];
}

function answer(description: string, type: Schema | undefined): Json {
  return type
    ? { description, content: { 'application/json': { schema: schema(type, 'output') } } }
    : { description };
}

function operation(route: Route): Json {
  const params = [
    ...(route.params ? parameters(route.params, 'path') : []),
    ...(route.query ? parameters(route.query, 'query') : []),
  ];
  const responses: Json = {
    [String(route.status)]: answer(route.status === 204 ? 'Done' : 'OK', route.response),
  };
  for (const other of route.otherAnswers ?? []) {
    responses[String(other.status)] = answer(other.description, other.response);
  }
  for (const status of route.errors) {
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  }
  responses.default = { $ref: `#/components/responses/${UNEXPECTED}` };
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: security(route),
    ...(params.length ? { parameters: params } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

const TAGS = [
  { name: 'Widget', description: 'Called by the widget from the host site (CORS)' },
  { name: 'Auth', description: "Agents' sign-in and session" },
  { name: 'Agent', description: 'What every agent does in the console' },
  { name: 'Admin', description: 'Project and agent administration; admins only' },
  { name: 'Service', description: 'Health probes and this document' },
];

/** The OpenAPI 3.1 document, generated from the route table at start. */
export function openApiDocument(publicUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of allRoutes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  const responses: Json = {};
  for (const { name, response } of Object.values(ERROR_RESPONSES)) {
    responses[name] = { ...response, content: errorContent };
  }
  responses[UNEXPECTED] = {
    description: 'Something went wrong on our side (`internal`)',
    content: errorContent,
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Palaver API',
      version: '0.1.0',
      license: { name: 'MIT', identifier: 'MIT' },
      description: `Agent and admin endpoints use the \`${SESSION_COOKIE}\` cookie from /api/auth/login and, on state-changing requests, the \`X-CSRF-Token\` header with the csrfToken of the session. Every operation states its security: \`[]\` for public ones. Errors answer \`{ "error": { "code", "message", "fields"? } }\`.`,
    },
    servers: [{ url: publicUrl }],
    tags: TAGS,
    components: {
      schemas: { ErrorBody: schema(ErrorBody, 'output') },
      responses,
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'Set by POST /api/auth/login; HttpOnly',
        },
        csrf: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: 'The csrfToken of the session (login or GET /api/auth/me answer)',
        },
      },
    },
    paths,
  };
}

export function openApiRouter(publicUrl: string): Router {
  const router = Router();
  const route = routesOn(router, { prefix: '/api' });
  const document = openApiDocument(publicUrl);
  route(serviceRoutes.openApiDocument, (_input, _req, res) => {
    // Public, and the same until the next deploy.
    res.set('Cache-Control', 'public, max-age=300');
    res.json(document);
  });
  return router;
}
