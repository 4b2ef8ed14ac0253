import { StartSessionRequest, StartSessionResponse } from '../session.js';
import { route } from './route.js';

/** What the widget calls, from other sites' pages (CORS). */
export const widgetRoutes = {
  startSession: route({
    method: 'POST',
    path: '/api/widget/sessions',
    operationId: 'startSession',
    tag: 'Widget',
    summary:
      'Start or resume a visitor session (JSON sent as text/plain); 201 for a new visitor, 200 for one resumed',
    access: 'public',
    rateLimited: true,
    body: StartSessionRequest,
    response: StartSessionResponse,
    status: 201,
    otherAnswers: [
      { status: 200, description: 'A known visitor resumed', response: StartSessionResponse },
    ],
    errors: [400, 403, 404, 413, 422, 429, 503],
  }),
} as const;
