import { describe, expect, it } from 'vitest';
import { checkIdentity, checkInitOptions } from './options.js';

describe('checkInitOptions', () => {
  it('keeps every valid option and reports nothing', () => {
    const input = {
      projectId: 'shop',
      externalUserId: 'user-42',
      userToken: 'eyJhbGciOiJIUzI1NiJ9.e30.sig',
      userHash: 'a'.repeat(64),
      locale: 'pt-BR',
      color: '#1A2b3C',
      position: 'left',
      zIndex: 0,
    };

    expect(checkInitOptions(input, null)).toEqual({ value: input, problems: [] });
  });

  it('drops each invalid field, keeps the rest and names every problem', () => {
    const { value, problems } = checkInitOptions(
      {
        projectId: 'shop',
        externalUserId: 42,
        color: 'red',
        position: 'top',
        zIndex: -1,
        colour: '#ffffff',
        locale: 'en',
      },
      null,
    );

    expect(value).toEqual({ projectId: 'shop', locale: 'en' });
    expect(problems).toEqual([
      'invalid externalUserId 42',
      'invalid color "red"',
      'invalid position "top"',
      'invalid zIndex -1',
      'unknown option "colour"',
    ]);
  });

  it.each([
    ['a newline', 'user\n42'],
    ['a NUL', 'user\u000042'],
    ['a DEL', 'user\u007f'],
    ['a C1 control', 'user\u0085'],
    // The server refuses these with a 422, which would end the widget: drop the id instead.
    ['a right-to-left override', 'user\u202e42'],
    ['a zero-width space', 'user\u200b42'],
    ['a byte order mark', '\ufeffuser42'],
    ['a line separator', 'user\u202842'],
    ['a lone surrogate', 'user\ud80042'],
  ])('refuses an externalUserId with %s in it', (_label, externalUserId) => {
    const { value, problems } = checkInitOptions({ projectId: 'shop', externalUserId }, null);

    expect(value).toEqual({ projectId: 'shop' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^invalid externalUserId /);
  });

  it.each([['#fff'], ['#12345g'], ['4f46e5'], ['#4f46e5 ; background:red']])(
    'refuses the colour %j',
    (color) => {
      expect(checkInitOptions({ projectId: 'shop', color }, null).value).toEqual({
        projectId: 'shop',
      });
    },
  );

  it.each([[1.5], [2 ** 31], ['10'], [Number.NaN]])('refuses the zIndex %j', (zIndex) => {
    const { value, problems } = checkInitOptions({ projectId: 'shop', zIndex }, null);

    expect(value).toEqual({ projectId: 'shop' });
    expect(problems).toHaveLength(1);
  });

  it('refuses over-long identity fields', () => {
    const { value, problems } = checkInitOptions(
      { projectId: 'shop', externalUserId: 'x'.repeat(257), userToken: 't'.repeat(4097) },
      null,
    );

    expect(value).toEqual({ projectId: 'shop' });
    expect(problems).toHaveLength(2);
  });

  it('treats null and undefined fields as not given', () => {
    expect(
      checkInitOptions({ projectId: 'shop', color: null, externalUserId: undefined }, null),
    ).toEqual({ value: { projectId: 'shop' }, problems: [] });
  });

  it('takes the project from the script tag when init names none', () => {
    expect(checkInitOptions({}, 'from-tag')).toEqual({
      value: { projectId: 'from-tag' },
      problems: [],
    });
    expect(checkInitOptions(undefined, 'from-tag').value).toEqual({ projectId: 'from-tag' });
  });

  it('prefers the projectId passed to init over the script tag', () => {
    expect(checkInitOptions({ projectId: 'from-init' }, 'from-tag').value).toEqual({
      projectId: 'from-init',
    });
  });

  it('gives no options at all without a project', () => {
    expect(checkInitOptions({ color: '#000000' }, null)).toEqual({
      value: null,
      problems: ['projectId is required'],
    });
    expect(checkInitOptions({ projectId: 7 }, null)).toEqual({
      value: null,
      problems: ['invalid projectId 7', 'projectId is required'],
    });
    expect(checkInitOptions(undefined, null).value).toBeNull();
  });
});

describe('checkIdentity', () => {
  it('keeps a valid identity', () => {
    const identity = { externalUserId: 'user-42', userToken: 'tok', userHash: 'hash' };

    expect(checkIdentity(identity)).toEqual({ value: identity, problems: [] });
  });

  it('requires externalUserId', () => {
    expect(checkIdentity({ userToken: 'tok' })).toEqual({
      value: null,
      problems: ['externalUserId is required'],
    });
    expect(checkIdentity('user-42').value).toBeNull();
  });

  it('refuses options that only init takes, and bad ids', () => {
    expect(checkIdentity({ externalUserId: 'u1', projectId: 'other', color: '#000000' })).toEqual({
      value: { externalUserId: 'u1' },
      problems: ['unknown option "projectId"', 'unknown option "color"'],
    });
    expect(checkIdentity({ externalUserId: 42 })).toEqual({
      value: null,
      problems: ['invalid externalUserId 42', 'externalUserId is required'],
    });
    expect(checkIdentity({ externalUserId: 'a\tb' }).value).toBeNull();
  });
});
