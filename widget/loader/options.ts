import type { WidgetPosition } from '../../protocol/index.js';

/** `Palaver('init', …)` options after checking; invalid fields are dropped with a warning. */
export interface InitOptions {
  projectId: string;
  externalUserId?: string;
  userToken?: string;
  userHash?: string;
  locale?: string;
  color?: string;
  position?: WidgetPosition;
  zIndex?: number;
}

export type IdentityOptions = Pick<InitOptions, 'externalUserId' | 'userToken' | 'userHash'>;

const text =
  (max: number, pattern = /./) =>
  (value: unknown) =>
    typeof value === 'string' && value.length <= max && pattern.test(value);

// Written by hand (the loader ships no zod); the server checks identity again with the schemas.
const IDENTITY = {
  // The server's rule (protocol/session.ts): no control, invisible or direction-changing character.
  externalUserId: text(256, /^[^\p{C}\p{Zl}\p{Zp}]+$/u),
  userToken: text(4096),
  userHash: text(256),
};

const INIT = {
  ...IDENTITY,
  projectId: text(64),
  locale: text(35),
  color: text(7, /^#[0-9a-f]{6}$/i),
  position: (v: unknown) => v === 'left' || v === 'right',
  zIndex: (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31,
};

/** Keeps the valid fields and lists the rest for one console warning. */
function check(
  input: unknown,
  rules: Record<string, (value: unknown) => boolean>,
  required: string,
) {
  const problems: string[] = [];
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(Object(input) as object)) {
    if (!rules[key]) problems.push(`unknown option "${key}"`);
    else if (field != null && !rules[key](field))
      problems.push(`invalid ${key} ${JSON.stringify(field)}`);
    else if (field != null) value[key] = field;
  }
  if (!(required in value)) problems.push(`${required} is required`);
  return { value: required in value ? value : null, problems };
}

export const checkInitOptions = (input: unknown, defaultProjectId: string | null) =>
  check({ projectId: defaultProjectId, ...Object(input) }, INIT, 'projectId') as {
    value: InitOptions | null;
    problems: string[];
  };

export const checkIdentity = (input: unknown) => check(input, IDENTITY, 'externalUserId');
