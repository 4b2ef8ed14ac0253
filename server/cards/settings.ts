import {
  CARD_CACHE_DEFAULT_SECONDS,
  MAX_CARDS_PER_PROJECT,
  type CardSettings,
  type CreateCardRequest,
  type UpdateCardRequest,
} from '../../protocol/index.js';
import type { SecretBox } from '../crypto/secrets.js';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import {
  editedHeaders,
  headerViews,
  openHeaders,
  sealHeaders,
  siteUrlProblem,
  type SiteHeader,
} from '../outbound/index.js';
import type { CardRecord, Store } from '../store/index.js';

/** A card ready to call: its headers opened. Lives only in memory. */
export interface ResolvedCard {
  id: string;
  projectId: string;
  name: string;
  url: URL;
  headers: SiteHeader[];
  cacheSeconds: number;
}

const headersContext = (card: Pick<CardRecord, 'projectId' | 'id'>) =>
  `card-headers:${card.projectId}:${card.id}`;

const URL_EXAMPLE = 'https://api.example.com/palaver/cards/orders';

/**
 * The cards admins set up per project (Settings → Cards): a name, the site's card endpoint, its
 * custom headers (sealed, write-only, as the identity endpoint's), on/off and how long an answer
 * is reused.
 */
export class CardSettingsService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly options: { allowHttp: boolean },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(projectId: string): Promise<CardSettings[]> {
    await this.projectOrThrow(projectId);
    return (await this.store.cards.list(projectId)).map((card) => this.view(card));
  }

  async create(projectId: string, input: CreateCardRequest): Promise<CardSettings> {
    await this.projectOrThrow(projectId);
    const existing = await this.store.cards.list(projectId);
    if (existing.length >= MAX_CARDS_PER_PROJECT) {
      throw new AppError(
        'validation_failed',
        422,
        `A project can have ${MAX_CARDS_PER_PROJECT} cards; delete one you no longer use first`,
      );
    }
    const at = this.now().toISOString();
    const card: CardRecord = {
      id: newId('card'),
      projectId,
      name: input.name,
      url: this.checkedUrl(input.url),
      headersSealed: null,
      enabled: input.enabled ?? true,
      cacheSeconds: input.cacheSeconds ?? CARD_CACHE_DEFAULT_SECONDS,
      position: Math.max(-1, ...existing.map((c) => c.position)) + 1,
      createdAt: at,
      updatedAt: at,
    };
    card.headersSealed = sealHeaders(
      this.box,
      editedHeaders([], input.headers ?? []),
      headersContext(card),
    );
    await this.store.cards.create(card);
    return this.view(card);
  }

  async update(projectId: string, cardId: string, input: UpdateCardRequest): Promise<CardSettings> {
    const current = await this.cardOrThrow(projectId, cardId);
    const next: CardRecord = {
      ...current,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.url !== undefined && { url: this.checkedUrl(input.url) }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.cacheSeconds !== undefined && { cacheSeconds: input.cacheSeconds }),
      ...(input.position !== undefined && { position: input.position }),
      updatedAt: this.now().toISOString(),
    };
    if (input.headers) {
      next.headersSealed = sealHeaders(
        this.box,
        editedHeaders(this.headers(current), input.headers),
        headersContext(current),
      );
    }
    if (!(await this.store.cards.save(next))) throw notFound('Card');
    return this.view(next);
  }

  async remove(projectId: string, cardId: string): Promise<void> {
    if (!(await this.store.cards.delete(projectId, cardId))) throw notFound('Card');
  }

  /** The project's enabled cards, in order, ready to call. */
  async enabled(projectId: string): Promise<ResolvedCard[]> {
    const cards = await this.store.cards.list(projectId);
    return cards.filter((card) => card.enabled).map((card) => this.resolved(card));
  }

  /** One enabled card of the project, ready to call; null when it is off or not the project's. */
  async enabledCard(projectId: string, cardId: string): Promise<ResolvedCard | null> {
    const card = await this.store.cards.get(projectId, cardId);
    return card?.enabled ? this.resolved(card) : null;
  }

  private resolved(card: CardRecord): ResolvedCard {
    return {
      id: card.id,
      projectId: card.projectId,
      name: card.name,
      url: new URL(card.url),
      headers: this.headers(card),
      cacheSeconds: card.cacheSeconds,
    };
  }

  private view(card: CardRecord): CardSettings {
    const { headersSealed: _sealed, ...rest } = card;
    return { ...rest, headers: headerViews(this.headers(card)) };
  }

  private headers(card: CardRecord): SiteHeader[] {
    return openHeaders(this.box, card.headersSealed, headersContext(card));
  }

  private checkedUrl(url: string): string {
    const problem = siteUrlProblem(url, this.options, URL_EXAMPLE);
    if (problem) {
      throw new AppError('validation_failed', 422, problem, [{ path: 'url', message: problem }]);
    }
    return url;
  }

  private async cardOrThrow(projectId: string, cardId: string): Promise<CardRecord> {
    const card = await this.store.cards.get(projectId, cardId);
    if (!card) throw notFound('Card');
    return card;
  }

  private async projectOrThrow(projectId: string): Promise<void> {
    if (!(await this.store.projects.get(projectId))) throw notFound(`Project "${projectId}"`);
  }
}
