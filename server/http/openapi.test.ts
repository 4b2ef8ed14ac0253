import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, test } from 'vitest';
import { allRoutes } from '../../protocol/routes/index.js';
import { openApiDocument } from './openapi.js';

type Security = Array<Record<string, string[]>>;

describe('the OpenAPI document', () => {
  const doc = openApiDocument('https://chat.example.com') as {
    openapi: string;
    paths: Record<string, Record<string, { requestBody?: unknown; responses: object }>>;
  };

  test('is OpenAPI 3.1 and describes every integration setting route', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/admin/projects/{id}/integration',
      '/api/admin/projects/{id}/identity-secret',
      '/api/admin/projects/{id}/integration/test',
      '/api/admin/projects/{id}/integration/log',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  test('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  test('declares the session cookie, the CSRF header and API keys, and every operation states its security', () => {
    const components = (doc as unknown as { components: { securitySchemes: object } }).components;
    expect(components.securitySchemes).toEqual({
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'palaver_session',
        description: expect.any(String),
      },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: expect.any(String) },
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: expect.any(String),
        description: expect.any(String),
      },
    });
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const security = (op as { security?: Security }).security;
        expect(security, `${method} ${path}`).toBeDefined();
        // A requirement names only declared schemes; CSRF never goes without the session.
        for (const requirement of security!) {
          for (const scheme of Object.keys(requirement))
            expect(['session', 'csrf', 'bearerAuth']).toContain(scheme);
          if ('csrf' in requirement) expect(requirement).toHaveProperty('session');
        }
      }
    }
  });

  test('takes request bodies from the protocol schemas', () => {
    const patch = doc.paths['/api/admin/projects/{id}/integration']?.patch as {
      requestBody: { content: { 'application/json': { schema: { properties: object } } } };
    };
    const properties = Object.keys(patch.requestBody.content['application/json'].schema.properties);
    expect(properties).toEqual(
      expect.arrayContaining(['enabled', 'url', 'style', 'headers', 'requireVerified']),
    );
  });

  test('never documents a header value in the settings answer', () => {
    const get = doc.paths['/api/admin/projects/{id}/integration']?.get as {
      responses: { 200: { content: { 'application/json': { schema: unknown } } } };
    };
    const text = JSON.stringify(get.responses[200].content['application/json'].schema);
    expect(text).toContain('masked');
    expect(text).not.toContain('"value"');
  });

  test('lists every route of the table with its operationId, error answers and security', () => {
    const components = (doc as unknown as { components: { responses: Record<string, unknown> } })
      .components;
    for (const route of allRoutes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as
        | { operationId: string; security: Security; responses: Record<string, { $ref?: string }> }
        | undefined;
      const name = `${route.method} ${route.path}`;
      expect(op?.operationId, name).toBe(route.operationId);
      expect(op?.responses[String(route.status)], name).toBeDefined();
      for (const status of route.errors) {
        const ref = op?.responses[String(status)]?.$ref ?? '';
        expect(ref, `${name} answers ${status}`).toMatch(/^#\/components\/responses\//);
        expect(components.responses[ref.split('/').at(-1) ?? ''], ref).toBeDefined();
      }
      if (route.access === 'public') expect(op?.security, name).toEqual([]);
      else if (route.access === 'key')
        expect(op?.security, name).toEqual([{ bearerAuth: route.roles }]);
      else expect(op?.security, name).toContainEqual(expect.objectContaining({ session: [] }));
    }
  });

  test('documents the widget session start as public, rate-limited and refusing unknown origins', () => {
    const post = doc.paths['/api/widget/sessions']?.post as {
      security: Security;
      responses: Record<string, { $ref?: string }>;
    };
    expect(post.security).toEqual([]);
    expect(post.responses['429']?.$ref).toBe('#/components/responses/RateLimited');
    expect(post.responses['403']?.$ref).toBe('#/components/responses/Forbidden');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  test('documents the public API with its API key, its roles and problem+json errors', () => {
    type Operation = {
      security: Security;
      description?: string;
      responses: Record<string, { $ref?: string }>;
    };
    const components = (
      doc as unknown as {
        components: {
          responses: Record<string, { content: Record<string, unknown> }>;
          schemas: Record<string, { properties: object }>;
        };
      }
    ).components;
    const keyRoutes = allRoutes.filter((r) => r.access === 'key');
    expect(keyRoutes.map((r) => r.operationId)).toContain('getApiProject');
    for (const route of keyRoutes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as unknown as Operation;
      const name = `${route.method} ${route.path}`;
      expect(op.security, name).toEqual([{ bearerAuth: [...(route.roles ?? [])] }]);
      for (const role of route.roles ?? []) expect(op.description, name).toContain(role);
      for (const [status, answer] of Object.entries(op.responses)) {
        if (!status.startsWith('4') && !status.startsWith('5') && status !== 'default') continue;
        const response = components.responses[answer.$ref?.split('/').at(-1) ?? ''];
        expect(Object.keys(response?.content ?? {}), `${name} ${status}`).toEqual([
          'application/problem+json',
        ]);
      }
    }
    expect(Object.keys(components.schemas.Problem!.properties)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'errors']),
    );
    const refOf = (path: string, status: string) =>
      (doc.paths[path]?.get as unknown as Operation).responses[status]?.$ref ?? '';
    const unauthorized = refOf('/api/v1/project', '401');
    const description = JSON.stringify(components.responses[unauthorized.split('/').at(-1)!]);
    for (const kind of ['missing', 'malformed', 'unknown', 'revoked', 'expired']) {
      expect(description).toContain(`urn:palaver:problem:api-key-${kind}`);
    }
    // The other APIs keep their `{ error }` shape.
    expect(refOf('/api/admin/projects', '401')).toBe('#/components/responses/Unauthorized');
  });
});
