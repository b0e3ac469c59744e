import { identityRoutes } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { validateInput } from './validate-input.js';

const r = identityRoutes;

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('validateInput', () => {
  it('passes valid input through the route schemas (with defaults and coercion)', () => {
    const out = validateInput(r.adminMembers, {
      params: {},
      query: { limit: '10' },
      body: undefined,
    });
    expect(out.query).toEqual({ offset: 0, limit: 10, status: 'all' });
    const login = validateInput(r.login, {
      params: {},
      query: {},
      body: { email: 'a@b.org', password: 'pw' },
    });
    expect(login.body).toEqual({ email: 'a@b.org', password: 'pw' });
  });

  it('rejects $-prefixed keys before schema validation, in body and query', () => {
    const e = failure(() =>
      validateInput(r.login, {
        params: {},
        query: {},
        body: { email: { $gt: '' }, password: 'x' },
      }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toEqual([
      expect.objectContaining({ in: 'body', path: ['email', '$gt'], code: 'forbidden_key' }),
    ]);
    const q = failure(() =>
      validateInput(r.adminMembers, { params: {}, query: { $where: '1' }, body: undefined }),
    );
    expect(q.details).toEqual([expect.objectContaining({ in: 'query', path: ['$where'] })]);
  });

  it('rejects unknown fields (strict schemas) and reports every problem', () => {
    const e = failure(() =>
      validateInput(r.meUpdate, {
        params: {},
        query: { x: '1' },
        body: { bio: 'hi', isAdmin: true },
      }),
    );
    expect(e.status).toBe(400);
    const details = e.details as { in: string; code: string }[];
    expect(details.map((d) => d.in).sort()).toEqual(['body', 'query']);
    expect(details.find((d) => d.in === 'body')?.code).toBe('unrecognized_keys');
  });

  it('validates path params', () => {
    const e = failure(() =>
      validateInput(r.memberGet, { params: { id: 'nope' }, query: {}, body: undefined }),
    );
    expect(e.details).toEqual([expect.objectContaining({ in: 'params', path: ['id'] })]);
    expect(() =>
      validateInput(r.memberGet, { params: { id: 'a'.repeat(24) }, query: {}, body: undefined }),
    ).not.toThrow();
  });

  it('refuses a body on a route that takes none', () => {
    expect(
      failure(() => validateInput(r.meGet, { params: {}, query: {}, body: { a: 1 } })).code,
    ).toBe('VALIDATION_FAILED');
  });

  it('checks params of a binary route and leaves its body unread (read after the guard)', () => {
    const ok = validateInput(r.meImage, { params: { kind: 'avatar' }, query: {}, body: undefined });
    expect(ok).toEqual({ params: { kind: 'avatar' }, query: {}, body: undefined });
    const e = failure(() =>
      validateInput(r.meImage, { params: { kind: 'banner' }, query: {}, body: undefined }),
    );
    expect(e.details).toEqual([expect.objectContaining({ in: 'params', path: ['kind'] })]);
  });

  it('treats a missing JSON body as empty', () => {
    expect(validateInput(r.refresh, { params: {}, query: {}, body: undefined }).body).toEqual({});
    expect(
      failure(() => validateInput(r.register, { params: {}, query: {}, body: undefined })).code,
    ).toBe('VALIDATION_FAILED');
  });
});
