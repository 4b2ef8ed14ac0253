import { describe, expect, it } from 'vitest';
import { CreateAgentRequest } from '../../protocol/index.js';
import { check, messageFor, originsOf } from './form.js';

describe('originsOf', () => {
  it('keeps one origin per non-empty line and drops a pasted trailing slash', () => {
    expect(originsOf(' https://a.test \n\nhttps://B.test/\nhttp://localhost:8787/')).toEqual([
      'https://a.test',
      'https://b.test',
      'http://localhost:8787',
    ]);
  });

  it('leaves anything that is not a bare origin for the schema to reject', () => {
    expect(originsOf('https://a.test/shop\na.test/\nhttps://a.test/?q=1')).toEqual([
      'https://a.test/shop',
      'a.test/',
      'https://a.test/?q=1',
    ]);
  });
});

describe('check', () => {
  it('replaces zod/mini’s generic “Invalid input” with what to do', () => {
    const problems = check(CreateAgentRequest, {
      email: 'x@y.z',
      name: '',
      password: 'long enough password',
      role: 'boss',
      projectIds: [],
    });

    expect(messageFor(problems, 'name')).toBe('This field is required');
    expect(messageFor(problems, 'role')).toBe('Choose one of the options');
  });

  it('reports list items by line number', () => {
    expect(messageFor([{ path: 'allowedOrigins.1', message: 'Bad' }], 'allowedOrigins')).toBe(
      'Line 2: Bad',
    );
  });
});
