import { prefixedSecret } from '../crypto/prefixed-secret.js';

/** Keys of the public API: `palaver_` and 48 base62 characters. */
const apiKey = prefixedSecret('palaver_');

export const newKeySecret = (): string => apiKey.make();
export const isKeyShaped = (text: string): boolean => apiKey.matches(text);
/** What the console shows of a key, e.g. `palaver_3fA9`. */
export const visiblePrefix = (secret: string): string => apiKey.visible(secret);
