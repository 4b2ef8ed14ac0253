import * as z from 'zod/mini';
import { Id, IsoDate, PersonName } from './common.js';

export const Role = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof Role>;

export const Agent = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  active: z.boolean(),
  projectIds: z.array(Id),
  createdAt: IsoDate,
});
export type Agent = z.infer<typeof Agent>;

export const Email = z.string().check(z.trim(), z.maxLength(254), z.email('Enter a valid email'));
export const Password = z
  .string()
  .check(
    z.minLength(10, 'Use at least 10 characters'),
    z.maxLength(200, 'Use at most 200 characters'),
  );
export const AgentName = PersonName(80);

export const LoginRequest = z.object({
  email: z.string().check(z.trim(), z.minLength(1), z.maxLength(254)),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/**
 * Answer of login and of `GET /api/auth/me`: the agent, the CSRF token to send back in the
 * `X-CSRF-Token` header of every state-changing request, and the server's public URL (for snippets).
 */
export const AuthSession = z.object({ agent: Agent, csrfToken: z.string(), publicUrl: z.string() });
export type AuthSession = z.infer<typeof AuthSession>;

export const CreateAgentRequest = z.object({
  email: Email,
  name: AgentName,
  password: Password,
  role: Role,
  projectIds: z.array(Id).check(z.maxLength(100)),
});
export type CreateAgentRequest = z.infer<typeof CreateAgentRequest>;

export const UpdateAgentRequest = z.object({
  name: z.optional(AgentName),
  role: z.optional(Role),
  active: z.optional(z.boolean()),
  projectIds: z.optional(z.array(Id).check(z.maxLength(100))),
  password: z.optional(Password),
});
export type UpdateAgentRequest = z.infer<typeof UpdateAgentRequest>;

export const AgentList = z.object({ items: z.array(Agent) });
export type AgentList = z.infer<typeof AgentList>;

export const AgentPresence = z.object({ agentId: Id, name: z.string() });
export type AgentPresence = z.infer<typeof AgentPresence>;
