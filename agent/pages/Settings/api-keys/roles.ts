import type { ApiKeyRole } from '../../../../protocol/index.js';

/** Every role, in the order the form offers them, with what it allows. */
export const ROLES: ReadonlyArray<{ role: ApiKeyRole; text: string }> = [
  { role: 'contacts:read', text: 'Read contacts' },
  { role: 'contacts:write', text: 'Create, update, merge and erase contacts' },
  { role: 'conversations:read', text: 'Read conversations' },
];
