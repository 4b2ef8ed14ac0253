import type { RecordMatch } from '../../protocol/index.js';
import type { DescribedAnswer } from './answer-shape.js';
import type { DroppedField } from '../contacts/index.js';

/** A value left out of the profile: PII, or a key that could reach an object's prototype. */
export interface DroppedValue {
  /** Dotted path: inside metadata for PII (`billing.card`), in the answer for dangerous keys. */
  key: string;
  reason: DroppedField['reason'] | 'dangerous_key';
}

export type ProfileErrorKind =
  | 'bad_content_type'
  | 'bad_json'
  | 'invalid_profile'
  /** The answer names another user than the one asked for. */
  | 'identity_mismatch';

/** An answer that is not a valid profile; `fields` are paths, never values. */
export class ProfileValidationError extends Error {
  override name = 'ProfileValidationError';
  /** What Test connection shows of an answer that was read but refused. */
  shape: DescribedAnswer | null = null;
  match: RecordMatch | null = null;

  constructor(
    readonly kind: ProfileErrorKind,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}
