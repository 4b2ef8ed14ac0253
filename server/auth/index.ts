export { AgentService, toAgentView } from './agents.js';
export { AgentSessions, SESSION_COOKIE, type AuthenticatedAgent } from './sessions.js';
export { bootstrapAdmin } from './bootstrap.js';
