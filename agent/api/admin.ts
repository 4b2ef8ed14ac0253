import type {
  CreateAgentRequest,
  CreateProjectRequest,
  UpdateAgentRequest,
  UpdateProjectRequest,
} from '../../protocol/index.js';
import { adminRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchAllProjects = () => call(adminRoutes.listProjects, {});

export const createProject = (body: CreateProjectRequest) =>
  call(adminRoutes.createProject, { body });

export const updateProject = (id: string, body: UpdateProjectRequest) =>
  call(adminRoutes.updateProject, { params: { id }, body });

export const fetchAgents = () => call(adminRoutes.listAgents, {});

export const createAgent = (body: CreateAgentRequest) => call(adminRoutes.createAgent, { body });

export const updateAgent = (id: string, body: UpdateAgentRequest) =>
  call(adminRoutes.updateAgent, { params: { id }, body });
