import { adminRoutes } from './admin.js';
import { agentRoutes } from './agent.js';
import { agentCardRoutes } from './agent-cards.js';
import { apiProjectRoutes } from './api-project.js';
import { authRoutes } from './auth.js';
import { cardRoutes } from './cards.js';
import { contactRoutes } from './contacts.js';
import type { Route } from './route.js';
import { serviceRoutes } from './service.js';
import { webhookRoutes } from './webhooks.js';
import { widgetRoutes } from './widget.js';

export { adminRoutes } from './admin.js';
export { agentRoutes } from './agent.js';
export { agentCardRoutes } from './agent-cards.js';
export { apiProjectRoutes } from './api-project.js';
export { authRoutes } from './auth.js';
export { cardRoutes } from './cards.js';
export { contactRoutes } from './contacts.js';
export { serviceRoutes } from './service.js';
export { webhookRoutes } from './webhooks.js';
export { widgetRoutes } from './widget.js';
export type {
  Access,
  ErrorStatus,
  Route,
  RouteAnswer,
  RouteInput,
  RouteParams,
  Schema,
} from './route.js';

/**
 * Every HTTP route the server mounts, one entry each: the server validates with it, the OpenAPI
 * document is made from it, the console's client calls through it. Groups are exported one by
 * one so that a front-end bundles only the groups it calls; the list is marked pure so that a
 * bundle that does not use it leaves the other groups out.
 */
export const allRoutes: readonly Route[] = /* @__PURE__ */ (() => [
  ...Object.values(serviceRoutes),
  ...Object.values(widgetRoutes),
  ...Object.values(authRoutes),
  ...Object.values(agentRoutes),
  ...Object.values(agentCardRoutes),
  ...Object.values(adminRoutes),
  ...Object.values(cardRoutes),
  ...Object.values(webhookRoutes),
  ...Object.values(apiProjectRoutes),
  ...Object.values(contactRoutes),
])();
