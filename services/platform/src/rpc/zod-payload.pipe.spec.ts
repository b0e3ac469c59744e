import { identityRpc } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { RpcFailure } from './rpc-failure.js';
import { ZodPayloadPipe } from './zod-payload.pipe.js';

describe('ZodPayloadPipe', () => {
  const pipe = new ZodPayloadPipe(identityRpc.invitationCreate.request);

  it('returns the parsed payload (defaults applied, strings trimmed)', () => {
    expect(pipe.transform({ email: '  ana@example.org ' })).toEqual({
      email: 'ana@example.org',
      message: '',
    });
  });

  it('throws VALIDATION_FAILED with the issues for a bad payload', () => {
    let caught: unknown;
    try {
      pipe.transform({ email: 'nope', $where: '1' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RpcFailure);
    const body = (caught as RpcFailure).body;
    expect(body.code).toBe('VALIDATION_FAILED');
    const details = body.details as { path: string[]; code: string }[];
    expect(details.map((d) => d.code).sort()).toEqual(['invalid_format', 'unrecognized_keys']);
  });

  it('refuses a non-object payload', () => {
    expect(() => pipe.transform('hello')).toThrow(RpcFailure);
    expect(() => pipe.transform(undefined)).toThrow(RpcFailure);
  });
});
