import { describe, expect, it } from 'vitest';
import { linePrefixer } from './log-prefix.js';

describe('log prefixing', () => {
  it('prefixes whole lines and holds back a partial one until it ends', () => {
    const out: string[] = [];
    const p = linePrefixer('identity', 0, (l) => out.push(l), false);
    p.push('one\ntw');
    p.push('o\n');
    p.push('three');
    expect(out).toEqual(['[identity] one\n', '[identity] two\n']);
    p.flush();
    expect(out.at(-1)).toBe('[identity] three\n');
    p.flush();
    expect(out).toHaveLength(3);
  });

  it('colors the tag on a TTY, a different color per child', () => {
    const out: string[] = [];
    linePrefixer('nats', 0, (l) => out.push(l), true).push('a\n');
    linePrefixer('store', 1, (l) => out.push(l), true).push('b\n');
    expect(out[0]).toBe('\u001b[36m[nats]\u001b[0m a\n');
    expect(out[1]).toBe('\u001b[35m[store]\u001b[0m b\n');
  });

  it('renders pino lines readable, or passes them raw when asked', () => {
    const line = '{"level":40,"time":0,"service":"gateway","msg":"slow","ms":12}';
    const out: string[] = [];
    linePrefixer('gateway', 0, (l) => out.push(l), false).push(`${line}\n`);
    linePrefixer('gateway', 0, (l) => out.push(l), false, true).push(`${line}\n`);
    expect(out).toEqual(['[gateway] 00:00:00 WARN  slow ms=12\n', `[gateway] ${line}\n`]);
  });
});
