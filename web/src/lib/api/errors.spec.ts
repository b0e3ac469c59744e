import { describe, expect, it } from 'vitest';
import { apiErrorFrom, fieldErrorsOf } from './errors.js';

describe('fieldErrorsOf', () => {
  it('accepts the issue array or an object holding `issues`', () => {
    const issues = [{ path: ['displayName'], message: 'too short', code: 'too_small' }];
    expect(fieldErrorsOf(issues)).toEqual({
      displayName: { message: 'too short', code: 'too_small' },
    });
    expect(fieldErrorsOf({ issues })).toEqual({
      displayName: { message: 'too short', code: 'too_small' },
    });
  });

  it('joins nested paths, drops the request part, and keeps form-wide issues under ""', () => {
    expect(
      fieldErrorsOf([
        { path: ['body', 'languages', 2], message: 'bad code' },
        { path: [], message: 'nothing to change' },
      ]),
    ).toEqual({ 'languages.2': { message: 'bad code' }, '': { message: 'nothing to change' } });
  });

  it('ignores anything that is not an issue', () => {
    expect(fieldErrorsOf(undefined)).toEqual({});
    expect(fieldErrorsOf('oops')).toEqual({});
    expect(fieldErrorsOf([null, 3, { path: 'x', message: 'y' }, { path: ['a'] }])).toEqual({});
  });
});

describe('apiErrorFrom', () => {
  it('reads the one error shape', () => {
    const err = apiErrorFrom(409, {
      error: { code: 'CONFLICT', message: 'taken', details: { field: 'email' } },
    });
    expect(err).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      message: 'taken',
      details: { field: 'email' },
    });
  });

  it('treats unknown codes and foreign shapes as INTERNAL', () => {
    expect(apiErrorFrom(418, { error: { code: 'TEAPOT', message: 'x' } }).code).toBe('INTERNAL');
    expect(apiErrorFrom(500, null).code).toBe('INTERNAL');
  });
});
