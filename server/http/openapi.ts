import { Router } from 'express';
import { toJSONSchema } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import * as p from '../../protocol/index.js';
import { SESSION_COOKIE } from '../auth/index.js';

interface Operation {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  tag: 'Widget' | 'Auth' | 'Agent' | 'Admin';
  /** Open to anyone; every other route needs a signed-in agent. */
  public?: true;
  /** Counted per client address; answers 429 with Retry-After past the limit. */
  rateLimited?: true;
  body?: $ZodType;
  query?: $ZodType;
  response?: $ZodType;
  status?: number;
}

/** Every route a client may call, described by the same `protocol/` schemas the server parses. */
const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/widget/sessions',
    tag: 'Widget',
    summary: 'Start or resume a visitor session (JSON sent as text/plain)',
    public: true,
    rateLimited: true,
    body: p.StartSessionRequest,
    response: p.StartSessionResponse,
  },
  {
    method: 'post',
    path: '/api/auth/login',
    tag: 'Auth',
    summary: 'Sign in an agent (sets the session cookie)',
    public: true,
    rateLimited: true,
    body: p.LoginRequest,
    response: p.AuthSession,
  },
  {
    method: 'get',
    path: '/api/auth/me',
    tag: 'Auth',
    summary: 'The signed-in agent',
    response: p.AuthSession,
  },
  { method: 'post', path: '/api/auth/logout', tag: 'Auth', summary: 'Sign out', status: 204 },
  {
    method: 'get',
    path: '/api/agent/projects',
    tag: 'Agent',
    summary: "The agent's projects",
    response: p.ProjectList,
  },
  {
    method: 'get',
    path: '/api/agent/conversations',
    tag: 'Agent',
    summary: 'Inbox, newest activity first',
    query: p.ConversationListQuery,
    response: p.ConversationList,
  },
  {
    method: 'get',
    path: '/api/agent/conversations/{id}',
    tag: 'Agent',
    summary: 'A conversation with its visitor and contact profile',
    response: p.ConversationDetail,
  },
  {
    method: 'get',
    path: '/api/agent/conversations/{id}/messages',
    tag: 'Agent',
    summary: 'A page of history',
    query: p.MessagePageQuery,
    response: p.MessagePage,
  },
  {
    method: 'post',
    path: '/api/agent/conversations/{id}/close',
    tag: 'Agent',
    summary: 'Close a conversation',
    response: p.Conversation,
  },
  {
    method: 'post',
    path: '/api/agent/conversations/{id}/reopen',
    tag: 'Agent',
    summary: 'Reopen a conversation',
    response: p.Conversation,
  },
  {
    method: 'post',
    path: '/api/agent/conversations/{id}/profile/refresh',
    tag: 'Agent',
    summary: "Fetch the contact's profile from the site now",
    response: p.ContactProfile,
  },
  {
    method: 'get',
    path: '/api/admin/projects',
    tag: 'Admin',
    summary: 'All projects',
    response: p.ProjectList,
  },
  {
    method: 'post',
    path: '/api/admin/projects',
    tag: 'Admin',
    summary: 'Create a project',
    body: p.CreateProjectRequest,
    response: p.Project,
    status: 201,
  },
  {
    method: 'patch',
    path: '/api/admin/projects/{id}',
    tag: 'Admin',
    summary: 'Change a project',
    body: p.UpdateProjectRequest,
    response: p.Project,
  },
  {
    method: 'get',
    path: '/api/admin/projects/{id}/integration',
    tag: 'Admin',
    summary: 'API Integration settings (header values never included)',
    response: p.IntegrationSettings,
  },
  {
    method: 'patch',
    path: '/api/admin/projects/{id}/integration',
    tag: 'Admin',
    summary: 'Change API Integration settings; a header without value keeps its stored value',
    body: p.UpdateIntegrationRequest,
    response: p.IntegrationSettings,
  },
  {
    method: 'post',
    path: '/api/admin/projects/{id}/identity-secret',
    tag: 'Admin',
    summary:
      'Generate a new identity secret (shown once); older ones verify during the grace period',
    body: p.RotateSecretRequest,
    response: p.RotateSecretResponse,
  },
  {
    method: 'post',
    path: '/api/admin/projects/{id}/integration/test',
    tag: 'Admin',
    summary: 'Call the site endpoint for one id and show the parsed result',
    body: p.TestConnectionRequest,
    response: p.TestConnectionResult,
  },
  {
    method: 'get',
    path: '/api/admin/projects/{id}/integration/log',
    tag: 'Admin',
    summary: 'Recent fetch attempts',
    query: p.IntegrationLogQuery,
    response: p.IntegrationLog,
  },
  {
    method: 'get',
    path: '/api/admin/agents',
    tag: 'Admin',
    summary: 'All agents',
    response: p.AgentList,
  },
  {
    method: 'post',
    path: '/api/admin/agents',
    tag: 'Admin',
    summary: 'Create an agent',
    body: p.CreateAgentRequest,
    response: p.Agent,
    status: 201,
  },
  {
    method: 'patch',
    path: '/api/admin/agents/{id}',
    tag: 'Admin',
    summary: 'Change or deactivate an agent',
    body: p.UpdateAgentRequest,
    response: p.Agent,
  },
];

function schema(type: $ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(type: $ZodType) {
  const json = schema(type, 'input') as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

/**
 * Who may call: anyone, or a signed-in agent (session cookie); state-changing calls of an agent
 * also echo the session's CSRF token (`requireCsrf` checks every method but GET, HEAD, OPTIONS).
 */
function security(op: Operation): Array<Record<string, string[]>> {
  if (op.public) return [];
  return op.method === 'get' ? [{ session: [] }] : [{ session: [], csrf: [] }];
}

const rateLimitedResponse = {
  description:
    'Too many requests from this client address (`rate_limited`); the `RateLimit` and `RateLimit-Policy` headers tell the limit and what is left',
  headers: {
    'Retry-After': { description: 'Seconds until the next attempt', schema: { type: 'integer' } },
  },
  content: { 'application/json': { schema: schema(p.ErrorBody, 'output') } },
};

const errorResponse = {
  description: 'Error: `{ "error": { "code", "message", "fields"? } }`',
  content: { 'application/json': { schema: schema(p.ErrorBody, 'output') } },
};

/** The OpenAPI 3.1 document, generated from the protocol schemas at start. */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...(op.path.includes('{id}')
        ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
        : []),
      ...(op.query ? queryParameters(op.query) : []),
    ];
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      security: security(op),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(op.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(op.status ?? 200)]: op.response
          ? {
              description: 'OK',
              content: { 'application/json': { schema: schema(op.response, 'output') } },
            }
          : { description: 'Done' },
        ...(op.rateLimited ? { '429': rateLimitedResponse } : {}),
        default: errorResponse,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Palaver API',
      version: '0.1.0',
      description: `Agent and admin endpoints use the \`${SESSION_COOKIE}\` cookie from /api/auth/login and, on state-changing requests, the \`X-CSRF-Token\` header with the csrfToken of the session. Every operation states its security: \`[]\` for public ones.`,
    },
    servers: [{ url: publicUrl }],
    components: {
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
  const document = openApiDocument(publicUrl);
  router.get('/openapi.json', (_req, res) => {
    // Public, and the same until the next deploy.
    res.set('Cache-Control', 'public, max-age=300');
    res.json(document);
  });
  return router;
}
