import { describe, expect, it } from 'vitest';
import { describeAnswer } from './answer-shape.js';

describe("an answer's shape", () => {
  const answer = {
    data: {
      attributes: {
        firstName: 'Ada',
        emails: [{ email: 'ada@example.com' }, { email: 'b@example.com' }],
        phone: '+44 20 7946 0958',
        card: '4111111111111111',
        billing: { iban: 'GB82WEST12345698765432' },
        tag: '4242424242424242',
        age: 36,
        admin: false,
        nickname: null,
      },
    },
  };

  it('lists keys, types and sizes in document order, with paths ready to map', () => {
    const { rows, truncated } = describeAnswer(answer);
    expect(truncated).toBe(false);
    expect(rows.map((r) => [r.path, r.depth, r.summary, r.dropped])).toEqual([
      ['data', 0, 'object (1 key)', null],
      ['data.attributes', 1, 'object (9 keys)', null],
      ['data.attributes.firstName', 2, 'string (3 chars)', null],
      ['data.attributes.emails', 2, 'array (2 items; the first is shown)', null],
      ['data.attributes.emails[0]', 3, 'object (1 key)', null],
      ['data.attributes.emails[0].email', 4, 'string (15 chars, like an email address)', null],
      ['data.attributes.phone', 2, 'string (16 chars, digits)', null],
      ['data.attributes.card', 2, 'string (16 chars, digits)', 'sensitive_key'],
      ['data.attributes.billing', 2, 'object (1 key)', null],
      ['data.attributes.billing.iban', 3, 'string (22 chars)', 'sensitive_key'],
      ['data.attributes.tag', 2, 'string (16 chars, digits)', 'card_number'],
      ['data.attributes.age', 2, 'number', null],
      ['data.attributes.admin', 2, 'boolean', null],
      ['data.attributes.nickname', 2, 'null', null],
    ]);
  });

  it('never contains a value', () => {
    const text = JSON.stringify(describeAnswer(answer));
    for (const value of ['Ada', 'ada@example.com', '7946', '4111', 'GB82', '4242', '36']) {
      expect(text).not.toContain(value);
    }
  });

  it('stops at a bounded size and depth, and says so', () => {
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    expect(describeAnswer(wide)).toMatchObject({ truncated: true });
    expect(describeAnswer(wide).rows).toHaveLength(200);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i += 1) deep = { d: deep };
    const described = describeAnswer(deep);
    expect(described.truncated).toBe(true);
    expect(described.rows.length).toBeLessThanOrEqual(8);
  });
});
