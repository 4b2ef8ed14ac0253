import { describe, expect, it } from 'vitest';
import {
  ActionAnswer,
  ActionRequest,
  Card,
  CardAnswer,
  CardContext,
  checkActionInputs,
  safeCardUrl,
  IMAGE_SCHEMES,
  LINK_SCHEMES,
} from './index.js';

interface Parser {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: unknown }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** The problems as a site developer reads them in the card log: `path: message`. */
function problems(schema: Parser, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map(
    (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
  );
}

const card = (...components: unknown[]) => ({ version: 1, components });
const form = (...components: unknown[]) => ({
  type: 'form',
  components: [...components, { type: 'button', text: 'Send', action: 'send' }],
});
const nested = (depth: number): unknown => {
  let inner: unknown = { type: 'text', text: 'bottom' };
  for (let level = 1; level < depth; level++) inner = { type: 'section', components: [inner] };
  return inner;
};

const EVERY_COMPONENT = card(
  { type: 'heading', text: 'Orders', level: 2 },
  { type: 'text', text: 'Two orders\tthis month\nboth paid', tone: 'muted' },
  {
    type: 'keyValue',
    items: [
      { label: 'Plan', value: 'Pro' },
      { label: 'Seats', value: 4 },
    ],
  },
  { type: 'keyValue', items: [{ label: 'Coupon', value: null }] },
  {
    type: 'table',
    columns: ['Order', 'Total'],
    rows: [
      ['ORD-1', 249],
      ['ORD-2', null],
    ],
  },
  { type: 'badge', text: 'Paid', tone: 'success' },
  { type: 'divider' },
  { type: 'link', text: 'Open in admin', url: 'https://shop.example/admin/orders/1' },
  { type: 'link', text: 'Write', url: 'mailto:alice@shop.example' },
  { type: 'link', text: 'Call', url: 'tel:+14155550123' },
  { type: 'image', url: 'https://cdn.shop.example/p.png', alt: 'Product', width: 64, height: 64 },
  { type: 'button', text: 'Resend invoice', action: 'resend:ORD-1', style: 'secondary' },
  {
    type: 'section',
    title: 'Refund',
    components: [
      {
        type: 'form',
        components: [
          { type: 'input', name: 'amount', label: 'Amount', required: true, maxLength: 10 },
          { type: 'textarea', name: 'why', label: 'Reason', placeholder: 'Optional', value: '' },
          {
            type: 'select',
            name: 'method',
            label: 'Method',
            options: [
              { label: 'Card', value: 'card' },
              { label: 'Credit', value: 'credit' },
            ],
            required: true,
            value: 'card',
          },
          { type: 'checkbox', name: 'notify', label: 'Email the customer', checked: true },
          {
            type: 'button',
            text: 'Refund',
            action: 'refund:ORD-1',
            style: 'danger',
            confirm: 'Refund this order?',
            adminOnly: true,
          },
        ],
      },
    ],
  },
);

describe('a card', () => {
  it('accepts every component in its valid form, unchanged', () => {
    const parsed = Card.parse(EVERY_COMPONENT);
    expect(parsed).toEqual(EVERY_COMPONENT);
    expect(Card.parse({ ...card(), title: 'Recent orders' }).title).toBe('Recent orders');
  });

  it.each([null, [], 'card', 42, true, undefined])(
    'refuses %j where a card or an answer should be, saying it must be an object',
    (value) => {
      expect(problems(Card, value)).toEqual([
        `(root): ${value === undefined ? 'a card is required here' : `a card must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}`}`,
      ]);
      expect(problems(CardAnswer, value)[0]).toMatch(/^\(root\): .*a card answer such as/);
      expect(problems(ActionAnswer, value)[0]).toMatch(/^\(root\): .*an action answer/);
      expect(problems(CardAnswer, { card: value })[0]).toMatch(/^card: .*a card/);
    },
  );

  it('refuses another version and names the one it reads', () => {
    for (const version of [2, 0, '1', null, undefined]) {
      expect(problems(Card, { version, components: [] })).toEqual([
        'version: must be 1: the card format this version of Palaver reads',
      ]);
    }
  });

  it.each([
    [
      { type: 'carousel' },
      'unknown component type "carousel"; cards (version 1) have heading, text',
    ],
    [{ type: 'html', html: '<b>x</b>' }, 'unknown component type "html"'],
    [{ type: 'script' }, 'unknown component type "script"'],
    [{ type: 'iframe' }, 'unknown component type "iframe"'],
    [{ type: 'Text', text: 'x' }, 'unknown component type "Text"'],
    [{ type: '__proto__' }, 'unknown component type "__proto__"'],
    [{ type: 'x'.repeat(10_000) }, `unknown component type "${'x'.repeat(40)}…"`],
    [{ text: 'no type' }, 'a component needs a type: one of heading, text'],
    [{ type: 7 }, 'must be a string, not a number'],
  ])('refuses the unknown component %j, naming the types it knows', (component, message) => {
    const [problem] = problems(Card, card({ type: 'text', text: 'ok' }, component));
    expect(problem).toMatch(/^components\.1\.type: /);
    expect(problem).toContain(message);
  });

  it.each([null, 'text', 3, [{ type: 'text', text: 'x' }]])(
    'refuses %j as a component',
    (component) => {
      expect(problems(Card, card(component))[0]).toMatch(
        /^components\.0: a component must be a JSON object such as \{"type": "text", "text": "…"\}, not /,
      );
    },
  );

  it.each([
    [
      card({ type: 'text', text: 'x', html: '<b>x</b>' }),
      'components.0',
      '"html" in a text component',
    ],
    [
      card({ type: 'link', text: 'x', url: 'https://a.example', onclick: 'x' }),
      'components.0',
      '"onclick" in a link component',
    ],
    [
      card({ type: 'image', url: 'https://a.example/i.png', alt: 'x', srcset: 'y' }),
      'components.0',
      '"srcset" in an image component',
    ],
    [
      card({ type: 'button', text: 'x', action: 'a', href: 'https://a.example' }),
      'components.0',
      '"href" in a button component',
    ],
    [card({ type: 'divider', style: 'x' }), 'components.0', '"style" in a divider component'],
    [
      card({ type: 'section', components: [], css: 'x' }),
      'components.0',
      '"css" in a section component',
    ],
    [
      card(form({ type: 'input', name: 'a', label: 'A', pattern: '.*' })),
      'components.0.components.0',
      '"pattern" in an input component',
    ],
    [
      card({ type: 'keyValue', items: [{ label: 'a', value: 1, link: 'x' }] }),
      'components.0.items.0',
      '"link" in a keyValue item',
    ],
    [{ ...card(), style: 'x', script: 'y' }, '(root)', '"style", "script" in a card'],
  ])('refuses an unknown key instead of dropping it (%#)', (value, path, named) => {
    expect(problems(Card, value)).toEqual([
      expect.stringMatching(
        new RegExp(`^${path.replace(/\./g, '\\.').replace(/[()]/g, '\\$&')}: unknown key`),
      ),
    ]);
    expect(problems(Card, value)[0]).toContain(named);
    expect(problems(Card, value)[0]).toMatch(/; it takes /);
  });

  it('counts components across sections and forms: 200 pass, 201 do not', () => {
    const texts = (n: number) => Array.from({ length: n }, () => ({ type: 'text', text: 'x' }));
    expect(problems(Card, card(...texts(200)))).toEqual([]);
    expect(problems(Card, card(...texts(100), { type: 'section', components: texts(99) }))).toEqual(
      [],
    );
    expect(
      problems(Card, card(...texts(100), { type: 'section', components: texts(100) })),
    ).toEqual([
      'components: a card may hold at most 200 components, counting those inside sections and forms (this one holds 201)',
    ]);
  });

  it.each([
    ['thousands of valid components', () => ({ type: 'divider' })],
    ['thousands of unknown components', () => ({ type: 'nope' })],
    ['thousands of nulls', () => null],
  ])('answers %s with one message, not one per component', (_, make) => {
    const many = card(...Array.from({ length: 20_000 }, make));
    expect(problems(Card, many)).toEqual([
      'components: a card may hold at most 200 components, counting those inside sections and forms (this one holds 20000)',
    ]);
  });

  it('nests four levels of components and refuses a fifth, however deep the card goes', () => {
    expect(problems(Card, card(nested(4)))).toEqual([]);
    const five = problems(Card, card(nested(5)));
    expect(five).toEqual([
      "components.0.components.0.components.0.components.0.components: nests components more than 4 levels deep (the card's own list is level 1, each section or form adds one); flatten the card",
    ]);
    const started = performance.now();
    expect(problems(Card, card(nested(50_000)))).toEqual(five);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems(Card, card({ type: 'section', components: [form()] }))).toEqual([]);
  });

  const long = (n: number) => 'x'.repeat(n);
  it.each([
    [card({ type: 'text', text: long(2001) }), 'components.0.text', 2000],
    [card({ type: 'heading', text: long(201) }), 'components.0.text', 200],
    [{ ...card(), title: long(201) }, 'title', 200],
    [card({ type: 'badge', text: long(1_000_000) }), 'components.0.text', 200],
    [
      card({ type: 'keyValue', items: [{ label: 'a', value: long(501) }] }),
      'components.0.items.0.value',
      500,
    ],
    [card({ type: 'table', columns: ['a'], rows: [[long(501)]] }), 'components.0.rows.0.0', 500],
    [
      card({ type: 'button', text: 'x', action: 'a', confirm: long(501) }),
      'components.0.confirm',
      500,
    ],
    [
      card(form({ type: 'input', name: 'a', label: long(201) })),
      'components.0.components.0.label',
      200,
    ],
    [
      card(form({ type: 'textarea', name: 'a', label: 'A', value: long(2001) })),
      'components.0.components.0.value',
      2000,
    ],
  ])('refuses a string past its limit with one message (%#)', (value, path, max) => {
    const found = problems(Card, value);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(
        `^${path.replace(/\./g, '\\.')}: must be at most ${max} characters \\(it has \\d+\\)$`,
      ),
    );
  });

  it.each([
    [
      card({ type: 'table', columns: Array.from({ length: 11 }, () => 'c'), rows: [] }),
      'components.0.columns: may hold at most 10 columns (it has 11)',
    ],
    [
      card({ type: 'table', columns: [], rows: [] }),
      'components.0.columns: must hold at least 1 columns',
    ],
    [
      card({ type: 'table', columns: ['a'], rows: Array.from({ length: 51 }, () => ['x']) }),
      'components.0.rows: may hold at most 50 rows (it has 51)',
    ],
    [
      card({ type: 'table', columns: ['a'], rows: [Array.from({ length: 100_000 }, () => 'x')] }),
      'components.0.rows.0: may hold at most 10 cells (it has 100000)',
    ],
    [
      card({ type: 'table', columns: ['a', 'b'], rows: [['x']] }),
      'components.0.rows.0: has 1 cells but the table has 2 columns; use null for an empty cell',
    ],
    [
      card({ type: 'table', columns: ['a'], rows: [[{ html: 'x' }]] }),
      'components.0.rows.0.0: must be a string, a number or null',
    ],
    [
      card({
        type: 'keyValue',
        items: Array.from({ length: 51 }, () => ({ label: 'a', value: 1 })),
      }),
      'components.0.items: may hold at most 50 items (it has 51)',
    ],
    [
      card(
        form({
          type: 'select',
          name: 's',
          label: 'S',
          options: Array.from({ length: 51 }, (_, i) => ({ label: 'o', value: String(i) })),
        }),
      ),
      'components.0.components.0.options: may hold at most 50 options (it has 51)',
    ],
    [
      card(form({ type: 'select', name: 's', label: 'S', options: [] })),
      'components.0.components.0.options: must hold at least 1 options',
    ],
    [
      card({ type: 'image', url: 'https://a.example/i.png', alt: 'x', width: 5000 }),
      'components.0.width: must be from 1 to 1200 pixels',
    ],
    [
      card({ type: 'image', url: 'https://a.example/i.png', alt: 'x', height: 0 }),
      'components.0.height: must be from 1 to 1200 pixels',
    ],
    [
      card({ type: 'image', url: 'https://a.example/i.png', alt: 'x', height: 1.5 }),
      'components.0.height: must be a whole number of pixels',
    ],
  ])('holds tables, lists and images to their limits (%#)', (value, message) => {
    expect(problems(Card, value)).toEqual([message]);
  });

  const HOSTILE_URLS = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'JavaScript:alert(1)',
    '  javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    '\u0000javascript:alert(1)',
    'javascript\u0000:alert(1)',
    '\u200Bjavascript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'javascript&colon;alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'DATA:image/png;base64,AAAA',
    'vbscript:msgbox(1)',
    'http://shop.example/orders',
    'HTTP://shop.example/orders',
    '//evil.example/x',
    '\\\\evil.example\\x',
    '/relative/path',
    'shop.example/orders',
    'file:///etc/passwd',
    'blob:https://shop.example/0b0e',
    'ftp://shop.example/x',
    'https://user:secret@shop.example/',
    'https://shop.example@evil.example/',
    'https://shop .example/',
    'https://shop.example/\u202Egnp.exe',
    '',
    '   ',
    `https://shop.example/${'a'.repeat(2048)}`,
  ];

  it.each(HOSTILE_URLS)('refuses %j as a link, an image and to the renderer', (url) => {
    const link = problems(Card, card({ type: 'link', text: 'Open', url }));
    const image = problems(Card, card({ type: 'image', url, alt: 'x' }));
    expect(link).toEqual([expect.stringMatching(/^components\.0\.url: /)]);
    expect(image).toEqual([expect.stringMatching(/^components\.0\.url: /)]);
    expect(safeCardUrl(url, LINK_SCHEMES)).toBeNull();
    expect(safeCardUrl(url, IMAGE_SCHEMES)).toBeNull();
  });

  it.each([
    ['javascript:alert(1)', 'may only use https:, mailto:, tel:; this one uses "javascript:"'],
    ['http://shop.example', 'may only use https:, mailto:, tel:; this one uses "http:"'],
    ['//evil.example/x', 'must start with its scheme (https:, mailto:, tel:)'],
    ['java\tscript:alert(1)', 'cannot contain spaces, control or invisible characters'],
    ['https://a@evil.example', 'cannot carry a user name or password'],
    ['/orders/1', 'must be an absolute URL starting with https:, mailto:, tel:'],
  ])('says why %j is refused', (url, message) => {
    expect(problems(Card, card({ type: 'link', text: 'Open', url }))[0]).toContain(message);
  });

  it('accepts https, mailto and tel links in any case, trimmed; images only over https', () => {
    const links = [
      'https://shop.example/o/1',
      'HTTPS://shop.example',
      'mailto:a@shop.example',
      'MailTo:a@shop.example',
      'tel:+14155550123',
      '  https://shop.example/x  ',
    ];
    for (const url of links) {
      const parsed = Card.parse(card({ type: 'link', text: 'Open', url }));
      expect((parsed.components[0] as { url: string }).url).toBe(url.trim());
    }
    expect(problems(Card, card({ type: 'image', url: 'mailto:a@shop.example', alt: 'x' }))).toEqual(
      ['components.0.url: may only use https:; this one uses "mailto:"'],
    );
    expect(problems(Card, card({ type: 'image', url: 'tel:+1415', alt: 'x' }))).toHaveLength(1);
    expect(problems(Card, card({ type: 'image', url: 'https://a.example/i.png' }))).toEqual([
      'components.0.alt: is required',
    ]);
    expect(
      problems(Card, card({ type: 'image', url: 'https://a.example/i.png', alt: '\u200B' })),
    ).toEqual(['components.0.alt: cannot be only invisible characters']);
  });

  it.each(['input', 'textarea', 'select', 'checkbox'])(
    'refuses %s without a name, saying every input needs one',
    (type) => {
      const field = {
        type,
        label: 'Amount',
        ...(type === 'select' ? { options: [{ label: 'A', value: 'a' }] } : {}),
      };
      expect(problems(Card, card(form(field)))).toEqual([
        'components.0.components.0.name: every input needs a name: the key its value is sent under',
      ]);
    },
  );

  it.each(['', 'has space', 'x'.repeat(65), 'montant€', 'a/b', '__proto__', 'constructor'])(
    'refuses the input name %j',
    (name) => {
      expect(problems(Card, card(form({ type: 'input', name, label: 'A' })))).toEqual([
        expect.stringMatching(
          /^components\.0\.components\.0\.name: (must be 1 to 64 letters|is reserved)/,
        ),
      ]);
    },
  );

  it('refuses two inputs of one form with the same name, and a form with no button', () => {
    const twice = card({
      type: 'form',
      components: [
        { type: 'input', name: 'amount', label: 'Amount' },
        { type: 'checkbox', name: 'amount', label: 'Full amount' },
        { type: 'button', text: 'Refund', action: 'refund' },
      ],
    });
    expect(problems(Card, twice)).toEqual([
      'components.0.components.1.name: repeats the name of components.0 ("amount"); each input of a form needs its own',
    ]);
    expect(
      problems(
        Card,
        card({ type: 'form', components: [{ type: 'input', name: 'a', label: 'A' }] }),
      ),
    ).toEqual(['components.0.components: a form needs a button: the button sends its inputs']);
    // Two forms may each have an "amount".
    expect(
      problems(
        Card,
        card(form({ type: 'input', name: 'amount', label: 'A' }), {
          ...form({ type: 'input', name: 'amount', label: 'A' }),
          components: [
            { type: 'input', name: 'amount', label: 'A' },
            { type: 'button', text: 'Go', action: 'other' },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses two buttons with one action anywhere in the card', () => {
    const value = card(
      { type: 'button', text: 'Refund', action: 'refund' },
      { type: 'section', components: [form({ type: 'button', text: 'Again', action: 'refund' })] },
    );
    expect(problems(Card, value)).toEqual([
      'components.1.components.0.components.0.action: repeats the action of components.0 ("refund"); give each button its own action id, such as refund:ORD-1042',
    ]);
  });

  it.each(['', 'refund order', 'x'.repeat(65), 'refund/1', 'réembourser', undefined])(
    'refuses the action id %j',
    (action) => {
      expect(problems(Card, card({ type: 'button', text: 'Go', action }))).toEqual([
        expect.stringMatching(/^components\.0\.action: (must be 1 to 64|is required)/),
      ]);
    },
  );

  it('keeps inputs inside forms, and sections and forms out of forms', () => {
    expect(problems(Card, card({ type: 'input', name: 'a', label: 'A' }))).toEqual([
      'components.0.type: an input goes inside a form, with the button that sends it: {"type": "form", "components": […]}',
    ]);
    expect(problems(Card, card(form({ type: 'form', components: [] })))).toEqual([
      'components.0.components.0.type: a form cannot hold a form; put the form inside the section instead',
    ]);
    expect(problems(Card, card(form({ type: 'section', components: [] })))[0]).toContain(
      'a form cannot hold a section',
    );
  });

  it('refuses select values that are not options, repeated options and too long defaults', () => {
    const select = (extra: object) =>
      card(
        form({
          type: 'select',
          name: 's',
          label: 'S',
          options: [
            { label: 'A', value: 'a' },
            { label: 'B', value: 'b' },
          ],
          ...extra,
        }),
      );
    expect(problems(Card, select({ value: 'c' }))).toEqual([
      'components.0.components.0.value: must be the value of one of the options',
    ]);
    expect(
      problems(
        Card,
        select({
          options: [
            { label: 'A', value: 'a' },
            { label: 'A2', value: 'a' },
          ],
        }),
      ),
    ).toEqual([
      'components.0.components.0.options.1.value: repeats the value "a"; each option needs its own',
    ]);
    expect(
      problems(
        Card,
        card(form({ type: 'input', name: 'a', label: 'A', maxLength: 3, value: 'four' })),
      ),
    ).toEqual(["components.0.components.0.value: is longer than the field's maxLength (3)"]);
  });

  const CONTROLS = [
    '\u0000',
    '\u0007',
    '\b',
    '\u000B',
    '\f',
    '\r',
    '\u001B',
    '\u007F',
    '\u0085',
    '\u009F',
  ];
  it.each(CONTROLS)('refuses the control character %j in every string a card shows', (char) => {
    const name = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    const places: [unknown, string][] = [
      [card({ type: 'text', text: `a${char}b` }), 'components.0.text'],
      [card({ type: 'heading', text: `a${char}b` }), 'components.0.text'],
      [{ ...card(), title: `a${char}b` }, 'title'],
      [
        card({ type: 'keyValue', items: [{ label: `a${char}`, value: 'v' }] }),
        'components.0.items.0.label',
      ],
      [card({ type: 'table', columns: ['a'], rows: [[`a${char}`]] }), 'components.0.rows.0.0'],
      [card({ type: 'button', text: `Go${char}`, action: 'go' }), 'components.0.text'],
      [
        card(form({ type: 'input', name: 'a', label: 'A', placeholder: `p${char}` })),
        'components.0.components.0.placeholder',
      ],
    ];
    for (const [value, path] of places) {
      expect(problems(Card, value)).toEqual([
        `${path}: contains the control character ${name}; only line feeds (\\n) and tabs (\\t) may appear`,
      ]);
    }
    expect(problems(ActionAnswer, { note: `a${char}b` })[0]).toMatch(
      /^note: contains the control character/,
    );
  });

  it('refuses half a surrogate pair, which no text encoding can store', () => {
    expect(problems(Card, card({ type: 'text', text: 'a\uD800b' }))).toEqual([
      'components.0.text: contains an invalid character (unpaired surrogate)',
    ]);
  });
});

describe('the answers', () => {
  it('take a card answer with its card', () => {
    expect(CardAnswer.parse({ card: card({ type: 'text', text: 'x' }) }).card.version).toBe(1);
    expect(problems(CardAnswer, { card: card(), ttl: 60 })).toEqual([
      '(root): unknown key "ttl" in a card answer such as {"card": {"version": 1, "components": […]}}; it takes card',
    ]);
  });

  it('take an action answer with any of a card, a result and a note', () => {
    const good = [
      { card: card({ type: 'text', text: 'Refunded' }) },
      { result: { status: 'success', message: 'Refunded €249' } },
      { result: { status: 'error', message: 'The order is already refunded' } },
      { note: 'Refunded ORD-1 (€249) by Ada' },
      { card: card(), result: { status: 'success', message: 'Done' }, note: 'Done' },
    ];
    for (const answer of good) expect(problems(ActionAnswer, answer)).toEqual([]);
    expect(problems(ActionAnswer, {})).toEqual([
      '(root): an action answer needs at least one of card, result or note',
    ]);
    expect(problems(ActionAnswer, { result: { status: 'ok', message: 'x' } })).toEqual([
      'result.status: must be success or error',
    ]);
    expect(
      problems(ActionAnswer, { result: { status: 'success', message: 'x'.repeat(501) } }),
    ).toEqual(['result.message: must be at most 500 characters (it has 501)']);
    expect(problems(ActionAnswer, { note: 'x'.repeat(2001) })).toEqual([
      'note: must be at most 2000 characters (it has 2001)',
    ]);
  });

  it.each([
    'message',
    'messages',
    'reply',
    'replies',
    'visitorMessage',
    'visitorReply',
    'sendMessage',
  ])('refuses an action answer that tries to message the visitor with %j', (key) => {
    for (const answer of [{ [key]: 'Your refund is on its way' }, { note: 'ok', [key]: ['hi'] }]) {
      expect(problems(ActionAnswer, answer)).toEqual([
        `(root): "${key}": actions cannot message the visitor; answer with "note" to record something in the conversation for agents only, or "result" to tell the agent how it went`,
      ]);
    }
  });

  it('names any other unknown key of an action answer', () => {
    expect(problems(ActionAnswer, { note: 'x', status: 'ok' })).toEqual([
      '(root): unknown key "status" in an action answer; it takes card, result, note',
    ]);
  });
});

const CONTEXT = {
  project: { id: 'acme', name: 'Acme' },
  conversation: { id: 'conv_1', status: 'open', assignee: { id: 'agt_1', name: 'Ada' } },
  contact: {
    externalId: 'u_1001',
    identity: 'verified',
    profile: {
      name: 'Alice Martin',
      firstName: 'Alice',
      lastName: 'Martin',
      email: 'alice@shop.example',
      phone: null,
      avatarUrl: null,
      metadata: { plan: 'Pro' },
    },
    properties: { plan: 'Pro' },
  },
};

describe('what Palaver sends', () => {
  it('describes the conversation for a card request, the contact or null', () => {
    expect(CardContext.parse(CONTEXT)).toEqual(CONTEXT);
    const anonymous = {
      ...CONTEXT,
      conversation: { ...CONTEXT.conversation, assignee: null },
      contact: null,
    };
    expect(CardContext.parse(anonymous)).toEqual(anonymous);
    expect(
      problems(CardContext, { ...CONTEXT, contact: { ...CONTEXT.contact, identity: 'trusted' } }),
    ).toHaveLength(1);
  });

  it('sends an action with its inputs, context, agent and idempotency key', () => {
    const request = {
      action: 'refund:ORD-1',
      inputs: { amount: '249', notify: true },
      context: CONTEXT,
      agent: { id: 'agt_1', name: 'Ada', email: 'ada@acme.example', role: 'admin' },
      idempotencyKey: 'act_01HZX',
    };
    expect(ActionRequest.parse(request)).toEqual(request);
    expect(problems(ActionRequest, { ...request, inputs: { amount: 249 } })).toEqual([
      'inputs.amount: must be a string or true/false',
    ]);
    expect(problems(ActionRequest, { ...request, inputs: { 'bad name': 'x' } })[0]).toMatch(
      /^inputs\.bad name: /,
    );
  });
});

describe('what an agent submits through a card', () => {
  const parsed = Card.parse(EVERY_COMPONENT);
  const refund = (inputs: Record<string, unknown>, role: 'admin' | 'agent' = 'admin') =>
    checkActionInputs(parsed, 'refund:ORD-1', inputs, role);

  it('fills the inputs of the form a button sends, so a site always gets the same keys', () => {
    const checked = refund({ amount: '249', method: 'credit' });
    expect(checked).toMatchObject({
      ok: true,
      inputs: { amount: '249', why: '', method: 'credit', notify: false },
    });
    expect(checkActionInputs(parsed, 'resend:ORD-1', {}, 'agent')).toMatchObject({
      ok: true,
      inputs: {},
    });
  });

  it.each([
    [
      () => checkActionInputs(parsed, 'delete-everything', {}, 'admin'),
      'action',
      'This card has no button for "delete-everything"; refresh the card and try again',
    ],
    [
      () => refund({ amount: '1', method: 'card' }, 'agent'),
      'action',
      'Only admins may use “Refund”',
    ],
    [
      () => refund({ amount: '1', method: 'card', extra: 'x' }),
      'inputs.extra',
      '"extra" is not an input of the form this button sends',
    ],
    [
      () =>
        refund(
          JSON.parse('{"amount":"1","method":"card","__proto__":"x"}') as Record<string, unknown>,
        ),
      'inputs.__proto__',
      '"__proto__" is not an input of the form this button sends',
    ],
    [() => refund({ method: 'card' }), 'inputs.amount', '“Amount” is required'],
    [() => refund({ amount: '   ', method: 'card' }), 'inputs.amount', '“Amount” is required'],
    [
      () => refund({ amount: '12345678901', method: 'card' }),
      'inputs.amount',
      '“Amount”: use at most 10 characters',
    ],
    [() => refund({ amount: 249, method: 'card' }), 'inputs.amount', '“Amount”: expected text'],
    [
      () => refund({ amount: '1', method: 'cash' }),
      'inputs.method',
      '“Method”: choose one of the options',
    ],
    [
      () => refund({ amount: '1', method: 'card', notify: 'yes' }),
      'inputs.notify',
      '“Email the customer”: expected true or false',
    ],
    [
      () => refund({ amount: '1\u0000', method: 'card' }),
      'inputs.amount',
      '“Amount”: remove the invisible control characters',
    ],
    [
      () => refund({ amount: '1', method: 'card', why: 'x'.repeat(2001) }),
      'inputs.why',
      '“Reason”: use at most 2000 characters',
    ],
    [
      () => checkActionInputs(parsed, 'resend:ORD-1', { amount: '1' }, 'admin'),
      'inputs.amount',
      '"amount" is not an input of the form this button sends',
    ],
  ])('refuses a submission that does not fit its form (%#)', (submit, path, message) => {
    expect(submit()).toEqual({ ok: false, problems: [{ path, message }] });
  });
});
