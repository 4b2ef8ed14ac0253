import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Announcer } from '../announcer/index.js';
import type { Store, AgentRecord, AgentSessionRecord } from '../store/index.js';
import { hashSecret, newSecret } from '../ids.js';

export const SESSION_COOKIE = 'palaver_session';
const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface AuthenticatedAgent {
  agent: AgentRecord;
  session: AgentSessionRecord;
}

/** Cookie sessions for agents: the cookie holds a random id; the database holds its hash. */
export class AgentSessions {
  constructor(
    private readonly store: Store,
    private readonly announcer: Announcer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(agentId: string): Promise<{ cookieValue: string; session: AgentSessionRecord }> {
    const cookieValue = newSecret();
    const created = this.now();
    const session: AgentSessionRecord = {
      idHash: hashSecret(cookieValue),
      agentId,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + SESSION_TTL_MS).toISOString(),
    };
    await this.store.agents.createSession(session);
    return { cookieValue, session };
  }

  /** The active agent behind a cookie value, or null (unknown, expired, or deactivated). */
  async authenticate(cookieValue: string | undefined): Promise<AuthenticatedAgent | null> {
    if (!cookieValue || cookieValue.length > 200) return null;
    const session = await this.store.agents.session(hashSecret(cookieValue));
    if (!session) return null;
    if (session.expiresAt <= this.now().toISOString()) {
      await this.store.agents.deleteSession(session.idHash);
      return null;
    }
    const agent = await this.store.agents.get(session.agentId);
    if (!agent || !agent.active) return null;
    return { agent, session };
  }

  /** Signs out: sockets opened with this session (on any instance) re-check it and close. */
  async destroy(session: AgentSessionRecord): Promise<void> {
    await this.store.agents.deleteSession(session.idHash);
    await this.announcer.agentAccessChanged([session.agentId]);
  }

  static csrfMatches(session: AgentSessionRecord, presented: string | undefined): boolean {
    if (!presented) return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
