export { AgentCreateForm } from './AgentCreateForm.js';
export { AgentEditForm } from './AgentEditForm.js';
export { AgentRow } from './AgentRow.js';
