import * as z from 'zod/mini';
import { Id, IsoDate } from './common.js';
import { IntegrationHeaderInput, IntegrationHeaderView } from './integration.js';

/** How long a card's answer is reused for the same contact unless an agent refreshes it. */
export const CARD_CACHE_DEFAULT_SECONDS = 60;
export const CARD_CACHE_MAX_SECONDS = 3600;
/** Cards a project may have: each one is a call per opened conversation. */
export const MAX_CARDS_PER_PROJECT = 10;

export const CardName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'Give the card a name agents will recognise, such as Orders'),
    z.maxLength(60),
  );

/** A card as admins see it: the endpoint's header values are never returned, only masked. */
export const CardSettings = z.object({
  id: Id,
  projectId: Id,
  name: z.string(),
  url: z.string(),
  headers: z.array(IntegrationHeaderView),
  enabled: z.boolean(),
  cacheSeconds: z.int(),
  /** The order cards are shown in beside a conversation, smallest first. */
  position: z.int(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type CardSettings = z.infer<typeof CardSettings>;

export const CardSettingsList = z.object({ items: z.array(CardSettings) });
export type CardSettingsList = z.infer<typeof CardSettingsList>;

const CardUrl = z
  .string()
  .check(z.trim(), z.minLength(1, 'Enter the URL of your card endpoint'), z.maxLength(2048));
const CacheSeconds = z.int().check(z.gte(0), z.lte(CARD_CACHE_MAX_SECONDS));
/** The complete list: headers not listed are removed; a value left out keeps the stored one. */
const CardHeaders = z.array(IntegrationHeaderInput).check(z.maxLength(20));

export const CreateCardRequest = z.strictObject({
  name: CardName,
  url: CardUrl,
  headers: z.optional(CardHeaders),
  enabled: z.optional(z.boolean()),
  cacheSeconds: z.optional(CacheSeconds),
});
export type CreateCardRequest = z.infer<typeof CreateCardRequest>;

export const UpdateCardRequest = z.strictObject({
  name: z.optional(CardName),
  url: z.optional(CardUrl),
  headers: z.optional(CardHeaders),
  enabled: z.optional(z.boolean()),
  cacheSeconds: z.optional(CacheSeconds),
  position: z.optional(z.int().check(z.gte(0), z.lte(1000))),
});
export type UpdateCardRequest = z.infer<typeof UpdateCardRequest>;

export const CardParams = z.object({ id: z.string(), cardId: z.string() });
