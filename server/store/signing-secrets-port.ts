/** One of a project's secrets for signing the requests Palaver sends. */
export interface SigningSecretRecord {
  id: string;
  projectId: string;
  /** The secret's visible start (`palsig_3fA9`), shown to tell secrets apart. */
  prefix: string;
  /** The secret sealed with PALAVER_SECRET_KEY; opened only to sign. */
  sealed: string;
  /** Whether an admin was shown its value; never, for the one Palaver makes for a first signature. */
  shown: boolean;
  createdAt: string;
  /** Null for the primary; for the others, when they stop signing. */
  expiresAt: string | null;
}

/** Each project's signing secrets: one primary, and the previous ones during their grace period. */
export interface SigningSecretStore {
  /** The project's secrets that still sign at `at` (the primary, and those expiring after), newest first. */
  active(projectId: string, at: string): Promise<SigningSecretRecord[]>;
  /** Stores `secret` as the primary unless the project has one; whether it did. */
  createIfAbsent(secret: SigningSecretRecord): Promise<boolean>;
  /**
   * Makes `secret` the primary, at its `createdAt`, in one transaction: the previous secrets stop
   * signing at `graceUntil` (or earlier, if they were to stop earlier); those never shown, and
   * those expired by then, are deleted, since nobody can hold them. Throws DuplicateError
   * (`signing secret`, `primary`) when a concurrent rotation made a primary first.
   */
  rotate(secret: SigningSecretRecord, graceUntil: string): Promise<void>;
}
