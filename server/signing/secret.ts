import { prefixedSecret } from '../crypto/prefixed-secret.js';

/** Signing secrets: `palsig_` and 48 base62 characters, told apart from API keys at a glance. */
export const signingSecret = prefixedSecret('palsig_');
