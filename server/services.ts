import { BusAnnouncer } from './announcer/index.js';
import { ApiKeyService } from './api-keys/index.js';
import { CardService, CardSettingsService } from './cards/index.js';
import { AgentService, AgentSessions } from './auth/index.js';
import type { IdentityConfig } from './config.js';
import { ContactService } from './contacts/index.js';
import { ChatService } from './conversations/index.js';
import { SecretBox } from './crypto/secrets.js';
import {
  IntegrationService,
  LocalCoordination,
  ProfileFetcher,
  type FetchCoordination,
} from './identity/index.js';
import { createAddressPolicy, GuardedHttpClient, type Resolver } from './outbound/index.js';
import { MemoryLimitStore, type LimitStore } from './limits/index.js';
import type { Logger } from './logger.js';
import { ProjectService } from './projects/service.js';
import { Presence, PresenceSync, type Bus } from './realtime/index.js';
import { SigningService } from './signing/index.js';
import type { Store } from './store/index.js';
import { VisitorService } from './visitors/index.js';
import {
  WebhookDispatcher,
  WebhookOutbox,
  WebhookService,
  type DispatcherOptions,
} from './webhooks/index.js';

export interface Services {
  store: Store;
  bus: Bus;
  logger: Logger;
  chat: ChatService;
  visitors: VisitorService;
  contacts: ContactService;
  projects: ProjectService;
  agents: AgentService;
  sessions: AgentSessions;
  presence: Presence;
  /** Shares presence with the other instances over the bus. */
  presenceSync: PresenceSync;
  integrations: IntegrationService;
  profiles: ProfileFetcher;
  /** Keys of the public API (/api/v1). */
  apiKeys: ApiKeyService;
  /** The cards admins set up per project. */
  cards: CardSettingsService;
  /** Cards beside conversations and their actions: the calls to the sites, cached and logged. */
  cardCalls: CardService;
  /** Each project's signing secrets, and the signature of every request Palaver sends to a site. */
  signing: SigningService;
  coordination: FetchCoordination;
  /** The one guarded client for outbound calls; closed on shutdown. */
  outbound: GuardedHttpClient;
  /** Where rate-limit counts live (Redis when instances share them); closed on shutdown. */
  limitStore: LimitStore;
  /** Webhook subscriptions and their delivery log (Settings → Webhooks). */
  webhooks: WebhookService;
  /** Delivers the webhook outbox; started by createApp, stopped on shutdown. */
  webhookDispatcher: WebhookDispatcher;
}

export interface ServiceDeps {
  store: Store;
  bus: Bus;
  logger: Logger;
  secretKey: Buffer;
  identity: IdentityConfig;
  /** DNS for outbound calls; tests inject one to play rebinding. */
  resolver?: Resolver;
  /** Identity-fetch state shared by instances (Redis); default: this process only. */
  coordination?: FetchCoordination;
  /** Rate-limit counts shared by instances (Redis); default: this process only. */
  limitStore?: LimitStore;
  /** The clock of the services that take one (signing, webhooks); tests move it. */
  now?: () => Date;
  /** Webhook dispatch tuning; tests shorten leases and polls. */
  webhookDispatch?: Partial<
    Pick<DispatcherOptions, 'leaseMs' | 'pollMs' | 'random' | 'deadlineMs'>
  >;
}

/** Wires the services over a store and a bus; each announces its own changes on the bus. */
export function createServices(deps: ServiceDeps): Services {
  const { store, bus, logger } = deps;
  const announcer = new BusAnnouncer(bus);
  const presence = new Presence(announcer, logger);
  const box = new SecretBox(deps.secretKey);
  const siteUrls = { allowHttp: deps.identity.allowHttp };
  const integrations = new IntegrationService(store, box, siteUrls);
  const outbound = new GuardedHttpClient({
    policy: createAddressPolicy(deps.identity.allowedPrivateHosts),
    allowHttp: deps.identity.allowHttp,
    ...(deps.resolver ? { resolver: deps.resolver } : {}),
  });
  const coordination = deps.coordination ?? new LocalCoordination();
  const webhookOutbox = new WebhookOutbox(store, bus);
  const profiles = new ProfileFetcher({
    coordination,
    store,
    integrations,
    client: outbound,
    logger,
    announcer,
    webhooks: webhookOutbox,
  });
  const contacts = new ContactService(store, announcer, undefined, webhookOutbox);
  const chat = new ChatService(store, announcer, logger, webhookOutbox);
  const cards = new CardSettingsService(store, box, siteUrls);
  const signing = new SigningService(store, box, deps.now ? { now: deps.now } : {});
  const clock = deps.now ? { now: deps.now } : {};
  return {
    store,
    bus,
    logger,
    chat,
    visitors: new VisitorService(store, integrations, profiles, contacts, announcer),
    contacts,
    projects: new ProjectService(store, announcer),
    agents: new AgentService(store, announcer),
    sessions: new AgentSessions(store, announcer),
    presence,
    presenceSync: new PresenceSync(bus, presence),
    integrations,
    profiles,
    apiKeys: new ApiKeyService(store, logger),
    cards,
    cardCalls: new CardService({ store, settings: cards, chat, client: outbound, signing, logger }),
    signing,
    coordination,
    outbound,
    limitStore: deps.limitStore ?? new MemoryLimitStore(),
    webhooks: new WebhookService(store, webhookOutbox, siteUrls, deps.now),
    webhookDispatcher: new WebhookDispatcher({
      store,
      client: outbound,
      signing,
      outbox: webhookOutbox,
      logger,
      ...clock,
      ...deps.webhookDispatch,
    }),
  };
}
