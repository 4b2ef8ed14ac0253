import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { ApiKeyService, newKeySecret } from '../api-keys/index.js';
import { AgentService, AgentSessions } from '../auth/index.js';
import { ChatService } from '../conversations/index.js';
import { SecretBox } from '../crypto/secrets.js';
import { IntegrationService, ProfileFetcher, userHashFor } from '../identity/index.js';
import type { GuardedHttpClient } from '../outbound/index.js';
import { createLogger } from '../logger.js';
import { ProjectService } from '../projects/service.js';
import { InProcessBus, Presence } from '../realtime/index.js';
import { WebhookOutbox } from '../webhooks/index.js';
import { SigningService } from '../signing/index.js';
import {
  openSqliteStore,
  type AgentRecord,
  type Store,
  type VisitorRecord,
} from '../store/index.js';
import { VisitorService } from '../visitors/index.js';
import type { Announcer } from './port.js';
import { RecordingAnnouncer } from './recording.js';
import { ContactService } from '../contacts/index.js';

const PROJECT = 'acme';
const logger = createLogger('silent');
const now = { userAgent: null, now: new Date('2030-01-01T10:00:00.000Z') };

/** What the site's user endpoint answers now: 200 is every id with the same profile. */
let siteStatus = 200;
const site = {
  request: () =>
    Promise.resolve({
      status: siteStatus,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ first_name: 'Ann', last_name: 'Lee' })),
    }),
} as unknown as GuardedHttpClient;

let store: Store;
let announcer: RecordingAnnouncer;
let chat: ChatService;
let projects: ProjectService;
let agents: AgentService;
let sessions: AgentSessions;
let integrations: IntegrationService;
let profiles: ProfileFetcher;
let visitors: VisitorService;
let contacts: ContactService;
let presence: Presence;
let apiKeys: ApiKeyService;
let signing: SigningService;
let admin: AgentRecord;
let visitor: VisitorRecord;
let visitorToken: string;

function servicesOver(store: Store, announcer: Announcer) {
  integrations = new IntegrationService(store, new SecretBox(randomBytes(32)), {
    allowHttp: false,
  });
  profiles = new ProfileFetcher({ store, integrations, client: site, logger, announcer });
  chat = new ChatService(store, announcer, logger, new WebhookOutbox(store, new InProcessBus()));
  projects = new ProjectService(store, announcer);
  agents = new AgentService(store, announcer);
  sessions = new AgentSessions(store, announcer);
  contacts = new ContactService(store, announcer);
  visitors = new VisitorService(store, integrations, profiles, contacts, announcer);
  presence = new Presence(announcer, logger);
  apiKeys = new ApiKeyService(store, logger);
  signing = new SigningService(store, new SecretBox(randomBytes(32)));
}

const silently = { socketId: 'sock_1', acknowledge: () => undefined };

/** The visitor's conversation, opened before the announcements a case counts. */
async function openConversation() {
  const sent = await chat.visitorSend(visitor, 'c-open', 'Hello', silently);
  announcer.clear();
  return sent.conversation;
}

beforeEach(async () => {
  siteStatus = 200;
  store = await openSqliteStore(':memory:');
  announcer = new RecordingAnnouncer();
  servicesOver(store, announcer);
  await agents.createFirst({
    email: 'ada@acme.test',
    name: 'Ada',
    password: 'a-long-password-1',
    role: 'admin',
    projectIds: [],
  });
  admin = (await store.agents.byEmail('ada@acme.test'))!;
  await projects.create({ id: PROJECT, name: 'Acme', allowedOrigins: ['https://acme.test'] });
  await integrations.update(PROJECT, { enabled: true, url: 'https://api.acme.test/users/{id}' });
  const project = await projects.get(PROJECT);
  ({ visitor, token: visitorToken } = await visitors.start(project, { projectId: PROJECT }, now));
  announcer.clear();
});
afterEach(() => store.close());

/**
 * Every state-changing service method, with what it announces. A method whose change no open
 * screen shows live says so, and is checked to announce nothing: a new one must be added here.
 */
const cases: Array<{
  method: string;
  run: () => Promise<unknown>;
  announces: Array<keyof Announcer>;
}> = [
  {
    method: 'chat.visitorSend (a new message, opening the conversation)',
    run: () => chat.visitorSend(visitor, 'c-1', 'Hello', silently),
    announces: ['messageCreated'],
  },
  {
    method: 'chat.agentSend',
    run: async () => {
      const { id } = await openConversation();
      await chat.agentSend(admin, id, 'a-1', 'Hi', silently);
    },
    announces: ['messageCreated'],
  },
  {
    method: 'chat.setStatus (close, then reopen)',
    run: async () => {
      const { id } = await openConversation();
      await chat.setStatus(admin, id, 'closed');
      await chat.setStatus(admin, id, 'open');
    },
    announces: ['conversationChanged', 'conversationChanged'],
  },
  {
    method: 'chat.markRead (the visitor, then agents)',
    run: async () => {
      const conversation = await openConversation();
      await chat.markRead(conversation, 'visitor', 1);
      await chat.markRead(conversation, 'agents', 1);
    },
    announces: ['read', 'read'],
  },
  {
    method: 'chat.visitorTyping',
    run: async () => {
      await openConversation();
      await chat.visitorTyping(visitor, true, 'sock_1');
    },
    announces: ['typing'],
  },
  {
    method: 'chat.agentTyping',
    run: async () => {
      const { id } = await openConversation();
      await chat.agentTyping(admin, id, true, 'sock_2');
    },
    announces: ['typing'],
  },
  {
    method: 'visitors.start (a visitor in conversation comes back)',
    run: async () => {
      await openConversation();
      const project = await projects.get(PROJECT);
      await visitors.start(project, { projectId: PROJECT, visitorToken }, now);
    },
    announces: ['visitorUpdated'],
  },
  {
    method: 'profiles.refresh (a fetch of a contact with a conversation)',
    run: async () => {
      const project = await projects.get(PROJECT);
      const session = { projectId: PROJECT, externalUserId: 'ann-1' };
      const { secret } = await rotated();
      const started = await visitors.start(
        project,
        { ...session, userHash: userHashFor('ann-1', secret) },
        now,
      );
      await chat.visitorSend(started.visitor, 'c-ann', 'Hello', silently);
      await expect.poll(() => profiles.isPending(PROJECT, 'ann-1')).toBe(false);
      announcer.clear();
      await profiles.refresh(await integrations.resolve(PROJECT), 'ann-1');
    },
    announces: ['profileFetching', 'profileChanged'],
  },
  {
    method:
      'profiles.test (the integration fails twice, then works again: admins hear each change)',
    run: async () => {
      siteStatus = 401;
      await profiles.test(PROJECT, 'ann-1');
      await profiles.test(PROJECT, 'ann-1');
      siteStatus = 200;
      await profiles.test(PROJECT, 'ann-1');
    },
    announces: ['integrationHealthChanged', 'integrationHealthChanged'],
  },
  {
    method: 'contacts.identify and identifyMany (a contact with a conversation, then one without)',
    run: async () => {
      const ann = await chattingAs('ann-1');
      await contacts.identify(PROJECT, 'ann-1', { properties: { plan: 'pro' } }, crm);
      await contacts.identifyMany(
        PROJECT,
        [{ externalId: 'ann-1', name: 'Ann' }, { externalId: 'nobody' }],
        crm,
      );
      void ann;
    },
    announces: ['profileChanged', 'profileChanged'],
  },
  {
    method: 'contacts.identify with nothing new (no change, nothing to tell)',
    run: async () => {
      await chattingAs('ann-1');
      await contacts.identify(PROJECT, 'ann-1', {}, crm);
    },
    announces: [],
  },
  {
    method: 'contacts.merge (the secondary’s conversations move; the primary’s profile changes)',
    run: async () => {
      await contacts.identify(PROJECT, 'ann-1', { name: 'Ann' }, crm);
      await chattingAs('ann-old');
      await contacts.merge(PROJECT, 'ann-1', 'ann-old', crm);
    },
    announces: ['visitorUpdated', 'profileChanged'],
  },
  {
    method: 'chat.agentNote (a card action’s note, for agents only; a repeat is silent)',
    run: async () => {
      const conversation = await openConversation();
      const record = (await store.conversations.get(conversation.id))!;
      await chat.agentNote(admin, record, 'note-1', 'Order A-1001 refunded');
      await chat.agentNote(admin, record, 'note-1', 'Order A-1001 refunded');
    },
    announces: ['messageCreated'],
  },
  {
    method: 'contacts.erase (their visitors are shown anonymised)',
    run: async () => {
      await chattingAs('ann-1');
      await contacts.erase(PROJECT, 'ann-1', { messages: true }, crm);
    },
    announces: ['visitorUpdated'],
  },
  {
    method: 'projects.create',
    run: () => projects.create({ name: 'Globex', allowedOrigins: [] }),
    announces: ['agentAccessChanged'],
  },
  {
    method: 'agents.update',
    run: async () => {
      const created = await agents.create(sam);
      await agents.update(admin.id, created.id, { projectIds: [] });
    },
    announces: ['agentAccessChanged'],
  },
  {
    method: 'sessions.destroy (sign out)',
    run: async () => {
      const { session } = await sessions.create(admin.id);
      await sessions.destroy(session);
    },
    announces: ['agentAccessChanged'],
  },
  {
    method: 'presence.connected, changed and disconnected',
    run: () => {
      presence.connected({ id: admin.id, name: 'Ada', projectIds: [PROJECT] });
      presence.changed({ id: admin.id, name: 'Ada L.', projectIds: [PROJECT] });
      presence.disconnected(admin.id);
      return Promise.resolve();
    },
    announces: ['presenceChanged', 'presenceChanged', 'presenceChanged'],
  },
  // Changes no open screen shows live: consoles read them when they next load the page.
  {
    method: 'projects.update (settings pages load on open)',
    run: () => projects.update(PROJECT, { name: 'Acme Inc' }),
    announces: [],
  },
  {
    method: 'agents.create (a new agent has no socket yet)',
    run: () => agents.create(sam),
    announces: [],
  },
  {
    method: 'sessions.create (sign in: the new socket reads its own state)',
    run: () => sessions.create(admin.id),
    announces: [],
  },
  {
    method:
      'apiKeys.create, ensure, revoke and authenticate (no screen shows keys live; a revocation holds because every request reads the store)',
    run: async () => {
      const { apiKey, secret } = await apiKeys.create(PROJECT, admin.id, {
        label: 'CRM',
        roles: ['contacts:read'],
      });
      await apiKeys.ensure(PROJECT, { label: 'Seeded', roles: ['contacts:write'] }, newKeySecret());
      await apiKeys.authenticate(`Bearer ${secret}`);
      await apiKeys.revoke(PROJECT, apiKey.id);
    },
    announces: [],
  },
  {
    method:
      'signing.activeSecrets (makes the first secret), sign and rotate (settings pages load on open; instances re-read the secrets within seconds)',
    run: async () => {
      await signing.sign(PROJECT, '{}');
      await signing.rotate(PROJECT, 24);
    },
    announces: [],
  },
  {
    method: 'integrations.update and rotateSecret (admin settings)',
    run: async () => {
      await integrations.update(PROJECT, { freshnessSeconds: 600 });
      await integrations.rotateSecret(PROJECT, 0);
    },
    announces: [],
  },
];

const sam = {
  email: 'sam@acme.test',
  name: 'Sam',
  password: 'a-long-password-2',
  role: 'agent' as const,
  projectIds: [PROJECT],
};

const crm = { label: 'CRM', description: 'API key “CRM”' };

/** A verified visitor of `externalUserId` with a conversation; what that announced is cleared. */
async function chattingAs(externalUserId: string) {
  const project = await projects.get(PROJECT);
  const { secret } = await rotated();
  const started = await visitors.start(
    project,
    { projectId: PROJECT, externalUserId, userHash: userHashFor(externalUserId, secret) },
    now,
  );
  await chat.visitorSend(started.visitor, `c-${externalUserId}`, 'Hello', silently);
  await expect.poll(() => profiles.isPending(PROJECT, externalUserId)).toBe(false);
  announcer.clear();
}

async function rotated() {
  return { secret: await integrations.rotateSecret(PROJECT, 0) };
}

describe('every state-changing service method announces its change', () => {
  it.each(cases)('$method', async ({ run, announces }) => {
    await run();
    expect(announcer.kinds()).toEqual(announces);
  });
});

describe('a message send', () => {
  it('acknowledges the sender first, then announces it with the sending socket left out', async () => {
    let announcedBeforeAck = -1;
    const sent = await chat.visitorSend(visitor, 'c-1', 'Hello', {
      socketId: 'sock_1',
      acknowledge: () => (announcedBeforeAck = announcer.changes.length),
    });
    expect(announcedBeforeAck).toBe(0);
    expect(announcer.of('messageCreated')).toEqual([
      [sent.message, sent.conversation, true, 'sock_1'],
    ]);
  });

  it('announces nothing when it repeats a stored one, and still acknowledges it', async () => {
    await chat.visitorSend(visitor, 'c-1', 'Hello', silently);
    announcer.clear();
    const acks: Message[] = [];
    const again = await chat.visitorSend(visitor, 'c-1', 'Hello', {
      socketId: 'sock_1',
      acknowledge: (message) => acks.push(message),
    });
    expect(again.created).toBe(false);
    expect(acks).toEqual([again.message]);
    expect(announcer.changes).toEqual([]);
  });

  it('succeeds for the sender when telling the others fails: the message is committed', async () => {
    const failing = new RecordingAnnouncer();
    failing.messageCreated = () => Promise.reject(new Error('bus down'));
    servicesOver(store, failing);
    const sent = await chat.visitorSend(visitor, 'c-1', 'Hello', silently);
    expect(sent.created).toBe(true);
    expect(await store.conversations.messagesAfter(sent.conversation.id, 0, 10)).toEqual([
      sent.message,
    ]);
  });
});
