import { AppError } from '../errors.js';

/** What a unique key of the store belongs to. */
export type DuplicateEntity =
  | 'project'
  | 'agent'
  | 'agent session'
  | 'visitor'
  | 'visitor token'
  | 'API key'
  | 'card'
  | 'signing secret';

/**
 * A write would have stored a second `entity` with the same `field` value. The adapters raise it
 * for the unique keys a caller can collide on, so that callers never look at driver errors.
 * `cause` holds the driver's error, for the log.
 */
export class DuplicateError extends AppError {
  override name = 'DuplicateError';
  constructor(
    readonly entity: DuplicateEntity,
    readonly field: string,
    cause: unknown,
  ) {
    super('conflict', 409, `Another ${entity} has this ${field}; choose a different one`);
    this.cause = cause;
  }
}
