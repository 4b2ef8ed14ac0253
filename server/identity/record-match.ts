import {
  formatAnswerPath,
  parseAnswerPath,
  resolveAnswerPath,
  type RecordMatch,
} from '../../protocol/index.js';
import { ProfileValidationError } from './profile-error.js';

/** Where an answer names its user unless the mapping says otherwise: top-level ids. */
export const DEFAULT_ID_PATHS = ['externalId', 'id'];

/**
 * Checks that an answer is about the user that was asked for: the first of `paths` present in
 * the answer must hold the requested id (a number compares by its decimal text, as some sites
 * keep numeric ids). A site that answers with the wrong user must never put that user's data
 * under another visitor, so a mismatch throws `identity_mismatch`; an answer naming nobody at
 * those paths cannot be checked, and the verdict says so.
 */
export function matchRecord(
  answer: Record<string, unknown>,
  paths: readonly string[],
  requestedId: string,
): RecordMatch {
  for (const text of paths) {
    const parsed = parseAnswerPath(text);
    if (!parsed.ok) continue;
    const path = formatAnswerPath(parsed.segments);
    const found = resolveAnswerPath(answer, parsed.segments);
    if (!found.found || found.value === null) continue;
    const { value } = found;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new ProfileValidationError(
        'invalid_profile',
        `${path}: expected the user's id (text or a number), found ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`,
        [path],
      );
    }
    if (String(value) !== requestedId) {
      const error = new ProfileValidationError(
        'identity_mismatch',
        `The answer's ${path} is not the requested id: it describes another user, so nothing was stored`,
        [path],
      );
      error.match = {
        verdict: 'mismatch',
        path,
        message: `${path} names another user than the one asked for`,
      };
      throw error;
    }
    return { verdict: 'matched', path, message: `${path} is the requested id` };
  }
  return {
    verdict: 'unchecked',
    path: null,
    message: `The answer has no ${paths.join(' or ')}: Palaver could not check that it is about this user`,
  };
}
