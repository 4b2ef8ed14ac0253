import { ContactInput } from '../../protocol/index.js';

/** The claims of a userToken that describe the person: the rest (sub, aud, exp…) is the JWT's. */
const PROFILE_CLAIMS = ['name', 'email', 'phone', 'traits'] as const;

export type ProfileClaims =
  { ok: true; input: ContactInput | null } | { ok: false; problem: string };

/**
 * Profile claims of a verified token, as a contact write would carry them (`traits` become
 * properties). A token with a bad claim is still a valid proof of identity: the claims are
 * ignored and the site's console says why.
 */
export function profileClaims(claims: Record<string, unknown>): ProfileClaims {
  const present = PROFILE_CLAIMS.filter((name) => claims[name] !== undefined);
  if (present.length === 0) return { ok: true, input: null };
  const { traits, ...fields } = Object.fromEntries(present.map((name) => [name, claims[name]]));
  const parsed = ContactInput.safeParse({
    ...fields,
    ...(traits === undefined ? {} : { properties: traits }),
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? [])
    .map(String)
    .join('.')
    .replace(/^properties/, 'traits');
  return {
    ok: false,
    problem: `the userToken's "${path}" claim ${issue?.message ?? 'is invalid'}`,
  };
}
