import * as z from 'zod/mini';
import { IsoDate, PersonName } from './common.js';

/** What a key may do. Each route of the public API names the role it needs. */
export const ApiKeyRole = z.enum(['contacts:read', 'contacts:write', 'conversations:read']);
export type ApiKeyRole = z.infer<typeof ApiKeyRole>;

/** A key as listed: never the secret, only its first characters to tell keys apart. */
export const ApiKey = z.object({
  id: z.string(),
  projectId: z.string(),
  label: z.string(),
  /** The key's visible start, e.g. `pk_live_3fA9`; enough to recognise it, useless to use it. */
  prefix: z.string(),
  roles: z.array(ApiKeyRole),
  createdBy: z.nullable(z.object({ id: z.string(), name: z.string() })),
  createdAt: IsoDate,
  expiresAt: z.nullable(IsoDate),
  lastUsedAt: z.nullable(IsoDate),
  revokedAt: z.nullable(IsoDate),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyList = z.object({ apiKeys: z.array(ApiKey) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export const CreateApiKeyRequest = z.strictObject({
  label: PersonName(100),
  roles: z.array(ApiKeyRole).check(
    z.minLength(1, 'Choose at least one role'),
    z.refine((roles) => new Set(roles).size === roles.length, 'Each role may appear once'),
  ),
  /** Optional; must be in the future. */
  expiresAt: z.optional(z.nullable(IsoDate)),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/** The answer to creating a key: the only time its secret is shown. */
export const CreatedApiKey = z.object({ apiKey: ApiKey, secret: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** Path parameters of one key of a project. */
export const ApiKeyParams = z.object({ id: z.string(), keyId: z.string() });

/** The project an API key belongs to: what a site checks its key with. */
export const ApiProject = z.object({ id: z.string(), name: z.string() });
export type ApiProject = z.infer<typeof ApiProject>;
