import * as z from 'zod/mini';
import { Liveness, Readiness } from '../health.js';
import { route } from './route.js';

/** The OpenAPI document: described here only by the field every version of it has. */
const OpenApiDocument = z.looseObject({ openapi: z.string() });

/** Probes for orchestrators and the API's own description. */
export const serviceRoutes = {
  liveness: route({
    method: 'GET',
    path: '/healthz',
    operationId: 'checkLiveness',
    tag: 'Service',
    summary: 'Liveness: the process answers',
    access: 'public',
    rateLimited: false,
    response: Liveness,
    status: 200,
    errors: [],
  }),
  readiness: route({
    method: 'GET',
    path: '/readyz',
    operationId: 'checkReadiness',
    tag: 'Service',
    summary: 'Readiness: the database answers (503 with the same body when it does not)',
    access: 'public',
    rateLimited: false,
    response: Readiness,
    status: 200,
    otherAnswers: [
      {
        status: 503,
        description: 'Not ready: shutting down, or the database is not answering',
        response: Readiness,
      },
    ],
    errors: [],
  }),
  openApiDocument: route({
    method: 'GET',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Service',
    summary: 'This document (OpenAPI 3.1)',
    access: 'public',
    rateLimited: false,
    response: OpenApiDocument,
    status: 200,
    errors: [],
  }),
} as const;
