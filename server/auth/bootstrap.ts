import type { Logger } from '../logger.js';
import type { AgentService } from './agents.js';
import type { Store } from '../store/index.js';

/**
 * A fresh deployment has no agent to sign in with: the first admin comes from
 * PALAVER_ADMIN_EMAIL / PALAVER_ADMIN_PASSWORD. Existing agents are never changed.
 */
export async function bootstrapAdmin(
  store: Store,
  agents: AgentService,
  logger: Logger,
  credentials: { email: string | undefined; password: string | undefined },
): Promise<void> {
  if ((await store.agents.count()) > 0) return;
  if (!credentials.email || !credentials.password) {
    logger.warn(
      'No agent exists yet: set PALAVER_ADMIN_EMAIL and PALAVER_ADMIN_PASSWORD and restart to create the first admin',
    );
    return;
  }
  // Instances starting together all saw no agent: the store lets one of them create it.
  const created = await agents.createFirst({
    email: credentials.email,
    name: 'Admin',
    password: credentials.password,
    role: 'admin',
    projectIds: [],
  });
  if (created) logger.info({ email: credentials.email }, 'created the first admin');
}
