/**
 * Rules of cards that need no zod: the limits, the URL check the schemas run and the console runs
 * again before it renders, and the check of what an agent submits through a card's form (run by
 * the console before it sends, and by the server before it calls the site).
 */
import type { Card, CardButton, CardComponent, CardForm, CardInputField } from './card.js';
import { controlCharacterIn, hasUnpairedSurrogate } from './text.js';

/** What one card may hold. `depth` counts lists of components: the card's own is level 1. */
export const CARD_LIMITS = {
  components: 200,
  depth: 4,
  text: 2000,
  label: 200,
  cell: 500,
  url: 2048,
  tableColumns: 10,
  tableRows: 50,
  keyValueItems: 50,
  selectOptions: 50,
  name: 64,
  inputValue: 2000,
  imageSide: 1200,
  resultMessage: 500,
  note: 2000,
} as const;

export const LINK_SCHEMES: readonly string[] = ['https:', 'mailto:', 'tel:'];
export const IMAGE_SCHEMES: readonly string[] = ['https:'];

// Whitespace, controls and invisible format characters: a URL carries them percent-encoded,
// and raw ones are how `java\tscript:` or a zero-width character gets past a naive check.
const UNSAFE_IN_URL = /[\s\p{Cc}\p{Cf}]/u;

const quoted = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Why `value` may not be used as a card link or image address, or null when it may. The scheme
 * is judged on the URL as a browser parses it (lower-cased, after trimming), never on the text.
 */
export function cardUrlProblem(value: string, schemes: readonly string[]): string | null {
  const text = value.trim();
  const allowed = schemes.join(', ');
  if (text === '') return `is empty; give an absolute URL (${allowed})`;
  if (text.length > CARD_LIMITS.url) {
    return `must be at most ${CARD_LIMITS.url} characters (it has ${text.length})`;
  }
  if (UNSAFE_IN_URL.test(text)) {
    return 'cannot contain spaces, control or invisible characters; percent-encode them';
  }
  if (text.startsWith('//') || text.startsWith('\\')) {
    return `must start with its scheme (${allowed}): an address such as //host/path is refused`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `must be an absolute URL starting with ${allowed}`;
  }
  if (!schemes.includes(url.protocol)) {
    return `may only use ${allowed}; this one uses ${quoted(url.protocol)}`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'cannot carry a user name or password (https://user@host): it hides the real host';
  }
  return null;
}

/** The address to put in the page, trimmed, or null when the rules above refuse it. */
export function safeCardUrl(value: string, schemes: readonly string[]): string | null {
  return cardUrlProblem(value, schemes) === null ? value.trim() : null;
}

/** A button of a card, and the form whose inputs it sends (null outside a form). */
export interface CardActionSite {
  button: CardButton;
  form: CardForm | null;
}

/** Finds the button of a card that triggers `action` (action ids are unique within a card). */
export function findCardAction(card: Card, action: string): CardActionSite | null {
  const pending: { components: readonly CardComponent[] }[] = [card];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const component of next.components) {
      if (component.type === 'button' && component.action === action) {
        return { button: component, form: null };
      }
      if (component.type === 'section') pending.push(component);
      if (component.type === 'form') {
        const button = component.components.find(
          (c): c is CardButton => c.type === 'button' && c.action === action,
        );
        if (button) return { button, form: component };
      }
    }
  }
  return null;
}

/** The input fields of a form, in order. */
export function formFields(form: CardForm): CardInputField[] {
  return form.components.filter(
    (c): c is CardInputField =>
      c.type === 'input' || c.type === 'textarea' || c.type === 'select' || c.type === 'checkbox',
  );
}

export type CardInputValues = Record<string, string | boolean>;

export interface InputProblem {
  /** `action`, or `inputs.<name>`. */
  path: string;
  message: string;
}

export type CheckedInputs =
  | { ok: true; site: CardActionSite; inputs: CardInputValues }
  | { ok: false; problems: InputProblem[] };

function textProblem(field: CardInputField, value: string): string | null {
  if (field.type === 'checkbox') return null;
  if (field.type !== 'select' && value.length > (field.maxLength ?? CARD_LIMITS.inputValue)) {
    return `“${field.label}”: use at most ${field.maxLength ?? CARD_LIMITS.inputValue} characters`;
  }
  if (controlCharacterIn(value) !== null || hasUnpairedSurrogate(value)) {
    return `“${field.label}”: remove the invisible control characters`;
  }
  if (field.required === true && value.trim() === '') return `“${field.label}” is required`;
  if (field.type === 'select' && value !== '' && !field.options.some((o) => o.value === value)) {
    return `“${field.label}”: choose one of the options`;
  }
  return null;
}

function fieldValue(field: CardInputField, given: unknown): { value: string | boolean } | string {
  if (field.type === 'checkbox') {
    if (given === undefined) return { value: false };
    return typeof given === 'boolean'
      ? { value: given }
      : `“${field.label}”: expected true or false`;
  }
  if (given === undefined) return { value: '' };
  return typeof given === 'string' ? { value: given } : `“${field.label}”: expected text`;
}

/**
 * Checks what an agent submits for `action` against the card it came from: the button exists and
 * the agent may press it; every value is for an input of the button's form, of the right kind,
 * within its length and among its options; required ones are filled. On success `inputs` holds
 * every input of the form (empty text, or false, for those not sent), so a site always receives
 * the same keys.
 */
export function checkActionInputs(
  card: Card,
  action: string,
  inputs: Readonly<Record<string, unknown>>,
  role: 'admin' | 'agent',
): CheckedInputs {
  const site = findCardAction(card, action);
  if (!site) {
    return {
      ok: false,
      problems: [
        {
          path: 'action',
          message: `This card has no button for ${quoted(action)}; refresh the card and try again`,
        },
      ],
    };
  }
  if (site.button.adminOnly === true && role !== 'admin') {
    return {
      ok: false,
      problems: [{ path: 'action', message: `Only admins may use “${site.button.text}”` }],
    };
  }
  const fields = site.form ? formFields(site.form) : [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const problems: InputProblem[] = Object.keys(inputs)
    .filter((name) => !byName.has(name))
    .map((name) => ({
      path: `inputs.${name}`,
      message: `${quoted(name)} is not an input of the form this button sends`,
    }));
  const checked: [string, string | boolean][] = [];
  for (const field of fields) {
    const given = Object.hasOwn(inputs, field.name) ? inputs[field.name] : undefined;
    const read = fieldValue(field, given);
    const problem =
      typeof read === 'string'
        ? read
        : typeof read.value === 'string'
          ? textProblem(field, read.value)
          : null;
    if (problem !== null) problems.push({ path: `inputs.${field.name}`, message: problem });
    else if (typeof read !== 'string') checked.push([field.name, read.value]);
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, site, inputs: Object.fromEntries(checked) };
}
