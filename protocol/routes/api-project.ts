import { ApiProject } from '../api-key.js';
import { route } from './route.js';

/** The public API's own resources, besides the contacts. */
export const apiProjectRoutes = {
  getApiProject: route({
    method: 'GET',
    path: '/api/v1/project',
    operationId: 'getApiProject',
    tag: 'Project',
    summary: "The API key's project: a site checks its key with this",
    access: 'key',
    roles: [],
    rateLimited: true,
    response: ApiProject,
    status: 200,
    errors: [401, 429, 503],
  }),
} as const;
