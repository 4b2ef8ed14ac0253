import type {
  ContactInput,
  DroppedProperty,
  FieldError,
  FieldSource,
} from '../../protocol/index.js';
import { checkProperties } from './properties.js';
import type { ContactWrite } from './rules.js';

/** A push checked and turned into a write, or the reasons it cannot be stored. */
export type PreparedWrite =
  | { ok: true; write: ContactWrite; dropped: DroppedProperty[] }
  | { ok: false; errors: FieldError[] };

export type ReadyWrite = Extract<PreparedWrite, { ok: true }>;

/** Values the site sent for one contact (pushed, or carried in a token), as a write. */
export function inputWrite(input: ContactInput, origin: FieldSource): PreparedWrite {
  const { properties = {}, ...fields } = input;
  const checked = checkProperties(properties);
  if (!checked.ok) return checked;
  return {
    ok: true,
    write: {
      origin,
      // A blank string says "no value" as null does; storing it would show agents an empty field.
      fields: Object.fromEntries(
        Object.entries(fields).map(([key, value]) => [key, value === '' ? null : value]),
      ),
      properties: checked.properties,
      replacesOwn: false,
    },
    dropped: checked.dropped,
  };
}
