/**
 * Cards: live data a site shows beside a conversation, described in JSON and drawn by the console
 * with its own components — never the site's HTML or script. Sites answer Palaver's POSTs with
 * these shapes, so every object is strict and every refusal names its path and says what to send
 * instead: a site developer reads these messages in the card log.
 */
import * as z from 'zod/mini';
import { Role } from './agent.js';
import { DANGEROUS_KEYS } from './answer-path.js';
import { CARD_LIMITS, cardUrlProblem, IMAGE_SCHEMES, LINK_SCHEMES } from './card-rules.js';
import { Id, IdentityStatus, visibleText, wellFormedText } from './common.js';
import { ConversationStatus } from './conversation.js';
import { Profile } from './profile.js';
import { codePointName } from './session.js';
import { controlCharacterIn } from './text.js';

type Issue = z.core.$ZodRawIssue;
type Path = (string | number)[];

const a = (word: string) => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return a(typeof value);
}

/** A value quoted for a message, cut short: a hostile answer must not make the log hostile. */
const quoted = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

const names = (keys: readonly string[]) =>
  keys.length > 5
    ? `${keys.slice(0, 5).map(quoted).join(', ')} and ${keys.length - 5} more`
    : keys.map(quoted).join(', ');

/** Messages for a strict object's own issues: not an object, or keys it does not take. */
function objectError(what: string, keys: readonly string[]) {
  return (iss: Issue) => {
    if (iss.code === 'unrecognized_keys') {
      return `unknown key ${names(iss.keys)} in ${what}; it takes ${keys.join(', ')}`;
    }
    if (iss.code !== 'invalid_type') return undefined;
    return iss.input === undefined
      ? `${what} is required here`
      : `${what} must be a JSON object, not ${kindOf(iss.input)}`;
  };
}

/** Any string of a card: bounded, well formed, and free of control characters but \n and \t. */
function cardString(max: number) {
  return z
    .string({
      error: (iss) =>
        iss.input === undefined ? 'is required' : `must be a string, not ${kindOf(iss.input)}`,
    })
    .check(
      z.maxLength(max, {
        error: (iss) =>
          `must be at most ${max} characters (it has ${(iss.input as string).length})`,
        abort: true,
      }),
      wellFormedText,
      z.refine((text) => controlCharacterIn(text) === null, {
        error: (iss) =>
          `contains the control character ${codePointName(controlCharacterIn(String(iss.input)) ?? '')}; only line feeds (\\n) and tabs (\\t) may appear`,
      }),
    );
}

/** Words a person must be able to read: a label, a heading, the text of a button or link. */
function label(max: number = CARD_LIMITS.label) {
  return cardString(max).check(
    z.minLength(1, 'cannot be empty'),
    visibleText('cannot be only invisible characters'),
  );
}

/** A list whose length is checked before its items, so that a huge list costs one message. */
function list<T extends z.ZodMiniType>(item: T, what: string, max: number, min = 0) {
  return z.pipe(
    z
      .array(z.unknown(), {
        error: (iss) =>
          iss.input === undefined ? 'is required' : `must be a list, not ${kindOf(iss.input)}`,
      })
      .check(
        z.minLength(min, `must hold at least ${min} ${what}`),
        z.maxLength(max, {
          error: (iss) =>
            `may hold at most ${max} ${what} (it has ${(iss.input as unknown[]).length})`,
        }),
      ),
    z.array(item),
  );
}

function url(kind: string, schemes: readonly string[]) {
  return z.string({ error: `must be the ${kind}'s address, as a string` }).check(
    z.trim(),
    z.superRefine((value, ctx) => {
      const problem = cardUrlProblem(value, schemes);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
    }),
  );
}

const Tone = z.enum(['default', 'muted', 'success', 'warning', 'danger'], {
  error: 'must be one of default, muted, success, warning, danger',
});
export type CardTone = z.infer<typeof Tone>;

function component<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.strictObject(
    { type: z.literal(type), ...shape },
    { error: objectError(`${a(type)} component`, ['type', ...Object.keys(shape)]) },
  );
}

const Heading = component('heading', {
  text: label(),
  level: z.optional(z.literal([1, 2, 3], { error: 'must be 1, 2 or 3' })),
});

const Text = component('text', { text: cardString(CARD_LIMITS.text), tone: z.optional(Tone) });

const Value = z.nullable(
  z.union([cardString(CARD_LIMITS.cell), z.number()], {
    // A string that fails its own checks says why, rather than "not a string".
    error: (iss) =>
      (iss.code === 'invalid_union' && typeof iss.input === 'string'
        ? iss.errors[0]?.[0]?.message
        : undefined) ?? 'must be a string, a number or null',
  }),
);

const KeyValue = component('keyValue', {
  items: list(
    z.strictObject(
      { label: label(), value: Value },
      { error: objectError('a keyValue item', ['label', 'value']) },
    ),
    'items',
    CARD_LIMITS.keyValueItems,
  ),
});

const Table = component('table', {
  columns: list(label(), 'columns', CARD_LIMITS.tableColumns, 1),
  rows: list(list(Value, 'cells', CARD_LIMITS.tableColumns), 'rows', CARD_LIMITS.tableRows),
}).check(
  z.superRefine((table, ctx) => {
    table.rows.forEach((row, index) => {
      if (row.length === table.columns.length) return;
      ctx.addIssue({
        code: 'custom',
        path: ['rows', index],
        message: `has ${row.length} cells but the table has ${table.columns.length} columns; use null for an empty cell`,
        input: row,
      });
    });
  }),
);

const Badge = component('badge', { text: label(), tone: z.optional(Tone) });

const Divider = component('divider', {});

const Link = component('link', { text: label(), url: url('link', LINK_SCHEMES) });

const side = z
  .int({ error: 'must be a whole number of pixels' })
  .check(
    z.gte(1, `must be from 1 to ${CARD_LIMITS.imageSide} pixels`),
    z.lte(CARD_LIMITS.imageSide, `must be from 1 to ${CARD_LIMITS.imageSide} pixels`),
  );

const Image = component('image', {
  url: url('image', IMAGE_SCHEMES),
  alt: label(),
  width: z.optional(side),
  height: z.optional(side),
});

const SHORT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

const ActionId = z
  .string({ error: 'is required: the id Palaver sends back to the site when the button is used' })
  .check(z.regex(SHORT_ID, 'must be 1 to 64 letters, digits or _ . : - (such as refund:ORD-1042)'));

const Button = component('button', {
  text: label(),
  action: ActionId,
  style: z.optional(
    z.enum(['primary', 'secondary', 'danger'], {
      error: 'must be one of primary, secondary, danger',
    }),
  ),
  /** Asked of the agent, with the button's text to go ahead, before the action runs. */
  confirm: z.optional(label(CARD_LIMITS.resultMessage)),
  /** Only admins may use it; the server checks again. */
  adminOnly: z.optional(z.boolean({ error: 'must be true or false' })),
});

const InputName = z
  .string({
    error: (iss) =>
      iss.input === undefined
        ? 'every input needs a name: the key its value is sent under'
        : 'must be a string',
  })
  .check(
    z.regex(SHORT_ID, 'must be 1 to 64 letters, digits or _ . : - (such as refund_reason)'),
    z.refine((name) => !DANGEROUS_KEYS.has(name), 'is reserved; choose another name'),
  );

const maxLength = z
  .int({ error: 'must be a whole number of characters' })
  .check(
    z.gte(1, `must be from 1 to ${CARD_LIMITS.inputValue}`),
    z.lte(CARD_LIMITS.inputValue, `must be from 1 to ${CARD_LIMITS.inputValue}`),
  );

const required = z.optional(z.boolean({ error: 'must be true or false' }));

const textField = {
  name: InputName,
  label: label(),
  placeholder: z.optional(cardString(CARD_LIMITS.label)),
  required,
  maxLength: z.optional(maxLength),
  /** What the field holds when the card appears. */
  value: z.optional(cardString(CARD_LIMITS.inputValue)),
};

const fitsMaxLength = z.superRefine(
  (field: { value?: string | undefined; maxLength?: number | undefined }, ctx) => {
    if (field.value !== undefined && field.value.length > (field.maxLength ?? Infinity)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `is longer than the field's maxLength (${field.maxLength})`,
        input: field.value,
      });
    }
  },
);

const Input = component('input', textField).check(fitsMaxLength);
const Textarea = component('textarea', textField).check(fitsMaxLength);

const Select = component('select', {
  name: InputName,
  label: label(),
  options: list(
    z.strictObject(
      { label: label(), value: cardString(CARD_LIMITS.label) },
      { error: objectError('an option', ['label', 'value']) },
    ),
    'options',
    CARD_LIMITS.selectOptions,
    1,
  ),
  required,
  value: z.optional(cardString(CARD_LIMITS.label)),
}).check(
  z.superRefine((select, ctx) => {
    const seen = new Set<string>();
    select.options.forEach((option, index) => {
      if (seen.has(option.value)) {
        ctx.addIssue({
          code: 'custom',
          path: ['options', index, 'value'],
          message: `repeats the value ${quoted(option.value)}; each option needs its own`,
          input: option.value,
        });
      }
      seen.add(option.value);
    });
    if (select.value !== undefined && select.value !== '' && !seen.has(select.value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'must be the value of one of the options',
        input: select.value,
      });
    }
  }),
);

const Checkbox = component('checkbox', {
  name: InputName,
  label: label(),
  checked: z.optional(z.boolean({ error: 'must be true or false' })),
});

const DISPLAY = [Heading, Text, KeyValue, Table, Badge, Divider, Link, Image, Button] as const;
// Pure: a bundle that never parses a card (the console) leaves the schemas out.
const DISPLAY_TYPES = /* @__PURE__ */ DISPLAY.map((schema) =>
  String(schema.shape.type._zod.def.values[0]),
);
const FIELD_TYPES: readonly string[] = ['input', 'textarea', 'select', 'checkbox'];

/** Messages for a component whose `type` names nothing that may stand where it is. */
function unionError(where: 'card' | 'form', known: readonly string[]) {
  return (iss: Issue) => {
    if (iss.code === 'invalid_type') {
      return `a component must be a JSON object such as {"type": "text", "text": "…"}, not ${kindOf(iss.input)}`;
    }
    if (iss.code !== 'invalid_union') return undefined;
    const type = (iss.input as Record<string, unknown>).type;
    if (type === undefined) return `a component needs a type: one of ${known.join(', ')}`;
    if (typeof type !== 'string') return `must be a string, not ${kindOf(type)}`;
    if (where === 'card' && FIELD_TYPES.includes(type)) {
      return `${a(type)} goes inside a form, with the button that sends it: {"type": "form", "components": […]}`;
    }
    if (where === 'form' && (type === 'section' || type === 'form')) {
      return `a form cannot hold ${a(type)}; put the form inside the section instead`;
    }
    return `unknown component type ${quoted(type)}; cards (version 1) have ${known.join(', ')}`;
  };
}

const FormItem = z.discriminatedUnion('type', [...DISPLAY, Input, Textarea, Select, Checkbox], {
  error: unionError('form', [...DISPLAY_TYPES, ...FIELD_TYPES]),
});

/** Names must tell the inputs apart, and a form without a button could never be sent. */
const formRules = z.superRefine((form: { components: z.infer<typeof FormItem>[] }, ctx) => {
  const seen = new Map<string, number>();
  form.components.forEach((item, index) => {
    if (!('name' in item)) return;
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, index);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['components', index, 'name'],
        message: `repeats the name of components.${first} (${quoted(item.name)}); each input of a form needs its own`,
        input: item.name,
      });
    }
  });
  if (!form.components.some((item) => item.type === 'button')) {
    ctx.addIssue({
      code: 'custom',
      path: ['components'],
      message: 'a form needs a button: the button sends its inputs',
      input: form.components,
    });
  }
});

const Form = component('form', { components: z.array(FormItem) }).check(formRules);

const Section = z.strictObject(
  {
    type: z.literal('section'),
    title: z.optional(label()),
    get components(): z.ZodMiniArray<typeof CardComponentSchema> {
      return z.array(CardComponentSchema);
    },
  },
  { error: objectError('a section component', ['type', 'title', 'components']) },
);

const CardComponentSchema = z.discriminatedUnion('type', [...DISPLAY, Section, Form], {
  error: unionError('card', [...DISPLAY_TYPES, 'section', 'form']),
});

export type CardComponent = z.infer<typeof CardComponentSchema>;
export type CardFormItem = z.infer<typeof FormItem>;
export type CardButton = z.infer<typeof Button>;
export type CardForm = z.infer<typeof Form>;
export type CardInputField = Extract<
  CardFormItem,
  { type: 'input' | 'textarea' | 'select' | 'checkbox' }
>;

interface Problem {
  path: Path;
  message: string;
}

/**
 * Counts components and measures nesting before any component is parsed: a card of thousands of
 * components, or nested thousands deep, costs one walk (that never descends past the limit) and
 * one message, not thousands.
 */
function structureProblems(input: unknown): Problem[] {
  const top = (input as { components?: unknown } | null)?.components;
  if (!Array.isArray(top)) return [];
  const pending: { list: unknown[]; depth: number; path: Path }[] = [
    { list: top, depth: 1, path: ['components'] },
  ];
  let count = 0;
  let tooDeep: Problem | null = null;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { list, depth, path } = next;
    count += list.length;
    list.forEach((item, index) => {
      const inner = (item as { components?: unknown } | null)?.components;
      if (typeof item !== 'object' || !Array.isArray(inner)) return;
      const at = [...path, index, 'components'];
      if (depth < CARD_LIMITS.depth) pending.push({ list: inner, depth: depth + 1, path: at });
      else {
        tooDeep ??= {
          path: at,
          message: `nests components more than ${CARD_LIMITS.depth} levels deep (the card's own list is level 1, each section or form adds one); flatten the card`,
        };
      }
    });
  }
  const problems: Problem[] = tooDeep ? [tooDeep] : [];
  if (count > CARD_LIMITS.components) {
    problems.unshift({
      path: ['components'],
      message: `a card may hold at most ${CARD_LIMITS.components} components, counting those inside sections and forms (this one holds ${count})`,
    });
  }
  return problems;
}

function actionsOf(components: readonly (CardComponent | CardFormItem)[], path: Path) {
  const found: { action: string; path: Path }[] = [];
  components.forEach((c, index) => {
    if (c.type === 'button') found.push({ action: c.action, path: [...path, index, 'action'] });
    if (c.type === 'section' || c.type === 'form') {
      found.push(...actionsOf(c.components, [...path, index, 'components']));
    }
  });
  return found;
}

const CardShape = z
  .strictObject(
    {
      version: z.literal(1, {
        error: 'must be 1: the card format this version of Palaver reads',
      }),
      title: z.optional(label()),
      components: z.array(CardComponentSchema, {
        error: (iss) =>
          iss.input === undefined ? 'is required' : `must be a list, not ${kindOf(iss.input)}`,
      }),
    },
    { error: objectError('a card', ['version', 'title', 'components']) },
  )
  .check(
    // The console and the server find a button by its action: two buttons cannot share one.
    z.superRefine((card, ctx) => {
      const first = new Map<string, Path>();
      for (const { action, path } of actionsOf(card.components, ['components'])) {
        const earlier = first.get(action);
        if (earlier === undefined) first.set(action, path);
        else {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `repeats the action of ${earlier.slice(0, -1).join('.')} (${quoted(action)}); give each button its own action id, such as refund:ORD-1042`,
            input: action,
          });
        }
      }
    }),
  );

/** A card, version 1: a title and a list of components, some of which nest. */
export const Card = z.pipe(
  z.unknown().check(
    z.superRefine((input, ctx) => {
      for (const { path, message } of structureProblems(input)) {
        ctx.addIssue({ code: 'custom', path, message, input });
      }
    }),
  ),
  CardShape,
);
export type Card = z.infer<typeof Card>;

/** The site's answer to a card request. */
export const CardAnswer = z.strictObject(
  { card: Card },
  {
    error: objectError('a card answer such as {"card": {"version": 1, "components": […]}}', [
      'card',
    ]),
  },
);
export type CardAnswer = z.infer<typeof CardAnswer>;

/** Keys a site might use to reply to the visitor: actions only ever speak to agents. */
const VISITOR_KEYS: ReadonlySet<string> = new Set([
  'message',
  'messages',
  'reply',
  'replies',
  'visitorMessage',
  'visitorReply',
  'sendMessage',
]);

const actionAnswerError = objectError('an action answer', ['card', 'result', 'note']);

/** What a site may answer to an action: at least one of a new card, a result, a note. */
export const ActionAnswer = z
  .strictObject(
    {
      /** Replaces the card the button was on. */
      card: z.optional(Card),
      /** Shown to the agent who used the button. */
      result: z.optional(
        z.strictObject(
          {
            status: z.enum(['success', 'error'], { error: 'must be success or error' }),
            message: label(CARD_LIMITS.resultMessage),
          },
          { error: objectError('a result', ['status', 'message']) },
        ),
      ),
      /** Recorded in the conversation's timeline, for agents only. */
      note: z.optional(label(CARD_LIMITS.note)),
    },
    {
      error: (iss) => {
        if (iss.code === 'unrecognized_keys') {
          const toVisitor = iss.keys.find((key) => VISITOR_KEYS.has(key));
          if (toVisitor !== undefined) {
            return `${quoted(toVisitor)}: actions cannot message the visitor; answer with "note" to record something in the conversation for agents only, or "result" to tell the agent how it went`;
          }
        }
        return actionAnswerError(iss);
      },
    },
  )
  .check(
    z.refine(
      (answer) =>
        answer.card !== undefined || answer.result !== undefined || answer.note !== undefined,
      {
        error: 'an action answer needs at least one of card, result or note',
        // Unknown keys do not stop zod's checks; one message about them is enough.
        when: (payload) => payload.issues.length === 0,
      },
    ),
  );
export type ActionAnswer = z.infer<typeof ActionAnswer>;

/** What Palaver tells the site when it asks for a card: the conversation and who is in it. */
export const CardContext = z.object({
  project: z.object({ id: Id, name: z.string() }),
  conversation: z.object({
    id: Id,
    status: ConversationStatus,
    assignee: z.nullable(z.object({ id: Id, name: z.string() })),
  }),
  contact: z.nullable(
    z.object({
      externalId: z.string(),
      identity: IdentityStatus,
      profile: z.nullable(Profile),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type CardContext = z.infer<typeof CardContext>;

/** An agent's values for a form's inputs, by input name. */
export const ActionInputs = z
  .record(
    InputName,
    z.union([z.string().check(z.maxLength(CARD_LIMITS.inputValue)), z.boolean()], {
      error: 'must be a string or true/false',
    }),
  )
  .check(
    z.refine(
      (inputs) => Object.keys(inputs).length <= CARD_LIMITS.components,
      `may hold at most ${CARD_LIMITS.components} inputs`,
    ),
  );

/** What Palaver POSTs to the site when an agent uses a card's button. */
export const ActionRequest = z.object({
  action: ActionId,
  /** Every input of the button's form (empty text or false when left blank); {} outside a form. */
  inputs: ActionInputs,
  context: CardContext,
  agent: z.object({ id: Id, name: z.string(), email: z.string(), role: Role }),
  /** The same for every retry of one use of a button: do the action once per key. */
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(128)),
});
export type ActionRequest = z.infer<typeof ActionRequest>;
