/** Table shapes as Kysely sees them. JSON columns hold text so both dialects store them alike. */
export interface Database {
  projects: ProjectsTable;
  agents: AgentsTable;
  agent_projects: AgentProjectsTable;
  agent_sessions: AgentSessionsTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
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
}
