import {
  Agent,
  AgentList,
  Project,
  ProjectList,
  type CreateAgentRequest,
  type CreateProjectRequest,
  type UpdateAgentRequest,
  type UpdateProjectRequest,
} from '../../protocol/index.js';
import { request } from './request.js';

const base = '/api/admin';
const enc = encodeURIComponent;

export const fetchAllProjects = () => request('GET', `${base}/projects`, { schema: ProjectList });

export const createProject = (body: CreateProjectRequest) =>
  request('POST', `${base}/projects`, { body, schema: Project });

export const updateProject = (id: string, body: UpdateProjectRequest) =>
  request('PATCH', `${base}/projects/${enc(id)}`, { body, schema: Project });

export const fetchAgents = () => request('GET', `${base}/agents`, { schema: AgentList });

export const createAgent = (body: CreateAgentRequest) =>
  request('POST', `${base}/agents`, { body, schema: Agent });

export const updateAgent = (id: string, body: UpdateAgentRequest) =>
  request('PATCH', `${base}/agents/${enc(id)}`, { body, schema: Agent });
