import { describe, expect, test } from 'vitest';
import { openApiDocument } from './openapi.js';

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
});
