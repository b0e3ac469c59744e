import { describe, expect, it } from 'vitest';
import { formatLogLine } from './log-format.js';

describe('formatLogLine', () => {
  it('shows time, level, message and the remaining fields of a pino line', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      service: 'identity',
      msg: 'http',
      reqId: 'r1',
      status: 200,
      checks: { nats: true },
    });
    expect(formatLogLine(line)).toBe(
      '03:04:05 INFO  http reqId=r1 status=200 checks={"nats":true}',
    );
  });

  it('passes through anything that is not a pino line', () => {
    expect(formatLogLine('[22014] [INF] Server is ready')).toBe('[22014] [INF] Server is ready');
    expect(formatLogLine('{"level":30, broken')).toBe('{"level":30, broken');
    expect(formatLogLine('')).toBe('');
  });
});
