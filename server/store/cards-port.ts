/** A project's card: an endpoint of the site that answers with live data beside conversations. */
export interface CardRecord {
  id: string;
  projectId: string;
  name: string;
  url: string;
  /** The endpoint's custom headers, sealed (SecretBox); null when there are none. */
  headersSealed: string | null;
  enabled: boolean;
  cacheSeconds: number;
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** The cards of each project. */
export interface CardStore {
  /** Throws DuplicateError (`card`, `name`) when the project has a card of that name. */
  create(card: CardRecord): Promise<void>;
  /** The project's cards by position, then creation. */
  list(projectId: string): Promise<CardRecord[]>;
  /** One card of the project; null when the project has no card with this id. */
  get(projectId: string, id: string): Promise<CardRecord | null>;
  /** Replaces the stored card; false when it is gone. Duplicate names throw as in `create`. */
  save(card: CardRecord): Promise<boolean>;
  /** False when the project has no card with this id. */
  delete(projectId: string, id: string): Promise<boolean>;
}
