import { Router } from 'express';
import { toJSONSchema } from 'zod';
import {
  ErrorBody,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TITLES,
  Problem,
  problemType,
  type ErrorCode,
} from '../../protocol/index.js';
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

/**
 * Recursive schemas (a card's sections hold components) come out of zod with local `$defs`, whose
 * `#/$defs/…` references would point at the document's root: they move to components.schemas, one
 * entry per distinct definition, named in the order they are met.
 */
const nestedNames = new Map<string, string>();
const nestedSchemas: Record<string, Json> = {};

function hoistDefs(json: Json): Json {
  const { $defs: defs, ...rest } = json as Json & { $defs?: Record<string, Json> };
  if (!defs) return json;
  const renames = new Map<string, string>();
  for (const [local, def] of Object.entries(defs)) {
    const key = JSON.stringify(def);
    let name = nestedNames.get(key);
    if (name === undefined) {
      name = `Nested${nestedNames.size + 1}`;
      nestedNames.set(key, name);
    }
    renames.set(`#/$defs/${local}`, `#/components/schemas/${name}`);
  }
  const rewrite = (text: string) =>
    JSON.parse(text, (key, value: unknown) =>
      key === '$ref' && typeof value === 'string' ? (renames.get(value) ?? value) : value,
    ) as Json;
  for (const [local, def] of Object.entries(defs)) {
    const name = renames.get(`#/$defs/${local}`)?.slice('#/components/schemas/'.length) ?? local;
    nestedSchemas[name] = rewrite(JSON.stringify(def));
  }
  return rewrite(JSON.stringify(rest));
}

function schema(type: Schema, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = toJSONSchema(type, { io, unrepresentable: 'any' }) as Json;
  return hoistDefs(rest);
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

const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
};

const retryAfter = {
  'Retry-After': { description: 'Seconds until the next attempt', schema: { type: 'integer' } },
};

const rateLimitHeaders = {
  ...retryAfter,
  RateLimit: {
    description: 'What is left of the limit and when it starts again (IETF draft)',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description: 'The limit: requests per window (IETF draft)',
    schema: { type: 'string' },
  },
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

/** The problem types an answer of the public API can have, listed in its description. */
function types(...codes: ErrorCode[]): string {
  return codes.map((code) => `\`${problemType(code)}\` (${PROBLEM_TITLES[code]})`).join(', ');
}

/** The same statuses for the public API (/api/v1): `application/problem+json`, RFC 9457. */
const PROBLEM_RESPONSES: Record<ErrorStatus, { name: string; response: Json }> = {
  400: {
    name: 'BadRequestProblem',
    response: { description: `Malformed request: ${types('bad_request')}` },
  },
  401: {
    name: 'UnauthorizedProblem',
    response: {
      description: `No usable API key; \`detail\` says why: ${types('api_key_missing', 'api_key_malformed', 'api_key_unknown', 'api_key_revoked', 'api_key_expired')}`,
      headers: {
        'WWW-Authenticate': { description: 'The Bearer challenge', schema: { type: 'string' } },
      },
    },
  },
  403: {
    name: 'ForbiddenProblem',
    response: {
      description: `The key lacks a role the operation needs; \`detail\` names it: ${types('insufficient_role')}`,
    },
  },
  404: {
    name: 'NotFoundProblem',
    response: { description: `No such resource: ${types('not_found')}` },
  },
  409: {
    name: 'ConflictProblem',
    response: { description: `The change conflicts with the current state: ${types('conflict')}` },
  },
  413: {
    name: 'PayloadTooLargeProblem',
    response: { description: `The request body is too large: ${types('payload_too_large')}` },
  },
  422: {
    name: 'ValidationFailedProblem',
    response: {
      description: `Invalid input: ${types('validation_failed')}; \`errors\` lists every failing field`,
    },
  },
  429: {
    name: 'RateLimitedProblem',
    response: {
      description: `Too many requests with this API key: ${types('rate_limited')}`,
      headers: rateLimitHeaders,
    },
  },
  503: {
    name: 'UnavailableProblem',
    response: {
      description: `The database is not answering: ${types('unavailable')}; retry shortly`,
      headers: retryAfter,
    },
  },
};

const UNEXPECTED = 'UnexpectedError';
const UNEXPECTED_PROBLEM = 'UnexpectedProblem';

/**
 * Who may call: anyone, a signed-in agent (session cookie), or a site's server with an API key;
 * state-changing calls of an agent also echo the session's CSRF token.
 */
function security(route: Route): Array<Record<string, string[]>> {
  if (route.access === 'public') return [];
  // OpenAPI 3.1 lets a requirement of a non-OAuth scheme list the roles it needs.
  if (route.access === 'key') return [{ bearerAuth: [...(route.roles ?? [])] }];
  return route.csrf ? [{ session: [], csrf: [] }] : [{ session: [] }];
}

function keyDescription(roles: readonly string[]): string {
  if (roles.length === 0) return 'Any API key of the project.';
  const named = roles.map((role) => `\`${role}\``).join(' and ');
  return `Needs an API key of the project with the role ${named}.`;
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
  const problems = route.access === 'key';
  for (const status of route.errors) {
    const { name } = (problems ? PROBLEM_RESPONSES : ERROR_RESPONSES)[status];
    responses[String(status)] = { $ref: `#/components/responses/${name}` };
  }
  responses.default = {
    $ref: `#/components/responses/${problems ? UNEXPECTED_PROBLEM : UNEXPECTED}`,
  };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.access === 'key' ? { description: keyDescription(route.roles ?? []) } : {}),
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
  {
    name: 'Project',
    description: 'Public API (/api/v1, API key): the project of the key',
  },
  {
    name: 'Contacts',
    description: "Public API (/api/v1, API key): the site's contacts, pushed and read",
  },
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
  for (const { name, response } of Object.values(PROBLEM_RESPONSES)) {
    responses[name] = { ...response, content: problemContent };
  }
  responses[UNEXPECTED_PROBLEM] = {
    description: `Something went wrong on our side: ${types('internal')}`,
    content: problemContent,
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Palaver API',
      version: '0.1.0',
      license: { name: 'MIT', identifier: 'MIT' },
      description: `Agent and admin endpoints use the \`${SESSION_COOKIE}\` cookie from /api/auth/login and, on state-changing requests, the \`X-CSRF-Token\` header with the csrfToken of the session. Every operation states its security: \`[]\` for public ones. Errors answer \`{ "error": { "code", "message", "fields"? } }\`.\n\nThe public API under \`/api/v1\` is for sites' servers: it takes an API key of the project (\`Authorization: Bearer palaver_…\`, created by an admin under Settings → Projects → API keys, with the roles each operation names), counts requests per key (\`RateLimit\` and \`RateLimit-Policy\` headers; 429 with \`Retry-After\` past the limit), and answers errors as \`application/problem+json\` (RFC 9457) whose \`type\` is \`urn:palaver:problem:<kind>\`, stable per kind of error. Within v1 changes are additive only.`,
    },
    servers: [{ url: publicUrl }],
    tags: TAGS,
    components: {
      schemas: {
        ErrorBody: schema(ErrorBody, 'output'),
        Problem: schema(Problem, 'output'),
        ...nestedSchemas,
      },
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
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'palaver_<48 letters and digits>',
          description:
            'An API key of the project, created by an admin in the console (Settings → Projects → API keys) and shown once; each operation names the roles it needs, in its description and its security requirement',
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
