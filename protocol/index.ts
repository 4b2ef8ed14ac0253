export * from './common.js';
export * from './project.js';
export * from './message.js';
export * from './session.js';
export * from './conversation.js';
export * from './agent.js';
export * from './events.js';
export * from './profile.js';
