import { describe, expect, it } from 'vitest';
import { formatAnswerPath, parseAnswerPath, resolveAnswerPath } from './answer-path.js';

const segments = (text: string) => {
  const parsed = parseAnswerPath(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.segments;
};
const problem = (text: string) => {
  const parsed = parseAnswerPath(text);
  return parsed.ok ? null : parsed.problem;
};
const at = (root: unknown, text: string) => resolveAnswerPath(root, segments(text));

const answer = {
  data: {
    attributes: {
      firstName: 'Ada',
      emails: [{ email: 'ada@example.com' }, { email: 'second@example.com' }],
      'a/b': 1,
      'm~n': 2,
      'dotted.key': 3,
      '': 4,
    },
    id: 'u-1',
  },
};

describe('answer paths', () => {
  it('reads dot paths with bracket or dot indexes, and JSON Pointers', () => {
    expect(segments('data.attributes.emails[0].email')).toEqual([
      'data',
      'attributes',
      'emails',
      '0',
      'email',
    ]);
    expect(segments('data.attributes.emails.0.email')).toEqual(
      segments('data.attributes.emails[0].email'),
    );
    expect(segments('/data/attributes/emails/0/email')).toEqual(
      segments('data.attributes.emails[0].email'),
    );
    expect(segments('matrix[1][2]')).toEqual(['matrix', '1', '2']);
  });

  it('unescapes ~1 then ~0 in pointers (RFC 6901), so ~01 is a literal ~1', () => {
    expect(segments('/data/attributes/a~1b')).toEqual(['data', 'attributes', 'a/b']);
    expect(segments('/data/attributes/m~0n')).toEqual(['data', 'attributes', 'm~n']);
    expect(segments('/x~01')).toEqual(['x~1']);
    expect(at(answer, '/data/attributes/a~1b')).toEqual({ found: true, value: 1 });
    expect(at(answer, '/data/attributes/dotted.key')).toEqual({ found: true, value: 3 });
    expect(at(answer, '/data/attributes/')).toEqual({ found: true, value: 4 });
  });

  it('resolves values and says when nothing is there', () => {
    expect(at(answer, 'data.attributes.emails[0].email')).toEqual({
      found: true,
      value: 'ada@example.com',
    });
    expect(at(answer, 'data.attributes.emails.1.email').found).toBe(true);
    expect(at(answer, 'data.attributes.emails[2].email')).toEqual({ found: false });
    expect(at(answer, 'data.attributes.firstName.length')).toEqual({ found: false });
    expect(at(answer, 'data.missing')).toEqual({ found: false });
    expect(at({ list: [1] }, 'list.01')).toEqual({ found: false });
    expect(at({ list: [1] }, 'list.length')).toEqual({ found: false });
  });

  it("never reads through a prototype: toString or hasOwnProperty are not the answer's", () => {
    expect(at({}, 'toString')).toEqual({ found: false });
    expect(at({ a: {} }, 'a.hasOwnProperty')).toEqual({ found: false });
  });

  it('refuses paths that cannot be read, saying how to write them', () => {
    expect(problem('')).toMatch(/Enter a path/);
    expect(problem(' data.name')).toMatch(/spaces/);
    expect(problem('data..name')).toMatch(/empty part/);
    expect(problem('data.name.')).toMatch(/empty part/);
    expect(problem('emails[x]')).toMatch(/brackets/);
    expect(problem('emails[0')).toMatch(/brackets/);
    expect(problem('/a/~2')).toMatch(/~0/);
    expect(problem('/a/b~')).toMatch(/~0/);
    expect(problem('data.__proto__.x')).toMatch(/__proto__ cannot be mapped/);
    expect(problem('/constructor')).toMatch(/constructor cannot be mapped/);
    expect(problem(Array.from({ length: 21 }, () => 'a').join('.'))).toMatch(/at most 20/);
  });

  it('formats a path dotted when it can, as a pointer otherwise, and both read back the same', () => {
    expect(formatAnswerPath(['data', 'emails', 0, 'email'])).toBe('data.emails[0].email');
    expect(formatAnswerPath(['data', 'a/b'])).toBe('/data/a~1b');
    expect(formatAnswerPath(['m~n', 'x y'])).toBe('/m~0n/x y');
    for (const path of [['data', 'a/b'], ['m~n', 'x.y', ''], ['first-name']]) {
      expect(segments(formatAnswerPath(path))).toEqual(path);
    }
  });
});
