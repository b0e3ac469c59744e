import type { z } from 'zod';
import { ConfigError } from './config-error.js';

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function parseConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  // Empty strings count as unset so `FOO=` falls back to the default.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.length ? String(issue.path[0]) : '(env)';
  const reason =
    issue === undefined
      ? 'invalid'
      : cleaned[variable] === undefined && issue.code === 'invalid_type'
        ? 'required but not set'
        : issue.message;
  throw new ConfigError(variable, reason);
}

/** Validated config or, on a missing/bad variable, one line on stderr and exit 1. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  try {
    return parseConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) exitOnConfigError(err);
    throw err;
  }
}

export function exitOnConfigError(err: ConfigError): never {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
