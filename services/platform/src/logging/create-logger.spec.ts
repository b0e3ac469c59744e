import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';
import { requestIdFrom, runWithRequestId } from './request-context.js';

function capture(): { lines: Record<string, unknown>[]; stream: { write(s: string): void } } {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    stream: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  };
}

describe('createLogger', () => {
  it('puts the service on every line and the request id inside a request', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('identity', 'info', stream);
    logger.info('outside');
    await runWithRequestId('req-42', async () => {
      await Promise.resolve();
      logger.child({ component: 'x' }).info('inside');
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ service: 'identity', msg: 'outside' });
    expect(lines[0]).not.toHaveProperty('reqId');
    expect(lines[1]).toMatchObject({
      service: 'identity',
      component: 'x',
      reqId: 'req-42',
      msg: 'inside',
    });
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger('x', 'warn', stream);
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });
});

describe('requestIdFrom', () => {
  it('keeps a tame incoming id and replaces anything else', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    for (const bad of [undefined, null, '', 'with space', 'new\nline', 'x'.repeat(129)]) {
      const id = requestIdFrom(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
