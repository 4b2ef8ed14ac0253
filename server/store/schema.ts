import type { Generated } from 'kysely';
/** Table shapes as Kysely sees them. JSON columns hold text so both dialects store them alike. */
export interface Database {
  projects: ProjectsTable;
  agents: AgentsTable;
  agent_projects: AgentProjectsTable;
  agent_sessions: AgentSessionsTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  visitor_tokens: VisitorTokensTable;
  project_integrations: ProjectIntegrationsTable;
  contacts: ContactsTable;
  integration_log: IntegrationLogTable;
  audit_log: AuditLogTable;
  events: EventsTable;
  api_keys: ApiKeysTable;
  cards: CardsTable;
  signing_secrets: SigningSecretsTable;
  card_actions: CardActionsTable;
  card_calls: CardCallsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export interface ProjectsTable {
  id: string;
  name: string;
  allowed_origins: string;
  widget: string;
  created_at: string;
}

export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: 'admin' | 'agent';
  active: number;
  created_at: string;
}

export interface AgentProjectsTable {
  agent_id: string;
  project_id: string;
}

export interface AgentSessionsTable {
  id_hash: string;
  agent_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface VisitorsTable {
  id: string;
  project_id: string;
  token_hash: string;
  external_user_id: string | null;
  identity: 'verified' | 'claimed' | 'anonymous';
  first_seen_at: string;
  last_seen_at: string;
  page_url: string | null;
  referrer: string | null;
  user_agent: string | null;
  locale: string | null;
  /** When the person was erased (their contact deleted, this visitor stripped of their data). */
  erased_at: string | null;
}

export interface ConversationsTable {
  id: string;
  project_id: string;
  visitor_id: string;
  status: 'open' | 'closed';
  created_at: string;
  last_activity_at: string;
  last_seq: number;
  last_message_body: string | null;
  last_message_author: 'visitor' | 'agent' | 'system' | null;
  last_message_at: string | null;
  visitor_read_seq: number;
  agent_read_seq: number;
  unread_for_agents: number;
  unread_for_visitor: number;
  closed_at: string | null;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  /** `v:<visitorId>` or `a:<agentId>`: the scope in which a client message id is unique. */
  sender_key: string | null;
  client_message_id: string | null;
  author_kind: 'visitor' | 'agent' | 'system';
  author_id: string | null;
  author_name: string | null;
  body: string;
  created_at: string;
  /** `agents` for notes the visitor never gets (an action's note). */
  visibility: Generated<'all' | 'agents'>;
}

/** Extra device tokens of a visitor: a verified user's phone and laptop share one visitor. */
export interface VisitorTokensTable {
  token_hash: string;
  visitor_id: string;
  created_at: string;
}

export interface ProjectIntegrationsTable {
  project_id: string;
  enabled: number;
  style: 'path' | 'query';
  url: string;
  param_name: string;
  method: 'GET' | 'POST';
  /** AES-256-GCM sealed JSON `[{name, value}]`. */
  headers_sealed: string | null;
  freshness_seconds: number;
  require_verified: number;
  /** JSON IntegrationMapping; null: the default (`auto`). */
  mapping: string | null;
  on_not_found: 'keep' | 'clear';
  /** AES-256-GCM sealed JSON `[{id, secret, createdAt, expiresAt}]`. */
  secrets_sealed: string | null;
  health_status: 'unknown' | 'healthy' | 'failing';
  failing_since: string | null;
  last_success_at: string | null;
  /** JSON `{at, outcome, httpStatus, message}`. */
  last_error: string | null;
  updated_at: string | null;
}

export interface ContactsTable {
  project_id: string;
  external_user_id: string;
  /** JSON Profile; null until a fetch succeeded or when the site does not know the id. */
  profile: string | null;
  /** The profile's name, kept apart so inbox lists need not read whole profiles. */
  name: string | null;
  fetched_at: string | null;
  http_status: number | null;
  latency_ms: number | null;
  /** JSON FetchAttempt. */
  last_attempt: string | null;
  created_at: string;
  updated_at: string;
  /** JSON Provenance. */
  provenance: string;
  identity: 'verified' | 'claimed' | null;
  not_found_at_site_at: string | null;
  /** The sources some field came from, space-separated ("pull push"): the list's source filter. */
  sources: string;
  /**
   * What a text search looks in, folded (see contact-search.ts). SQLite indexes it in the FTS5
   * table contacts_fts (kept by triggers), PostgreSQL in the generated column search_vector.
   */
  search: string;
}

export interface IntegrationLogTable {
  id: string;
  project_id: string;
  at: string;
  external_user_id: string;
  trigger: string;
  outcome: string;
  http_status: number | null;
  latency_ms: number | null;
  error_class: string | null;
  message: string | null;
  /** JSON `{invalidFields, droppedPii}`: paths and reasons, never values. */
  details: string;
}

/** Who did a destructive change to a contact, and what. */
export interface AuditLogTable {
  id: string;
  project_id: string;
  at: string;
  actor: string;
  action: 'contact.merged' | 'contact.erased';
  subject: string;
  /** JSON object of ids and counts. */
  details: string;
  /** For a merge, the contact merged away: what a retried merge looks up. */
  merged_from: string | null;
}

/** What happened in a project, for features that deliver it later (webhooks). */
export interface EventsTable {
  id: string;
  project_id: string;
  type: string;
  at: string;
  /** JSON object. */
  payload: string;
}

/** Keys of the public API; only their hash is stored. */
export interface ApiKeysTable {
  id: string;
  project_id: string;
  label: string;
  /** The key's visible start, shown to tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key: the key itself is never stored. */
  hash: string;
  /** JSON array of ApiKeyRole. */
  roles: string;
  /** The agent who created it; null once that agent is gone. */
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The cards of each project (live data from the site beside conversations). */
export interface CardsTable {
  id: string;
  project_id: string;
  name: string;
  url: string;
  /** SecretBox-sealed JSON array of {name, value}. */
  headers_sealed: string | null;
  /** 0 or 1. */
  enabled: number;
  cache_seconds: number;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface SigningSecretsTable {
  id: string;
  project_id: string;
  /** The secret's visible start, shown to tell secrets apart. */
  prefix: string;
  /** The secret sealed with PALAVER_SECRET_KEY (SecretBox). */
  sealed: string;
  /** 1 once its value was shown to an admin; 0 for one Palaver made by itself. */
  shown: number;
  created_at: string;
  /** Null for the project's primary secret; when it stops signing for the others. */
  expires_at: string | null;
}

/** One use of a card action per (project, idempotency key), and what came of it. */
export interface CardActionsTable {
  project_id: string;
  idempotency_key: string;
  fingerprint: string;
  external_user_id: string | null;
  /** JSON of the stored outcome; null while the first use is calling the site. */
  outcome: string | null;
  created_at: string;
}

/** The card call log: every card and action call. */
export interface CardCallsTable {
  id: string;
  project_id: string;
  at: string;
  card_id: string;
  card_name: string;
  agent_id: string | null;
  agent_name: string | null;
  external_user_id: string | null;
  kind: string;
  action: string | null;
  outcome: string;
  http_status: number | null;
  latency_ms: number | null;
  error_class: string | null;
  message: string;
  /** JSON `{inputs, droppedPii}`: inputs after the PII guard; dropped ones by path and reason. */
  details: string;
}

export interface WebhookSubscriptionsTable {
  id: string;
  project_id: string;
  url: string;
  /** JSON array of WebhookEventType. */
  events: string;
  /** 0 or 1. */
  enabled: number;
  disabled_reason: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  last_success_at: string | null;
  failing_since: string | null;
}

/** The outbox: one row per event and subscription, written with the change it tells of. */
export interface WebhookDeliveriesTable {
  /** Sorts by creation (see NewDelivery.id). */
  id: string;
  project_id: string;
  /** No foreign key: a cached subscription list may name one just deleted (see webhooks/). */
  subscription_id: string;
  event_id: string;
  event_type: string;
  order_key: string | null;
  body: string;
  status: string;
  attempts: number;
  created_at: string;
  give_up_at: string;
  /** Null once delivered or failed. */
  next_attempt_at: string | null;
  /** An instance is attempting it until then. */
  lease_until: string | null;
  last_attempt_at: string | null;
  response_status: number | null;
  latency_ms: number | null;
  error_class: string | null;
  excerpt: string | null;
}
