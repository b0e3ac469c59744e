import { formatLogLine } from './log-format.js';

const COLORS = [36, 35, 33, 32, 34, 91, 96];

/**
 * Splits a child's output into lines, each written with `[name] ` in front (colored on a TTY);
 * pino JSON lines are rendered readable unless `raw`.
 */
export function linePrefixer(
  name: string,
  index: number,
  write: (line: string) => void,
  color: boolean,
  raw = false,
): {
  push(chunk: Buffer | string): void;
  flush(): void;
} {
  const tag = color ? `\u001b[${COLORS[index % COLORS.length]}m[${name}]\u001b[0m ` : `[${name}] `;
  let rest = '';
  return {
    push(chunk) {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) write(`${tag}${raw ? line : formatLogLine(line)}\n`);
    },
    flush() {
      if (rest) write(`${tag}${raw ? rest : formatLogLine(rest)}\n`);
      rest = '';
    },
  };
}
